"""Hostile input that is stored: uploads, text shown again on the pages and printouts, exports
(issue 8, item 5; the requests to every URL are in ``test_hostile_input.py``).

- An upload that is too big, empty, of a type not allowed, or whose content does not match its
  extension (an executable, HTML or SVG named .pdf or .jpg) is refused with a Polish message at
  the file field; nothing is saved – no row, no file under MEDIA_ROOT. A name with a path or
  control characters never becomes a path: the file is stored under a random name.
- Text with script and markup, stored through the forms (a note, the client's street, a flag, a
  family member, a meeting's note, a verification), is shown escaped on every page that shows it.
- The register's CSV and XLSX write such text as text: never a formula, and the file opens.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.models import CaseDocument, Client
from mopr.tests import test_url_sweep
from mopr.tests.factories import PASSWORD
from mopr.tests.hostile import (
    HYPOTHESIS,
    UNESCAPED,
    XSS,
    XSS_IMG,
    HostileFile,
    body_of,
    build_url,
    forms_of,
    hostile_file,
    hostile_text,
    posts_to,
    query_data,
    send,
)
from registers import exports

# The permission sweep's world (a case of region A1 with one of everything), shared as a fixture here.
world = test_url_sweep.world

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
MB = 1024 * 1024


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """Uploads of at most 1 MB (so the test stays fast), into a folder of the test's own."""
    settings.MAX_UPLOAD_MB = 1
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def stored_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def login(client, username: str) -> None:
    assert client.login(username=username, password=PASSWORD)


def page_form(client, url: str, form_url: str | None = None):
    """The form of the page at ``url`` that posts to ``form_url`` (the page itself by default)."""
    page = client.get(url)
    assert page.status_code == 200, url
    found = [f for f in forms_of(page.content.decode()) if posts_to(f, url, form_url or url)]
    assert found, f"no form posting to {form_url or url} on {url}"
    return found[0]


def submit(client, url: str, changes: dict, form_url: str | None = None):
    """Send the page's form as the browser would, with ``changes`` in some of its fields."""
    data = query_data(page_form(client, url, form_url).fields)
    data.update(changes)
    return client.post(form_url or url, data)


# --- uploads ------------------------------------------------------------------------------------------------

REFUSED = [
    pytest.param("za-duzy.pdf", PDF + b"0" * MB, "za duży", id="over-the-limit"),
    # Over FILE_UPLOAD_MAX_MEMORY_SIZE: Django spools it to a temporary file first.
    pytest.param("bardzo-duzy.pdf", PDF + b"0" * (6 * MB), "za duży", id="huge"),
    pytest.param("pusty.pdf", b"", "pusty", id="empty"),
    pytest.param("program.pdf", EXE, "nie zgadza się", id="exe-as-pdf"),
    pytest.param("strona.jpg", HTML, "nie zgadza się", id="html-as-jpg"),
    pytest.param("obraz.png", SVG, "nie zgadza się", id="svg-as-png"),
    pytest.param("skan.jpg", PDF, "nie zgadza się", id="pdf-as-jpg"),
    pytest.param("pismo.docx", b"PK\x03\x04" + b"\x00" * 40, "nie zgadza się", id="broken-docx"),
    pytest.param("pismo.odt", _zip(["content.xml"]), "nie zgadza się", id="zip-as-odt"),
    pytest.param("program.exe", EXE, "Dozwolone pliki", id="exe"),
    pytest.param("obraz.svg", SVG, "Dozwolone pliki", id="svg"),
    pytest.param("strona.html", HTML, "Dozwolone pliki", id="html"),
    pytest.param("skan.pdf.exe", EXE, "Dozwolone pliki", id="double-extension"),
    pytest.param("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n", "Dozwolone pliki", id="traversal"),
    pytest.param("..\\..\\a\x01b\x1f.pdf", EXE, "nie zgadza się", id="traversal-control-chars"),
]


def _upload(client, world, upload, **changes):
    url = build_url("cases:folder", world)
    return submit(
        client,
        url,
        {"kind": "other", "description": "Skan", "document_date": timezone.localdate().isoformat(), **changes}
        | {"file": upload},
    )


@pytest.mark.parametrize(("filename", "content", "message"), REFUSED)
def test_a_bad_upload_is_refused_with_a_message_and_nothing_is_saved(client, media, world, filename, content, message):
    login(client, "worker_a")
    rows, files = CaseDocument.objects.count(), stored_files(media)
    response = _upload(client, world, HostileFile(filename, content).upload())
    assert response.status_code == 200
    html = response.content.decode()
    assert "invalid-feedback" in html and message in html, html[html.find("invalid-feedback") - 300 :][:800]
    assert CaseDocument.objects.count() == rows
    assert stored_files(media) == files


@pytest.mark.parametrize(
    "filename",
    ["../../etc/passwd.pdf", "..\\..\\windows\\skan.pdf", "a\x01b\x1fc\x7f.pdf", "<script>alert(1)<\\script>.pdf"],
)
def test_a_file_name_never_becomes_a_path(client, media, world, filename):
    """A PDF with a hostile name is a PDF: kept under a random name; the name shown has no path."""
    login(client, "worker_a")
    response = _upload(client, world, HostileFile(filename, PDF).upload())
    if response.status_code == 200:  # refused: it says why, and saved nothing
        assert "invalid-feedback" in response.content.decode()
        assert not CaseDocument.objects.filter(description="Skan", size=len(PDF)).exclude(pk=world["document_pk"])
        return
    assert response.status_code == 302
    document = CaseDocument.objects.exclude(pk=world["document_pk"]).get()
    stored = (media / document.file.name).resolve()
    assert stored.is_relative_to(media.resolve()) and stored.read_bytes() == PDF
    assert Path(document.file.name).stem not in filename  # a random name on disk
    assert not any(c in document.original_name for c in "/\\") and document.original_name.isprintable()
    folder = client.get(build_url("cases:folder", world))
    assert folder.status_code == 200 and XSS.encode() not in folder.content
    download = client.get(build_url("cases:folder", world) + f"{document.pk}/")
    assert download.status_code == 200 and body_of(download) == PDF
    assert "\n" not in download["Content-Disposition"] and "\r" not in download["Content-Disposition"]


@pytest.mark.parametrize("n", [0])
def test_any_upload_is_refused_with_a_message_or_kept_safely(client, media, world, n):
    login(client, "worker_a")
    url = build_url("cases:folder", world)
    form = page_form(client, url)
    today = timezone.localdate().isoformat()

    @settings(max_examples=25, **HYPOTHESIS)
    @given(upload=hostile_file(), description=st.one_of(st.just("Skan"), hostile_text(long=False)))
    def upload_any(upload, description):
        data = query_data(form.fields) | {"kind": "other", "description": description, "document_date": today}
        before = stored_files(media)
        response, body = send(client, "post", url, data | {"file": upload.upload()})
        assert response.status_code in (200, 302), response.status_code
        for raw in UNESCAPED:
            assert raw not in body
        if response.status_code == 200:  # refused: said why; no file left behind by the rolled back row
            assert b"invalid-feedback" in body
            assert stored_files(media) == before
        else:  # accepted: the content is what its extension says
            kept = stored_files(media) - before
            assert len(kept) == 1
            head = next(iter(kept)).read_bytes()[:8]
            assert head.startswith((b"%PDF-", b"\xff\xd8\xff", b"\x89PNG", b"PK\x03\x04"))
            for path in kept:  # the row was rolled back with the savepoint; the file goes too
                path.unlink()

    upload_any()


# --- stored text is shown escaped ------------------------------------------------------------------------------

HOSTILE = f"{XSS}{XSS_IMG}\u202e\x0b\x1b\ufffe"  # markup, an RTL override, control characters, a non-character
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")


def test_stored_script_is_shown_escaped_on_every_page(client, media, world):
    today = timezone.localdate().isoformat()
    login(client, "worker_a")
    stored = {
        "cases:entry_add": {"written_on": today, "content": HOSTILE},
        "cases:client_edit": {"street": HOSTILE[:120], "city": HOSTILE[:100]},
        "cases:flag_add": {"kind": "child_abuse", "started_on": today, "started_by": HOSTILE, "note": HOSTILE},
        "cases:member_edit": {"first_name": HOSTILE[:80], "last_name": HOSTILE[:80]},
        "cases:verify": {"note": HOSTILE},
    }
    for name, changes in stored.items():
        response = submit(client, build_url(name, world), changes)
        assert response.status_code == 302, (name, response.content.decode()[:3000])
    client.logout()
    login(client, "coordinator_a")
    meeting = build_url("meetings:meeting_new", world)
    attendees = page_form(client, meeting).choices["attendees"][:2]
    response = submit(client, meeting, {"held_on": today, "attendees": attendees, "guests": HOSTILE, "note": HOSTILE})
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting_url = response["Location"]

    pages = {
        "worker_a": ["cases:detail", "cases:folder", "cases:karta_preview", "cases:list", "home", "cases:deadlines"],
        "coordinator_a": ["registers:register", "meetings:meetings", "cases:queue", "registers:dashboard"],
        "director_a": ["cases:detail", "registers:register", "refusals:monitoring_case", "contracts:detail"],
        "assistant_a": ["assistants:mine", "assistants:assignment"],
    }
    shown = set()
    for persona, names in pages.items():
        client.logout()
        login(client, persona)
        urls = [build_url(name, world) for name in names] + ([meeting_url] if persona == "coordinator_a" else [])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            for raw in UNESCAPED:
                assert raw.decode() not in html, f"{url} shows {raw!r} unescaped"
            shown |= {(url, e) for e in ESCAPED if e in html}
    detail = build_url("cases:detail", world)
    assert {(detail, ESCAPED[0]), (detail, ESCAPED[1]), (meeting_url, ESCAPED[0])} <= shown
    # The printouts take the same text: a PDF, not an error.
    client.logout()
    login(client, "worker_a")
    response = client.get(build_url("cases:karta_pdf", world))
    assert response.status_code == 200 and body_of(response).startswith(b"%PDF-")
    client.logout()
    login(client, "coordinator_a")
    register = build_url("registers:register_export", world)
    for url in (meeting_url + "notatka.pdf", register.replace(".csv", ".pdf"), register.replace(".csv", ".xlsx")):
        response = client.get(url)
        assert response.status_code == 200 and body_of(response).startswith((b"%PDF-", b"PK")), url


# --- exports --------------------------------------------------------------------------------------------------

FORMULA = ("=", "+", "-", "@", "\t", "\r")


NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # XML 1.0's Char, the complement


def newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@pytest.mark.parametrize("n", [0])
def test_exported_text_is_never_a_formula_and_the_files_open(client, world, n):
    from openpyxl import load_workbook

    login(client, "worker_a")
    edit = build_url("cases:client_edit", world)
    form = page_form(client, edit)
    register_csv = build_url("registers:register_export", world)
    register_xlsx = register_csv.replace("eksport.csv", "eksport.xlsx")
    client_pk = Client.objects.get(cases__pk=world["pk"]).pk
    streets = st.one_of(
        st.sampled_from(['=HYPERLINK("http://x","y")', "+1-2", "-5", "@SUM(A1)", "\t=1", "\r=1", "=1\x0b\x1b"]),
        st.tuples(st.sampled_from(FORMULA), hostile_text(long=False)).map("".join),
        hostile_text(long=False),
    ).map(lambda s: s[:120])

    @settings(max_examples=20, **HYPOTHESIS)
    @given(street=streets)
    def export(street):
        client.logout()
        login(client, "worker_a")
        data = query_data(form.fields) | {"street": street, "house_number": "", "flat_number": ""}
        response, _ = send(client, "post", edit, data)
        assert response.status_code in (200, 302)
        if response.status_code == 200:  # refused (e.g. a NUL): nothing to export
            return
        # The POST was rolled back: store what the form accepted, for the export to read.
        saved = Client.objects.filter(pk=client_pk)
        saved.update(street=street)
        address = Client.objects.get(pk=client_pk).address
        client.logout()
        login(client, "coordinator_a")
        response, body = send(client, "get", register_csv)
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
        cells = [row[2] for row in rows[1:]]
        expected = exports.safe_cell(address)
        assert expected in cells, (expected, cells)
        # Never a formula: not at the start, nor after any separator a spreadsheet may split on.
        for part in re.split(r"[,;\t|\r\n]", expected):
            assert not part.lstrip().startswith(("=", "+", "-", "@")), (part, expected)
        response, body = send(client, "get", register_xlsx)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(body), read_only=True).active
        values = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
        assert values and all(cell.data_type != "f" for cell in values)  # text, never a formula
        # The text intact, but for the control characters a worksheet cannot hold (and XML reads \r as \n).
        addresses = [newlines(row[2].value or "") for row in sheet.iter_rows(min_row=2)]
        assert newlines(NOT_IN_XML.sub("", address)) in addresses

    export()
