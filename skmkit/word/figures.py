"""Figures: the notebook's PNGs at the HTML's width, with "Gambar n." captions (SEQ fields)."""
from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from .markup import WIDTH_MM, clean, png_bytes
from .oxml import field
from .styles import NAVY


class FiguresMixin:
    """The writer's figures: a picture, a captioned figure, a grid of them."""

    def picture(self, par: Paragraph, img, max_mm: float) -> bool:
        data = png_bytes(img.get("src", ""))
        if data is None:
            alt = img.get("alt")
            if alt:
                par.add_run(f"[{alt}]")
            return False
        m = WIDTH_MM.search(img.get("style") or "")
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
        # the picture goes to its caption's page; in a table cell the row is whole anyway, and a kept cell
        # paragraph keeps the whole row with the next one (two rows of profile charts left half a page empty)
        par.paragraph_format.keep_with_next = not isinstance(container, _Cell)
        par.paragraph_format.space_before, par.paragraph_format.space_after = Pt(6), Pt(0)
        drew = False
        for img in el.iter("img"):
            drew = self.picture(par, img, max_mm) or drew
        cap = el.find(".//figcaption")
        self.figures += 1
        caption = self.par(container, "Caption")
        caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        label = caption.add_run("Gambar ")
        label.bold = True
        label.font.color.rgb = NAVY
        field(caption, "SEQ Gambar \\* ARABIC", str(self.figures), bold=True)
        words = cap is not None and bool(clean(cap.text_content()).strip())
        dot = caption.add_run(". " if words else ".")
        dot.bold = True
        dot.font.color.rgb = NAVY
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
        # each row stays whole (cantSplit) but may start a page: two rows of charts need not move together
