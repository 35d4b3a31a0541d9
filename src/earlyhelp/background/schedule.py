"""Repeating background work. django-tasks has no clock of its own, so each run of a repeating
task queues the next; a run finding the next already waiting queues no second, so the chain
never doubles, and starting it again (a `--schedule` command, a deploy) is harmless."""

from datetime import timedelta

from django.utils import timezone


def next_run_queue(task, *, after: timedelta) -> bool:
    """Queue `task` to run `after` from now unless a run of it is already waiting; True when queued."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=task.module_path, status="READY", run_after__gt=timezone.now())
    if waiting.exists():
        return False
    task.using(run_after=timezone.now() + after).enqueue()
    return True
