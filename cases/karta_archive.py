"""Kartas for the archive, many at once (seed 000 VI; issue 16.10, 18.5): the same PDF/A as the
browser prints, made in the name of a user whom the access policy lets print each case, each
print in the access log. Used by ``manage.py karta_pdf`` (a folder of files) and by the
background work *Archiwum kart* (one ZIP for the person who asked)."""

from __future__ import annotations

import datetime
import zipfile
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone

from cases.karta import karta_assemble
from cases.models import Case
from cases.procedure import Stage
from cases.selectors import ACTIVE_FLAGS
from mopr import pdf, policy
from mopr.models import AccessLog, User
from mopr.policy import Action
from mopr.services import access_log_write


def closed_cases(*, user: User, region_code: str, closed_before: datetime.date) -> QuerySet[Case]:
    """The closed cases of a region the user may see, closed before the day."""
    end = timezone.make_aware(datetime.datetime.combine(closed_before, datetime.time.min))
    return (
        policy.cases_visible_to(user)
        .select_related("client", "region", "worker", "institution")
        .filter(region__code=region_code, stage=Stage.ZAKONCZENIE, closed_at__lt=end)
        .prefetch_related(ACTIVE_FLAGS)
        .order_by("number")
    )


def karta_render(*, user: User, case: Case) -> tuple[bytes | None, str]:
    """One karta as PDF bytes, logged as a print; or None and the reason in Polish."""
    if not policy.case_allows(user, case, Action.PRINT):
        return None, f"{user} nie może drukować tej sprawy"
    meta = pdf.PrintMeta(
        title="Karta Pracy Socjalnej", institution=case.institution, case_number=case.number,
        printed_by=user.get_full_name(),
    )  # fmt: skip
    try:
        body = pdf.render_pdf("printouts/karta.html", {"karta": karta_assemble(case=case)}, meta)
    except pdf.RenderTimeout:
        return None, "wydruk trwał dłużej niż pozwala PDF_RENDER_TIMEOUT"
    except pdf.RenderFailed as error:
        return None, f"błąd tworzenia PDF ({str(error)[:200]})"
    access_log_write(user=user, action=AccessLog.Action.PRINT, what=f"Karta (archiwum): {case.number}", case=case)
    return body, ""


def karta_zip(*, user: User, cases: list[Case], out: IO[bytes], progress) -> list[str]:
    """The kartas of ``cases`` into one ZIP (a file per case); a case that could not be printed is
    listed in NIE_ZAPISANO.txt inside and the rest go on. Returns those case numbers."""
    failed: list[str] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for n, case in enumerate(cases, start=1):
            body, why = karta_render(user=user, case=case)
            if body is None:
                failed.append(f"{case.number}: {why}")
            else:
                archive.writestr(f"{pdf.ascii_filename(case.number)}.pdf", body)
            progress(n, len(cases))
        if failed:
            archive.writestr("NIE_ZAPISANO.txt", "\n".join(failed) + "\n")
    return failed
