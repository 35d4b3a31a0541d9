from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.accounts.models import User
from earlyhelp.audit.subject_access import subject_access_write
from earlyhelp.people.models import Person


class Command(BaseCommand):
    help = "Write everything held about one person (HTML for reading, JSON for machines); audited."

    def add_arguments(self, parser):
        parser.add_argument("person_id", type=int)
        parser.add_argument("--requested-by", required=True, help="Username of the officer handling the request")
        parser.add_argument("--out", default="var/subject-access", help="Folder to write the pack to")

    def handle(self, *args, person_id: int, requested_by: str, out: str, **options):
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            raise CommandError(f"No person has the id {person_id}")
        officer = User.objects.filter(username=requested_by, is_active=True).first()
        if officer is None:
            raise CommandError(f"No active user is called {requested_by!r}")
        html_path, json_path = subject_access_write(person=person, requested_by=officer, out_dir=Path(out))
        self.stdout.write(f"Wrote {html_path} and {json_path}")
