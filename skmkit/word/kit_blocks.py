"""The kit's own blocks: the cover and the table of contents (a TOC field already filled)."""
from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .markup import classes, clean
from .oxml import bottom_rule, run_el
from .styles import MUTED, NAVY


class KitBlocksMixin:
    """The writer's cover and table of contents."""

    def cover(self, container, el) -> None:
        # the names as written (the cover shows them in capitals): data-name, else the text
        for d in el.iter("div"):
            cls = classes(d)
            name = clean(d.get("data-name") or d.text_content()).strip()
            if "cover-top" in cls:
                self.institution = name
            elif "cover-unit" in cls:
                self.unit = name
        logo = next((i for i in el.iter("img")), None)
        if logo is not None:
            par = container.add_paragraph()
            par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.picture(par, logo, 30)
        specs = [("cover-top", 13, True, NAVY, 0), ("kicker", 13, False, MUTED, 50), ("title", 24, True, NAVY, 2),
                 ("cover-unit", 16, True, None, 10), ("cover-period", 13, False, None, 4),
                 ("label", 11, False, MUTED, 28), ("value", 40, True, NAVY, 0), ("mutu-line", 11, False, None, 0),
                 ("cover-bottom", 10, False, MUTED, 60)]
        for cls_name, size, bold, color, before in specs:
            node = next((d for d in el.iter() if isinstance(d.tag, str) and cls_name in classes(d)), None)
            if node is None or not clean(node.text_content()).strip():
                continue
            par = container.add_paragraph()
            par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            par.paragraph_format.space_before = Mm(before)
            if cls_name == "title":
                self.style(par, "Title")
            self.inline(par, node, bold=bold, color=color, size=Pt(size))
            if cls_name == "cover-unit":
                bottom_rule(par)

    def toc(self, container, el) -> None:
        title = el.find(".//h1")
        if title is not None:
            par = self.par(container, "Heading 1", clean(title.text_content()).strip())
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
            level = 2 if "toc-h2" in classes(li) else 1
            target = f"_Toc_{(a.get('href') or '#').lstrip('#')}"
            par = self.par(container, f"TOC {level}")
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), target)
            link.set(qn("w:history"), "1")
            link.append(run_el(clean(a.text_content()).strip()))
            tab = OxmlElement("w:r")
            tab.append(OxmlElement("w:tab"))
            link.append(tab)
            for r in (run_el(fld="begin"), run_el(instr=f"PAGEREF {target} \\h"), run_el(fld="separate"),
                      run_el(""), run_el(fld="end")):
                link.append(r)
            par._p.append(link)
            pars.append(par)
        # the TOC field around the entries: Word's "Update Table" rebuilds them from the heading styles
        first, last = pars[0]._p, pars[-1]._p
        begin = [run_el(fld="begin"), run_el(instr='TOC \\o "1-2" \\h \\z \\u'), run_el(fld="separate")]
        ppr = first.pPr
        anchor = ppr if ppr is not None else None
        for r in reversed(begin):
            if anchor is not None:
                anchor.addnext(r)
            else:
                first.insert(0, r)
        last.append(run_el(fld="end"))
