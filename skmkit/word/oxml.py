"""Small pieces of WordprocessingML: runs, fields with their results, shading, rules, row flags."""
from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from lxml import etree

from .styles import RULE, MONO_FONT


def run_el(text: str | None = None, *, fld: str | None = None, instr: str | None = None):
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


def field(paragraph: Paragraph, instr: str, cached: str, *, bold: bool = False) -> None:
    """A complex field (``PAGE``, ``SEQ Gambar``, ...) with its result already filled."""
    runs = [run_el(fld="begin"), run_el(instr=instr), run_el(fld="separate"), run_el(cached),
            run_el(fld="end")]
    for r in runs:
        if bold:
            rpr = OxmlElement("w:rPr")
            rpr.append(OxmlElement("w:b"))
            r.insert(0, rpr)
        paragraph._p.append(r)


def shade(tc_or_ppr_parent, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_or_ppr_parent.append(shd)


def bottom_rule(paragraph: Paragraph, color: str = RULE, size: int = 4) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "4"), ("w:color", color)):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)


def text_width_mm(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / Mm(1)


def append_run(p, text, bold, italic, mono, color, size) -> None:
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



def repeat_header(tr) -> None:
    tr_pr = tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    tr_pr.append(el)


def cant_split(tr) -> None:
    tr_pr = tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.insert(0, OxmlElement("w:cantSplit"))


def keep_row(tr) -> None:
    """Keep a short table on one page: every paragraph of the row keeps with the next."""
    for p in tr.iter(qn("w:p")):
        ppr = p.get_or_add_pPr()
        if ppr.find(qn("w:keepNext")) is None:
            ppr.insert(0, OxmlElement("w:keepNext"))
