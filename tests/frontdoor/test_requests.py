"""Requests for support: reference, triage due date, the family's agreement, who may ask and who may see."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from earlyhelp.accounts.models import Role, User
from earlyhelp.frontdoor import selectors
from earlyhelp.frontdoor.models import (
    FamilyAgreement,
    Notification,
    RequestForSupport,
    RequestStatus,
)

from .factories import CHILD, PARENT, london, make_family, practitioner_request, self_referral


@pytest.fixture
def partner(demo_user):
    return demo_user("partner")


# Reference and triage due date -------------------------------------------------------------------


def test_every_request_gets_a_unique_reference_numbered_within_its_year(partner):
    RequestForSupport.objects.filter(reference__startswith="EH-2031-").delete()
    first = practitioner_request(partner, submitted_at=london(2031, 3, 3))
    second = self_referral(submitted_at=london(2031, 3, 4))
    earlier_year = practitioner_request(partner, submitted_at=london(2030, 12, 30))
    assert first.reference == "EH-2031-000001"
    assert second.reference == "EH-2031-000002"
    assert earlier_year.reference.startswith("EH-2030-")
    assert len({first.reference, second.reference, earlier_year.reference}) == 3


def test_a_new_request_waits_for_triage_with_its_submission_time(partner):
    submitted = london(2026, 5, 12, 9, 30)
    support_request = practitioner_request(partner, submitted_at=submitted)
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.AWAITING_TRIAGE
    assert support_request.submitted_at == submitted
    assert support_request.triaged_at is None
    assert support_request.requester_agency == partner.agency
    assert support_request.requester_name == partner.get_full_name()


def test_triage_is_due_the_next_working_day_after_a_weekend(partner):
    friday = practitioner_request(partner, submitted_at=london(2026, 5, 15, 16, 0))
    saturday = practitioner_request(partner, submitted_at=london(2026, 5, 16, 11, 0))
    assert friday.triage_due_on == date(2026, 5, 18)  # Monday
    assert saturday.triage_due_on == date(2026, 5, 18)


def test_triage_due_date_skips_a_bank_holiday(partner):
    # Monday 25 May 2026 is the spring bank holiday.
    support_request = practitioner_request(partner, submitted_at=london(2026, 5, 22, 15, 0))
    assert support_request.triage_due_on == date(2026, 5, 26)


def test_triage_due_date_follows_the_authority_setting(partner, settings):
    settings.EARLYHELP_TRIAGE_WORKING_DAYS = 3
    support_request = practitioner_request(partner, submitted_at=london(2026, 5, 21, 10, 0))  # Thursday
    # Friday 22, (bank holiday Monday 25), Tuesday 26, Wednesday 27.
    assert support_request.triage_due_on == date(2026, 5, 27)


def test_every_front_door_officer_is_told_of_a_new_request(partner):
    officers = set(User.objects.filter(role=Role.FRONT_DOOR_OFFICER, is_active=True).values_list("pk", flat=True))
    assert officers
    support_request = practitioner_request(partner)
    url = reverse("request-detail", kwargs={"request_id": support_request.pk})
    told = Notification.objects.filter(url=url)
    assert set(told.values_list("recipient_id", flat=True)) == officers
    assert support_request.reference in told.first().message


# What a request must say ----------------------------------------------------------------------------


@pytest.mark.parametrize("agreement", [FamilyAgreement.KNOWS_NOT_AGREED, FamilyAgreement.NOT_TOLD])
def test_a_family_that_has_not_agreed_needs_a_reason_and_nothing_is_saved(partner, agreement):
    before = RequestForSupport.objects.count()
    with pytest.raises(ValidationError) as error:
        practitioner_request(partner, family_agreement=agreement, no_agreement_reason="  ")
    assert "no_agreement_reason" in error.value.message_dict
    assert RequestForSupport.objects.count() == before
    saved = practitioner_request(partner, family_agreement=agreement, no_agreement_reason="Mum wants to think")
    assert saved.no_agreement_reason == "Mum wants to think"


def test_the_reason_is_not_kept_when_the_family_agrees(partner):
    saved = practitioner_request(partner, family_agreement=FamilyAgreement.YES, no_agreement_reason="left over")
    assert saved.no_agreement_reason == ""


def test_a_request_names_at_least_one_child_and_describes_the_concern(partner):
    with pytest.raises(ValidationError) as error:
        practitioner_request(partner, people=[PARENT], concern_details="")
    assert {"children", "concern_details"} <= set(error.value.message_dict)


def test_concerns_and_factors_come_from_the_national_lists(partner):
    with pytest.raises(ValidationError) as error:
        practitioner_request(partner, concerns=["made_up"], assessment_factors=["99Z"])
    assert {"concerns", "assessment_factors"} <= set(error.value.message_dict)


def test_only_practitioners_who_work_with_families_can_ask(demo_user):
    with pytest.raises(PermissionDenied):
        practitioner_request(demo_user("analyst"))
    with pytest.raises(PermissionDenied):
        practitioner_request(demo_user("frontdoor"))


def test_a_request_from_a_family_page_links_the_family_and_its_people(partner):
    family = make_family(practitioner=partner)
    support_request = practitioner_request(partner, family=family)
    assert support_request.family == family
    people = {row.first_name: row.person for row in support_request.people.all()}
    assert people == {"Ellie": family.kids[0], "Kerry": family.parent}


def test_a_request_cannot_be_started_from_a_family_the_user_does_not_work_with(partner):
    stranger_family = make_family(name="Stranger")
    with pytest.raises(PermissionDenied):
        practitioner_request(partner, family=stranger_family)


# Who may see a request ---------------------------------------------------------------------------------


def test_the_requester_and_the_front_door_see_an_open_request_and_others_do_not(partner, demo_user, client):
    support_request = practitioner_request(partner)
    url = reverse("request-detail", kwargs={"request_id": support_request.pk})
    for username, status in (("partner", 200), ("frontdoor", 200), ("manager", 403), ("practitioner", 403),
                             ("socialworker", 403), ("analyst", 403)):
        client.force_login(demo_user(username))
        assert client.get(url).status_code == status, username


def test_the_front_door_no_longer_sees_a_closed_request_unless_it_can_see_the_family(partner, demo_user):
    support_request = practitioner_request(partner)
    officer = demo_user("frontdoor")
    support_request.status = RequestStatus.UNIVERSAL
    support_request.save(update_fields=["status"])
    assert not selectors.request_can_view(officer, support_request)
    assert selectors.request_can_view(partner, support_request)


def test_whoever_can_see_the_family_can_see_its_request(partner, demo_user):
    worker = demo_user("practitioner")
    family = make_family(practitioner=worker, name="Network")
    support_request = practitioner_request(worker, family=family)
    colleague_partner = partner
    assert not selectors.request_can_view(colleague_partner, support_request)
    from earlyhelp.people.models import Involvement

    Involvement.objects.create(person=family.kids[0], agency=partner.agency, practitioner=partner)
    assert selectors.request_can_view(partner, support_request)


def test_viewing_a_request_is_written_to_the_audit_trail(partner, client):
    from earlyhelp.audit.models import AccessRecord

    support_request = practitioner_request(partner)
    client.force_login(partner)
    client.get(reverse("request-detail", kwargs={"request_id": support_request.pk}))
    assert AccessRecord.objects.filter(user=partner, what__contains=support_request.reference).exists()


# The practitioner's question pages: tests/frontdoor/test_request_pages.py ---------------------------


def test_your_requests_lists_the_requests_you_made(partner, client):
    support_request = practitioner_request(partner, people=[CHILD])
    client.force_login(partner)
    page = client.get(reverse("requests-mine")).content.decode()
    assert support_request.reference in page
