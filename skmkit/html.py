"""HTML blocks shared by the unit report (:mod:`skmkit.sections`) and the recap (:mod:`skmkit.rekap`)."""
from __future__ import annotations

import html

__all__ = ["escape", "table", "document_title", "title_marker"]


def escape(value) -> str:
    """Text made safe for HTML (``None`` -> ``""``); every value from a user or respondent goes through it."""
    return "" if value is None else html.escape(str(value))


def document_title(unit: str, period: str = "", *, recap: bool = False) -> str:
    """A report's title: ``"Laporan Hasil SKM \u2014 <unit> \u2014 <period>"`` (or ``Rekapitulasi SKM``)."""
    head = "Rekapitulasi SKM" if recap else "Laporan Hasil SKM"
    return " \u2014 ".join(x for x in (head, str(unit or ""), str(period or "")) if x)


def title_marker(title: str) -> str:
    """An invisible element carrying the document title, for the kit exporter to find.

    The notebook itself then names its document, so ``skmkit report``, the
    batch and ``jupyter nbconvert --to skm_html`` run by hand give the same
    ``<title>`` and PDF metadata.
    """
    return f'<span class="skm-title" data-title="{escape(title)}" hidden></span>'


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
