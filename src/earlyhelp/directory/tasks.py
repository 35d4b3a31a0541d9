"""The scheduled import: each run queues the next one EARLYHELP_DIRECTORY_IMPORT_HOURS later
(`earlyhelp directory_import --schedule` queues the first; background/schedule.py)."""

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from earlyhelp.background.schedule import next_run_queue as _queue_after

TASK_PATH = "earlyhelp.directory.tasks.directory_import_scheduled"


def next_run_queue() -> bool:
    """Queue the next scheduled import unless one is already waiting; True when one was queued."""
    return _queue_after(directory_import_scheduled, after=timedelta(hours=settings.EARLYHELP_DIRECTORY_IMPORT_HOURS))


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
