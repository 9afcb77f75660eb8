"""List the files under MEDIA_ROOT that no row names and the rows whose file is missing.

manage.py media_check                      # a report; exit status 1 when anything is found
manage.py media_check --delete-orphans     # also delete files with no row, older than a day
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from mopr.media import media_check, media_delete_orphans


class Command(BaseCommand):
    help = "Pliki bez wpisu w bazie i wpisy bez pliku (skany w teczkach spraw)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete-orphans", action="store_true", help="Usuń pliki, których nie wskazuje żaden wpis."
        )
        parser.add_argument(
            "--older-than-hours", type=int, default=24, help="Tylko pliki starsze niż tyle godzin (domyślnie 24)."
        )

    def handle(self, *args, delete_orphans: bool, older_than_hours: int, **options):
        report = media_check()
        for name in report.files_without_row:
            self.stdout.write(f"plik bez wpisu: {name}")
        for label, pk, name in report.rows_without_file:
            self.stdout.write(f"wpis bez pliku: {label} #{pk}: {name}")
        if delete_orphans:
            deleted = media_delete_orphans(report=report, older_than=datetime.timedelta(hours=older_than_hours))
            for name in deleted:
                self.stdout.write(f"usunięto: {name}")
            remaining = len(report.files_without_row) - len(deleted)
        else:
            remaining = len(report.files_without_row)
        self.stdout.write(f"Plików bez wpisu: {remaining}; wpisów bez pliku: {len(report.rows_without_file)}.")
        if remaining or report.rows_without_file:
            raise CommandError("Pliki i wpisy nie zgadzają się – szczegóły powyżej.", returncode=1)
