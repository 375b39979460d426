"""What the HTML report carries for a browser: the kit's fonts, embedded, and the browser's page rules.

WeasyPrint prints the report with the kit's own fonts ("SKM Sans", "SKM Mono":
DejaVu, ``skmkit/data/fonts``) and with running strings (``string-set``) and
``target-counter()`` that browsers do not implement. A laptop without Pango
prints the same HTML through Edge or Chrome (:mod:`skmkit.browser`), and anyone
may open the HTML and press Ctrl+P. :func:`add_print_extras` therefore adds two
``<style>`` blocks to the report's ``<head>``:

- ``data-skm-print="fonts"``: the fonts as WOFF2 ``data:`` URLs, subset once
  (``tools/web_fonts.py``): a core part always (about 10 KB a face), the rest
  of the PDF's character set only when the report uses one of its characters.
  Nothing is subset per report.
- ``data-skm-print="browser"``: the browser-only page rules
  (``templates/skm/browser-print.css``) and this report's running header and
  footer texts as literal strings, one named page per chapter for the
  right-hand header (Chromium has ``@page`` margin boxes and page counters
  but no ``string()``).

:func:`strip_print_extras` removes both blocks exactly, so WeasyPrint prints the
very HTML it printed before they existed: the same font files, the same PDF bytes.
"""
from __future__ import annotations

import base64
import html as _html
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["CORE_RANGES", "WEB_FACES", "WEB_FONT_DIR", "add_print_extras", "strip_print_extras",
           "embedded_fonts_css", "browser_css", "toc_targets", "number_toc"]

#: The WOFF2 files made by ``tools/web_fonts.py`` from the PDF's fonts.
WEB_FONT_DIR = Path(str(resources.files("skmkit").joinpath("data", "fonts", "web")))
_TEMPLATE_CSS = Path(str(resources.files("skmkit").joinpath("templates", "skm", "browser-print.css")))

#: Faces embedded: (file stem, family, weight, style). No bold-oblique: no report text is both.
WEB_FACES = (("DejaVuSans", "SKM Sans", "normal", "normal"), ("DejaVuSans-Bold", "SKM Sans", "bold", "normal"),
             ("DejaVuSans-Oblique", "SKM Sans", "normal", "italic"),
             ("DejaVuSansMono", "SKM Mono", "normal", "normal"), ("DejaVuSansMono-Bold", "SKM Mono", "bold", "normal"))

#: Characters of the always-embedded core part: Basic Latin, Latin-1, dashes, quotes, the ellipsis,
#: per mille, euro, trade mark, arrows, minus, <= and >=, a square, a dot, check marks.
CORE_RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x2027), (0x2030, 0x203A), (0x20AC, 0x20AC),
               (0x2122, 0x2122), (0x2190, 0x2193), (0x2212, 0x2212), (0x2264, 0x2265), (0x25A0, 0x25A0),
               (0x25CF, 0x25CF), (0x2713, 0x2718))

_BLOCK = re.compile(r'<style data-skm-print="[a-z]+">.*?</style>\n', re.S)
# any character outside the core part (control characters are never drawn)
_NOT_CORE = re.compile("[^\\x00-\\x1f" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in CORE_RANGES) + "]")
_TAG = re.compile(r"<[^>]+>")
_H1 = re.compile(r"<h1([^>]*)>(.*?)</h1>", re.S)
_PAGE_RULE = re.compile(r"@page\s*\{\s*size:\s*A4;\s*margin:\s*([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm\s+([\d.]+)mm")
_BOX_WIDTH = re.compile(r"@(top-left|top-right)\s*\{[^}]*?width:\s*([\d.]+)%")
_SKM_CSS = _TEMPLATE_CSS.with_name("skm.css")
_HEADER_PT = 7.5  # the margin boxes' font size in skm.css
_TOC_LIST = re.compile(r'<ol class="toc-list">.*?</ol>', re.S)
_TOC_LINK = re.compile(r'(<a href="#([^"]+)">)(.*?)(</a>)', re.S)
_COLOPHON_H2 = re.compile(r'<section class="colophon">.*?<h2[^>]*>(.*?)</h2>', re.S)


def _range_css(ranges) -> str:
    return ", ".join(f"U+{lo:X}" if lo == hi else f"U+{lo:X}-{hi:X}" for lo, hi in ranges)


@lru_cache(maxsize=None)
def _face_rules(part: str) -> str:
    """The @font-face rules of one part ("core" or "ext") of every face, read and encoded once per process."""
    rules = []
    for stem, family, weight, style in WEB_FACES:
        data = base64.b64encode((WEB_FONT_DIR / f"{stem}-{part}.woff2").read_bytes()).decode("ascii")
        unicode_range = f" unicode-range: {_range_css(CORE_RANGES)};" if part == "core" else ""
        rules.append(f"@font-face {{ font-family: '{family}'; font-weight: {weight}; font-style: {style};"
                     f"{unicode_range} src: url(data:font/woff2;base64,{data}) format('woff2'); }}")
    return "\n".join(rules)


def embedded_fonts_css(text: str) -> str:
    """@font-face rules embedding the kit's fonts for a document holding ``text``.

    The core part always; the rest of the PDF's characters (declared first, so
    the core part is tried first for its own characters) only when ``text``
    uses a character outside :data:`CORE_RANGES`.
    """
    if _NOT_CORE.search(text):
        return _face_rules("ext") + "\n" + _face_rules("core")
    return _face_rules("core")


@lru_cache(maxsize=None)
def header_widths() -> tuple[float, float]:
    """The widths in points of the left and right header boxes, read from skm.css's ``@page`` rule.

    A4 is 210 mm wide; the boxes share the width between the left and right
    margins as skm.css's percentages say.
    """
    css = _SKM_CSS.read_text(encoding="utf-8")
    margin = _PAGE_RULE.search(css)
    boxes = dict(_BOX_WIDTH.findall(css))
    if margin is None or set(boxes) != {"top-left", "top-right"}:
        raise RuntimeError("skm.css: the @page rule (size: A4; margin: T R B L in mm) or the header boxes' width "
                           "(a percentage) is no longer where skmkit.htmlprint reads it")
    text_width = (210 - float(margin.group(2)) - float(margin.group(4))) / 25.4 * 72
    return text_width * float(boxes["top-left"]) / 100, text_width * float(boxes["top-right"]) / 100


@lru_cache(maxsize=None)
def _advances() -> tuple[dict[int, float], float]:
    """Advance widths of "SKM Sans" (the PDF's DejaVuSans.ttf) per character, in em; and the widest one."""
    from fontTools.ttLib import TTFont

    font = TTFont(WEB_FONT_DIR.parent / "DejaVuSans.ttf", lazy=True)
    per_em, metrics = font["head"].unitsPerEm, font["hmtx"].metrics
    widths = {code: metrics[glyph][0] / per_em for code, glyph in font.getBestCmap().items()}
    return widths, max(widths.values())


def fit(text: str, width_pt: float, size_pt: float = _HEADER_PT) -> str:
    """``text``, cut and ended with "…" when wider than ``width_pt`` at ``size_pt`` in "SKM Sans".

    A browser draws a margin box's text past its box (no ``overflow`` or
    ``text-overflow`` there, unlike WeasyPrint), so a long unit name would run
    into the chapter on the right. Widths are the font's advances without
    kerning, a little wider than drawn: the text never overruns.

    Examples
    --------
    >>> fit("DINAS PERHUBUNGAN", 300)
    'DINAS PERHUBUNGAN'
    >>> fit("DINAS PERHUBUNGAN", 40)
    'DINAS P…'
    """
    widths, widest = _advances()

    def width(s):
        return sum(widths.get(ord(ch), widest) for ch in s) * size_pt

    if width(text) <= width_pt:
        return text
    while text and width(text.rstrip(" ,;—-") + "…") > width_pt:
        text = text[:-1]
    return text.rstrip(" ,;—-") + "…"


def _css_string(text: str) -> str:
    """A CSS string literal: backslashes, quotes, '<' (so no '</style>' can appear) and line breaks escaped."""
    out = []
    for ch in text:
        if ch in '\\"<>' or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _text(fragment: str) -> str:
    return " ".join(_html.unescape(_TAG.sub("", fragment)).split())


def _div_text(text: str, cls: str) -> str:
    m = re.search(rf'<div class="{cls}"[^>]*>(.*?)</div>', text, re.S)
    return _text(m.group(1)) if m else ""


def browser_css(text: str) -> str:
    """The browser-only page rules for the document ``text``: the static part and its running texts.

    WeasyPrint's header is "Laporan Hasil SKM — " and the unit (the cover's
    ``.cover-unit``), its left footer the institution (``.cover-top``), its
    right header the chapter (each ``<h1>``, the colophon's ``<h2>``). A browser
    gets them as literal strings: the chapter through one named page per
    chapter, given to the top-level block that is or holds the heading and to
    every block after it (a later chapter's rule, of the same specificity, wins).
    """
    rules = [_TEMPLATE_CSS.read_text(encoding="utf-8").strip()]
    unit, institution = _div_text(text, "cover-unit"), _div_text(text, "cover-top")
    page = []
    left, right = header_widths()
    if unit:
        page.append(f"@top-left {{ content: {_css_string(fit('Laporan Hasil SKM — ' + unit, left))}; }}")
    if institution:
        page.append(f"@bottom-left {{ content: {_css_string(institution)}; }}")
    if page:
        # the cover's own rule (skm.css: no margin boxes) is repeated after this one: Chromium lets the later
        # rule win, and a header on the margin-less cover is drawn above the page's top edge
        rules.append("@page { " + " ".join(page) + " }\n@page cover { @top-left { content: none; } "
                     "@bottom-left { content: none; } }")
    chapters = []
    for attrs, inner in _H1.findall(text):
        classes = (re.search(r'class="([^"]*)"', attrs) or [None, ""])[1].split()
        ident = re.search(r'id="([^"]*)"', attrs)
        if "title" in classes:
            continue
        if ident:
            chapters.append((f'h1[id="{ident.group(1)}"]', f"skm-{ident.group(1)}", _text(inner)))
        elif "toc-title" in classes:
            chapters.append(("h1.toc-title", "skm-toc", _text(inner)))
    for selector, name, title in chapters:
        block = f":is({selector}, :has({selector}))"  # the heading itself, or the block holding it
        rules.append(f"main.report > {block}, main.report > {block} ~ * {{ page: {name}; }}\n"
                     f"@page {name} {{ @top-right {{ content: {_css_string(fit(title.upper(), right))}; }} }}")
    colophon = _COLOPHON_H2.search(text)
    if colophon:
        rules.append("main.report > section.colophon, main.report > section.colophon ~ * { page: skm-colophon; }\n"
                     f"@page skm-colophon {{ @top-right {{ content: "
                     f"{_css_string(fit(_text(colophon.group(1)).upper(), right))}; }} }}")
    return "\n".join(rules)


def add_print_extras(text: str) -> str:
    """``text`` with the fonts and the browser's page rules added before ``</head>`` (once)."""
    if 'data-skm-print="' in text or "</head>" not in text:
        return text
    extras = (f'<style data-skm-print="fonts">\n{embedded_fonts_css(text)}\n</style>\n'
              f'<style data-skm-print="browser">\n{browser_css(text)}\n</style>\n')
    head, _, rest = text.partition("</head>")
    return head + extras + "</head>" + rest


def strip_print_extras(text: str) -> str:
    """``text`` without the blocks :func:`add_print_extras` added: the HTML WeasyPrint prints."""
    return _BLOCK.sub("", text)


def toc_targets(text: str) -> list[str]:
    """The ids the table of contents links to, in its order (``["s1", "s2", ...]``)."""
    toc = _TOC_LIST.search(text)
    return [m.group(2) for m in _TOC_LINK.finditer(toc.group(0))] if toc else []


def number_toc(text: str, pages: dict[str, int]) -> str:
    """``text`` with each table-of-contents entry given its page, ``<span class="toc-page">n</span>``.

    For a browser, which has no ``target-counter()``: the pages are read from a
    first print (:func:`skmkit.browser.print_to_pdf`). ``pages`` must hold every
    target of the table of contents.
    """
    def entry(m):
        return f'{m.group(1)}{m.group(3)}<span class="toc-page">{pages[m.group(2)]}</span>{m.group(4)}'

    return _TOC_LIST.sub(lambda toc: _TOC_LINK.sub(entry, toc.group(0)), text, count=1)
