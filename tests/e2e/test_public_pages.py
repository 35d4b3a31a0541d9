"""The public 'Ask for help' pages as a parent at home uses them: Exit this page, errors never hidden
by the anti-spam timer, a header that leads to the public form, and the accessibility statement and
cookies page from every page's footer. With JavaScript on and off, axe on every page."""

from datetime import date

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from earlyhelp.frontdoor.models import RequestForSupport

from .helpers import assert_accessible, sign_in
from .journeys import fill_child_row

NEUTRAL_SITE = "https://www.bbc.co.uk/weather"


@pytest.fixture
def organisations_live(transactional_db, live_server, settings):
    from earlyhelp.seed import seed_database

    cache.clear()
    settings.EARLYHELP_SELF_REFERRAL_MIN_SECONDS = 3
    seed_database(families=0, seed=7)
    yield
    cache.clear()


def _neutral_site_answers(page) -> None:
    """The browser has no internet here: the neutral site is answered by the test."""
    page.context.route(f"{NEUTRAL_SITE}**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<!DOCTYPE html><title>Weather</title><h1>Weather</h1>"))


def _continue(page) -> None:
    page.get_by_role("button", name="Continue").click()


def _answer_all_but_contact(page) -> None:
    """The question pages up to the last, where only the name is given (no way to contact the parent)."""
    page.goto("/ask-for-help/")
    fill_child_row(page, 1, first="Tyler", last="Whitfield", born=date(2013, 11, 3))
    _continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Other adults who live with you")
    _continue(page)
    page.get_by_label("What is worrying you, and what help would you like?").fill("Tyler stays out late.")
    _continue(page)
    expect(page.get_by_label("In the next few weeks")).to_be_checked()
    _continue(page)
    page.get_by_label("Your name").fill("Jade Whitfield")
    _continue(page)


def test_exit_this_page_leaves_at_once_by_button_or_three_shifts(page, organisations_live):
    _neutral_site_answers(page)
    page.goto("/ask-for-help/")
    button = page.get_by_role("button", name="Emergency Exit this page")
    expect(button).to_be_visible()
    # GOV.UK Frontend initialised the component: it adds its key-press indicator to the button.
    expect(page.locator(".govuk-exit-this-page__indicator")).to_have_count(1)
    assert_accessible(page)
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(f"{NEUTRAL_SITE}**")
    page.goto("/ask-for-help/privacy/")
    page.get_by_role("button", name="Emergency Exit this page").click()
    page.wait_for_url(f"{NEUTRAL_SITE}**")


def test_the_timer_never_hides_errors_and_a_quick_complete_page_is_confirmed(page, organisations_live, settings):
    # Every send in this test counts as faster than a person could, however slow the machine.
    settings.EARLYHELP_SELF_REFERRAL_MIN_SECONDS = 3600
    # Answered too fast, with no way to contact the parent: the question's error, not the timer.
    _answer_all_but_contact(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a phone number or an email address so we can get in touch with you")
    expect(page.locator("#div_id_you-contact_phone")).to_contain_text("Enter a phone number or an email address")
    expect(page.locator("[data-spam-message]")).to_have_count(0)
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    # Now complete, and still sent too fast: asked to check and send again, the answers kept.
    page.get_by_label("Phone number").fill("07700 900456")
    _continue(page)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("[data-confirm-message]")).to_contain_text("Your request has not been sent yet")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("07700 900456")
    assert not RequestForSupport.objects.filter(requester_name="Jade Whitfield").exists()
    assert_accessible(page)

    settings.EARLYHELP_SELF_REFERRAL_MIN_SECONDS = 0  # the person has now checked the page
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your request has been sent")
    assert RequestForSupport.objects.filter(requester_name="Jade Whitfield").count() == 1
    expect(page.get_by_role("button", name="Emergency Exit this page")).to_be_visible()
    assert_accessible(page)


def test_the_header_leads_to_the_public_form_and_the_footer_to_the_statement_and_cookies(page, organisations_live):
    page.goto("/ask-for-help/privacy/")
    page.locator(".govuk-service-navigation__service-name a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your children")  # the public form's first question

    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement for Early Help")
    expect(page.get_by_role("heading", name="Enforcement procedure")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("contentinfo").get_by_role("link", name="Cookies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cookies")
    expect(page.locator("[data-cookie=sessionid]")).to_contain_text("sessionid")
    expect(page.locator("[data-cookie=csrftoken]")).to_contain_text("csrftoken")
    assert_accessible(page)
    page.locator(".govuk-generic-header__homepage-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your children")

    # Staff pages carry the same footer links.
    sign_in(page, "practitioner")
    page.get_by_role("contentinfo").get_by_role("link", name="Cookies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cookies")
    expect(page.locator(".govuk-service-navigation__service-name a")).to_have_attribute("href", "/")
    assert_accessible(page)


def test_without_javascript_the_questions_are_answered_and_sent_and_exit_this_page_is_a_link(
        no_js_page, organisations_live, settings):
    page = no_js_page
    settings.EARLYHELP_SELF_REFERRAL_MIN_SECONDS = 0
    _neutral_site_answers(page)
    _answer_all_but_contact(page)
    expect(page.locator("#div_id_you-contact_phone")).to_contain_text("Enter a phone number or an email address")
    page.get_by_label("Phone number").fill("07700 900456")
    _continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending them")
    page.get_by_role("link", name="Change what is worrying you, and what help would you like?").click()
    page.get_by_label("What is worrying you, and what help would you like?").fill("Tyler stays out all night.")
    _continue(page)
    expect(page.locator("main")).to_contain_text("Tyler stays out all night.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your request has been sent")
    assert RequestForSupport.objects.get(requester_name="Jade Whitfield").concern_details == "Tyler stays out all night."
    # axe needs JavaScript to run: it runs on the same pages in a browser with JavaScript, above.
    for path in ("/accessibility/", "/cookies/"):
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
    page.goto("/ask-for-help/")
    page.get_by_role("button", name="Emergency Exit this page").click()
    page.wait_for_url(f"{NEUTRAL_SITE}**")
