"""The batch and the results history: earlier periods in, this period's results out, the site written.

Two hooks in :func:`skmkit.batch.batch`:

- :func:`with_history` (before planning) reads the history of the output
  folder, adds this batch's results to it in memory (they come from the
  driver's canonical rows, not from the notebooks) and hands each unit its
  earlier periods through the report's ``history`` parameter;
  the history with this batch is also written to ``_batch/data/`` for the
  recap;
- :func:`after_units` (after the units ran) writes the history (units whose
  report failed are left out) and the results site
  (:func:`skmkit.site.write_site`).
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from .. import compare
from .. import history as hist
from .. import schema
from ..fmt import period_text
from ..periods import parse_dates
from ..site import write_site
from ..survey import load_survey, name_key

__all__ = ["with_history", "after_units", "unit_history_params", "follow_up_text"]

_KEYS = ("period", "period_start", "period_end", "population", "survey", "legacy_weight")


def unit_history_params(ud) -> dict:
    """The checked parameters a unit's history rows need (unit, period, dates, population, survey).

    Without declared dates the period runs over the answer dates, as the report says ("menurut tanggal
    jawaban").
    """
    p = schema.check({k: ud.spec.params.get(k) for k in _KEYS}, where=ud.spec.id)
    if not p["period_start"] and ud.frame is not None and "tanggal" in ud.frame.columns:
        dates = parse_dates(ud.frame["tanggal"]).dropna()
        if len(dates):
            p["period_start"], p["period_end"] = dates.min().date().isoformat(), dates.max().date().isoformat()
    return {**p, "unit": ud.spec.unit}


def _rows(prepared) -> pd.DataFrame:
    parts = []
    for ud in prepared:
        if ud.error or ud.frame is None:
            continue
        p = unit_history_params(ud)
        try:
            survey = load_survey(p["survey"], legacy_weight=p["legacy_weight"])
            parts.append(hist.unit_rows(ud.frame, unit=p["unit"], period=_period(p), period_start=p["period_start"] or "",
                                        period_end=p["period_end"] or "", survey=survey, population=p["population"]))
        except Exception:  # noqa: BLE001  the unit's notebook reports the problem
            continue
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=hist.COLUMNS)


def _period(p) -> str:
    return p["period"] or f"{p['period_start'] or ''} s.d. {p['period_end'] or ''}".strip()


def with_history(prepared, out, declared) -> tuple[list, pd.DataFrame, pd.DataFrame]:
    """Hand each unit its earlier periods; return ``(prepared, history before, history with this batch)``.

    A notebook that does not declare ``history`` gets nothing new.
    """
    before = hist.read_history(out)
    prepared = [_refuse_renamed_period(ud, before) for ud in prepared]
    now = hist.merge_history(before, _rows(prepared))
    hist.write_history(Path(out) / "_batch" / "data", now)  # what the recap shows (the driver's view)
    if "history" not in declared:
        return prepared, before, now
    out_units = []
    for ud in prepared:
        if ud.error:
            out_units.append(ud)
            continue
        p = unit_history_params(ud)
        earlier = hist.earlier_periods(before, ud.spec.unit, period=_period(p), period_start=p["period_start"] or "")
        if earlier:
            ud = dataclasses.replace(ud, spec=dataclasses.replace(ud.spec, params={**ud.spec.params,
                                                                                  "history": earlier}))
        out_units.append(ud)
    return out_units, before, now



def _refuse_renamed_period(ud, before: pd.DataFrame):
    """The unit fails (the others go on) when its period's dates are already in the history under another name."""
    if ud.error:
        return ud
    try:
        p = unit_history_params(ud)
    except Exception:  # noqa: BLE001  a bad parameter is the unit's notebook's to report
        return ud
    old = hist.renamed_period(before, period=_period(p), period_start=p["period_start"] or "",
                              period_end=p["period_end"] or "")
    if old is None:
        return ud
    return dataclasses.replace(ud, error=(
        f"periode '{_period(p)}' ({period_text(p['period_start'], p['period_end'])}) sudah ada di riwayat hasil "
        f"folder ini dengan nama '{old}'. Perbaikan: tulis period: {old} (satu periode, satu nama: tren dan rekap "
        "antarperiode memakainya); bila nama lama yang keliru, pakai folder keluaran baru."))

def after_units(result, prepared, out, before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Write the history (without units whose report failed) and the results site."""
    failed = {name_key(u["unit"]) for u in result.units if u["status"] == "failed"}
    periods = {_period(unit_history_params(ud)) for ud in prepared if not ud.error}
    drop = now["unit_key"].isin(failed) & now["period"].isin(periods)
    history = now[~drop]
    # a failed unit keeps what the history had for it before this batch
    kept = before[before["unit_key"].isin(failed) & before["period"].isin(periods)]
    history = hist.merge_history(history, kept) if len(kept) else history
    if len(history):
        hist.write_history(out, history)
    write_site(out, result=result, history=history)
    return history


def follow_up_text(ud) -> str:
    """The share of the unit's last RTL carried out (the method doc's rule), for the recap's units list."""
    try:
        return compare.follow_up_share(schema.load_entries(ud.spec.params.get("follow_up"), "follow_up"))["text"]
    except Exception:  # noqa: BLE001  the unit's notebook reports a bad follow_up file
        return ""
