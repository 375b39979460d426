"""Rendering: the kit's nbconvert exporters (HTML and PDF) and WeasyPrint.

``jupyter nbconvert --to skm-html`` / ``--to skm-pdf`` use these exporters
(registered as entry points), so a workshop gets the same look as the batch.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from nbconvert.exporters import Exporter, HTMLExporter
from traitlets import default

__all__ = ["SkmHTMLExporter", "SkmPDFExporter", "html_to_pdf", "TEMPLATE_DIR"]

TEMPLATE_DIR = Path(str(resources.files("skmkit").joinpath("templates")))


class SkmHTMLExporter(HTMLExporter):
    """One self-contained HTML report: outputs only, images embedded, no scripts."""

    export_from_notebook = "SKM HTML"

    @default("template_name")
    def _template_name_default(self):
        return "skm"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(TEMPLATE_DIR)]

    @default("exclude_input")
    def _exclude_input_default(self):
        return True

    @default("embed_images")
    def _embed_images_default(self):
        return True


def html_to_pdf(html: str) -> bytes:
    """Render report HTML to PDF bytes with WeasyPrint (deterministic: no dates)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(TEMPLATE_DIR)).write_pdf()


class SkmPDFExporter(Exporter):
    """PDF of the same look: the kit HTML rendered by WeasyPrint."""

    export_from_notebook = "SKM PDF"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = SkmHTMLExporter(config=self.config).from_notebook_node(nb, resources=resources, **kw)
        resources["output_extension"] = ".pdf"
        return html_to_pdf(html), resources
