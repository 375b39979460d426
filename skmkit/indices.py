"""The index: NRR per unsur, weighted NRR, converted value, IKM, mutu, intervals.

Every function takes the canonical table (:func:`skmkit.read_responses`) and
returns a new tidy DataFrame; nothing is rounded here (round only for display).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .survey import SurveyDefinition, load_survey

__all__ = ["unsur_table", "ikm_table", "recap", "summarize", "Z95"]

Z95 = 1.959963984540054
_MISSING_GROUP = "(kosong)"


def _by(by) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _prepare(data: pd.DataFrame, survey, by):
    survey = load_survey(survey)
    keys = [k for k in survey.keys if k in data.columns]
    missing = [k for k in survey.keys if k not in data.columns]
    if missing:
        raise KeyError(f"kolom unsur tidak ada di data: {missing}")
    by = _by(by)
    for b in by:
        if b not in data.columns:
            raise KeyError(f"kolom pengelompokan '{b}' tidak ada; kolom yang ada: {list(data.columns)}")
    scores = data[keys].astype("float64")
    answered = scores.notna().any(axis=1)
    frame = scores[answered]
    if by:
        groups = data.loc[answered, by].astype(object).where(data.loc[answered, by].notna(), _MISSING_GROUP)
        frame = pd.concat([groups, frame], axis=1)
    return survey, keys, by, frame


def _grouped(frame, by):
    return frame.groupby(by, sort=True, observed=True) if by else frame.groupby(np.zeros(len(frame), dtype=int))


def unsur_table(data: pd.DataFrame, *, survey=None, by=None) -> pd.DataFrame:
    """NRR, weighted NRR, converted value and mutu per unsur (per group).

    Parameters
    ----------
    data : pandas.DataFrame
        The canonical table (unsur keys as score columns).
    survey : SurveyDefinition or path, optional
        Default PermenPANRB 14/2017.
    by : str or list of str, optional
        Grouping column(s): ``"unit"``, ``"layanan"``, a profile field.

    Returns
    -------
    pandas.DataFrame
        Columns: the ``by`` columns, ``unsur``, ``nama``, ``total``,
        ``filled``, ``nrr``, ``nrr_weighted``, ``converted``, ``mutu``,
        ``kinerja``; unsur in the survey's display order.

    Examples
    --------
    >>> from skmkit import read_responses, sample_data_path
    >>> t = unsur_table(read_responses(sample_data_path()))
    >>> list(t.columns[:4])
    ['unsur', 'nama', 'total', 'filled']
    """
    survey, keys, by, frame = _prepare(data, survey, by)
    g = _grouped(frame, by)
    totals = g[keys].sum()
    filled = g[keys].count()
    nrr = totals / filled.where(filled > 0)
    long = pd.DataFrame({
        "total": totals.stack(future_stack=True),
        "filled": filled.stack(future_stack=True),
        "nrr": nrr.stack(future_stack=True),
    })
    long.index = long.index.set_names([*by, "unsur"] if by else ["_g", "unsur"])
    long = long.reset_index()
    if not by:
        long = long.drop(columns="_g")
    w = survey.weight()
    names = survey.names
    long.insert(len(by) + 1, "nama", long["unsur"].map(names))
    long["filled"] = long["filled"].astype("int64")
    long["nrr_weighted"] = long["nrr"] * w
    long["converted"] = long["nrr"] * survey.conversion
    bands = [survey.band(v) if v == v else None for v in long["converted"]]
    long["mutu"] = [b.mutu if b else None for b in bands]
    long["kinerja"] = [b.kinerja if b else None for b in bands]
    order = {k: i for i, k in enumerate(survey.keys)}
    long = long.sort_values([*by, "unsur"], key=lambda s: s.map(order) if s.name == "unsur" else s,
                            kind="stable").reset_index(drop=True)
    return long


def ikm_table(data: pd.DataFrame, *, survey=None, by=None, ci: str | None = "analytic",
              population=None, n_boot: int = 1000, seed: int = 2017) -> pd.DataFrame:
    """IKM, mutu, kinerja and a 95% interval per group.

    ``IKM = 25 x sum_u NRR_u x w`` with ``w = 1/9`` exactly (or the legacy
    weight of the survey definition). A blank is not a zero: each NRR divides
    by that unsur's filled answers.

    Parameters
    ----------
    data : pandas.DataFrame
        The canonical table.
    survey : SurveyDefinition or path, optional
    by : str or list of str, optional
        Grouping column(s).
    ci : {"analytic", "bootstrap", None}
        ``"analytic"``: normal interval with the delta-method (linearised)
        variance of the ratio means, which handles blanks; ``"bootstrap"``:
        percentile interval over ``n_boot`` resamples of respondents with a
        fixed ``seed``; ``None``: no interval.
    population : int, dict or Series, optional
        Users in the period (N); with it the variance gets the finite-population
        correction ``(N - n) / (N - 1)``. A dict maps group value -> N.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``respondents``, ``ikm_raw`` (1-4), ``ikm``
        (25-100), ``mutu``, ``kinerja``, ``ci_low``, ``ci_high``, ``moe``
        (half-width, IKM points), ``ci_method``, ``population``.

    Examples
    --------
    >>> from skmkit import read_responses, sample_data_path
    >>> t = ikm_table(read_responses(sample_data_path()), by="unit")
    >>> bool(t["ikm"].between(25, 100).all())
    True
    """
    survey, keys, by, frame = _prepare(data, survey, by)
    w = survey.weight()
    conv = survey.conversion
    g = _grouped(frame, by)
    filled = g[keys].count()
    nrr = g[keys].sum() / filled.where(filled > 0)
    out = pd.DataFrame(index=nrr.index)
    out["respondents"] = g.size().astype("int64")
    out["ikm_raw"] = (nrr * w).sum(axis=1, min_count=1)
    out["ikm"] = out["ikm_raw"] * conv
    bands = [survey.band(v) for v in out["ikm"]]
    out["mutu"] = [b.mutu for b in bands]
    out["kinerja"] = [b.kinerja for b in bands]

    pops = _populations(population, out.index, by)
    out["population"] = pops
    if ci == "analytic":
        x = frame[keys]
        gx = _grouped(frame, by)[keys]
        dev = (x - gx.transform("mean")) / gx.transform("count")
        z = dev.fillna(0.0).sum(axis=1) * w
        key = [frame[b] for b in by] if by else np.zeros(len(frame), dtype=int)
        ss = (z * z).groupby(key, sort=True, observed=True).sum()
        ss.index = out.index
        n = out["respondents"].astype(float)
        var = ss * n / (n - 1).where(n > 1)
        fpc = ((pops - n) / (pops - 1)).where(pops.notna() & (pops > 1), 1.0).clip(lower=0.0)
        se = np.sqrt(var * fpc) * conv
        half = Z95 * se
        out["ci_low"] = (out["ikm"] - half).clip(lower=survey.scale_min * conv)
        out["ci_high"] = (out["ikm"] + half).clip(upper=survey.scale_max * conv)
        out["moe"] = half
        out["ci_method"] = "analitik (delta, normal 95%)" + (" + koreksi populasi terbatas" if pops.notna().any() else "")
    elif ci == "bootstrap":
        lo, hi = [], []
        for _, part in _grouped(frame, by):
            a, b = _bootstrap(part[keys].to_numpy(), w * conv, n_boot, seed)
            lo.append(a)
            hi.append(b)
        out["ci_low"], out["ci_high"] = lo, hi
        out["moe"] = (out["ci_high"] - out["ci_low"]) / 2
        out["ci_method"] = f"bootstrap persentil 95% ({n_boot} ulangan, seed {seed})"
    elif ci is None:
        out["ci_low"] = out["ci_high"] = out["moe"] = np.nan
        out["ci_method"] = ""
    else:
        raise ValueError(f"ci harus 'analytic', 'bootstrap' atau None, bukan {ci!r}")
    out = out.reset_index()
    if not by:
        out = out.drop(columns=out.columns[0])
    return out


def _populations(population, index, by) -> pd.Series:
    if population is None:
        return pd.Series(np.nan, index=index, dtype=float)
    if np.isscalar(population):
        return pd.Series(float(population), index=index)
    mapping = dict(population)
    values = [mapping.get(i if not isinstance(i, tuple) or len(by) > 1 else i[0], np.nan) for i in index]
    return pd.Series(values, index=index, dtype=float)


def _bootstrap(x: np.ndarray, factor: float, n_boot: int, seed: int):
    rng = np.random.default_rng(seed)
    n = len(x)
    filled = ~np.isnan(x)
    xv = np.where(filled, x, 0.0)
    stats = np.empty(n_boot)
    step = max(1, 2_000_000 // max(n * x.shape[1], 1))
    for start in range(0, n_boot, step):
        idx = rng.integers(0, n, size=(min(step, n_boot - start), n))
        s = xv[idx].sum(axis=1)
        c = filled[idx].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            stats[start:start + len(idx)] = np.nansum(s / c, axis=1) * factor
    return float(np.percentile(stats, 2.5)), float(np.percentile(stats, 97.5))


def recap(data: pd.DataFrame, *, by: str = "unit", survey=None, method: str = "pooled",
          population=None) -> pd.DataFrame:
    """A recap over units, ranked by IKM, with a total row labelled by method.

    Parameters
    ----------
    by : str
        The unit column.
    method : {"pooled", "mean"}
        How the total row is made: ``"pooled"`` computes the IKM over all
        respondents together; ``"mean"`` averages the units' IKM (each unit
        counts once).

    Returns
    -------
    pandas.DataFrame
        One row per unit: ``peringkat``, the unit, ``respondents``, ``ikm``,
        ``mutu``, ``kinerja``, interval columns and the NRR per unsur; then one
        row whose unit reads ``"Gabungan (semua responden)"`` or ``"Rata-rata
        IKM unit"``.
    """
    survey = load_survey(survey)
    units = ikm_table(data, survey=survey, by=by, population=population)
    nrr = unsur_table(data, survey=survey, by=by).pivot(index=by, columns="unsur", values="nrr")[survey.keys]
    units = units.merge(nrr, left_on=by, right_index=True, how="left")
    units = units.sort_values(["ikm", by], ascending=[False, True], kind="stable").reset_index(drop=True)
    units.insert(0, "peringkat", np.arange(1, len(units) + 1))
    if method == "pooled":
        total = ikm_table(data, survey=survey)
        total_nrr = unsur_table(data, survey=survey).set_index("unsur")["nrr"]
        label = "Gabungan (semua responden)"
    elif method == "mean":
        ikm = float(units["ikm"].mean())
        b = survey.band(ikm)
        total = pd.DataFrame([{"respondents": int(units["respondents"].sum()), "ikm": ikm,
                               "ikm_raw": ikm / survey.conversion, "mutu": b.mutu, "kinerja": b.kinerja}])
        total_nrr = units[survey.keys].mean()
        label = "Rata-rata IKM unit"
    else:
        raise ValueError(f"method harus 'pooled' atau 'mean', bukan {method!r}")
    row = total.iloc[0].to_dict()
    row.update({k: float(total_nrr[k]) for k in survey.keys})
    row.update({by: label, "peringkat": None})
    result = pd.concat([units, pd.DataFrame([row])[list(set(row) & set(units.columns))]], ignore_index=True)
    result.attrs["method"] = method
    return result[units.columns]


def summarize(data: pd.DataFrame, *, survey=None, population=None, ci: str | None = "analytic") -> dict:
    """One group's result as a plain dict (for notebooks, JSON and banners).

    Returns
    -------
    dict
        ``respondents``, ``unsur`` (key -> nrr, filled, total, nrr_weighted,
        converted, mutu, kinerja, nama), ``ikm``, ``ikm_raw``, ``mutu``,
        ``kinerja``, ``ci95``, ``moe``, ``ci_method``, ``method``.
    """
    survey = load_survey(survey)
    it = ikm_table(data, survey=survey, population=population, ci=ci).iloc[0]
    ut = unsur_table(data, survey=survey)
    return _as_dict(it, ut, survey)


def _as_dict(it, ut, survey: SurveyDefinition) -> dict:
    unsur = {}
    for r in ut.itertuples(index=False):
        unsur[r.unsur] = {"nama": r.nama, "nrr": _f(r.nrr), "filled": int(r.filled), "total": _f(r.total),
                          "nrr_weighted": _f(r.nrr_weighted), "converted": _f(r.converted),
                          "mutu": r.mutu, "kinerja": r.kinerja}
    return {
        "respondents": int(it["respondents"]),
        "unsur": unsur,
        "ikm": _f(it["ikm"]),
        "ikm_raw": _f(it["ikm_raw"]),
        "mutu": it["mutu"],
        "kinerja": it["kinerja"],
        "ci95": [_f(it["ci_low"]), _f(it["ci_high"])],
        "moe": _f(it["moe"]),
        "ci_method": it["ci_method"],
        "method": survey.method(),
    }


def _f(v):
    v = float(v)
    return None if v != v else v
