"""The accessibility statement and the cookies page: public, in every page's footer, and true."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from earlyhelp.accounts.models import User


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accessibility-statement", "cookies"])
def test_the_page_is_public(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    # Read without signing in, its header leads to the public form, not the staff sign-in.
    header = response.content.decode().split("</header>")[0]
    assert f'href="{reverse("self-referral")}"' in header and 'href="/"' not in header


@pytest.mark.django_db
def test_every_page_links_both_in_its_footer_signed_in_or_not(organisations):
    practitioner = Client()
    practitioner.force_login(User.objects.get(username="practitioner"))
    for client, path in ((Client(), reverse("sign-in")), (Client(), reverse("self-referral-step", args=["children"])),
                         (practitioner, reverse("home")), (practitioner, reverse("cookies"))):
        page = client.get(path).content.decode()
        footer = page[page.index('<footer class="govuk-footer">'):]
        assert f'href="{reverse("accessibility-statement")}"' in footer, path
        assert f'href="{reverse("cookies")}"' in footer, path
    # Signed in, the same pages' header leads home as every staff page does.
    header = practitioner.get(reverse("cookies")).content.decode().split("</header>")[0]
    assert 'class="govuk-generic-header__homepage-link">' in header and 'href="/"' in header


@pytest.mark.django_db
def test_the_statement_follows_the_model_statement(client):
    page = client.get(reverse("accessibility-statement")).content.decode()
    for heading in ("How accessible this service is", "Feedback and contact information",
                    "Reporting accessibility problems with this service", "Enforcement procedure",
                    "Compliance status", "Non-accessible content", "Preparation of this accessibility statement"):
        assert f">{heading}</h" in page, heading
    assert "Equality and Human Rights Commission (EHRC)" in page
    assert "Equality Advisory and Support Service (EASS)" in page
    assert "partially compliant" in page
    assert settings.EARLYHELP_SUPPORT_EMAIL in page


@pytest.mark.django_db
def test_the_cookies_page_lists_the_cookies_the_service_sets(client, settings):
    settings.SESSION_COOKIE_NAME = "eh_session"
    page = client.get(reverse("cookies")).content.decode()
    for name in ("eh_session", settings.CSRF_COOKIE_NAME, "messages"):
        assert f'data-cookie="{name}"' in page
    assert "Strictly necessary cookies" in page and "no analytics" in page


@pytest.mark.django_db
def test_the_cookies_listed_are_all_the_public_form_sets(client, settings):
    """A family who asks for help gets only the cookies the page lists."""
    from django.core.cache import cache

    from tests.frontdoor.test_self_referral import answer_all, send

    cache.clear()
    settings.EARLYHELP_SELF_REFERRAL_MIN_SECONDS = 0
    client.get(reverse("self-referral"), follow=True)
    answer_all(client)  # the answers are kept between pages, in the session
    sent = send(client)
    assert sent.status_code == 302
    client.get(sent["Location"])
    set_names = set(client.cookies)  # every cookie the pages set on the way
    page = client.get(reverse("cookies")).content.decode()
    assert set_names and all(f'data-cookie="{name}"' in page for name in set_names), set_names
    cache.clear()
