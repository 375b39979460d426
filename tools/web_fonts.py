"""Make the web fonts the HTML report embeds (``skmkit/data/fonts/web/``): the PDF's fonts as WOFF2.

The HTML asks for "SKM Sans" and "SKM Mono"; a browser can only show them when
the HTML carries them (:mod:`skmkit.htmlprint` embeds them as ``data:`` URLs).
Subsetting per report would cost about 0.1 s a face, so it is done once, here,
from the files the PDF embeds (``skmkit/data/fonts/*.ttf``, themselves made by
``tools/subset_fonts.py``), in two parts per face, as web font services do:

- ``-core``: the characters every report uses (Basic Latin, Latin-1, dashes
  and quotes, the signs the kit writes), always embedded;
- ``-ext``: the rest of the PDF font, embedded only in a report that uses one of
  its characters (a name with Vietnamese diacritics, a rare sign).

Bold-oblique is not made: no report text is bold and italic at once, and a
browser would slant the bold face if one were.

Run from the repository root after ``tools/subset_fonts.py``::

    .venv/bin/python tools/web_fonts.py
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from skmkit.htmlprint import CORE_RANGES, WEB_FACES  # noqa: E402

#: The same fixed timestamp as tools/subset_fonts.py (2017-01-02 00:00).
FIXED_TIMESTAMP = 3566160000


def _in(ranges, code):
    return any(lo <= code <= hi for lo, hi in ranges)


def write_part(src: Path, dst: Path, unicodes: list[int], family: str) -> None:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["kern", "liga", "ccmp", "locl", "mark", "mkmk"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # copyright, names, version; the licence is LICENSE_DEJAVU
    options.name_languages = [0x409]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False
    options.recalc_timestamp = False
    font = TTFont(src, recalcTimestamp=False)
    sub = subset.Subsetter(options)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    font["head"].created = font["head"].modified = FIXED_TIMESTAMP
    # Named as the stylesheet names it, so a browser's PDF shows "SKMSans-Bold" where it used the embedded face
    # and "DejaVuSans-Bold" (a system font) where it did not.
    names = font["name"]
    sub_family = names.getDebugName(2)
    full = family if sub_family == "Book" else f"{family} {sub_family}"
    postscript = family.replace(" ", "") + ("" if sub_family == "Book" else "-" + sub_family.replace(" ", ""))
    for ident, value in ((1, family), (4, full), (6, postscript)):
        names.setName(value, ident, 3, 1, 0x409)
        names.setName(value, ident, 1, 0, 0)
    font.flavor = "woff2"
    font.save(dst, reorderTables=True)


def main() -> None:
    fonts = ROOT / "skmkit" / "data" / "fonts"
    out = fonts / "web"
    out.mkdir(exist_ok=True)
    for stem, family, _weight, _style in WEB_FACES:
        src = fonts / f"{stem}.ttf"
        cmap = sorted(TTFont(src).getBestCmap())
        core = [c for c in cmap if _in(CORE_RANGES, c)]
        ext = [c for c in cmap if not _in(CORE_RANGES, c)]
        for part, codes in (("core", core), ("ext", ext)):
            dst = out / f"{stem}-{part}.woff2"
            write_part(src, dst, codes, family)
            print(f"{dst.name}: {len(codes)} characters, {dst.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
