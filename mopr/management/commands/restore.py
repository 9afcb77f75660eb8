"""``manage.py restore``: a backup into an empty database and MEDIA_ROOT, verified row by row and file by file;
``--check`` only checks the archive (the logic: mopr/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mopr.backup import BackupError, backup_check, backup_pending_migrations, backup_restore, backup_summary


class Command(BaseCommand):
    help = (
        "Odtwarza kopię zapasową (manage.py backup) do pustej bazy danych i katalogu MEDIA_ROOT, a potem sprawdza "
        "liczbę wierszy każdej tabeli i sumę SHA-256 każdego pliku. Z --check tylko sprawdza archiwum."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="plik .tar.gz utworzony przez manage.py backup")
        parser.add_argument(
            "--check",
            action="store_true",
            help="tylko sprawdź archiwum (pliki i zrzut bazy wobec manifestu), bez dotykania bazy danych",
        )

    def handle(self, *args, archive: str, check: bool, verbosity: int, **options):
        try:
            manifest = backup_check(source=Path(archive)) if check else backup_restore(source=Path(archive))
        except BackupError as e:
            raise CommandError(str(e)) from e
        if not verbosity:
            return
        if check:
            self.stdout.write(self.style.SUCCESS(f"Archiwum {archive} jest kompletne i zgodne z manifestem."))
            self.stdout.write(f"Zawartość: {backup_summary(manifest)}.")
            return
        self.stdout.write(self.style.SUCCESS(f"Odtworzono kopię {archive}."))
        self.stdout.write(
            f"Sprawdzono: {backup_summary(manifest)} – liczby wierszy i sumy plików zgadzają się z manifestem."
        )
        if pending := backup_pending_migrations():
            self.stdout.write(
                self.style.WARNING(
                    f"Kopia pochodzi ze starszej wersji programu (migracje do wykonania: {len(pending)}) – "
                    "uruchom teraz: python manage.py migrate"
                )
            )
