"""Every dashboard figure against the hand-worked council in builders.py.

Period 1 January to 30 June 2026, today 15 July 2026. The expected numbers are written out
here, worked from the episodes listed in builders.build_council.
"""

from datetime import date

import pytest

from earlyhelp.reporting import dashboard, selectors
from earlyhelp.reporting.selectors import Filters

from .builders import PERIOD, TODAY, build_council


@pytest.fixture
def insight(db):
    return build_council()


def _filters(**kwargs) -> Filters:
    return Filters(date_from=PERIOD[0], date_to=PERIOD[1], **kwargs)


def _table(figure) -> dict[str, list]:
    return {row.label: [cell.value for cell in row.cells] for row in figure.rows}


def _link(figure: str, key: str) -> str:
    return f"{figure}|{key}"


def test_requests_received_and_their_decisions(insight):
    # REQ-T-1 allocated (Jan), REQ-T-2 waiting for triage (Feb), REQ-T-3 universal (Mar);
    # REQ-T-4 came in December 2025, before the period.
    assert {k: v for k, v in selectors.requests_by_status(_filters()).items() if v} == {
        "allocated": 1, "awaiting_triage": 1, "universal": 1,
    }
    figure = dashboard.requests_figure(_filters(), _link)
    table = _table(figure)
    assert table["All requests received"] == [3]
    assert table["Allocated"] == [1] and table["Waiting for triage"] == [1]
    assert table["Referred to Children's Social Care"] == [0]
    # A team: only requests the allocation meeting gave it. A locality: where the family lives.
    assert sum(selectors.requests_by_status(_filters(team=insight.team_a)).values()) == 1
    assert selectors.requests_by_status(_filters(locality=insight.team_b.locality)) == {
        **{status: 0 for status in selectors.RequestStatus.values}, "universal": 1,
    }


def test_open_episodes_by_stage(insight):
    # E1 and E3 have plans, E2 is being assessed, E5 waits for consent; E4, E6, E7 are closed.
    counts = selectors.open_episodes_by_state(_filters())
    assert counts == {"awaiting_consent": 1, "assessment": 1, "planning": 0, "plan_active": 2,
                      "step_up_requested": 0}
    assert sum(selectors.open_episodes_by_state(_filters(team=insight.team_a)).values()) == 3
    assert _table(dashboard.open_figure(_filters(), _link))["All open episodes"] == [4]


def test_assessments_completed_within_10_working_days_with_the_monthly_trend(insight):
    # Completed in the period: E1 on 20 Jan (due 26 Jan: within), E3 on 3 Feb (due 20 Jan: late),
    # E6 on 24 Feb (due 24 Feb: within, the due day counts). E4 finished in December 2025.
    months = selectors.assessment_timeliness(_filters())
    assert [(m.month, m.completed, m.within, m.percent) for m in months] == [
        (date(2026, 1, 1), 1, 1, 100), (date(2026, 2, 1), 2, 1, 50), (date(2026, 3, 1), 0, 0, None),
        (date(2026, 4, 1), 0, 0, None), (date(2026, 5, 1), 0, 0, None), (date(2026, 6, 1), 0, 0, None),
    ]
    table = _table(dashboard.assessments_figure(_filters(), _link))
    assert table["All months"] == [3, 2, 1, "67%"]
    assert table["Feb 2026"] == [2, 1, 1, "50%"]
    assert table["Mar 2026"] == [0, 0, 0, "No assessments"]
    figure = dashboard.assessments_figure(_filters(), _link)
    assert figure.chart["datasets"][0]["data"] == [100, 50, None, None, None, None]


def test_overdue_assessments_meetings_and_reviews(insight):
    # Due before 15 July: E1's review (1 July), E2's assessment (16 Feb), E5's consent (27 June).
    # E3's review is due 10 August.
    counts = selectors.overdue_by_kind(_filters(), TODAY)
    assert {k: v for k, v in counts.items() if v} == {"review": 1, "assessment": 1, "consent": 1}
    assert sum(selectors.overdue_by_kind(_filters(team=insight.team_a), TODAY).values()) == 2
    # The day itself is not overdue.
    assert sum(selectors.overdue_by_kind(_filters(), date(2026, 2, 16)).values()) == 0


def test_plans_with_no_review_in_12_weeks(insight):
    # Only E3's latest review date (1 July) has passed; E1's is 1 August.
    assert selectors.no_review_in_12_weeks_by_team(_filters(), TODAY) == [
        (insight.team_a.pk, "North Early Help Team", 1)
    ]
    assert selectors.no_review_in_12_weeks_by_team(_filters(), date(2026, 7, 1)) == []
    assert _table(dashboard.no_review_figure(_filters(), TODAY, _link))["All teams"] == [1]


def test_step_ups_and_step_downs_per_month(insight):
    # Step-up: E6 in April. Step-downs: the Brennans (accepted into E3) and the Grants, both in March.
    months = selectors.stepping_by_month(_filters())
    assert [(m.month, ups, downs) for m, ups, downs in months if ups or downs] == [(3, 0, 2), (4, 1, 0)]
    assert len(months) == 6
    # Team A: E6's step-up, and only the step-down that became its episode E3.
    team_months = selectors.stepping_by_month(_filters(team=insight.team_a))
    assert (sum(m[1] for m in team_months), sum(m[2] for m in team_months)) == (1, 1)
    assert _table(dashboard.stepping_figure(_filters(), _link))["All months"] == [1, 2]


def test_caseload_per_worker(insight):
    # Open: E1 and E2 with Pat Prentice, E3 with Ada Visor, E5 not allocated.
    caseloads = selectors.caseload_by_worker(_filters())
    assert [(c.name, c.count) for c in caseloads] == [
        ("Pat Prentice", 2), ("Ada Visor", 1), ("No allocated worker", 1),
    ]
    assert _table(dashboard.caseload_figure(_filters(), _link))["All open episodes"] == [4]


def test_the_caseload_figure_names_only_the_largest_caseloads_but_counts_everyone(insight, monkeypatch):
    monkeypatch.setattr(dashboard, "CASELOADS_SHOWN", 1)
    figure = dashboard.caseload_figure(_filters(), _link)
    table = _table(figure)
    assert list(table) == ["Pat Prentice", "No allocated worker", "All open episodes"]
    assert table["All open episodes"] == [4]
    assert "The 1 largest of 2 workers' caseloads are shown." in figure.description


def test_closures_by_reason(insight):
    # Closed in the period: E4 (needs met, 15 March) and E6 (stepped up, 5 May). E7 closed in 2025.
    counts = selectors.closures_by_reason(_filters())
    assert {k: v for k, v in counts.items() if v} == {"needs_met": 1, "stepped_up": 1}
    assert {k: v for k, v in selectors.closures_by_reason(_filters(locality=insight.team_b.locality)).items()
            if v} == {"needs_met": 1}
    table = _table(dashboard.closures_figure(_filters(), _link))
    assert table == {"Needs met": [1], "Stepped up to Children's Social Care": [1], "All closures": [2]}


def test_needs_profile_by_assessment_factor(insight):
    # Monitoring forms of assessments completed in the period: E1 [3B, 16A], E3 [3B, 4B, 11A],
    # E6 [16A, 1A]. E4's form [1A] belongs to a December assessment. "1A" must not match "11A".
    forms, counts = selectors.needs_profile(_filters())
    assert forms == 3
    assert counts == {"1A": 1, "3B": 2, "4B": 1, "11A": 1, "16A": 2}
    table = _table(dashboard.needs_figure(_filters(), _link))
    assert table["3B: Domestic abuse: concerns about the parent or carer"] == [2]
    assert table["Monitoring forms completed"] == [3]
    assert list(table)[:2] == ["3B: Domestic abuse: concerns about the parent or carer", "16A: Neglect"]


def test_outcomes_achieved(insight):
    # E4: 3B met, 16A improved; plan outcomes achieved and not achieved. E6: 16A unchanged; one
    # plan outcome not yet recorded as achieved or not.
    assert selectors.need_outcomes(_filters()) == {"met": 1, "improved": 1, "unchanged": 1, "worse": 0}
    assert selectors.plan_outcomes(_filters()) == {"yes": 1, "no": 1, "unknown": 1}
    assert selectors.plan_outcomes(_filters(team=insight.team_a)) == {"yes": 0, "no": 0, "unknown": 1}
    assert _table(dashboard.plan_outcomes_figure(_filters(), _link))["All plan outcomes"] == [3]


def test_each_count_links_to_its_list_with_the_same_figure(insight):
    figure = dashboard.overdue_figure(_filters(), TODAY, _link)
    links = {row.label: row.cells[0].href for row in figure.rows}
    assert links["Review due"] == "overdue|review"
    assert links["All overdue"] == "overdue|"
    assert links["Overdue action"] == ""  # nothing to list behind a zero
    for row in figure.rows:
        if row.cells[0].href:
            slug, key = row.cells[0].href.split("|")
            _, rows = selectors.figure_queryset(slug, key, _filters(), TODAY)
            assert rows.count() == row.cells[0].value


def test_every_list_matches_its_figure(insight):
    """Whatever the figure, its list holds as many records as it counts (episodes for episode figures)."""
    expectations = [
        ("requests", "", 3), ("requests", "allocated", 1), ("open", "plan_active", 2), ("assessments", "", 3),
        ("assessments", "2026-02", 2), ("assessments", "2026-02:late", 1), ("assessments", "within", 2),
        ("overdue", "", 3), ("no_review", str(insight.team_a.pk), 1), ("step_ups", "2026-04", 1),
        ("step_downs", "2026-03", 2), ("caseload", str(insight.practitioner.pk), 2), ("caseload", "none", 1),
        ("closures", "needs_met", 1), ("needs", "3B", 2), ("needs", "1A", 1), ("need_outcomes", "met", 1),
        ("plan_outcomes", "unknown", 1),
    ]
    for figure, key, expected in expectations:
        _, rows = selectors.figure_queryset(figure, key, _filters(), TODAY)
        assert rows.count() == expected, (figure, key)


def test_unknown_figures_and_keys_are_refused(insight):
    for figure, key in (("nonsense", ""), ("open", "closed"), ("assessments", "2026-13"), ("caseload", "x")):
        with pytest.raises(selectors.UnknownFigure):
            selectors.figure_queryset(figure, key, _filters(), TODAY)


def test_figure_csv_has_the_table_numbers(insight):
    import io

    handle = io.StringIO()
    dashboard.write_figure_csv(dashboard.closures_figure(_filters(), _link), handle)
    assert handle.getvalue().splitlines() == [
        "Reason,Episodes", "Needs met,1", "Stepped up to Children's Social Care,1", "All closures,2",
    ]
