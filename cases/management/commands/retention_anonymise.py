"""Anonymise the closed cases past the institution's retention period, for a scheduled run.

    python manage.py retention_anonymise --institution "MOPR Toruń" --by dyrektor [--dry-run]

The work is attributed to ``--by``, who must be the institution's director (the same rule and the
same run as the director's page: ``cases.services.retention.cases_anonymise_each``). Each case is
anonymised in its own transaction, so one case refused (e.g. reopened meanwhile) does not stop the others;
cases held back by another case of the same client are listed and skipped.
"""

from django.core.management.base import BaseCommand, CommandError

from cases.selectors_retention import retention_anonymisable, retention_due
from cases.services.retention import DONE, cases_anonymise_each
from mopr import policy
from mopr.models import Institution, User


class Command(BaseCommand):
    help = "Anonimizuje zakończone sprawy ośrodka po okresie przechowywania (w imieniu dyrektora)."

    def add_arguments(self, parser):
        parser.add_argument("--institution", required=True, help="Nazwa skrócona ośrodka, np. „MOPR Toruń”.")
        parser.add_argument("--by", dest="username", required=True, help="Login dyrektora ośrodka.")
        parser.add_argument("--dry-run", action="store_true", help="Tylko wypisz sprawy, niczego nie zmieniaj.")

    def handle(self, *args, institution, username, dry_run, **options):
        try:
            inst = Institution.objects.get(short_name=institution)
        except Institution.DoesNotExist:
            raise CommandError(f"Nie ma ośrodka „{institution}”.") from None
        try:
            user = User.objects.get(username=username, institution=inst)
        except User.DoesNotExist:
            raise CommandError(f"Ośrodek {inst} nie ma użytkownika {username}.") from None
        if not policy.user_may_anonymise(user):
            raise CommandError(f"{username} nie jest (aktywnym) dyrektorem ośrodka – nie może anonimizować spraw.")

        for case in retention_due(user=user).filter(blocked_by__isnull=False):
            self.stdout.write(f"{case.number}: wstrzymana – klient ma sprawę {case.blocked_by}")
        due = list(retention_anonymisable(user=user))
        if dry_run:
            for case in due:
                self.stdout.write(f"{case.number}: do anonimizacji")
            self.stdout.write(self.style.SUCCESS(f"Próba: do anonimizacji {len(due)} spraw(y); nic nie zmieniono."))
            return
        outcomes = cases_anonymise_each(case_ids=[case.pk for case in due], by=user)
        for outcome in outcomes:
            if outcome.outcome == DONE:
                self.stdout.write(f"{outcome.number}: zanonimizowano")
            else:
                self.stderr.write(f"{outcome.number or outcome.case_id}: {outcome.outcome} – {outcome.reason}")
        done = sum(1 for outcome in outcomes if outcome.outcome == DONE)
        failed = len(outcomes) - done
        self.stdout.write(self.style.SUCCESS(f"Zanonimizowano: {done}; odmowy: {failed}."))
        if failed:
            raise CommandError(f"Nie zanonimizowano {failed} spraw(y) – powody wyżej.")
