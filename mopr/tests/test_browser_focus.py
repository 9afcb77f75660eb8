"""Issue 20.2: focus you can see. Tab through the first elements of pages with each background the
application has – the navy menu, the white page, buttons, form fields, the login page – and compute,
in the browser, the contrast of the focus indicator (the outline and a box-shadow ring at least 2 px
wide) against what surrounds the element. Each focused element needs one ring of at least 3:1."""

from __future__ import annotations

import pytest

from mopr.tests.browser import login
from mopr.tests.factories import CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Run in the page: the focused element's best focus-ring contrast against its surroundings.
FOCUS_CONTRAST = """() => {
  const parse = (c) => {
    const m = (c || "").match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const v = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: v[0], g: v[1], b: v[2], a: v.length > 3 ? v[3] : 1};
  };
  const lum = ({r, g, b}) => {
    const f = (x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const contrast = (a, b) => { const [h, l] = [lum(a), lum(b)].sort((x, y) => y - x); return (h + 0.05) / (l + 0.05); };
  const around = (el) => {
    for (let e = el.parentElement; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const rings = [];
  if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) rings.push(parse(s.outlineColor));
  // "rgb(…) x y blur spread": a ring is a shadow with a spread of 2 px or more.
  const shadow = /(rgba?\\([^)]+\\))\\s+(-?[\\d.]+)px\\s+(-?[\\d.]+)px\\s+(-?[\\d.]+)px\\s+(-?[\\d.]+)px/g;
  for (const m of s.boxShadow.matchAll(shadow)) {
    if (parseFloat(m[5]) >= 2) rings.push(parse(m[1]));
  }
  const bg = around(el);
  const best = Math.max(0, ...rings.filter((c) => c && c.a > 0.5).map((c) => contrast(c, bg)));
  const name = (el.getAttribute("aria-label") || el.innerText || el.value || el.name || el.id || "").trim();
  return {tag: el.tagName.toLowerCase(), name: name.slice(0, 40), best: Math.round(best * 100) / 100};
}"""


def weak_focus(page, *, presses: int = 30) -> list[str]:
    """Tab ``presses`` times from the top of the page; the focused elements whose ring is below 3:1."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    weak, seen = [], 0
    for _ in range(presses):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUS_CONTRAST)
        if found is None:
            continue
        seen += 1
        if found["best"] < 3:
            weak.append(f"{found['tag']} {found['name']!r}: {found['best']}:1")
    assert seen >= 5, f"only {seen} elements took the focus on {page.url}"
    return weak


def test_the_focus_ring_has_three_to_one_on_every_background(page, p, org):
    case = CaseFactory(region=org.region_a1, worker=p.worker_a)
    page.goto("/logowanie/")
    assert weak_focus(page, presses=8) == []
    login(page, "director_a")  # the navy menu with its dropdowns, the start page's panels
    assert weak_focus(page) == []
    page.goto("/osrodek/ustawienia/")  # form fields, checkboxes, buttons
    assert weak_focus(page, presses=40) == []
    page.context.clear_cookies()
    login(page, "worker_a")
    page.goto(f"/sprawy/{case.pk}/")  # the case page: next steps, links in the timeline
    assert weak_focus(page, presses=40) == []
