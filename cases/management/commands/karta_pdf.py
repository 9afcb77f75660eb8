"""Write the same PDF/A kartas as the browser, one file per case, for archiving.

    python manage.py karta_pdf --as audytor --out DIR --case RPŚ-1/2026/0001 [--case …]
    python manage.py karta_pdf --as audytor --out DIR --region RPŚ-1 --closed-before 2026-01-01

The prints are made in the name of ``--as`` (a user whom the access policy lets print each
case) and written to the access log like any print.
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.karta_archive import closed_cases, karta_render
from cases.selectors import ACTIVE_FLAGS
from mopr import pdf, policy
from mopr.models import User


class Command(BaseCommand):
    help = "Zapisuje karty pracy socjalnej (PDF/A) wybranych spraw do katalogu, plik na sprawę."

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="username", required=True, help="Użytkownik, w którego imieniu drukujemy.")
        parser.add_argument("--out", required=True, help="Katalog docelowy.")
        parser.add_argument("--case", action="append", default=[], help="Numer sprawy (można podać wiele razy).")
        parser.add_argument("--region", help="Kod rejonu, np. RPŚ-1 (z --closed-before).")
        parser.add_argument("--closed-before", type=datetime.date.fromisoformat, help="RRRR-MM-DD")

    def handle(self, *args, username, out, case, region, closed_before, **options):
        if not case and not (region and closed_before):
            raise CommandError("Wskaż sprawy: --case NUMER (wiele razy) albo --region KOD --closed-before RRRR-MM-DD.")
        if case and (region or closed_before):
            raise CommandError("Podaj albo --case, albo --region z --closed-before – nie oba naraz.")
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"Nie ma aktywnego użytkownika {username}.") from None
        visible = policy.cases_visible_to(user).select_related("client", "region", "worker", "institution")
        if case:
            selected = list(visible.filter(number__in=case).prefetch_related(ACTIVE_FLAGS))
            missing = sorted(set(case) - {c.number for c in selected})
            if missing:
                raise CommandError(f"Nie znaleziono spraw (lub brak uprawnień): {', '.join(missing)}")
        else:
            selected = list(closed_cases(user=user, region_code=region, closed_before=closed_before))
            if not selected:
                raise CommandError("Brak zakończonych spraw spełniających warunki.")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        done, failed = 0, []
        for c in selected:
            # One case that cannot be printed (too slow, refused, a full disk) is reported and the
            # batch goes on (issue 16.10); the command says at the end what to run again.
            why = self._write_one(user=user, case=c, folder=folder)
            if why:
                failed.append(c.number)
                self.stderr.write(f"{c.number}: nie zapisano – {why}")
            else:
                done += 1
        if failed:
            raise CommandError(
                f"Zapisano karty: {done} z {len(selected)}. Nie zapisano: {', '.join(failed)} – "
                "uruchom polecenie ponownie dla tych spraw (--case …).",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(f"Zapisano karty: {done}."))

    def _write_one(self, *, user, case, folder: Path) -> str:
        """Write one karta; the reason in Polish when it could not be written, else ""."""
        body, why = karta_render(user=user, case=case)
        if body is None:
            return why
        target = folder / f"{pdf.ascii_filename(case.number)}.pdf"
        partial = target.with_suffix(".pdf.part")
        try:
            partial.write_bytes(body)  # whole or not at all: a full disk leaves no truncated karta
            partial.replace(target)
        except OSError as error:
            partial.unlink(missing_ok=True)
            return f"nie można zapisać pliku ({error.strerror or error})"
        self.stdout.write(f"{case.number} → {target}")
        return ""
