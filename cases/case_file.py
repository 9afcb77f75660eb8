"""The case file to hand over (teczka sprawy, issue 19.5): the whole teczka of one case as one ZIP
for the family's new centre or a court – the index in Polish (``00_spis_dokumentow.pdf`` and
``spis.csv``), the karta (``01_karta_pracy_socjalnej.pdf``), every printout of the case in date
order (``05_wezwanie_2026-11-03.pdf``; which there are is each kind's declaration in the registry,
``cases/timeline.py`` ``case_printouts``, so this module names no other app), the letters that
handed the documentation on among them, and the scans under ``skany/``.

Who may: ``policy.user_may_export_case_file`` (the page's button and this module ask the same).
The file is logged once, as an export naming the case (``AccessLog.Action.EXPORT``); the printouts
inside are not logged one by one – the row says they left together. The case's timeline shows
nothing: a look at the case is the access log's, not the record's.

What cannot go in does not stop the rest: a printout that could not be rendered, a scan whose file
is missing on the disk or was removed by the anonymisation, is a line of the index marked *BRAK*
with the reason.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

import pikepdf
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.karta import karta_assemble
from cases.models import Case, CaseDocument
from cases.timeline import Printout, case_printouts
from mopr import pdf, policy
from mopr.errors import NotAllowed
from mopr.models import AccessLog, User
from mopr.services import access_log_write, render_slot_release, render_slot_take

INDEX_NAME = "00_spis_dokumentow.pdf"
CSV_NAME = "spis.csv"
SCANS = "skany"


@dataclass
class Part:
    """One line of the index: a file of the ZIP, or one that should be there and is not."""

    number: int
    name: str  # the path inside the ZIP
    title: str
    on: datetime.date | None
    pages: int | None = None  # PDFs
    size: int | None = None  # bytes
    missing: str = ""  # why it is not in the ZIP

    @property
    def size_text(self) -> str:
        if self.size is None:
            return "—"
        if self.size < 1024:
            return f"{self.size} B"
        if self.size < 1024 * 1024:
            return f"{self.size / 1024:.0f} KB".replace(".", ",")
        return f"{self.size / 1024 / 1024:.1f} MB".replace(".", ",")


@dataclass
class Plan:
    """What the case file will hold, before anything is rendered: the printouts and the scans."""

    case: Case
    printouts: list[Printout]
    scans: list[CaseDocument]

    @property
    def count(self) -> int:
        return 1 + len(self.printouts) + len(self.scans)  # the karta first


def slug(text: str, *, limit: int = 60) -> str:
    """ASCII for a file name: the Polish letters transliterated ("Wezwanie do ośrodka" →
    "wezwanie_do_osrodka"); anything else an underscore, none doubled, none at either end."""
    plain = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    plain = re.sub(r"[^a-z0-9]+", "_", plain.encode("ascii", "ignore").decode()).strip("_")
    return plain[:limit].rstrip("_") or "dokument"


def _extension(document: CaseDocument) -> str:
    """The scan's own extension, kept (".pdf", ".jpg"); letters and digits only."""
    suffix = PurePath(document.original_name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""


def case_file_plan(*, user: User, case: Case) -> Plan:
    """The printouts and scans of the case, for the page that offers the file and for the file."""
    return Plan(
        case=case,
        printouts=case_printouts(case=case, user=user),
        scans=list(CaseDocument.objects.filter(case=case).order_by("document_date", "pk")),
    )


def case_file_name(case: Case) -> str:
    return f"teczka-{pdf.ascii_filename(case.number)}.zip"


def _pages(body: bytes) -> int | None:
    try:
        with pikepdf.open(io.BytesIO(body)) as document:
            return len(document.pages)
    except pikepdf.PdfError:
        return None


def _render(template: str, context: dict, *, title: str, case: Case, user: User) -> tuple[bytes | None, str]:
    meta = pdf.PrintMeta(title=title, institution=case.institution, case_number=case.number,
                         printed_by=user.get_full_name())  # fmt: skip
    try:
        return pdf.render_pdf(template, context, meta), ""
    except pdf.RenderTimeout:
        return None, _("wydruk trwał dłużej niż pozwala PDF_RENDER_TIMEOUT")
    except pdf.RenderFailed as error:
        return None, _("błąd tworzenia PDF (%(e)s)") % {"e": str(error)[:200]}


def case_file_write(*, user: User, case: Case, out: IO[bytes], request=None, address: str | None = None) -> list[Part]:
    """Write the case file of ``case`` into ``out`` (a ZIP) for ``user`` and log it; return the index.

    Refused (``NotAllowed``) unless the policy lets the user hand the file over. The renders take
    one of the user's PDF render slots for the whole file (``RenderBusy`` when none is free), so
    one person's case files cannot occupy the render helper for everyone."""
    if not policy.user_may_export_case_file(user, case):
        raise NotAllowed(policy.case_file_refusal(user, case))
    # The letters address the head of the family (``client.head``): the members read once, not per letter.
    prefetch_related_objects([case], "client__members")
    plan = case_file_plan(user=user, case=case)
    width = max(2, len(str(plan.count)))
    parts: list[Part] = []
    slot = render_slot_take(user=user)
    try:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            karta_part = Part(1, f"{1:0{width}d}_karta_pracy_socjalnej.pdf", _("Karta Pracy Socjalnej"),
                              timezone.localdate())  # fmt: skip
            body, why = _render("printouts/karta.html", {"karta": karta_assemble(case=case)},
                                title=karta_part.title, case=case, user=user)  # fmt: skip
            parts.append(_put(archive, karta_part, body, why))
            for printout in plan.printouts:
                n = len(parts) + 1
                part = Part(n, f"{n:0{width}d}_{slug(printout.slug)}_{printout.on:%Y-%m-%d}.pdf", printout.title,
                            printout.on)  # fmt: skip
                body, why = _render(printout.template, printout.context, title=printout.title, case=case, user=user)
                parts.append(_put(archive, part, body, why))
            for document in plan.scans:
                parts.append(_put_scan(archive, document, len(parts) + 1, width))
            index = _index_pdf(case=case, user=user, parts=parts)
            archive.writestr(INDEX_NAME, index)
            archive.writestr(CSV_NAME, _index_csv(parts))
    finally:
        render_slot_release(slot=slot)
    missing = sum(1 for p in parts if p.missing)
    what = f"Teczka sprawy (ZIP, dokumentów: {len(parts)}" + (f", brak: {missing}" if missing else "") + ")"
    access_log_write(user=user, action=AccessLog.Action.EXPORT, what=f"{what}: {case.number}", case=case,
                     request=request, address=address)  # fmt: skip
    return parts


def _put(archive: zipfile.ZipFile, part: Part, body: bytes | None, why: str) -> Part:
    if body is None:
        part.missing = _("nie udało się wydrukować: %(why)s") % {"why": why}
        return part
    archive.writestr(part.name, body)
    part.pages, part.size = _pages(body), len(body)
    return part


def _put_scan(archive: zipfile.ZipFile, document: CaseDocument, n: int, width: int) -> Part:
    stem = slug(PurePath(document.original_name).stem or document.get_kind_display(), limit=50)
    name = f"{SCANS}/{n:0{width}d}_{stem}_{document.document_date:%Y-%m-%d}{_extension(document)}"
    title = _("Skan: %(k)s – %(d)s") % {"k": document.get_kind_display(), "d": document.description}
    part = Part(n, name, title, document.document_date, size=document.size)
    if not document.file:
        part.missing = _("plik usunięty przy anonimizacji")
        return part
    try:
        source = document.file.open("rb")
    except OSError:  # FileNotFoundError and a disk that refuses alike: listed, not a 500
        part.missing = _("brak pliku na serwerze (zgłoś administratorowi: manage.py media_check)")
        return part
    with source, archive.open(name, "w") as target:
        shutil.copyfileobj(source, target, 1024 * 1024)
    info = archive.getinfo(name)
    part.size = info.file_size
    if name.endswith(".pdf"):
        with archive.open(name) as written:
            part.pages = _pages(written.read())
    return part


def _index_pdf(*, case: Case, user: User, parts: list[Part]) -> bytes:
    meta = pdf.PrintMeta(title=_("Spis dokumentów teczki sprawy"), institution=case.institution,
                         case_number=case.number, printed_by=user.get_full_name())  # fmt: skip
    context = {"case": case, "parts": parts, "user": user, "index_name": INDEX_NAME, "csv_name": CSV_NAME,
               "missing": [p for p in parts if p.missing]}  # fmt: skip
    # The index is the file's table of contents: without it the ZIP is not handed over.
    return pdf.render_pdf("printouts/case_file_index.html", context, meta)


def _index_csv(parts: list[Part]) -> bytes:
    text = io.StringIO()
    text.write("\ufeff")  # Excel reads the Polish letters as UTF-8 (as the register's CSV)
    writer = csv.writer(text, delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writerow(["Lp.", "Plik", "Dokument", "Data", "Strony", "Rozmiar (bajty)", "Uwagi"])
    for p in parts:
        writer.writerow([
            p.number, p.name, p.title, f"{p.on:%d.%m.%Y}" if p.on else "", p.pages or "",
            "" if p.missing else (p.size or ""), f"BRAK – {p.missing}" if p.missing else "",
        ])  # fmt: skip
    return text.getvalue().encode("utf-8")
