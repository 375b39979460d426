"""The IKM of a survey file as the documented JSON shape (``skmkit ikm``, ``--json``).

Where each number comes from: reading :mod:`skmkit.read`, recognising and
validating :mod:`skmkit.validate`, columns and units :mod:`skmkit.select`,
NRR/IKM/bands :mod:`skmkit.indices` and its arithmetic :mod:`skmkit.nrr` (rules
from :mod:`skmkit.survey`). A large plain CSV is read without pandas by
:mod:`skmkit.ikm_csv` when it can be read exactly as that path would; the sums
go through the same :mod:`skmkit.nrr` and the same JSON shape below.
"""
from __future__ import annotations

from pathlib import Path

from .files import Hashing
from .schema import check as check_params
from .survey import load_survey

__all__ = ["ikm_report", "FAST_BYTES"]

#: A plain CSV of this size or more is read without pandas (:mod:`skmkit.ikm_csv`); a smaller one takes
#: the general path, which reads it in well under a second.
FAST_BYTES = 8 << 20


def ikm_report(path, *, by=None, survey=None, sheet=None, header_row=None, population=None, legacy_weight=None,
               ci="analytic") -> dict:
    """Read a survey file and return its result as the documented JSON shape.

    ``by`` is a column header as it stands in the file, a canonical name
    (``"unit"``, ``"layanan"``, ...), or a period derived from the answer date:
    ``"triwulan"``, ``"semester"`` or ``"bulan"``.

    Returns
    -------
    dict
        ``{"groups": [{"group": {COLUMN: VALUE} or {}, "respondents": N,
        "unsur": {"U1": {"nrr", "filled", "converted", "mutu", ...}}, "ikm",
        "mutu", "kinerja", "ci95": [lo, hi]}], "method": {...}}`` with the IKM
        unrounded.

    Examples
    --------
    >>> from skmkit import sample_data_path
    >>> r = ikm_report(sample_data_path(), by="Unit Layanan")
    >>> len(r["groups"]), sorted(r["groups"][0]["group"])
    (12, ['Unit Layanan'])
    """
    v = check_params({"sheet": sheet, "header_row": header_row, "population": population,
                      "legacy_weight": legacy_weight}, where="ikm")  # the CLI gives text: checked as for a report
    sheet, header_row, population = v["sheet"], v["header_row"], v["population"]
    survey = load_survey(survey, legacy_weight=v["legacy_weight"])
    p = Path(path)
    if sheet is None and header_row is None and ci in ("analytic", None) and \
            (population is None or isinstance(population, (int, float))) and \
            p.suffix.lower() in (".csv", ".txt", ".tsv") and p.is_file() and p.stat().st_size >= FAST_BYTES:
        hashing = Hashing(p)  # on the second core while the fast path's modules are imported
        from .ikm_csv import ikm_csv  # a large plain CSV, read without pandas (None: not sure, read below)

        source = p.name
        fast = ikm_csv(path, by=by, survey=survey, source=source, hashing=hashing)
        if fast is not None:
            result = _result(fast.sums, fast.groups, fast.refused, by=by, survey=survey, ci=ci,
                             population=population, source=source, sha256=None)
            sha256 = fast.sha256()
            if sha256 is not None:  # else not UTF-8 throughout: read below, as Windows-1252
                result["method"]["sha256"] = sha256
                return result
    # the general path: pandas, every reading rule and every message
    from .indices import _Groups, _populations
    from .periods import PERIODS, with_period
    from .select import resolve_column
    from .validate import read_responses

    data = read_responses(path, survey=survey, sheet=sheet, header_row=header_row)
    if by in PERIODS and by not in data.columns and by not in data.attrs["skmkit"]["columns"].values():
        data = with_period(data, by)  # --by triwulan|semester|bulan from the answer date
    canon = resolve_column(data, by) if by else None
    g = _Groups(data, survey, canon)  # one pass over the rows for both tables
    return _result(g, [_plain(v) for v in g.index] if canon else None, g.refused, by=by, survey=survey, ci=ci,
                   population=_populations(population, g.index, g.by), source=data.attrs["skmkit"]["source"],
                   sha256=data.attrs["skmkit"].get("sha256"))


def _result(g, groups, refused, *, by, survey, ci, population, source, sha256) -> dict:
    """The JSON shape from the sums (:class:`skmkit.nrr.Sums`): one entry per group value (``groups``)."""
    import numpy as np  # here: numpy's import runs beside the hash of a large CSV

    from .nrr import as_dict, ikm_values, unsur_values
    pops = population if isinstance(population, np.ndarray) else \
        np.full(g.n_groups, np.nan if population is None else float(population))
    it = ikm_values(g, ci=ci, pops=pops)
    ut = unsur_values(g)
    k = len(survey.keys)
    unsur_rows = [dict(zip(ut, row)) for row in zip(*ut.values())]
    out = []
    for i in range(g.n_groups):
        row = {name: (values[i] if isinstance(values, (list, np.ndarray)) else values) for name, values in it.items()}
        d = as_dict(row, unsur_rows[i * k:(i + 1) * k], survey)
        out.append({"group": {by: groups[i]} if groups is not None else {}, **_public(d)})
    result = {"groups": out, "method": {**survey.method(), "ci": it["ci_method"] if g.n_groups else "",
                                        "source": source, "sha256": sha256}}
    if len(out) == 1:  # the weight as applied to the one group, the way every output writes it
        result["method"].update(weight=out[0]["weight"], weight_label=out[0]["weight_label"])
    elif any(d["weight_label"] != survey.weight_text() for d in out):
        result["method"]["weight_label"] = "1/X atas X unsur yang dijawab tiap kelompok (lihat weight_label kelompok)"
    if refused:  # groups with no answer at all: no IKM (skm-method.md)
        result["tidak_dihitung"] = [{"group": {by: _plain(v)}, "alasan": "tidak ada jawaban unsur"} for v in refused]
    return result


def _public(g: dict) -> dict:
    return {k: g[k] for k in ("respondents", "unsur", "ikm", "mutu", "kinerja", "ci95", "unsur_dinilai", "weight",
                              "weight_label")}


def _plain(v):
    return v.item() if hasattr(v, "item") else v
