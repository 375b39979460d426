"""The HTML walker: the report HTML written block by block, inline by inline, into a python-docx document."""
from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from .. import theme
from .figures import FiguresMixin
from .kit_blocks import KitBlocksMixin
from .markup import BLOCK_TAGS, SKIP_TAGS, classes, clean, is_display, last_paragraph, prev_block
from .oxml import append_run, bottom_rule, shade
from .signature import SignatureMixin
from .styles import HEAD_FILL, MUTED
from .tables import TablesMixin


class Writer(TablesMixin, FiguresMixin, KitBlocksMixin, SignatureMixin):
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
            prev = prev_block(child)
            note = prev is not None and prev.tag == "p" and prev_block(prev) is not None \
                and is_display(prev_block(prev))  # a note under the table before: it stays there
            if is_display(child) and not note:
                # the paragraph introducing a table or a figure goes to the page where it starts
                last = last_paragraph(container)
                if last is not None and "".join(last.itertext()).strip():
                    last.get_or_add_pPr().keepNext_val = True
            self.block(container, child)
            if child.tail and child.tail.strip():
                self._inline_par(container, child.tail)

    def _inline_par(self, container, text: str):
        par = container.add_paragraph()
        par.add_run(clean(text).strip())
        return par

    def block(self, container, el) -> None:
        tag, cls = el.tag, classes(el)
        if tag in SKIP_TAGS:
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
            bottom_rule(container.add_paragraph())
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
            shade(ppr, theme.MUTU_LIGHT.get("C", "FBF1D6").lstrip("#").upper() if "note-warning" in cls
                   else HEAD_FILL)
        elif tag == "section" and "colophon" in cls:
            first = next((c for c in el if isinstance(c.tag, str)), None)
            if first is not None and first.tag in ("h1", "h2"):
                first.set("data-break", "page")
            self.blocks(container, el)
        elif tag in BLOCK_TAGS or any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in el):
            if "result" in cls:
                self.result(container, el)
            else:
                self.blocks(container, el)
            if tag == "section" and "md" in cls:
                # a markdown cell introduces what the next cell shows: its last paragraph goes to that page
                last = last_paragraph(container)
                if last is not None:
                    last.get_or_add_pPr().keepNext_val = True
        else:  # inline content at block level
            par = container.add_paragraph()
            self.inline(par, el)

    def heading(self, container, el, tag, cls):
        level = min(int(tag[1]), 3)
        text = clean(el.text_content()).strip()
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
                if "options" in classes(sub):  # a question stays with its answer options
                    par.paragraph_format.keep_with_next = True
                    self.options(container, sub, depth=depth + 1)
                else:
                    self.listing(container, sub, ordered=sub.tag == "ol", depth=depth + 1)

    def options(self, container, el, *, depth: int) -> None:
        """A question's answer options (``ol.options``, lettered in the HTML): two to a line, no numbers."""
        items = [li for li in el if isinstance(li.tag, str) and li.tag == "li"]
        indent = 7 * depth
        for k in range(0, len(items), 2):
            par = container.add_paragraph()
            pf = par.paragraph_format
            pf.left_indent, pf.space_after = Mm(indent), Pt(0 if k + 2 < len(items) else 6)
            pf.tab_stops.add_tab_stop(Mm(indent + (self.width - indent) / 2))
            pf.keep_with_next = k + 2 < len(items)
            for j, li in enumerate(items[k:k + 2]):
                if j:
                    par.add_run("\t")
                self.inline(par, li, size=Pt(9.5))

    # --- inline
    def inline(self, par: Paragraph, el, *, bold=False, italic=False, mono=False, color=None, skip=(),
               block_breaks=False, size=None) -> None:
        """Write an element's text as runs: bold, italic, monospace, colour; ``<br>`` as line breaks."""
        segments = []  # (text | None for a break | element for a picture, bold, italic, mono, colour)

        def walk(node, b, i, m, c):
            if node.text:
                segments.append((clean(node.text), b, i, m, c))
            for child in node:
                if isinstance(child.tag, str) and child in skip:
                    continue
                if isinstance(child.tag, str) and child.tag not in SKIP_TAGS:
                    t, ccls = child.tag, classes(child)
                    if t == "br":
                        segments.append((None, b, i, m, c))
                    elif t == "img":
                        segments.append((child, b, i, m, c))
                    else:
                        if block_breaks and t in ("div", "p", "ol", "ul") and segments:
                            segments.append((None, b, i, m, c))
                        walk(child, b or t in ("b", "strong", "th") or bool({"mutu", "sign-name", "q", "opt"} & ccls),
                             i or t in ("i", "em"), m or t in ("code", "kbd", "samp", "tt"),
                             MUTED if {"score", "q-unsur"} & ccls else c)
                if child.tail:
                    segments.append((clean(child.tail), b, i, m, c))

        walk(el, bold, italic, mono, color)
        texts = [k for k, seg in enumerate(segments) if isinstance(seg[0], str) and seg[0]]
        if texts:  # the paragraph's leading and trailing blanks go
            first, last = texts[0], texts[-1]
            segments[first] = (segments[first][0].lstrip(),) + segments[first][1:]
            segments[last] = (segments[last][0].rstrip(),) + segments[last][1:]
        p = par._p
        for text, b, i, m, c in segments:
            if text is None:
                append_run(p, None, b, i, m, c, size)
            elif isinstance(text, str):
                if text:
                    append_run(p, text, b, i, m, c, size)
            else:
                self.picture(par, text, self.width)


    def pre(self, container, el) -> None:
        par = self.par(container, "Keluaran Program")
        lines = (el.text_content() or "").rstrip("\n").split("\n")
        for k, line in enumerate(lines):
            if k:
                par.add_run().add_break()
            par.add_run(line)
