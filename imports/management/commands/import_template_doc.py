from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from imports.docs import document_with_columns


class Command(BaseCommand):
    help = "Rewrite the table of columns in docs/import.md from imports/table.py."

    def handle(self, *args, **options):
        path = Path(settings.BASE_DIR) / "docs" / "import.md"
        path.write_text(document_with_columns(path.read_text("utf-8")), "utf-8")
        self.stdout.write(f"{path} rewritten")
