"""The kit's Word styles and its default reference document (A4, margins, fonts, colours)."""
from __future__ import annotations

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .. import theme

__all__ = ["reference_document", "setup_styles", "BODY_FONT", "MONO_FONT"]

#: Body font: Calibri on Windows/macOS Word, Carlito (same metrics) in LibreOffice on Linux.
BODY_FONT = "Calibri"
MONO_FONT = "Consolas"
NAVY = RGBColor.from_string(theme.ACCENT.lstrip("#").upper())
MUTED = RGBColor.from_string(theme.MUTED.lstrip("#").upper())
HEAD_FILL = "E8EEF4"
TOTAL_FILL = "F3F5F7"
RULE = "B8C2CC"


def reference_document() -> Document:
    """The kit's default reference document: A4, margins as the PDF, the kit's styles.

    An office makes its own by saving this one (``reference_document().save("kop.docx")``),
    changing fonts, margins and the header (kop surat) in Word, and passing it as
    ``reference_doc``: the report then takes its styles, page setup and header.
    """
    doc = Document()
    setup_styles(doc)
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


def setup_styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = BODY_FONT, Pt(10.5)
    normal.font.color.rgb = RGBColor.from_string(theme.INK.lstrip("#").upper())
    east_asia(normal, BODY_FONT)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15
    for level, size in ((1, 15), (2, 12), (3, 11)):
        st = doc.styles[f"Heading {level}"]
        st.font.name, st.font.size, st.font.bold = BODY_FONT, Pt(size), True
        st.font.italic = False
        st.font.color.rgb = NAVY
        east_asia(st, BODY_FONT)
        pf = st.paragraph_format
        pf.keep_with_next = True
        pf.space_before, pf.space_after = Pt(12 if level > 1 else 0), Pt(6 if level > 1 else 14)
        if level == 1:
            pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pf.page_break_before = True
    title = doc.styles["Title"]
    title.font.name, title.font.size, title.font.bold = BODY_FONT, Pt(24), True
    title.font.color.rgb = NAVY
    east_asia(title, BODY_FONT)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    no_border(title)
    caption = doc.styles["Caption"]
    caption.font.name, caption.font.size, caption.font.bold, caption.font.italic = BODY_FONT, Pt(9), False, False
    caption.font.color.rgb = MUTED
    caption.paragraph_format.space_before, caption.paragraph_format.space_after = Pt(3), Pt(8)
    table_caption = _style(doc, "Judul Tabel", base="Caption")
    table_caption.font.bold, table_caption.font.color.rgb = True, NAVY
    table_caption.paragraph_format.keep_with_next = True
    table_caption.paragraph_format.space_before, table_caption.paragraph_format.space_after = Pt(8), Pt(3)
    note = _style(doc, "Catatan Tabel", base="Normal")
    note.font.size, note.font.color.rgb = Pt(8.5), MUTED
    cell = _style(doc, "Isi Tabel", base="Normal")
    cell.font.size = Pt(9)
    cell.paragraph_format.space_after, cell.paragraph_format.line_spacing = Pt(0), 1.0
    small = _style(doc, "Isi Tabel Kecil", base="Isi Tabel")
    small.font.size = Pt(8)
    mono = _style(doc, "Keluaran Program", base="Normal")
    mono.font.name, mono.font.size = MONO_FONT, Pt(8.5)
    east_asia(mono, MONO_FONT)
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
        st.font.size, st.font.color.rgb = Pt(8), MUTED
        st.paragraph_format.tab_stops.clear_all()
        st.paragraph_format.tab_stops.add_tab_stop(Mm(170), WD_TAB_ALIGNMENT.RIGHT)


def east_asia(style, font: str) -> None:
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


def no_border(style) -> None:
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:pBdr")):
        ppr.remove(old)
