"""The recap over a batch's units: the table, its XLSX and the pieces of ``rekap_skm.ipynb``.

:func:`recap_table` ranks the units by IKM, checks each against the
Krejcie-Morgan minimum, and labels the two totals: the pooled IKM over all
respondents ("Gabungan (semua responden)") and the mean of the units' IKM
("Rata-rata IKM unit"). :func:`load_recap` reads what the batch wrote for the
recap notebook; the ``recap_*_html`` functions are its cells' content.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .fmt import number
from .html import Html, document_title, escape, table, titled
from .errors import ValidationError
from .indices import summarize, unsur_note
from .prepared import prepare_unit
from .sampling import krejcie_morgan
from .theme import mutu_class
from .survey import load_survey
from .validate import read_responses
from .recap_xlsx import recap_xlsx
from .safetext import csv_text_frame

__all__ = ["recap_table", "recap_xlsx", "Rekap", "load_recap", "recap_title_html", "recap_lead",
           "recap_ranking_html", "recap_sample_html", "recap_excluded_html"]


def recap_table(units, *, population=None, survey=None) -> pd.DataFrame:
    """The recap over units: ranked by IKM, with the Krejcie-Morgan check, then two total rows.

    Each unit's row renders its prepared unit (:mod:`skmkit.prepared`): its
    IKM, mutu and NRR are the ones its report, banner and workbook show
    (a legacy weight or an unsur nobody answered included).

    Parameters
    ----------
    units : list of PreparedUnit, or DataFrame
        The prepared units; or the canonical responses of all units, the
        ``unit`` column naming each unit (each is then prepared here).
    population : dict, optional
        Unit -> population N (for a DataFrame; a prepared unit has its own).
    survey : SurveyDefinition or path, optional
        The definition of the pooled row (default: the first unit's).

    Returns
    -------
    DataFrame
        ``peringkat, unit, respondents, ikm, mutu, kinerja, population,
        sampel_minimum, cukup, U1..U9`` (NRR); then the rows ``"Gabungan (semua
        responden)"`` (pooled IKM, all respondents) and ``"Rata-rata IKM unit"``
        (mean of the units' IKM), whose ``peringkat`` is empty. The mean row
        has no ``respondents`` (NA): it averages units, each counted once,
        not respondents. ``attrs["tidak_direkap"]`` names the units nobody answered.

    Examples
    --------
    >>> from skmkit import read_responses, sample_data_path
    >>> t = recap_table(read_responses(sample_data_path()))
    >>> t["unit"].tolist()[-2:]
    ['Gabungan (semua responden)', 'Rata-rata IKM unit']
    """
    skipped = []
    if isinstance(units, pd.DataFrame):
        units, skipped = _prepare_units(units, population=population, survey=survey)
    survey = load_survey(survey) if survey is not None else units[0].survey
    keys = survey.keys
    rows = [{"unit": u.unit, "respondents": u.summary["respondents"], "ikm": u.summary["ikm"],
             "mutu": u.summary["mutu"], "kinerja": u.summary["kinerja"], "population": u.population,
             **{k: u.summary["unsur"][k]["nrr"] for k in keys}} for u in units]
    table = pd.DataFrame(rows).sort_values(["ikm", "unit"], ascending=[False, True], kind="stable")
    table.insert(0, "peringkat", range(1, len(table) + 1))
    pooled = summarize(pd.concat([u.data for u in units], ignore_index=True), survey=survey, ci=None)
    mean_ikm = float(table["ikm"].mean())
    band = survey.band(mean_ikm)
    totals = pd.DataFrame([
        {"unit": "Gabungan (semua responden)", "respondents": pooled["respondents"], "ikm": pooled["ikm"],
         "mutu": pooled["mutu"], "kinerja": pooled["kinerja"], **{k: pooled["unsur"][k]["nrr"] for k in keys}},
        {"unit": "Rata-rata IKM unit", "respondents": None, "ikm": mean_ikm, "mutu": band.mutu,
         "kinerja": band.kinerja, **{k: table[k].astype(float).mean() for k in keys}}])
    table = pd.concat([table, totals], ignore_index=True)
    table["peringkat"] = pd.array(table["peringkat"], dtype="Int64")
    # the mean of the units' IKM stands for units, not for the pooled respondents
    table["respondents"] = pd.array(table["respondents"], dtype="Int64")
    popn = [None if pd.isna(n) else int(n) for n in table["population"]]
    minimum = [krejcie_morgan(n) if n else None for n in popn]
    table["population"] = pd.array(popn, dtype="Int64")
    table["sampel_minimum"] = pd.array(minimum, dtype="Int64")
    table["cukup"] = pd.array([None if m is None else bool(r >= m) for r, m in zip(table["respondents"], minimum)],
                              dtype="boolean")
    cols = ["peringkat", "unit", "respondents", "ikm", "mutu", "kinerja", "population", "sampel_minimum", "cukup"]
    table = table[cols + keys]
    table.attrs["tidak_direkap"] = skipped
    return table


def _prepare_units(data: pd.DataFrame, *, population=None, survey=None):
    """Each value of ``unit`` prepared as its own unit; the units nobody answered are named apart."""
    pop, units, skipped = dict(population or {}), [], []
    for name, part in data.groupby("unit", sort=True, dropna=False):
        part.attrs = data.attrs
        try:
            units.append(prepare_unit(part, unit=str(name), survey=load_survey(survey), population=pop.get(name)))
        except ValidationError:  # nobody answered any unsur: no IKM, not ranked (skm-method.md)
            skipped.append(name)
    return units, skipped


@dataclass
class Rekap:
    """The recap notebook's inputs: all units' rows, the units list, and the recap table."""

    data: pd.DataFrame
    units: pd.DataFrame
    table: pd.DataFrame
    survey: object
    institution: str = ""
    period: str = ""


def load_recap(data=None, units=None, *, survey=None, legacy_weight=None, institution="", period="",
               prepared=None) -> Rekap:
    """What a batch prepared for the recap (``prepared``), or read from its ``_rekap.parquet`` and units list."""
    if prepared:
        import pickle

        return pickle.loads(Path(str(prepared)).read_bytes())  # the kit's own file, written by the batch driver
    survey = load_survey(survey, legacy_weight=legacy_weight)
    frame = read_responses(data)
    listed = csv_text_frame(pd.read_csv(units, dtype={"id": str, "unit": str}, keep_default_na=False))
    pop = {r.unit: int(float(r.population)) for r in listed.itertuples() if str(r.population).strip()}
    return Rekap(frame, listed, recap_table(frame, population=pop, survey=survey), survey, institution, period)


def recap_title_html(rk: Rekap) -> Html:
    """The recap's title, its running page header (instead of the unit report's; on the right the
    numbered section), and the document's title in the output's metadata."""
    css = document_title("", rk.period, recap=True).replace("\\", "").replace('"', "'").replace("<", "")
    period = " \u00b7 " + escape(rk.period) if rk.period else ""
    # the right header names the recap's numbered sections (its h2), not its one title cut short
    return titled(f'<style>@page {{ @top-left {{ content: "{css}"; }} }} main.report h1 {{ string-set: none; }} '
                  f'main.report h2 {{ string-set: chapter content(); }}</style>'
                  f"<h1>Rekapitulasi Survei Kepuasan Masyarakat</h1>"
                  f"<p><b>{escape(rk.institution)}</b>{period}</p>",
                  document_title(rk.institution, rk.period, recap=True))


def recap_lead(rk: Rekap) -> str:
    """The recap's opening paragraph (HTML): units, respondents, pooled and mean IKM."""

    t = rk.table
    units = t[t["peringkat"].notna()]
    pooled, mean = t.iloc[-2], t.iloc[-1]
    best, worst = units.iloc[0], units.iloc[-1]
    return (f"<p>Rekapitulasi ini memuat {number(len(units))} unit layanan dengan {number(int(pooled['respondents']))} "
            f"responden. IKM gabungan (dihitung dari semua responden) <b>{number(pooled['ikm'], 2)}</b>, mutu "
            f"{escape(pooled['mutu'])} ({escape(pooled['kinerja'])}); rata-rata IKM unit (tiap unit dihitung sekali) "
            f"<b>{number(mean['ikm'], 2)}</b>, mutu {escape(mean['mutu'])} ({escape(mean['kinerja'])}). IKM tertinggi "
            f"{escape(best['unit'])} ({number(best['ikm'], 2)}), terendah {escape(worst['unit'])} "
            f"({number(worst['ikm'], 2)}).{_coverage_html(rk, units)}</p>")


def _coverage_html(rk: Rekap, units) -> str:
    """Units whose IKM left out an unsur nobody answered, and units not recapped (skm-method.md)."""
    notes = [f" IKM {escape(r['unit'])} {escape(unsur_note([k for k in rk.survey.keys if pd.notna(r[k])], rk.survey.names))}."
             for _, r in units.iterrows() if r[rk.survey.keys].isna().any()]
    skipped = rk.table.attrs.get("tidak_direkap", [])
    if skipped:
        notes.append(f" Tidak direkap karena tidak ada jawaban unsur sama sekali: {escape(', '.join(map(str, skipped)))}.")
    return "".join(notes)


def recap_ranking_html(rk: Rekap) -> str:
    """The ranking table: every unit's IKM and mutu, then the pooled and the mean rows, labelled."""

    rows = []
    for r in rk.table.itertuples(index=False):
        rank = "" if pd.isna(r.peringkat) else str(int(r.peringkat))
        count = "\u2013" if pd.isna(r.respondents) else number(int(r.respondents))
        rows.append([rank, escape(r.unit), count, number(r.ikm, 2),
                     f'<span class="mutu {mutu_class(r.mutu, rk.survey)}">{escape(r.mutu)}</span>', escape(r.kinerja)])
    return table(["No", "Unit layanan", "Responden", "IKM", "Mutu", "Kinerja"], rows[:-2], total=rows[-2:],
                 caption="Peringkat IKM unit layanan", numeric=(0, 2, 3), keep=False, cls="ranking")


def recap_sample_html(rk: Rekap) -> str:
    """Units below the Krejcie-Morgan minimum (and those without a population), as prose and a table."""

    t = rk.table[rk.table["peringkat"].notna()]
    below = t[t["cukup"].fillna(True) == False]  # noqa: E712  (NA = population unknown)
    unknown = t[t["population"].isna()]
    parts = []
    if below.empty:
        parts.append("<p>Semua unit yang populasinya diketahui mencapai sampel minimum Krejcie-Morgan.</p>")
    else:
        parts.append(f"<p>{number(len(below))} unit belum mencapai sampel minimum Krejcie-Morgan; hasilnya "
                     "dibaca dengan hati-hati.</p>")
        rows = [[escape(r.unit), number(int(r.population)), number(int(r.sampel_minimum)), number(int(r.respondents)),
                 number(int(r.sampel_minimum) - int(r.respondents))] for r in below.itertuples(index=False)]
        parts.append(table(["Unit layanan", "Populasi (N)", "Sampel minimum", "Responden", "Kurang"], rows,
                           caption="Unit di bawah sampel minimum Krejcie-Morgan", numeric=(1, 2, 3, 4), keep=False))
    if not unknown.empty:
        parts.append(f"<p>Populasi belum diisi untuk {number(len(unknown))} unit ("
                     + ", ".join(escape(u) for u in unknown["unit"]) + "); kecukupan sampelnya tidak dinilai.</p>")
    return "".join(parts)


def recap_excluded_html(rk: Rekap) -> str:
    """Units left out of the recap because their data failed validation (empty when none)."""
    bad = rk.units[rk.units["status"] != "ok"]
    if bad.empty:
        return ""
    items = "".join(f"<li>{escape(r.unit)}: {escape(r.cause)}</li>" for r in bad.itertuples(index=False))
    return f'<div class="note note-warning">Tidak ikut direkap:<ul>{items}</ul></div>'
