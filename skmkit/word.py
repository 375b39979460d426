"""The Word edition: the kit's report HTML written as a real DOCX (python-docx).

The route (measured in ``benchmarks/docx_route.py``, reasons in the README): the
kit's own HTML, which already holds every output of the executed notebook (the
kit's blocks and whatever an analyst added: markdown, ``print()``, tables,
figures), is walked element by element and written with python-docx. Pandoc
(``pypandoc-binary``) gives a Word file from the same HTML too, but without
repeated header rows, right-aligned numbers, cell shading, caption fields or page
fields, which would all have to be patched in afterwards; python-docx is pure
Python (wheels for every platform) and controls each of them.

What Word gets:

- heading styles (Heading 1-3: the navigation pane works), each heading
  bookmarked; a table-of-contents field already filled with the entries, their
  page numbers as PAGEREF fields (Word refreshes the fields on opening);
- tables as Word tables: header row repeated on each page, numbers
  right-aligned, the mutu letter cells shaded in the mutu colours,
  ``rowspan``/``colspan`` merged; "Tabel n." and "Gambar n." captions with SEQ
  fields;
- figures as the notebook's PNGs (200 dpi, print resolution) at the HTML's width;
- A4, the running header (report title, current chapter by STYLEREF), the footer
  (institution, "Halaman n dari N" by PAGE/NUMPAGES fields);
- the office's look from a reference document (:func:`reference_document` is the
  kit's default): its styles, margins and, when it has one, its own header;
- the same bytes for the same HTML: fixed core properties and zip entry dates.
"""
from __future__ import annotations

import base64
import copy
import datetime as _dt
import html as _html
import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree
from lxml import html as lxml_html

from . import theme
from .errors import ParameterError

__all__ = ["html_to_docx", "reference_document", "check_reference", "DOCX_MIMETYPE"]

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: Body font: Calibri on Windows/macOS Word, Carlito (same metrics) in LibreOffice on Linux.
BODY_FONT = "Calibri"
MONO_FONT = "Consolas"
_NAVY = RGBColor.from_string(theme.ACCENT.lstrip("#").upper())
_MUTED = RGBColor.from_string(theme.MUTED.lstrip("#").upper())
_HEAD_FILL = "E8EEF4"
_TOTAL_FILL = "F3F5F7"
_RULE = "B8C2CC"
#: A fixed time inside the package (core properties and zip entries): the same bytes on every machine.
_FIXED = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_WIDTH_MM = re.compile(r"width:\s*([\d.]+)mm")
_SPACE = re.compile(r"\s+")
_BLOCK_TAGS = {"p", "div", "section", "nav", "main", "article", "table", "figure", "pre", "ol", "ul", "h1", "h2",
               "h3", "h4", "h5", "h6", "blockquote", "hr", "img", "dl", "header", "footer", "aside"}
_SKIP_TAGS = {"style", "script", "head", "title", "meta", "link", "noscript"}


# ------------------------------------------------------------------ reference document
def reference_document() -> Document:
    """The kit's default reference document: A4, margins as the PDF, the kit's styles.

    An office makes its own by saving this one (``reference_document().save("kop.docx")``),
    changing fonts, margins and the header (kop surat) in Word, and passing it as
    ``reference_doc``: the report then takes its styles, page setup and header.
    """
    doc = Document()
    _setup_styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(24), Mm(20)
    section.left_margin, section.right_margin = Mm(22), Mm(18)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    return doc


def _style(doc, name, kind=WD_STYLE_TYPE.PARAGRAPH, base=None):
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, kind)
        if base is not None:
            style.base_style = doc.styles[base]
        return style


def _setup_styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(10.5)
    normal.font.color.rgb = RGBColor.from_string(theme.INK.lstrip("#").upper())
    _east_asia(normal, BODY_FONT)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15
    for level, size in ((1, 15), (2, 12), (3, 11)):
        st = doc.styles[f"Heading {level}"]
        st.font.name, st.font.size, st.font.bold = BODY_FONT, Pt(size), True
        st.font.italic = False
        st.font.color.rgb = _NAVY
        _east_asia(st, BODY_FONT)
        pf = st.paragraph_format
        pf.keep_with_next = True
        pf.space_before, pf.space_after = Pt(12 if level > 1 else 0), Pt(6 if level > 1 else 14)
        if level == 1:
            pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pf.page_break_before = True
    title = doc.styles["Title"]
    title.font.name, title.font.size, title.font.bold = BODY_FONT, Pt(24), True
    title.font.color.rgb = _NAVY
    _east_asia(title, BODY_FONT)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _no_border(title)
    caption = doc.styles["Caption"]
    caption.font.name, caption.font.size, caption.font.bold, caption.font.italic = BODY_FONT, Pt(9), False, False
    caption.font.color.rgb = _MUTED
    caption.paragraph_format.space_before, caption.paragraph_format.space_after = Pt(3), Pt(8)
    table_caption = _style(doc, "Judul Tabel", base="Caption")
    table_caption.font.bold, table_caption.font.color.rgb = True, _NAVY
    table_caption.paragraph_format.keep_with_next = True
    table_caption.paragraph_format.space_before, table_caption.paragraph_format.space_after = Pt(8), Pt(3)
    note = _style(doc, "Catatan Tabel", base="Normal")
    note.font.size, note.font.color.rgb = Pt(8.5), _MUTED
    cell = _style(doc, "Isi Tabel", base="Normal")
    cell.font.size = Pt(9)
    cell.paragraph_format.space_after, cell.paragraph_format.line_spacing = Pt(0), 1.0
    small = _style(doc, "Isi Tabel Kecil", base="Isi Tabel")
    small.font.size = Pt(8)
    mono = _style(doc, "Keluaran Program", base="Normal")
    mono.font.name, mono.font.size = MONO_FONT, Pt(8.5)
    _east_asia(mono, MONO_FONT)
    mono.paragraph_format.space_after, mono.paragraph_format.line_spacing = Pt(6), 1.0
    for level in (1, 2):
        toc = _style(doc, f"TOC {level}", base="Normal")
        pf = toc.paragraph_format
        pf.space_after = Pt(2 if level == 2 else 4)
        pf.left_indent = Mm(0 if level == 1 else 6)
        pf.tab_stops.add_tab_stop(Mm(170), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        toc.font.bold = level == 1
    for name in ("Header", "Footer"):  # one right tab at the text's edge (the template's centre tab goes)
        st = _style(doc, name)
        st.font.size, st.font.color.rgb = Pt(8), _MUTED
        st.paragraph_format.tab_stops.clear_all()
        st.paragraph_format.tab_stops.add_tab_stop(Mm(170), WD_TAB_ALIGNMENT.RIGHT)


def _east_asia(style, font: str) -> None:
    """Set the font for every script (python-docx sets only ASCII/hAnsi)."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), font)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme_attr), None)


def _no_border(style) -> None:
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)


# ------------------------------------------------------------------ fields and small XML
def _run_el(text: str | None = None, *, fld: str | None = None, instr: str | None = None):
    r = OxmlElement("w:r")
    if fld is not None:
        f = OxmlElement("w:fldChar")
        f.set(qn("w:fldCharType"), fld)
        r.append(f)
    elif instr is not None:
        t = OxmlElement("w:instrText")
        t.set(qn("xml:space"), "preserve")
        t.text = f" {instr} "
        r.append(t)
    else:
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text or ""
        r.append(t)
    return r


def _field(paragraph: Paragraph, instr: str, cached: str, *, bold: bool = False) -> None:
    """A complex field (``PAGE``, ``SEQ Gambar``, ...) with its result already filled."""
    runs = [_run_el(fld="begin"), _run_el(instr=instr), _run_el(fld="separate"), _run_el(cached),
            _run_el(fld="end")]
    for r in runs:
        if bold:
            rpr = OxmlElement("w:rPr")
            rpr.append(OxmlElement("w:b"))
            r.insert(0, rpr)
        paragraph._p.append(r)


def _shade(tc_or_ppr_parent, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_or_ppr_parent.append(shd)


def _bottom_rule(paragraph: Paragraph, color: str = _RULE, size: int = 4) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "4"), ("w:color", color)):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)


def _text_width_mm(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / Mm(1)


# ------------------------------------------------------------------ the writer
def _classes(el) -> set:
    return set((el.get("class") or "").split())


def _clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "")


def _png(src: str) -> bytes | None:
    if src and src.startswith("data:image/") and ";base64," in src:
        return base64.b64decode(src.split(",", 1)[1])
    return None


class _Writer:
    """Walks the report HTML and writes it into a python-docx document."""

    def __init__(self, doc, text_width_mm: float):
        self.doc = doc
        self.width = text_width_mm
        self.tables = 0
        self.figures = 0
        self.bookmarks = 0
        self.title = ""
        self.unit = ""
        self.institution = ""

    def style(self, par: Paragraph, name: str) -> None:
        """Set a paragraph style by its id (python-docx's ``par.style =`` scans every style each time)."""
        ids = self.__dict__.setdefault("_style_ids", {})
        if name not in ids:
            ids[name] = self.doc.styles[name].style_id
        par._p.style = ids[name]

    def par(self, container, style: str | None = None, text: str | None = None) -> Paragraph:
        par = container.add_paragraph(text) if text else container.add_paragraph()
        if style:
            self.style(par, style)
        return par

    # --- blocks
    def blocks(self, container, el) -> None:
        if el.text and el.text.strip():
            self._inline_par(container, el.text)
        for child in el:
            if not isinstance(child.tag, str):
                continue
            prev = _prev_block(child)
            note = prev is not None and prev.tag == "p" and _prev_block(prev) is not None \
                and _is_display(_prev_block(prev))  # a note under the table before: it stays there
            if _is_display(child) and not note:
                # the paragraph introducing a table or a figure goes to the page where it starts
                last = _last_paragraph(container)
                if last is not None and "".join(last.itertext()).strip():
                    last.get_or_add_pPr().keepNext_val = True
            self.block(container, child)
            if child.tail and child.tail.strip():
                self._inline_par(container, child.tail)

    def _inline_par(self, container, text: str):
        par = container.add_paragraph()
        par.add_run(_clean(text).strip())
        return par

    def block(self, container, el) -> None:
        tag, cls = el.tag, _classes(el)
        if tag in _SKIP_TAGS:
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading(container, el, tag, cls)
        elif tag == "p":
            par = self.par(container, "Catatan Tabel" if "table-note" in cls else None)
            self.inline(par, el)
            if "table-note" not in cls:
                par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif tag in ("ol", "ul"):
            self.listing(container, el, ordered=tag == "ol", depth=0)
        elif tag == "table":
            self.table(container, el)
        elif tag == "figure":
            self.figure(container, el)
        elif tag == "pre":
            self.pre(container, el)
        elif tag == "img":
            self.picture(container.add_paragraph(), el, self.width)
        elif tag == "hr":
            _bottom_rule(container.add_paragraph())
        elif tag == "section" and "cover" in cls:
            self.cover(container, el)
        elif tag == "nav" and "toc" in cls:
            self.toc(container, el)
        elif "signature" in cls:
            self.signature(container, el)
        elif "scoring" in cls:
            self.scoring(container, el)
        elif "figure-grid" in cls:
            self.figure_grid(container, el)
        elif "note" in cls:
            par = container.add_paragraph()
            self.inline(par, el)
            ppr = par._p.get_or_add_pPr()
            _shade(ppr, theme.MUTU_LIGHT.get("C", "FBF1D6").lstrip("#").upper() if "note-warning" in cls
                   else _HEAD_FILL)
        elif tag == "section" and "colophon" in cls:
            first = next((c for c in el if isinstance(c.tag, str)), None)
            if first is not None and first.tag in ("h1", "h2"):
                first.set("data-break", "page")
            self.blocks(container, el)
        elif tag in _BLOCK_TAGS or any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in el):
            if "result" in cls:
                self.result(container, el)
            else:
                self.blocks(container, el)
            if tag == "section" and "md" in cls:
                # a markdown cell introduces what the next cell shows: its last paragraph goes to that page
                last = _last_paragraph(container)
                if last is not None:
                    last.get_or_add_pPr().keepNext_val = True
        else:  # inline content at block level
            par = container.add_paragraph()
            self.inline(par, el)

    def heading(self, container, el, tag, cls):
        level = min(int(tag[1]), 3)
        text = _clean(el.text_content()).strip()
        if "title" in cls:
            par = self.par(container, "Title", text)
            return
        par = self.par(container, f"Heading {level}", text)
        if el.get("data-break") == "page":
            par.paragraph_format.page_break_before = True
        ident = el.get("id")
        if ident:
            self.bookmark(par, f"_Toc_{ident}")

    def bookmark(self, par: Paragraph, name: str) -> None:
        self.bookmarks += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.bookmarks))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.bookmarks))
        ppr = par._p.pPr
        if ppr is not None:
            ppr.addnext(start)
        else:
            par._p.insert(0, start)
        par._p.append(end)

    def listing(self, container, el, *, ordered: bool, depth: int) -> None:
        number = int(el.get("start") or 1)
        for li in el:
            if not isinstance(li.tag, str) or li.tag != "li":
                continue
            par = container.add_paragraph()
            pf = par.paragraph_format
            pf.left_indent, pf.first_line_indent = Mm(7 + 7 * depth), Mm(-7)
            pf.tab_stops.add_tab_stop(Mm(7 + 7 * depth))
            par.add_run(f"{number}.\t" if ordered else "\u2022\t")
            number += 1
            nested = []
            for child in li:
                if isinstance(child.tag, str) and child.tag in ("ol", "ul"):
                    nested.append(child)
            self.inline(par, li, skip=set(nested), block_breaks=True)
            for sub in nested:
                self.listing(container, sub, ordered=sub.tag == "ol", depth=depth + 1)

    # --- inline
    def inline(self, par: Paragraph, el, *, bold=False, italic=False, mono=False, color=None, skip=(),
               block_breaks=False, size=None) -> None:
        """Write an element's text as runs: bold, italic, monospace, colour; ``<br>`` as line breaks."""
        segments = []  # (text | None for a break | element for a picture, bold, italic, mono, colour)

        def walk(node, b, i, m, c):
            if node.text:
                segments.append((_clean(node.text), b, i, m, c))
            for child in node:
                if isinstance(child.tag, str) and child in skip:
                    continue
                if isinstance(child.tag, str) and child.tag not in _SKIP_TAGS:
                    t, ccls = child.tag, _classes(child)
                    if t == "br":
                        segments.append((None, b, i, m, c))
                    elif t == "img":
                        segments.append((child, b, i, m, c))
                    else:
                        if block_breaks and t in ("div", "p", "ol", "ul") and segments:
                            segments.append((None, b, i, m, c))
                        walk(child, b or t in ("b", "strong", "th") or bool({"mutu", "sign-name", "q"} & ccls),
                             i or t in ("i", "em"), m or t in ("code", "kbd", "samp", "tt"),
                             _MUTED if {"score", "q-unsur"} & ccls else c)
                if child.tail:
                    segments.append((_clean(child.tail), b, i, m, c))

        walk(el, bold, italic, mono, color)
        texts = [k for k, seg in enumerate(segments) if isinstance(seg[0], str) and seg[0]]
        if texts:  # the paragraph's leading and trailing blanks go
            first, last = texts[0], texts[-1]
            segments[first] = (segments[first][0].lstrip(),) + segments[first][1:]
            segments[last] = (segments[last][0].rstrip(),) + segments[last][1:]
        p = par._p
        for text, b, i, m, c in segments:
            if text is None:
                _append_run(p, None, b, i, m, c, size)
            elif isinstance(text, str):
                if text:
                    _append_run(p, text, b, i, m, c, size)
            else:
                self.picture(par, text, self.width)

    # --- figures
    def picture(self, par: Paragraph, img, max_mm: float) -> bool:
        data = _png(img.get("src", ""))
        if data is None:
            alt = img.get("alt")
            if alt:
                par.add_run(f"[{alt}]")
            return False
        m = _WIDTH_MM.search(img.get("style") or "")
        width = min(float(m.group(1)) if m else max_mm, max_mm)
        par.add_run().add_picture(io.BytesIO(data), width=Mm(width))
        alt = img.get("alt")
        if alt:  # alternative text for screen readers (Word's "Alt Text")
            doc_pr = par._p.xpath(".//wp:docPr")[-1]
            doc_pr.set("descr", alt)
        return True

    def figure(self, container, el, max_mm: float | None = None) -> None:
        max_mm = max_mm or self.width
        par = container.add_paragraph()
        par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        par.paragraph_format.keep_with_next = True
        par.paragraph_format.space_after = Pt(0)
        drew = False
        for img in el.iter("img"):
            drew = self.picture(par, img, max_mm) or drew
        cap = el.find(".//figcaption")
        self.figures += 1
        caption = self.par(container, "Caption")
        caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        label = caption.add_run("Gambar ")
        label.bold = True
        label.font.color.rgb = _NAVY
        _field(caption, "SEQ Gambar \\* ARABIC", str(self.figures), bold=True)
        words = cap is not None and bool(_clean(cap.text_content()).strip())
        dot = caption.add_run(". " if words else ".")
        dot.bold = True
        dot.font.color.rgb = _NAVY
        if words:
            self.inline(caption, cap)

    def figure_grid(self, container, el) -> None:
        figures = [f for f in el if isinstance(f.tag, str) and f.tag == "figure"]
        cols = 2
        rows = (len(figures) + cols - 1) // cols
        table = self._new_table(container, rows, cols, [self.width / cols] * cols, borders=False)
        for k, fig in enumerate(figures):
            cell = self._cell(table, k // cols, k % cols)
            cell._tc.remove(cell._tc.findall(qn("w:p"))[0])
            self.figure(cell, fig, max_mm=self.width / cols - 4)
            _keep_row(table._tbl.findall(qn("w:tr"))[k // cols])

    # --- preformatted
    def pre(self, container, el) -> None:
        par = self.par(container, "Keluaran Program")
        lines = (el.text_content() or "").rstrip("\n").split("\n")
        for k, line in enumerate(lines):
            if k:
                par.add_run().add_break()
            par.add_run(line)

    def scoring(self, container, el) -> None:
        """Lampiran 4's per-respondent blocks (fixed-width text in the HTML) as one Word table."""
        head, rows = None, []
        for pre in el.iter("pre"):
            lines = [ln.split() for ln in (pre.text_content() or "").split("\n") if ln.strip()]
            if "head" in _classes(pre):
                head = head or lines[0]
            else:
                rows.extend(lines)
        if not head:
            return self.pre(container, el)
        n = len(head)
        cells = [[(h, True, True) for h in head]] + [[(v, False, True) for v in row + [""] * (n - len(row))]
                                                     for row in rows]
        self._new_table(container, len(cells), n, [self.width / n] * n, cells=cells, header_rows=1)

    def _new_table(self, container, rows: int, cols: int, widths_mm, *, borders=True, cells=None,
                   header_rows: int = 0) -> Table:
        """A table built as one XML string (python-docx builds cells one element at a time, slowly).

        ``cells``: optional rows of ``(text, bold, right)`` written straight into the cells
        (Lampiran 4's 1,700 cells); the first ``header_rows`` rows repeat on each page, shaded.
        """
        twips = [int(w * 56.6929) for w in widths_mm]
        line = f'w:val="single" w:sz="4" w:space="0" w:color="{_RULE}"' if borders else 'w:val="nil"'
        edges = "".join(f"<w:{side} {line}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        style = self.doc.styles["Isi Tabel Kecil" if cells is not None else "Isi Tabel"].style_id
        parts = [f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{sum(twips)}" w:type="dxa"/>'
                 f'<w:tblBorders>{edges}</w:tblBorders><w:tblLayout w:type="fixed"/>'
                 '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
                 '<w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>']
        parts.extend(f'<w:gridCol w:w="{w}"/>' for w in twips)
        parts.append("</w:tblGrid>")
        for r in range(rows):
            head = r < header_rows
            parts.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if head else "") + "</w:trPr>")
            for c, w in enumerate(twips):
                shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{_HEAD_FILL}"/>' if head else ""
                parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{shade}</w:tcPr>')
                if cells is None:
                    parts.append("<w:p/>")
                else:
                    text, bold, right = cells[r][c]
                    jc = '<w:jc w:val="right"/>' if right else ""
                    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
                    parts.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{jc}</w:pPr>'
                                 f'<w:r>{rpr}<w:t xml:space="preserve">{_html.escape(text, quote=False)}</w:t></w:r>'
                                 "</w:p>")
                parts.append("</w:tc>")
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        tbl = parse_xml("".join(parts))
        if isinstance(container, _Cell):
            container._tc.append(tbl)
            container._tc.append(OxmlElement("w:p"))  # a cell ends with a paragraph
            return Table(tbl, container)
        container.element.body._insert_tbl(tbl)
        return Table(tbl, container._body)

    @staticmethod
    def _cell(table: Table, r: int, c: int) -> _Cell:
        tr = table._tbl.findall(qn("w:tr"))[r]
        return _Cell(tr.findall(qn("w:tc"))[c], table)

    def table(self, container, el) -> None:
        rows = []  # (tr element, is_header)
        for part in el:
            if not isinstance(part.tag, str):
                continue
            if part.tag in ("thead", "tbody", "tfoot"):
                rows.extend((tr, part.tag == "thead") for tr in part if isinstance(tr.tag, str) and tr.tag == "tr")
            elif part.tag == "tr":
                rows.append((part, False))
        if not rows:
            return
        if not any(h for _, h in rows):  # a header-less table whose first row is all <th>
            first = [c for c in rows[0][0] if isinstance(c.tag, str)]
            if first and all(c.tag == "th" for c in first) and len(rows) > 1:
                rows[0] = (rows[0][0], True)
        # lay the cells on a grid (rowspan, colspan)
        taken: dict[tuple, bool] = {}
        placed = []  # (r, c, rowspan, colspan, element)
        for r, (tr, _) in enumerate(rows):
            c = 0
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                    continue
                while taken.get((r, c)):
                    c += 1
                rs, cs = max(int(cell.get("rowspan") or 1), 1), max(int(cell.get("colspan") or 1), 1)
                rs = min(rs, len(rows) - r)
                for dr in range(rs):
                    for dc in range(cs):
                        taken[(r + dr, c + dc)] = True
                placed.append((r, c, rs, cs, cell))
                c += cs
        ncols = max((c + cs for _, c, _, cs, _ in placed), default=1)
        widths = self._widths(placed, ncols)
        cap = el.find("caption")
        if cap is not None and _clean(cap.text_content()).strip():
            self.tables += 1
            par = self.par(container, "Judul Tabel")
            par.add_run("Tabel ")
            _field(par, "SEQ Tabel \\* ARABIC", str(self.tables))
            par.add_run(". ")
            self.inline(par, cap)
        table = self._new_table(container, len(rows), ncols, widths)
        trs = table._tbl.findall(qn("w:tr"))
        small = ncols >= 8
        for r, (tr_el, header) in enumerate(rows):
            if header:
                _repeat_header(trs[r])
            if len(rows) <= 25 and r < len(rows) - 1:  # short tables stay whole; the last row lets go
                _keep_row(trs[r])
            _cant_split(trs[r])
        for r, c, rs, cs, cell_el in placed:
            header = rows[r][1]
            total = "total" in _classes(rows[r][0])
            tc = trs[r].findall(qn("w:tc"))[c]
            cell = _Cell(tc, table)
            ccls = _classes(cell_el)
            mutu = next((theme.class_color(m.group(0)) for s in cell_el.iter("span")
                         for m in [re.search(r"\bmutu-r\d+\b", s.get("class") or "")] if m), None)
            par = cell.paragraphs[0]
            self.style(par, "Isi Tabel Kecil" if small else "Isi Tabel")
            has_blocks = any(isinstance(x.tag, str) and x.tag in _BLOCK_TAGS for x in cell_el)
            if has_blocks:
                p0 = tc.findall(qn("w:p"))[0]
                tc.remove(p0)
                page_width, self.width = self.width, sum(widths[c:c + cs]) - 3
                self.blocks(cell, cell_el)
                self.width = page_width
                if not tc.findall(qn("w:p")) or tc[-1].tag != qn("w:p"):
                    tc.append(OxmlElement("w:p"))
            else:
                color = RGBColor(0xFF, 0xFF, 0xFF) if mutu else None
                self.inline(par, cell_el, bold=header or cell_el.tag == "th" or total, color=color)
            if "num" in ccls or (cell_el.tag == "th" and "num" in ccls):
                for p in cell.paragraphs:
                    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            tc_pr = tc.get_or_add_tcPr()
            if mutu:  # the band's colour by rank (theme.mutu_class), whatever the definition's letters
                _shade(tc_pr, mutu.lstrip("#").upper())
                for p in cell.paragraphs:
                    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif header:
                _shade(tc_pr, _HEAD_FILL)
            elif total:
                _shade(tc_pr, _TOTAL_FILL)
        # merge last: a merge removes cells, so go from the bottom right, where no index left to use moves
        for r, c, rs, cs, _ in reversed(placed):
            if cs > 1 or rs > 1:
                cell = _Cell(trs[r].findall(qn("w:tc"))[c], table)
                cell.merge(_Cell(trs[r + rs - 1].findall(qn("w:tc"))[c + cs - 1], table))

    def _widths(self, placed, ncols: int) -> list:
        """Column widths in mm from the longest word and the text length of each column's cells."""
        longest = [1] * ncols
        total = [0] * ncols
        count = [0] * ncols
        for _, c, _, cs, el in placed:
            if cs != 1:
                continue
            text = _clean(el.text_content()).strip()
            words = text.split() or [""]
            longest[c] = max(longest[c], max(len(w) for w in words))
            total[c] += len(text)
            count[c] += 1
        want = [max(longest[c] * 2.0 + 5, min((total[c] / max(count[c], 1)) * 1.9 + 5, 70)) for c in range(ncols)]
        scale = self.width / sum(want)  # the text's width, as the HTML's tables
        return [w * scale for w in want]

    # --- kit blocks
    def cover(self, container, el) -> None:
        # the names as written (the cover shows them in capitals): data-name, else the text
        for d in el.iter("div"):
            cls = _classes(d)
            name = _clean(d.get("data-name") or d.text_content()).strip()
            if "cover-top" in cls:
                self.institution = name
            elif "cover-unit" in cls:
                self.unit = name
        logo = next((i for i in el.iter("img")), None)
        if logo is not None:
            par = container.add_paragraph()
            par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.picture(par, logo, 30)
        specs = [("cover-top", 13, True, _NAVY, 0), ("kicker", 13, False, _MUTED, 50), ("title", 24, True, _NAVY, 2),
                 ("cover-unit", 16, True, None, 10), ("cover-period", 13, False, None, 4),
                 ("label", 11, False, _MUTED, 28), ("value", 40, True, _NAVY, 0), ("mutu-line", 11, False, None, 0),
                 ("cover-bottom", 10, False, _MUTED, 60)]
        for cls_name, size, bold, color, before in specs:
            node = next((d for d in el.iter() if isinstance(d.tag, str) and cls_name in _classes(d)), None)
            if node is None or not _clean(node.text_content()).strip():
                continue
            par = container.add_paragraph()
            par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            par.paragraph_format.space_before = Mm(before)
            if cls_name == "title":
                self.style(par, "Title")
            self.inline(par, node, bold=bold, color=color, size=Pt(size))
            if cls_name == "cover-unit":
                _bottom_rule(par)

    def toc(self, container, el) -> None:
        title = el.find(".//h1")
        if title is not None:
            par = self.par(container, "Heading 1", _clean(title.text_content()).strip())
            # the TOC's own title is not in the TOC: a direct format (outline level "body text")
            ppr = par._p.get_or_add_pPr()
            lvl = OxmlElement("w:outlineLvl")
            lvl.set(qn("w:val"), "9")
            ppr.append(lvl)
        items = [a for a in el.iter("a")]
        if not items:
            return
        pars = []
        for a in items:
            li = a.getparent()
            level = 2 if "toc-h2" in _classes(li) else 1
            target = f"_Toc_{(a.get('href') or '#').lstrip('#')}"
            par = self.par(container, f"TOC {level}")
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), target)
            link.set(qn("w:history"), "1")
            link.append(_run_el(_clean(a.text_content()).strip()))
            tab = OxmlElement("w:r")
            tab.append(OxmlElement("w:tab"))
            link.append(tab)
            for r in (_run_el(fld="begin"), _run_el(instr=f"PAGEREF {target} \\h"), _run_el(fld="separate"),
                      _run_el(""), _run_el(fld="end")):
                link.append(r)
            par._p.append(link)
            pars.append(par)
        # the TOC field around the entries: Word's "Update Table" rebuilds them from the heading styles
        first, last = pars[0]._p, pars[-1]._p
        begin = [_run_el(fld="begin"), _run_el(instr='TOC \\o "1-2" \\h \\z \\u'), _run_el(fld="separate")]
        ppr = first.pPr
        anchor = ppr if ppr is not None else None
        for r in reversed(begin):
            if anchor is not None:
                anchor.addnext(r)
            else:
                first.insert(0, r)
        last.append(_run_el(fld="end"))

    def signature(self, container, el) -> None:
        lines = [d for d in el if isinstance(d.tag, str)]
        for k, d in enumerate(lines):
            par = container.add_paragraph()
            pf = par.paragraph_format
            pf.left_indent = Mm(self.width - 75)
            pf.space_after = Pt(0)
            pf.keep_with_next = k < len(lines) - 1
            pf.keep_together = True
            if k == 0:
                pf.space_before = Mm(10)
            if "sign-space" in _classes(d):
                pf.space_before = Mm(18)
                continue
            self.inline(par, d)
            if "sign-name" in _classes(d):
                for r in par.runs:
                    r.underline = True

    def result(self, container, el) -> None:
        """The IKM box: the figure and its mutu beside the band table."""
        main = next((d for d in el if isinstance(d.tag, str) and "result-main" in _classes(d)), None)
        side = next((d for d in el if isinstance(d.tag, str) and "result-side" in _classes(d)), None)
        table = self._new_table(container, 1, 2, [self.width * 0.38, self.width * 0.62], borders=False)
        band = next((c for c in _classes(el) if c.startswith("mutu-box-")), "")[len("mutu-box-"):]
        left, right = self._cell(table, 0, 0), self._cell(table, 0, 1)
        if theme.class_color(band, tint="light"):
            _shade(left._tc.get_or_add_tcPr(), theme.class_color(band, tint="light").lstrip("#").upper())
        page_width = self.width
        for cell, node, share in ((left, main, 0.38), (right, side, 0.62)):
            if node is None:
                continue
            self.width = page_width * share - 3  # a table inside fits its cell
            cell._tc.remove(cell._tc.findall(qn("w:p"))[0])
            for child in node:
                if not isinstance(child.tag, str):
                    continue
                if child.tag == "table":
                    self.table(cell, child)
                    continue
                par = cell.add_paragraph()
                ccls = _classes(child)
                if "value" in ccls:
                    self.inline(par, child, bold=True, color=_NAVY, size=Pt(28))
                else:
                    self.inline(par, child)
                if cell is left:
                    par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if cell._tc[-1].tag != qn("w:p"):
                cell._tc.append(OxmlElement("w:p"))
        self.width = page_width
        _keep_row(table._tbl.findall(qn("w:tr"))[0])


def _append_run(p, text, bold, italic, mono, color, size) -> None:
    """A ``w:r`` appended to paragraph ``p``: ``text`` (``None``: a line break) with its format."""
    r = etree.SubElement(p, qn("w:r"))
    if bold or italic or mono or color is not None or size is not None:
        rpr = etree.SubElement(r, qn("w:rPr"))
        if mono:
            fonts = etree.SubElement(rpr, qn("w:rFonts"))
            fonts.set(qn("w:ascii"), MONO_FONT)
            fonts.set(qn("w:hAnsi"), MONO_FONT)
        if bold:
            etree.SubElement(rpr, qn("w:b"))
        if italic:
            etree.SubElement(rpr, qn("w:i"))
        if color is not None:
            etree.SubElement(rpr, qn("w:color")).set(qn("w:val"), str(color))
        if size is not None:
            etree.SubElement(rpr, qn("w:sz")).set(qn("w:val"), str(int(size.pt * 2)))
    if text is None:
        etree.SubElement(r, qn("w:br"))
    else:
        t = etree.SubElement(r, qn("w:t"))
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = text


def _is_display(el) -> bool:
    """A table or a figure (or a kit block holding one)."""
    return el.tag in ("table", "figure") or bool({"scoring", "keep", "figure-grid"} & _classes(el))


def _prev_block(el):
    """The element before ``el`` among its siblings (comments skipped), or None."""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    return prev


def _last_paragraph(container):
    """The last ``w:p`` directly in the body (or cell) written so far, or None when a table ends it."""
    parent = container._tc if isinstance(container, _Cell) else container.element.body
    for child in reversed(parent):
        if child.tag == qn("w:sectPr"):
            continue
        return child if child.tag == qn("w:p") else None
    return None


def _repeat_header(tr) -> None:
    tr_pr = tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    tr_pr.append(el)


def _cant_split(tr) -> None:
    tr_pr = tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _keep_row(tr) -> None:
    """Keep a short table on one page: every paragraph of the row keeps with the next."""
    for p in tr.iter(qn("w:p")):
        ppr = p.get_or_add_pPr()
        if ppr.find(qn("w:keepNext")) is None:
            ppr.insert(0, OxmlElement("w:keepNext"))


# ------------------------------------------------------------------ header, footer, package
def _header_footer(doc, writer: _Writer, reference_given: bool) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True  # the cover carries none
    width = Mm(writer.width)
    header, footer = section.header, section.footer
    if not (reference_given and any(p.text.strip() for p in header.paragraphs)):
        par = header.paragraphs[0]
        par.style = doc.styles["Header"]
        _only_tab(par, width)
        left = f"Laporan Hasil SKM \u2014 {writer.unit}" if writer.unit else writer.title
        par.add_run(left + "\t")
        _field(par, 'STYLEREF "Heading 1"', "")
        _bottom_rule(par)
    if not (reference_given and any(p.text.strip() for p in footer.paragraphs)):
        par = footer.paragraphs[0]
        par.style = doc.styles["Footer"]
        _only_tab(par, width)
        par.add_run(writer.institution + "\tHalaman ")
        _field(par, "PAGE", "1")
        par.add_run(" dari ")
        _field(par, "NUMPAGES", "1")


def _only_tab(par: Paragraph, width) -> None:
    """A right tab at the text's edge, the style's other tabs cleared (an office's reference may have others)."""
    style_tabs = par.style.paragraph_format.tab_stops
    for stop in style_tabs:
        if stop.position != width:
            par.paragraph_format.tab_stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
    par.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)


def _settings(doc) -> None:
    """Ask Word to refresh fields (TOC page numbers, NUMPAGES) when the file opens; Indonesian proofing."""
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    lang = doc.styles.element.find(qn("w:docDefaults"))
    if lang is not None:
        rpr = lang.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            for old in rpr.findall(qn("w:lang")):
                rpr.remove(old)
            el = OxmlElement("w:lang")
            el.set(qn("w:val"), "id-ID")
            el.set(qn("w:eastAsia"), "id-ID")
            el.set(qn("w:bidi"), "ar-SA")
            rpr.append(el)


def _core(doc, title: str) -> None:
    from . import __version__

    cp = doc.core_properties
    cp.title = title
    cp.author = cp.last_modified_by = "skmkit"
    cp.comments = f"skmkit {__version__}"
    cp.created = cp.modified = cp.last_printed = _FIXED.replace(tzinfo=None)
    cp.revision = 1
    cp.language = "id-ID"
    cp.subject = cp.keywords = cp.category = ""


def _stable_zip(blob: bytes) -> bytes:
    """The same package with fixed entry dates and attributes (python-docx stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            # pictures are compressed already: stored as they are (faster, the same size)
            fixed.compress_type = zipfile.ZIP_STORED if info.filename.startswith("word/media/") \
                else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 0
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def check_reference(reference_doc) -> Path:
    """The reference document's path, checked (exists, ``.docx``) before any kernel starts.

    Raises
    ------
    ParameterError
        One line naming the file and the fix.
    """
    path = Path(reference_doc)
    if not path.is_file():
        raise ParameterError(f"{path}: dokumen referensi Word tidak ada. Perbaikan: periksa path --reference-doc.")
    if path.suffix.lower() != ".docx":
        raise ParameterError(f"{path}: dokumen referensi harus berkas .docx (bukan "
                             f"{path.suffix or 'berkas tanpa akhiran'}). Perbaikan: simpan dokumen kop dari Word "
                             "sebagai .docx (Dokumen Word).")
    return path.resolve()


_DEFAULT_REFERENCE: list = []  # the default reference document's bytes, built once per process


def _open_reference(reference_doc) -> tuple[Document, bool]:
    if reference_doc is None:
        if not _DEFAULT_REFERENCE:
            buf = io.BytesIO()
            reference_document().save(buf)
            _DEFAULT_REFERENCE.append(buf.getvalue())
        return Document(io.BytesIO(_DEFAULT_REFERENCE[0])), False
    path = check_reference(reference_doc)
    try:
        doc = Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise ParameterError(f"{path}: bukan dokumen Word yang dapat dibaca ({type(exc).__name__}). Perbaikan: "
                             "buka lalu simpan ulang di Word sebagai .docx.") from None
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _setup_missing_styles(doc)
    return doc, True


def _setup_missing_styles(doc) -> None:
    """The kit's own styles where the office's reference document lacks them; theirs are kept."""
    kit = reference_document()
    names = {s.name for s in doc.styles}
    for style in kit.styles:
        if style.name not in names and style.type == WD_STYLE_TYPE.PARAGRAPH:
            doc.styles.element.append(copy.deepcopy(style.element))


def html_to_docx(html: str, *, reference_doc=None, title: str | None = None) -> bytes:
    """Write the kit's report HTML as DOCX bytes (deterministic: the same HTML gives the same bytes).

    Parameters
    ----------
    html : str
        The report HTML (:class:`skmkit.exporters.SkmHTMLExporter`).
    reference_doc : path, optional
        The office's reference ``.docx`` (styles, margins, kop surat header);
        default: :func:`reference_document`.
    title : str, optional
        The document title (core properties); default: the HTML ``<title>``.

    Raises
    ------
    ParameterError
        When ``reference_doc`` is missing or not a readable ``.docx``.
    """
    doc, given = _open_reference(reference_doc)
    root = lxml_html.document_fromstring(html)
    head_title = root.find(".//title")
    title = title or (_clean(head_title.text_content()).strip() if head_title is not None else "Laporan SKM")
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    writer = _Writer(doc, _text_width_mm(section))
    writer.title = title
    main = root.find(".//main")
    writer.blocks(doc, main if main is not None else root.find(".//body"))
    _header_footer(doc, writer, given)
    _settings(doc)
    _core(doc, title)
    out = io.BytesIO()
    doc.save(out)
    return _stable_zip(out.getvalue())
