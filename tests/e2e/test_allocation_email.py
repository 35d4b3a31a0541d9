"""A team manager allocates a family to a worker in the browser; the allocation e-mail, sent by the background
worker, arrives on the local SMTP server with a link to the episode and no family's details (issue 16, point 2)."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import TeamKind, User
from earlyhelp.episodes.models import Episode, EpisodeChild, EpisodeState
from earlyhelp.messaging.models import Message, MessageStatus
from tests.background.worker import run_worker
from tests.messaging.conftest import smtp  # noqa: F401 (a fixture: the local SMTP server)

from .helpers import assert_accessible, sign_in


def test_the_allocated_worker_gets_an_email_on_the_local_smtp_server(page, seeded_live, smtp, settings):  # noqa: F811
    from tests.episodes.test_core_helpers import children_of, make_family

    settings.EARLYHELP_MESSAGES_SERVICE_URL = "https://earlyhelp.council.example"
    manager, worker = User.objects.get(username="manager"), User.objects.get(username="practitioner")
    team = manager.teams.get(kind=TeamKind.LOCALITY_EARLY_HELP)
    family = make_family(name="Thistlewaite family", children=1)
    episode = Episode.objects.create(reference=f"EP-ML-{family.pk}", family=family, state=EpisodeState.ASSESSMENT,
                                     team=team, opened_on=timezone.localdate() - timedelta(days=20))
    EpisodeChild.objects.bulk_create([EpisodeChild(episode=episode, person=child, added_on=episode.opened_on)
                                      for child in children_of(family)])

    sign_in(page, "manager")
    page.get_by_role("link", name="Team work").click()
    page.get_by_role("link", name="Allocate families not yet allocated").click()
    page.get_by_label("Allocate the Thistlewaite family").check()
    page.locator("label.govuk-radios__label", has_text=worker.get_full_name()).click()
    page.get_by_role("button", name="Allocate", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"1 family allocated to {worker.get_full_name()}")
    assert_accessible(page)

    run_worker()
    [arrived] = smtp.wait_for(1)
    assert arrived["To"] == worker.email
    assert arrived["Subject"] == "Early Help: a family has been allocated to you"
    body = arrived.get_content()
    assert f"https://earlyhelp.council.example/episodes/{episode.pk}/" in body
    assert "Thistlewaite" not in arrived.as_string()
    assert Message.objects.get(kind="allocation", recipient=worker).status == MessageStatus.SENT
