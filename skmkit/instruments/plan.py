"""The sampling plan: per unit, the Krejcie-Morgan minimum and the questionnaires to hand out.

The minimum comes from :func:`skmkit.sampling.krejcie_morgan` and the count to
hand out from :func:`skmkit.sampling.to_hand_out`; this module only lays them
out, as an XLSX table and an HTML page printed to PDF (``rencana_sampel.pdf``).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..fmt import number, percent
from ..html import escape
from ..sampling import krejcie_morgan, to_hand_out
from ..xlsx import STYLE, Book, col, print_setup
from .content import UnitPlan

__all__ = ["PlanRow", "sampling_plan", "plan_bytes", "plan_html", "PLAN_HEADERS"]

PLAN_HEADERS = ("Unit layanan", "Populasi (N)", "Sampel minimum (Krejcie-Morgan)",
                "Perkiraan tidak kembali", "Kuesioner dibagikan", "Periode survei")


@dataclass(frozen=True)
class PlanRow:
    """One unit's plan; ``minimum`` and ``hand_out`` are None when the population is not given."""

    unit: str
    population: int | None
    minimum: int | None
    non_return: float
    hand_out: int | None
    period: str


def sampling_plan(units, *, non_return: float = 0.2) -> list[PlanRow]:
    """The plan rows of these units (:class:`~skmkit.instruments.content.UnitPlan`), in their order.

    Examples
    --------
    >>> sampling_plan([UnitPlan("a", "Dinas A", 1000)], non_return=0.2)[0].hand_out
    348
    """
    to_hand_out(0, non_return)  # checks the rate once, even for units without population
    rows = []
    for u in units:
        minimum = krejcie_morgan(u.population) if u.population else None
        rows.append(PlanRow(u.unit, u.population, minimum, float(non_return),
                            to_hand_out(minimum, non_return) if minimum is not None else None, u.period_label))
    return rows


def plan_bytes(rows: list[PlanRow], *, title: str) -> bytes:
    """The plan as an XLSX table (values, not formulas: the method lives in skmkit.sampling)."""
    book = Book(title=title)
    sheet = book.sheet("Rencana Sampel")
    sheet.columns([42, 14, 18, 16, 16, 40])
    sheet.text("A1", title, STYLE["title"], span=len(PLAN_HEADERS))
    for c, h in enumerate(PLAN_HEADERS):
        sheet.text(f"{col(c)}3", h, STYLE["head"])
    box, num = STYLE["box"], {**STYLE["box"], "num_format": "#,##0"}
    pct = {**STYLE["box"], "num_format": "0%"}
    for r, row in enumerate(rows, start=4):
        sheet.text(f"A{r}", row.unit, {**box, "text_wrap": True})
        sheet.number(f"B{r}", row.population, num)
        sheet.number(f"C{r}", row.minimum, num)
        sheet.number(f"D{r}", row.non_return, pct)
        sheet.number(f"E{r}", row.hand_out, num)
        sheet.text(f"F{r}", row.period, {**box, "text_wrap": True})
    note = len(rows) + 5
    sheet.text(f"A{note}", _note(rows), STYLE["note"], span=len(PLAN_HEADERS))
    print_setup(sheet, landscape=True, title_rows=(3, 3), header=title)
    return book.to_bytes()


def _note(rows: list[PlanRow]) -> str:
    rate = rows[0].non_return if rows else 0
    text = ("Sampel minimum: Krejcie dan Morgan (1970), S = 3,841 x N x 0,5 x 0,5 / (0,05^2 x (N - 1) + "
            "3,841 x 0,5 x 0,5), dibulatkan setengah ke atas. Kuesioner dibagikan = sampel minimum / "
            f"(1 - {percent(rate, 0)}), dibulatkan ke atas, agar yang kembali tetap mencapai minimum.")
    missing = [r.unit for r in rows if r.population is None]
    if missing:
        text += f" Populasi belum diisi di berkas unit untuk: {', '.join(missing)}."
    return text


def plan_html(rows: list[PlanRow], *, title: str) -> str:
    """The plan as an HTML section: the page of ``rencana_sampel.pdf``."""
    body = []
    for row in rows:
        name, _, dates = row.period.partition(" \u2014 ")
        cells = [escape(row.unit),
                 number(row.population) if row.population else "belum diisi",
                 number(row.minimum) if row.minimum is not None else "\u2013",
                 percent(row.non_return, 0),
                 number(row.hand_out) if row.hand_out is not None else "\u2013",
                 escape(name) + (f"<br><small>{escape(dates)}</small>" if dates else "")]
        body.append("<tr>" + "".join(f'<td class="{"num" if 0 < i < 5 else ""}">{c}</td>'
                                     for i, c in enumerate(cells)) + "</tr>")
    head = "".join(f"<th>{escape(h)}</th>" for h in PLAN_HEADERS)
    return (f'<section class="plan"><h2>{escape(title)}</h2>'
            f'<table class="plan"><colgroup><col style="width: 30%"><col><col><col><col>'
            f'<col style="width: 24%"></colgroup><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
            f'<p class="small">{escape(_note(rows))}</p></section>')
