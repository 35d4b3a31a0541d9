"""A step up and a closure as question pages ending in check your answers, as the lead professional:
each page in turn with axe (an error state on the way), a follow-up revealed by its answer, a Change
link from check your answers and back, and the one-way action only when check your answers is sent.
The closure again with JavaScript off."""

from playwright.sync_api import expect

from earlyhelp.episodes.models import Closure, EpisodeState, StepUp

from .helpers import NARROWEST, assert_reflows, sign_in
from .test_episode_journey import episode_with_a_plan  # noqa: F401 (the fixture: Rosie, need 3B, plan active)

NEED = "Outcome for: Domestic abuse: concerns about the parent or carer"


def _answer(page, key: str):
    return page.locator(".govuk-summary-list__row", has=page.locator("dt", has_text=key))


def _heading(page, text: str):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def test_a_step_up_is_asked_a_page_at_a_time_checked_changed_and_sent(page, episode_with_a_plan):  # noqa: F811
    page.set_viewport_size(NARROWEST)  # each page checked at 400% zoom too
    episode = episode_with_a_plan
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/step-up/")
    _heading(page, "Why now?")
    page.get_by_label("What has changed").fill("Rosie is frightened at home.")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose at least one reason for stepping up")
    assert_reflows(page)
    page.get_by_label("Safeguarding concerns have emerged").check()
    page.get_by_role("button", name="Continue").click()

    # The factors start from the assessment's agreed need, under its domain.
    _heading(page, "The assessment factors the referral carries")
    parenting = page.get_by_role("group", name="Parenting capacity")
    expect(parenting.get_by_label("Domestic abuse: concerns about the parent or carer")).to_be_checked()
    assert_reflows(page)
    page.get_by_role("group", name="Child's developmental needs").get_by_label("Young carer").check()
    page.get_by_role("button", name="Continue").click()

    _heading(page, "Check your answers before sending the step up")
    expect(_answer(page, "What has changed")).to_contain_text("Rosie is frightened at home.")
    expect(_answer(page, "Why does the family need")).to_contain_text("Safeguarding concerns have emerged")
    expect(_answer(page, "Child's developmental needs")).to_contain_text("Young carer")
    expect(_answer(page, "Parenting capacity")).to_contain_text("Domestic abuse: concerns about the parent or carer")
    assert not StepUp.objects.filter(episode=episode).exists()
    assert_reflows(page)

    _answer(page, "What has changed").get_by_role("link", name="Change what has changed").click()
    expect(page.get_by_label("What has changed")).to_have_value("Rosie is frightened at home.")
    expect(page.get_by_label("Safeguarding concerns have emerged")).to_be_checked()
    page.get_by_label("What has changed").fill("Rosie told her teacher she is frightened at home.")
    page.get_by_role("button", name="Continue").click()
    _heading(page, "Check your answers before sending the step up")  # straight back, not the next question
    expect(_answer(page, "What has changed")).to_contain_text("Rosie told her teacher")

    page.get_by_role("button", name="Send the step up to Children's Social Care").click()
    expect(page.get_by_text("The step up has been sent to Children's Social Care.")).to_be_visible()
    step_up = StepUp.objects.get(episode=episode)
    assert step_up.details == "Rosie told her teacher she is frightened at home."
    assert step_up.assessment_factors == ["7A", "3B"]  # in the framework's order
    assert_reflows(page)


def test_a_closure_is_asked_a_page_at_a_time_checked_and_made(page, episode_with_a_plan):  # noqa: F811
    page.set_viewport_size(NARROWEST)  # each page checked at 400% zoom too
    episode = episode_with_a_plan
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/close/")
    _heading(page, "Why is the episode closing?")
    authority = page.get_by_label("Local authority the family moved to")
    expect(authority).to_be_hidden()  # revealed by its answer
    page.get_by_label("Moved away").check()
    expect(authority).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the local authority the family moved to")
    assert_reflows(page)
    page.get_by_label("Local authority the family moved to").fill("Exampleshire County Council")
    page.get_by_role("button", name="Continue").click()

    _heading(page, "The outcome for each need")
    assert_reflows(page)
    page.get_by_role("group", name=NEED).get_by_label("Improved").check()
    page.get_by_role("button", name="Continue").click()

    _heading(page, "The closing summary for the family")
    assert_reflows(page)
    page.get_by_label("Closing summary for the family").fill("You are settled in your new home.")
    page.get_by_role("button", name="Continue").click()

    _heading(page, "Check your answers before closing the episode")
    expect(_answer(page, "Local authority the family moved to")).to_contain_text("Exampleshire County Council")
    expect(_answer(page, NEED)).to_contain_text("Improved")
    assert_reflows(page)
    episode.refresh_from_db()
    assert episode.state == EpisodeState.PLAN_ACTIVE

    page.get_by_role("button", name="Close the episode").click()
    expect(page.get_by_text("The episode is closed.")).to_be_visible()
    closure = Closure.objects.get(episode=episode)
    assert closure.new_authority == "Exampleshire County Council"
    assert dict(closure.need_outcomes.values_list("need", "result")) == {"3B": "improved"}


def test_without_javascript_a_closure_is_asked_checked_changed_and_made(no_js_page, episode_with_a_plan):  # noqa: F811
    page, episode = no_js_page, episode_with_a_plan
    sign_in(page, "practitioner")
    page.goto(f"/episodes/{episode.pk}/close/")
    expect(page.get_by_label("Local authority the family moved to")).to_be_visible()  # every follow-up shows
    page.get_by_label("Needs met").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("group", name=NEED).get_by_label("Need met").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Closing summary for the family").fill("Well done.")
    page.get_by_role("button", name="Continue").click()
    _heading(page, "Check your answers before closing the episode")
    _answer(page, "Closing summary for the family").get_by_role("link").click()
    expect(page.get_by_label("Closing summary for the family")).to_have_value("Well done.")
    page.get_by_label("Closing summary for the family").fill("Well done, both of you.")
    page.get_by_role("button", name="Continue").click()
    expect(_answer(page, "Closing summary for the family")).to_contain_text("Well done, both of you.")
    page.get_by_role("button", name="Close the episode").click()
    expect(page.get_by_text("The episode is closed.")).to_be_visible()
    assert Closure.objects.get(episode=episode).summary_for_family == "Well done, both of you."
