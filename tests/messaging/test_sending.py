"""Sending through the real local servers: SMTP (accepted is "sent") and GOV.UK Notify (delivery read back),
with retries and back-off on temporary failures and none on permanent ones."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from earlyhelp.accounts.models import Role, User
from earlyhelp.messaging import services
from earlyhelp.messaging.models import Channel, Message, MessageStatus
from tests.background.worker import run_worker, worker_runs

from .conftest import TEMPLATES
from .servers import free_port


def _user(username="worker", email="worker@council.example") -> User:
    return User.objects.create_user(username=username, password="x", role=Role.EARLY_HELP_PRACTITIONER, email=email,
                                    first_name="Wren", last_name="Worker")


def _queue(user, **kwargs) -> Message:
    return services.message_queue(kind="allocation", user=user, link_path="/episodes/7/", **kwargs)


# SMTP -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_email_sent_over_smtp_arrives_and_is_sent_with_its_message_id(smtp, settings,
                                                                            django_capture_on_commit_callbacks):
    settings.EARLYHELP_MESSAGES_SERVICE_URL = "https://earlyhelp.council.example"
    with django_capture_on_commit_callbacks(execute=True):
        message = _queue(_user())
    # The send is a task queued when the transaction commits.
    assert DBTaskResult.objects.filter(task_path="earlyhelp.messaging.tasks.message_send",
                                       args_kwargs__kwargs__message_id=message.pk).exists()
    assert services.message_send(message_id=message.pk) == MessageStatus.SENT
    [arrived] = smtp.wait_for(1)
    message.refresh_from_db()
    assert arrived["To"] == "worker@council.example"
    assert arrived["Subject"] == "Early Help: a family has been allocated to you"
    assert "https://earlyhelp.council.example/episodes/7/" in arrived.get_content()
    assert message.status == MessageStatus.SENT and message.attempts == 1 and message.sent_at
    assert message.provider_reference == arrived["Message-ID"]
    # A second task for the same message sends nothing.
    assert services.message_send(message_id=message.pk) == "already sent or being sent"
    assert len(smtp.messages) == 1


@pytest.mark.django_db
def test_a_refused_address_is_a_permanent_failure_and_is_not_tried_again(smtp):
    message = _queue(_user())
    smtp.refuse.append("550 5.1.1 No such mailbox")
    assert services.message_send(message_id=message.pk) == MessageStatus.PERMANENT_FAILURE
    message.refresh_from_db()
    assert message.attempts == 1 and "550" in message.last_error
    assert not DBTaskResult.objects.filter(task_path="earlyhelp.messaging.tasks.message_send").exists()


@pytest.mark.django_db
def test_a_temporary_refusal_is_tried_again_later_with_back_off(smtp, settings):
    settings.EARLYHELP_MESSAGES_RETRY_SECONDS = 60
    message = _queue(_user())
    smtp.refuse.append("451 4.3.0 Try again later")
    before = timezone.now()
    assert services.message_send(message_id=message.pk) == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.attempts == 1 and "451" in message.last_error
    retry = DBTaskResult.objects.get(task_path="earlyhelp.messaging.tasks.message_send")
    assert retry.run_after >= before + timedelta(seconds=60)
    assert services.retry_delay(1) == timedelta(seconds=60) and services.retry_delay(3) == timedelta(seconds=240)
    # Tried again: it goes.
    assert services.message_send(message_id=message.pk) == MessageStatus.SENT
    assert len(smtp.wait_for(1)) == 1


@pytest.mark.django_db
def test_a_server_that_cannot_be_reached_is_given_up_after_the_last_attempt(smtp, settings):
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.EARLYHELP_MESSAGES_MAX_ATTEMPTS = 2
    message = _queue(_user())
    assert services.message_send(message_id=message.pk) == MessageStatus.FAILED
    assert services.message_send(message_id=message.pk) == MessageStatus.PERMANENT_FAILURE
    message.refresh_from_db()
    assert message.attempts == 2 and message.last_error.startswith("Gave up after 2 attempts")


@worker_runs
def test_the_worker_retries_a_temporary_failure_until_it_is_sent(smtp, settings):
    settings.EARLYHELP_MESSAGES_RETRY_SECONDS = 0  # the retry is due at once, so the worker's batch runs it
    smtp.refuse += ["421 4.7.0 Busy", "452 4.2.2 Mailbox full"]
    message = _queue(_user())
    run_worker()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 3
    assert [m["To"] for m in smtp.wait_for(1)] == ["worker@council.example"]


# GOV.UK Notify -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_notify_gets_the_kinds_template_and_personalisation_and_the_delivery_is_read_back(notify, settings):
    settings.EARLYHELP_MESSAGES_SERVICE_URL = "https://earlyhelp.council.example"
    message = _queue(_user())
    assert services.message_send(message_id=message.pk) == MessageStatus.SENT
    message.refresh_from_db()
    sent = notify.sent[message.provider_reference]
    assert sent["type"] == "email" and sent["email_address"] == "worker@council.example"
    assert sent["template_id"] == TEMPLATES["allocation"] and sent["reference"] == str(message.pk)
    assert sent["personalisation"] == {"service_name": "Early Help", "local_authority": "Demo County Council",
                                       "link": "https://earlyhelp.council.example/episodes/7/"}
    assert DBTaskResult.objects.filter(task_path="earlyhelp.messaging.tasks.message_check_delivery").exists()

    notify.status = "sending"
    assert services.message_check_delivery(message_id=message.pk) == MessageStatus.SENT
    notify.status = "delivered"
    assert services.message_check_delivery(message_id=message.pk) == MessageStatus.DELIVERED
    message.refresh_from_db()
    assert message.delivered_at and message.status_checks == 2


@pytest.mark.django_db
def test_notify_says_permanent_failure_and_it_is_kept(notify):
    message = _queue(_user())
    services.message_send(message_id=message.pk)
    notify.status = "permanent-failure"
    assert services.message_check_delivery(message_id=message.pk) == MessageStatus.PERMANENT_FAILURE


@pytest.mark.django_db
def test_a_wrong_api_key_is_refused_by_notify_and_not_tried_again(notify, settings):
    settings.EARLYHELP_NOTIFY_API_KEY = "earlyhelp_test-26785a09-ab16-4eb0-8407-a37497a57506-" \
                                        "00000000-0000-0000-0000-000000000000"
    message = _queue(_user())
    assert services.message_send(message_id=message.pk) == MessageStatus.PERMANENT_FAILURE
    message.refresh_from_db()
    assert notify.refused_tokens == 1 and "403" in message.last_error and not notify.sent


@worker_runs
def test_the_worker_retries_notify_when_it_is_busy_then_reads_back_delivery(notify, settings):
    settings.EARLYHELP_MESSAGES_RETRY_SECONDS = 0
    settings.EARLYHELP_MESSAGES_STATUS_CHECK_SECONDS = 0
    notify.fail_next += [503, 429]
    message = _queue(_user())
    run_worker()
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED and message.attempts == 3
    assert list(notify.sent) == [message.provider_reference]


@pytest.mark.django_db
def test_a_text_message_goes_through_notify_and_never_over_smtp(notify, settings):
    message = services.message_queue(kind="family_acknowledgement", to="07700900123", channel=Channel.SMS,
                                     values={"working_days": 3})
    services.message_send(message_id=message.pk)
    message.refresh_from_db()
    sent = notify.sent[message.provider_reference]
    assert sent["type"] == "sms" and sent["phone_number"] == "07700900123"
    assert sent["template_id"] == TEMPLATES["family_acknowledgement_sms"]
    settings.EARLYHELP_MESSAGES_TRANSPORT = "smtp"
    assert services.message_queue(kind="family_acknowledgement", to="07700900124", channel=Channel.SMS,
                                  values={"working_days": 3}) is None
