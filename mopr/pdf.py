"""The one PDF module: every printout (karta, Oświadczenie, contract, letters) is rendered here.

- WeasyPrint, from a Django template that extends ``printouts/base.html`` with its own print
  stylesheet (``static/print/print.css``; no Bootstrap) and fonts with Polish letters shipped
  in ``static/`` and embedded in the file;
- a URL fetcher that refuses the network and every file outside ``static/``;
- PDF/A-3b, so the copies can go to the archive;
- A4, a running header with the institution and the case number, "strona X z Y", and
  "wydrukował(a) … dnia …" in the footer.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_VARIANT = "pdf/a-3b"
STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()


class RefusedResource(ValueError):
    """A printout asked for something outside static/: never fetched."""


class StaticOnlyFetcher(URLFetcher):
    """Serves file:// URLs inside static/ and nothing else (no network, no other files)."""

    def fetch(self, url, headers=None):
        if not url.startswith("file://"):
            raise RefusedResource(f"refused: {url[:100]}")
        from urllib.parse import unquote, urlsplit

        path = Path(unquote(urlsplit(url).path)).resolve()
        if not path.is_relative_to(STATIC_DIR) or not path.is_file():
            raise RefusedResource(f"refused: {path}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


@dataclass(frozen=True)
class PrintMeta:
    """What the header and the footer of every page say."""

    title: str
    institution: object
    case_number: str = ""
    printed_by: str = ""

    @property
    def printed_at(self):
        return timezone.localtime()


def render_html(template: str, context: dict, meta: PrintMeta) -> str:
    return render_to_string(template, {**context, "meta": meta, "static_root": STATIC_DIR.as_uri()})


def html_to_pdf(html: str, *, title: str = "") -> bytes:
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)


def render_pdf(template: str, context: dict, meta: PrintMeta) -> bytes:
    return html_to_pdf(render_html(template, context, meta), title=meta.title)
