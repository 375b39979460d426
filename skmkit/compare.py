"""Comparing periods and the follow-up of the last RTL: the method doc's rules, once.

- :func:`change` judges one change of an IKM or an NRR between two periods:
  *naik* / *turun* only when the 95 % interval of the difference excludes 0,
  the periods taken as independent samples (SE of the difference = the square
  root of the sum of the squared SEs); otherwise *tidak berubah berarti*; a
  period without a standard error (known only by its published IKM) gives
  *tidak dapat diuji*.
- :func:`unsur_se` gives each unsur's standard error of the NRR (what
  :func:`change` needs for the per-unsur comparison).
- :func:`follow_up_share` gives the share of the last RTL carried out:
  selesai / all items x 100, the berjalan count beside it; an RTL with no
  status given is "belum dilaporkan", never 0 %.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .fmt import number
from .indices import Z95
from .schema import FOLLOW_UP_STATUS
from .survey import load_survey

__all__ = ["change", "UP", "DOWN", "SAME", "UNTESTABLE", "ARROWS", "unsur_se", "FOLLOW_UP_STATUS", "trend_points", "unsur_changes",
           "follow_up_share"]

UP, DOWN, SAME, UNTESTABLE = "naik", "turun", "tidak berubah berarti", "tidak dapat diuji"
#: The arrow shown beside each verdict (text, so it prints and reads without colour).
ARROWS = {UP: "\u25b2", DOWN: "\u25bc", SAME: "\u25cf", UNTESTABLE: "\u2013"}


def _number(v) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def change(before, se_before, after, se_after) -> dict:
    """The change from ``before`` to ``after`` and the method doc's verdict.

    Parameters
    ----------
    before, after : float
        The two values (IKM points, or NRR).
    se_before, se_after : float or None
        Their standard errors, same unit; ``None`` (or NaN) for a period known
        only by its published value.

    Returns
    -------
    dict
        ``diff`` (after - before, unrounded), ``se`` (of the difference, or
        None), ``low``/``high`` (its 95 % interval, or None) and ``verdict``:
        one of :data:`UP`, :data:`DOWN`, :data:`SAME`, :data:`UNTESTABLE`.

    Examples
    --------
    >>> change(80.0, 1.0, 84.0, 1.0)["verdict"]   # 4 > 1.96 x sqrt(2) = 2.77
    'naik'
    >>> change(80.0, 1.0, 82.0, 1.0)["verdict"]
    'tidak berubah berarti'
    >>> change(80.0, None, 90.0, 1.0)["verdict"]
    'tidak dapat diuji'
    """
    b, a = _number(before), _number(after)
    sb, sa = _number(se_before), _number(se_after)
    if a is None or b is None:
        return {"diff": None, "se": None, "low": None, "high": None, "verdict": UNTESTABLE}
    diff = a - b
    if sb is None or sa is None:
        return {"diff": diff, "se": None, "low": None, "high": None, "verdict": UNTESTABLE}
    se = math.sqrt(sb * sb + sa * sa)
    low, high = diff - Z95 * se, diff + Z95 * se
    verdict = UP if low > 0 else DOWN if high < 0 else SAME
    return {"diff": diff, "se": se, "low": low, "high": high, "verdict": verdict}


def unsur_se(data: pd.DataFrame, *, survey=None, population=None) -> dict:
    """Each unsur's standard error of the NRR (answers 1-4 scale), over its filled answers.

    ``sd / sqrt(n)`` with the sample standard deviation (n - 1) of the filled
    answers; with ``population`` N the finite-population correction
    ``(N - n) / (N - 1)`` as the IKM's interval uses. An unsur with fewer than
    two answers has no SE (None).

    Examples
    --------
    >>> import pandas as pd
    >>> from skmkit import load_survey
    >>> s = load_survey()
    >>> df = pd.DataFrame({k: [3, 4, 3, 4] for k in s.keys})
    >>> round(unsur_se(df, survey=s)[s.keys[0]], 4)   # sd 0.5774 / sqrt(4)
    0.2887
    """
    survey = load_survey(survey)
    out = {}
    for k in survey.keys:
        x = pd.to_numeric(data[k], errors="coerce").dropna().to_numpy(float) if k in data else np.array([])
        n = len(x)
        if n < 2:
            out[k] = None
            continue
        var = x.var(ddof=1) / n
        if population and population > 1:
            var *= max(0.0, (population - n) / (population - 1))
        out[k] = math.sqrt(var)
    return out


def follow_up_share(items) -> dict:
    """The share of the last RTL carried out, as PEKPPP asks and the method doc rules.

    Parameters
    ----------
    items : list of dict
        The last RTL's items, each with ``status`` (selesai / berjalan / belum,
        any case) or none.

    Returns
    -------
    dict
        ``items`` (all), ``selesai``, ``berjalan``, ``belum``, ``reported``
        (items with a status), ``share`` (selesai / items x 100, or None when
        no status is given) and ``text`` (Indonesian, e.g. "50,0% selesai
        (2 dari 4 butir; 1 berjalan)" or "belum dilaporkan").

    Examples
    --------
    >>> follow_up_share([{"status": "selesai"}, {"status": "berjalan"}])["share"]
    50.0
    >>> follow_up_share([{"program": "antrian"}])["text"]
    'belum dilaporkan'
    """
    items = list(items or [])
    counts = {s: 0 for s in FOLLOW_UP_STATUS}
    for it in items:
        s = str(it.get("status") or "").strip().lower()
        if s in counts:
            counts[s] += 1
    reported = sum(counts.values())
    if not items or reported == 0:
        return {"items": len(items), **counts, "reported": reported, "share": None, "text": "belum dilaporkan"}
    share = counts["selesai"] / len(items) * 100
    text = (f"{number(share, 1)}% selesai ({number(counts['selesai'])} dari {number(len(items))} butir; "
            f"{number(counts['berjalan'])} berjalan)")
    return {"items": len(items), **counts, "reported": reported, "share": share, "text": text}


def trend_points(*, typed=(), history=(), current=None) -> list[dict]:
    """The periods a report's trend shows, oldest first, each judged against the one before.

    ``typed``: the ``previous`` parameter's periods (typed by hand, older than the
    history); ``history``: the history's earlier periods
    (:func:`skmkit.history.earlier_periods`; a typed period of the same name gives
    way to it); ``current``: this period. Each point: ``period``, ``ikm``, ``se``
    (None: published IKM only), ``n``, ``unsur`` and ``change`` (:func:`change`
    against the point before; None for the first).
    """
    names = {p["period"] for p in history}
    points = [dict(p) for p in typed if p["period"] not in names] + [dict(p) for p in history]
    if current is not None and points:
        points.append(dict(current))
    elif current is not None:
        return []
    for prev, p in zip([None] + points[:-1], points):
        p.setdefault("se", None)
        p.setdefault("unsur", {})
        p["change"] = None if prev is None else change(prev["ikm"], prev.get("se"), p["ikm"], p.get("se"))
    return points


def unsur_changes(before: dict | None, after: dict, *, survey=None) -> list[dict]:
    """Each unsur's NRR change between two trend points (:func:`trend_points`), in the survey's order.

    Returns one dict per unsur of ``after``: ``key``, ``nama``, ``before`` and ``after`` (NRR, or None),
    and the :func:`change` fields; an unsur the earlier period does not give (or gives without an SE)
    is "tidak dapat diuji".
    """
    if before is None:
        return []
    survey = load_survey(survey)
    out = []
    for k in survey.keys:
        a = (after.get("unsur") or {}).get(k)
        if not a or a.get("nrr") is None:
            continue
        b = (before.get("unsur") or {}).get(k) or {}
        c = change(b.get("nrr"), b.get("se"), a["nrr"], a.get("se"))
        out.append({"key": k, "nama": survey.names[k], "before": b.get("nrr"), "after": a["nrr"], **c})
    return out
