"""earlyhelp messages_due: queue reminders of actions and reviews falling due (each once only)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Queue reminders of plan actions and reviews falling due; --schedule also starts the repeating task."

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true",
                            help="also queue the background task that repeats this every EARLYHELP_MESSAGES_DUE_HOURS")

    def handle(self, *args, schedule=False, **options):
        from ...due import reminders_queue
        from ...tasks import reminders_scheduled

        queued = reminders_queue()
        self.stdout.write(f"{queued} reminder{'s' if queued != 1 else ''} queued")
        if schedule:
            reminders_scheduled.enqueue()
            self.stdout.write("The repeating reminders task is queued")
