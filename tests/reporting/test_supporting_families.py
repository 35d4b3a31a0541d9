"""Supporting Families: the programme's criteria one rule at a time, the recording page and the list."""

import csv
import io
from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from earlyhelp.audit.models import AccessKind, AccessRecord
from earlyhelp.episodes.models import Outcome
from earlyhelp.people.models import FamilyMember, MemberRole, Person
from earlyhelp.reporting import services
from earlyhelp.reporting.models import FamilyOutcomeNeed, HeadlineOutcome
from earlyhelp.reporting.selectors import (
    FamilySummary,
    NeedSummary,
    family_criteria,
    family_summary,
    supporting_families_list,
)

from .builders import build_council

TODAY = date(2026, 11, 22)
CLOSED = date(2026, 3, 15)


def _need(outcome="education", **kwargs) -> NeedSummary:
    values = {"headline_outcome": outcome, "in_family_plan": True, "improvement_evidence": "Attendance 96%",
              "sustained": True, "sustained_checked_on": date(2026, 9, 15)}
    return NeedSummary(**{**values, **kwargs})


def _family(**kwargs) -> FamilySummary:
    """A family that meets every rule; each test breaks one."""
    values = {
        "family_id": 1, "name": "", "episode_reference": "EP-1", "closed_on": CLOSED,
        "youngest_child_born": date(2014, 1, 1), "child_without_date_of_birth": False, "expectant_parent": False,
        "lead_practitioner": True, "completed_assessment": True, "plan_outcomes": True,
        "needs": [_need("education"), _need("housing"), _need("health")],
    }
    return FamilySummary(**{**values, **kwargs})


def _failing(summary: FamilySummary) -> list[str]:
    return [rule for rule, met in family_criteria(summary, TODAY).items() if not met]


def test_a_family_meeting_every_rule():
    assert _failing(_family()) == []


def test_rule_dependent_children_or_an_expectant_parent():
    assert _failing(_family(youngest_child_born=None)) == ["dependent_children"]
    # 18 by the day early help closed: no longer a dependent child.
    assert _failing(_family(youngest_child_born=date(2008, 3, 15))) == ["dependent_children"]
    assert _failing(_family(youngest_child_born=date(2008, 3, 16))) == []
    assert _failing(_family(youngest_child_born=None, expectant_parent=True)) == []
    assert _failing(_family(youngest_child_born=None, child_without_date_of_birth=True)) == []


def test_rule_needs_under_at_least_three_headline_outcomes():
    two = [_need("education"), _need("housing")]
    assert _failing(_family(needs=two)) == ["three_outcomes"]
    assert _failing(_family(needs=[*two, _need("crime")])) == []


def test_rule_a_lead_practitioner():
    assert _failing(_family(lead_practitioner=False)) == ["lead_practitioner"]


def test_rule_a_whole_family_assessment():
    assert _failing(_family(completed_assessment=False)) == ["assessment"]


def test_rule_a_family_plan_covering_every_need():
    assert _failing(_family(plan_outcomes=False)) == ["family_plan"]
    needs = [_need("education"), _need("housing"), _need("health", in_family_plan=False)]
    assert _failing(_family(needs=needs)) == ["family_plan"]


def test_rule_each_improvement_sustained_six_months_after_closure():
    def with_third(**kwargs):
        return _family(needs=[_need("education"), _need("housing"), _need("health", **kwargs)])

    assert _failing(with_third(sustained_checked_on=date(2026, 9, 14))) == ["sustained"]  # a day too soon
    assert _failing(with_third(sustained=False)) == ["sustained"]
    assert _failing(with_third(sustained=None, sustained_checked_on=None)) == ["sustained"]
    assert _failing(with_third(improvement_evidence="  ")) == ["sustained"]
    assert _failing(replace(_family(), closed_on=None)) == ["sustained"]


# --- The same rules from the database ---------------------------------------------------------


@pytest.fixture
def insight(db):
    return build_council()


def record_sustained_needs(council, family, outcomes=("education", "housing", "health"), checked=date(2026, 9, 15)):
    """Needs under the outcomes, in the plan, improved and still improved on `checked`."""
    for outcome in outcomes:
        FamilyOutcomeNeed.objects.create(
            family=family, headline_outcome=outcome, need=f"Need under {outcome}", in_family_plan=True,
            improvement_evidence="Evidence", improved_on=date(2026, 2, 1), sustained=True,
            sustained_checked_on=checked, recorded_by=council.manager,
        )


def test_a_closed_family_with_sustained_needs_meets_the_criteria(insight):
    # E4 (the Carters): closed 15 March 2026, lead practitioner, completed assessment, plan outcomes.
    family = insight.families["E4"]
    record_sustained_needs(insight, family)
    summary = family_summary(family, TODAY)
    assert summary.results == {key: True for key in summary.results}
    assert (summary.closed_on, summary.episode_reference) == (CLOSED, "EP-T-4")


def test_the_database_rules_fail_one_at_a_time(insight):
    family = insight.families["E4"]
    record_sustained_needs(insight, family)
    FamilyMember.objects.filter(family=family).update(role=MemberRole.PARENT)
    assert [k for k, v in family_summary(family, TODAY).results.items() if not v] == ["dependent_children"]
    unborn = Person.objects.create(first_name="Baby", last_name="Carter", expected_date_of_birth=date(2026, 12, 1))
    FamilyMember.objects.create(family=family, person=unborn, role=MemberRole.UNBORN)
    assert all(family_summary(family, TODAY).results.values())
    FamilyOutcomeNeed.objects.filter(family=family, headline_outcome="health").update(sustained_checked_on=date(2026, 9, 1))
    assert [k for k, v in family_summary(family, TODAY).results.items() if not v] == ["sustained"]


def test_an_open_episode_family_does_not_meet_the_criteria(insight):
    family = insight.families["E1"]  # plan active, not closed
    Outcome.objects.create(episode=insight.episodes["E1"], in_familys_words="Safer at home", needs=["3B"])
    record_sustained_needs(insight, family)
    assert [k for k, v in family_summary(family, TODAY).results.items() if not v] == ["sustained"]


def test_no_plan_outcomes_fails_the_family_plan_rule(insight):
    family = insight.families["E2"]  # still being assessed: no completed assessment, no plan
    record_sustained_needs(insight, family)
    failing = [k for k, v in family_summary(family, TODAY).results.items() if not v]
    assert failing == ["assessment", "family_plan", "sustained"]


def test_the_list_for_analysts_has_every_family_but_no_names(insight):
    record_sustained_needs(insight, insight.families["E4"])
    record_sustained_needs(insight, insight.families["E6"], outcomes=("education", "housing"))
    meeting = supporting_families_list(insight.analyst, today=TODAY)
    assert [(f.family_id, f.name) for f in meeting] == [(insight.families["E4"].pk, "")]
    everyone = supporting_families_list(insight.analyst, today=TODAY, meeting_only=False)
    assert len(everyone) == 2


def test_the_list_for_managers_is_their_families_named(insight):
    record_sustained_needs(insight, insight.families["E4"])  # team B: not the manager's
    record_sustained_needs(insight, insight.families["E6"], outcomes=("education", "housing"))
    everyone = supporting_families_list(insight.manager, today=TODAY, meeting_only=False)
    assert [(f.name, f.meets_all) for f in everyone] == [("Evans family", False)]
    with pytest.raises(PermissionDenied):
        supporting_families_list(insight.practitioner, today=TODAY)


def test_supporting_families_csv(client, insight):
    record_sustained_needs(insight, insight.families["E4"])
    client.force_login(insight.analyst)
    response = client.get(reverse("supporting-families-csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Family reference", "Latest episode", "Closed on"]
    assert rows[1][:3] == [str(insight.families["E4"].pk), "EP-T-4", "15/03/2026"]
    assert rows[1][-1] == "Yes"
    assert "Carter" not in response.content.decode()
    assert AccessRecord.objects.filter(user=insight.analyst, kind=AccessKind.EXPORT, family=None,
                                       what="Supporting Families list").exists()


# --- Recording a family's needs ---------------------------------------------------------------


def _form(**overrides) -> dict:
    data = {"need": "Rent arrears and an eviction notice", "in_family_plan": "yes",
            "improvement_evidence": "Arrears cleared; tenancy secure", "improved_on_0": "1", "improved_on_1": "5",
            "improved_on_2": "2026", "sustained": "yes", "sustained_checked_on_0": "6",
            "sustained_checked_on_1": "11", "sustained_checked_on_2": "2026"}
    return {**data, **overrides}


def test_a_manager_records_a_need_against_a_headline_outcome(client, insight):
    family = insight.families["E6"]
    client.force_login(insight.manager)
    page = client.get(reverse("supporting-families-family", kwargs={"family_id": family.pk})).content.decode()
    assert "Secure housing" in page and "Record a need" in page
    assert AccessRecord.objects.filter(user=insight.manager, family=family, what="Supporting Families outcomes").exists()
    url = reverse("supporting-families-need", kwargs={"family_id": family.pk, "outcome": "housing"})
    response = client.post(url, _form())
    assert response.status_code == 302
    need = FamilyOutcomeNeed.objects.get(family=family, headline_outcome=HeadlineOutcome.HOUSING)
    assert (need.in_family_plan, need.sustained, need.sustained_checked_on) == (True, True, date(2026, 11, 6))
    page = client.get(reverse("supporting-families-family", kwargs={"family_id": family.pk})).content.decode()
    assert "Rent arrears and an eviction notice" in page and "Yes, checked 6 Nov 2026" in page
    client.post(url, {"action": "remove"})
    assert not FamilyOutcomeNeed.objects.filter(family=family).exists()


def test_recording_errors_are_plain_and_nothing_is_saved(client, insight):
    family = insight.families["E6"]
    client.force_login(insight.manager)
    url = reverse("supporting-families-need", kwargs={"family_id": family.pk, "outcome": "housing"})
    html = client.post(url, _form(need="", sustained_checked_on_0="", sustained_checked_on_1="",
                                  sustained_checked_on_2="", improvement_evidence="")).content.decode()
    assert "Describe the family&#x27;s need under this headline outcome" in html
    assert "Enter the date you checked whether the improvement had lasted" in html
    assert "Describe the evidence of improvement before recording that it lasted" in html
    html = client.post(url, _form(improved_on_2="2099")).content.decode()
    assert "The date the improvement was seen cannot be in the future" in html
    assert not FamilyOutcomeNeed.objects.exists()


def test_recording_follows_need_to_know(client, insight):
    # The Carters are team B's: the team A manager may not open or record their outcomes.
    family = insight.families["E4"]
    client.force_login(insight.manager)
    assert client.get(reverse("supporting-families-family", kwargs={"family_id": family.pk})).status_code == 403
    url = reverse("supporting-families-need", kwargs={"family_id": family.pk, "outcome": "housing"})
    assert client.post(url, _form()).status_code == 403
    with pytest.raises(PermissionDenied):
        services.family_outcome_need_save(family=family, headline_outcome="housing", by=insight.manager,
                                          need="x", in_family_plan=True)
    # Team B's worker works with them.
    record = services.family_outcome_need_save(family=family, headline_outcome="housing", by=insight.worker_b,
                                               need="Arrears", in_family_plan=True)
    assert record.recorded_by == insight.worker_b
    assert not FamilyOutcomeNeed.objects.filter(recorded_by=insight.manager).exists()
