"""A person at the council signs in with their council account in a real browser (Debian's chromium)."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from earlyhelp.accounts.models import Agency, AgencyKind, Role, Team, TeamKind, User
from earlyhelp.sso.models import GroupMapping
from tests.e2e.conftest import browser, page  # noqa: F401 (fixtures)
from tests.e2e.helpers import assert_accessible

from .conftest import CLIENT_ID, PASSWORD


@pytest.fixture
def live_sso(transactional_db, live_server, sso_on):
    sso_on.setup(clients=[{"client_id": CLIENT_ID, "redirect_uris": [f"{live_server.url}/sso/callback/"]}])
    council = Agency.objects.create(name="Testshire County Council", kind=AgencyKind.LA_EARLY_HELP)
    south = Team.objects.create(name="South early help", kind=TeamKind.LOCALITY_EARLY_HELP, agency=council)
    GroupMapping.objects.create(group="EH-Managers", role=Role.TEAM_MANAGER, order=10).teams.set([south])
    GroupMapping.objects.create(group="EH-Practitioners", role=Role.EARLY_HELP_PRACTITIONER, order=50)
    return south


def test_signing_in_with_the_council_account_lands_on_the_home_page_as_the_mapped_role(page, live_sso):  # noqa: F811
    page.goto("/sign-in/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in with Testshire account").click()

    expect(page.get_by_role("heading", name="Test council account")).to_be_visible()  # the provider's own page
    page.get_by_label("Username").fill("mark")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in to the test council").click()

    expect(page.get_by_role("heading", name="Your team", level=1)).to_be_visible()
    assert urlsplit(page.url).path == "/"  # the service's home page
    mark = User.objects.get(email="mark.jones@council.example")
    assert mark.role == Role.TEAM_MANAGER and list(mark.teams.all()) == [live_sso]
