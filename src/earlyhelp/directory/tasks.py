"""The scheduled import. django-tasks has no clock of its own, so each run queues the next one
EARLYHELP_DIRECTORY_IMPORT_HOURS later (`earlyhelp directory_import --schedule` queues the first);
a run finding the next already queued does not queue a second, so the chain never doubles."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

TASK_PATH = "earlyhelp.directory.tasks.directory_import_scheduled"


def next_run_queue() -> bool:
    """Queue the next scheduled import unless one is already waiting; True when one was queued."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY", run_after__gt=timezone.now())
    if waiting.exists():
        return False
    run_after = timezone.now() + timedelta(hours=settings.EARLYHELP_DIRECTORY_IMPORT_HOURS)
    directory_import_scheduled.using(run_after=run_after).enqueue()
    return True


@task()
def directory_import_scheduled() -> list[str]:
    """Import every feed in EARLYHELP_DIRECTORY_FEEDS; a bad feed is reported and the others still read."""
    from .services import FeedError, directory_import_feed

    said = []
    try:
        for base_url in settings.EARLYHELP_DIRECTORY_FEEDS:
            try:
                said.append(str(directory_import_feed(base_url=base_url)))
            except FeedError as error:
                said.append(f"{base_url}: not imported: {error}")
    finally:
        next_run_queue()
    return said
