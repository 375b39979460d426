"""The respondent profile: who answered, counted by characteristic, by one rule everywhere.

The report's table and chart, the banner and the workbook all count with
:func:`profile_counts` over :func:`respondent_rows`, so they always agree:

- the respondents are the rows that answered at least one unsur (as the
  index counts them);
- categories come in the kit's order (:data:`PROFILE_ORDER`; known categories
  are kept at zero), then any other value, most frequent first;
- categories typed with other case or spacing are one category
  (:func:`canonical_categories`; spreadsheet ``COUNTIF`` ignores case too);
- ages are counted in groups (:func:`usia_group`);
- blanks are counted too, as "Tidak diisi", last (a blank is not a category,
  but a reader must see how many did not say).
"""
from __future__ import annotations

import pandas as pd

from .errors import ParameterError
from .survey import name_key

__all__ = ["PROFILE_FIELDS", "PROFILE_ORDER", "BLANK", "CATEGORY_COLUMNS", "canonical_categories", "canonical_rows",
           "respondent_rows", "usia_group", "usia_criteria", "profile_counts"]

#: Profile columns of the canonical table, in report order.
PROFILE_FIELDS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan", "layanan")
#: Display order of profile categories (others follow).
PROFILE_ORDER = {
    "jenis_kelamin": ["L", "P"],
    "usia": ["\u2264 20", "21\u201330", "31\u201340", "41\u201350", "51\u201360", "> 60"],
    "pendidikan": ["SD", "SMP", "SMA", "D1-D3", "D4/S1", "S2", "S3"],
    "pekerjaan": ["PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Pelajar/Mahasiswa", "Lainnya"],
}
#: The category of a blank answer.
BLANK = "Tidak diisi"


def canonical_categories(values: pd.Series, known=()) -> pd.Series:
    """One spelling per category: values equal ignoring case and spacing become the same text.

    The kit's rule for names typed by hand (``skm-method.md``: outer spaces
    removed, inner runs of spaces collapsed, case ignored) applied to
    categories. The spelling kept is the one in ``known`` (the standard
    categories), else the most frequent spelling (ties: the first in sort
    order). Blanks stay blank. Spreadsheet ``COUNTIF`` and ``=`` also ignore
    case, so counts over these values agree with the sheet's formulas.

    Examples
    --------
    >>> canonical_categories(pd.Series(["SMA", "sma ", "D4/S1", "d4/s1", None]), known=["SMA"]).tolist()
    ['SMA', 'SMA', 'D4/S1', 'D4/S1', None]
    """
    text = [None if _blank(v) else " ".join(str(v).split()) or None for v in values]
    choice = {name_key(k): k for k in known}
    counts = pd.Series([t for t in text if t is not None], dtype=object).value_counts()
    for spelling, _n in sorted(counts.items(), key=lambda t: (-t[1], t[0])):
        choice.setdefault(name_key(spelling), spelling)
    return pd.Series([None if t is None else choice[name_key(t)] for t in text], index=values.index,
                     dtype=object, name=values.name)


#: Profile columns whose values are categories (one spelling per category).
CATEGORY_COLUMNS = ("layanan", "jenis_kelamin", "pendidikan", "pekerjaan")


def canonical_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``rows`` with every category column in one spelling per category."""
    out = rows.copy()
    for column in CATEGORY_COLUMNS:
        if column in out.columns:
            out[column] = canonical_categories(out[column], PROFILE_ORDER.get(column, []))
    return out


def _blank(v) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v))


def respondent_rows(data: pd.DataFrame, keys) -> pd.DataFrame:
    """The respondents who answered at least one unsur, as the index counts them.

    Raises
    ------
    ParameterError
        When an unsur column is missing or nobody answered any unsur.
    """
    missing = [k for k in keys if k not in data.columns]
    if missing:
        raise ParameterError(f"kolom unsur tidak ada di data: {', '.join(missing)}. "
                             "Perbaikan: baca data dengan skmkit.read_responses.")
    rows = data[data[list(keys)].notna().any(axis=1)]
    if rows.empty:
        raise ParameterError("tidak ada responden yang menjawab satu pun unsur. "
                             "Perbaikan: periksa berkas data unit ini.")
    return rows


def usia_group(age) -> str | None:
    """The age group of an age in years (``"21\u201330"``), ``None`` when blank.

    Examples
    --------
    >>> usia_group(20), usia_group(21), usia_group(61), usia_group(None)
    ('\u2264 20', '21\u201330', '> 60', None)
    """
    if age is None or age != age:
        return None
    age = float(age)
    for group, tests in usia_criteria():
        if all(_OPS[op](age, bound) for op, bound in tests):
            return group
    return None


_OPS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b, ">": lambda a, b: a > b}


def usia_criteria() -> list[tuple[str, list[tuple[str, float]]]]:
    """The age groups as comparisons, the one rule for :func:`usia_group` and the workbook's ``COUNTIFS``.

    Examples
    --------
    >>> usia_criteria()[0], usia_criteria()[-1]
    (('\u2264 20', [('<', 21)]), ('> 60', [('>', 60)]))
    """
    groups = PROFILE_ORDER["usia"]
    middle = [(g, [(">=", 21 + 10 * i), ("<", 31 + 10 * i)]) for i, g in enumerate(groups[1:-1])]
    middle[-1] = (middle[-1][0], [middle[-1][1][0], ("<=", 60)])
    return [(groups[0], [("<", 21)])] + middle + [(groups[-1], [(">", 60)])]


def profile_counts(data: pd.DataFrame, field: str) -> pd.DataFrame:
    """Respondents by one characteristic: ``kategori``, ``jumlah``, ``persen`` (0-1), in display order.

    ``kategori`` holds the category codes (``L``, ``P``, ``SMA``, age groups,
    :data:`BLANK`); ``persen`` is of all rows given, blanks included.
    A field absent from ``data`` gives an empty table.

    Examples
    --------
    >>> t = profile_counts(pd.DataFrame({"jenis_kelamin": ["P", "L", "P", None]}), "jenis_kelamin")
    >>> t["kategori"].tolist(), t["jumlah"].tolist()
    (['L', 'P', 'Tidak diisi'], [1, 2, 1])
    """
    if field not in data.columns:
        return pd.DataFrame({"kategori": [], "jumlah": [], "persen": []})
    values = canonical_categories(data[field], PROFILE_ORDER.get(field, [])) if field in CATEGORY_COLUMNS \
        else data[field]
    if field == "usia":
        values = pd.to_numeric(values, errors="coerce").map(usia_group)
    text = values.astype(object).where(values.notna(), None).map(lambda v: None if v is None else str(v).strip())
    text = text.where(text != "", None)
    counts = text.value_counts()
    known = PROFILE_ORDER.get(field, [])
    others = sorted((v for v in counts.index if v not in known), key=lambda v: (-int(counts[v]), v))
    blanks = int(text.isna().sum())
    categories = list(known) + others + ([BLANK] if blanks else [])
    numbers = [int(counts.get(c, 0)) for c in known + others] + ([blanks] if blanks else [])
    total = len(text)
    return pd.DataFrame({"kategori": categories, "jumlah": numbers,
                         "persen": [n / total if total else 0.0 for n in numbers]})
