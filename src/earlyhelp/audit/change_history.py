"""Every change to a child's or family's record keeps before and after (django-auditlog)."""

from auditlog.registry import auditlog
from django.apps import apps

AUDITED_MODELS = (
    "people.Person",
    "people.Family",
    "people.FamilyMember",
    "people.Relationship",
    "people.FamilyAddress",
    "people.Involvement",
    "people.PersonMerge",
    "frontdoor.RequestForSupport",
    "frontdoor.RequestPerson",
    "frontdoor.PreAssessmentChecklist",
    "frontdoor.LevelOfNeedDecision",
    "frontdoor.Escalation",
    "frontdoor.HarmReferral",
    "frontdoor.AllocationDecision",
    "accounts.User",
    "accounts.Team",
    # The records edit forms change: their history also says who changed one since a page was opened
    # (web/versioning.py).
    "episodes.Assessment",
    "episodes.AssessmentChildSection",
    "episodes.MonitoringForm",
    "episodes.PlanAction",
)


def register_models() -> None:
    for label in AUDITED_MODELS:
        model = apps.get_model(label)
        if not auditlog.contains(model):
            exclude = ["password", "last_login"] if label == "accounts.User" else []
            auditlog.register(model, exclude_fields=exclude)
