"""Signing in as each role, landing on that role's home page, and the service's common pages."""

import pytest
from playwright.sync_api import expect

from earlyhelp.accounts.demo import DEMO_ACCOUNTS
from earlyhelp.accounts.models import Role

from .helpers import assert_accessible, save_screenshot, sign_in

pytestmark = pytest.mark.e2e

HOME_HEADINGS = {
    Role.PARTNER_PRACTITIONER: "Your work",
    Role.EARLY_HELP_PRACTITIONER: "My work",
    Role.EARLY_HELP_ADVISER: "Assessments and meetings",
    Role.TEAM_MANAGER: "Your team",
    Role.FRONT_DOOR_OFFICER: "Front door",
    Role.SOCIAL_WORKER: "Referrals and step-downs",
    Role.PERFORMANCE_ANALYST: "Service overview",
    Role.ADMINISTRATOR: "Administration",
}


def test_sign_in_page_lists_one_demo_account_per_role(page, seeded_live):
    page.goto("/")
    assert page.url.endswith("/sign-in/?next=/")
    expect(page.get_by_role("heading", name="Sign in to Early Help")).to_be_visible()
    rows = page.locator("#demo-accounts tbody tr")
    expect(rows).to_have_count(len(Role))
    for account in DEMO_ACCOUNTS:
        expect(page.locator("#demo-accounts")).to_contain_text(account.role.label)
        expect(page.locator("#demo-accounts")).to_contain_text(account.username)
    assert_accessible(page)


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda account: account.username)
def test_each_demo_account_signs_in_to_its_home_page(page, seeded_live, account):
    sign_in(page, account.username)
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADINGS[account.role])
    expect(page.locator(".eh-signed-in-as")).to_contain_text(f"{account.first_name} {account.last_name}")
    expect(page.locator(".eh-signed-in-as")).to_contain_text(account.role.label.lower())
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    admin_links = nav.get_by_role("link", name="Administration")
    expect(admin_links).to_have_count(1 if account.role == Role.ADMINISTRATOR else 0)
    assert_accessible(page)
    save_screenshot(page, f"home-{account.username}")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    assert_accessible(page)
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in to Early Help")).to_be_visible()


def test_wrong_password_is_explained_and_the_username_kept(page, seeded_live):
    sign_in(page, "practitioner", password="not-the-password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(page.get_by_label("Username")).to_have_value("practitioner")
    expect(page).to_have_title("Error: Sign in – Early Help – Demo County Council")
    assert_accessible(page)


def test_missing_fields_are_named_beside_each_field(page, seeded_live):
    page.goto("/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#id_username-error")).to_contain_text("Enter your username")
    expect(page.locator("#id_password-error")).to_contain_text("Enter your password")
    summary_link = page.locator(".govuk-error-summary").get_by_role("link", name="Enter your username")
    summary_link.click()
    expect(page.get_by_label("Username")).to_be_focused()
    assert_accessible(page)


def test_manager_home_lists_the_people_in_the_team(page, seeded_live, django_user_model):
    sign_in(page, "manager")
    table = page.locator("#colleagues")
    expect(table).to_contain_text("Tom Fletcher")
    expect(table).to_contain_text("Grace Okafor")
    # The seed gives the demo team late work: it is listed, most overdue first.
    expect(page.locator("#late-work")).to_contain_text("Overdue")
    save_screenshot(page, "home-manager")


def test_missing_page_uses_the_service_layout(page, seeded_live):
    sign_in(page, "practitioner")
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("navigation", name="Menu")).to_be_visible()
    assert_accessible(page)


def test_administrator_reaches_django_admin_and_others_do_not(page, seeded_live):
    sign_in(page, "practitioner")
    response = page.goto("/admin/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have permission to see this page")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "admin")
    page.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", name="Organisations, teams and staff")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Teams").first.click()
    expect(page.locator("#result_list")).to_contain_text("Northgate Early Help Team")
    assert_accessible(page)
