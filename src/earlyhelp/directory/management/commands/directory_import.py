"""earlyhelp directory_import [BASE_URL ...] [--schedule]: read Open Referral UK feeds into the directory."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from earlyhelp.directory.services import FeedError, directory_import_feed
from earlyhelp.directory.tasks import next_run_queue


class Command(BaseCommand):
    help = ("Read Open Referral UK feeds (their base URLs; EARLYHELP_DIRECTORY_FEEDS when none is given) into "
            "the directory of services, each in one transaction: a bad feed changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("base_urls", nargs="*", metavar="BASE_URL")
        parser.add_argument("--schedule", action="store_true",
                            help="Only queue the scheduled import for the background worker (then it re-queues itself)")

    def handle(self, *args, base_urls, schedule, **options):
        if schedule:
            queued = next_run_queue()
            self.stdout.write("The scheduled import is queued" if queued else "The scheduled import was already queued")
            return
        base_urls = base_urls or settings.EARLYHELP_DIRECTORY_FEEDS
        if not base_urls:
            raise CommandError("Give a feed's base URL, or set EARLYHELP_DIRECTORY_FEEDS")
        failed = []
        for base_url in base_urls:
            if not base_url.startswith(("http://", "https://")):
                raise CommandError(f"{base_url} is not an http or https URL")
            try:
                self.stdout.write(str(directory_import_feed(base_url=base_url)))
            except FeedError as error:
                failed.append(f"{base_url}: not imported, nothing changed: {error}")
        if failed:
            raise CommandError("\n".join(failed))
