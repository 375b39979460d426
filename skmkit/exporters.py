"""Rendering: the kit's nbconvert exporters (HTML and PDF) and the PDF engines.

``jupyter nbconvert --to skm_html`` / ``--to skm_pdf`` / ``--to skm_docx`` and JupyterLab's
File > Save and Export Notebook As > skm_html / skm_pdf / skm_docx use these exporters
(registered as entry points), so a workshop gets the same look as the batch.
The names are word characters only: jupyter_server routes
``/nbconvert/<name>/<path>`` for ``\\w+`` names. The first names, ``skm-html``
and ``skm-pdf``, still work from the command line; inside a Jupyter server
they are disabled, so the menu lists only names it can route.

The HTML is one file: outputs only (no code, no prompts), no scripts, images
embedded, the A4 print stylesheet inline. :func:`finish_html` numbers the
headings and fills the table of contents. The PDF is that same HTML printed
by WeasyPrint (default) or a browser (:mod:`skmkit.browser`): by name, or
when WeasyPrint's libraries do not load. The Word edition is that same HTML
written as DOCX (:mod:`skmkit.word`), so what an analyst added is in it too.
"""
from __future__ import annotations

import html as _html
import re
import shutil
import sys
from importlib import resources
from pathlib import Path

from nbconvert.exporters import Exporter, HTMLExporter
from nbconvert.preprocessors import CoalesceStreamsPreprocessor
from traitlets import Unicode, default

from . import browser, htmlprint, word
from .errors import ExportError, ParameterError

__all__ = ["SkmHTMLExporter", "SkmPDFExporter", "SkmDocxExporter", "report_title", "html_to_pdf", "finish_html",
           "PDF_ENGINES", "TEMPLATE_DIR", "check_exportable"]

TEMPLATE_DIR = Path(str(resources.files("skmkit").joinpath("templates")))

_ANCHOR = re.compile(r'<a class="anchor-link" href="[^"]*">(?:&#182;|\u00b6)</a>')
_HEADING = re.compile(r"<h([12])([^>]*)>(.*?)</h\1>", re.S)
_TOC = re.compile(r'(<nav class="toc">.*?)(</nav>)', re.S)
_TAG = re.compile(r"<[^>]+>")


def finish_html(text: str) -> str:
    """Number the headings (``id="s1"``...), drop anchor pilcrows, fill ``<nav class="toc">``.

    Headings with class ``title`` or ``toc-title`` are left out of the
    table of contents. Ids are sequential, so the output depends only on the
    content.
    """
    text = _ANCHOR.sub("", text)
    entries = []

    def number(match):
        level, attrs, inner = match.groups()
        attrs = re.sub(r'\s*id="[^"]*"', "", attrs)
        cls = re.search(r'class="([^"]*)"', attrs)
        classes = cls.group(1).split() if cls else []
        if "title" in classes or "toc-title" in classes:
            return f"<h{level}{attrs}>{inner}</h{level}>"
        ident = f"s{len(entries) + 1}"
        label = _html.unescape(_TAG.sub("", inner)).strip()
        entries.append((level, ident, label))
        return f'<h{level} id="{ident}"{attrs}>{inner}</h{level}>'

    text = _HEADING.sub(number, text)
    if entries and _TOC.search(text):
        items = "".join(f'<li class="toc-h{lvl}"><a href="#{ident}">{_html.escape(label)}</a></li>'
                        for lvl, ident, label in entries)
        text = _TOC.sub(lambda m: f'{m.group(1)}<ol class="toc-list">{items}</ol>{m.group(2)}', text, count=1)
    return htmlprint.add_print_extras(text)  # the fonts and the browser's page rules; WeasyPrint drops them


#: Output metadata key under which :func:`skmkit.sections.cover` gives the report's title.
_TITLE_KEY = "skmkit"


def report_title(nb, default: str = "Laporan SKM") -> str:
    """The report's title for an executed notebook (HTML ``<title>`` and PDF Title).

    In order: the notebook metadata ``skmkit.title``; the title the cover
    block carries in its output metadata (``{"text/html": {"skmkit":
    {"title": ...}}}``, set by :func:`skmkit.sections.cover`); ``default``.
    A unit report thus never carries its file name, which is what
    jupyter_server and ``jupyter nbconvert`` pass as the name.
    """
    title = nb.metadata.get("skmkit", {}).get("title")
    if title:
        return str(title)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata") or {}
            # IPython files metadata a _repr_html_ returns under its mimetype
            found = (meta.get("text/html") or {}).get(_TITLE_KEY, {}).get("title")
            if found:
                return str(found)
    return default


def check_exportable(nb) -> None:
    """Refuse, in one Indonesian line, a notebook whose output would not be a report.

    A cell that failed (its error would be printed inside the report) or a
    notebook never run (a shell of headings and no results). Cells tagged
    ``raises-exception`` may fail; markdown-only notebooks pass.

    Raises
    ------
    ExportError
    """
    code = [(i, c) for i, c in enumerate(nb.cells) if c.get("cell_type") == "code" and str(c.get("source", "")).strip()]
    for i, cell in code:
        if "raises-exception" in cell.get("metadata", {}).get("tags", []):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                value = " ".join(_ANSI.sub("", str(out.get("evalue", ""))).split())[:160]
                raise ExportError(f"sel ke-{i + 1} notebook ini gagal ({out.get('ename', '')}: {value}); laporan "
                                  "tidak diekspor. Perbaikan: perbaiki sel itu, jalankan ulang semua sel (Run > Run "
                                  "All Cells), lalu ekspor lagi; atau buat laporan dengan 'skmkit report'.")
    unrun = [i for i, c in code if c.get("execution_count") is None and not c.get("outputs")]
    if code and len(unrun) == len(code):
        raise ExportError("notebook ini belum dijalankan (belum ada hasil); laporan tidak diekspor. Perbaikan: "
                          "jalankan semua sel dulu (Run > Run All Cells), lalu ekspor lagi.")
    if unrun:
        raise ExportError(f"{len(unrun)} sel notebook ini belum dijalankan (pertama sel ke-{unrun[0] + 1}); laporan "
                          "tidak diekspor. Perbaikan: jalankan semua sel (Run > Run All Cells), lalu ekspor lagi.")


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class SkmHTMLExporter(HTMLExporter):
    """One self-contained HTML report: outputs only, images embedded, no scripts.

    The title (HTML ``<title>``, hence the PDF's Title) is
    :func:`report_title` of the notebook, falling back to the name the caller
    gives in ``resources["metadata"]["name"]``.
    """

    export_from_notebook = "SKM HTML"

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        # one block per cell for print() output, however many print calls made it
        self.register_preprocessor(CoalesceStreamsPreprocessor(parent=self), enabled=True)

    @default("template_name")
    def _template_name_default(self):
        return "skm"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(TEMPLATE_DIR)]

    @default("exclude_input")
    def _exclude_input_default(self):
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self):
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self):
        return True

    @default("embed_images")
    def _embed_images_default(self):
        return True

    def from_notebook_node(self, nb, resources=None, **kw):
        check_exportable(nb)
        resources = dict(resources or {})
        # the document title comes from the report, never from a file path
        meta = dict(resources.get("metadata") or {})
        meta["name"] = report_title(nb, default=meta.get("name") or "Laporan SKM")
        resources["metadata"] = meta
        body, resources = super().from_notebook_node(nb, resources=resources, **kw)
        return finish_html(body), resources


# ------------------------------------------------------------------ PDF
#: The report fonts: DejaVu subset once to the characters reports use (``tools/subset_fonts.py``).
FONT_DIR = Path(str(resources.files("skmkit").joinpath("data", "fonts")))


def _bundled_fonts_css() -> str:
    """@font-face rules for the kit's own DejaVu files (``skmkit/data/fonts``).

    The families are named "SKM Sans" and "SKM Mono", the first choice in the
    template's font stacks: a system "DejaVu Sans" of the same name would
    otherwise be preferred by fontconfig. The PDF then uses the same font files
    on every machine (the charts draw with DejaVu too); a browser showing the
    HTML alone falls back to the next family in the stack.
    """
    faces = []
    for family, stem in (("SKM Sans", "DejaVuSans"), ("SKM Mono", "DejaVuSansMono")):
        for suffix, weight, style in (("", "normal", "normal"), ("-Bold", "bold", "normal"),
                                      ("-Oblique", "normal", "italic"), ("-BoldOblique", "bold", "italic")):
            path = FONT_DIR / f"{stem}{suffix}.ttf"
            if path.is_file():
                faces.append(f"@font-face {{ font-family: '{family}'; src: url('{path.as_uri()}'); "
                             f"font-weight: {weight}; font-style: {style}; }}")
    return "\n".join(faces)


def _weasyprint(html: str) -> bytes:
    """WeasyPrint: the kit's fonts embedded whole, no dates, a content-derived identifier, a fixed producer.

    ``full_fonts=True``: no font is subset while rendering. WeasyPrint would
    subset with HarfBuzz where ``libharfbuzz-subset0`` is installed and with
    fontTools elsewhere, which stamps the current time into each font, so the
    bytes depended on the machine and the clock. The shipped fonts are already
    small (about 120 KB a face), and skipping the subset saves render time.
    """
    import pydyf
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from . import __version__, pdfimages

    pdfimages.install()

    def finisher(_document, pdf):
        pdf.info["Producer"] = pydyf.String(f"skmkit {__version__}")

    fonts = FontConfiguration()
    try:
        css = CSS(string=_bundled_fonts_css(), font_config=fonts)
        return HTML(string=htmlprint.strip_print_extras(html), base_url=str(TEMPLATE_DIR)).write_pdf(
            stylesheets=[css], font_config=fonts, pdf_identifier=True, finisher=finisher, full_fonts=True)
    finally:
        # WeasyPrint copies each @font-face into a weasyprint-* temporary folder and never removes it
        folder = getattr(fonts, "_folder", None)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def _chromium(html: str) -> bytes:
    """A browser (Edge, Chrome, Chromium) on PATH or at its standard install path; not byte-deterministic."""
    exe = browser.find_browser()
    if exe is None:
        raise ParameterError("mesin PDF 'chromium' tidak menemukan Microsoft Edge, Chrome, atau Chromium. "
                             "Perbaikan: pakai engine 'weasyprint'.")
    return browser.print_to_pdf(html, exe)


#: PDF engines by name: WeasyPrint (pip only, deterministic) and a browser (Edge, Chrome, Chromium).
PDF_ENGINES = {"weasyprint": _weasyprint, "chromium": _chromium}


def html_to_pdf(html: str, *, engine: str = "weasyprint") -> bytes:
    """Render report HTML to PDF bytes with the named engine (default WeasyPrint).

    When WeasyPrint cannot load its libraries (Pango, missing on Windows), one
    Indonesian line says so on stderr and an installed browser prints the PDF
    (:mod:`skmkit.browser`).

    Raises
    ------
    ParameterError
        For an unknown engine name.
    skmkit.browser.PdfUnavailableError
        When WeasyPrint cannot load and no browser is found; the message says
        to print the HTML from a browser.
    """
    try:
        run = PDF_ENGINES[engine]
    except KeyError:
        raise ParameterError(f"mesin PDF '{engine}' tidak dikenal. Perbaikan: pakai salah satu dari "
                             f"{', '.join(PDF_ENGINES)}.") from None
    if engine == "weasyprint":
        problem = browser.weasyprint_problem()
        if problem:
            exe = browser.find_browser()
            if exe is None:
                raise browser.PdfUnavailableError(
                    f"PDF tidak dapat dibuat: WeasyPrint tidak dapat memuat pustakanya ({problem}) dan Microsoft "
                    "Edge/Chrome tidak ditemukan. Perbaikan: buka berkas HTML laporan di peramban lalu cetak ke PDF "
                    "(Ctrl+P, Simpan sebagai PDF).")
            print(f"WeasyPrint tidak dapat memuat pustaka Pango; PDF dicetak dengan peramban {exe.name}.",
                  file=sys.stderr)
            return browser.print_to_pdf(html, exe)
    return run(html)


class SkmPDFExporter(Exporter):
    """PDF of the same look: the kit HTML rendered by WeasyPrint (Title = the report's title)."""

    export_from_notebook = "SKM PDF"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = SkmHTMLExporter(config=self.config).from_notebook_node(nb, resources=resources, **kw)
        resources["output_extension"] = ".pdf"
        return html_to_pdf(html), resources


class SkmDocxExporter(Exporter):
    """The Word edition (DOCX) of the same HTML: :func:`skmkit.word.html_to_docx`.

    ``reference_doc``: the office's reference ``.docx`` (styles, margins, kop
    surat); ``jupyter nbconvert --to skm_docx --SkmDocxExporter.reference_doc=kop.docx``.
    """

    export_from_notebook = "SKM Word"
    output_mimetype = word.DOCX_MIMETYPE
    reference_doc = Unicode("", help="dokumen referensi Word (.docx) kantor; kosong: bawaan kit").tag(config=True)

    @default("file_extension")
    def _file_extension_default(self):
        return ".docx"

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = SkmHTMLExporter(config=self.config).from_notebook_node(nb, resources=resources, **kw)
        resources["output_extension"] = ".docx"
        return word.html_to_docx(html, reference_doc=self.reference_doc or None), resources


# ----------------------------------------------------------- the first names
def _outside_jupyter_server() -> bool:
    """False inside a Jupyter server process (JupyterLab), whose export menu cannot route a hyphenated name."""
    return "jupyter_server.serverapp" not in sys.modules


class SkmHTMLFirstName(SkmHTMLExporter):
    """``skm-html``, the first name of :class:`SkmHTMLExporter`: for ``jupyter nbconvert --to skm-html``.

    Disabled inside a Jupyter server, so JupyterLab's export menu (which
    lists every enabled exporter) offers only ``skm_html``, which it can route.
    """

    @default("enabled")
    def _enabled_default(self):
        return _outside_jupyter_server()


class SkmPDFFirstName(SkmPDFExporter):
    """``skm-pdf``, the first name of :class:`SkmPDFExporter`: for ``jupyter nbconvert --to skm-pdf``."""

    @default("enabled")
    def _enabled_default(self):
        return _outside_jupyter_server()
