"""The package around the body: header and footer, settings, core properties, a zip with fixed dates."""
from __future__ import annotations

import datetime as _dt
import io
import zipfile

from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from .oxml import bottom_rule, field
from .walker import Writer

#: A fixed time inside the package (core properties and zip entries): the same bytes on every machine.
_FIXED = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def header_footer(doc, writer: Writer, reference_given: bool) -> None:
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
        field(par, 'STYLEREF "Heading 1"', "")
        bottom_rule(par)
    if not (reference_given and any(p.text.strip() for p in footer.paragraphs)):
        par = footer.paragraphs[0]
        par.style = doc.styles["Footer"]
        _only_tab(par, width)
        par.add_run(writer.institution + "\tHalaman ")
        field(par, "PAGE", "1")
        par.add_run(" dari ")
        field(par, "NUMPAGES", "1")


def _only_tab(par: Paragraph, width) -> None:
    """A right tab at the text's edge, the style's other tabs cleared (an office's reference may have others)."""
    style_tabs = par.style.paragraph_format.tab_stops
    for stop in style_tabs:
        if stop.position != width:
            par.paragraph_format.tab_stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
    par.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)


def ask_to_update_fields(doc) -> None:
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


def core_properties(doc, title: str) -> None:
    from .. import __version__

    cp = doc.core_properties
    cp.title = title
    cp.author = cp.last_modified_by = "skmkit"
    cp.comments = f"skmkit {__version__}"
    cp.created = cp.modified = cp.last_printed = _FIXED.replace(tzinfo=None)
    cp.revision = 1
    cp.language = "id-ID"
    cp.subject = cp.keywords = cp.category = ""


def stable_zip(blob: bytes) -> bytes:
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
