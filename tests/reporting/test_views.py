"""The insight pages as managers and analysts use them: filters, lists behind figures, access, exports."""

import csv
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from earlyhelp.audit.models import AccessKind, AccessRecord
from earlyhelp.people.models import Person
from earlyhelp.reporting.annex_a import COLUMNS

from ..background.worker import run_worker, worker_runs
from .builders import PERIOD, SECRET_CHILD, add_noise, build_council


@pytest.fixture
def insight(db):
    return build_council()


def period_query(**extra) -> str:
    start, end = PERIOD
    params = {"start_day": start.day, "start_month": start.month, "start_year": start.year,
              "end_day": end.day, "end_month": end.month, "end_year": end.year, **extra}
    return "&".join(f"{key}={value}" for key, value in params.items())


def _signed_in(client, user):
    client.force_login(user)
    return client


def _links(html: str, contains: str) -> list[str]:
    return sorted({unescape(href) for href in re.findall(r'href="([^"]+)"', html) if contains in href})


# --- Who may see what -------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["dashboard", "reports", "supporting-families", "dashboard-list"])
def test_only_managers_and_analysts_reach_the_insight_pages(client, insight, url_name):
    response = _signed_in(client, insight.practitioner).get(reverse(url_name) + "?figure=open")
    assert response.status_code == 403
    assert _signed_in(client, insight.analyst).get(reverse(url_name) + "?figure=open").status_code == 200


def test_team_work_is_for_team_managers_only(client, insight):
    assert _signed_in(client, insight.analyst).get(reverse("team-work")).status_code == 403
    assert _signed_in(client, insight.practitioner).get(reverse("team-work")).status_code == 403


# --- The dashboard ------------------------------------------------------------------------------


def test_the_dashboard_shows_each_figure_with_a_chart_a_table_and_a_csv(client, insight):
    html = _signed_in(client, insight.manager).get(reverse("dashboard") + "?" + period_query()).content.decode()
    for slug in ("requests", "open", "assessments", "overdue", "no_review", "stepping", "caseload", "closures",
                 "needs", "need_outcomes", "plan_outcomes"):
        assert f'data-figure="{slug}"' in html, slug
        assert f"figure={slug}&amp;" in html, slug  # its CSV
    # Charts: a canvas with an accessible name and a JSON data block, never an inline script.
    assert re.search(r'<canvas id="chart-closures" data-chart="chart-data-closures" role="img" aria-label="Closures by reason: Needs met 1, Stepped up to Children&#x27;s Social Care 1"', html)
    assert '<script id="chart-data-closures" type="application/json">' in html
    assert re.findall(r"<script(?![^>]*(?:src=|application/json))[^>]*>", html) == []
    assert "1 January 2026 to 30 June 2026, all localities, all teams" in html


def test_filtering_by_team_changes_the_figures(client, insight):
    client = _signed_in(client, insight.manager)
    everyone = client.get(reverse("dashboard") + "?" + period_query()).content.decode()
    team_b = client.get(reverse("dashboard") + "?" + period_query(team=insight.team_b.pk)).content.decode()
    closures = re.compile(r'data-figure="closures".*?All closures</th>\s*<td[^>]*>(?:<a[^>]*>)?(\d+)', re.S)
    assert closures.search(everyone).group(1) == "2"
    assert closures.search(team_b).group(1) == "1"
    assert "South Early Help Team." in team_b


def test_invalid_filters_are_explained_beside_the_field_and_no_figures_are_shown(client, insight):
    query = period_query().replace("end_year=2026", "end_year=2025")
    html = _signed_in(client, insight.manager).get(reverse("dashboard") + "?" + query).content.decode()
    assert "There is a problem" in html
    assert html.count("The end date must be the same as or after the start date") == 2  # summary and field
    assert 'value="2025"' in html  # what was typed is kept
    assert 'data-figure="open"' not in html
    html = _signed_in(client, insight.manager).get(
        reverse("dashboard") + "?" + period_query().replace("start_month=1", "start_month=13")
    ).content.decode()
    assert "The start date must be a real date" in html
    html = _signed_in(client, insight.manager).get(
        reverse("dashboard") + f"?{period_query(locality=insight.team_b.locality.pk, team=insight.team_a.pk)}"
    ).content.decode()
    assert "North Early Help Team is not in Testshire South" in html


def test_the_default_period_is_the_last_twelve_months(client, insight):
    html = _signed_in(client, insight.manager).get(reverse("dashboard")).content.decode()
    from django.utils import timezone

    from earlyhelp.reporting.selectors import default_period

    start, end = default_period(timezone.localdate())
    assert f"{start:%-d %B %Y} to {end:%-d %B %Y}" in html
    assert len(re.findall(r'<th scope="row" class="govuk-table__header">\w{3} \d{4}</th>', html)) == 24  # 12 x 2 trends


def test_figure_csv_downloads_the_numbers(client, insight):
    response = _signed_in(client, insight.analyst).get(
        reverse("dashboard-csv") + f"?figure=caseload&{period_query()}")
    assert response["Content-Disposition"].startswith('attachment; filename="caseload-20260101-20260630.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Worker", "Open episodes"]
    assert rows[-1] == ["All open episodes", "4"]


# --- Lists behind figures ---------------------------------------------------------------------


def test_a_manager_sees_named_families_only_where_access_allows(client, insight):
    html = _signed_in(client, insight.manager).get(
        reverse("dashboard-list") + f"?figure=overdue&key=&{period_query()}").content.decode()
    # Overdue (before today): E1, E2, E3 in the manager's team; E5 in team B, which they do not manage.
    assert "Quartermaine family" in html and "Abbott family" in html and "Brennan family" in html
    assert "Dunn family" not in html and "EP-T-5" not in html
    assert "You can see 3 of the 4 behind this figure" in html
    assert reverse("episode-detail", kwargs={"episode_id": insight.episodes["E1"].pk}) in html


def test_an_analyst_sees_every_record_behind_a_figure_but_no_names_and_no_links(client, insight):
    html = _signed_in(client, insight.analyst).get(
        reverse("dashboard-list") + f"?figure=overdue&key=&{period_query()}").content.decode()
    for reference in ("EP-T-1", "EP-T-2", "EP-T-3", "EP-T-5"):
        assert reference in html
    for name in ("Quartermaine", "Abbott", "Brennan", "Dunn"):
        assert name not in html
    assert "/episodes/" not in html and "/families/" not in html and "/people/" not in html


def test_an_unknown_figure_is_not_found(client, insight):
    response = _signed_in(client, insight.manager).get(reverse("dashboard-list") + "?figure=secrets")
    assert response.status_code == 404


@worker_runs
def test_analysts_never_see_a_childs_name_on_any_page_or_download(client, insight):
    """Crawl everything an analyst can reach from the dashboard and the reports page."""
    client = _signed_in(client, insight.analyst)
    secret_first, secret_last = SECRET_CHILD
    pages = [reverse("dashboard") + "?" + period_query(), reverse("dashboard"), reverse("reports"),
             reverse("supporting-families"), reverse("supporting-families") + "?show=all",
             reverse("supporting-families-csv") + "?show=all", reverse("home")]
    dashboard_html = client.get(pages[0]).content.decode()
    pages += _links(dashboard_html, "/dashboard/")
    assert len(pages) > 40  # every figure's lists and CSVs
    from tests.reporting.test_supporting_families import record_sustained_needs

    record_sustained_needs(insight, insight.families["E4"])
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert secret_last not in body and secret_first not in body, url
        assert "Carter family" not in body, url
    for file_format in ("csv", "xlsx"):
        response = client.post(reverse("reports"), {"as_of_0": "22", "as_of_1": "11", "as_of_2": "2026",
                                                    "format": file_format})
        run_worker()
        assert secret_last not in client.get(response["Location"]).content.decode()
        response = client.get(response["Location"] + "download")
        assert response["Content-Disposition"].startswith("attachment")
        assert secret_last.encode() not in b"".join(response.streaming_content)
    # And no way into a child's record.
    assert client.get(reverse("episode-detail", kwargs={"episode_id": insight.episodes["E1"].pk})).status_code == 403
    assert client.get(reverse("supporting-families-family",
                              kwargs={"family_id": insight.families["E1"].pk})).status_code == 403


# --- Bounded queries --------------------------------------------------------------------------


@pytest.mark.parametrize("noise", [0, 24])
def test_the_dashboard_takes_a_fixed_number_of_queries(client, insight, noise, django_assert_max_num_queries):
    add_noise(insight, noise)
    client = _signed_in(client, insight.manager)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("dashboard") + "?" + period_query())
    assert 'data-figure="plan_outcomes"' in response.content.decode()


@pytest.mark.parametrize("noise", [0, 24])
def test_lists_team_work_and_supporting_families_take_a_fixed_number_of_queries(
    client, insight, noise, django_assert_max_num_queries
):
    add_noise(insight, noise)
    manager = _signed_in(client, insight.manager)
    for url in (reverse("dashboard-list") + f"?figure=open&key=&{period_query()}",
                reverse("dashboard-list") + f"?figure=requests&key=&{period_query()}",
                reverse("dashboard-list") + f"?figure=step_downs&key=&{period_query()}",
                reverse("team-work") + "?sort=worker&order=desc",
                reverse("supporting-families") + "?show=all"):
        with django_assert_max_num_queries(20):
            response = manager.get(url)
        assert response.status_code == 200


# --- Team work --------------------------------------------------------------------------------


def test_team_work_lists_every_open_episode_in_the_managers_teams_with_how_late(client, insight):
    from django.utils import timezone

    html = _signed_in(client, insight.manager).get(reverse("team-work")).content.decode()
    rows = re.findall(r'data-episode="([^"]+)"', html)
    assert rows == ["EP-T-2", "EP-T-1", "EP-T-3"]  # by due date: 16 Feb, 1 Jul, 10 Aug; team B's E5 absent
    days = (timezone.localdate() - insight.episodes["E2"].next_due_on).days
    assert f"{days} days late" in html


def test_team_work_sorts_and_filters_without_javascript(client, insight):
    client = _signed_in(client, insight.manager)
    html = client.get(reverse("team-work") + "?sort=family&order=desc").content.decode()
    assert re.findall(r'data-episode="([^"]+)"', html) == ["EP-T-1", "EP-T-3", "EP-T-2"]  # Q, B, A
    assert 'aria-sort="descending"' in html
    assert "sort=family&amp;order=asc" in html  # the heading link reverses the order
    html = client.get(reverse("team-work") + f"?worker={insight.adviser.pk}").content.decode()
    assert re.findall(r'data-episode="([^"]+)"', html) == ["EP-T-3"]
    html = client.get(reverse("team-work") + "?kind=assessment").content.decode()
    assert re.findall(r'data-episode="([^"]+)"', html) == ["EP-T-2"]
    html = client.get(reverse("team-work") + "?kind=review&sort=due").content.decode()
    assert re.findall(r'data-episode="([^"]+)"', html) == ["EP-T-1", "EP-T-3"]
    html = client.get(reverse("team-work") + "?worker=999999").content.decode()
    assert "Choose a worker from the list" in html


def test_team_work_shows_only_overdue_when_asked(client, insight):
    from datetime import timedelta

    from django.utils import timezone

    from earlyhelp.episodes.models import Episode

    Episode.objects.filter(pk=insight.episodes["E3"].pk).update(next_due_on=timezone.localdate() + timedelta(days=3))
    html = _signed_in(client, insight.manager).get(reverse("team-work") + "?overdue=on").content.decode()
    assert re.findall(r'data-episode="([^"]+)"', html) == ["EP-T-2", "EP-T-1"]


# --- Annex A on the reports page --------------------------------------------------------------


def _annex_a_made(client, user, file_format: str):
    """Ask for Annex A on the reports page, run the worker, and open the file's page."""
    response = _signed_in(client, user).post(
        reverse("reports"), {"as_of_0": "30", "as_of_1": "6", "as_of_2": "2026", "format": file_format})
    assert response.status_code == 302
    page = response["Location"]
    assert "Waiting to start" in client.get(page).content.decode()
    assert not AccessRecord.objects.filter(kind=AccessKind.EXPORT).exists()  # nothing downloaded yet
    run_worker()
    return page, client.get(page).content.decode()


@worker_runs
def test_annex_a_is_made_in_the_background_as_xlsx_and_its_download_is_audited(client, insight):
    page, html = _annex_a_made(client, insight.manager, "xlsx")
    assert "Your file is ready" in html
    response = client.get(f"{page}download")
    assert response["Content-Disposition"] == 'attachment; filename="annex-a-list-2-2026-06-30.xlsx"'
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["List 2"]
    values = list(sheet.values)
    assert values[0] == COLUMNS
    # On 30 June: E1, E2, E3 are current and started in the six months; E6 (closed) started in
    # February. E4 started on 2 December 2025, more than six months before, and closed in March;
    # E5 has no assessment; E7 is long closed.
    assert len(values) == 1 + 4
    record = AccessRecord.objects.get(kind=AccessKind.EXPORT, user=insight.manager)
    assert (record.what, record.family_id) == ("Annex A List 2", None)


@worker_runs
def test_annex_a_csv(client, insight):
    page, _ = _annex_a_made(client, insight.analyst, "csv")
    response = client.get(f"{page}download")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert tuple(rows[0]) == COLUMNS and len(rows) == 5
    assert AccessRecord.objects.filter(kind=AccessKind.EXPORT, user=insight.analyst, what="Annex A List 2").count() == 1


@worker_runs
def test_annex_a_problems_are_listed_for_correction_instead_of_a_file(client, insight):
    Person.objects.filter(pk=insight.children["E1"].pk).update(ethnicity="XXXX")
    page, html = _annex_a_made(client, insight.manager, "xlsx")
    assert "1 value for 1 child must be corrected first" in html
    child_id = f"EH{insight.children['E1'].pk:07d}"
    assert child_id in html and "Ethnicity must be one of the census ethnicity codes" in html
    # The manager works with that family: the ID links to the child's record to correct it.
    assert reverse("person-detail", kwargs={"person_id": insight.children["E1"].pk}) in html
    assert client.get(f"{page}download").status_code == 404
    assert not AccessRecord.objects.filter(kind=AccessKind.EXPORT).exists()


def test_annex_a_in_an_unknown_format_is_refused_beside_the_form(client, insight):
    response = _signed_in(client, insight.manager).post(
        reverse("reports"), {"as_of_0": "30", "as_of_1": "6", "as_of_2": "2026", "format": "docx"})
    assert response.status_code == 422 and "Choose XLSX or CSV" in response.content.decode()


def test_annex_a_date_errors_are_plain(client, insight):
    client = _signed_in(client, insight.manager)
    html = client.post(reverse("reports"), {"as_of_0": "", "as_of_1": "", "as_of_2": "", "format": "xlsx"}).content.decode()
    assert "Enter the date the list is for" in html
    html = client.post(reverse("reports"), {"as_of_0": "1", "as_of_1": "1", "as_of_2": "2099", "format": "xlsx"}).content.decode()
    assert "The date the list is for cannot be in the future" in html
