"""Triage at the front door and the allocation meeting (the Vulnerable Children's Meeting)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role, Team, TeamKind, User
from earlyhelp.frontdoor import selectors, services
from earlyhelp.frontdoor.models import (
    AllocationDecision,
    AllocationOutcome,
    HarmReferral,
    Notification,
    RequestStatus,
    TriageOutcome,
)
from earlyhelp.people.access import user_can_see_family
from earlyhelp.people.models import FamilyMember, MemberRole
from earlyhelp.web.refusals import Refused

from .factories import make_family, practitioner_request, self_referral


@pytest.fixture
def partner(demo_user):
    return demo_user("partner")


@pytest.fixture
def officer(demo_user):
    return demo_user("frontdoor")


@pytest.fixture
def family(partner):
    return make_family(practitioner=partner)


def _decide(support_request, officer, outcome, notes="Spoke to school and mum.", **kwargs):
    return services.triage_decide(support_request=support_request, by=officer, outcome=outcome, notes=notes, **kwargs)


# Triage ---------------------------------------------------------------------------------------------


def test_an_assessment_needed_goes_to_the_allocation_meeting_with_who_when_and_why(partner, officer, family):
    support_request = practitioner_request(partner, family=family)
    decided, referral = _decide(support_request, officer, TriageOutcome.EHA_NEEDED)
    decided.refresh_from_db()
    assert referral is None
    assert decided.status == RequestStatus.AWAITING_ALLOCATION
    assert decided.triage_outcome == TriageOutcome.EHA_NEEDED
    assert decided.triaged_by == officer and decided.triaged_at is not None
    assert decided.triage_notes == "Spoke to school and mum."
    assert Notification.objects.filter(recipient=partner, message__contains=decided.reference).exists()


@pytest.mark.parametrize(("outcome", "status"), [
    (TriageOutcome.SINGLE_AGENCY, RequestStatus.SINGLE_AGENCY),
    (TriageOutcome.UNIVERSAL, RequestStatus.UNIVERSAL),
])
def test_low_needs_close_at_triage_without_a_family(officer, outcome, status):
    decided, _ = _decide(self_referral(), officer, outcome)
    assert decided.status == status


def test_referring_elsewhere_names_the_service(officer):
    support_request = self_referral()
    with pytest.raises(ValidationError) as error:
        _decide(support_request, officer, TriageOutcome.REFER_ELSEWHERE)
    assert "referred_to" in error.value.message_dict
    decided, _ = _decide(support_request, officer, TriageOutcome.REFER_ELSEWHERE, referred_to="CAMHS")
    assert decided.status == RequestStatus.REFERRED_ELSEWHERE and decided.referred_to == "CAMHS"


def test_a_triage_decision_needs_reasons_and_an_assessment_needs_a_family(officer):
    support_request = self_referral()
    with pytest.raises(ValidationError) as error:
        _decide(support_request, officer, TriageOutcome.UNIVERSAL, notes=" ")
    assert "notes" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _decide(support_request, officer, TriageOutcome.EHA_NEEDED)
    assert "outcome" in error.value.message_dict
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.AWAITING_TRIAGE and support_request.triaged_at is None


def test_a_concern_of_significant_harm_goes_to_childrens_social_care_at_once(partner, officer, family):
    support_request = practitioner_request(partner, family=family)
    decided, referral = _decide(support_request, officer, TriageOutcome.SIGNIFICANT_HARM,
                                notes="School reports a bruise and Ellie is scared to go home.")
    assert decided.status == RequestStatus.SOCIAL_CARE
    assert isinstance(referral, HarmReferral) and referral.request == decided and referral.family == family
    assert referral.is_awaiting_decision and referral.raised_by == officer
    assert list(referral.children.all()) == [family.kids[0]]
    assert "bruise" in referral.what_is_known


def test_a_request_is_triaged_once_and_only_by_the_front_door(partner, officer, demo_user):
    support_request = self_referral()
    with pytest.raises(PermissionDenied):
        _decide(support_request, partner, TriageOutcome.UNIVERSAL)
    # Team managers do not triage: requests waiting for triage are the front door's.
    with pytest.raises(PermissionDenied):
        _decide(support_request, demo_user("manager"), TriageOutcome.SINGLE_AGENCY)
    _decide(support_request, officer, TriageOutcome.UNIVERSAL)
    with pytest.raises((Refused, PermissionDenied)):
        _decide(support_request, officer, TriageOutcome.SINGLE_AGENCY)


def test_the_front_door_creates_the_family_from_the_request(officer):
    support_request = self_referral(address="1 Test Street", postcode="ZZ99 3CZ", people=[
        services.PersonEntry("Ellie", "Marsh", date(2015, 3, 9)),
        services.PersonEntry("Kerry", "Marsh", date(1988, 6, 1), relationship="Mum", is_child=False),
        services.PersonEntry("Dave", "Jones", None, relationship="Stepdad", is_child=False),
    ])
    family = services.request_family_create(support_request=support_request, by=officer)
    support_request.refresh_from_db()
    assert support_request.family == family and family.name == "Marsh family" and family.postcode == "ZZ99 3CZ"
    roles = {m.person.first_name: m.role for m in FamilyMember.objects.filter(family=family).select_related("person")}
    assert roles == {"Ellie": MemberRole.CHILD, "Kerry": MemberRole.PARENT, "Dave": MemberRole.STEP_PARENT}
    assert all(row.person_id for row in support_request.people.all())
    assert user_can_see_family(officer, family.pk)
    with pytest.raises(ValidationError):
        services.request_family_create(support_request=support_request, by=officer)


def test_the_front_door_finds_a_known_family_from_a_misspelt_name_and_links_it(partner, officer, family):
    support_request = self_referral()
    candidates = selectors.family_candidates(officer, support_request, name="Elie Marsch", date_of_birth=date(2015, 3, 9))
    assert family.pk in [candidate.family.pk for candidate in candidates]
    assert selectors.family_candidates(officer, support_request, name="Zebedee Quist",
                                       date_of_birth=date(2015, 3, 9)) == []
    services.request_family_link(support_request=support_request, family=family, by=officer)
    support_request.refresh_from_db()
    assert support_request.family == family
    assert support_request.people.get().person == family.kids[0]


def test_only_the_front_door_searches_for_families(partner):
    with pytest.raises(PermissionDenied):
        selectors.family_candidates(partner, self_referral(), name="Ellie Marsh", date_of_birth=None)


def test_triage_on_the_page_links_the_family_and_decides(officer, family, client):
    support_request = self_referral()
    client.force_login(officer)
    triage_url = reverse("request-triage", kwargs={"request_id": support_request.pk})
    page = client.get(triage_url, {"search-name": "Ellie Marsh", "search-date_of_birth_0": "9",
                                    "search-date_of_birth_1": "3", "search-date_of_birth_2": "2015"}).content.decode()
    assert "Marsh family" in page and 'name="family"' in page
    client.post(reverse("request-family-link", kwargs={"request_id": support_request.pk}), {"family": family.pk})
    response = client.post(triage_url, {"outcome": "eha_needed", "notes": ""})
    assert "Explain the reasons for the decision" in response.content.decode()
    response = client.post(triage_url, {"outcome": "eha_needed", "notes": "Several services needed"})
    assert response.status_code == 302 and response["Location"] == reverse("front-door")
    again = client.post(triage_url, {"outcome": "universal", "notes": "Sent again from the open page"})
    assert again.status_code == 409 and "This request has already been triaged" in again.content.decode()
    support_request.refresh_from_db()
    assert support_request.family == family and support_request.status == RequestStatus.AWAITING_ALLOCATION


def test_only_a_family_the_search_offered_can_be_linked(officer, client):
    support_request = self_referral()
    unrelated = make_family(name="Unrelated", children=(("Zara", date(2012, 1, 1)),))
    client.force_login(officer)
    client.post(reverse("request-family-link", kwargs={"request_id": support_request.pk}), {"family": unrelated.pk})
    support_request.refresh_from_db()
    assert support_request.family is None
    assert not user_can_see_family(officer, unrelated.pk)


def test_only_the_front_door_opens_the_triage_page(partner, client):
    support_request = practitioner_request(partner)
    client.force_login(partner)
    assert client.get(reverse("request-triage", kwargs={"request_id": support_request.pk})).status_code == 403


# The allocation meeting ------------------------------------------------------------------------------


@pytest.fixture
def waiting(partner, officer, family):
    support_request = practitioner_request(partner, family=family)
    decided, _ = _decide(support_request, officer, TriageOutcome.EHA_NEEDED)
    return decided


@pytest.fixture
def meeting(officer, demo_user):
    return services.meeting_create(held_on=timezone.localdate(), chair=demo_user("manager"), created_by=officer,
                                   attendees="Hub officer\nSchool nurse")


def test_a_meeting_has_a_chair_who_can_chair_it(officer, demo_user):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(held_on=timezone.localdate(), chair=demo_user("partner"), created_by=officer)
    assert "chair" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.meeting_create(held_on=timezone.localdate() + timedelta(days=400), chair=demo_user("manager"),
                                created_by=officer)
    assert "held_on" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.meeting_create(held_on=timezone.localdate(), chair=demo_user("manager"),
                                created_by=demo_user("practitioner"))


def test_allocating_to_a_practitioner_allocates_the_request_and_tells_them(waiting, meeting, officer, demo_user):
    worker = demo_user("practitioner")
    decision = services.allocation_decide(
        meeting=meeting, support_request=waiting, decided_by=officer,
        outcome=AllocationOutcome.ALLOCATE_PRACTITIONER, practitioner=worker, reasons="Knows the school",
    )
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.ALLOCATED
    assert decision.practitioner == worker and decision.reasons == "Knows the school"
    assert decision.team == worker.teams.get(kind=TeamKind.LOCALITY_EARLY_HELP)
    assert Notification.objects.filter(recipient=worker, message__contains=waiting.reference).exists()
    assert user_can_see_family(worker, waiting.family_id)


def test_only_an_early_help_practitioner_or_adviser_is_allocated(waiting, meeting, officer, demo_user):
    for username in ("partner", "socialworker", "manager"):
        with pytest.raises(ValidationError) as error:
            services.allocation_decide(meeting=meeting, support_request=waiting, decided_by=officer,
                                       outcome=AllocationOutcome.ALLOCATE_PRACTITIONER,
                                       practitioner=demo_user(username), reasons="Because")
        assert "practitioner" in error.value.message_dict
    services.allocation_decide(meeting=meeting, support_request=waiting, decided_by=officer,
                               outcome=AllocationOutcome.ALLOCATE_PRACTITIONER,
                               practitioner=demo_user("adviser"), reasons="Because")


@pytest.mark.parametrize(("outcome", "extra", "status"), [
    (AllocationOutcome.ALLOCATE_TEAM, "team", RequestStatus.ALLOCATED),
    (AllocationOutcome.REFER_ELSEWHERE, {"other_service": "Young Carers Project"}, RequestStatus.REFERRED_ELSEWHERE),
    (AllocationOutcome.NO_ACTION_NOW, {}, RequestStatus.NO_ACTION_NOW),
])
def test_each_decision_changes_the_status(waiting, meeting, officer, outcome, extra, status):
    if extra == "team":
        extra = {"team": Team.objects.filter(kind=TeamKind.LOCALITY_EARLY_HELP).first()}
    services.allocation_decide(meeting=meeting, support_request=waiting, decided_by=officer, outcome=outcome,
                               reasons="Discussed at the meeting", **extra)
    waiting.refresh_from_db()
    assert waiting.status == status
    assert AllocationDecision.objects.get(request=waiting).outcome == outcome


@pytest.mark.parametrize(("outcome", "field"), [
    (AllocationOutcome.ALLOCATE_TEAM, "team"),
    (AllocationOutcome.ALLOCATE_PRACTITIONER, "practitioner"),
    (AllocationOutcome.REFER_ELSEWHERE, "other_service"),
    ("", "outcome"),
])
def test_every_decision_needs_reasons_and_its_details(waiting, meeting, officer, outcome, field):
    with pytest.raises(ValidationError) as error:
        services.allocation_decide(meeting=meeting, support_request=waiting, decided_by=officer, outcome=outcome,
                                   reasons="")
    assert {"reasons", field} <= set(error.value.message_dict)
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.AWAITING_ALLOCATION
    assert not AllocationDecision.objects.filter(request=waiting).exists()


def test_a_decision_is_for_a_request_waiting_for_the_meeting_at_a_meeting_that_has_happened(
        waiting, meeting, officer, demo_user, partner):
    later = services.meeting_create(held_on=timezone.localdate() + timedelta(days=7), chair=demo_user("manager"),
                                    created_by=officer)
    with pytest.raises(ValidationError):
        services.allocation_decide(meeting=later, support_request=waiting, decided_by=officer,
                                   outcome=AllocationOutcome.NO_ACTION_NOW, reasons="Not yet")
    untriaged = practitioner_request(partner)
    with pytest.raises(Refused):
        services.allocation_decide(meeting=meeting, support_request=untriaged, decided_by=officer,
                                   outcome=AllocationOutcome.NO_ACTION_NOW, reasons="Too early")


def test_the_meeting_on_the_page(waiting, officer, demo_user, client):
    client.force_login(officer)
    today = timezone.localdate()
    response = client.post(reverse("allocation-meetings"), {
        "held_on_0": str(today.day), "held_on_1": str(today.month), "held_on_2": str(today.year),
        "chair": demo_user("manager").pk, "attendees": "Hub\nSchool nurse",
    })
    assert response.status_code == 302
    meeting_page = client.get(response["Location"]).content.decode()
    assert waiting.reference in meeting_page
    meeting_id = int(response["Location"].rstrip("/").split("/")[-1])
    decide_url = reverse("allocation-decision-create", kwargs={"meeting_id": meeting_id, "request_id": waiting.pk})
    response = client.post(decide_url, {"outcome": "allocate_practitioner", "reasons": "Capacity"})
    assert "Choose the practitioner the family is allocated to" in response.content.decode()
    worker = demo_user("practitioner")
    response = client.post(decide_url, {"outcome": "allocate_practitioner", "practitioner": worker.pk,
                                        "reasons": "Capacity"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.ALLOCATED
    assert f'data-decision="{waiting.reference}"' in client.get(response["Location"]).content.decode()


def test_a_meeting_date_that_is_not_a_date_is_explained(officer, demo_user, client):
    client.force_login(officer)
    response = client.post(reverse("allocation-meetings"), {
        "held_on_0": "31", "held_on_1": "2", "held_on_2": "2026", "chair": demo_user("manager").pk,
    })
    assert "The date of the meeting must be a real date" in response.content.decode()


def test_people_outside_the_front_door_cannot_run_the_meeting(demo_user, client):
    client.force_login(demo_user("practitioner"))
    assert client.get(reverse("allocation-meetings")).status_code == 403
    assert User.objects.filter(role=Role.TEAM_MANAGER).exists()


def test_the_front_door_records_the_census_factors_at_triage_by_their_labels(officer, family, client):
    support_request = self_referral()
    client.force_login(officer)
    client.get(reverse("request-triage", kwargs={"request_id": support_request.pk}),
               {"search-name": "Ellie Marsh"})
    client.post(reverse("request-family-link", kwargs={"request_id": support_request.pk}), {"family": family.pk})
    triage_url = reverse("request-triage", kwargs={"request_id": support_request.pk})
    page = client.get(triage_url).content.decode()
    assert "Young carer" in page and "(7A)" not in page  # labels shown, codes stored
    response = client.post(triage_url, {"outcome": "eha_needed", "notes": "Caring for mum",
                                        "factors_care": ["7A"], "factors_health": ["6B"]})
    assert response.status_code == 302
    support_request.refresh_from_db()
    assert support_request.assessment_factors == ["6B", "7A"]
    refused = client.post(reverse("request-triage", kwargs={"request_id": self_referral().pk}),
                          {"outcome": "universal", "notes": "Words", "factors_care": ["99Z"]})
    assert refused.status_code == 422 and "Select assessment factors from the list" in refused.content.decode()
