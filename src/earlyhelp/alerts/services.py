"""Every write of alerts about risks to workers: recording one, ending one, and keeping the alert
an assessment's engagement section recorded in step with it (the one writer for both).

Who may do what is declared once, in alerts/rules.py. Ending needs a reason; ending an alert
someone has already ended (from another tab) is Refused (409).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from earlyhelp.people.models import Family, FamilyMember, Person
from earlyhelp.policy import require
from earlyhelp.web.refusals import Refused

from .models import Alert, AlertKind, AlertSource

ALREADY_ENDED = "This alert has already been ended."


def alert_people_choices(family: Family) -> list[Person]:
    """The people an alert may name: the family's current members."""
    return [membership.person for membership in FamilyMember.objects.filter(
        family=family, left_on__isnull=True, person__merged_into__isnull=True,
    ).select_related("person").order_by("person__date_of_birth", "person__pk")]


def _validate(*, family: Family, kind: str, details: str, person: Person | None) -> dict:
    errors: dict[str, list[str]] = {}
    if kind not in AlertKind.values:
        errors["kind"] = ["Select what kind of risk to workers it is"]
    if not (details or "").strip():
        errors["details"] = ["Enter what workers need to know: what happened, when, and what to do"]
    if person is not None and person.pk not in {p.pk for p in alert_people_choices(family)}:
        errors["person"] = ["Select someone in the family, or no one"]
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "details": details.strip(), "person": person}


@transaction.atomic
def alert_create(*, family: Family, by, kind: str, details: str, person: Person | None = None) -> Alert:
    """Record an alert about a risk to workers on the family's alerts page."""
    require(by, "alerts.add_alert", family)
    fields = _validate(family=family, kind=kind, details=details, person=person)
    return Alert.objects.create(family=family, recorded_by=by, source=AlertSource.ALERT_PAGE, **fields)


@transaction.atomic
def alert_end(*, alert: Alert, by, reason: str) -> Alert:
    """End an alert with a reason: it no longer shows, and stays in the family's history."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    require(by, "alerts.end_alert", alert)
    if not alert.is_open:
        raise Refused(ALREADY_ENDED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Enter why the risk to workers has ended"]})
    alert.ended_at, alert.ended_by, alert.end_reason = timezone.now(), by, reason
    alert.save(update_fields=["ended_at", "ended_by", "end_reason", "updated_at"])
    return alert


def alert_keep_in_step_with_assessment(*, family_id: int, assessment_id: int, by, risk_to_workers: str,
                                       kind: str = "") -> Alert | None:
    """Called by the assessment's engagement section as it saves, inside its transaction; the
    caller has already decided that `by` may change the assessment (and so the family).

    - A risk recorded, and no alert from this assessment open: one alert is recorded, unless the
      words are those of an alert from it that someone ended (saving again does not bring it back).
    - An alert from this assessment open: its details (and kind, if given) follow the section.
    - The risk removed from the section: the alert stays until someone ends it with a reason.
    """
    details = (risk_to_workers or "").strip()
    kind = kind if kind in AlertKind.values else ""
    rows = Alert.objects.select_for_update().filter(source=AlertSource.ASSESSMENT,
                                                    source_assessment_id=assessment_id)
    current = rows.filter(ended_at__isnull=True).order_by("-recorded_at", "-pk").first()
    if current is not None:
        changed = {}
        if details and details != current.details:
            changed["details"] = details
        if kind and kind != current.kind:
            changed["kind"] = kind
        if changed:
            for name, value in changed.items():
                setattr(current, name, value)
            current.save(update_fields=[*changed, "updated_at"])
        return current
    if not details or rows.filter(details=details).exists():
        return None
    return Alert.objects.create(family_id=family_id, kind=kind or AlertKind.OTHER, details=details,
                                source=AlertSource.ASSESSMENT, source_assessment_id=assessment_id,
                                recorded_by=by)
