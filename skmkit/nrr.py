"""The index arithmetic over score arrays: NRR, IKM, bands and intervals per group (numpy only).

The one place the numbers of :mod:`skmkit.indices` are computed. It takes a
score matrix (respondents x unsur, NaN = blank) and one integer group code per
respondent, so that the pandas tables of :mod:`skmkit.indices` and the
pandas-free ``skmkit ikm`` on a large CSV (:mod:`skmkit.ikm_csv`) give the same
numbers to the last digit. The method: ``../shared/docs/skm-method.md``.
"""
from __future__ import annotations

import os
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["Z95", "Sums", "ikm_values", "unsur_values", "unsur_note", "as_dict"]

Z95 = 1.959963984540054
#: Rows per block of the interval's per-respondent terms.
_BLOCK = 1 << 14
#: From this many respondents the sums and the interval's terms run on two threads (numpy lets go of the GIL).
_THREADED = 200_000


def _map(fn, items, rows: int) -> list:
    """``[fn(i) for i in items]``, on two threads for a large table (each result the same to the last digit)."""
    if rows < _THREADED or (os.cpu_count() or 1) < 2:
        return [fn(i) for i in items]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(fn, items))


class Sums:
    """Per-group sums of the answering respondents' scores (fast sums via bincount).

    ``x``: the scores of respondents who answered at least one unsur (float,
    NaN = blank); ``codes``: each one's group, ``0 .. n_groups - 1``, every
    group answered by someone. An unsur nobody in a group answered is left out
    of that group's IKM: its weight is ``1/X`` over the ``X`` unsur answered
    (``skm-method.md``, "An unsur nobody answered"); :attr:`weights` holds each
    group's weight.
    """

    def __init__(self, x: np.ndarray, codes: np.ndarray, n_groups: int, survey):
        self.survey = survey
        self.keys = survey.keys
        self.x = x
        self.filled = ~np.isnan(x)
        self.codes = codes
        self.n_groups = n_groups
        self.size = np.bincount(codes, minlength=n_groups)

        def column(j):  # one unsur's sums (columns on two threads for a large table)
            zero = np.where(self.filled[:, j], x[:, j], 0.0)
            return (np.bincount(codes, weights=zero, minlength=n_groups),
                    np.bincount(codes, weights=self.filled[:, j], minlength=n_groups))

        sums = _map(column, range(len(self.keys)), len(x))
        self.total = np.column_stack([t for t, _ in sums])
        self.count = np.column_stack([c for _, c in sums])
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

    def parts(self):
        """Yield the score matrix of each group in code order."""
        order = np.argsort(self.codes, kind="stable")
        bounds = np.cumsum(self.size)[:-1]
        yield from np.split(self.x[order], bounds)


def unsur_values(g: Sums) -> dict:
    """Per group and unsur (groups in code order, unsur in display order): the columns of the unsur table."""
    survey, k = g.survey, len(g.keys)
    nrr = g.nrr.ravel()
    converted = nrr * survey.conversion
    bands = [survey.band(v) if v == v else None for v in converted]
    return {
        "unsur": np.tile(g.keys, g.n_groups),
        "nama": [survey.names[u] for u in g.keys] * g.n_groups,
        "total": g.total.ravel(),
        "filled": g.count.ravel().astype("int64"),
        "nrr": nrr,
        "nrr_weighted": nrr * np.repeat(g.weights, k),
        "converted": converted,
        "mutu": [b.mutu if b else None for b in bands],
        "kinerja": [b.kinerja if b else None for b in bands],
    }


def ikm_values(g: Sums, *, ci, pops: np.ndarray, n_boot: int = 1000, seed: int = 2017) -> dict:
    """Per group: the columns of the IKM table (respondents, IKM, mutu, 95% interval, weight)."""
    survey, w, conv = g.survey, g.weights, g.survey.conversion
    ikm_raw = np.nansum(g.nrr, axis=1) * w
    ikm = ikm_raw * conv
    bands = [survey.band(v) for v in ikm]
    n = g.size.astype(float)
    if ci == "analytic":
        # Influence of respondent i: w * sum_u f_iu (x_iu - NRR_u) / n_u (delta method), a block of
        # rows at a time (kept in the cache; each row's sum is the same to the last digit).
        z = np.empty(len(g.x))

        def block(start):
            rows = slice(start, start + _BLOCK)
            codes = g.codes[rows]
            with np.errstate(invalid="ignore", divide="ignore"):
                dev = (g.x[rows] - g.nrr[codes]) / g.count[codes]
            z[rows] = np.where(g.filled[rows], dev, 0.0).sum(axis=1) * w[codes]

        _map(block, range(0, len(z), _BLOCK), len(z))
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
    return {
        "respondents": g.size.astype("int64"), "ikm_raw": ikm_raw, "ikm": ikm,
        "mutu": [b.mutu for b in bands], "kinerja": [b.kinerja for b in bands],
        "population": pops, "ci_low": lo, "ci_high": hi, "moe": half, "ci_method": method,
        "weight": w,
        "n_unsur": g.rated.sum(axis=1).astype("int64"),
        "unsur_dinilai": [tuple(g.rated_keys(i)) for i in range(g.n_groups)],
    }


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


def as_dict(it, records, survey) -> dict:
    """One group's result as a plain dict: ``it``, its IKM row (a mapping); ``records``, its unsur rows."""
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
    >>> from skmkit.survey import load_survey
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


def _f(v):
    v = float(v)
    return None if v != v else v
