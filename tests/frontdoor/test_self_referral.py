"""The public self-referral: no sign-in, a contact route, spam protection and a rate limit."""

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


@pytest.fixture(autouse=True)
def fresh_limits(settings):
    cache.clear()
    settings.EARLYHELP_SELF_REFERRAL_LIMIT_PER_HOUR = 5
    settings.EARLYHELP_SELF_REFERRAL_MIN_SECONDS = 3
    yield
    cache.clear()


def _data(**overrides):
    data = {
        "requester_name": "Kerry Marsh", "requester_relationship": "Mum", "contact_phone": "07700 900123",
        "contact_email": "", "safe_to_contact": "Mornings", "address": "1 Test Street", "postcode": "zz99 3cz",
        "child-1-first_name": "Ellie", "child-1-last_name": "Marsh",
        "child-1-date_of_birth_0": "9", "child-1-date_of_birth_1": "3", "child-1-date_of_birth_2": "2015",
        "concerns": ["sen"], "concern_details": "Ellie will not go to school and I do not know what to do.",
        "urgency": "routine", "website": "", "form_token": self_referral_token(time.time() - 60),
    }
    data.update(overrides)
    return data


def _self_referrals():
    return RequestForSupport.objects.filter(source=RequestSource.SELF_REFERRAL, requester_name="Kerry Marsh")


@pytest.mark.django_db
def test_a_family_asks_for_help_without_signing_in(client):
    form = client.get(reverse("self-referral"))
    assert form.status_code == 200
    assert "Ask for help for your family" in form.content.decode()
    assert reverse("privacy-notice") in form.content.decode()

    response = client.post(reverse("self-referral"), _data())
    assert response.status_code == 302 and response["Location"] == reverse("self-referral-sent")
    support_request = _self_referrals().get()
    assert support_request.status == RequestStatus.AWAITING_TRIAGE
    assert support_request.requested_by is None and support_request.family is None
    assert support_request.family_agreement == FamilyAgreement.YES
    assert support_request.postcode == "ZZ99 3CZ"
    assert support_request.people.get().first_name == "Ellie"
    sent = client.get(response["Location"]).content.decode()
    assert support_request.reference in sent and "govuk-panel--confirmation" in sent


@pytest.mark.django_db
def test_an_email_address_alone_is_enough(client):
    response = client.post(reverse("self-referral"), _data(contact_phone="", contact_email="kerry@example.com"))
    assert response.status_code == 302
    assert _self_referrals().get().contact_email == "kerry@example.com"


@pytest.mark.django_db
def test_no_contact_route_is_explained_beside_the_phone_field_and_nothing_is_saved(client):
    response = client.post(reverse("self-referral"), _data(contact_phone="", contact_email=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert not _self_referrals().exists()
    group = page[page.index('id="div_id_contact_phone"'):]
    group = group[:group.index('id="div_id_contact_email"')]
    assert "govuk-form-group--error" in group
    assert "Enter a phone number or an email address so we can get in touch with you" in group
    assert 'href="#id_contact_phone"' in page
    assert 'value="Ellie"' in page  # what was typed is kept


@pytest.mark.django_db
def test_a_filled_honeypot_saves_nothing(client):
    response = client.post(reverse("self-referral"), _data(website="http://spam.example"))
    assert response.status_code == 200
    assert not _self_referrals().exists()
    assert "data-spam-message" in response.content.decode()


@pytest.mark.django_db
def test_a_complete_form_sent_faster_than_a_person_could_is_asked_to_be_sent_again(client):
    response = client.post(reverse("self-referral"), _data(form_token=self_referral_token(time.time() - 1)))
    page = response.content.decode()
    assert response.status_code == 200
    assert not _self_referrals().exists()
    assert "data-confirm-message" in page and "Your request has not been sent yet" in page
    assert "govuk-error-summary" not in page
    assert 'value="Ellie"' in page  # what was typed is kept
    # Sent again with the page's new token, once a person could have read it, it is accepted.
    token = page.split('name="form_token" value="')[1].split('"')[0]
    assert signing.loads(token, salt=SELF_REFERRAL_SALT)["shown"] >= time.time() - 1  # a new page, shown now
    again = _data(form_token=self_referral_token(time.time() - 5))
    assert client.post(reverse("self-referral"), again).status_code == 302
    assert _self_referrals().count() == 1


@pytest.mark.django_db
def test_the_timer_never_hides_field_errors(client):
    response = client.post(reverse("self-referral"), _data(
        form_token=self_referral_token(time.time() - 1), concern_details="", contact_phone="",
    ))
    page = response.content.decode()
    assert not _self_referrals().exists()
    assert "Tell us what is worrying you and what help you would like" in page
    assert "Enter a phone number or an email address so we can get in touch with you" in page
    assert 'href="#id_concern_details"' in page
    assert "data-confirm-message" not in page and "data-spam-message" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("spam", [{"website": "http://spam.example"}, {"form_token": "not-a-token"}],
                         ids=["honeypot", "token"])
def test_field_errors_show_beside_a_spam_refusal(client, spam):
    response = client.post(reverse("self-referral"), _data(concern_details="", **spam))
    page = response.content.decode()
    assert not _self_referrals().exists()
    assert "data-spam-message" in page
    assert "Tell us what is worrying you and what help you would like" in page


@pytest.mark.django_db
def test_the_shortest_time_is_a_setting(client, settings):
    settings.EARLYHELP_SELF_REFERRAL_MIN_SECONDS = 0
    response = client.post(reverse("self-referral"), _data(form_token=self_referral_token()))
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_page_older_than_a_day_saves_nothing(client):
    response = client.post(reverse("self-referral"), _data(form_token=self_referral_token(time.time() - 25 * 3600)))
    assert not _self_referrals().exists()
    assert "more than a day" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "not-a-token", self_referral_token().replace(":", ";")],
                         ids=["missing", "garbage", "tampered"])  # stable ids: the token differs per run
def test_a_missing_or_forged_token_saves_nothing(client, token):
    client.post(reverse("self-referral"), _data(form_token=token))
    assert not _self_referrals().exists()


@pytest.mark.django_db
def test_each_address_may_send_only_so_many_an_hour(client, settings):
    settings.EARLYHELP_SELF_REFERRAL_LIMIT_PER_HOUR = 2
    assert client.post(reverse("self-referral"), _data()).status_code == 302
    assert client.post(reverse("self-referral"), _data(website="spam")).status_code == 200  # spam counts too
    refused = client.post(reverse("self-referral"), _data())
    assert refused.status_code == 429
    assert "wait an hour" in refused.content.decode()
    assert _self_referrals().count() == 1
    # Another address is not affected.
    other = client.post(reverse("self-referral"), _data(), REMOTE_ADDR="192.0.2.77")
    assert other.status_code == 302


@pytest.mark.django_db
def test_each_page_is_accepted_once(client):
    page = _data()
    assert client.post(reverse("self-referral"), page)["Location"] == reverse("self-referral-sent")
    # A second click from the same browser shows the confirmation again; nothing more is stored.
    assert client.post(reverse("self-referral"), page)["Location"] == reverse("self-referral-sent")
    # The same page replayed from elsewhere is told it was sent; the form it gets back has a new token.
    replay = Client(REMOTE_ADDR="192.0.2.78").post(reverse("self-referral"), page)
    assert replay.status_code == 200
    assert "This form has already been sent" in replay.content.decode()
    assert page["form_token"] not in replay.content.decode()
    assert _self_referrals().count() == 1


@pytest.mark.django_db
def test_mistakes_do_not_use_up_the_limit(client, settings):
    settings.EARLYHELP_SELF_REFERRAL_LIMIT_PER_HOUR = 1
    for _ in range(3):
        assert client.post(reverse("self-referral"), _data(concern_details="")).status_code == 200
    assert client.post(reverse("self-referral"), _data()).status_code == 302


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
    for name in ("self-referral", "privacy-notice"):
        page = client.get(reverse(name)).content.decode()
        assert 'data-module="govuk-exit-this-page"' in page
        # Without JavaScript the button is a plain link to a neutral site.
        assert page.count('href="https://www.bbc.co.uk/weather"') == 1
        assert 'class="govuk-generic-header__homepage-link"' in page
        header = page[page.index("<header"):page.index("</header>")]
        assert 'href="/"' not in header and f'href="{reverse("self-referral")}"' in header
        assert reverse("accessibility-statement") in page and reverse("cookies") in page
