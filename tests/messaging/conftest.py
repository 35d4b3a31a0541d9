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
