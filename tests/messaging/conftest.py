"""Fixtures: the local SMTP and Notify servers, and settings pointing the service at them."""

import pytest

from .servers import API_KEY, NotifyServer, smtp_server_start

TEMPLATES = {kind: f"00000000-0000-4000-8000-{index:012d}" for index, kind in enumerate([
    "allocation", "harm_raised", "step_up_decided", "step_down_decided", "action_due", "review_due",
    "taf_invitation", "family_acknowledgement", "family_acknowledgement_sms"])}


@pytest.fixture
def smtp(settings):
    controller, mailbox = smtp_server_start()
    settings.EARLYHELP_MESSAGES_TRANSPORT = "smtp"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EARLYHELP_MESSAGES_TIMEOUT = 5
    yield mailbox
    controller.stop()


@pytest.fixture
def notify(settings):
    server = NotifyServer()
    settings.EARLYHELP_MESSAGES_TRANSPORT = "notify"
    settings.EARLYHELP_NOTIFY_API_KEY = API_KEY
    settings.EARLYHELP_NOTIFY_BASE_URL = server.url
    settings.EARLYHELP_NOTIFY_TEMPLATES = TEMPLATES
    settings.EARLYHELP_MESSAGES_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def addresses(settings):
    settings.EARLYHELP_MESSAGES_FRONT_DOOR_EMAIL = "front-door@council.example"
    settings.EARLYHELP_MESSAGES_SOCIAL_CARE_EMAIL = "social-care@council.example"
    settings.EARLYHELP_MESSAGES_SERVICE_URL = "https://earlyhelp.council.example"


@pytest.fixture
def staff(organisations):
    """The demo users, without any seeded families (fast)."""
    from earlyhelp.accounts.models import User

    return lambda username: User.objects.get(username=username)


@pytest.fixture
def episode(staff):
    """An open episode of a family with unusual names, led by the demo practitioner, its assessment done."""
    from datetime import date

    from earlyhelp.episodes.models import (
        Assessment,
        Episode,
        EpisodeState,
        LeadProfessionalAssignment,
    )
    from earlyhelp.people.models import Family, FamilyMember, MemberRole, Person

    practitioner = staff("practitioner")
    family = Family.objects.create(name="Quillfeather family", postcode="ZZ99 3QF")
    child = Person.objects.create(first_name="Marisol", last_name="Quillfeather", date_of_birth=date(2015, 4, 2),
                                  nhs_number="9990000018")
    FamilyMember.objects.create(family=family, person=child, role=MemberRole.CHILD)
    episode = Episode.objects.create(
        reference="EP-MSG-1", family=family, state=EpisodeState.PLAN_ACTIVE, opened_on=date(2026, 9, 1),
        lead_professional=practitioner, team=practitioner.teams.first(),
    )
    LeadProfessionalAssignment.objects.create(episode=episode, lead=practitioner, started_on=date(2026, 9, 1),
                                              assigned_by=practitioner)
    Assessment.objects.create(episode=episode, started_on=date(2026, 9, 1), due_on=date(2026, 9, 15),
                              completed_on=date(2026, 9, 12), organisation=practitioner.agency,
                              agreed_needs=["3B", "16A"], what_needs_to_change="Safer home")
    return episode
