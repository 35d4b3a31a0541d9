"""Harm always overrides (DOMAIN §3): the front door hears of a concern of significant harm at once.

Raising a concern from a family page, and the warning on every page of the family until social
care decides, is in test_front_door.py."""

import pytest
from playwright.sync_api import expect

from earlyhelp.accounts.models import User

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.e2e


def test_the_front_door_is_notified_and_sees_the_concern(page, practitioners_family):
    from earlyhelp.frontdoor.harm import harm_referral_raise

    family = practitioners_family
    referral = harm_referral_raise(family=family, raised_by=User.objects.get(username="practitioner"),
                                   what_is_known="Ellie told her teacher that her mum's partner hit her.")
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
