"""File-level entry points shared by the command line and notebooks."""
from __future__ import annotations

from pathlib import Path

from .errors import ParameterError
from .indices import _as_dict, _Groups, _ikm_rows, _unsur_rows
from .periods import PERIODS, with_period
from .read import read_responses
from .survey import load_survey, normalize

__all__ = ["resolve_column", "select_unit", "load_unit", "ikm_report", "demo"]


def resolve_column(data, column: str) -> str:
    """Return the canonical column for a header as it stands in the file (or a canonical name).

    Raises
    ------
    ParameterError
        When no such column exists, or it held personal data (dropped).
    """
    meta = data.attrs.get("skmkit", {})
    if column in data.columns:
        return column
    header_to_canon = {h: c for c, h in meta.get("columns", {}).items()}
    if column in header_to_canon:
        return header_to_canon[column]
    by_norm = {normalize(h): c for h, c in header_to_canon.items()}
    if normalize(column) in by_norm:
        return by_norm[normalize(column)]
    if column in meta.get("dropped_personal", []):
        raise ParameterError(f"kolom '{column}' berisi data pribadi dan tidak dipakai. "
                             "Perbaikan: kelompokkan menurut kolom lain.")
    known = ", ".join(repr(h) for h in header_to_canon)
    raise ParameterError(f"{meta.get('source', 'data')}: kolom '{column}' tidak ada. "
                         f"Perbaikan: pakai salah satu judul kolom: {known}.")


def select_unit(data, unit: str, by: str):
    """Return the rows of one unit from a pooled table (a new DataFrame).

    ``by`` is the unit column's header as it stands in the file (or its
    canonical name, ``"unit"``).

    Raises
    ------
    ParameterError
        When the column does not exist or the unit has no rows; the message
        lists the values present.

    Examples
    --------
    >>> from skmkit import read_responses, sample_data_path
    >>> df = select_unit(read_responses(sample_data_path()), "Dinas Sosial", "Unit Layanan")
    >>> len(df)
    160
    """
    column = resolve_column(data, by)
    values = data[column].astype(str).str.strip()
    rows = data[values == str(unit).strip()].copy()
    if rows.empty:
        present = sorted(values.unique())
        raise ParameterError(f"{data.attrs.get('skmkit', {}).get('source', 'data')}: unit '{unit}' tidak ada "
                             f"di kolom '{by}'. Perbaikan: pakai salah satu nilai: {', '.join(present[:30])}.")
    rows.attrs = data.attrs
    return rows


def load_unit(path, *, unit=None, by=None, survey=None, sheet=None, header_row=None):
    """Read a survey file and return ``(one unit's canonical table, unit name)``.

    Raises
    ------
    ParameterError
        When the file holds several units and none was chosen (the message
        lists them), or the unit is not in the file.
    """
    frame = read_responses(path, survey=survey, sheet=sheet, header_row=header_row)
    column = by or (frame.attrs.get("skmkit", {}).get("columns", {}).get("unit", "unit")
                    if "unit" in frame.columns else None)
    if unit is not None:
        if column is None:
            raise ParameterError(f"{Path(path).name}: tidak ada kolom unit untuk memilih '{unit}'. "
                                 "Perbaikan: sebut kolomnya dengan --by.")
        return select_unit(frame, unit, column), str(unit)
    if column is not None:
        canon = resolve_column(frame, column)
        values = sorted(frame[canon].dropna().astype(str).str.strip().unique())
        if len(values) > 1:
            raise ParameterError(f"{Path(path).name}: berkas memuat {len(values)} unit. Perbaikan: pilih satu "
                                 f"dengan --unit, salah satu dari: {', '.join(values[:30])}.")
        if len(values) == 1:
            return frame, values[0]
    return frame, Path(path).stem


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
    survey = load_survey(survey, legacy_weight=legacy_weight)
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
    if it.attrs.get("tanpa_jawaban"):  # groups with no answer at all: no IKM (skm-method.md)
        result["tidak_dihitung"] = [{"group": {by: _plain(v)}, "alasan": "tidak ada jawaban unsur"}
                                    for v in it.attrs["tanpa_jawaban"]]
    return result


def _public(g: dict) -> dict:
    return {k: g[k] for k in ("respondents", "unsur", "ikm", "mutu", "kinerja", "ci95", "unsur_dinilai")}


def _plain(v):
    return v.item() if hasattr(v, "item") else v


def demo(*, out="outputs", jobs=None) -> int:
    """Run the main job on the bundled sample: every unit's report (HTML and PDF) and the recap.

    The 12 units of the bundled city (``skmkit/data/sample/units.yml``) go
    through :func:`skmkit.batch.batch`; the summary is printed. Returns the
    exit status (1 when a unit failed).
    """
    from . import sample_data_path
    from .batch import batch

    units = sample_data_path().parent / "units.yml"
    print(f"Data contoh: {sample_data_path().name} ({units.name}: 12 unit Kota Sukamaju)")
    return batch(units, out=out, jobs=jobs, formats="html,pdf").exit_code
