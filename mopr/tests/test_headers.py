"""The security headers of every answer, and no inline script or style anywhere (issue 8).

- the Content-Security-Policy (django-csp, ``CONTENT_SECURITY_POLICY`` in mopr/settings.py) allows scripts,
  styles, fonts and images from this server only – no 'unsafe-inline', no 'unsafe-eval' – so every page
  must do without ``<script>`` code, ``<style>`` blocks, ``style=""`` attributes, ``on…=""`` handlers and
  ``javascript:`` URLs: this is checked on the template sources and on the pages as rendered;
- pages, PDFs and uploaded files of a signed-in user carry ``Cache-Control: no-store``;
- Referrer-Policy, X-Content-Type-Options, X-Frame-Options on everything; in production (the settings module
  read with ``DEBUG=false`` and nothing else) secure, HttpOnly cookies, HSTS and the redirect to HTTPS.

The browser tests add the browser's own word: every CSP violation a page reports fails them
(mopr/tests/browser.py).
"""

from __future__ import annotations

import ast
import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template import engines
from django.urls import reverse

from mopr.tests import test_url_sweep
from mopr.tests.factories import PASSWORD
from mopr.tests.test_url_sweep import EXPECTED

# The permission sweep's world (a case of region A1 with one of everything), shared as a fixture here.
world = test_url_sweep.world

ROOT = Path(__file__).resolve().parents[2]

# --- the headers ----------------------------------------------------------------------------------------------

# What the policy must say, directive by directive (anything else falls back to default-src 'self').
CSP_REQUIRED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    parts = (part.split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


def assert_security_headers(response, *, personal: bool = True) -> None:
    """The headers every answer carries; ``personal``: it shows a signed-in user's data, so no-store."""
    path = response.request["PATH_INFO"]
    header = response.headers.get("Content-Security-Policy", "")
    directives = csp_directives(response)
    for directive, sources in CSP_REQUIRED.items():
        assert directives.get(directive) == sources, f"{path}: CSP {directive} is {directives.get(directive)}"
    for weak in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", "*"):
        assert weak not in header.split(), f"{path}: the CSP allows {weak}: {header}"
    assert "Content-Security-Policy-Report-Only" not in response.headers, f"{path}: a report-only policy"
    if personal:
        cache = {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}
        assert {"no-store", "private"} <= cache, f"{path}: Cache-Control is {response.headers.get('Cache-Control')}"
    assert response.headers.get("Referrer-Policy") == "same-origin", path
    assert response.headers.get("X-Content-Type-Options") == "nosniff", path
    assert response.headers.get("X-Frame-Options") == "DENY", path


def world_url(name: str, world: dict) -> str:
    """The URL of a sweep entry (mopr/tests/test_url_sweep.py), with the world's objects."""
    pairs = [k.split("=") if "=" in k else (k, k) for k in EXPECTED[name].kwargs]
    return reverse(name, kwargs={url_kw: world[key] for url_kw, key in pairs})


@pytest.mark.parametrize(
    ("name", "who", "content_type"),
    [
        ("cases:detail", "worker_a", "text/html"),
        ("cases:karta_pdf", "worker_a", "application/pdf"),
        ("cases:document", "worker_a", "application/pdf"),  # the uploaded scan
        ("registers:register_export", "coordinator_a", "text/csv"),
    ],
)
def test_pages_pdfs_and_files_carry_the_security_headers(client, p, world, name, who, content_type):
    client.login(username=who, password=PASSWORD)
    response = client.get(world_url(name, world))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert_security_headers(response)


def test_the_login_page_carries_the_policy_too(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_security_headers(response, personal=False)


# The settings of a production start: the module read in a clean environment with DEBUG=false, a secret key
# and a host name – none of the test run's relaxations (pytest.ini turns HTTPS off for the test client).
PRODUCTION_KEYS = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_REFERRER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
]


@pytest.fixture(scope="module")
def production() -> dict:
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{k: getattr(settings, k, None) for k in {PRODUCTION_KEYS!r}}}))"
    )
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "mopr.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "mopr.example.pl",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_are_secure(production):
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SESSION_COOKIE_SECURE"] is True and production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True and production["CSRF_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    assert production["CSRF_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    assert production["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_REFERRER_POLICY"] == "same-origin"
    assert production["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert production["X_FRAME_OPTIONS"] == "DENY"
    # The policy of production is the one the tests run with.
    assert production["CONTENT_SECURITY_POLICY"] == json.loads(json.dumps(django_settings.CONTENT_SECURITY_POLICY))


@pytest.fixture
def as_in_production(settings, production):
    """The running test server with the production values of the security settings (the host stays)."""
    for key in PRODUCTION_KEYS:
        if key not in {"DEBUG", "CONTENT_SECURITY_POLICY"}:
            setattr(settings, key, production[key])
    return settings


def test_production_cookies_are_secure_and_httponly(client, p, as_in_production):
    login_page = client.get(reverse("login"), secure=True)
    assert login_page.status_code == 200
    csrf = login_page.cookies[as_in_production.CSRF_COOKIE_NAME]
    response = client.post(reverse("login"), {"username": "worker_a", "password": PASSWORD}, secure=True)
    assert response.status_code == 302 and reverse("login") not in response["Location"]
    session = response.cookies[as_in_production.SESSION_COOKIE_NAME]
    for name, cookie in (("csrf", csrf), ("session", session)):
        assert cookie["secure"] is True, f"the {name} cookie is not Secure"
        assert cookie["httponly"] is True, f"the {name} cookie is not HttpOnly"
        assert cookie["samesite"] in {"Lax", "Strict"}, f"the {name} cookie has SameSite={cookie['samesite']!r}"


def test_production_sends_hsts_and_redirects_to_https(client, p, as_in_production):
    client.login(username="worker_a", password=PASSWORD)
    response = client.get(reverse("cases:list"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert_security_headers(response)
    plain = client.get(reverse("cases:list"))
    assert plain.status_code == 301 and plain["Location"].startswith("https://")


# --- no inline script or style: the template sources ------------------------------------------------------------


def template_dirs() -> list[Path]:
    """Every template folder of this checkout: those the template engine searches (installed packages such as
    the admin's are not ours) and every */templates folder, registered or not."""
    found = {Path(d).resolve() for engine in engines.all() for d in engine.template_dirs}
    found |= {d.resolve() for d in ROOT.glob("*/templates") if d.is_dir()}
    return sorted(d for d in found if d.is_relative_to(ROOT) and "site-packages" not in d.parts and d.is_dir())


def template_files() -> dict[str, Path]:
    """Template name → file, for every template of the checkout."""
    files: dict[str, Path] = {}
    for folder in template_dirs():
        for path in sorted(folder.rglob("*.html")):
            files.setdefault(path.relative_to(folder).as_posix(), path)
    return files


# Functions that render the template they are given to PDF only (mopr/pdf.py and the views' small wrappers
# around pdf_response / render_pdf). pdf.render_html counts as PDF-only unless called with for_browser=True.
PDF_RENDERERS = {"render_pdf", "pdf_response", "_pdf_response", "_print", "render_html"}


def _project_python_files():
    for path in sorted(ROOT.glob("*/**/*.py")):
        rel = path.relative_to(ROOT).parts
        if rel[0].startswith(".") or "tests" in rel or "migrations" in rel or "site-packages" in rel:
            continue
        yield path


def pdf_only_templates() -> set[str]:
    """The templates that the project's code renders to PDF and never to a browser – derived from the code.

    A template name (a string literal ending in .html) given to one of PDF_RENDERERS counts as a PDF use,
    except pdf.render_html(…, for_browser=True): the HTML print preview. Any other mention of the name
    (render(), template_name = …, a for_browser that is not a literal False) counts as a browser use; so do
    templates that a browser template extends or includes. A template with no PDF use is not PDF-only.
    """
    pdf_uses: set[str] = set()
    browser_uses: set[str] = set()
    for path in _project_python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        in_pdf_call: set[int] = set()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if func not in PDF_RENDERERS:
                continue
            for_browser = next((k.value for k in node.keywords if k.arg == "for_browser"), None)
            to_browser = for_browser is not None and not (
                isinstance(for_browser, ast.Constant) and for_browser.value is False
            )
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.endswith(".html"):
                    in_pdf_call.add(id(arg))
                    (browser_uses if to_browser else pdf_uses).add(arg.value)
        for node in ast.walk(tree):
            is_name = isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.endswith(".html")
            if is_name and id(node) not in in_pdf_call:
                browser_uses.add(node.value)
    # What a browser template extends or includes is shown in the browser as well.
    files = template_files()
    pulled_in = re.compile(r"""{%\s*(?:extends|include)\s+["']([^"']+)["']""")
    queue = [name for name in files if name not in pdf_uses or name in browser_uses]
    seen: set[str] = set()
    while queue:
        name = queue.pop()
        if name in seen or name not in files:
            continue
        seen.add(name)
        queue.extend(pulled_in.findall(files[name].read_text(encoding="utf-8")))
    return pdf_uses - browser_uses - seen


DJANGO_COMMENTS = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.DOTALL)
DJANGO_TAGS = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
FORBIDDEN = {
    "a style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "a <style> block": re.compile(r"<style\b", re.IGNORECASE),
    "an event handler attribute": re.compile(r"<[a-zA-Z][^<>]*?\son[a-z]+\s*=", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript\s*:", re.IGNORECASE),
}


def inline_code(source: str) -> list[str]:
    """What the CSP would refuse in a template's source (its comments aside)."""
    text = DJANGO_TAGS.sub(" ", DJANGO_COMMENTS.sub("", source))
    problems = []
    for what, pattern in FORBIDDEN.items():
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"{what} near {match.group(0).strip()[:40]!r} (line ~{line})")
    for match in SCRIPT.finditer(text):
        attrs = match.group(1)
        kind = re.search(r"""\btype\s*=\s*["']?([^"'\s>]+)""", attrs)
        if re.search(r"\bsrc\s*=", attrs) is None and (kind is None or kind.group(1).lower() not in DATA_SCRIPT_TYPES):
            problems.append(f"an inline <script> (line ~{text.count(chr(10), 0, match.start()) + 1})")
    return problems


def test_the_scan_sees_every_kind_of_inline_code():
    assert inline_code('<p>{# style="x" #}fine</p><script src="/a.js" defer></script>') == []
    assert inline_code('<script type="application/json" id="d">{"a": 1}</script>') == []
    for bad in [
        '<div class="x" style="width: 3px">',
        "<div{% if x %} style='a'{% endif %}>",
        "<style>p {}</style>",
        '<button type="button"\n onclick="go()">',
        '<a href="javascript:void(0)">',
        "<script>alert(1)</script>",
        "<svg><style>rect {}</style></svg>",
    ]:
        assert inline_code(bad), bad


def test_the_pdf_only_templates_are_derived_from_the_code():
    pdf_only = pdf_only_templates()
    files = template_files()
    assert pdf_only, "no template is rendered to PDF only: the derivation is broken"
    assert pdf_only <= set(files), pdf_only - set(files)
    # The karta is also shown as an HTML preview, and the print base is the frame of that preview.
    assert "printouts/karta.html" not in pdf_only and "printouts/base.html" not in pdf_only
    for name in pdf_only:
        assert files[name].read_text(encoding="utf-8").lstrip().startswith('{% extends "printouts/base.html" %}')


def test_no_template_has_inline_script_or_style():
    """Every template of the checkout; the only exception would be a template rendered exclusively to PDF
    by WeasyPrint, which no browser sees (derived from the code: pdf_only_templates). None uses it today:
    the printouts style themselves through static/print/print.css as well."""
    files = template_files()
    assert len(files) > 50, f"only {len(files)} templates found in {template_dirs()}"
    allowed = pdf_only_templates()
    failures = []
    for name, path in files.items():
        if name in allowed:
            continue
        failures += [f"{path.relative_to(ROOT)}: {problem}" for problem in inline_code(path.read_text("utf-8"))]
    assert not failures, "inline code the Content-Security-Policy refuses:\n" + "\n".join(failures)


# --- no inline script or style: the pages as rendered -------------------------------------------------------------


class InlineCodeFinder(HTMLParser):
    """Collects what the CSP would refuse in a rendered page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            handler = re.fullmatch(r"on[a-z]+", name)
            script_url = value and re.match(r"\s*javascript\s*:", value, re.IGNORECASE)
            if name == "style" or handler or script_url:
                self.problems.append(f'<{tag} {name}="{value}">')
        if tag == "style":
            self.problems.append("<style>")
        if tag == "script":
            values = dict(attrs)
            self._in_inline_script = "src" not in values and (values.get("type") or "") not in DATA_SCRIPT_TYPES
            if self._in_inline_script:
                self.problems.append("<script> without src")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def inline_code_in_page(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def test_the_page_check_sees_every_kind_of_inline_code():
    clean = '<p class="a">x</p><svg width="3"><rect fill="#000"/></svg><script src="/a.js" defer></script>'
    assert inline_code_in_page(clean + '<script type="application/json">{"a": 1}</script>') == []
    assert len(inline_code_in_page('<p style="x">')) == 1
    assert len(inline_code_in_page("<style>p {}</style>")) == 1
    assert len(inline_code_in_page("<img src=x onerror=go()>")) == 1
    assert len(inline_code_in_page('<a href=" JavaScript:go()">')) == 1
    assert len(inline_code_in_page("<script>go()</script>")) == 1


# Who requests each page: the first of these the sweep lets in.
READERS = ["worker_a", "coordinator_a", "director_a", "head_a", "assistant_a", "auditor_a", "anonymous"]


def test_rendered_pages_have_no_inline_script_or_style(client, p, world):
    """Every page of the permission sweep that answers a GET (case detail and list, the register, the dashboard
    with its chart, the assistant's request, the time pages, the karta preview, the forms, …), as the first
    persona allowed to see it, and a few more: no style="", no <style>, no inline script or handler; and
    every answer – pages, PDFs, exports, uploaded files – with the security headers."""
    pages = []
    for name, spec in sorted(EXPECTED.items()):
        if spec.method != "get":
            continue
        who = next((u for u in READERS if spec.expected.get(u) == 200), None)
        if who is not None:
            pages.append((who, world_url(name, world)))
    pages += [
        ("worker_a", reverse("cases:intake") + "?q=Kowal"),  # the search with htmx
        ("worker_a", reverse("cases:detail", kwargs={"pk": 999_999})),  # the 404 page
        ("anonymous", reverse("cases:list")),  # → the login page
    ]
    assert len(pages) > 40
    failures, html_pages = [], 0
    current = None
    for who, url in pages:
        if who != current:
            client.logout()
            if who != "anonymous":
                assert client.login(username=who, password=PASSWORD)
            current = who
        response = client.get(url, follow=who == "anonymous")
        assert response.status_code in {200, 404}, f"{who} {url}: {response.status_code}"
        assert_security_headers(response, personal=who != "anonymous")
        if not response["Content-Type"].startswith("text/html"):
            continue
        html_pages += 1
        html = response.content.decode()
        if url == reverse("registers:dashboard"):
            assert "<svg" in html, "the dashboard shows no chart: the test does not see one"
        failures += [f"{url} ({who}): {problem}" for problem in inline_code_in_page(html)]
    assert html_pages > 30
    assert not failures, "inline code the Content-Security-Policy refuses:\n" + "\n".join(failures)


# --- the browser's word --------------------------------------------------------------------------------------------


def _wait_for_console(page, count: int = 1, seconds: float = 5) -> None:
    """Until the page has reported ``count`` CSP violations (Chromium posts the console messages a moment later)."""
    for _ in range(int(seconds * 20)):
        if len(page.csp_violations) >= count:
            return
        page.wait_for_timeout(50)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_reports_of_csp_violations_fail_the_test(page, p):
    """The listener of mopr/tests/browser.py: what the policy blocks shows in the console and fails the test."""
    from mopr.tests.browser import fail_on_csp_violations, login

    login(page, "worker_a")
    page.evaluate(
        """() => { document.querySelector("main").insertAdjacentHTML("beforeend",
            '<p style="color: red">x</p><img src="data:," onerror="void 0">'); }"""
    )
    _wait_for_console(page, 2)
    assert any("style-src" in v for v in page.csp_violations), page.csp_violations
    assert any("script-src" in v for v in page.csp_violations), page.csp_violations
    with pytest.raises(pytest.fail.Exception, match="Content-Security-Policy violations"):
        fail_on_csp_violations(page, "a page with inline code")
    assert page.csp_violations == []  # reported once; the test itself ends clean
    # A second tab of the same session is watched as well.
    other = page.context.new_page()
    other.goto("/")
    other.evaluate("""() => document.querySelector("main").insertAdjacentHTML("beforeend", '<p style="x">')""")
    _wait_for_console(other)
    with pytest.raises(pytest.fail.Exception, match="style-src"):
        fail_on_csp_violations(other, "a second tab")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_karta_preview_and_pdf_under_the_policy(page, p, world):
    """The printout shown as a web page (the karta preview) and the PDF itself, in Chromium, with the policy:
    nothing blocked, no WCAG A/AA violation."""
    from mopr.tests.browser import login, visit

    login(page, "worker_a")
    page.goto(world_url("cases:karta_preview", world))
    assert page.get_by_role("link", name="Pobierz PDF").is_visible()
    visit(page, "karta-preview")
    response = page.goto(world_url("cases:karta_pdf", world))
    assert response.headers["content-type"] == "application/pdf"  # (its headers: test_pages_pdfs_and_files_…)
    page.wait_for_timeout(500)  # the PDF viewer has started
    assert page.csp_violations == []
