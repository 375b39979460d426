"""The recap over a batch's units: the table, its XLSX, and the pieces of ``rekap_skm.ipynb``.

:func:`recap_table` ranks the units by IKM, checks each against the
Krejcie-Morgan minimum, and labels the two totals: the pooled IKM over all
respondents ("Gabungan (semua responden)") and the mean of the units' IKM
("Rata-rata IKM unit"). :func:`load_recap` reads what the batch wrote for the
recap notebook; the ``recap_*_html`` functions are its cells' content.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

__all__ = ["recap_table", "recap_xlsx", "Rekap", "load_recap", "recap_title_html", "recap_lead",
           "recap_ranking_html", "recap_sample_html", "recap_excluded_html"]


def recap_table(data: pd.DataFrame, *, population=None, survey=None) -> pd.DataFrame:
    """The recap over units: ranked by IKM, with the Krejcie-Morgan check, then two total rows.

    Parameters
    ----------
    data : DataFrame
        Canonical responses of all units, the ``unit`` column naming each unit.
    population : dict, optional
        Unit -> population N.

    Returns
    -------
    DataFrame
        ``peringkat, unit, respondents, ikm, mutu, kinerja, population,
        sampel_minimum, cukup, U1..U9`` (NRR); then the rows ``"Gabungan (semua
        responden)"`` (pooled IKM) and ``"Rata-rata IKM unit"`` (mean of the
        units' IKM), whose ``peringkat`` is empty.

    Examples
    --------
    >>> from skmkit import read_responses, sample_data_path
    >>> t = recap_table(read_responses(sample_data_path()))
    >>> t["unit"].tolist()[-2:]
    ['Gabungan (semua responden)', 'Rata-rata IKM unit']
    """
    from .indices import recap
    from .sampling import krejcie_morgan
    from .survey import load_survey

    survey = load_survey(survey)
    pooled = recap(data, by="unit", survey=survey, method="pooled")
    mean = recap(data, by="unit", survey=survey, method="mean")
    table = pd.concat([pooled, mean.iloc[[-1]]], ignore_index=True)
    pop = dict(population or {})
    units = table["peringkat"].notna()
    popn = [pop.get(u) if ok else None for u, ok in zip(table["unit"], units)]
    minimum = [krejcie_morgan(int(n)) if n else None for n in popn]
    table["population"] = pd.array(popn, dtype="Int64")
    table["sampel_minimum"] = pd.array(minimum, dtype="Int64")
    table["cukup"] = pd.array([None if m is None else bool(r >= m) for r, m in zip(table["respondents"], minimum)],
                              dtype="boolean")
    cols = ["peringkat", "unit", "respondents", "ikm", "mutu", "kinerja", "population", "sampel_minimum", "cukup"]
    table = table[cols + [k for k in survey.keys if k in table.columns]]
    table.attrs["tidak_direkap"] = list(pooled.attrs.get("tidak_direkap", []))  # units nobody answered
    return table


@dataclass
class Rekap:
    """The recap notebook's inputs: all units' rows, the units list, and the recap table."""

    data: pd.DataFrame
    units: pd.DataFrame
    table: pd.DataFrame
    survey: object
    institution: str = ""
    period: str = ""


def load_recap(data, units, *, survey=None, legacy_weight=None, institution="", period="") -> Rekap:
    """Read what a batch wrote for the recap (``_rekap.parquet`` and ``_rekap_units.csv``)."""
    from .read import read_responses
    from .survey import load_survey

    survey = load_survey(survey, legacy_weight=legacy_weight)
    frame = read_responses(data)
    listed = pd.read_csv(units, dtype={"id": str, "unit": str}, keep_default_na=False)
    pop = {r.unit: int(float(r.population)) for r in listed.itertuples() if str(r.population).strip()}
    return Rekap(frame, listed, recap_table(frame, population=pop, survey=survey), survey, institution, period)


def _e(v) -> str:
    import html

    return html.escape(str(v))


def _html_table(head, rows, *, caption="", numeric=(), total_from=None) -> str:
    th = "".join(f'<th{" class=num" if i in numeric else ""}>{_e(h)}</th>' for i, h in enumerate(head))
    body = []
    for n, r in enumerate(rows):
        cls = ' class="total"' if total_from is not None and n >= total_from else ""
        body.append(f"<tr{cls}>" + "".join(f'<td{" class=num" if i in numeric else ""}>{c}</td>'
                                          for i, c in enumerate(r)) + "</tr>")
    cap = f"<caption>{_e(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{th}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def recap_title_html(rk: Rekap) -> str:
    """The recap's title, and its running page header (instead of the unit report's)."""
    head = " \u2014 ".join(x for x in ("Rekapitulasi SKM", rk.period) if x)
    css = head.replace("\\", "").replace('"', "'").replace("<", "")
    period = " \u00b7 " + _e(rk.period) if rk.period else ""
    return (f'<style>@page {{ @top-left {{ content: "{css}"; }} }}</style>'
            f"<h1>Rekapitulasi Survei Kepuasan Masyarakat</h1>"
            f"<p><b>{_e(rk.institution)}</b>{period}</p>")


def recap_lead(rk: Rekap) -> str:
    """The recap's opening paragraph (HTML): units, respondents, pooled and mean IKM."""
    from .fmt import number

    t = rk.table
    units = t[t["peringkat"].notna()]
    pooled, mean = t.iloc[-2], t.iloc[-1]
    best, worst = units.iloc[0], units.iloc[-1]
    return (f"<p>Rekapitulasi ini memuat {number(len(units))} unit layanan dengan {number(int(pooled['respondents']))} "
            f"responden. IKM gabungan (dihitung dari semua responden) <b>{number(pooled['ikm'], 2)}</b>, mutu "
            f"{_e(pooled['mutu'])} ({_e(pooled['kinerja'])}); rata-rata IKM unit (tiap unit dihitung sekali) "
            f"<b>{number(mean['ikm'], 2)}</b>, mutu {_e(mean['mutu'])} ({_e(mean['kinerja'])}). IKM tertinggi "
            f"{_e(best['unit'])} ({number(best['ikm'], 2)}), terendah {_e(worst['unit'])} "
            f"({number(worst['ikm'], 2)}).{_coverage_html(rk, units)}</p>")


def _coverage_html(rk: Rekap, units) -> str:
    """Units whose IKM left out an unsur nobody answered, and units not recapped (skm-method.md)."""
    from .indices import unsur_note

    notes = [f" IKM {_e(r['unit'])} {_e(unsur_note([k for k in rk.survey.keys if pd.notna(r[k])], rk.survey.names))}."
             for _, r in units.iterrows() if r[rk.survey.keys].isna().any()]
    skipped = rk.table.attrs.get("tidak_direkap", [])
    if skipped:
        notes.append(f" Tidak direkap karena tidak ada jawaban unsur sama sekali: {_e(', '.join(map(str, skipped)))}.")
    return "".join(notes)


def recap_ranking_html(rk: Rekap) -> str:
    """The ranking table: every unit's IKM and mutu, then the pooled and the mean rows, labelled."""
    from .fmt import number

    rows = []
    for r in rk.table.itertuples(index=False):
        rank = "" if pd.isna(r.peringkat) else str(int(r.peringkat))
        rows.append([rank, _e(r.unit), number(int(r.respondents)), number(r.ikm, 2),
                     f'<span class="mutu mutu-{_e(r.mutu)}">{_e(r.mutu)}</span>', _e(r.kinerja)])
    return _html_table(["No", "Unit layanan", "Responden", "IKM", "Mutu", "Kinerja"], rows,
                       caption="Peringkat IKM unit layanan", numeric=(0, 2, 3), total_from=len(rows) - 2)


def recap_sample_html(rk: Rekap) -> str:
    """Units below the Krejcie-Morgan minimum (and those without a population), as prose and a table."""
    from .fmt import number

    t = rk.table[rk.table["peringkat"].notna()]
    below = t[t["cukup"].fillna(True) == False]  # noqa: E712  (NA = population unknown)
    unknown = t[t["population"].isna()]
    parts = []
    if below.empty:
        parts.append("<p>Semua unit yang populasinya diketahui mencapai sampel minimum Krejcie-Morgan.</p>")
    else:
        parts.append(f"<p>{number(len(below))} unit belum mencapai sampel minimum Krejcie-Morgan; hasilnya "
                     "dibaca dengan hati-hati.</p>")
        rows = [[_e(r.unit), number(int(r.population)), number(int(r.sampel_minimum)), number(int(r.respondents)),
                 number(int(r.sampel_minimum) - int(r.respondents))] for r in below.itertuples(index=False)]
        parts.append(_html_table(["Unit layanan", "Populasi (N)", "Sampel minimum", "Responden", "Kurang"], rows,
                                 caption="Unit di bawah sampel minimum Krejcie-Morgan", numeric=(1, 2, 3, 4)))
    if not unknown.empty:
        parts.append(f"<p>Populasi belum diisi untuk {number(len(unknown))} unit ("
                     + ", ".join(_e(u) for u in unknown["unit"]) + "); kecukupan sampelnya tidak dinilai.</p>")
    return "".join(parts)


def recap_excluded_html(rk: Rekap) -> str:
    """Units left out of the recap because their data failed validation (empty when none)."""
    bad = rk.units[rk.units["status"] != "ok"]
    if bad.empty:
        return ""
    items = "".join(f"<li>{_e(r.unit)}: {_e(r.cause)}</li>" for r in bad.itertuples(index=False))
    return f'<div class="note note-warning">Tidak ikut direkap karena datanya tidak sah:<ul>{items}</ul></div>'


def recap_xlsx(table: pd.DataFrame, *, institution: str = "", period: str = "") -> bytes:
    """The recap table as a deterministic XLSX (fixed document and zip dates)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from .workbook import deterministic_xlsx

    wb = Workbook()
    ws = wb.active
    ws.title = "Rekap IKM"
    ws["A1"] = f"Rekapitulasi Indeks Kepuasan Masyarakat {institution}".strip()
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = period
    keys = [c for c in table.columns if re.fullmatch(r"U\d+", str(c))]
    header = ["Peringkat", "Unit layanan", "Responden", "IKM", "Mutu", "Kinerja", "Populasi (N)",
              "Sampel minimum (Krejcie-Morgan)", "Sampel cukup"] + [f"NRR {k}" for k in keys]
    ws.append([])
    ws.append(header)
    for c in ws[4]:
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", fgColor="0B3D6B")
        c.alignment = Alignment(wrap_text=True, vertical="center")
    for r in table.itertuples(index=False):
        d = r._asdict()
        cukup = d["cukup"]
        row = [None if pd.isna(d["peringkat"]) else int(d["peringkat"]), d["unit"], int(d["respondents"]),
               round(float(d["ikm"]), 2), d["mutu"], d["kinerja"],
               None if d["population"] is None or pd.isna(d["population"]) else int(d["population"]),
               None if d["sampel_minimum"] is None or pd.isna(d["sampel_minimum"]) else int(d["sampel_minimum"]),
               None if cukup is None or pd.isna(cukup) else ("ya" if cukup else "tidak")]
        row += [round(float(d[k]), 3) for k in keys]
        ws.append(row)
        if pd.isna(d["peringkat"]):
            for c in ws[ws.max_row]:
                c.font = Font(bold=True)
    for row in ws.iter_rows(min_row=5, min_col=4, max_col=4):
        for c in row:
            c.number_format = "0.00"
    for row in ws.iter_rows(min_row=5, min_col=10, max_col=9 + len(keys)):
        for c in row:
            c.number_format = "0.000"
    n = ws.max_row + 2
    ws.cell(n, 1, "Gabungan (semua responden): IKM dihitung dari seluruh responden semua unit.")
    ws.cell(n + 1, 1, "Rata-rata IKM unit: rata-rata IKM unit, tiap unit dihitung sekali.")
    ws.cell(n + 2, 1, "Mutu: A >= 88,31; B >= 76,61; C >= 65,00; D < 65,00 (PermenPANRB 14/2017).")
    for col, width in zip("ABCDEFGHI", [10, 44, 11, 9, 7, 13, 13, 16, 10]):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "C5"
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_xlsx(buf.getvalue())


