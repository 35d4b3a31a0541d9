"""Reminders of actions and reviews falling due: found by a command (and its repeating task), once per item."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from earlyhelp.episodes.models import ActionStatus, Outcome, PlanAction
from earlyhelp.messaging.due import reminders_queue
from earlyhelp.messaging.models import Message


def action_owned_by(episode, user, *, due_in_days: int, status=ActionStatus.NOT_STARTED) -> PlanAction:
    outcome = Outcome.objects.create(episode=episode, in_familys_words="We want mornings to be calmer")
    return PlanAction.objects.create(outcome=outcome, description="Morning routine chart", owner_user=user,
                                     due_on=timezone.localdate() + timedelta(days=due_in_days), status=status)


@pytest.mark.django_db
def test_each_action_and_review_due_is_reminded_once_however_often_it_runs(episode, staff, settings):
    settings.EARLYHELP_MESSAGES_DUE_DAYS = 2
    practitioner, adviser = staff("practitioner"), staff("adviser")
    due = action_owned_by(episode, practitioner, due_in_days=2)
    action_owned_by(episode, practitioner, due_in_days=3)  # not yet
    action_owned_by(episode, practitioner, due_in_days=1, status=ActionStatus.DONE)  # done: nothing to remind
    episode.review_due_on, episode.allocated_worker = timezone.localdate(), adviser
    episode.save(update_fields=["review_due_on", "allocated_worker"])

    assert reminders_queue() == 3  # the action; the review, to the lead professional and the allocated worker
    assert reminders_queue() == 0
    call_command("messages_due", stdout=open("/dev/null", "w"))
    assert sorted(Message.objects.values_list("kind", "recipient__username")) == [
        ("action_due", "practitioner"), ("review_due", "adviser"), ("review_due", "practitioner")]
    assert Message.objects.get(kind="action_due").personalisation["due_date"] == f"{due.due_on:%-d %B %Y}"

    # Its due date moved: reminded again of the new date.
    due.due_on -= timedelta(days=1)
    due.save(update_fields=["due_on"])
    assert reminders_queue() == 1


@pytest.mark.django_db
def test_a_user_who_chose_not_to_be_reminded_is_not(episode, staff):
    from earlyhelp.messaging.services import message_preferences_set

    practitioner = staff("practitioner")
    message_preferences_set(user=practitioner, wanted={"allocation", "review_due"})
    action_owned_by(episode, practitioner, due_in_days=0)
    assert reminders_queue() == 0


@pytest.mark.django_db
def test_the_schedule_option_queues_the_repeating_task(db):
    call_command("messages_due", "--schedule", stdout=open("/dev/null", "w"))
    assert DBTaskResult.objects.filter(task_path="earlyhelp.messaging.tasks.reminders_scheduled").count() == 1
