"""Shared helpers of the browser tests: the system Chromium through Playwright, axe-core, screenshots.

Loaded for every test by ``pytest_plugins = ["mopr.tests.browser"]`` in the root conftest.py. A browser test::

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

    def test_start_page(page, p):
        login(page, "worker_a")
        check_a11y(page, "start-worker")
        screenshot(page, "start-worker")

- ``browser``: Chromium, launched once per pytest process (session scope; under xdist once per worker);
  skipped where /usr/bin/chromium is missing, except in CI (``CI=true``), where that is a failure;
- ``page``: a fresh browser context (own cookies) on the ``live_server``: ``page.goto("/sprawy/")`` works;
  every Content-Security-Policy violation the page reports in its console fails the test (in ``check_a11y``
  and, for the ones after the last check, when the test ends);
- ``check_a11y(page, name)``: runs axe-core on the current page and fails on any WCAG 2.0/2.1 A/AA violation;
- ``screenshot(page, name)``: a full-page PNG in test-output/screenshots/<name>.png;
- ``login(page, username)`` / ``logout(page)``: through the real login form and the navbar button.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mopr.tests.factories import PASSWORD

# Playwright's sync API drives the browser from an asyncio event loop that runs in the test's own thread.
# Django sees that running loop and refuses every ORM call from this thread (SynchronousOnlyOperation) –
# the fixtures and assertions that touch the database between two browser steps would all fail. The test
# code is plain synchronous code that merely shares the thread with Playwright's loop (the live server
# answers the browser from its own thread), so the safety check is switched off for the test process only.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# What Chromium writes to the console when the Content-Security-Policy blocks something: "… violates the
# following Content Security Policy directive …" (older versions: "Refused to apply inline style …").
CSP_CONSOLE_MARKERS = ("Content Security Policy", "Refused to")
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
OUTPUT_DIR = Path(__file__).resolve().parents[2] / "test-output"
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    """Chromium, headless, once per pytest process."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is missing: install Chromium (apt-get install chromium) to run the browser tests."
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} In CI a missing browser is a failure, not a skip.", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


# The page loads of the walks of one family (issue 17.9), pinned as the query counts are: a change
# that makes a user wait for more pages fails here. Report → rozeznanie → diagnosis → contract →
# closure and the assistant's approval chain: 17 + 45 + 19 + 34 = 115 (measured 2026-12-05); the closing
# is now confirmed on a page of its own that says what it does (issue 20.1): + 1 (2026-12-06).
PAGE_LOAD_BUDGETS = {
    "test_report_from_first_contact_to_situation_assessment": 17,
    "test_rozeznanie_to_social_work": 45,
    "test_contract_from_diagnosis_to_closure_and_reopening": 20,
    "test_assistant_from_request_to_the_end_of_the_work": 34,
}


@pytest.fixture
def page(browser, live_server, request):
    """A page in a fresh context (no cookies) whose relative URLs go to the live server. Its page
    loads are counted (``page.loads``: what a user waits for, issue 17.9) and written to
    test-output/page-loads/<test>.txt at the end."""
    context = browser.new_context(
        base_url=live_server.url, locale="pl-PL", timezone_id="Europe/Warsaw", viewport=VIEWPORT
    )
    context.set_default_timeout(TIMEOUT_MS)
    # Every page of the context (a test may open a second tab) reports what the Content-Security-Policy
    # blocked; check_a11y and the end of the test fail on it.
    watched = []
    context.on("page", lambda new_page: _watch_csp(new_page, watched))
    page = context.new_page()
    _watch_csp(page, watched)
    page.js_errors = []  # uncaught exceptions in the page; check_a11y fails on them too
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.loads = []  # the URL of every document the browser loaded (not the htmx swaps)
    page.on("load", lambda loaded: page.loads.append(loaded.url))
    try:
        yield page
        for each in watched:
            fail_on_csp_violations(each, "the end of the test")
    finally:
        context.close()
        out = OUTPUT_DIR / "page-loads" / f"{_slug(request.node.name)}.txt"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(f"{len(page.loads)}\n" + "\n".join(page.loads) + "\n", encoding="utf-8")
    budget = PAGE_LOAD_BUDGETS.get(request.node.name)
    if budget is not None and len(page.loads) > budget:
        pytest.fail(f"{request.node.name}: {len(page.loads)} page loads, the budget is {budget} ({out})")


def _watch_csp(page, watched: list) -> None:
    if hasattr(page, "csp_violations"):
        return
    page.csp_violations = []
    page.on("console", lambda message: _record_csp_violation(page, message))
    watched.append(page)


def _record_csp_violation(page, message) -> None:
    if any(marker in message.text for marker in CSP_CONSOLE_MARKERS):
        where = (message.location or {}).get("url") or page.url
        page.csp_violations.append(f"{message.text} ({where})")


def fail_on_csp_violations(page, name: str) -> None:
    """Fail if the page reported that its Content-Security-Policy blocked a script, a style or a load:
    an inline script, a style="" attribute, an on…="" handler, a javascript: URL, a resource elsewhere."""
    found = getattr(page, "csp_violations", None)
    if found:
        page.csp_violations = []
        pytest.fail(f"Content-Security-Policy violations on {name!r}:\n" + "\n".join(found), pytrace=False)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "page"


def check_a11y(page, name: str) -> None:
    """Fail if axe-core finds a WCAG 2.0/2.1 level A or AA violation on the page as it is now.

    The full axe answer is kept in test-output/axe/<name>.json; the failure message lists, for each
    violated rule, its id, impact, help text and link, and the CSS selectors of the offending elements.
    """
    if page.js_errors:
        pytest.fail(f"JavaScript errors on {name!r} ({page.url}):\n" + "\n".join(page.js_errors), pytrace=False)
    fail_on_csp_violations(page, name)
    # A button caught mid-fade has no final colours yet: let CSS transitions finish first.
    page.evaluate("() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null)))")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, which the page's CSP does not govern; a <script> tag
        # (page.add_script_tag) would be an inline script, refused by the policy.
        page.evaluate(_axe_source())
    violations = page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target, html: n.html, summary: n.failureSummary})),
            }));
        }""",
        list(WCAG_TAGS),
    )
    report = OUTPUT_DIR / "axe" / f"{_slug(name)}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps({"url": page.url, "violations": violations}, ensure_ascii=False, indent=2))
    if not violations:
        return
    lines = [f"axe-core: {len(violations)} WCAG A/AA rule(s) violated on {name!r} ({page.url}):"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            target = " ".join(" >> ".join(t) if isinstance(t, list) else t for t in node["target"])
            lines.append(f"    at {target}")
            lines.append(f"       {node['html'][:200]}")
            for summary_line in (node["summary"] or "").splitlines():
                lines.append(f"       {summary_line}")
    lines.append(f"(full report: {report})")
    pytest.fail("\n".join(lines), pytrace=False)


@functools.cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG to test-output/screenshots/<name>.png and return its path."""
    path = OUTPUT_DIR / "screenshots" / f"{_slug(name)}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form (from wherever the page is) and wait for the page after it."""
    if not page.url.endswith("/logowanie/"):
        page.goto("/logowanie/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Zaloguj").click()
    if "/logowanie/" in page.url:
        pytest.fail(f"Could not sign in as {username!r}: the login page came back.", pytrace=False)


def logout(page) -> None:
    """Sign out with the navbar's button and wait for the login page."""
    with page.expect_navigation():
        page.get_by_role("button", name="Wyloguj").click()
    page.wait_for_url(re.compile(r"/logowanie/"))


# --- what every browser test does -------------------------------------------------------------------------

MAIN_MENU = "Menu główne"


def visit(page, name: str) -> None:
    """Every page the tests stop at: no WCAG A/AA violation and a screenshot to look at – on the desktop
    and on a phone (issue 20.3), where the page must not scroll sideways either."""
    check_a11y(page, name)
    screenshot(page, name)
    check_phone(page, name)


PHONES = (390, 360)  # the common widths; axe and the screenshot at the first

# Run in the page: how far it scrolls sideways, and the elements that stick out (outside any region
# that scrolls on its own, such as a table's labelled .table-responsive).
SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const over = document.documentElement.scrollWidth - width;
  if (over <= 0) return {over, culprits: []};
  const scrolls = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const x = getComputedStyle(e).overflowX;
      if (x === "auto" || x === "scroll" || x === "hidden") return true;
    }
    return false;
  };
  const culprits = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0 && !scrolls(el)) {
      const parentSticks = el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1;
      if (!parentSticks || culprits.length === 0) culprits.push(el.outerHTML.slice(0, 160));
    }
    if (culprits.length >= 5) break;
  }
  return {over, culprits};
}"""


def check_phone(page, name: str) -> None:
    """At 390 and 360 px: nothing scrolls sideways; at 390 px no axe violation and a screenshot."""
    desktop = page.viewport_size
    try:
        for width in PHONES:
            page.set_viewport_size({"width": width, "height": 844})
            found = page.evaluate(SIDEWAYS)
            if found["over"] > 0:
                pytest.fail(
                    f"{name!r} ({page.url}) scrolls sideways by {found['over']} px at {width} px; sticking out:\n"
                    + "\n".join(found["culprits"]),
                    pytrace=False,
                )
            if width == PHONES[0]:
                check_a11y(page, f"{name}-{width}")
                screenshot(page, f"{name}-{width}")
    finally:
        page.set_viewport_size(desktop)


def label(text: str, *, ignore_case: bool = False) -> re.Pattern:
    """A field's label, with crispy-forms' asterisk when the field is required."""
    return re.compile(rf"^\s*{re.escape(text)}\*?\s*$", re.IGNORECASE if ignore_case else 0)


def status(page):
    """The confirmation at the top of the page."""
    return page.locator("main .messages [role=status]")


def coordination(page, item: str) -> None:
    """An item of the navbar's "Koordynacja" dropdown."""
    menu = page.get_by_role("navigation", name=MAIN_MENU)
    menu.get_by_role("button", name="Koordynacja").click()
    with page.expect_navigation():
        menu.get_by_role("link", name=item, exact=True).click()


def administration(page, item: str) -> None:
    """An item of the navbar's "Administracja" dropdown (settings, staff, regions, access log, …),
    opening the dropdown unless it is open already."""
    menu = page.get_by_role("navigation", name=MAIN_MENU)
    toggle = menu.get_by_role("button", name="Administracja")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    with page.expect_navigation():
        menu.get_by_role("link", name=item, exact=True).click()


def nav(page, link: str) -> None:
    page.get_by_role("navigation", name=MAIN_MENU).get_by_role("link", name=link, exact=True).click()


def open_case(page, case) -> None:
    page.goto(f"/sprawy/{case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Sprawa {case.number}")


def field_error(page, field_id: str):
    """The message shown at a field: marked invalid, and the message tied to it by aria-describedby."""
    field = page.locator(f"#{field_id}")
    expect(field).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(field).to_have_attribute("aria-invalid", "true")
    described_by = field.get_attribute("aria-describedby") or ""
    error_ids = [i for i in described_by.split() if i.endswith("_error")]
    assert error_ids, f"{field_id} has no error message tied to it (aria-describedby={described_by!r})"
    return page.locator(f"#{error_ids[0]}")
