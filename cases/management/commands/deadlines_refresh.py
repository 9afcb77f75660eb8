"""Recompute the stale deadline summaries of every case, for a nightly run (cron, systemd timer):

    python manage.py deadlines_refresh [--all]

The register's "overdue" filter and its exports recompute the stale summaries of the cases they
read anyway (``cases/services/deadline_summaries.py``); this only does it ahead, so that the first
director to filter a whole institution on the first day of a month – when every case with a
family assistant owes a new monthly report – does not wait for it. ``--all`` recomputes every
case (after an upgrade that changed a rule of ``cases/deadlines.py``).
"""

import time

from django.core.management.base import BaseCommand

from cases.models import Case, DeadlineSummary
from cases.services.deadline_summaries import deadline_summaries_refresh


class Command(BaseCommand):
    help = "Przelicza nieaktualne podsumowania terminów spraw (filtr „terminy przekroczone” w rejestrze)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Przelicz wszystkie sprawy, nie tylko nieaktualne.")

    def handle(self, *args, all: bool, **options):
        started = time.monotonic()
        if all:
            DeadlineSummary.objects.update(valid_until=None)
        computed = deadline_summaries_refresh(cases=Case.objects.all())
        self.stdout.write(f"Przeliczono terminy {computed} spraw w {time.monotonic() - started:.1f} s.")
