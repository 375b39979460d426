"""Survey periods derived from the answer date: triwulan (TW I-IV), semester, bulan."""
from __future__ import annotations

import pandas as pd

from .errors import ParameterError
from .fmt import MONTHS

__all__ = ["PERIODS", "with_period", "parse_dates"]

#: Derived grouping columns and how each labels a date.
PERIODS = ("triwulan", "semester", "bulan")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def parse_dates(values) -> pd.Series:
    """Parse answer dates: year-first (``2026-01-02``, ``2026/01/02 8:16:46``) or
    Indonesian day-first (``02/01/2026``, ``2-1-2026``); unreadable -> NaT.

    Examples
    --------
    >>> parse_dates(pd.Series(["2026-01-02 08:00:00", "03/02/2026"])).dt.month.tolist()
    [1, 2]
    """
    text = pd.Series(values, dtype="str").str.strip()
    year_first = text.str.match(r"^\d{4}[-/.]", na=False)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if year_first.any():
        out[year_first] = pd.to_datetime(text[year_first], errors="coerce", format="mixed", dayfirst=False)
    if (~year_first).any():
        out[~year_first] = pd.to_datetime(text[~year_first], errors="coerce", format="mixed", dayfirst=True)
    return out


def with_period(data: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Return a copy of ``data`` with a ``freq`` column derived from ``tanggal``.

    Labels sort in time order: ``"2026 TW I"``, ``"2026 Semester I"``, ``"2026-03 Maret"``.
    Rows whose date cannot be read get no period (a group of their own).

    Examples
    --------
    >>> df = pd.DataFrame({"tanggal": ["2026-02-03 09:00:00", "2026-08-01 10:00:00"]})
    >>> with_period(df, "triwulan")["triwulan"].tolist()
    ['2026 TW I', '2026 TW III']
    """
    if freq not in PERIODS:
        raise ParameterError(f"periode '{freq}' tidak dikenal. Perbaikan: pakai {', '.join(PERIODS)}.")
    if "tanggal" not in data.columns:
        raise ParameterError(f"pengelompokan '{freq}' butuh kolom tanggal survei (mis. 'Cap waktu' atau "
                             "'Tanggal'). Perbaikan: tambahkan kolom tanggal ke berkas.")
    dates = parse_dates(data["tanggal"])
    year = dates.dt.year.astype("Int64").astype(str)
    if freq == "triwulan":
        label = year + " TW " + dates.dt.quarter.map(_ROMAN)
    elif freq == "semester":
        label = year + " Semester " + ((dates.dt.month > 6) + 1).map(_ROMAN)
    else:
        label = dates.dt.strftime("%Y-%m") + " " + dates.dt.month.map(lambda m: MONTHS[int(m) - 1] if m == m else "")
    out = data.copy()
    out[freq] = label.where(dates.notna())
    return out
