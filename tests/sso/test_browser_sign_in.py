"""A person at the council signs in with their council account in a real browser (Debian's chromium)."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import Agency, AgencyKind, Role, Team, TeamKind, User
from earlyhelp.episodes.models import Episode, EpisodeChild, EpisodeState
from earlyhelp.messaging.models import Message, MessageStatus
from earlyhelp.sso.models import GroupMapping
from tests.background.worker import run_worker
from tests.e2e.conftest import page  # noqa: F401 (a fixture; `browser` is tests/conftest.py's)
from tests.e2e.helpers import assert_accessible
from tests.episodes.test_core_helpers import children_of, make_family
from tests.messaging.conftest import smtp  # noqa: F401 (a fixture: the local SMTP server)

from .conftest import CLIENT_ID, PASSWORD


@pytest.fixture
def live_sso(transactional_db, live_server, sso_on):
    sso_on.setup(clients=[{"client_id": CLIENT_ID, "redirect_uris": [f"{live_server.url}/sso/callback/"]}])
    council = Agency.objects.create(name="Testshire County Council", kind=AgencyKind.LA_EARLY_HELP)
    south = Team.objects.create(name="South early help", kind=TeamKind.LOCALITY_EARLY_HELP, agency=council)
    GroupMapping.objects.create(group="EH-Managers", role=Role.TEAM_MANAGER, order=10).teams.set([south])
    GroupMapping.objects.create(group="EH-Practitioners", role=Role.EARLY_HELP_PRACTITIONER, order=50)
    return south


def test_a_manager_signs_in_with_the_council_account_as_the_mapped_role_and_an_allocation_emails_the_worker(
        page, live_sso, smtp, settings):  # noqa: F811
    """Issue 16's check: through the local OpenID Connect provider, then an e-mail on the local SMTP server."""
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

    # The manager allocates a family of the team's to a worker; the worker's e-mail arrives.
    settings.EARLYHELP_MESSAGES_SERVICE_URL = "https://earlyhelp.testshire.example"
    worker = User.objects.create_user(username="ann.smith", email="ann.smith@council.example", first_name="Ann",
                                      last_name="Smith", role=Role.EARLY_HELP_PRACTITIONER, agency=live_sso.agency)
    worker.teams.add(live_sso)
    family = make_family(name="Thistlewaite family", children=1)
    episode = Episode.objects.create(reference=f"EP-SSO-{family.pk}", family=family, state=EpisodeState.ASSESSMENT,
                                     team=live_sso, opened_on=timezone.localdate() - timedelta(days=3))
    EpisodeChild.objects.bulk_create([EpisodeChild(episode=episode, person=child, added_on=episode.opened_on)
                                      for child in children_of(family)])
    page.get_by_role("link", name="Team work").click()
    page.get_by_role("link", name="Allocate families not yet allocated").click()
    page.get_by_label("Allocate the Thistlewaite family").check()
    page.locator("label.govuk-radios__label", has_text="Ann Smith").click()
    page.get_by_role("button", name="Allocate", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("1 family allocated to Ann Smith")

    run_worker()
    [arrived] = smtp.wait_for(1)
    assert arrived["To"] == "ann.smith@council.example"
    assert f"https://earlyhelp.testshire.example/episodes/{episode.pk}/" in arrived.get_content()
    assert "Thistlewaite" not in arrived.as_string()
    assert Message.objects.get(kind="allocation", recipient=worker).status == MessageStatus.SENT
