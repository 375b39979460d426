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

The package, one module per concern: ``walker`` (the HTML walked block by block,
inline by inline; the writer's other parts are mixins), ``tables``, ``figures``,
``kit_blocks`` (cover, table of contents), ``signature``, ``styles`` (the kit's
styles and default reference document), ``reference`` (an office's reference
document), ``package`` (header, footer, settings, core properties, the zip with
fixed dates), ``oxml`` (small WordprocessingML pieces: runs, fields, shading) and
``markup`` (reading the HTML).
"""
from __future__ import annotations

import io

from docx.enum.section import WD_SECTION
from lxml import html as lxml_html

from .markup import clean
from .oxml import text_width_mm
from .package import ask_to_update_fields, core_properties, header_footer, stable_zip
from .reference import check_reference, open_reference
from .styles import reference_document
from .walker import Writer

__all__ = ["html_to_docx", "reference_document", "check_reference", "DOCX_MIMETYPE"]

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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
    doc, given = open_reference(reference_doc)
    root = lxml_html.document_fromstring(html)
    head_title = root.find(".//title")
    title = title or (clean(head_title.text_content()).strip() if head_title is not None else "Laporan SKM")
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    writer = Writer(doc, text_width_mm(section))
    writer.title = title
    main = root.find(".//main")
    writer.blocks(doc, main if main is not None else root.find(".//body"))
    header_footer(doc, writer, given)
    ask_to_update_fields(doc)
    core_properties(doc, title)
    out = io.BytesIO()
    doc.save(out)
    return stable_zip(out.getvalue())
