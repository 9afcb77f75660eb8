"""No layout shift while the page loads (issue 20.4): the register, a page of 25 rows, in Chromium with the
cache off and the web font held back for a second – the worst first visit: the page is painted in the
fallback face, then the font arrives and replaces it. Before the fix the fallback was whatever `system-ui`
is (DejaVu Sans here, ~15 % wider than Source Sans 3) and the tables reflowed when the font came:
CLS 0.3 and more; Lighthouse measured ~0.35. The fallback is now Arial / Liberation Sans (or DejaVu Sans)
scaled to Source Sans 3's widths and line metrics (static/css/fonts.css), so the swap moves next to nothing.

CLS is computed as Lighthouse and the Core Web Vitals do: layout shifts not caused by input, grouped into
session windows (a gap of less than 1 s between shifts, at most 5 s long); the largest window's sum counts.
The plain sum of all shifts is reported too (with one font swap, the two are the same).
"""

from __future__ import annotations

import time

import pytest

from mopr.tests.browser import login
from mopr.tests.factories import CaseFactory, ClientFactory, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLS_LIMIT = 0.05
FONT_DELAY_S = 1.0

# Every layout shift of the page (buffered: also the ones before this script ran), and the largest
# session window as the Core Web Vitals define it.
LAYOUT_SHIFTS = """() => new Promise((resolve) => {
  const shifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) shifts.push({time: entry.startTime, value: entry.value});
    }
  }).observe({type: "layout-shift", buffered: true});
  // The buffered entries are delivered in a task of their own: give them two frames.
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => {
    let best = 0, current = 0, start = 0, last = -Infinity;
    for (const s of shifts) {
      if (s.time - last > 1000 || s.time - start > 5000) { current = 0; start = s.time; }
      current += s.value; last = s.time;
      best = Math.max(best, current);
    }
    resolve({cls: best, sum: shifts.reduce((a, s) => a + s.value, 0), shifts});
  }, 100)));
})"""

FONTS_USED = """async () => {
  await document.fonts.ready;
  return [...document.fonts].filter((f) => f.status === "loaded").map((f) => `${f.family} ${f.weight}`);
}"""


def _cases(org, p, n: int = 30) -> None:
    surnames = ["Żółkiewska", "Wiśniewski", "Grzędziński", "Łukaszewicz", "Świątek", "Kołodziej"]
    for i in range(n):
        client = ClientFactory(institution=org.inst_a, street="Żeglarska", house_number=str(i + 1))
        MemberFactory(client=client, first_name="Małgorzata", last_name=f"{surnames[i % len(surnames)]}-{i}")
        CaseFactory(region=org.region_a1, client=client, worker=p.worker_a)


def test_the_register_does_not_shift_when_the_font_arrives_late(page, org, p):
    _cases(org, p)
    login(page, "coordinator_a")

    # The cache off (a first visit: nothing of the font in memory or on disk) and every font held back.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    held = []

    def hold_font(route):
        held.append(route.request.url)
        time.sleep(FONT_DELAY_S)
        route.continue_()

    page.route("**/*.woff2", hold_font)
    page.goto("/rejestr/")
    assert page.locator("table.register tbody tr").count() >= 25
    fonts = page.evaluate(FONTS_USED)
    assert held, "no web font was requested"
    assert any(f.startswith("Source Sans 3 ") for f in fonts), fonts
    measured = page.evaluate(LAYOUT_SHIFTS)
    shifts = ", ".join(f"{s['value']:.4f} at {s['time']:.0f} ms" for s in measured["shifts"]) or "none"
    print(f"CLS {measured['cls']:.4f} (sum {measured['sum']:.4f}; shifts: {shifts}; fonts: {fonts})")
    assert measured["cls"] < CLS_LIMIT, (
        f"Cumulative layout shift {measured['cls']:.3f} ≥ {CLS_LIMIT} when the font arrives {FONT_DELAY_S} s late "
        f"(shifts: {shifts})"
    )
