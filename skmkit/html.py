"""HTML blocks shared by the unit report (:mod:`skmkit.sections`) and the recap (:mod:`skmkit.recap_report`)."""
from __future__ import annotations

import html

from .safetext import drawable

__all__ = ["Html", "titled", "escape", "table", "document_title"]


class Html(str):
    """A string Jupyter displays as HTML (and as a short placeholder in plain text).

    ``metadata`` (optional) goes with the HTML into the notebook's output, where
    the kit exporter reads it (the report's cover and the recap's title give the
    document's title this way: :func:`skmkit.exporters.report_title`).
    """

    metadata: dict | None = None

    def _repr_html_(self):
        return (str(self), self.metadata) if self.metadata else str(self)

    def __repr__(self):
        return "<blok laporan>"


def titled(html: str, title: str) -> Html:
    """``html`` carrying the document's title in its output metadata."""
    block = Html(html)
    block.metadata = {"skmkit": {"title": title}}
    return block


def escape(value) -> str:
    """Text made safe for HTML (``None`` -> ``""``); every value from a user or respondent goes through it.

    Characters the kit's fonts lack are drawn as one glyph (:func:`skmkit.safetext.drawable`).
    """
    return "" if value is None else html.escape(drawable(value))


def document_title(unit: str, period: str = "", *, recap: bool = False) -> str:
    """A report's title: ``"Laporan Hasil SKM \u2014 <unit> \u2014 <period>"`` (or ``Rekapitulasi SKM``)."""
    head = "Rekapitulasi SKM" if recap else "Laporan Hasil SKM"
    return drawable(" \u2014 ".join(x for x in (head, str(unit or ""), str(period or "")) if x))


def _td(cell, i, numeric) -> str:
    return f'<td{" class=num" if i in numeric else ""}>{cell}</td>'


def table(head, rows, *, caption: str = "", cls: str = "", numeric=(), total=(), keep: bool = True) -> str:
    """An HTML table as the kit's stylesheet prints it.

    Parameters
    ----------
    head : list of str
        Column titles (already HTML).
    rows : list of lists
        Cells (already HTML).
    caption : str
        Plain text, escaped here.
    cls : str
        The table's CSS class.
    numeric : collection of int
        Column indexes right-aligned as numbers.
    total : list of lists
        Total rows, set last in the body with class ``total`` (a ``<tfoot>``
        would repeat on every printed page). A cell may be a ``(html, attrs)``
        pair to give it its own attributes (e.g. a ``colspan``).
    keep : bool
        Caption and table stay on one printed page.
    """
    numeric = set(numeric)
    cols = "".join(f'<th{" class=num" if i in numeric else ""}>{h}</th>' for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(_td(c, i, numeric) for i, c in enumerate(r)) + "</tr>" for r in rows)
    body += "".join('<tr class="total">' + "".join(f"<td{c[1]}>{c[0]}</td>" if isinstance(c, tuple)
                                                   else _td(c, i, numeric) for i, c in enumerate(r)) + "</tr>"
                    for r in total)
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    attr = f' class="{cls}"' if cls else ""
    out = f"<table{attr}>{cap}<thead><tr>{cols}</tr></thead><tbody>{body}</tbody></table>"
    return f'<div class="keep">{out}</div>' if keep else out
