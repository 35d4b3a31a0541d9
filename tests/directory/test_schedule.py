"""The scheduled import: the background worker runs it and it queues the next run itself."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from earlyhelp.directory.models import Service
from earlyhelp.directory.tasks import TASK_PATH, directory_import_scheduled
from tests.background.worker import run_worker, worker_runs


def waiting():
    return DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY")


@worker_runs
def test_the_worker_imports_every_feed_and_queues_the_next_run_once(feed_server, settings, capsys):
    settings.EARLYHELP_DIRECTORY_FEEDS = [feed_server.url, "http://127.0.0.1:9/not-a-feed"]
    directory_import_scheduled.enqueue()
    run_worker()
    assert Service.objects.filter(source=feed_server.url).count() == 5
    done = DBTaskResult.objects.get(task_path=TASK_PATH, status="SUCCESSFUL")
    assert done.return_value[0].startswith(f"{feed_server.url}: 5 services")
    assert done.return_value[1].startswith("http://127.0.0.1:9/not-a-feed: not imported: Could not reach")
    (next_run,) = waiting()
    hours = (next_run.run_after - timezone.now()) / timedelta(hours=1)
    assert 23.9 < hours <= 24
    # Queuing by hand, or another run, does not start a second chain.
    call_command("directory_import", "--schedule")
    assert "already queued" in capsys.readouterr().out
    directory_import_scheduled.call()
    assert waiting().count() == 1


@worker_runs
def test_schedule_queues_the_first_run(settings, capsys):
    call_command("directory_import", "--schedule")
    assert "is queued" in capsys.readouterr().out
    assert waiting().count() == 1
