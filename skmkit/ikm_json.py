"""The IKM of a survey file as the documented JSON shape (``skmkit ikm``, ``--json``).

Where each number comes from: reading :mod:`skmkit.read`, recognising and
validating :mod:`skmkit.validate`, columns and units :mod:`skmkit.select`,
NRR/IKM/bands :mod:`skmkit.indices` (rules from :mod:`skmkit.survey`).
"""
from __future__ import annotations

from .schema import check as check_params
from .indices import _as_dict, _Groups, _ikm_rows, _unsur_rows
from .periods import PERIODS, with_period
from .select import resolve_column
from .survey import load_survey
from .validate import read_responses

__all__ = ["ikm_report"]


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
    data = read_responses(path, survey=survey, sheet=sheet, header_row=header_row)
    if by in PERIODS and by not in data.columns and by not in data.attrs["skmkit"]["columns"].values():
        data = with_period(data, by)  # --by triwulan|semester|bulan from the answer date
    canon = resolve_column(data, by) if by else None
    groups = _Groups(data, survey, canon)  # one pass over the rows for both tables
    it = _ikm_rows(groups, ci=ci, population=population)
    ut = _unsur_rows(groups)
    groups = []
    if canon is None:
        g = _as_dict(it.iloc[0], ut, survey)
        groups.append({"group": {}, **_public(g)})
    else:
        k = len(survey.keys)
        records = ut.to_dict("records")  # k rows per group, groups in the same order as `it`
        for i, row in enumerate(it.to_dict("records")):
            g = _as_dict(row, records[i * k:(i + 1) * k], survey)
            groups.append({"group": {by: _plain(row[canon])}, **_public(g)})
    result = {"groups": groups, "method": {**survey.method(), "ci": it["ci_method"].iloc[0] if len(it) else "",
                                           "source": data.attrs["skmkit"]["source"],
                                           "sha256": data.attrs["skmkit"].get("sha256")}}
    if len(groups) == 1:  # the weight as applied to the one group, the way every output writes it
        result["method"].update(weight=groups[0]["weight"], weight_label=groups[0]["weight_label"])
    elif any(g["weight_label"] != survey.weight_text() for g in groups):
        result["method"]["weight_label"] = "1/X atas X unsur yang dijawab tiap kelompok (lihat weight_label kelompok)"
    if it.attrs.get("tanpa_jawaban"):  # groups with no answer at all: no IKM (skm-method.md)
        result["tidak_dihitung"] = [{"group": {by: _plain(v)}, "alasan": "tidak ada jawaban unsur"}
                                    for v in it.attrs["tanpa_jawaban"]]
    return result


def _public(g: dict) -> dict:
    return {k: g[k] for k in ("respondents", "unsur", "ikm", "mutu", "kinerja", "ci95", "unsur_dinilai", "weight",
                              "weight_label")}


def _plain(v):
    return v.item() if hasattr(v, "item") else v
