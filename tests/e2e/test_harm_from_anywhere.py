"""Harm from anywhere, in the browser (DOMAIN §3): a partner practitioner raises a concern of significant harm
straight from an "Already known?" result for a family outside their network, and the front door officer is
asked to think again before triaging a request that describes exploitation as "not significant harm"."""

from datetime import date

import pytest
from playwright.sync_api import expect

from earlyhelp.frontdoor.models import HarmReferral, RequestSource, RequestStatus

from .helpers import assert_accessible, save_screenshot, sign_in

pytestmark = pytest.mark.e2e


def _family_outside_every_network():
    from earlyhelp.accounts.models import Locality
    from earlyhelp.people.models import Family, FamilyMember, MemberRole, Person

    family = Family.objects.create(name="Quillfeather family", address="9 Lantern Row", postcode="ZZ99 4QF",
                                   locality=Locality.objects.order_by("pk").first())
    child = Person.objects.create(first_name="Tamsin", last_name="Quillfeather", date_of_birth=date(2013, 2, 17))
    FamilyMember.objects.create(family=family, person=child, role=MemberRole.CHILD)
    return family


def test_a_partner_raises_a_concern_from_a_result_outside_their_network(page, seeded_live):
    family = _family_outside_every_network()
    sign_in(page, "partner")
    page.goto("/already-known/")
    page.get_by_label("Name", exact=True).fill("Tamsin Quillfeather")
    page.get_by_role("button", name="Search").click()
    result = page.locator("[data-result]").first
    expect(result).to_contain_text("Known to the service")
    expect(result).not_to_contain_text("Quillfeather")  # nothing of a family they do not work with
    assert_accessible(page)
    save_screenshot(page, "already-known-raise-concern")

    result.get_by_role("link", name="Raise a concern of significant harm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concern of significant harm")
    expect(page.get_by_text("You are not working with this family")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Quillfeather")
    assert_accessible(page)
    page.get_by_label("What do you know?").fill("Tamsin told me an adult at home hits her and she is scared to go back.")
    page.get_by_role("button", name="Send to Children's Social Care now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concern sent to Children's Social Care")
    assert_accessible(page)
    referral = HarmReferral.objects.get(family=family)
    assert referral.raised_by.username == "partner"


def test_triage_asks_the_officer_to_think_again_when_the_request_describes_exploitation(page, seeded_live):
    from earlyhelp.frontdoor import services
    from tests.frontdoor.factories import make_family

    family = make_family(name="Ashdown", children=(("Kai", date(2011, 8, 3)),))
    support_request = services.request_create(
        source=RequestSource.SELF_REFERRAL, requester_name="Lee Ashdown", contact_phone="07700 900456",
        people=[services.PersonEntry("Kai", "Ashdown", date(2011, 8, 3))],
        concern_details="Kai comes home late with cash and a new phone; his friends say he is doing county lines.",
        family_agreement="yes",
    )
    support_request.family = family
    support_request.save(update_fields=["family"])

    sign_in(page, "frontdoor")
    page.goto(f"/requests/{support_request.pk}/triage/")
    signs = page.locator("#harm-signals")
    expect(signs).to_contain_text("Exploitation")
    expect(signs).to_contain_text("“county lines”")
    assert_accessible(page)

    page.get_by_label("An Early Help Assessment is needed: to the allocation meeting").check()
    page.get_by_label("Reasons for the decision").fill("Mum wants help with school; Kai denies it.")
    page.get_by_role("button", name="Record the triage decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The request points to significant harm (exploitation)")
    assert_accessible(page)
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.AWAITING_TRIAGE

    page.get_by_label("I have thought again about the signs of harm listed above").check()
    page.get_by_role("button", name="Record the triage decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Triage recorded")
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.AWAITING_ALLOCATION
    assert "Reconsidered the signs pointing to significant harm (exploitation)" in support_request.triage_notes
