"""The public self-referral: question pages and check your answers without signing in, a contact route,
spam protection and a rate limit. Nothing is sent before check your answers is."""

import re
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from earlyhelp.frontdoor.forms import SELF_REFERRAL_SALT, self_referral_token
from earlyhelp.frontdoor.models import (
    FamilyAgreement,
    RequestForSupport,
    RequestSource,
    RequestStatus,
)
from earlyhelp.frontdoor.self_referral_pages import ALREADY_SENT

PREFIX = "questions-self-referral-step"
KEPT = f"wizard_{PREFIX}"  # where the session keeps the answers
ANSWERS = {
    "children": {"child-1-first_name": "Ellie", "child-1-last_name": "Marsh", "child-1-date_of_birth_0": "9",
                 "child-1-date_of_birth_1": "3", "child-1-date_of_birth_2": "2015"},
    "adults": {"adult-1-first_name": "Dean", "adult-1-last_name": "Marsh", "adult-1-relationship": "Dad"},
    "worries": {"concerns": ["sen"], "concern_details": "Ellie will not go to school and I do not know what to do.",
                "already_tried": "Talked to her teacher", "child_views": "She says school is too loud"},
    "how-soon": {"urgency": "soon"},
    "you": {"requester_name": "Kerry Marsh", "requester_relationship": "Mum", "contact_phone": "07700 900123",
            "contact_email": "", "safe_to_contact": "Mornings", "address": "1 Test Street", "postcode": "zz99 3cz"},
}


@pytest.fixture(autouse=True)
def fresh_limits(settings):
    cache.clear()
    settings.EARLYHELP_SELF_REFERRAL_LIMIT_PER_HOUR = 5
    settings.EARLYHELP_SELF_REFERRAL_MIN_SECONDS = 3
    yield
    cache.clear()


def url(step: str) -> str:
    return reverse("self-referral-step", kwargs={"step": step})


def answer(client, step, data, **headers):
    """Send one question page as a browser would: its fields under the step's prefix."""
    posted = {f"{PREFIX}-current_step": step, **{f"{step}-{name}": value for name, value in data.items()}}
    return client.post(url(step), posted, **headers)


def answer_all(client, **changes):
    for step, data in ANSWERS.items():
        response = answer(client, step, {**data, **changes.get(step, {})})
        assert response.status_code == 302, (step, response.content.decode()[:3000])
    assert response["Location"] == url("check")
    return response


def send_data(token: str | None = None, website: str = "") -> dict:
    """What check your answers sends: the signed time (a minute ago unless given) and the honeypot."""
    return {f"{PREFIX}-current_step": "check", "check-website": website,
            "check-form_token": self_referral_token(time.time() - 60) if token is None else token}


def send(client, token: str | None = None, website: str = "", **headers):
    return client.post(url("check"), send_data(token, website), **headers)


def _self_referrals():
    return RequestForSupport.objects.filter(source=RequestSource.SELF_REFERRAL, requester_name="Kerry Marsh")


@pytest.mark.django_db
def test_a_family_answers_the_questions_checks_them_and_sends_without_signing_in(client):
    start = client.get(reverse("self-referral"))
    assert start.status_code == 302 and start["Location"] == url("children")
    first = client.get(url("children")).content.decode()
    assert "Your children" in first and "Ask for help for your family" in first
    assert reverse("privacy-notice") in first and "call 999" in first
    assert 'class="govuk-back-link"' not in first  # the first question is the start

    answer_all(client)
    assert not _self_referrals().exists()  # nothing is sent before check your answers
    check = client.get(url("check")).content.decode()
    for words in ("Ellie Marsh, born 9 March 2015", "Dean Marsh, Dad", "Help with school, learning or special "
                  "educational needs", "Talked to her teacher", "She says school is too loud", "This week",
                  "Kerry Marsh", "07700 900123", 'href="/ask-for-help/you/#id_you-contact_phone"'):
        assert words in check, words
    assert "csrfmiddlewaretoken" not in str(client.session[KEPT])  # the CSRF token is never kept

    response = send(client)
    assert response.status_code == 302 and response["Location"] == reverse("self-referral-sent")
    support_request = _self_referrals().get()
    assert support_request.status == RequestStatus.AWAITING_TRIAGE
    assert support_request.requested_by is None and support_request.family is None
    assert support_request.family_agreement == FamilyAgreement.YES
    assert (support_request.urgency, support_request.postcode) == ("soon", "ZZ99 3CZ")
    assert support_request.child_views == "She says school is too loud"
    assert sorted(support_request.people.values_list("first_name", "is_child")) == [("Dean", False), ("Ellie", True)]
    sent = client.get(response["Location"]).content.decode()
    assert support_request.reference in sent and "govuk-panel--confirmation" in sent
    assert KEPT not in client.session  # the answers go once sent
    assert client.get(reverse("self-referral"))["Location"] == url("children")


@pytest.mark.django_db
def test_a_change_link_goes_back_to_the_question_and_returns_to_check_your_answers(client):
    answer_all(client)
    client.get(url("check"))
    response = answer(client, "how-soon", {"urgency": "urgent"})
    assert response["Location"] == url("check")
    assert "Today" in client.get(url("check")).content.decode()


@pytest.mark.django_db
def test_the_answers_are_kept_in_the_session_between_pages_and_start_again_clears_them(client):
    answer(client, "children", ANSWERS["children"])
    assert client.get(reverse("self-referral"))["Location"] == url("adults")  # carries on where they were
    assert 'value="Ellie"' in client.get(url("children")).content.decode()
    assert Client().get(reverse("self-referral"))["Location"] == url("children")  # another browser: its own
    client.get(reverse("self-referral") + "?reset=")
    assert 'value="Ellie"' not in client.get(url("children")).content.decode()


@pytest.mark.django_db
def test_opening_check_your_answers_early_goes_to_the_first_unanswered_question(client):
    answer(client, "children", ANSWERS["children"])
    assert client.get(url("check"))["Location"] == url("adults")
    assert client.get(url("done"))["Location"] == url("check")
    assert send(client)["Location"] == url("adults")  # sent early: nothing saved
    assert not _self_referrals().exists()


@pytest.mark.django_db
def test_an_email_address_alone_is_enough(client):
    answer_all(client, you={"contact_phone": "", "contact_email": "kerry@example.com"})
    assert send(client).status_code == 302
    assert _self_referrals().get().contact_email == "kerry@example.com"


@pytest.mark.django_db
def test_no_contact_route_is_explained_beside_the_phone_field_and_nothing_is_saved(client):
    response = answer(client, "you", {**ANSWERS["you"], "contact_phone": "", "contact_email": ""})
    page = response.content.decode()
    assert response.status_code == 422
    group = page[page.index('id="div_id_you-contact_phone"'):]
    group = group[:group.index('id="div_id_you-contact_email"')]
    assert "govuk-form-group--error" in group
    assert "Enter a phone number or an email address so we can get in touch with you" in group
    assert 'href="#id_you-contact_phone"' in page
    assert 'value="Kerry Marsh"' in page  # what was typed is kept
    assert not _self_referrals().exists()


@pytest.mark.django_db
def test_at_least_one_child_is_named_and_a_half_filled_row_asks_for_the_rest(client):
    assert "Enter the name of at least one of your children" in answer(client, "children", {}).content.decode()
    page = answer(client, "children", {**ANSWERS["children"], "child-2-first_name": "Sam"}).content.decode()
    assert "Enter the last name of child 2" in page


@pytest.mark.django_db
def test_a_filled_honeypot_saves_nothing_and_keeps_the_answers(client):
    answer_all(client)
    response = send(client, website="http://spam.example")
    assert response.status_code == 200
    assert not _self_referrals().exists()
    assert "data-spam-message" in response.content.decode()
    assert send(client).status_code == 302  # the answers were kept
    assert _self_referrals().count() == 1


def _page_token(page: str) -> str:
    return re.search(r'name="check-form_token" value="([^"]+)"', page).group(1)


@pytest.mark.django_db
def test_complete_answers_sent_faster_than_a_person_could_are_shown_to_be_sent_again(client):
    answer_all(client)
    response = send(client, token=self_referral_token(time.time() - 1))
    page = response.content.decode()
    assert response.status_code == 200
    assert not _self_referrals().exists()
    assert "data-confirm-message" in page and "Your request has not been sent yet" in page
    assert "govuk-error-summary" not in page
    assert "Ellie Marsh, born 9 March 2015" in page  # the answers are kept, to be checked
    # The page comes back with a new time, from now: sent once a person could have read it, it is accepted.
    assert signing.loads(_page_token(page), salt=SELF_REFERRAL_SALT)["shown"] >= time.time() - 1
    assert send(client, token=self_referral_token(time.time() - 5)).status_code == 302
    assert _self_referrals().count() == 1


@pytest.mark.django_db
def test_the_timer_starts_with_the_first_answer_and_never_stands_before_an_error(client, settings):
    settings.EARLYHELP_SELF_REFERRAL_MIN_SECONDS = 3600  # every send is too fast
    answer(client, "children", ANSWERS["children"])
    first_token = client.session[KEPT]["extra_data"]["form_token"]
    # A question's mistake is shown on its page, whatever the time.
    response = answer(client, "worries", {**ANSWERS["worries"], "concern_details": ""})
    page = response.content.decode()
    assert response.status_code == 422 and 'href="#id_worries-concern_details"' in page
    assert "Tell us what is worrying you and what help you would like" in page
    assert "data-confirm-message" not in page and "data-spam-message" not in page
    answer_all(client)
    check = client.get(url("check")).content.decode()
    assert _page_token(check) == first_token  # the time the answers were started, not the check page's
    assert "data-confirm-message" in client.post(url("check"), send_data(first_token)).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "not-a-token", self_referral_token().replace(":", ";")],
                         ids=["missing", "garbage", "tampered"])  # stable ids: the token differs per run
def test_a_missing_or_forged_token_saves_nothing(client, token):
    answer_all(client)
    response = send(client, token=token)
    assert response.status_code == 200 and "data-spam-message" in response.content.decode()
    assert not _self_referrals().exists()


@pytest.mark.django_db
def test_a_page_older_than_a_day_saves_nothing(client):
    answer_all(client)
    response = send(client, token=self_referral_token(time.time() - 25 * 3600))
    assert not _self_referrals().exists()
    assert "more than a day" in response.content.decode()


@pytest.mark.django_db
def test_the_shortest_time_is_a_setting(client, settings):
    settings.EARLYHELP_SELF_REFERRAL_MIN_SECONDS = 0
    answer_all(client)
    assert send(client, token=self_referral_token()).status_code == 302


@pytest.mark.django_db
def test_each_address_may_send_only_so_many_an_hour(settings):
    settings.EARLYHELP_SELF_REFERRAL_LIMIT_PER_HOUR = 2
    browsers = [Client() for _ in range(3)]
    for browser in browsers:
        answer_all(browser)
    assert send(browsers[0]).status_code == 302
    assert send(browsers[1], website="spam").status_code == 200  # spam counts too
    refused = send(browsers[2])
    assert refused.status_code == 429 and "wait an hour" in refused.content.decode()
    assert answer(browsers[2], "how-soon", {"urgency": "soon"}).status_code == 429  # no page is saved either
    assert _self_referrals().count() == 1
    # Another address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.77")
    answer_all(other)
    assert send(other).status_code == 302


@pytest.mark.django_db
def test_each_page_is_accepted_once(client):
    answer_all(client)
    token = self_referral_token(time.time() - 60)
    assert send(client, token=token)["Location"] == reverse("self-referral-sent")
    # A second click from the same browser shows the confirmation again; nothing more is stored.
    assert send(client, token=token)["Location"] == reverse("self-referral-sent")
    # The same time note sent with answers from another browser is told it was sent, and its answers go.
    replay = Client(REMOTE_ADDR="192.0.2.78")
    answer_all(replay)
    page = send(replay, token=token).content.decode()
    assert ALREADY_SENT in page and "data-prevent-double-click" not in page
    assert KEPT not in replay.session
    assert _self_referrals().count() == 1


@pytest.mark.django_db
def test_mistakes_do_not_use_up_the_limit(client, settings):
    settings.EARLYHELP_SELF_REFERRAL_LIMIT_PER_HOUR = 1
    for _ in range(3):
        assert answer(client, "worries", {"concern_details": ""}).status_code == 422
    answer_all(client)
    assert send(client).status_code == 302


@pytest.mark.django_db
def test_a_page_not_sent_by_this_journey_is_refused(client):
    response = client.post(url("you"), {f"{PREFIX}-current_step": "children", **ANSWERS["you"]})
    assert response.status_code == 400
    assert client.post(url("nowhere"), {f"{PREFIX}-current_step": "nowhere"}).status_code == 404


@pytest.mark.django_db
def test_the_confirmation_needs_a_request_sent_from_this_browser(client):
    assert client.get(reverse("self-referral-sent"))["Location"] == reverse("self-referral")


@pytest.mark.django_db
def test_the_privacy_notice_explains_what_why_who_how_long_and_rights(client, settings):
    page = client.get(reverse("privacy-notice")).content.decode()
    for heading in ("What we collect", "Why we collect it", "Who sees it", "How long we keep it", "Your rights"):
        assert heading in page
    assert f"{settings.EARLYHELP_RETENTION_YEARS} years" in page


@pytest.mark.django_db
def test_the_public_pages_offer_exit_this_page_and_lead_home_to_the_public_form(client):
    answer_all(client)
    for path in (url("children"), url("you"), url("check"), reverse("privacy-notice")):
        page = client.get(path).content.decode()
        assert 'data-module="govuk-exit-this-page"' in page, path
        # Without JavaScript the button is a plain link to a neutral site.
        assert page.count('href="https://www.bbc.co.uk/weather"') == 1
        assert 'class="govuk-generic-header__homepage-link"' in page
        header = page[page.index("<header"):page.index("</header>")]
        assert 'href="/"' not in header and f'href="{reverse("self-referral")}"' in header
        assert reverse("accessibility-statement") in page and reverse("cookies") in page


@pytest.mark.django_db
def test_no_question_page_is_long(client):
    """The one page had 31 inputs in a 118-Tab-stop page shared with the staff form's length; each question
    page now holds one topic (radios count one Tab stop per question)."""
    inputs_per_page, stops_per_page = {}, {}
    for step in ANSWERS:
        page = client.get(url(step)).content.decode()
        form = page[page.index('<form method="post"'):page.index("</form>")]
        inputs = re.findall(r"<(?:input|textarea|select)\b(?![^>]*type=\"hidden\")[^>]*>", form)
        inputs_per_page[step] = len(inputs)
        radio_groups = {re.search(r'name="([^"]+)"', tag).group(1) for tag in inputs if 'type="radio"' in tag}
        stops_per_page[step] = len([tag for tag in inputs if 'type="radio"' not in tag]) + len(radio_groups)
        answer(client, step, ANSWERS[step])
    assert inputs_per_page == {"children": 20, "adults": 18, "worries": 13, "how-soon": 3, "you": 7}
    assert max(stops_per_page.values()) == 20
    assert sum(inputs_per_page.values()) == 61
