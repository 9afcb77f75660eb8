"""Write the same PDF/A kartas as the browser, one file per case, for archiving.

    python manage.py karta_pdf --as audytor --out DIR --case RPŚ-1/2026/0001 [--case …]
    python manage.py karta_pdf --as audytor --out DIR --region RPŚ-1 --closed-before 2026-01-01

The prints are made in the name of ``--as`` (a user whom the access policy lets print each
case) and written to the access log like any print.
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.karta import karta_assemble
from cases.procedure import Stage
from cases.selectors import ACTIVE_FLAGS
from mopr import pdf, policy
from mopr.models import AccessLog, User
from mopr.policy import Action
from mopr.services import access_log_write


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
            end = timezone.make_aware(datetime.datetime.combine(closed_before, datetime.time.min))
            selected = list(
                visible.filter(region__code=region, stage=Stage.ZAKONCZENIE, closed_at__lt=end)
                .prefetch_related(ACTIVE_FLAGS)
                .order_by("number")
            )
            if not selected:
                raise CommandError("Brak zakończonych spraw spełniających warunki.")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        for c in selected:
            if not policy.case_allows(user, c, Action.PRINT):
                raise CommandError(f"{user} nie może drukować sprawy {c.number}.")
            meta = pdf.PrintMeta(
                title="Karta Pracy Socjalnej", institution=c.institution, case_number=c.number,
                printed_by=user.get_full_name(),
            )  # fmt: skip
            body = pdf.render_pdf("printouts/karta.html", {"karta": karta_assemble(case=c)}, meta)
            target = folder / f"{pdf.ascii_filename(c.number)}.pdf"
            target.write_bytes(body)
            access_log_write(user=user, action=AccessLog.Action.PRINT, what=f"Karta (archiwum): {c.number}", case=c)
            self.stdout.write(f"{c.number} → {target}")
        self.stdout.write(self.style.SUCCESS(f"Zapisano karty: {len(selected)}."))
