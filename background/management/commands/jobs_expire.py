from django.core.management.base import BaseCommand

from background.services import jobs_expire


class Command(BaseCommand):
    help = "Usuwa pliki prac w tle, których czas minął (JOB_FILE_HOURS). Uruchamiaj z crona co godzinę."

    def handle(self, *args, **options):
        n = jobs_expire()
        self.stdout.write(f"Usunięto plików: {n}")
