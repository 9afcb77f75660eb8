"""Hostile values and the helpers that send them (used by the hostile-input tests).

- ``hostile_text()``: a Hypothesis strategy of text an attacker or a broken client may send:
  very long strings, control characters (NUL included: PostgreSQL refuses it in text), odd
  Unicode (RTL override, zero-width, emoji, the last code point), script and SQL fragments,
  path traversal, numbers as text (overflowing, not finite), impossible dates, empty, blanks;
- ``hostile_value()``: a value of a form field: text, a list where one value is expected, or a
  file (``HostileFile``) where text is expected;
- the pages' forms, read from the HTML (``forms_of``), so every form of every page is covered
  without naming its fields here;
- the URL patterns with their converters (``ROUTES``), to put hostile values in the path;
- ``send`` (one request in a savepoint rolled back afterwards) and ``check`` (below 500, a
  refusal says why, nothing echoed unescaped).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck
from hypothesis import strategies as st

from mopr.tests.factories import PASSWORD
from mopr.tests.test_url_sweep import EXPECTED, LOGGED_IN

HYPOTHESIS = {
    "deadline": None,
    "database": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
}

# --- hostile text ---------------------------------------------------------------------------------

XSS = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'
PAYLOADS = [
    XSS,
    XSS_IMG,
    "'; DROP TABLE cases_case; --",
    "' OR '1'='1",
    "1; SELECT pg_sleep(5)--",
    "%00",
    "\x00",
    "a\x00b",
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/etc/passwd\x00.pdf",
    "-1",
    "0",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "99999999999999999999",
    str(2**63),
    str(2**64),
    "-9223372036854775809",
    "9" * 5000,  # more digits than int() converts
    "1,5",
    "0x1F",
    "١٢",  # Arabic-Indic digits: str.isdigit() is true
    "²",  # a superscript: str.isdigit() is true, int() refuses it
    "²" * 11,  # ... as long as a PESEL
    "٠٢٠٧٠٨٠٣٦٢٨",  # a valid PESEL in Arabic-Indic digits (int() reads them)
    "٨٧-١٠٠",  # a postal code in them
    "2023-02-30",
    "0000-00-00",
    "9999-12-31",
    "31.02.2023",
    "2023-13-01",
    "10000-01-01",
    "0001-01-01",
    "2023-02-28T25:61",
    "9999-12-31T23:59",
    "",
    " ",
    "\t\n\r ",
    "\u200b",
    "\u202eabc",
    "\ufeff",
    "\U0010ffff",
    "😀👨‍👩‍👧",
    "{{ 7|add:7 }}{% debug %}",
    "${jndi:ldap://x/a}",
    '=HYPERLINK("http://x","y")',
    "+1-2",
    "@SUM(A1)",
    "javascript:alert(1)",
    "\r\nSet-Cookie: x=1",
    "Zażółć gęślą jaźń",
    "null",
    "[]",
    "{}",
]
# Sent to every field and parameter at once, one after another, before Hypothesis draws its own
# mixtures: the values that most often meet an int(), a date, a database or a template unprepared.
SWEEP = [
    "\x00",
    "a\x00b",
    "\x0b\x1b\u202e",
    "²",
    "²" * 11,
    "٠٢٠٧٠٨٠٣٦٢٨",
    "-1",
    "1e309",
    "NaN",
    "99999999999999999999",
    str(2**64),
    "9" * 5000,
    "2023-02-30",
    "0000-00-00",
    "31.02.2023",
    "10000-01-01",
    "2023-02-28T25:61",
    "",
    " ",
    XSS_IMG + XSS,
    "'; DROP TABLE cases_case; --",
    "../../etc/passwd",
    "ż" * 100_000,
]
CONTROL = [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\u2028", "\u2029", "\u202e", "\u200f", "\ufeff", "\ufffe"]
LONG_UNITS = ["a", "ż", "😀", XSS, "\x00", "'\"", "1", "\x0b"]


def _repeat(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def hostile_text(*, long: bool = True) -> st.SearchStrategy[str]:
    payload = st.sampled_from(PAYLOADS)
    control = st.text(st.sampled_from(CONTROL), min_size=1, max_size=12)
    unicode = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
    mixed = st.lists(st.one_of(payload, control, unicode), min_size=2, max_size=4).map("".join)
    parts = [payload, payload, control, unicode, mixed]
    if long:  # 10k–100k characters, made by repetition (Hypothesis need not draw every one)
        parts.append(st.builds(_repeat, st.sampled_from(LONG_UNITS), st.integers(10_000, 100_000)))
    return st.one_of(*parts)


@dataclass(frozen=True)
class HostileFile:
    """A file to upload, made afresh for every request (an upload is read once)."""

    name: str
    content: bytes

    def upload(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.name, self.content)


FILE_NAMES = [
    "skan.pdf",
    "skan.jpg",
    "zdjecie.png",
    "../../etc/passwd.pdf",
    "..\\..\\boot.ini.jpg",
    "a\x01b\x1fc.pdf",
    "<script>alert(1)</script>.pdf",
    "😀.jpeg",
    "x" * 300 + ".pdf",
    ".pdf",
    "plik.pdf.exe",
    "plik.svg",
    "plik.html",
    "plik",
    "CON.pdf",
]
FILE_CONTENTS = [
    b"",
    b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64,  # a Windows executable
    b"\x7fELF\x02\x01\x01" + b"\x00" * 64,
    b"<html><script>alert(1)</script></html>",
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b"%PDF-1.4\n<script>alert(1)</script>\n%%EOF",
    b"\xff\xd8\xff\xe0" + b"\x00" * 32,
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
    b"PK\x03\x04 not a zip",
    b"\x00" * 1024,
]


def hostile_file() -> st.SearchStrategy[HostileFile]:
    name = st.one_of(st.sampled_from(FILE_NAMES), hostile_text(long=False).map(lambda t: t[:200] + ".pdf"))
    content = st.one_of(st.sampled_from(FILE_CONTENTS), st.binary(max_size=512))
    return st.builds(HostileFile, name, content)


def hostile_value() -> st.SearchStrategy:
    """A form field's value: text, several values where one is expected, or a file instead of text."""
    return st.one_of(
        hostile_text(),
        hostile_text(),
        st.lists(hostile_text(long=False), min_size=2, max_size=3),
        hostile_file(),
    )


def materialise(value):
    if isinstance(value, HostileFile):
        return value.upload()
    return value


# --- the forms of a page ----------------------------------------------------------------------------


@dataclass
class PageForm:
    action: str  # as written in the page ("" is the page itself)
    method: str
    fields: list[tuple[str, str]]  # (name, value) as the browser would send it, in order
    names: list[str]  # every field name, also of unticked boxes and of submit buttons
    choices: dict[str, list[str]]  # the values a box, a radio button or a list offers


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, selected
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = PageForm(a.get("action", ""), a.get("method", "get").lower(), [], [], {})
            self.forms.append(self._form)
            return
        if tag == "option":
            if self._select is not None:
                self._select[1].append(a.get("value", ""))
                if "selected" in a:
                    self._select[2].append(a.get("value", ""))
            return
        form = self._form
        if form is None or not a.get("name"):
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            form.names.append(a["name"])
            if kind in ("checkbox", "radio"):
                form.choices.setdefault(a["name"], []).append(a.get("value", "on"))
            if "disabled" in a or kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind not in ("checkbox", "radio") or "checked" in a:
                form.fields.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "button":
            form.names.append(a["name"])
        elif tag == "select":
            self._select = (a["name"], [], [])
            form.names.append(a["name"])
        elif tag == "textarea":
            self._textarea = (a["name"], [])
            form.names.append(a["name"])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, selected = self._select
            self._form.choices.setdefault(name, []).extend(options)
            for value in selected or options[:1]:
                self._form.fields.append((name, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            self._form.fields.append((name, "".join(text).removeprefix("\n")))
            self._textarea = None


def forms_of(html: str) -> list[PageForm]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def posts_to(form: PageForm, page_url: str, url: str) -> bool:
    """Does the page's form send its data to ``url``?"""
    target = urlsplit(form.action).path if form.action else urlsplit(page_url).path
    return form.method == "post" and target == urlsplit(url).path


# --- the URL patterns and their converters --------------------------------------------------------------

_PART = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>\w+)>")


def _routes(resolver=None, namespace: str = "", prefix: str = "") -> dict[str, tuple[str, dict]]:
    resolver = resolver or get_resolver()
    found: dict[str, tuple[str, dict]] = {}
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns == "admin":
                continue
            inner = _routes(pattern, f"{namespace}{ns}:" if ns else namespace, prefix + route)
            for name, value in inner.items():
                found.setdefault(name, value)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.setdefault(f"{namespace}{pattern.name}", (prefix + route, dict(pattern.pattern.converters)))
    return found


ROUTES = _routes()


def world_kwargs(name: str, world: dict) -> dict:
    """The URL's keywords filled from the sweep's ``world`` ("pk=request_pk": keyword = object)."""
    pairs = [k.split("=") if "=" in k else (k, k) for k in EXPECTED[name].kwargs]
    return {url_kw: world[key] for url_kw, key in pairs}


def build_url(name: str, world: dict, hostile: dict[str, str] | None = None) -> str:
    """The URL of ``name`` with the world's objects, and the texts of ``hostile`` (quoted) in their place."""
    route, converters = ROUTES[name]
    values = world_kwargs(name, world)
    hostile = hostile or {}

    def part(match):
        key = match["name"]
        if key in hostile:
            return quote(hostile[key], safe="")
        return converters[key].to_url(values[key])

    return "/" + _PART.sub(part, route)


INT_PATH = ["0", "00000000000000000001", str(2**31), str(2**63 - 1), str(2**63), str(2**64), "9" * 40, "9" * 5000,
            "-1", "1.0", "1e3", "١", "²", " 1", "1 "]  # fmt: skip
SLUG_PATH = ["-", "_", "--", "a" * 5000, "NOTATKA", "notatka-", "0", "wizyta_", "pracownik-"]
STR_PATH = ["CSV", "csv.exe", "csv%00", "xlsx ", "pdf.", ".", "..", "html", "json", "csv\x00"]


def path_value(converter) -> st.SearchStrategy[str]:
    kind = type(converter).__name__
    if kind == "IntConverter":
        special = st.one_of(st.sampled_from(INT_PATH), st.integers(min_value=0, max_value=2**80).map(str))
    elif kind == "SlugConverter":
        special = st.one_of(st.sampled_from(SLUG_PATH), st.from_regex(r"[-a-zA-Z0-9_]{1,300}", fullmatch=True))
    elif kind == "StringConverter":
        special = st.sampled_from(STR_PATH)
    else:  # e.g. the month: 2026-03
        special = st.one_of(
            st.sampled_from(["0000-00", "9999-99", "2023-13", "2023-00", "1899-12", "3000-01", "0001-01", "2999-12"]),
            st.from_regex(r"[0-9]{4}-[0-9]{2}", fullmatch=True),
        )
    return st.one_of(special, special, hostile_text(long=False))


# --- who asks -------------------------------------------------------------------------------------------


def persona_for(name: str) -> str:
    """One who may use the URL: anonymous for the login page; else the first signed-in persona
    the sweep lets through (2xx, 3xx or 422 – a refusal that still reads the form); else the
    first who at least gets past the login (403)."""
    expected = EXPECTED[name].expected
    if 200 <= expected.get("anonymous", 302) < 300:
        return "anonymous"
    for wanted in (lambda s: s < 400 or s == 422, lambda s: s == 403):
        for persona in LOGGED_IN:
            if wanted(expected[persona]):
                return persona
    return LOGGED_IN[0]


def login(client, name: str) -> str:
    persona = persona_for(name)
    if persona != "anonymous":
        assert client.login(username=persona, password=PASSWORD)
    return persona


# --- requests and answers ---------------------------------------------------------------------------------

# A form refused says why: a message at the top or errors at the fields.
FORM_ERROR = re.compile(rb"alert-danger|alert-warning|invalid-feedback|errorlist|is-invalid")
# A refusal says why: an error page's heading and text, or a form's errors.
MESSAGE = re.compile(rb"<h1|" + FORM_ERROR.pattern)
UNESCAPED = (XSS.encode(), b"<img src=x onerror")


def body_of(response) -> bytes:
    """The whole body; a streamed one (CSV, a file) is read to its end, where its errors show."""
    if response.streaming:  # the test client closes it at the end (not again here: that closes the database)
        return b"".join(response.streaming_content)
    return response.content


def send(client, method: str, url: str, data=None, *, follow: bool = False):
    """One request in a savepoint rolled back afterwards, with the session cookie restored:
    every example meets the same world and the same signed-in persona. ``follow``: the page a
    successful form leads to is shown too, with what the form saved."""
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, data if data is not None else {}, follow=follow)
            body = body_of(response)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response, body


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def check(response, body: bytes, what: str) -> None:
    """Below 500; a refusal (4xx, but a bare 405) says why; no script or markup echoed unescaped."""
    status = response.status_code
    assert status < 500, f"{what}: {status}"
    if is_html(response) and status >= 400 and status != 405:
        assert MESSAGE.search(body), f"{what}: {status} without a message"
    if is_html(response):
        for raw in UNESCAPED:
            assert raw not in body, f"{what}: the page echoes {raw!r} unescaped"


def query_data(pairs) -> dict[str, list]:
    """(name, value or values) pairs as the test client's data: a list of values per name."""
    data: dict[str, list] = {}
    for key, value in pairs:
        data.setdefault(key, []).extend(value if isinstance(value, list) else [value])
    return data
