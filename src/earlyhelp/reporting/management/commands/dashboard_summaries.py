"""earlyhelp dashboard_summaries [--schedule]: work out the dashboard's first figures now."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Work out the figures the dashboard opens with (the whole council and each locality) and keep them "
            "in the shared cache; --schedule also starts the task repeating this every "
            "EARLYHELP_DASHBOARD_SUMMARY_MINUTES.")

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true",
                            help="also queue the background task that repeats this")

    def handle(self, *args, schedule=False, **options):
        from earlyhelp.background.schedule import next_run_queue

        from ...summaries import refresh_interval, summaries_refresh
        from ...tasks import dashboard_summaries_scheduled

        refreshed = summaries_refresh()
        self.stdout.write(f"Dashboard figures worked out for {refreshed} sets of filters")
        if schedule:
            queued = next_run_queue(dashboard_summaries_scheduled, after=refresh_interval())
            self.stdout.write("The repeating task is queued" if queued else "The repeating task was already queued")
