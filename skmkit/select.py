"""Choosing columns and units: the one rule every command, the batch and the notebook use.

- A column is named by its header as it stands in the file, by a canonical
  name (``"unit"``, ``"layanan"``) or by a header spelled with other case or
  spacing (:func:`resolve_column`).
- A unit is named by its value in the unit column: the column given with
  ``by``, else the column recognised as the unit column (``Unit Layanan``,
  ``Nama Unit``, ...). Names match ignoring case and spacing
  (:func:`skmkit.survey.name_key`, the method doc's rule); the name shown is
  the file's most frequent spelling (:func:`unit_rows`).
- A pooled file (several units) without a chosen unit is refused by every
  single-unit command, with the list of units.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import ParameterError
from .survey import normalize, name_key
from .validate import read_responses

__all__ = ["resolve_column", "unit_column", "unit_names", "unit_rows", "select_unit", "load_unit"]


def _source(data) -> str:
    return data.attrs.get("skmkit", {}).get("source", "data")


def resolve_column(data: pd.DataFrame, column: str) -> str:
    """Return the canonical column for a header as it stands in the file (or a canonical name).

    Raises
    ------
    ParameterError
        When no such column exists, or it held personal data (dropped).

    Examples
    --------
    >>> from skmkit import read_responses, sample_data_path
    >>> resolve_column(read_responses(sample_data_path()), "unit layanan")
    'unit'
    """
    meta = data.attrs.get("skmkit", {})
    if column in data.columns:
        return column
    header_to_canon = {h: c for c, h in meta.get("columns", {}).items()}
    if column in header_to_canon:
        return header_to_canon[column]
    by_norm = {normalize(h): c for h, c in header_to_canon.items()}
    by_norm.update({normalize(c): c for c in data.columns if not str(c).startswith("_")})
    if normalize(column) in by_norm:
        return by_norm[normalize(column)]
    if column in meta.get("dropped_personal", []) or normalize(column) in map(normalize, meta.get("dropped_personal", [])):
        raise ParameterError(f"kolom '{column}' berisi data pribadi dan tidak dipakai. "
                             "Perbaikan: kelompokkan menurut kolom lain.")
    known = ", ".join(repr(h) for h in header_to_canon)
    raise ParameterError(f"{meta.get('source', 'data')}: kolom '{column}' tidak ada. "
                         f"Perbaikan: pakai salah satu judul kolom: {known}.")


def unit_column(data: pd.DataFrame, by: str | None = None) -> str | None:
    """The canonical unit column: ``by`` resolved, else the recognised unit column, else None."""
    if by:
        return resolve_column(data, by)
    return "unit" if "unit" in data.columns and data["unit"].notna().any() else None


def _spellings(values: pd.Series) -> pd.DataFrame:
    text = values.dropna().astype(str).str.strip()
    text = text[text != ""]
    frame = pd.DataFrame({"name": text, "key": text.map(name_key)})
    counts = frame.groupby(["key", "name"], sort=False).size().reset_index(name="n")
    # most frequent spelling first; ties by first appearance (stable sort)
    return counts.sort_values("n", ascending=False, kind="stable")


def did_you_mean(typed: str, names: list[str]) -> str:
    """`` (mungkin maksudnya 'X')`` for the one unit name close to a mistyped one, else ''.

    Only a hint in the message: the kit never picks the unit itself.

    >>> did_you_mean("Dinas Sosal", ["Dinas Sosial", "Dinas Perhubungan"])
    " (mungkin maksudnya 'Dinas Sosial')"
    >>> did_you_mean("Dinas", ["Dinas Sosial", "Dinas Perhubungan"])
    ''
    """
    import difflib

    keys = {name_key(n): n for n in names}
    close = difflib.get_close_matches(name_key(typed), list(keys), n=2, cutoff=0.85)
    return f" (mungkin maksudnya '{keys[close[0]]}')" if len(close) == 1 else ""


def unit_names(data: pd.DataFrame, column: str) -> list[str]:
    """The units of a column, one name each (its most frequent spelling), in sorted order."""
    counts = _spellings(data[column])
    return sorted(counts.drop_duplicates("key")["name"])


def unit_rows(data: pd.DataFrame, *, unit: str | None = None, by: str | None = None) -> tuple[pd.DataFrame, str | None]:
    """The rows of one unit and the unit's name, by the kit's one rule (see the module docstring).

    Parameters
    ----------
    data : DataFrame
        A canonical table (:func:`skmkit.read_responses`).
    unit : str, optional
        The unit's name as typed (case and spacing do not matter).
    by : str, optional
        The unit column (header as in the file); default the recognised unit column.

    Returns
    -------
    (DataFrame, str or None)
        A new table (attrs kept) and the unit's name as the file spells it
        most often; ``None`` when the file has no unit column and none was named.

    Raises
    ------
    ParameterError
        A pooled file and no unit chosen (the units are listed), a unit not in
        the column (the values are listed), or ``by`` naming no column.
    """
    column = unit_column(data, by)
    if column is None:
        return data.copy(), (str(unit).strip() if unit is not None else None)
    if unit is None:
        names = unit_names(data, column)
        if len(names) > 1:
            shown = ", ".join(names[:30]) + (f", ... ({len(names)} unit)" if len(names) > 30 else "")
            raise ParameterError(f"{_source(data)}: berkas memuat {len(names)} unit. Perbaikan: pilih satu dengan "
                                 f"--unit, salah satu dari: {shown}.")
        return data.copy(), (names[0] if names else None)
    keys = data[column].map(lambda v: name_key(v) if isinstance(v, str) or v == v else "")
    rows = data[keys == name_key(unit)].copy()
    if rows.empty:
        names = unit_names(data, column)
        header = data.attrs.get("skmkit", {}).get("columns", {}).get(column, by or column)
        raise ParameterError(f"{_source(data)}: unit '{unit}' tidak ada di kolom '{header}'{did_you_mean(unit, names)}. "
                             f"Perbaikan: pakai salah satu nilai: {', '.join(names[:30])}.")
    rows.attrs = data.attrs
    return rows, _spellings(rows[column])["name"].iloc[0]


def select_unit(data: pd.DataFrame, unit: str, by: str | None = None) -> pd.DataFrame:
    """Return the rows of one unit from a pooled table (a new DataFrame).

    ``by`` is the unit column's header as it stands in the file (or its
    canonical name); without it, the recognised unit column is used.

    Raises
    ------
    ParameterError
        When the column does not exist or the unit has no rows; the message
        lists the values present.

    Examples
    --------
    >>> from skmkit import read_responses, sample_data_path
    >>> df = select_unit(read_responses(sample_data_path()), "dinas  SOSIAL")
    >>> len(df)
    160
    """
    return unit_rows(data, unit=unit, by=by)[0]


def load_unit(path, *, unit=None, by=None, survey=None, sheet=None, header_row=None) -> tuple[pd.DataFrame, str]:
    """Read a survey file and return ``(one unit's canonical table, unit name)``.

    The name is the unit's spelling in the file, or the file's stem when the
    file has no unit column and none was named.

    Raises
    ------
    ParameterError
        When the file holds several units and none was chosen (the message
        lists them), or the unit is not in the file.
    """
    frame = read_responses(path, survey=survey, sheet=sheet, header_row=header_row)
    rows, name = unit_rows(frame, unit=unit, by=by)
    return rows, name or Path(path).stem
