"""The signature block: place and date, title, space to sign, name (underlined when given), NIP."""
from __future__ import annotations

import re

from docx.shared import Mm, Pt

from .markup import classes

#: A value not given: the HTML leaves dots to fill in by hand (:func:`skmkit.sections.signature`).
_BLANK = re.compile(r"^[\u2026.\s]*$")


class SignatureMixin:
    """The writer's signature block, at the right of the text, kept on one page."""

    def signature(self, container, el) -> None:
        lines = [d for d in el if isinstance(d.tag, str)]
        for k, d in enumerate(lines):
            par = container.add_paragraph()
            pf = par.paragraph_format
            pf.left_indent = Mm(self.width - 75)
            pf.space_after = Pt(0)
            pf.keep_with_next = k < len(lines) - 1
            pf.keep_together = True
            if k == 0:
                pf.space_before = Mm(10)
            if "sign-space" in classes(d):
                pf.space_before = Mm(18)
                continue
            self.inline(par, d)
            if "sign-name" in classes(d) and not _BLANK.match(par.text):  # a name given, not a line to fill in
                for r in par.runs:
                    r.underline = True
