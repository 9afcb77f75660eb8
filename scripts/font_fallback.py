"""The numbers of the metric-compatible fallback faces in static/css/fonts.css (issue 20.4).

    .venv/bin/python scripts/font_fallback.py

Reads the web font's own files (static/vendor/fonts/source-sans-3/*.woff2, what the browser gets) and the
fallback's (Liberation Sans, metric-identical to Arial by design; DejaVu Sans) with fontTools, and prints
for each weight:

- size-adjust: how much wider Source Sans 3 is than the fallback on Polish text – the advance widths of the
  characters of the application's own templates (their text, without tags and template code), each
  character as often as it occurs there, plus the digits and punctuation of dates and case numbers;
- ascent-override, descent-override, line-gap-override: Source Sans 3's line metrics (the woff2's hhea,
  which equal its OS/2 typo metrics, USE_TYPO_METRICS set: what Chromium, Firefox and Safari use),
  divided by size-adjust, because the browser scales the overrides by size-adjust as well.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "static" / "vendor" / "fonts" / "source-sans-3"
SYSTEM = Path("/usr/share/fonts/truetype")
FALLBACKS = {
    # CSS local() names → the file measured; weight → the face of that family that stands in for it.
    "Arial": {
        400: SYSTEM / "liberation" / "LiberationSans-Regular.ttf",
        600: SYSTEM / "liberation" / "LiberationSans-Bold.ttf",
        700: SYSTEM / "liberation" / "LiberationSans-Bold.ttf",
    },
    "DejaVu Sans": {
        400: SYSTEM / "dejavu" / "DejaVuSans.ttf",
        600: SYSTEM / "dejavu" / "DejaVuSans-Bold.ttf",
        700: SYSTEM / "dejavu" / "DejaVuSans-Bold.ttf",
    },
}


def polish_text() -> Counter:
    """How often each character occurs in what the pages say."""
    counts: Counter = Counter()
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        text = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}|<[^>]*>", " ", text, flags=re.S)
        counts.update(ch for ch in " ".join(text.split()))
    # The tables' dates, case numbers and times: 12.03.2026, RPŚ-1/2026/0001, 10:30.
    counts.update("0123456789" * 400 + "./-:" * 300)
    return counts


def advances(font: TTFont) -> dict[str, float]:
    """Advance width of each character, in ems."""
    cmap, hmtx, upm = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    return {chr(code): hmtx[glyph][0] / upm for code, glyph in cmap.items()}


def web_font(weight: int) -> dict[str, float]:
    """Source Sans 3 of that weight: the latin and latin-ext subsets together (Polish needs both)."""
    widths: dict[str, float] = {}
    for subset in ("latin-ext", "latin"):
        widths.update(advances(TTFont(WEB / f"source-sans-3-{subset}-{weight}-normal.woff2")))
    return widths


def main() -> int:
    counts = polish_text()
    metrics = TTFont(WEB / "source-sans-3-latin-400-normal.woff2")
    upm = metrics["head"].unitsPerEm
    hhea = metrics["hhea"]
    ascent, descent, line_gap = hhea.ascent / upm, -hhea.descent / upm, hhea.lineGap / upm
    print(f"Source Sans 3 (woff2 hhea): ascent {ascent:.3f}, descent {descent:.3f}, line gap {line_gap:.3f} em")
    for family, faces in FALLBACKS.items():
        for weight, path in faces.items():
            target, fallback = web_font(weight), advances(TTFont(path))
            chars = [ch for ch in counts if ch in target and ch in fallback]
            total = sum(counts[ch] for ch in chars)
            ours = sum(target[ch] * counts[ch] for ch in chars) / total
            theirs = sum(fallback[ch] * counts[ch] for ch in chars) / total
            size = ours / theirs
            print(
                f"{family} {weight} ({path.name}, {total} characters): size-adjust {size * 100:.2f}%; "
                f"ascent-override {ascent / size * 100:.2f}%; descent-override {descent / size * 100:.2f}%; "
                f"line-gap-override {line_gap / size * 100:.2f}%"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
