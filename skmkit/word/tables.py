"""Tables as Word tables: header rows repeated, numbers right-aligned, mutu shading, merged cells."""
from __future__ import annotations

import html as _html
import re

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from .. import theme
from .markup import BLOCK_TAGS, classes, clean
from .oxml import cant_split, field, keep_row, repeat_header, shade
from .styles import HEAD_FILL, NAVY, RULE, TOTAL_FILL


class TablesMixin:
    """The writer's tables: HTML tables, Lampiran 4's blocks, the IKM box."""

    def scoring(self, container, el) -> None:
        """Lampiran 4's per-respondent blocks (fixed-width text in the HTML) as one Word table."""
        head, rows = None, []
        for pre in el.iter("pre"):
            lines = [ln.split() for ln in (pre.text_content() or "").split("\n") if ln.strip()]
            if "head" in classes(pre):
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
        line = f'w:val="single" w:sz="4" w:space="0" w:color="{RULE}"' if borders else 'w:val="nil"'
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
                shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{HEAD_FILL}"/>' if head else ""
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
        parent = container._tc if isinstance(container, _Cell) else container.element.body
        written = [c for c in parent if c.tag != qn("w:sectPr")]
        if written and written[-1].tag == qn("w:tbl"):  # Word joins two tables that touch into one
            gap = parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:spacing w:before="0" w:after="0" w:line="120" '
                            'w:lineRule="exact"/></w:pPr></w:p>')
            if isinstance(container, _Cell):
                container._tc.append(gap)
            else:
                container.element.body._insert_p(gap)
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
        if cap is not None and clean(cap.text_content()).strip():
            self.tables += 1
            par = self.par(container, "Judul Tabel")
            par.add_run("Tabel ")
            field(par, "SEQ Tabel \\* ARABIC", str(self.tables))
            par.add_run(". ")
            self.inline(par, cap)
        table = self._new_table(container, len(rows), ncols, widths)
        trs = table._tbl.findall(qn("w:tr"))
        small = ncols >= 8
        for r, (tr_el, header) in enumerate(rows):
            if header:
                repeat_header(trs[r])
            if len(rows) <= 25 and r < len(rows) - 1:  # short tables stay whole; the last row lets go
                keep_row(trs[r])
            cant_split(trs[r])
        for r, c, rs, cs, cell_el in placed:
            header = rows[r][1]
            total = "total" in classes(rows[r][0])
            tc = trs[r].findall(qn("w:tc"))[c]
            cell = _Cell(tc, table)
            ccls = classes(cell_el)
            mutu = next((theme.class_color(m.group(0)) for s in cell_el.iter("span")
                         for m in [re.search(r"\bmutu-r\d+\b", s.get("class") or "")] if m), None)
            par = cell.paragraphs[0]
            self.style(par, "Isi Tabel Kecil" if small else "Isi Tabel")
            has_blocks = any(isinstance(x.tag, str) and x.tag in BLOCK_TAGS for x in cell_el)
            if has_blocks:
                p0 = tc.findall(qn("w:p"))[0]
                tc.remove(p0)
                page_width, self.width = self.width, sum(widths[c:c + cs]) - 3
                self.blocks(cell, cell_el)
                self.width = page_width
                if not tc.findall(qn("w:p")) or tc[-1].tag != qn("w:p"):
                    tc.append(OxmlElement("w:p"))
                for p in tc.findall(qn("w:p")):  # a cell's paragraphs in the cell's size, not the body's
                    if p.pPr is None or p.pPr.pStyle is None:
                        self.style(Paragraph(p, cell), "Isi Tabel Kecil" if small else "Isi Tabel")
            else:
                color = RGBColor(0xFF, 0xFF, 0xFF) if mutu else None
                self.inline(par, cell_el, bold=header or cell_el.tag == "th" or total, color=color)
            if "num" in ccls or (cell_el.tag == "th" and "num" in ccls):
                for p in cell.paragraphs:
                    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            tc_pr = tc.get_or_add_tcPr()
            if mutu:  # the band's colour by rank (theme.mutu_class), whatever the definition's letters
                shade(tc_pr, mutu.lstrip("#").upper())
                for p in cell.paragraphs:
                    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif header:
                shade(tc_pr, HEAD_FILL)
            elif total:
                shade(tc_pr, TOTAL_FILL)
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
            text = clean(el.text_content()).strip()
            words = text.split() or [""]
            longest[c] = max(longest[c], max(len(w) for w in words))
            total[c] += len(text)
            count[c] += 1
        want = [max(longest[c] * 2.0 + 5, min((total[c] / max(count[c], 1)) * 1.9 + 5, 70)) for c in range(ncols)]
        scale = self.width / sum(want)  # the text's width, as the HTML's tables
        return [w * scale for w in want]


    def result(self, container, el) -> None:
        """The IKM box: the figure and its mutu beside the band table."""
        main = next((d for d in el if isinstance(d.tag, str) and "result-main" in classes(d)), None)
        side = next((d for d in el if isinstance(d.tag, str) and "result-side" in classes(d)), None)
        table = self._new_table(container, 1, 2, [self.width * 0.38, self.width * 0.62], borders=False)
        band = next((c for c in classes(el) if c.startswith("mutu-box-")), "")[len("mutu-box-"):]
        left, right = self._cell(table, 0, 0), self._cell(table, 0, 1)
        if theme.class_color(band, tint="light"):
            shade(left._tc.get_or_add_tcPr(), theme.class_color(band, tint="light").lstrip("#").upper())
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
                ccls = classes(child)
                if "value" in ccls:
                    self.inline(par, child, bold=True, color=NAVY, size=Pt(28))
                else:
                    self.inline(par, child)
                if cell is left:
                    par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if cell._tc[-1].tag != qn("w:p"):
                cell._tc.append(OxmlElement("w:p"))
        self.width = page_width
        keep_row(table._tbl.findall(qn("w:tr"))[0])
