from django.conf import settings
from django.core.management.base import BaseCommand

from earlyhelp.audit.retention import families_past_retention, family_anonymise, retention_cutoff


class Command(BaseCommand):
    help = (
        "List families whose records are past the retention period since closure; "
        "with --anonymise --confirm, anonymise them and record that it was done."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anonymise", action="store_true", help="Anonymise the families listed")
        parser.add_argument("--confirm", action="store_true", help="Needed with --anonymise: you have checked the list")
        parser.add_argument("--by", default="retention command", help="Who is doing this (recorded)")

    def handle(self, *args, anonymise: bool, confirm: bool, by: str, **options):
        families = list(families_past_retention())
        self.stdout.write(
            f"Retention period: {settings.EARLYHELP_RETENTION_YEARS} years after closure "
            f"(closed before {retention_cutoff():%d/%m/%Y}). {len(families)} families are due."
        )
        for family in families:
            self.stdout.write(f"  family {family.pk}: last closed {family.last_closed_on:%d/%m/%Y}")
        if anonymise and not confirm:
            self.stdout.write("Nothing changed: add --confirm to anonymise these families.")
            return
        if anonymise:
            for family in families:
                family_anonymise(family=family, done_by=by)
            self.stdout.write(f"Anonymised {len(families)} families; each is recorded in the audit.")
