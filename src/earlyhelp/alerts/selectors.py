"""Every read of alerts about risks to workers. The banner's read is one query for any number of
families; the caller has already decided that the user may see them (pages put a family in
their context only then)."""

from collections.abc import Iterable

from django.shortcuts import get_object_or_404

from earlyhelp.people.models import Family
from earlyhelp.people.selectors import family_get_for_user

from .models import Alert, AlertSource


def family_open_alerts(*, family_ids: Iterable[int]) -> list[Alert]:
    """The open alerts of these families, oldest first, in one query (for the banner)."""
    ids = [family_id for family_id in family_ids if family_id]
    if not ids:
        return []
    return list(
        Alert.objects.filter(family_id__in=ids, ended_at__isnull=True)
        .select_related("recorded_by", "recorded_by__agency", "person", "family")
        .only("pk", "family_id", "person_id", "kind", "details", "source", "recorded_at",
              "recorded_by__first_name", "recorded_by__last_name", "recorded_by__username",
              "recorded_by__agency__name", "person__first_name", "person__last_name", "person__known_as",
              "family__name")
        .order_by("recorded_at", "pk")
    )


def family_alerts_history(*, family: Family) -> list[Alert]:
    """Every alert of the family, open and ended, newest first (the alerts page)."""
    return list(Alert.objects.filter(family=family).select_related(
        "recorded_by", "recorded_by__agency", "ended_by", "ended_by__agency", "person",
    ).order_by("-recorded_at", "-pk"))


def alert_get_for_user(user, alert_id: int, *, page: str, path: str = "", change: bool = False) -> Alert:
    """The alert if the user may see (or, with `change`, change) its family, else 403; audited."""
    alert = get_object_or_404(Alert.objects.select_related("recorded_by", "person", "ended_by"), pk=alert_id)
    alert.family = family_get_for_user(user, alert.family_id, page=page, path=path, change=change)
    return alert


def assessment_alert_kind(*, assessment_id: int | None) -> str:
    """The kind of the open alert an assessment's engagement section recorded, for its form."""
    if not assessment_id:
        return ""
    return Alert.objects.filter(source=AlertSource.ASSESSMENT, source_assessment_id=assessment_id,
                                ended_at__isnull=True).values_list("kind", flat=True).first() or ""
