"""Writes for reporting: Supporting Families needs, and the audit record every export leaves."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import AccessKind
from earlyhelp.audit.services import access_record_create
from earlyhelp.background.models import BackgroundFile
from earlyhelp.background.services import background_file_request
from earlyhelp.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from earlyhelp.people.models import Family

from .background_files import ANNEX_A_KIND
from .models import FamilyOutcomeNeed, HeadlineOutcome
from .selectors import require_insight_role, user_may_record_outcomes

ANNEX_A_WHAT = "Annex A List 2"
XLSX = "xlsx"
CSV = "csv"
CONTENT_TYPES = {XLSX: XLSX_CONTENT_TYPE, CSV: CSV_CONTENT_TYPE}


def _require_recorder(user: User, family: Family) -> None:
    if not user_may_record_outcomes(user, family):
        raise PermissionDenied


def family_outcome_need_lock(*, family: Family, headline_outcome: str) -> FamilyOutcomeNeed | None:
    """The need as recorded now, the family locked, for a save that compares it with the page
    (web/versioning.py)."""
    Family.objects.select_for_update().get(pk=family.pk)
    return FamilyOutcomeNeed.objects.filter(family=family, headline_outcome=headline_outcome).first()


@transaction.atomic
def family_outcome_need_save(
    *, family: Family, headline_outcome: str, by: User, need: str, in_family_plan: bool,
    improvement_evidence: str = "", improved_on: date | None = None, sustained: bool | None = None,
    sustained_checked_on: date | None = None,
) -> FamilyOutcomeNeed:
    """Record (or correct) the family's need under one headline outcome."""
    _require_recorder(by, family)
    if headline_outcome not in HeadlineOutcome.values:
        raise ValidationError({"headline_outcome": "Choose one of the ten headline outcomes"})
    if not need.strip():
        raise ValidationError({"need": "Describe the family's need under this headline outcome"})
    if sustained is not None and sustained_checked_on is None:
        raise ValidationError({"sustained_checked_on": "Enter the date you checked whether the improvement had lasted"})
    record, _ = FamilyOutcomeNeed.objects.select_for_update().update_or_create(
        family=family, headline_outcome=headline_outcome,
        defaults={
            "need": need.strip(), "in_family_plan": in_family_plan,
            "improvement_evidence": improvement_evidence.strip(), "improved_on": improved_on,
            "sustained": sustained, "sustained_checked_on": sustained_checked_on if sustained is not None else None,
            "recorded_by": by,
        },
    )
    return record


@transaction.atomic
def family_outcome_need_remove(*, family: Family, headline_outcome: str, by: User) -> None:
    _require_recorder(by, family)
    FamilyOutcomeNeed.objects.filter(family=family, headline_outcome=headline_outcome).delete()


def annex_a_request(*, user: User, as_of: date, file_format: str) -> BackgroundFile:
    """Ask for Annex A for the whole council: made by a worker, checked first; downloaded when ready."""
    require_insight_role(user)
    if file_format not in CONTENT_TYPES:
        raise ValidationError("Choose XLSX or CSV")
    return background_file_request(user=user, kind=ANNEX_A_KIND, params={"as_of": as_of.isoformat(),
                                                                         "format": file_format},
                                   title=f"Annex A, List 2 for {as_of:%-d %B %Y} ({file_format.upper()})")


@transaction.atomic
def export_record(*, user: User, what: str, path: str = "") -> None:
    """Every download of records leaves an audit record (no one family: family=None)."""
    access_record_create(user=user, kind=AccessKind.EXPORT, what=what, family=None, path=path)
