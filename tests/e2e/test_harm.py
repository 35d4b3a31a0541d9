"""Harm always overrides (DOMAIN §3): a practitioner raises a concern of significant harm from a
family page; every page of the family warns until a social worker records the decision."""

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from earlyhelp.accounts.models import Locality, User
from earlyhelp.frontdoor.models import HarmReferral
from earlyhelp.people.access import families_visible_to
from earlyhelp.people.models import CHILD_ROLES

from .helpers import assert_accessible, save_screenshot, sign_in

pytestmark = pytest.mark.e2e

WHAT_IS_KNOWN = "Ellie told her teacher this morning that her mum's partner hit her; she has a mark on her neck."


def _family_for(practitioner):
    """A family the practitioner works with, with children and no concern already waiting.

    Taken from the seed when it has one; otherwise built here.
    """
    family = (
        families_visible_to(practitioner)
        .filter(memberships__role__in=CHILD_ROLES, memberships__left_on__isnull=True)
        .exclude(harm_referrals__decided_at__isnull=True)
        .order_by("pk")
        .first()
    )
    if family is not None:
        return family
    from tests.frontdoor.test_harm import make_family

    return make_family(locality=Locality.objects.order_by("pk").first(), practitioner=practitioner)


def _family_pages(family) -> list[str]:
    """Pages of the family besides the concern form: its family page and a request of it, if any."""
    pages = []
    support_request = family.requests.order_by("pk").first()
    for name, kwargs in (
        ("family-detail", {"family_id": family.pk}),
        ("request-detail", {"request_id": support_request.pk} if support_request else None),
    ):
        if kwargs is None:
            continue
        try:
            pages.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            continue
    return pages


def _expect_warning(page, shown: bool) -> None:
    banner = page.get_by_role("region", name="Concern of significant harm")
    if shown:
        expect(banner).to_be_visible()
        expect(banner).to_contain_text("waiting for Children's Social Care's decision")
        expect(banner).to_contain_text("Tom Fletcher")
    else:
        expect(banner).to_have_count(0)


def test_a_concern_of_significant_harm_warns_on_every_family_page_until_social_care_decides(page, seeded_live):
    practitioner = User.objects.get(username="practitioner")
    family = _family_for(practitioner)
    family_pages = _family_pages(family)
    create_url = reverse("harm-referral-create", kwargs={"family_id": family.pk})

    sign_in(page, "practitioner")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    if family_pages:
        page.goto(family_pages[0])
        _expect_warning(page, shown=False)
        assert_accessible(page)
        page.get_by_role("link", name="Concern of significant harm").first.click()
    else:
        page.goto(create_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Concern of significant harm")
    assert_accessible(page)

    # Nothing typed: a clear message beside the field and in the summary, nothing sent.
    page.get_by_role("button", name="Send to Children's Social Care now").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what you know about the concern")
    expect(page.locator("#id_what_is_known").locator("xpath=..")).to_contain_text("Enter what you know about the concern")
    assert not HarmReferral.objects.filter(family=family, decided_at__isnull=True).exists()
    assert_accessible(page)

    page.get_by_label("What do you know?").fill(WHAT_IS_KNOWN)
    page.get_by_role("button", name="Send to Children's Social Care now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concern sent to Children's Social Care")
    referral = HarmReferral.objects.get(family=family, decided_at__isnull=True)
    reference = f"HR-{referral.pk:06d}"
    expect(page.locator(".govuk-panel")).to_contain_text(reference)
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.locator("main")).to_contain_text("01632 960000")
    assert_accessible(page)
    save_screenshot(page, "harm-concern-sent")

    # Every page of the family now warns: the family's own pages, the concern form and the referral.
    detail_url = reverse("harm-referral-detail", kwargs={"referral_id": referral.pk})
    for url in [*family_pages, create_url, detail_url]:
        page.goto(url)
        _expect_warning(page, shown=True)
        assert_accessible(page)
    save_screenshot(page, "harm-warning-on-family-page")

    # Children's Social Care decides.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "socialworker")
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals and step-downs")
    assert_accessible(page)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Concern of significant harm {reference}")
    expect(page.locator("main")).to_contain_text(WHAT_IS_KNOWN)
    _expect_warning(page, shown=True)
    assert_accessible(page)

    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the decision")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reasons for the decision")
    assert_accessible(page)

    page.get_by_label("Section 47 enquiry").check()
    page.get_by_label("Reasons for the decision").fill("Strategy discussion held with police; visiting today.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision recorded: Section 47 enquiry")
    _expect_warning(page, shown=False)
    assert_accessible(page)
    save_screenshot(page, "harm-decision-recorded")

    # The warning has gone from every page of the family.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "practitioner")
    for url in [*family_pages, create_url, detail_url]:
        page.goto(url)
        _expect_warning(page, shown=False)
        assert_accessible(page)
    # The referrer was told of the decision.
    page.get_by_role("link", name="Notifications").click()
    expect(page.locator("#notifications")).to_contain_text(f"{reference}: Section 47 enquiry")
    assert_accessible(page)


def test_the_front_door_is_notified_and_sees_the_concern(page, seeded_live):
    from earlyhelp.frontdoor.harm import harm_referral_raise

    practitioner = User.objects.get(username="practitioner")
    family = _family_for(practitioner)
    referral = harm_referral_raise(family=family, raised_by=practitioner, what_is_known=WHAT_IS_KNOWN)
    reference = f"HR-{referral.pk:06d}"

    sign_in(page, "frontdoor")
    expect(page.get_by_role("heading", level=1)).to_have_text("Front door")
    expect(page.locator("#harm-awaiting")).to_contain_text(reference)
    expect(page.locator("[data-unread-notifications]")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.locator("#notifications")).to_contain_text(family.name)
    assert_accessible(page)
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("[data-unread-notifications]")).to_have_count(0)
    page.get_by_role("link", name="Harm referrals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Concerns of significant harm")
    expect(page.locator("#harm-awaiting")).to_contain_text(reference)
    assert_accessible(page)
