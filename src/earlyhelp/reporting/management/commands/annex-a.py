from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.reporting.annex_a import annex_a_problems, annex_a_rows, write_csv, write_xlsx


class Command(BaseCommand):
    help = "Write Ofsted Annex A List 2 (early help) as XLSX, or CSV when --out ends in .csv."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", required=True, help="The inspection date, YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="The file to write (.xlsx or .csv)")

    def handle(self, *args, as_of: str, out: str, **options):
        try:
            as_of_date = date.fromisoformat(as_of)
        except ValueError:
            raise CommandError("--as-of must be a date written YYYY-MM-DD, for example 2026-11-30") from None
        rows = annex_a_rows(as_of=as_of_date)
        problems = annex_a_problems(rows)
        if problems:
            for problem in problems:
                self.stderr.write(f"{problem.child_id}: {problem.column} {problem.message}")
            raise CommandError(f"{len(problems)} values need correcting first; nothing was written.")
        path = Path(out)
        (write_csv if path.suffix.lower() == ".csv" else write_xlsx)(rows, path)
        self.stdout.write(f"Wrote {len(rows)} children to {path}")
