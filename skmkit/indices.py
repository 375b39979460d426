"""The index: NRR per unsur, weighted NRR, converted value, IKM, mutu, intervals.

Every function takes the canonical table (:func:`skmkit.read_responses`) and
returns a new tidy DataFrame; nothing is rounded here (round only for display).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .errors import Problem, ValidationError
from .survey import SurveyDefinition, load_survey

__all__ = ["unsur_table", "ikm_table", "recap", "summarize", "unsur_note", "Z95"]

Z95 = 1.959963984540054
_MISSING_GROUP = "(kosong)"


def _by(by) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


class _Groups:
    """Scores of answering respondents with integer group codes (fast sums via bincount).

    A group in which nobody answered any unsur has no IKM: it is left out and
    named in :attr:`refused` (a table with no answer at all is refused with a
    :class:`~skmkit.errors.ValidationError`). An unsur nobody in a group
    answered is left out of that group's IKM: its weight is ``1/X`` over the
    ``X`` unsur answered (``../shared/docs/skm-method.md``, "An unsur nobody
    answered"); :attr:`weights` holds each group's weight.
    """

    def __init__(self, data: pd.DataFrame, survey, by):
        self.survey = survey = load_survey(survey)
        missing = [k for k in survey.keys if k not in data.columns]
        if missing:
            raise KeyError(f"kolom unsur tidak ada di data: {missing}")
        self.keys = survey.keys
        self.by = by = _by(by)
        for b in by:
            if b not in data.columns:
                raise KeyError(f"kolom pengelompokan '{b}' tidak ada; kolom yang ada: {list(data.columns)}")
        x = data[self.keys].to_numpy(dtype="float64", na_value=np.nan)
        answered = ~np.isnan(x).all(axis=1)
        self.x = x if answered.all() else x[answered]  # no copy of a million rows when all answered
        self.filled = ~np.isnan(self.x)
        if not by:
            codes = np.zeros(len(data), dtype=np.intp)
            index = pd.RangeIndex(1)
        elif len(by) == 1:  # every row's group, answered or not, so that an empty group is named
            codes, uniques = pd.factorize(data[by[0]], sort=True, use_na_sentinel=True)
            if (codes < 0).any():  # rows without a group value form their own group, last
                codes = np.where(codes < 0, len(uniques), codes)
                uniques = list(uniques) + [_MISSING_GROUP]
            index = pd.Index(uniques, name=by[0])
        else:
            groups = data[by].astype(object).where(data[by].notna(), _MISSING_GROUP)
            g = groups.groupby(by, sort=True)
            codes = g.ngroup().to_numpy()
            index = pd.MultiIndex.from_tuples(list(g.groups), names=by)
        size = np.bincount(codes[answered], minlength=len(index))
        empty = size == 0
        self.refused = [_plain(v) for v in index[empty]] if by else []
        if empty.all():
            source = data.attrs.get("skmkit", {}).get("source", "data")
            named = f" (kelompok: {', '.join(map(str, self.refused[:10]))})" if self.refused else ""
            raise ValidationError([Problem(
                message=f"tidak ada satu pun jawaban unsur{named}; IKM tidak dapat dihitung.",
                fix="periksa bahwa kolom jawaban U1..U9 terisi (atau sebut --sheet / --header-row yang benar).",
                file=source, code="no-answers")])
        if empty.any():
            new = np.cumsum(~empty) - 1
            codes = new[codes]
            index = index[~empty]
        self.codes = codes[answered]
        self.index = index
        self.n_groups = len(self.index)
        self.size = np.bincount(self.codes, minlength=self.n_groups)
        zero = np.where(self.filled, self.x, 0.0)
        self.total = np.column_stack([np.bincount(self.codes, weights=zero[:, j], minlength=self.n_groups)
                                      for j in range(len(self.keys))])
        self.count = np.column_stack([np.bincount(self.codes, weights=self.filled[:, j], minlength=self.n_groups)
                                      for j in range(len(self.keys))])
        with np.errstate(invalid="ignore", divide="ignore"):
            self.nrr = self.total / np.where(self.count > 0, self.count, np.nan)
        #: (groups x unsur) True where the unsur was answered in the group
        self.rated = self.count > 0
        # 1/X over the X unsur answered (a legacy weight is scaled the same way: X = all gives it unchanged)
        rated = self.rated.sum(axis=1)
        self.weights = np.where(rated == len(self.keys), survey.weight(),  # the weight as written when all answered
                                survey.weight() * len(self.keys) / np.maximum(rated, 1))

    def rated_keys(self, i: int) -> list[str]:
        """The unsur answered in group ``i``."""
        return [k for k, r in zip(self.keys, self.rated[i]) if r]

    def frame(self, values: dict) -> pd.DataFrame:
        """A per-group DataFrame with the group columns first."""
        out = pd.DataFrame(values, index=self.index)
        return out.reset_index() if self.by else out.reset_index(drop=True)

    def parts(self):
        """Yield the score matrix of each group in index order."""
        order = np.argsort(self.codes, kind="stable")
        bounds = np.cumsum(self.size)[:-1]
        yield from np.split(self.x[order], bounds)


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
    return _unsur_rows(_Groups(data, survey, by))


def _unsur_rows(g: _Groups) -> pd.DataFrame:
    survey, k = g.survey, len(g.keys)
    groups = g.frame({})
    long = groups.loc[groups.index.repeat(k)].reset_index(drop=True)
    long["unsur"] = np.tile(g.keys, g.n_groups)
    long["nama"] = long["unsur"].map(survey.names)
    long["total"] = g.total.ravel()
    long["filled"] = g.count.ravel().astype("int64")
    long["nrr"] = g.nrr.ravel()
    long["nrr_weighted"] = long["nrr"] * np.repeat(g.weights, k)
    long["converted"] = long["nrr"] * survey.conversion
    bands = [survey.band(v) if v == v else None for v in long["converted"]]
    long["mutu"] = [b.mutu if b else None for b in bands]
    long["kinerja"] = [b.kinerja if b else None for b in bands]
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
        (25-100), ``mutu``, ``kinerja``, ``population``, ``ci_low``,
        ``ci_high``, ``moe`` (half-width, IKM points), ``ci_method``.

    Examples
    --------
    >>> from skmkit import read_responses, sample_data_path
    >>> t = ikm_table(read_responses(sample_data_path()), by="unit")
    >>> bool(t["ikm"].between(25, 100).all())
    True
    """
    return _ikm_rows(_Groups(data, survey, by), ci=ci, population=population, n_boot=n_boot, seed=seed)


def _ikm_rows(g: _Groups, *, ci, population, n_boot=1000, seed=2017) -> pd.DataFrame:
    survey, w, conv = g.survey, g.weights, g.survey.conversion
    ikm_raw = np.nansum(g.nrr, axis=1) * w
    ikm = ikm_raw * conv
    bands = [survey.band(v) for v in ikm]
    pops = _populations(population, g.index, g.by)
    n = g.size.astype(float)
    if ci == "analytic":
        # Influence of respondent i: w * sum_u f_iu (x_iu - NRR_u) / n_u (delta method).
        with np.errstate(invalid="ignore", divide="ignore"):
            dev = (g.x - g.nrr[g.codes]) / g.count[g.codes]
        z = np.where(g.filled, dev, 0.0).sum(axis=1) * w[g.codes]
        ss = np.bincount(g.codes, weights=z * z, minlength=g.n_groups)
        with np.errstate(invalid="ignore", divide="ignore"):
            var = np.where(n > 1, ss * n / (n - 1), np.nan)
            fpc = np.where(np.isfinite(pops) & (pops > 1), (pops - n) / (pops - 1), 1.0).clip(min=0.0)
        half = Z95 * np.sqrt(var * fpc) * conv
        lo = np.clip(ikm - half, survey.scale_min * conv, None)
        hi = np.clip(ikm + half, None, survey.scale_max * conv)
        method = "metode delta, sebaran normal 95%" + (", dengan koreksi populasi terhingga"
                                                       if np.isfinite(pops).any() else "")
    elif ci == "bootstrap":
        factor = survey.weight() * len(g.keys) * conv  # x the mean NRR of the unsur answered
        bounds = [_bootstrap(part, factor, n_boot, seed) for part in g.parts()]
        lo = np.array([b[0] for b in bounds])
        hi = np.array([b[1] for b in bounds])
        half = (hi - lo) / 2
        method = f"bootstrap persentil 95% ({n_boot} ulangan, seed {seed})"
    elif ci is None:
        lo = hi = half = np.full(g.n_groups, np.nan)
        method = ""
    else:
        raise ValueError(f"ci harus 'analytic', 'bootstrap' atau None, bukan {ci!r}")
    out = g.frame({
        "respondents": g.size.astype("int64"), "ikm_raw": ikm_raw, "ikm": ikm,
        "mutu": [b.mutu for b in bands], "kinerja": [b.kinerja for b in bands],
        "population": pops, "ci_low": lo, "ci_high": hi, "moe": half, "ci_method": method,
        "weight": w,
        "n_unsur": g.rated.sum(axis=1).astype("int64"),
        "unsur_dinilai": [tuple(g.rated_keys(i)) for i in range(g.n_groups)],
    })
    out.attrs["tanpa_jawaban"] = list(g.refused)
    return out


def _populations(population, index, by) -> np.ndarray:
    if population is None:
        return np.full(len(index), np.nan)
    if np.isscalar(population):
        return np.full(len(index), float(population))
    mapping = dict(population)
    return np.array([mapping.get(i, np.nan) for i in index], dtype=float)


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
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an unsur unanswered in one resample
            stats[start:start + len(idx)] = np.nanmean(s / c, axis=1) * factor
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
        IKM unit"``. ``attrs["tidak_direkap"]`` names the units left out
        because nobody answered any unsur.
    """
    survey = load_survey(survey)
    units = ikm_table(data, survey=survey, by=by, population=population)
    units_attrs = list(units.attrs.get("tanpa_jawaban", []))  # units with no answer: no IKM, not ranked
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
    result = result[units.columns]
    result.attrs["method"] = method
    result.attrs["tidak_direkap"] = units_attrs
    return result


def summarize(data: pd.DataFrame, *, survey=None, population=None, ci: str | None = "analytic") -> dict:
    """One group's result as a plain dict (for notebooks, JSON and banners).

    Returns
    -------
    dict
        ``respondents``, ``unsur`` (key -> nrr, filled, total, nrr_weighted,
        converted, mutu, kinerja, nama), ``ikm``, ``ikm_raw``, ``mutu``,
        ``kinerja``, ``ci95``, ``moe``, ``ci_method``, ``method``; ``weight`` (each unsur's weight
        as applied) and ``weight_label`` (:meth:`SurveyDefinition.weight_text`); ``unsur_dinilai``
        (the unsur the IKM was computed from), ``unsur_tidak_dijawab`` and
        ``catatan_unsur`` (the sentence to state next to the IKM when an unsur
        was left out, else ""): an unsur nobody answered has ``nrr`` None.

    Raises
    ------
    ValidationError
        When nobody answered any unsur (there is no IKM).
    """
    return summary_and_table(data, survey=survey, population=population, ci=ci)[0]


def summary_and_table(data: pd.DataFrame, *, survey=None, population=None, ci: str | None = "analytic"):
    """:func:`summarize` and :func:`unsur_table` of one group from one pass over the rows."""
    survey = load_survey(survey)
    g = _Groups(data, survey, None)
    ut = _unsur_rows(g)
    return _as_dict(_ikm_rows(g, ci=ci, population=population).iloc[0], ut, survey), ut


def _as_dict(it, ut, survey: SurveyDefinition) -> dict:
    """``it``: one row of ikm_table (a mapping); ``ut``: that group's unsur rows (DataFrame or records)."""
    records = ut.to_dict("records") if isinstance(ut, pd.DataFrame) else ut
    unsur = {}
    for r in records:
        unsur[r["unsur"]] = {"nama": r["nama"], "nrr": _f(r["nrr"]), "filled": int(r["filled"]),
                             "total": _f(r["total"]), "nrr_weighted": _f(r["nrr_weighted"]),
                             "converted": _f(r["converted"]), "mutu": _text(r["mutu"]), "kinerja": _text(r["kinerja"])}
    rated = [k for k in survey.keys if unsur.get(k, {}).get("nrr") is not None]
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
        "unsur_dinilai": rated,
        "unsur_tidak_dijawab": [k for k in survey.keys if k not in rated],
        "weight": _f(it["weight"]),
        "weight_label": survey.weight_text(len(rated)),
        "catatan_unsur": unsur_note(rated, survey.names),
        "method": survey.method(),
    }


def unsur_note(rated, names: dict) -> str:
    """The words said next to an IKM computed from fewer unsur than the survey has; "" otherwise.

    Parameters
    ----------
    rated : list of str
        The unsur answered (``summary["unsur_dinilai"]``).
    names : dict
        Every unsur key -> name, in display order (``survey.names``).

    Examples
    --------
    >>> names = load_survey().names
    >>> unsur_note(["U1", "U2", "U3", "U5", "U6", "U7", "U8", "U9"], names)
    'dihitung dari 8 unsur; U4 (Biaya/Tarif) tidak dijawab oleh satu pun responden'
    """
    left = [k for k in names if k not in set(rated)]
    if not left:
        return ""
    listed = ", ".join(f"{k} ({names[k]})" for k in left)
    return f"dihitung dari {len(names) - len(left)} unsur; {listed} tidak dijawab oleh satu pun responden"


def _text(v):
    return v if isinstance(v, str) else None


def _plain(v):
    return v.item() if hasattr(v, "item") else v


def _f(v):
    v = float(v)
    return None if v != v else v
