"""The dashboard summaries' repeating task (reporting/summaries.py): started by
`earlyhelp dashboard_summaries --schedule`, each run queues the next (background/schedule.py)."""

from django_tasks import task

from earlyhelp.background.schedule import next_run_queue


@task()
def dashboard_summaries_scheduled() -> int:
    from .summaries import refresh_interval, summaries_refresh

    try:
        return summaries_refresh()
    finally:
        next_run_queue(dashboard_summaries_scheduled, after=refresh_interval())
