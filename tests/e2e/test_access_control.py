"""Access control in the browser: break-glass with a reason; an administrator's "who has looked
at this child?"; lock-out after failed attempts; two-factor sign-in."""

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from earlyhelp.accounts.models import Role, User
from earlyhelp.audit.models import AccessKind, AccessRecord
from earlyhelp.frontdoor.models import Notification
from earlyhelp.people.access import user_can_see_family
from earlyhelp.people.models import Involvement

from .helpers import DEMO_PASSWORD, assert_accessible, sign_in
from .journeys import misspell

pytestmark = pytest.mark.e2e


def _led_child_outside(outsider: User):
    """A child the demo practitioner leads for, in a family the outsider does not work with."""
    leads = (
        Involvement.objects.filter(practitioner__username="practitioner", is_lead_professional=True,
                                   ended_on__isnull=True, person__last_name__regex=r"^[A-Za-z]{4,}$")
        .select_related("person").order_by("pk")
    )
    return next(lead.person for lead in leads
                if not user_can_see_family(outsider, lead.person.families.get().pk))


def test_break_glass_opens_a_family_outside_the_network_only_with_a_reason(page, seeded_live):
    school = User.objects.get(username="partner").agency
    outsider = User.objects.create_user(username="covering", password=DEMO_PASSWORD, role=Role.PARTNER_PRACTITIONER,
                                        first_name="Cora", last_name="Cover", agency=school)
    child = _led_child_outside(outsider)
    family = child.families.get()
    sign_in(page, "covering")
    page.goto("/already-known/")
    page.get_by_label("Name", exact=True).fill(f"{child.first_name} {misspell(child.last_name)}")
    page.get_by_role("button", name="Search").click()
    result = page.locator("[data-result][data-can-view=no]").first
    expect(result).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(family.name)
    result.get_by_text("You need to see this record now").click()
    assert_accessible(page)
    result.get_by_role("link", name="Open the record with break-glass access").click()

    # Without a reason nothing opens, and the page says why beside the field.
    expect(page.get_by_role("heading", name="Open a record you are not working with")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(family.name)
    page.get_by_role("button", name="Open the record").click()
    expect(page.locator("#reason-error")).to_be_visible()
    assert_accessible(page)
    assert not user_can_see_family(outsider, family.pk)

    reason = "Covering for the designated safeguarding lead: the child arrived at school with a bruise."
    page.get_by_label(f"Why do you need to see family record {family.pk}?").fill(reason)
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(family.name)
    assert_accessible(page)
    record = AccessRecord.objects.filter(user=outsider, family=family, kind=AccessKind.BREAK_GLASS).get()
    assert record.reason == reason
    assert Notification.objects.filter(message__contains="break-glass").filter(message__contains="Cora Cover").exists()


def test_an_administrator_sees_who_has_looked_at_a_childs_record_and_downloads_it(page, seeded_live, tmp_path):
    practitioner = User.objects.get(username="practitioner")
    child = Involvement.objects.filter(practitioner=practitioner, is_lead_professional=True,
                                       ended_on__isnull=True).select_related("person").order_by("pk")[0].person
    sign_in(page, "practitioner")
    page.goto(f"/families/{child.families.get().pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "admin")
    page.get_by_role("link", name="Audit").first.click()
    page.get_by_label("Name or NHS number").fill(f"{child.first_name} {child.last_name}")
    page.get_by_role("button", name="Search").click()
    assert_accessible(page)
    page.locator("#audit-results").get_by_role("link", name=child.full_name).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Who has looked at")
    expect(page.locator("main table")).to_contain_text(practitioner.get_full_name())
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a spreadsheet (CSV)").click()
    path = tmp_path / "access.csv"
    download.value.save_as(path)
    assert practitioner.get_full_name() in path.read_text()


def test_repeated_wrong_passwords_lock_the_account(page, seeded_live, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(page, "adviser", password="wrong-password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked")
    assert_accessible(page)
    # The right password does not help while the lock lasts.
    sign_in(page, "adviser")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked")


def _current_code(username: str) -> str:
    device = TOTPDevice.objects.get(user__username=username)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@override_settings(EARLYHELP_REQUIRE_TWO_FACTOR=True)
def test_two_factor_is_set_up_then_asked_for_at_every_sign_in(page, seeded_live):
    sign_in(page, "practitioner")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Security code").fill("000000" if _current_code("practitioner") != "000000" else "111111")
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.locator("#id_code-error")).to_contain_text("That code is not right")
    assert_accessible(page)
    page.wait_for_timeout(1100)  # django-otp slows down guessing: 1 second after a wrong code

    page.get_by_label("Security code").fill(_current_code("practitioner"))
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "practitioner")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_accessible(page)
    page.goto("/")  # nothing is reachable before the code
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    # A code is accepted once only; let this sign-in be in a later 30-second step.
    TOTPDevice.objects.filter(user__username="practitioner").update(last_t=-1)
    code = _current_code("practitioner")
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")


@override_settings(EARLYHELP_REQUIRE_TWO_FACTOR=True)
def test_an_administrator_gives_a_second_factor_before_the_audit_trail_merging_and_admin(page, seeded_live):
    sign_in(page, "admin")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Set up two-factor authentication")
    for path in ("/audit/", "/people/merge/", "/admin/"):
        page.goto(path)
        expect(heading).to_have_text("Set up two-factor authentication")
    page.get_by_label("Security code").fill(_current_code("admin"))
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", name="Organisations, teams and staff")).to_be_visible()
