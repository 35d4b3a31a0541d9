"""The acknowledgement to a family who asked for help through the public form: only by the route they gave, only
in the council's safe hours, and not at all when they wrote when it is safe (a person reads that first)."""

from datetime import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from earlyhelp.messaging import services
from earlyhelp.messaging.models import Channel, Message, MessageStatus
from tests.frontdoor.factories import self_referral


def london(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.mark.django_db
def test_a_family_who_gave_an_email_address_is_acknowledged_by_email_in_safe_hours(
        smtp, organisations, settings, django_capture_on_commit_callbacks):
    settings.EARLYHELP_MESSAGES_SERVICE_URL = "https://earlyhelp.council.example"
    with django_capture_on_commit_callbacks(execute=True):
        support_request = self_referral(contact_phone="", contact_email="kerry@example.com")
    message = Message.objects.get(kind="family_acknowledgement")
    assert message.channel == Channel.EMAIL and message.to == "kerry@example.com" and message.recipient is None
    assert message.send_after == services.family_send_after(message.send_after)  # inside the safe hours
    task = DBTaskResult.objects.get(task_path="earlyhelp.messaging.tasks.message_send")
    assert task.run_after == message.send_after
    services.message_send(message_id=message.pk)
    [arrived] = smtp.wait_for(1)
    text = arrived["Subject"] + arrived.get_content()
    assert "we have your request for help" in text and "https://earlyhelp.council.example/" in text
    for detail in ("Ellie", "Marsh", "Kerry", support_request.reference, "school"):
        assert detail not in text
    # Once only for a request.
    assert services.family_acknowledge(request_id=support_request.pk) is None


@pytest.mark.django_db
def test_a_family_who_gave_only_a_phone_number_gets_a_text_through_notify_and_nothing_by_smtp(
        notify, organisations, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        self_referral(contact_phone="07700900456")
    message = Message.objects.get(kind="family_acknowledgement")
    assert message.channel == Channel.SMS and message.to == "07700900456"
    assert services.message_send(message_id=message.pk) == MessageStatus.SENT
    assert "Ellie" not in message.body and len(message.body) <= 160 + 30
    settings.EARLYHELP_MESSAGES_TRANSPORT = "smtp"
    with django_capture_on_commit_callbacks(execute=True):
        self_referral(contact_phone="07700900457")
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_a_family_who_wrote_when_it_is_safe_gets_no_automatic_message(
        organisations, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        self_referral(contact_email="kerry@example.com", safe_to_contact="Only after 3pm, he checks my phone")
        self_referral(contact_email="sam@example.com", contact_phone="07700900458")
    # Given both routes, e-mail: a text's first words show on a locked phone's screen.
    assert list(Message.objects.values_list("to", "channel")) == [("sam@example.com", Channel.EMAIL)]


@pytest.mark.django_db
@pytest.mark.parametrize("now, expected", [
    (london(2026, 12, 2, 12, 30), london(2026, 12, 2, 12, 30)),  # a Wednesday at lunchtime: now
    (london(2026, 12, 2, 7, 5), london(2026, 12, 2, 9, 0)),  # early: at nine
    (london(2026, 12, 4, 17, 0), london(2026, 12, 7, 9, 0)),  # Friday at five: Monday
    (london(2026, 12, 24, 20, 0), london(2026, 12, 29, 9, 0)),  # Christmas Eve: past both bank holidays
])
def test_the_acknowledgement_waits_for_the_next_safe_hour(now, expected):
    assert services.family_send_after(now) == expected
