"""The index: NRR per unsur, weighted NRR, converted value, IKM, mutu, intervals.

Every function takes the canonical table (:func:`skmkit.read_responses`) and
returns a new tidy DataFrame; nothing is rounded here (round only for display).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import Problem, ValidationError
from .nrr import Z95, Sums, as_dict, ikm_values, unsur_note, unsur_values
from .survey import SurveyDefinition, load_survey

__all__ = ["unsur_table", "ikm_table", "recap", "summarize", "unsur_note", "Z95"]

_MISSING_GROUP = "(kosong)"


def _by(by) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


class _Groups(Sums):
    """Scores of answering respondents with integer group codes (the sums: :class:`skmkit.nrr.Sums`).

    A group in which nobody answered any unsur has no IKM: it is left out and
    named in :attr:`refused` (a table with no answer at all is refused with a
    :class:`~skmkit.errors.ValidationError`). An unsur nobody in a group
    answered is left out of that group's IKM: its weight is ``1/X`` over the
    ``X`` unsur answered (``../shared/docs/skm-method.md``, "An unsur nobody
    answered"); :attr:`weights` holds each group's weight.
    """

    def __init__(self, data: pd.DataFrame, survey, by):
        survey = load_survey(survey)
        missing = [k for k in survey.keys if k not in data.columns]
        if missing:
            raise KeyError(f"kolom unsur tidak ada di data: {missing}")
        self.by = by = _by(by)
        for b in by:
            if b not in data.columns:
                raise KeyError(f"kolom pengelompokan '{b}' tidak ada; kolom yang ada: {list(data.columns)}")
        x = data[survey.keys].to_numpy(dtype="float64", na_value=np.nan)
        answered = ~np.isnan(x).all(axis=1)
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
        self.index = index
        super().__init__(x if answered.all() else x[answered],  # no copy of a million rows when all answered
                         codes[answered], len(index), survey)

    def frame(self, values: dict) -> pd.DataFrame:
        """A per-group DataFrame with the group columns first."""
        out = pd.DataFrame(values, index=self.index)
        return out.reset_index() if self.by else out.reset_index(drop=True)


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
    k = len(g.keys)
    groups = g.frame({})
    long = groups.loc[groups.index.repeat(k)].reset_index(drop=True)
    for column, values in unsur_values(g).items():
        long[column] = values
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
    pops = _populations(population, g.index, g.by)
    out = g.frame(ikm_values(g, ci=ci, pops=pops, n_boot=n_boot, seed=seed))
    out.attrs["tanpa_jawaban"] = list(g.refused)
    return out


def _populations(population, index, by) -> np.ndarray:
    if population is None:
        return np.full(len(index), np.nan)
    if np.isscalar(population):
        return np.full(len(index), float(population))
    mapping = dict(population)
    return np.array([mapping.get(i, np.nan) for i in index], dtype=float)


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
    return as_dict(it, ut.to_dict("records") if isinstance(ut, pd.DataFrame) else ut, survey)


def _plain(v):
    return v.item() if hasattr(v, "item") else v
