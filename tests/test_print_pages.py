"""Issue 18: the printed pages judged by machine, on WeasyPrint's own layout tree.

Each document is laid out once (``HTML(...).render()``, the same fonts and
stylesheet as the PDF) and its pages walked box by box: positions in CSS px
on the page. What a reader would see and a machine can judge:

- a heading (h1-h4, a table's caption) is never the last thing on a page;
- no page but the document's last is under a quarter full;
- the running header is one line on every page, its left and right parts on
  one baseline and inside the text width;
- no text runs outside its box: a table cell, a paragraph, the page's text area.

The documents: a batch over three units of the sample city (a sample unit, a
unit with a long name, a unit with 1,000 respondents) and its recap, HTML only;
the checks do not need the PDF bytes.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from skmkit.batch import batch
from skmkit.synth import DEMO_UNITS, generate_responses

#: Allowed rounding in CSS px (1 px = 0.26 mm) when comparing edges.
SLACK = 1.0
HEADINGS = {"h1", "h2", "h3", "h4", "caption"}  # a table's caption is its heading

LONG_NAME = "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana"
UNITS = [u for u in DEMO_UNITS if u[0] == "disdukcapil"] + [
    ("dp3appkb", LONG_NAME, ["Konseling Keluarga", "Pengaduan Kekerasan"], 120, 6000, 0.25),
    ("besar", "Rumah Sakit Umum Daerah Besar", ["Rawat Jalan", "Rawat Inap", "IGD", "Farmasi"], 1000, 90000, 0.3),
]


# ------------------------------------------------------------------ layout
def layout(html: str):
    """The WeasyPrint document of ``html``, laid out as the kit's PDF engine lays it out."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from skmkit import htmlprint
    from skmkit.exporters import TEMPLATE_DIR, _bundled_fonts_css

    fonts = FontConfiguration()
    css = CSS(string=_bundled_fonts_css(), font_config=fonts)
    # the PDF engine is given the HTML without the browser's print extras (fonts, page rules): so is this layout
    return HTML(string=htmlprint.strip_print_extras(html), base_url=str(TEMPLATE_DIR)).render(
        stylesheets=[css], font_config=fonts)


def _walk(box, ancestors=()):
    yield box, ancestors
    for child in getattr(box, "children", ()):
        yield from _walk(child, ancestors + (box,))


def _tag(box) -> str:
    return getattr(box, "element_tag", "") or ""


def _text(box) -> str:
    return getattr(box, "text", "") or ""


@dataclass
class Page:
    number: int
    box: object

    @property
    def area(self):
        """The text area: left, top, right, bottom."""
        b = self.box
        return b.content_box_x(), b.content_box_y(), b.content_box_x() + b.width, b.content_box_y() + b.height

    def margin_box(self, at: str):
        return next((c for c in self.box.children if getattr(c, "at_keyword", None) == at), None)

    def body(self):
        """(box, ancestors) of the page's flow content (the margin boxes left out)."""
        for child in self.box.children:
            if getattr(child, "at_keyword", None) is None:
                yield from _walk(child)

    def leaves(self):
        """Visible leaves: text with letters in it, and images, with their ancestors."""
        for box, anc in self.body():
            if any(getattr(a, "is_outside_marker", False) for a in anc + (box,)):
                continue  # a list's "1.", placed left of its item on purpose
            if (_text(box).strip() and type(box).__name__ == "TextBox") or "Replaced" in type(box).__name__:
                yield box, anc


def pages(document) -> list[Page]:
    return [Page(i + 1, p._page_box) for i, p in enumerate(document.pages)]


def _bottom(box) -> float:
    return box.position_y + box.margin_height() if "Text" not in type(box).__name__ else box.position_y + box.height


# ------------------------------------------------------------------ checks
def heading_ends_page(page: Page) -> str | None:
    """The heading whose text is the last visible thing on the page, if one is."""
    leaves = list(page.leaves())
    if not leaves:
        return None
    last_box, last_anc = max(leaves, key=lambda la: (round(_bottom(la[0]), 1), la[0].position_x))
    head = next((a for a in last_anc if _tag(a) in HEADINGS), None)
    return None if head is None else f"{_tag(head)} '{_text(last_box).strip()}'"


def fill(page: Page) -> float:
    """How far down the text area the page's content reaches (0 empty, 1 full)."""
    left, top, right, bottom = page.area
    low = max((_bottom(b) for b, _ in page.leaves()), default=top)
    return (low - top) / (bottom - top)


def header_problems(page: Page) -> list[str]:
    """The running header: one line each side, one baseline, inside the text width."""
    left, top, right, bottom = page.area
    found, problems = {}, []
    for at in ("@top-left", "@top-right"):
        box = page.margin_box(at)
        if box is None:
            continue
        lines = [b for b, _ in _walk(box) if type(b).__name__ == "LineBox" and any(_text(t).strip() for t, _ in _walk(b))]
        if not lines:
            continue
        if len(lines) != 1:
            problems.append(f"{at} on {len(lines)} lines")
        found[at] = (lines[0].position_y, box)
        if box.position_x < left - SLACK or box.position_x + box.margin_width() > right + SLACK:
            problems.append(f"{at} outside the text width ({box.position_x:.0f}..{box.position_x + box.margin_width():.0f}"
                            f" vs {left:.0f}..{right:.0f})")
    if len(found) == 2 and abs(found["@top-left"][0] - found["@top-right"][0]) > SLACK:
        problems.append("left and right header parts not on one line")
    return problems


def overflow(page: Page) -> list[str]:
    """Text running past its block's box (a table cell, a paragraph) or the page's text area."""
    left, top, right, bottom = page.area
    problems = []
    for box, anc in page.leaves():
        x0, x1 = box.position_x, box.position_x + box.width
        what = _text(box).strip()[:30] or type(box).__name__
        if x0 < left - SLACK or x1 > right + SLACK:
            problems.append(f"'{what}' outside the text area ({x0:.0f}..{x1:.0f} vs {left:.0f}..{right:.0f})")
            continue
        block = next((a for a in reversed(anc) if type(a).__name__ in ("TableCellBox", "BlockBox")
                      and getattr(a, "style", None) is not None and a.style["overflow"] == "visible"), None)
        if block is None:
            continue
        b0 = block.border_box_x()
        b1 = b0 + block.border_width()
        if x0 < b0 - SLACK or x1 > b1 + SLACK:
            problems.append(f"'{what}' outside its <{_tag(block)}> ({x0:.0f}..{x1:.0f} vs {b0:.0f}..{b1:.0f})")
    return problems


# ------------------------------------------------------------------ documents
@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """The three unit reports and the recap of one batch, each laid out once."""
    folder = tmp_path_factory.mktemp("print_pages")
    data = folder / "tiga_unit.csv"
    generate_responses(UNITS, seed=14).to_csv(data, index=False)
    out = folder / "out"
    result = batch(data=data, by="Unit Layanan", out=out, formats="html", jobs=1, progress=False, quiet=True)
    assert not result.failed, result.failed
    html = {p.stem: p.read_text(encoding="utf-8") for p in sorted((out / "laporan").glob("*.html"))}
    html["rekap"] = (out / "rekap_skm.html").read_text(encoding="utf-8")
    return {name: layout(text) for name, text in html.items()}


def test_the_documents_are_the_ones_meant(documents):
    assert len(documents) == 4, sorted(documents)
    assert len(pages(documents["rekap"])) >= 2
    sizes = sorted(len(pages(d)) for name, d in documents.items() if name != "rekap")
    assert sizes[-1] > sizes[0]  # the 1,000-respondent unit's table runs pages longer


@pytest.mark.parametrize("check", ["headings", "fill", "header", "overflow"])
def test_pages(documents, check):
    found = []
    for name, document in documents.items():
        all_pages = pages(document)
        for page in all_pages:
            if check == "headings" and heading_ends_page(page):
                found.append(f"{name} p{page.number}: ends with {heading_ends_page(page)}")
            if check == "fill" and page.number < len(all_pages) and fill(page) < 0.25:
                found.append(f"{name} p{page.number}: {fill(page):.0%} full")
            if check == "header":
                found += [f"{name} p{page.number}: {p}" for p in header_problems(page)]
            if check == "overflow":
                found += [f"{name} p{page.number}: {p}" for p in overflow(page)]
    assert not found, "\n".join(found)


# ------------------------------------------------------------------ one section, one rule
def _report_page(body: str):
    """``body`` inside the report's page and stylesheet (the template's ``<main class="report">``), laid out."""
    from importlib import resources

    css = resources.files("skmkit").joinpath("templates", "skm", "skm.css").read_text(encoding="utf-8")
    return layout(f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><style>{css}</style></head>'
                  f'<body><main class="report">{body}</main></body></html>')


def _lines(box) -> int:
    return sum(1 for b, _ in _walk(box) if type(b).__name__ == "LineBox" and any(_text(t).strip() for t, _ in _walk(b)))


def page_anc(page: Page, box) -> tuple:
    return next(anc for b, anc in page.body() if b is box)


def test_colophon_labels_stay_on_one_line_and_values_wrap(sample_path):
    """Kolofon: each label on one line (its column as wide as the longest), the values wrap; a label too
    long for one line (annex_limit's) wraps in a column of at most 40% of the table."""
    from skmkit import sections

    r = sections.prepare(sample_path, unit="Dinas Kependudukan dan Pencatatan Sipil", by="Unit Layanan",
                         institution="Pemerintah Kota Sukamaju", period_start="2026-01-01",
                         period_end="2026-06-30", annex_limit=250, header_row=1)
    html = str(sections.colophon(r)) + str(sections.survey_facts(r))
    [page] = pages(_report_page(html))
    cells = [(b, a) for b, a in page.body() if type(b).__name__ == "TableCellBox" and _tag(b) == "th"]
    labels = {" ".join(_text(t) for t, _ in _walk(c) if _text(t).strip()): c for c, _ in cells}
    long_label = sections._param_label("annex_limit")
    assert len(long_label) > sections._LABEL_ONE_LINE and long_label in labels
    assert "Judul kolom unit pada data gabungan" in labels and "Tanggal jawaban pertama dan terakhir" in labels
    wrapped = {name for name, c in labels.items() if _lines(c) != 1}
    assert long_label in wrapped and all(len(name) > sections._LABEL_ONE_LINE for name in wrapped), wrapped
    table = next(a for a in reversed(page_anc(page, labels[long_label])) if type(a).__name__ == "TableBox")
    assert labels[long_label].border_width() <= 0.4 * table.width + SLACK  # the values keep 60%
    values = [c for c, _ in page.body() if type(c).__name__ == "TableCellBox" and _tag(c) == "td"]
    assert any(_lines(c) > 1 for c in values)  # the long values wrap in the wider column


def test_a_table_split_over_pages_keeps_three_rows_on_each_side():
    """A long table (the recap's Tabel 2) broken at any height of what comes before it: its caption stays with
    its first rows, three rows at least on each page (never the header with one or two rows at the foot of a
    page, never one or two rows or the total rows alone on the next) and the header repeats."""
    from skmkit.html import table

    rows = [[f"Unit {i:02d}", str(i)] for i in range(1, 13)]
    grid = table(["Unit layanan", "Kurang"], rows, total=[["Gabungan", "78"], ["Rata-rata", "77"]],
                 caption="Unit di bawah sampel minimum", numeric=(1,), keep=False)
    splits = set()
    for height in range(150, 260, 6):  # mm of text before the table: the page breaks at every row in turn
        document = _report_page(f'<div style="height:{height}mm"></div>{grid}')
        found = []
        for page in pages(document):
            cells = [b for b, _ in page.body() if type(b).__name__ == "TableCellBox"]
            body = [_text(t) for c in cells if _tag(c) == "td" for t, _ in _walk(c) if _text(t).startswith(("Unit ", "Gab", "Rata"))]
            heads = [c for c in cells if _tag(c) == "th"]
            captions = [b for b, _ in page.body() if _tag(b) == "caption"]
            if body or heads or captions:
                found.append((body, bool(heads), bool(captions)))
        if len(found) > 1:
            splits.add(len(found[0][0]))
        assert all(len(body) >= 3 for body, _, _ in found), (height, found)
        assert all(head for _, head, _ in found) and found[0][2], (height, found)  # header on every page
    assert len(splits) >= 3  # the table did split, at several rows


def test_the_recaps_right_header_names_its_numbered_section_whole(documents):
    """Not its title cut to "REKAPITULASI SURVEI KEPUASAN MASYARA…" (the left header already says Rekapitulasi)."""
    import re

    rights = []
    for page in pages(documents["rekap"]):
        box = page.margin_box("@top-right")
        rights.append("".join(_text(b) for b, _ in _walk(box)).strip() if box is not None else "")
    assert rights[0] == "" and len(rights) >= 2
    for text in rights[1:]:
        assert re.match(r"\d+\. \w", text) and not text.endswith("\u2026"), rights
