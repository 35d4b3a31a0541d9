"""The dashboard's figures kept ready (issue 15), so the page does not count a whole council's records
while a manager waits.

A background task works out the figures a dashboard is first opened with, over the default period
(the current month and the eleven before): for the whole council and for each locality, every
EARLYHELP_DASHBOARD_SUMMARY_MINUTES. They are kept in the shared cache, so every worker and host reads
the same ones. The page uses them only when they were worked out for exactly its filters and day, and
says when that was; other filters are counted when asked. The CSV downloads and the lists behind each
number always count afresh (docs/performance.md, "Dashboard summaries").

The same task keeps the families of the whole council that meet every Supporting Families criterion
that day, so the list's page works out only its own rows; its CSV download is worked out afresh.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from earlyhelp.accounts.models import Locality
from earlyhelp.config.routers import replica_reads

from . import dashboard
from .forms import filters_query
from .selectors import Filters, default_period, families_meeting_the_criteria

# The figures' shape is in the key: a deploy that changes them never reads the old ones.
KEY_PREFIX = "reporting:dashboard-summary:v1:"
MEETING_KEY_PREFIX = "reporting:supporting-families-meeting:v1:"


@dataclass
class Summary:
    worked_out_at: datetime
    figures: list[dashboard.Figure]


def _key(query: str, today: date) -> str:
    return f"{KEY_PREFIX}{today.isoformat()}:{query}"


@dataclass
class KeptFamilies:
    worked_out_at: datetime
    family_ids: list[int]


def _meeting_key(today: date) -> str:
    return f"{MEETING_KEY_PREFIX}{today.isoformat()}"


def meeting_families_kept(today: date) -> KeptFamilies | None:
    """The families meeting the Supporting Families criteria, as worked out today, when kept."""
    return cache.get(_meeting_key(today))


def summarised_filters(today: date) -> list[Filters]:
    """The filters whose figures are kept ready: the default period, all the council and each locality."""
    date_from, date_to = default_period(today)
    return [Filters(date_from=date_from, date_to=date_to)] + [
        Filters(date_from=date_from, date_to=date_to, locality=locality) for locality in Locality.objects.order_by("pk")]


def summary_get(filters: Filters, today: date) -> Summary | None:
    """The figures kept for exactly these filters and this day, when there are some."""
    return cache.get(_key(filters_query(filters), today))


def summaries_refresh(today: date | None = None) -> int:
    """Work out the kept figures again (the background task); the number of filters refreshed."""
    today = today or timezone.localdate()
    # Kept for a few runs: a worker late by one run leaves the page reading a little older figures,
    # which it says, rather than counting while the manager waits.
    keep_for = settings.EARLYHELP_DASHBOARD_SUMMARY_MINUTES * 60 * 3
    with replica_reads():
        filters_list = summarised_filters(today)
        for filters in filters_list:
            query = filters_query(filters)
            figures = dashboard.build_dashboard(filters, today, dashboard.list_linker(query))
            cache.set(_key(query, today), Summary(timezone.now(), figures), keep_for)
        cache.set(_meeting_key(today), KeptFamilies(timezone.now(), families_meeting_the_criteria(today)), keep_for)
    return len(filters_list)


def refresh_interval() -> timedelta:
    return timedelta(minutes=settings.EARLYHELP_DASHBOARD_SUMMARY_MINUTES)
