"""The recap over periods: units by periods, the institution's IKM over time, who rose or fell.

Rendered from the results history (:mod:`skmkit.history`) in
``rekap_skm.ipynb``; each change is judged by
:func:`skmkit.compare.change` (the method doc's "Comparing periods"), and the
share of the last RTL carried out per unit comes from the units list the batch
writes (``tindak_lanjut``).
"""
from __future__ import annotations

import pandas as pd

from . import compare
from .fmt import number
from .history import empty_history, institution_trend, period_table, read_history
from .html import Html, escape, table
from .survey import load_survey, name_key
from .theme import mutu_class

__all__ = ["load_history", "periods_html", "follow_up_html"]


def load_history(history) -> pd.DataFrame:
    """The history given to the recap: a DataFrame, an output folder or a history Parquet file (None: empty)."""
    if isinstance(history, pd.DataFrame):
        return history
    return read_history(history) if history is not None else empty_history()


def _mutu(m, survey) -> str:
    """A mutu letter as the stylesheet colours it: by the band's rank (:func:`skmkit.theme.mutu_class`)."""
    return (f'<span class="mutu {mutu_class(m, survey)}">{escape(m)}</span>' if isinstance(m, str) and m
            else "\u2013")


def periods_html(history, *, survey=None) -> Html:
    """Units by periods (IKM, mutu and an arrow for each judged change), the institution's mean IKM
    per period, and the units that rose or fell beyond their uncertainty in the last period."""
    survey = load_survey(survey)
    h = load_history(history)
    t = period_table(h)
    if t.empty:
        return Html("<p>Riwayat hasil belum ada: rekap antarperiode tersedia setelah batch berikutnya.</p>")
    periods = (t[["period_start", "period"]].drop_duplicates().sort_values(["period_start", "period"], kind="stable")
               ["period"].tolist())
    rows = []
    for key, g in t.groupby("unit_key", sort=False):
        g = g.set_index("period")
        cells = [escape(g["unit"].iloc[-1])]
        for p in periods:
            if p not in g.index:
                cells.append("\u2013")
                continue
            r = g.loc[p]
            arrow = compare.ARROWS.get(r["verdict"], "") if r["verdict"] else ""
            cells.append(f"{number(r['ikm'], 2)} {_mutu(r['mutu'], survey)} {arrow}".strip())
        rows.append((g["unit"].iloc[-1], cells))
    rows.sort(key=lambda x: x[0])
    parts = [f"<p>IKM dan mutu tiap unit per periode ({number(len(periods))} periode). \u25b2 naik dan \u25bc turun "
             "melebihi ketidakpastian (selang kepercayaan 95% selisihnya tidak memuat nol); \u25cf tidak berubah "
             "berarti; \u2013 tidak dapat diuji (periode yang hanya diketahui IKM-nya).</p>",
             table(["Unit layanan"] + [escape(p) for p in periods], [c for _, c in rows],
                   caption="IKM unit layanan per periode", numeric=tuple(range(1, len(periods) + 1)), keep=False)]
    trend = institution_trend(h, survey=survey)
    parts.append(table(["Periode", "Rata-rata IKM unit", "Mutu", "Unit"],
                       [[escape(r.period), number(r.ikm, 2), _mutu(r.mutu, survey), number(r.units)]
                        for r in trend.itertuples(index=False)],
                       caption="IKM instansi per periode (rata-rata IKM unit)", numeric=(1, 3), keep=False))
    if len(periods) > 1:
        last = t[t["period"] == periods[-1]]
        for verdict, word in ((compare.UP, "naik"), (compare.DOWN, "turun")):
            names = sorted(last[last["verdict"] == verdict]["unit"])
            parts.append(f"<p>IKM {word} melebihi ketidakpastian pada {escape(periods[-1])}: "
                         + (escape(", ".join(names)) if names else "tidak ada unit") + ".</p>")
    return Html("".join(parts))


def follow_up_html(units) -> Html:
    """The share of the last RTL carried out per unit (from the batch's units list, column ``tindak_lanjut``)."""
    listed = units if isinstance(units, pd.DataFrame) else pd.read_csv(units, dtype=str, keep_default_na=False)
    if "tindak_lanjut" not in listed.columns:
        return Html("")
    rows = [[escape(r["unit"]), escape(r["tindak_lanjut"] or "belum dilaporkan")]
            for r in sorted(listed.to_dict("records"), key=lambda r: name_key(r["unit"]))]
    return Html(table(["Unit layanan", "Tindak lanjut RTL periode sebelumnya"], rows,
                      caption="Tindak lanjut RTL periode sebelumnya per unit", keep=False))
