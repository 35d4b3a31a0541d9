from django.core.management.base import BaseCommand, CommandError

from earlyhelp.seed import seed_database


class Command(BaseCommand):
    help = "Load synthetic demo data: organisations and staff scaled to --families (deterministic per --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--families", type=int, default=200, help="How many families the council has (default 200).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same data.")
        parser.add_argument("--reset", action="store_true", help="Delete existing seeded data first.")

    def handle(self, *args, families: int, seed: int, reset: bool, **options):
        if families < 0:
            raise CommandError("--families must be 0 or more")
        summary = seed_database(families=families, seed=seed, reset=reset,
                                progress=self.stdout.write if options["verbosity"] > 1 else None)
        verb = "Created" if summary.created else "Already loaded, left as it is:"
        self.stdout.write(
            f"{verb} {summary.localities} localities, {summary.agencies} agencies, "
            f"{summary.teams} teams, {summary.users} users."
        )
