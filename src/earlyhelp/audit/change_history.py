"""Every change to a child's or family's record keeps before and after (django-auditlog)."""

from auditlog.registry import auditlog
from django.apps import apps
from django.db import models

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
)
# Records edit forms change that do not say who saved them: their history says who changed one,
# and when, since a page was opened (web/versioning.py). Who and when only: their free text stays
# out of the history, so retention's blanking of it leaves no copy behind.
WHO_AND_WHEN_MODELS = ("episodes.PlanAction",)


def register_models() -> None:
    for label in AUDITED_MODELS:
        model = apps.get_model(label)
        if not auditlog.contains(model):
            exclude = ["password", "last_login"] if label == "accounts.User" else []
            auditlog.register(model, exclude_fields=exclude)
    for label in WHO_AND_WHEN_MODELS:
        model = apps.get_model(label)
        if not auditlog.contains(model):
            text = [field.name for field in model._meta.concrete_fields if isinstance(field, models.TextField)]
            auditlog.register(model, exclude_fields=text)
