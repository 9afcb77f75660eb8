"""The one PDF module: every printout (karta, Oświadczenie, contract, letters) is rendered here.

- WeasyPrint, from a Django template that extends ``printouts/base.html`` with its own print
  stylesheet (``static/print/print.css``; no Bootstrap) and complete TrueType fonts with the
  Polish letters, shipped in ``static/fonts`` and embedded in the file;
- a URL fetcher that refuses the network and every file outside ``static/``
  (``mopr.pdf_worker``), and a time limit per render (``PDF_RENDER_TIMEOUT`` seconds): the
  render runs in a helper process that is killed when it overruns;
- PDF/A-3b, so the copies can go to the archive;
- A4, a running header with the institution and the case number, "strona X z Y", and
  "Wydrukował(a) … dnia …" in the footer.

The HTML print preview renders the same template with the stylesheet served over HTTP, so it
shows what the PDF will show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone

from mopr.pdf_worker import RenderFailed, RenderTimeout, renderer

PDF_VARIANT = "pdf/a-3b"
STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()

__all__ = [
    "PDF_VARIANT",
    "PrintMeta",
    "RenderBusy",
    "RenderFailed",
    "RenderTimeout",
    "ascii_filename",
    "pdf_response",
    "print_failed",
    "render_html",
    "render_pdf",
]


class RenderBusy(RenderFailed):
    """The user has PDF_RENDERS_PER_USER renders under way already (issue 14.8)."""


@dataclass(frozen=True)
class PrintMeta:
    """What the header and the footer of every page say."""

    title: str
    institution: object
    case_number: str = ""
    printed_by: str = ""
    printed_at: object = field(default_factory=timezone.localtime)


def render_html(template: str, context: dict, meta: PrintMeta, *, for_browser: bool = False) -> str:
    """The printout's HTML. The PDF reads the stylesheet (and through it the fonts) from static/ on disk;
    ``for_browser`` (the preview) links the collected copy under its content-hashed name, whose font
    URLs collectstatic has rewritten to the hashed names too."""
    css = static("print/print.css") if for_browser else (STATIC_DIR / "print" / "print.css").as_uri()
    return render_to_string(template, {**context, "meta": meta, "print_css": css, "preview": for_browser})


def html_to_pdf(html: str) -> bytes:
    return renderer.render(html, static_dir=str(STATIC_DIR), variant=PDF_VARIANT, timeout=settings.PDF_RENDER_TIMEOUT)


def render_pdf(template: str, context: dict, meta: PrintMeta, *, user=None) -> bytes:
    """The PDF; for a ``user`` (every request) within their limit of renders under way, else
    RenderBusy. Commands render without a user."""
    if user is None:
        return html_to_pdf(render_html(template, context, meta))
    from mopr.services import render_slot_release, render_slot_take

    slot = render_slot_take(user=user)
    try:
        return html_to_pdf(render_html(template, context, meta))
    finally:
        render_slot_release(slot=slot)


def print_failed(request, error: RenderFailed | RenderTimeout, *, title: str, case=None):
    """Never a 500: the printout failed, took too long, or the user has too many under way."""
    from django.shortcuts import render

    busy = isinstance(error, RenderBusy)
    context = {"case": case, "title": title, "busy": busy, "limit": settings.PDF_RENDERS_PER_USER}
    return render(request, "errors/print_failed.html", context, status=429 if busy else 503)


def pdf_response(request, *, case, template: str, context: dict, title: str, filename: str):
    """Render a printout of ``case`` (or of no one case: the user's institution's) for
    ``request.user``, write the print to the access log, and answer with the PDF (inline, so the
    browser shows it)."""
    from django.http import HttpResponse

    from mopr.models import AccessLog
    from mopr.services import access_log_write

    meta = PrintMeta(
        title=title,
        institution=case.institution if case is not None else request.user.institution,
        case_number=case.number if case is not None else "",
        printed_by=request.user.get_full_name(),
    )
    try:
        body = render_pdf(template, context, meta, user=request.user)
    except (RenderTimeout, RenderFailed) as error:
        return print_failed(request, error, title=title, case=case)
    access_log_write(
        user=request.user, action=AccessLog.Action.PRINT, what=f"{title}: {filename}", case=case, request=request
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{ascii_filename(filename)}.pdf"'
    return response


def ascii_filename(name: str) -> str:
    """A file name every browser and file system takes: "RPŚ-1/2026/0001" → "RPS-1-2026-0001"."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", name.replace("ł", "l").replace("Ł", "L"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return "".join(ch if (ch.isascii() and ch.isalnum()) or ch in "-_." else "-" for ch in plain)
