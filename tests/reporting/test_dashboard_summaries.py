"""The dashboard's first figures, kept ready by a background task (reporting/summaries.py, issue 15).

The clock is frozen at 15 July 2026, 09:30 UTC (10:30 in London), the builders' "today"."""

import re
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone
from html import unescape

import django.utils.timezone
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from earlyhelp.accounts.models import Locality
from earlyhelp.reporting import dashboard
from earlyhelp.reporting.forms import filters_query
from earlyhelp.reporting.selectors import Filters, default_period
from earlyhelp.reporting.summaries import (
    meeting_families_kept,
    summaries_refresh,
    summarised_filters,
    summary_get,
)
from earlyhelp.reporting.tasks import dashboard_summaries_scheduled
from tests.background.worker import run_worker, worker_runs

from .builders import TODAY, build_council, make_request

FROZEN = datetime(2026, 7, 15, 9, 30, tzinfo=dt_timezone.utc)


class Clock:
    def __init__(self):
        self.moment = FROZEN

    def advance(self, **delta):
        self.moment += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(django.utils.timezone, "now", lambda: clock.moment)
    return clock


@pytest.fixture
def insight(db):
    return build_council()


def _requests_headline(html: str) -> str:
    return html.split('data-headline="1"', 1)[1].split("requests received in the period", 1)[0]


def test_figures_are_kept_for_the_whole_council_and_each_locality_as_counted_afresh(insight, clock):
    assert summaries_refresh() == 1 + Locality.objects.count()
    for filters in summarised_filters(TODAY):
        kept = summary_get(filters, TODAY)
        assert kept is not None and kept.worked_out_at == FROZEN
        link = dashboard.list_linker(filters_query(filters))
        assert kept.figures == dashboard.build_dashboard(filters, TODAY, link)
    # A team, or another period, is counted when asked.
    start, end = default_period(TODAY)
    assert summary_get(Filters(date_from=start, date_to=end, team=insight.team_a), TODAY) is None
    assert summary_get(Filters(date_from=date(2026, 1, 1), date_to=end), TODAY) is None


def test_the_dashboard_opens_with_the_kept_figures_and_says_when_they_were_worked_out(client, insight, clock):
    client.force_login(insight.manager)
    summaries_refresh()
    make_request("REQ-T-NEW", submitted=date(2026, 7, 1), status="awaiting_triage")
    clock.advance(minutes=4)

    html = client.get(reverse("dashboard")).content.decode()
    assert "These figures were worked out at 10:30 on 15 July 2026" in html
    assert ">4<" in _requests_headline(html)  # REQ-T-1 to 4: the new request came after
    # The list behind the number is counted afresh.
    href = unescape(re.search(r'href="([^"]+)"', _requests_headline(html)).group(1))
    assert "of the 5 behind this figure" in client.get(href).content.decode()

    # Other filters are counted when asked.
    start, end = default_period(TODAY)
    team_html = client.get(reverse("dashboard") + "?" + filters_query(
        Filters(date_from=start, date_to=end, team=insight.team_a))).content.decode()
    assert "These figures were counted when you asked, at 10:34" in team_html

    clock.advance(minutes=6)
    summaries_refresh()
    html = client.get(reverse("dashboard")).content.decode()
    assert "worked out at 10:40 on 15 July 2026" in html and ">5<" in _requests_headline(html)


def test_the_supporting_families_list_opens_with_the_families_kept_and_works_out_only_its_rows(
        client, insight, clock):
    from earlyhelp.reporting.selectors import supporting_families_list

    from .test_supporting_families import record_sustained_needs

    record_sustained_needs(insight, insight.families["E4"])
    summaries_refresh()
    kept = meeting_families_kept(TODAY)
    assert kept.family_ids == [summary.family_id for summary in supporting_families_list(insight.analyst, today=TODAY)]
    assert kept.family_ids == [insight.families["E4"].pk] and kept.worked_out_at == FROZEN
    clock.advance(minutes=3)
    client.force_login(insight.analyst)
    html = client.get(reverse("supporting-families")).content.decode()
    assert "1 family meeting the criteria" in html
    assert "worked out at 10:30 on 15 July 2026" in html
    # The list of all families with needs, and yesterday's list, are never the kept one.
    assert "supporting-families-freshness" not in client.get(reverse("supporting-families") + "?show=all").content.decode()
    clock.advance(days=1)
    assert meeting_families_kept(timezone.localdate()) is None
    assert "supporting-families-freshness" not in client.get(reverse("supporting-families")).content.decode()


def test_yesterdays_figures_are_never_shown_today(client, insight, clock):
    summaries_refresh()
    clock.advance(days=1)
    assert summary_get(summarised_filters(timezone.localdate())[0], timezone.localdate()) is None
    client.force_login(insight.manager)
    assert "counted when you asked" in client.get(reverse("dashboard")).content.decode()


def _waiting():
    return DBTaskResult.objects.filter(task_path=dashboard_summaries_scheduled.module_path, status="READY")


@worker_runs
def test_the_worker_works_them_out_and_queues_the_next_run_once(insight, settings, capsys):
    settings.EARLYHELP_DASHBOARD_SUMMARY_MINUTES = 10
    call_command("dashboard_summaries", "--schedule")
    assert "worked out for 3 sets of filters" in capsys.readouterr().out
    (next_run,) = _waiting()
    minutes = (next_run.run_after - timezone.now()) / timedelta(minutes=1)
    assert 9.9 < minutes <= 10
    call_command("dashboard_summaries", "--schedule")
    assert "already queued" in capsys.readouterr().out
    assert _waiting().count() == 1

    DBTaskResult.objects.update(run_after=timezone.now())  # its time has come
    run_worker()
    done = DBTaskResult.objects.get(task_path=dashboard_summaries_scheduled.module_path, status="SUCCESSFUL")
    assert done.return_value == 3
    assert _waiting().count() == 1  # the next one
    assert summary_get(summarised_filters(timezone.localdate())[0], timezone.localdate()) is not None
