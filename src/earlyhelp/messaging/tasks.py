"""The background tasks of messages (django-tasks; a worker is `earlyhelp db_worker`)."""

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from earlyhelp.background.schedule import next_run_queue


@task()
def message_send(message_id: int) -> str:
    from .services import message_send as send

    return send(message_id=message_id)


@task()
def message_check_delivery(message_id: int) -> str:
    from .services import message_check_delivery as check

    return check(message_id=message_id)


@task()
def reminders_scheduled() -> int:
    """Queue what falls due, then the next run (started by `earlyhelp messages_due --schedule`)."""
    from .due import reminders_queue

    queued = reminders_queue()
    next_run_queue(reminders_scheduled, after=timedelta(hours=settings.EARLYHELP_MESSAGES_DUE_HOURS))
    return queued
