"""The results history: every period a batch computed, kept with its outputs.

A batch writes ``riwayat_skm.parquet`` and ``riwayat_skm.csv`` in its output
folder (:func:`update_history`): one row per period, unit and "what" (the IKM,
or one unsur), with ``n``, ``nrr``, ``ikm``, ``se``, the 95 % interval,
``mutu`` and the survey definition used. No respondent's answer or personal
data is kept: only each group's results. Running the same period again
replaces that period's rows for the units it ran; another period adds to it.

Results from before the kit (typed from old reports: period, unit, IKM and,
where known, NRR per unsur) are added by :func:`import_results`
(``skmkit riwayat-impor``); such a period has no SE, so a change against it is
"tidak dapat diuji" (:func:`skmkit.compare.change`).

Unit names are matched by the kit's one rule (:func:`skmkit.survey.name_key`).
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from .compare import change, unsur_se
from .errors import ParameterError
from .files import write_atomic
from .indices import Z95, ikm_table, unsur_table
from .safetext import csv_safe_frame
from .survey import load_survey, name_key

__all__ = ["SCHEMA_VERSION", "COLUMNS", "IKM_ROW", "HISTORY_NAME", "read_history", "write_history",
           "merge_history", "unit_rows", "earlier_periods", "import_results", "update_history",
           "period_table", "institution_trend", "empty_history", "renamed_period"]

#: Version of the table's layout; a history of a newer version is refused, an older one is upgraded on reading.
SCHEMA_VERSION = 1
#: The ``unsur`` value of a unit's IKM row.
IKM_ROW = "IKM"
HISTORY_NAME = "riwayat_skm"
COLUMNS = ["schema_version", "period", "period_start", "period_end", "unit", "unit_key", "unsur", "n", "nrr",
           "ikm", "se", "ci_low", "ci_high", "mutu", "survey", "source"]
_FLOATS = ["nrr", "ikm", "se", "ci_low", "ci_high"]


def _frame(rows) -> pd.DataFrame:
    """The history's columns and types, from records or a DataFrame (a new frame: the input is not changed)."""
    df = rows.reindex(columns=COLUMNS).copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, columns=COLUMNS)
    for c in _FLOATS:
        if df[c].dtype != "float64":
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    if df["n"].dtype != "Int64":
        df["n"] = pd.to_numeric(df["n"], errors="coerce").astype("Int64")
    if df["schema_version"].dtype != "int64":
        df["schema_version"] = df["schema_version"].astype("int64")
    for c in ("period", "period_start", "period_end", "unit", "unit_key", "unsur", "mutu", "survey", "source"):
        col = df[c]
        if not (pd.api.types.is_string_dtype(col) and not isinstance(col.dtype, type(np.dtype(object)))
                and not col.isna().any()):
            df[c] = col.astype("object").where(col.notna(), "").astype(str)
    return df


def _f(v):
    v = None if v is None else float(v)
    return None if v is None or v != v else v


def unit_rows(data: pd.DataFrame, *, unit: str, period: str, period_start="", period_end="", survey=None,
              population=None) -> pd.DataFrame:
    """One unit's history rows for one period, from its canonical answers.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`; the IKM row first (``unsur`` = :data:`IKM_ROW`, ``se``
        in IKM points, from the IKM's analytic interval), then one row per
        unsur (``nrr``, ``se`` of the NRR from :func:`skmkit.compare.unsur_se`,
        ``n`` = filled answers).
    """
    survey = load_survey(survey)
    it = ikm_table(data, survey=survey, population=population).iloc[0]
    ut = unsur_table(data, survey=survey)
    ses = unsur_se(data, survey=survey, population=population)
    base = {"schema_version": SCHEMA_VERSION, "period": period, "period_start": period_start or "",
            "period_end": period_end or "", "unit": unit, "unit_key": name_key(unit), "survey": survey.id,
            "source": "kit"}
    moe = _f(it["moe"])
    rows = [{**base, "unsur": IKM_ROW, "n": int(it["respondents"]), "nrr": _f(it["ikm_raw"]), "ikm": _f(it["ikm"]),
             "se": None if moe is None else moe / Z95, "ci_low": _f(it["ci_low"]), "ci_high": _f(it["ci_high"]),
             "mutu": it["mutu"]}]
    for r in ut.to_dict("records"):
        nrr = _f(r["nrr"])
        if nrr is None:
            continue
        se = ses.get(r["unsur"])
        rows.append({**base, "unsur": r["unsur"], "n": int(r["filled"]), "nrr": nrr,
                     "ikm": _f(r["converted"]), "se": se,
                     "ci_low": None if se is None else nrr - Z95 * se,
                     "ci_high": None if se is None else nrr + Z95 * se, "mutu": r["mutu"]})
    return _frame(rows)


def empty_history() -> pd.DataFrame:
    """A history with no period yet (the columns only)."""
    return _frame([])


def _upgrade(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    if "schema_version" not in df.columns or "unit_key" not in df.columns:
        raise ParameterError(
            f"{path.name}: bukan riwayat hasil SKM skmkit (kolom schema_version/unit_key tidak ada). Perbaikan: "
            f"pindahkan berkas ini, lalu tambahkan hasil lama dengan 'skmkit riwayat-impor'.")
    versions = sorted(set(pd.to_numeric(df["schema_version"], errors="coerce").dropna().astype(int)))
    newer = [v for v in versions if v > SCHEMA_VERSION]
    if newer:
        raise ParameterError(
            f"{path.name}: riwayat ditulis skmkit yang lebih baru (skema {newer[0]}, versi ini membaca sampai "
            f"{SCHEMA_VERSION}). Perbaikan: perbarui skmkit (pip install -U skmkit), atau pakai folder keluaran lain.")
    # Version 1 is the first; an older layout would be upgraded here, column by column.
    for c in COLUMNS:
        if c not in df.columns:
            df[c] = None
    return _frame(df)


def read_history(folder) -> pd.DataFrame:
    """The history kept in an output folder, or a history Parquet file (the CSV is its copy for spreadsheets).

    An absent history is an empty table; a history written by a newer skmkit is
    refused with what to do.
    """
    path = Path(folder)
    path = path if path.suffix == ".parquet" else path / f"{HISTORY_NAME}.parquet"
    if not path.is_file():
        return _frame([])
    return _upgrade(pd.read_parquet(path), path)


def merge_history(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """``old`` with ``new`` added: the (period, unit) pairs in ``new`` replace the same pairs in ``old``.

    Sorted by period start, period, unit key and the survey's unsur order (IKM first), so the same
    contents give the same bytes.
    """
    pairs = set(zip(new["period"], new["unit_key"]))
    keep = old[[p not in pairs for p in zip(old["period"], old["unit_key"])]] if len(old) else old
    both = pd.concat([d for d in (keep, new) if len(d)], ignore_index=True) if len(keep) or len(new) else old
    both = _frame(both)
    order = both["unsur"].map(lambda u: "" if u == IKM_ROW else u)
    pos = {u: i for i, u in enumerate(dict.fromkeys(new["unsur"].tolist() + old["unsur"].tolist()))}
    both["_o"] = order.map(lambda u: -1 if u == "" else pos.get(u, 999))
    both = both.sort_values(["period_start", "period", "unit_key", "_o"], kind="stable").drop(columns="_o")
    return both.reset_index(drop=True)


def write_history(folder, history: pd.DataFrame) -> list[Path]:
    """Write ``riwayat_skm.parquet`` and ``riwayat_skm.csv`` (deterministic bytes); return their paths."""
    folder = Path(folder)
    history = _frame(history)
    buf = io.BytesIO()
    history.to_parquet(buf, index=False, engine="pyarrow", compression="zstd")
    pq, csv = folder / f"{HISTORY_NAME}.parquet", folder / f"{HISTORY_NAME}.csv"
    for path, blob in ((pq, buf.getvalue()),
                       (csv, csv_safe_frame(history).to_csv(index=False, lineterminator="\n").encode("utf-8"))):
        if not path.is_file() or path.read_bytes() != blob:
            write_atomic(path, blob)
    return [pq, csv]


def earlier_periods(history: pd.DataFrame, unit: str, *, period: str, period_start: str = "") -> list[dict]:
    """The unit's periods before this one, oldest first, as the report's ``history`` parameter.

    Each: ``period``, ``period_start``, ``ikm``, ``se`` (None: published IKM only), ``n``, ``mutu`` and
    ``unsur`` (key -> ``{nrr, se, n}``). Periods starting on or after ``period_start`` are left out.
    """
    if history is None or not len(history):
        return []
    h = history[(history["unit_key"] == name_key(unit)) & (history["period"] != period)]
    if period_start:
        h = h[(h["period_start"] == "") | (h["period_start"] < period_start)]
    out = []
    for (start, name), g in h.groupby(["period_start", "period"], sort=True):
        top = g[g["unsur"] == IKM_ROW]
        if not len(top):
            continue
        t = top.iloc[0]
        out.append({"period": name, "period_start": start, "ikm": _f(t["ikm"]), "se": _f(t["se"]),
                    "n": None if pd.isna(t["n"]) else int(t["n"]), "mutu": t["mutu"],
                    "unsur": {r["unsur"]: {"nrr": _f(r["nrr"]), "se": _f(r["se"]),
                                           "n": None if pd.isna(r["n"]) else int(r["n"])}
                              for r in g[g["unsur"] != IKM_ROW].to_dict("records")}})
    return out



def renamed_period(history: pd.DataFrame, *, period: str, period_start: str, period_end: str) -> str | None:
    """The name the history already gives these dates when it is not ``period``, else None.

    The history keys a period by its name: the same semester typed "Semester 1 2026" after
    "Semester I 2026" would become a second period with the same results, in the trend, the recap
    over periods and the site. Any unit's rows count: the period is the institution's.
    """
    if not period_start or not period_end or history is None or not len(history):
        return None
    same = history[(history["period_start"] == period_start) & (history["period_end"] == period_end)
                   & (history["period"] != period)]
    return str(same["period"].iloc[0]) if len(same) else None

#: Column headings accepted by :func:`import_results` (lower case) -> history column.
_IMPORT_COLUMNS = {"periode": "period", "period": "period", "awal": "period_start", "period_start": "period_start",
                   "akhir": "period_end", "period_end": "period_end", "unit": "unit", "ikm": "ikm",
                   "responden": "n", "n": "n"}


def import_results(table, *, out="outputs", survey=None) -> pd.DataFrame:
    """Add results from before the kit (typed from old reports) to the history in ``out``.

    Parameters
    ----------
    table : str or Path
        A CSV or XLSX with one row per period and unit: ``periode``, ``awal``
        (first day, YYYY-MM-DD: orders the periods), ``unit``, ``ikm``;
        optional ``akhir``, ``responden`` and one column per unsur key
        (NRR 1-4, where the old report gives it).
    out : str or Path
        The batch output folder whose history is extended.
    survey : optional
        The survey definition (unsur keys, scale, bands).

    Returns
    -------
    pandas.DataFrame
        The history after the import. The imported periods have no SE:
        changes against them are "tidak dapat diuji".
    """
    survey = load_survey(survey)
    path = Path(table)
    if not path.is_file():
        raise ParameterError(f"{table}: berkas tidak ada. Perbaikan: beri path tabel hasil lama (CSV/XLSX).")
    raw = pd.read_excel(path, dtype=str) if path.suffix.lower() in (".xlsx", ".xls") else \
        pd.read_csv(path, dtype=str, keep_default_na=False)
    cols = {c: _IMPORT_COLUMNS.get(str(c).strip().lower(), str(c).strip()) for c in raw.columns}
    df = raw.rename(columns=cols).fillna("")
    missing = [c for c in ("period", "period_start", "unit", "ikm") if c not in df.columns]
    if missing:
        raise ParameterError(f"{path.name}: kolom {', '.join(missing)} tidak ada (perlu: periode, awal, unit, ikm). "
                             f"Perbaikan: tambahkan kolomnya di baris judul.")
    lo, hi = survey.scale_min * survey.conversion, survey.scale_max * survey.conversion
    rows = []
    for i, r in enumerate(df.to_dict("records"), start=2):
        def value(col, low, high):
            text = str(r.get(col, "")).strip().replace(",", ".")
            if text == "":
                return None
            try:
                v = float(text)
            except ValueError:
                v = None
            if v is None or not low <= v <= high:
                raise ParameterError(f"{path.name} baris {i}, kolom {col}: '{r.get(col)}' bukan angka {low:g}-{high:g}. "
                                     f"Perbaikan: tulis nilai dari laporan lama, mis. {(low + high) / 2:g}.")
            return v
        unit, period, start = str(r["unit"]).strip(), str(r["period"]).strip(), str(r["period_start"]).strip()
        if not unit or not period:
            raise ParameterError(f"{path.name} baris {i}: unit atau periode kosong. Perbaikan: isi keduanya.")
        try:
            start = pd.Timestamp(start).date().isoformat()
        except ValueError:
            raise ParameterError(f"{path.name} baris {i}, kolom awal: '{start}' bukan tanggal. Perbaikan: tulis "
                                 f"YYYY-MM-DD, mis. 2025-07-01.") from None
        ikm = value("ikm", lo, hi)
        if ikm is None:
            raise ParameterError(f"{path.name} baris {i}, kolom ikm: kosong. Perbaikan: tulis IKM dari laporan lama.")
        n = value("n", 1, 1e9) if "n" in df.columns else None
        base = {"schema_version": SCHEMA_VERSION, "period": period, "period_start": start,
                "period_end": str(r.get("period_end", "")).strip(), "unit": unit, "unit_key": name_key(unit),
                "survey": survey.id, "source": "impor", "se": None, "ci_low": None, "ci_high": None}
        rows.append({**base, "unsur": IKM_ROW, "n": None if n is None else int(n), "ikm": ikm,
                     "nrr": ikm / survey.conversion, "mutu": survey.band(ikm).mutu})
        for k in survey.keys:
            if k in df.columns:
                nrr = value(k, survey.scale_min, survey.scale_max)
                if nrr is not None:
                    rows.append({**base, "unsur": k, "n": None, "nrr": nrr, "ikm": nrr * survey.conversion,
                                 "mutu": survey.band(nrr * survey.conversion).mutu})
    new = _frame(rows)
    names = _known_names(out)
    new["unit"] = [names.get(k, u) for k, u in zip(new["unit_key"], new["unit"])]
    merged = merge_history(read_history(out), new)
    Path(out).mkdir(parents=True, exist_ok=True)
    write_history(out, merged)
    return merged


def _known_names(out) -> dict:
    """unit_key -> the name the kit's own rows use, so an imported 'DINAS SOSIAL ' shows as 'Dinas Sosial'."""
    h = read_history(out)
    h = h[h["source"] == "kit"]
    return dict(zip(h["unit_key"], h["unit"]))


def update_history(out, frames) -> pd.DataFrame:
    """Add one batch's units to the history in ``out`` and write it.

    ``frames``: an iterable of ``(data, params)``: a unit's canonical answers and its
    checked parameters (``unit``, ``period``, ``period_start``, ``period_end``, ``population``,
    ``survey``, ``legacy_weight``). Units without a period name are keyed by their dates.
    """
    parts = []
    for data, p in frames:
        survey = load_survey(p.get("survey"), legacy_weight=p.get("legacy_weight"))
        period = p.get("period") or f"{p.get('period_start') or ''} s.d. {p.get('period_end') or ''}".strip()
        parts.append(unit_rows(data, unit=p["unit"], period=period, period_start=p.get("period_start") or "",
                               period_end=p.get("period_end") or "", survey=survey, population=p.get("population")))
    history = read_history(out)
    if parts:
        history = merge_history(history, pd.concat(parts, ignore_index=True))
        write_history(out, history)
    return history


def period_table(history: pd.DataFrame) -> pd.DataFrame:
    """Units by periods: IKM, mutu and the change from the period before (the recap over periods).

    Returns
    -------
    pandas.DataFrame
        One row per unit and period (periods oldest first): ``unit``, ``period``, ``ikm``, ``mutu``,
        ``n``, ``diff`` and ``verdict`` (from :func:`skmkit.compare.change`, against the unit's
        period before; "" for its first).
    """
    top = history[history["unsur"] == IKM_ROW].sort_values(["unit_key", "period_start", "period"], kind="stable")
    first = top["unit_key"].ne(top["unit_key"].shift())
    prev_ikm, prev_se = top["ikm"].shift(), top["se"].shift()
    out = pd.DataFrame({"unit": top["unit"], "unit_key": top["unit_key"], "period": top["period"],
                        "period_start": top["period_start"], "ikm": top["ikm"], "mutu": top["mutu"],
                        "n": top["n"].astype("float64"),
                        "diff": np.where(first, np.nan, top["ikm"] - prev_ikm)})
    # the same rule as skmkit.compare.change, row by row only where both SEs exist
    verdicts = [("" if f else change(pi, ps, i, se)["verdict"])
                for f, pi, ps, i, se in zip(first, prev_ikm, prev_se, top["ikm"], top["se"])]
    out["verdict"] = verdicts
    out["n"] = [None if v != v else int(v) for v in out["n"]]
    return out.reset_index(drop=True)


def institution_trend(history: pd.DataFrame, *, survey=None) -> pd.DataFrame:
    """The institution's IKM per period as the mean of its units' IKM (each unit counted once).

    The method doc allows pooling respondents or averaging units' IKM; a history keeps units' results,
    not answers, and a period typed from old reports has no respondent counts, so the mean of the
    units' IKM is the one computed for every period alike. Returns ``period``, ``period_start``,
    ``ikm`` (mean), ``units`` (how many units it averages), ``mutu``.
    """
    top = history[history["unsur"] == IKM_ROW]
    rows = []
    for (start, period), g in top.groupby(["period_start", "period"], sort=True):
        rows.append({"period": period, "period_start": start, "ikm": float(g["ikm"].mean()), "units": len(g)})
    out = pd.DataFrame(rows, columns=["period", "period_start", "ikm", "units"])
    survey = load_survey(survey)
    out["mutu"] = [survey.band(v).mutu for v in out["ikm"]] if len(out) else []
    return out
