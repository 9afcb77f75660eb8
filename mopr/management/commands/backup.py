"""``manage.py backup``: the database and the uploaded scans in one archive (the logic: mopr/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mopr.backup import BackupError, backup_create, backup_default_name, backup_summary


class Command(BaseCommand):
    help = (
        "Tworzy kopię zapasową: zrzut bazy danych (SQLite lub PostgreSQL, narzędziem samej bazy) i wszystkie "
        "pliki z MEDIA_ROOT w jednym archiwum .tar.gz z manifestem (liczby wierszy, sumy SHA-256 plików)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="plik archiwum albo istniejący katalog; domyślnie mopr-RRRRMMDD-GGMM.tar.gz w bieżącym katalogu",
        )

    def handle(self, *args, output: str | None, verbosity: int, **options):
        target = Path(output) if output else Path(backup_default_name())
        if target.is_dir():
            target = target / backup_default_name()
        try:
            manifest = backup_create(target=target)
        except BackupError as e:
            raise CommandError(str(e)) from e
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Zapisano kopię zapasową: {target}"))
            self.stdout.write(f"Zawartość: {backup_summary(manifest)}.")
            self.stdout.write("Archiwum zawiera dane osobowe – przechowuj je zaszyfrowane, poza serwerem.")
