import pytest
from django.test import override_settings
from django.urls import reverse

from earlyhelp.web.views import server_error


def test_sign_in_page_shows_demo_accounts_only_in_demo_mode(client, seeded):
    page = client.get(reverse("sign-in")).content.decode()
    assert "Demo sign-ins" in page and "frontdoor" in page and "demo-password-2026" in page
    with override_settings(EARLYHELP_DEMO_MODE=False):
        page = client.get(reverse("sign-in")).content.decode()
    assert "Demo sign-ins" not in page
    assert "demo-password-2026" not in page


def test_pages_need_signing_in(client, seeded):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/"


def test_sign_out_only_by_post(client, demo_user):
    client.force_login(demo_user("practitioner"))
    assert client.get(reverse("sign-out")).status_code == 405
    response = client.post(reverse("sign-out"))
    assert response["Location"] == reverse("signed-out")
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize(
    ("username", "sees", "does_not_see"),
    [
        ("partner", ["Families you are working with", "Your organisation"], ["People in your team"]),
        ("practitioner", ["Families allocated to you", "Northgate Early Help Team", "Grace Okafor"], ["People by role"]),
        ("adviser", ["Assessments you are supporting", "Tom Fletcher"], ["People by role"]),
        ("manager", ["Work that is late", "People in your teams", "Tom Fletcher"], ["People by role"]),
        ("frontdoor", ["Requests for support waiting for triage", "Early Help Hub"], ["People in your team"]),
        ("socialworker", ["Referrals waiting for your decision", "Northgate Children&#x27;s Social Care"], []),
        ("analyst", ["never a named child", "People by role", "Agencies by kind"], ["Tom Fletcher"]),
        ("admin", ["People who use the service", "People by role"], ["Tom Fletcher"]),
    ],
)
def test_each_role_home_page_shows_its_own_work(client, demo_user, username, sees, does_not_see):
    client.force_login(demo_user(username))
    page = client.get(reverse("home")).content.decode()
    for text in sees:
        assert text in page, text
    for text in does_not_see:
        assert text not in page, text


def test_analyst_sees_counts_that_match_the_data(client, demo_user, seeded):
    client.force_login(demo_user("analyst"))
    response = client.get(reverse("home"))
    assert response.context["summary"]["users"] == seeded.users
    assert response.context["summary"]["teams"] == seeded.teams


def test_missing_page_is_in_the_service_style(client, demo_user):
    client.force_login(demo_user("practitioner"))
    response = client.get("/nowhere/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-template" in response.content.decode()


def test_server_error_page_needs_no_request_context(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "Demo County Council" in page


def test_csrf_failure_explains_and_keeps_the_layout(demo_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("sign-in"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()


def test_admin_is_for_administrators_only(client, demo_user):
    client.force_login(demo_user("manager"))
    assert client.get("/admin/", follow=True).status_code == 403
    client.force_login(demo_user("admin"))
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 200
    assert "practitioner" in response.content.decode()


def test_gov_uk_frontend_assets_are_served_where_its_stylesheet_looks(client):
    # The precompiled GOV.UK Frontend CSS refers to /assets/...; WhiteNoise serves them there.
    response = client.get("/assets/images/favicon.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg")


def test_administrators_can_unlock_accounts_and_reset_second_factors(client, demo_user):
    client.force_login(demo_user("admin"))
    assert client.get("/admin/axes/accessattempt/").status_code == 200
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 200
