"""The recap over units as an XLSX sheet (``rekap_skm.xlsx``): printable, checkable, injection-safe.

One sheet, "Rekap IKM", on A4 landscape fitted one page wide with the header
row repeated on every page. Numbers that come from the respondents' answers
(each unit's IKM and NRR, the pooled IKM) are values; what follows from them
is a formula with its cached value, so a reader can check it in Excel:

- mutu and kinerja: ``LOOKUP`` of the IKM rounded to 2 decimals in the band
  table on the sheet (from the survey definition);
- the Krejcie-Morgan minimum sample from the population N, and whether the
  respondents reach it;
- the total respondents, and the "Rata-rata IKM unit" row (``AVERAGE`` of the
  units' IKM and NRR).

Unit names are written as text cells, never as formulas (a unit named
``=HYPERLINK(...)`` stays text).
"""
from __future__ import annotations

import re

import pandas as pd

from .sampling import krejcie_morgan
from .survey import load_survey
from .xlsx import STYLE, Book, col, print_setup, xl_sum

__all__ = ["recap_xlsx", "POOLED_LABEL", "MEAN_LABEL"]

POOLED_LABEL = "Gabungan (semua responden)"
MEAN_LABEL = "Rata-rata IKM unit"

_HEAD_ROW = 5
_BOX, _HEAD, _NOTE, _TITLE = STYLE["box"], STYLE["head"], STYLE["note"], STYLE["title"]
_TOTAL = {**STYLE["box"], **STYLE["bold"], **STYLE["sub"]}
_CENTER = {**_BOX, "align": "center"}

#: Krejcie-Morgan with the constants of the method (X^2 = 3.841, P = 0.5, d = 0.05), rounded half-up.
_KM = "MIN({n},ROUND(3.841*{n}*0.5*(1-0.5)/(0.05*0.05*({n}-1)+3.841*0.5*(1-0.5)),0))"


def _missing(v) -> bool:
    return v is None or v is pd.NA or (not isinstance(v, str) and pd.isna(v))


def recap_xlsx(table: pd.DataFrame, *, institution: str = "", period: str = "", survey=None) -> bytes:
    """The recap table (:func:`skmkit.recap_report.recap_table`) as a deterministic, printable XLSX.

    Parameters
    ----------
    table : DataFrame
        Ranked units, then the rows ``"Gabungan (semua responden)"`` and
        ``"Rata-rata IKM unit"``.
    institution, period : str
        For the title and the page header.
    survey : SurveyDefinition or path, optional
        Its bands fill the sheet's band table (default PermenPANRB 14/2017).

    Returns
    -------
    bytes
        The XLSX file; byte-identical for the same inputs.

    Examples
    --------
    >>> from skmkit import read_responses, sample_data_path
    >>> from skmkit.recap_report import recap_table
    >>> recap_xlsx(recap_table(read_responses(sample_data_path())), period="Semester I 2026")[:2]
    b'PK'
    """
    survey = load_survey(survey)
    keys = [c for c in table.columns if re.fullmatch(r"U\d+", str(c))]
    titles = ["Peringkat", "Unit layanan", "Responden", "IKM", "Mutu", "Kinerja", "Populasi (N)",
              "Sampel minimum (Krejcie-Morgan)", "Sampel cukup"] + [f"NRR {k}" for k in keys]
    book = Book(title=f"Rekapitulasi SKM {institution} {period}".strip())
    sh = book.sheet("Rekap IKM")
    sh.columns([9, 38, 11, 9, 7, 13, 12, 15, 9] + [7] * len(keys))
    for i, t in enumerate(titles):
        sh.text(f"{col(i)}{_HEAD_ROW}", t, _HEAD)
    span = len(titles)
    sh.text("A1", f"Rekapitulasi Indeks Kepuasan Masyarakat {institution}".strip(), _TITLE, span=span)
    sh.text("A2", period, {**STYLE["bold"], **STYLE["wrap"]}, span=span)
    sh.text("A3", "Peringkat menurut IKM unit (dihitung dari responden unit itu). Mutu, kinerja, sampel minimum, "
                  "jumlah responden dan baris rata-rata adalah rumus Excel.", _NOTE, span=span)

    units = table[table["peringkat"].notna()]
    totals = table[table["peringkat"].isna()]
    first = _HEAD_ROW + 1
    last = first + len(units) - 1
    bands = sorted(survey.bands, key=lambda b: b.min)
    band_head = last + len(totals) + 7
    b_first, b_last = band_head + 1, band_head + len(bands)
    lo, mutu_rng, kin_rng = (f"${c}${b_first}:${c}${b_last}" for c in "DEF")

    def band_cells(r, ikm, style):
        b = survey.band(ikm)
        sh.formula(f"E{r}", f"=LOOKUP(ROUND(D{r},2),{lo},{mutu_rng})", b.mutu, {**style, "align": "center"})
        sh.formula(f"F{r}", f"=LOOKUP(ROUND(D{r},2),{lo},{kin_rng})", b.kinerja, style)

    unit_ikm, unit_resp, unit_nrr = [], [], {k: [] for k in keys}
    for i, d in enumerate(units.to_dict("records")):
        r = first + i
        ikm, resp = float(d["ikm"]), int(d["respondents"])
        sh.number(f"A{r}", int(d["peringkat"]), _CENTER)
        sh.text(f"B{r}", d["unit"], {**_BOX, **STYLE["wrap"]})
        sh.number(f"C{r}", resp, {**_BOX, "num_format": "#,##0"})
        sh.number(f"D{r}", ikm, {**_BOX, "num_format": "0.00"})
        band_cells(r, ikm, _BOX)
        if _missing(d.get("population")):
            for c in "GHI":
                sh.number(f"{c}{r}", None, _BOX)
        else:
            n = int(d["population"])
            minimum = krejcie_morgan(n)
            sh.number(f"G{r}", n, {**_BOX, "num_format": "#,##0"})
            sh.formula(f"H{r}", "=" + _KM.format(n=f"G{r}"), minimum, {**_BOX, "num_format": "#,##0"})
            sh.formula(f"I{r}", f'=IF(C{r}>=H{r},"ya","tidak")', "ya" if resp >= minimum else "tidak", _CENTER)
        for j, k in enumerate(keys):
            v = d[k]
            sh.number(f"{col(9 + j)}{r}", None if _missing(v) else float(v), {**_BOX, "num_format": "0.000"})
            if not _missing(v):
                unit_nrr[k].append(float(v))
        unit_ikm.append(ikm)
        unit_resp.append(resp)

    r = last + 1
    for d in totals.to_dict("records"):
        sh.number(f"A{r}", None, _TOTAL)
        sh.text(f"B{r}", d["unit"], {**_TOTAL, **STYLE["wrap"]})
        if d["unit"] == MEAN_LABEL:  # a mean of units has no respondents of its own
            sh.number(f"C{r}", None, _TOTAL)
        else:
            sh.formula(f"C{r}", f"=SUM(C{first}:C{last})", int(xl_sum(unit_resp)), {**_TOTAL, "num_format": "#,##0"})
        for c in "GHI":
            sh.number(f"{c}{r}", None, _TOTAL)
        if d["unit"] == MEAN_LABEL:
            ikm = xl_sum(unit_ikm) / len(unit_ikm)
            sh.formula(f"D{r}", f"=AVERAGE(D{first}:D{last})", ikm, {**_TOTAL, "num_format": "0.00"})
            for j, k in enumerate(keys):
                c = col(9 + j)
                values = unit_nrr[k]
                if values:
                    sh.formula(f"{c}{r}", f"=AVERAGE({c}{first}:{c}{last})", xl_sum(values) / len(values),
                               {**_TOTAL, "num_format": "0.000"})
                else:
                    sh.number(f"{c}{r}", None, _TOTAL)
        else:
            ikm = float(d["ikm"])
            sh.number(f"D{r}", ikm, {**_TOTAL, "num_format": "0.00"})
            for j, k in enumerate(keys):
                v = d[k]
                sh.number(f"{col(9 + j)}{r}", None if _missing(v) else float(v), {**_TOTAL, "num_format": "0.000"})
        band_cells(r, ikm, _TOTAL)
        r += 1

    r += 1
    notes = [f"{POOLED_LABEL}: IKM dihitung dari seluruh responden semua unit.",
             f"{MEAN_LABEL}: rata-rata IKM unit, tiap unit dihitung sekali.",
             "Mutu: " + "; ".join([f"{b.mutu} >= {b.min:.2f}".replace(".", ",") for b in reversed(bands[1:])]
                                  + [f"{bands[0].mutu} < {bands[1].min:.2f}".replace(".", ",")])
             + " (nilai dibulatkan 2 desimal; tabel di bawah).",
             "Sampel minimum: rumus Krejcie-Morgan dengan X\u00b2 = 3,841, P = 0,5, d = 0,05, dibulatkan."]
    for note in notes:
        sh.text(f"A{r}", note, _NOTE, span=span)
        r += 1
    for c, t in zip("DEF", ["Batas bawah", "Mutu", "Kinerja"]):
        sh.text(f"{c}{band_head}", t, _HEAD)
    for i, b in enumerate(bands):
        rr = b_first + i
        sh.number(f"D{rr}", float(b.min), {**_BOX, "num_format": "0.00"})
        sh.text(f"E{rr}", b.mutu, _CENTER)
        sh.text(f"F{rr}", b.kinerja, _BOX)
    sh.ws.freeze_panes(f"C{first}")
    header = " | ".join(x for x in ("Rekapitulasi SKM", str(institution), str(period)) if x)
    print_setup(sh, landscape=True, title_rows=(_HEAD_ROW, _HEAD_ROW), header=header)
    return book.to_bytes()
