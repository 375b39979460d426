"""What the HTML carries for a browser (skmkit.htmlprint): the kit's fonts embedded, the browser-only page rules.

No browser runs here (tests/test_browser.py prints a report with chromium); WeasyPrint runs twice on a small page.
"""
from __future__ import annotations

import re

import pytest

from fontTools.ttLib import TTFont

from skmkit import browser, htmlprint
from skmkit import exporters as render

PAGE = """<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Uji</title>
<style>""" + (render.TEMPLATE_DIR / "skm" / "skm.css").read_text(encoding="utf-8") + """</style>
</head><body><main class="report"><section class="cover"><div class="cover-top">PEMERINTAH KOTA SUKAMAJU</div>
<h1 class="title">SURVEI KEPUASAN MASYARAKAT</h1><div class="cover-unit">DINAS PERHUBUNGAN</div></section>
<nav class="toc"><h1 class="unnumbered toc-title">DAFTAR ISI</h1><ol class="toc-list"><li class="toc-h1">
<a href="#s1">BAB I PENDAHULUAN</a></li><li class="toc-h2"><a href="#s2">1.1 Latar Belakang</a></li></ol></nav>
<section class="md"><h1 id="s1">BAB I PENDAHULUAN</h1><h2 id="s2">1.1 Latar Belakang</h2><p>IKM 87,50 &ge; 76,61.</p>
</section><p>Teks.</p><section class="colophon"><h2 id="s3">Kolofon</h2><p>Versi.</p></section></main></body></html>"""


def _browser_block(text: str) -> str:
    return re.search(r'<style data-skm-print="browser">(.*?)</style>', text, re.S).group(1)


def test_the_extras_go_into_the_head_once_and_come_out_exactly():
    extra = htmlprint.add_print_extras(PAGE)
    assert extra.index('<style data-skm-print="fonts">') < extra.index('<style data-skm-print="browser">') \
        < extra.index("</head>")
    assert htmlprint.add_print_extras(extra) == extra
    assert htmlprint.strip_print_extras(extra) == PAGE


def test_weasyprint_prints_the_same_bytes_with_or_without_the_extras():
    assert render.html_to_pdf(htmlprint.add_print_extras(PAGE)) == render.html_to_pdf(PAGE)


def test_core_fonts_always_the_rest_only_when_a_character_needs_it():
    core = htmlprint.embedded_fonts_css(PAGE)
    assert core.count("@font-face") == 5 and core.count("unicode-range: U+20-7E, U+A0-FF") == 5
    for family, weight, style in (("SKM Sans", "normal", "normal"), ("SKM Sans", "bold", "normal"),
                                  ("SKM Sans", "normal", "italic"), ("SKM Mono", "normal", "normal"),
                                  ("SKM Mono", "bold", "normal")):
        assert f"font-family: '{family}'; font-weight: {weight}; font-style: {style};" in core
    # "ễ" (U+1EC5) is outside the core part: the rest of the PDF's characters come too, declared first
    vietnamese = htmlprint.embedded_fonts_css(PAGE.replace("DINAS PERHUBUNGAN", "PUSKESMAS NGUYỄN"))
    assert vietnamese.count("@font-face") == 10 and vietnamese.endswith(core)
    # what a report pays: the five core faces, base64, under 75 KB
    assert len(core) < 75_000


def test_web_fonts_hold_the_pdf_fonts_characters_split_at_the_core_ranges():
    def in_core(code):
        return any(lo <= code <= hi for lo, hi in htmlprint.CORE_RANGES)

    for stem, family, _, _ in htmlprint.WEB_FACES:
        pdf = set(TTFont(render.FONT_DIR / f"{stem}.ttf").getBestCmap())
        core = TTFont(htmlprint.WEB_FONT_DIR / f"{stem}-core.woff2")
        ext = set(TTFont(htmlprint.WEB_FONT_DIR / f"{stem}-ext.woff2").getBestCmap())
        assert set(core.getBestCmap()) == {c for c in pdf if in_core(c)} and ext == {c for c in pdf if not in_core(c)}
        assert core["name"].getDebugName(1) == family  # a browser's PDF names the face SKMSans...


def test_running_texts_are_literal_strings_and_each_chapter_a_named_page():
    css = _browser_block(htmlprint.add_print_extras(PAGE))
    assert '@top-left { content: "Laporan Hasil SKM — DINAS PERHUBUNGAN"; }' in css
    assert '@bottom-left { content: "PEMERINTAH KOTA SUKAMAJU"; }' in css
    names = re.findall(r"~ \* \{ page: ([\w-]+); \}", css)
    assert names == ["skm-toc", "skm-s1", "skm-colophon"]  # the cover's title is no chapter
    assert '@page skm-s1 { @top-right { content: "BAB I PENDAHULUAN"; } }' in css
    assert '@page skm-colophon { @top-right { content: "KOLOFON"; } }' in css
    assert css.index("@page { @top-left") < css.index("@page cover { @top-left { content: none; }")
    # the heading itself may be the top-level block (the recap's title): the rule names both shapes
    assert 'main.report > :is(h1[id="s1"], :has(h1[id="s1"])) ~ * { page: skm-s1; }' in css


def test_a_unit_name_cannot_close_the_style_block():
    # as the kit writes a name in HTML: escaped
    hostile = PAGE.replace("DINAS PERHUBUNGAN", 'A &quot;B&quot; &lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt; \\')
    css = _browser_block(htmlprint.add_print_extras(hostile))
    assert "</style" not in css and "<script" not in css
    assert '"Laporan Hasil SKM — A \\22 B\\22  \\3c /style\\3e \\3c script\\3e alert(1)\\3c /script\\3e  \\5c "' in css


def test_a_long_unit_name_is_cut_to_the_header_box():
    left, right = htmlprint.header_widths()
    text_width = (210 - 18 - 22) / 25.4 * 72  # skm.css: A4, margins 24mm 18mm 20mm 22mm
    assert left + right == pytest.approx(text_width) and left > right
    long = "Laporan Hasil SKM — DINAS PEMBERDAYAAN PEREMPUAN, PERLINDUNGAN ANAK, PENGENDALIAN PENDUDUK DAN KB"
    cut = htmlprint.fit(long, left)
    assert cut.endswith("…") and long.startswith(cut[:-1]) and len(cut) < len(long)
    # DejaVu Sans capitals are at least 0.6 em wide: what is kept is less than the box at 7.5 pt
    assert sum(0.6 * 7.5 for ch in cut if ch.isupper()) < left
    assert htmlprint.fit("Laporan Hasil SKM — DINAS PERHUBUNGAN", left) == "Laporan Hasil SKM — DINAS PERHUBUNGAN"


def test_contents_numbers_go_inside_each_link():
    extra = htmlprint.add_print_extras(PAGE)
    assert htmlprint.toc_targets(extra) == ["s1", "s2"]
    numbered = htmlprint.number_toc(extra, {"s1": 4, "s2": 5, "s3": 9})
    assert '<a href="#s1">BAB I PENDAHULUAN<span class="toc-page">4</span></a>' in numbered
    assert '<a href="#s2">1.1 Latar Belakang<span class="toc-page">5</span></a>' in numbered
    assert numbered.count('class="toc-page"') == 2  # only the contents' links
    assert browser.heading_pages(b"%PDF-1.4 not a pdf") is None


def test_docstring_examples_run():
    import doctest

    for module in (htmlprint, browser):
        result = doctest.testmod(module)
        assert result.attempted >= 1 and result.failed == 0, module.__name__
