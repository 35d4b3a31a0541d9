"""Harm always overrides (DOMAIN §3): when a request points to significant harm (exploitation, going missing,
injuries, sexual harm) and the professional answers "no", the triage and the checklist ask them to think again."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from earlyhelp.frontdoor import services
from earlyhelp.frontdoor.indicators import harm_kinds, harm_signals, request_harm_signals
from earlyhelp.frontdoor.models import ChecklistOutcome, HarmReferral, RequestStatus, TriageOutcome

from .factories import make_family, practitioner_request

EXPLOITATION = ("Ellie has been seen getting into cars with older men and comes home with new phones; "
                "school think she is being groomed.")


@pytest.fixture
def partner(demo_user):
    return demo_user("partner")


@pytest.fixture
def officer(demo_user):
    return demo_user("frontdoor")


@pytest.fixture
def family(partner):
    return make_family(practitioner=partner)


@pytest.mark.parametrize(("given", "kind"), [
    ({"concerns": ["exploitation"]}, "exploitation"),
    ({"concerns": ["missing"]}, "going missing"),
    ({"assessment_factors": ["24A"]}, "exploitation"),
    ({"assessment_factors": ["10A"]}, "going missing"),
    ({"assessment_factors": ["18C"]}, "injuries"),
    ({"assessment_factors": ["19C"]}, "sexual harm"),
    ({"assessment_factors": ["11A"]}, "sexual harm"),
    ({"indicators": ["child_injury_disclosure"]}, "injuries"),
    ({"indicators": ["child_missing_exploitation"]}, "going missing"),
    ({"text": "He is involved in county lines."}, "exploitation"),
    ({"text": "She went missing overnight twice this month."}, "going missing"),
    ({"text": "Bruising on his arms he would not explain."}, "injuries"),
    ({"text": "Sexual images of her were shared at school."}, "sexual harm"),
])
def test_rule_each_sign_of_harm_is_recognised_and_named_by_its_label(given, kind):
    signals = harm_signals(**given)
    assert harm_kinds(signals) == [kind]
    assert all(signal.because and signal.because not in ("24A", "10A", "18C", "19C", "11A") for signal in signals)


def test_rule_needs_below_harm_point_to_nothing():
    assert harm_signals(concerns=["sen", "young_carer"], assessment_factors=["4B", "20"],
                        indicators=["child_attendance_falling"],
                        text="Ellie is often late and tired; she is missing school on Mondays.") == []


def test_triage_with_signs_of_harm_and_no_harm_chosen_asks_to_think_again(partner, officer, family):
    support_request = practitioner_request(partner, family=family, concern_details=EXPLOITATION)
    assert harm_kinds(request_harm_signals(support_request)) == ["exploitation"]
    with pytest.raises(ValidationError) as asked:
        services.triage_decide(support_request=support_request, by=officer, outcome=TriageOutcome.EHA_NEEDED,
                               notes="School can support her.")
    assert "points to significant harm (exploitation)" in asked.value.message_dict["harm_reconsidered"][0]
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.AWAITING_TRIAGE  # nothing half-saved

    decided, referral = services.triage_decide(
        support_request=support_request, by=officer, outcome=TriageOutcome.EHA_NEEDED,
        notes="Police know; she is safe at home and wants help at school.", harm_reconsidered=True)
    decided.refresh_from_db()
    assert referral is None and decided.status == RequestStatus.AWAITING_ALLOCATION
    assert decided.triage_notes.startswith("Police know;")
    assert "Reconsidered the signs pointing to significant harm (exploitation)" in decided.triage_notes


def test_choosing_significant_harm_needs_no_second_thought(partner, officer, family):
    support_request = practitioner_request(partner, family=family, concern_details=EXPLOITATION)
    _, referral = services.triage_decide(support_request=support_request, by=officer,
                                         outcome=TriageOutcome.SIGNIFICANT_HARM, notes="Refer now.")
    assert isinstance(referral, HarmReferral)


def test_a_request_without_signs_of_harm_is_triaged_as_before(partner, officer, family):
    support_request = practitioner_request(partner, family=family)
    decided, _ = services.triage_decide(support_request=support_request, by=officer,
                                        outcome=TriageOutcome.EHA_NEEDED, notes="Needs more than school.")
    assert decided.triage_notes == "Needs more than school."


def test_the_checklist_asks_to_think_again_when_harm_is_answered_no(partner, family):
    support_request = practitioner_request(partner, family=family, assessment_factors=["10A"])
    answers = dict(support_request=support_request, completed_by=partner, existing_lead_professional_checked=True,
                   child_progressing_well=False, needs_met_by_own_service=False, other_statutory_assessment=False,
                   low_needs_single_agency=False, more_than_one_service_needed=True, harm_concern=False)
    with pytest.raises(ValidationError) as asked:
        services.checklist_complete(**answers)
    assert "going missing" in asked.value.message_dict["harm_reconsidered"][0]
    checklist = services.checklist_complete(**answers, harm_reconsidered=True)
    assert checklist.outcome == ChecklistOutcome.EHA_NEEDED
    assert "Reconsidered the signs pointing to significant harm (going missing)" in checklist.notes


def test_the_triage_page_lists_the_signs_and_explains_beside_the_question(client, partner, officer, family):
    support_request = practitioner_request(partner, family=family, concerns=["exploitation"],
                                           concern_details=EXPLOITATION)
    client.force_login(officer)
    url = reverse("request-triage", args=[support_request.pk])
    page = client.get(url).content.decode()
    signs = page.split('id="harm-signals"')[1].split("</div>")[0]
    assert "Is at risk of modern slavery, trafficking or exploitation" in signs and "“groomed”" in signs
    response = client.post(url, {"outcome": TriageOutcome.EHA_NEEDED, "notes": "School can help."})
    assert response.status_code == 422
    assert "Think again" in response.content.decode()
    response = client.post(url, {"outcome": TriageOutcome.EHA_NEEDED, "notes": "Police know and she is safe.",
                                 "harm_reconsidered": "on"})
    assert response.status_code == 302
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.AWAITING_ALLOCATION
