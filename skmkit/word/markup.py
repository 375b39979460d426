"""Reading the report HTML: class names, text, embedded pictures, what counts as a block."""
from __future__ import annotations

import base64
import re

from docx.oxml.ns import qn
from docx.table import _Cell

WIDTH_MM = re.compile(r"width:\s*([\d.]+)mm")
_SPACE = re.compile(r"\s+")
BLOCK_TAGS = {"p", "div", "section", "nav", "main", "article", "table", "figure", "pre", "ol", "ul", "h1", "h2",
               "h3", "h4", "h5", "h6", "blockquote", "hr", "img", "dl", "header", "footer", "aside"}
SKIP_TAGS = {"style", "script", "head", "title", "meta", "link", "noscript"}


def classes(el) -> set:
    return set((el.get("class") or "").split())


def clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "")


def png_bytes(src: str) -> bytes | None:
    if src and src.startswith("data:image/") and ";base64," in src:
        return base64.b64decode(src.split(",", 1)[1])
    return None


def is_display(el) -> bool:
    """A table or a figure (or a kit block holding one)."""
    return el.tag in ("table", "figure") or bool({"scoring", "keep", "figure-grid"} & classes(el))


def prev_block(el):
    """The element before ``el`` among its siblings (comments skipped), or None."""
    prev = el.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    return prev


def last_paragraph(container):
    """The last ``w:p`` directly in the body (or cell) written so far, or None when a table ends it."""
    parent = container._tc if isinstance(container, _Cell) else container.element.body
    for child in reversed(parent):
        if child.tag == qn("w:sectPr"):
            continue
        return child if child.tag == qn("w:p") else None
    return None
