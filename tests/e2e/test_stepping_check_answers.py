"""Check your answers before a step up and a closure, as the lead professional: errors, the answers
shown back, a Change link that keeps them, and the one-way action only when confirmed. With axe on
every page (JavaScript on), and the same journey with JavaScript off."""

from playwright.sync_api import expect

from earlyhelp.episodes.models import Closure, EpisodeState, StepUp

from .helpers import assert_accessible, sign_in
from .test_episode_journey import episode_with_a_plan  # noqa: F401 (the fixture: Rosie, need 3B, plan active)


def _answer(page, key: str):
    return page.locator(".govuk-summary-list__row", has=page.locator("dt", has_text=key))


def test_a_step_up_is_checked_changed_and_then_sent(page, episode_with_a_plan):  # noqa: F811
    episode = episode_with_a_plan
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/step-up/")
    page.get_by_label("What has changed").fill("Rosie is frightened at home.")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose at least one reason for stepping up")
    assert_accessible(page)
    page.get_by_label("Safeguarding concerns have emerged").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending the step up")
    expect(_answer(page, "What has changed")).to_contain_text("Rosie is frightened at home.")
    expect(_answer(page, "Why does the family need")).to_contain_text("Safeguarding concerns have emerged")
    assert not StepUp.objects.filter(episode=episode).exists()
    assert_accessible(page)

    _answer(page, "What has changed").get_by_role("link", name="Change what has changed").click()
    expect(page.get_by_label("What has changed")).to_have_value("Rosie is frightened at home.")
    expect(page.get_by_label("Safeguarding concerns have emerged")).to_be_checked()
    page.get_by_label("What has changed").fill("Rosie told her teacher she is frightened at home.")
    page.get_by_role("button", name="Continue").click()
    expect(_answer(page, "What has changed")).to_contain_text("Rosie told her teacher")

    page.get_by_role("button", name="Send the step up to Children's Social Care").click()
    expect(page.get_by_text("The step up has been sent to Children's Social Care.")).to_be_visible()
    assert StepUp.objects.get(episode=episode).details == "Rosie told her teacher she is frightened at home."
    assert_accessible(page)


def test_a_closure_is_checked_and_then_made(page, episode_with_a_plan):  # noqa: F811
    episode = episode_with_a_plan
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/close/")
    page.get_by_label("Moved away").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the local authority the family moved to")
    assert_accessible(page)
    page.get_by_label("Local authority the family moved to").fill("Exampleshire County Council")
    page.get_by_role("group", name="Outcome for: Domestic abuse: concerns about the parent or carer").get_by_label("Improved").check()
    page.get_by_label("Closing summary for the family").fill("You are settled in your new home.")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before closing the episode")
    expect(_answer(page, "Local authority the family moved to")).to_contain_text("Exampleshire County Council")
    expect(_answer(page, "Outcome for: Domestic abuse: concerns about the parent or carer")).to_contain_text("Improved")
    assert_accessible(page)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLAN_ACTIVE

    page.get_by_role("button", name="Close the episode").click()
    expect(page.get_by_text("The episode is closed.")).to_be_visible()
    closure = Closure.objects.get(episode=episode)
    assert closure.new_authority == "Exampleshire County Council"
    assert dict(closure.need_outcomes.values_list("need", "result")) == {"3B": "improved"}


def test_without_javascript_a_closure_is_checked_changed_and_made(no_js_page, episode_with_a_plan):  # noqa: F811
    page, episode = no_js_page, episode_with_a_plan
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/close/")
    page.get_by_label("Needs met").check()
    page.get_by_role("group", name="Outcome for: Domestic abuse: concerns about the parent or carer").get_by_label("Need met").check()
    page.get_by_label("Closing summary for the family").fill("Well done.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before closing the episode")
    _answer(page, "Closing summary for the family").get_by_role("link").click()
    expect(page.get_by_label("Closing summary for the family")).to_have_value("Well done.")
    page.get_by_label("Closing summary for the family").fill("Well done, both of you.")
    page.get_by_role("button", name="Continue").click()
    expect(_answer(page, "Closing summary for the family")).to_contain_text("Well done, both of you.")
    page.get_by_role("button", name="Close the episode").click()
    expect(page.get_by_text("The episode is closed.")).to_be_visible()
    assert Closure.objects.get(episode=episode).summary_for_family == "Well done, both of you."
