"""Make the report fonts shipped in ``skmkit/data/fonts/``: DejaVu subset to what reports need.

The PDF embeds these files whole (WeasyPrint ``full_fonts``), so no font is
subset at render time. Render-time subsetting is what made PDFs differ between
machines: WeasyPrint subsets with HarfBuzz when ``libharfbuzz-subset0`` is
installed and with fontTools otherwise, and fontTools stamps the current time
into every subset font. Subsetting once, here, with a fixed timestamp, gives the
same PDF bytes on every machine and spares WeasyPrint the work per report.

Run from the repository root after changing the ranges or the matplotlib
version (the DejaVu files come from matplotlib's bundled fonts)::

    .venv/bin/python tools/subset_fonts.py
"""
from __future__ import annotations

from pathlib import Path

import matplotlib
from fontTools import subset
from fontTools.ttLib import TTFont

#: Unicode ranges kept: Latin with diacritics (names), punctuation, currency, arrows,
#: mathematical signs (>=, x, +-), a few shapes and check marks. A character outside
#: them falls back to a system font (embedded whole as well).
RANGES = [
    (0x0020, 0x007E), (0x00A0, 0x024F), (0x02C6, 0x02DD), (0x0300, 0x036F), (0x1E00, 0x1EFF),
    (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x2122), (0x2190, 0x2199), (0x2200, 0x22FF),
    (0x25A0, 0x25CF), (0x2713, 0x2718), (0xFB00, 0xFB06), (0xFFFD, 0xFFFD),
]
FACES = ["DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique",
         "DejaVuSansMono", "DejaVuSansMono-Bold"]
#: 2017-01-02 00:00 (the year of PermenPANRB 14/2017): any fixed value would do.
FIXED_TIMESTAMP = 3566160000  # seconds since 1904-01-01, the OpenType epoch


def subset_face(src: Path, dst: Path) -> None:
    options = subset.Options()
    options.layout_features = ["kern", "liga", "ccmp", "locl", "mark", "mkmk"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False
    options.recalc_timestamp = False
    font = TTFont(src, recalcTimestamp=False)
    sub = subset.Subsetter(options)
    sub.populate(unicodes=[c for lo, hi in RANGES for c in range(lo, hi + 1)])
    sub.subset(font)
    font["head"].created = font["head"].modified = FIXED_TIMESTAMP
    font.save(dst, reorderTables=True)


def main() -> None:
    src = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    out = Path(__file__).resolve().parents[1] / "skmkit" / "data" / "fonts"
    out.mkdir(parents=True, exist_ok=True)
    for face in FACES:
        subset_face(src / f"{face}.ttf", out / f"{face}.ttf")
        print(f"{face}.ttf: {(out / f'{face}.ttf').stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
