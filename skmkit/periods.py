"""Survey periods derived from the answer date: triwulan (TW I-IV), semester, bulan."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .errors import ParameterError
from .fmt import MONTHS, number, period_text, tanggal

__all__ = ["PERIODS", "with_period", "parse_dates", "SurveyPeriod", "survey_period", "MAX_OUTSIDE"]

#: Derived grouping columns and how each labels a date.
PERIODS = ("triwulan", "semester", "bulan")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


#: A time zone written after the time: Google Forms' "GMT+7", "UTC+07:00", WIB/WITA/WIT.
_ZONE = re.compile(r"\s*(?:\b(?:GMT|UTC)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?|\b(?:WIB|WITA|WIT))\s*$", re.IGNORECASE)
#: An ISO offset after the time ("08:00:00Z", "08:00+07:00"): dropped, the clock time kept.
_ISO_ZONE = re.compile(r"(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$")
#: Indonesian month names (and short forms) in English, for the parser.
_MONTHS = {"januari": "jan", "februari": "feb", "pebruari": "feb", "maret": "mar", "mei": "may", "juni": "jun",
           "juli": "jul", "agustus": "aug", "agu": "aug", "agt": "aug", "oktober": "oct", "okt": "oct",
           "nopember": "nov", "desember": "dec", "des": "dec"}
_MONTH_WORD = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
#: A weekday in front ("Senin, 2 Januari 2026") and a time written with dots (Indonesian locale: 20.16.46).
_DAY_WORD = re.compile(r"^\s*(?:senin|selasa|rabu|kamis|jum.?at|sabtu|minggu|ahad)\s*,?\s*", re.IGNORECASE)
_DOT_TIME = re.compile(r"(\s\d{1,2})\.(\d{2})((?:\.\d{2})?)\s*$")
#: Day 0 of Excel's serial dates (1900 system, with its leap-year bug folded in).
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Serial numbers read as dates: 1954-10-03 .. 2119-01-09.
_SERIAL = (20_000, 80_000)


def parse_dates(values) -> pd.Series:
    """Parse answer dates, the one date parser of the kit.

    Reads ISO and year-first dates (``2026-01-02``, ``2026/01/02 8:16:46``),
    Google Forms timestamps with a zone (``2026/01/02 8:16:46 PM GMT+7``: the
    clock time as written, the zone dropped), Excel serial numbers (``46024``,
    also in a CSV), day-first dates (``02/01/2026`` = 2 January; a column
    where some first number exceeds 12 nowhere but some second number does is
    read month-first, as US-locale sheets write it), Indonesian month names
    (``2 Januari 2026``) and datetimes already parsed. Unreadable -> NaT.

    Examples
    --------
    >>> parse_dates(pd.Series(["2026-01-02 08:00:00", "03/02/2026", "2026/01/02 8:16:46 PM GMT+7",
    ...                        "46024"])).dt.strftime("%Y-%m-%d %H:%M").tolist()
    ['2026-01-02 08:00', '2026-02-03 00:00', '2026-01-02 20:16', '2026-01-02 00:00']
    """
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    if pd.api.types.is_datetime64_any_dtype(s):
        return _ns(s.dt.tz_localize(None) if s.dt.tz is not None else s)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return _serials(pd.to_numeric(s, errors="coerce"), out)
    if s.dtype == object:  # cells as saved by a spreadsheet: datetimes, numbers and text mixed
        stamps = s.map(lambda v: isinstance(v, (datetime, date, pd.Timestamp)))
        if stamps.any():
            out[stamps] = pd.to_datetime(s[stamps].map(pd.Timestamp), errors="coerce")
        numbers = s.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
        if numbers.any():
            out[numbers] = _serials(pd.to_numeric(s[numbers], errors="coerce"), out[numbers])
        s = s.where(~(stamps | numbers) & s.notna())
    text = s.astype("str").where(s.notna()).str.strip()
    text = text[text.notna() & text.ne("")]
    if not len(text):
        return out
    iso = _iso(text)  # the fast path reads ISO stamps without a zone; the rest below
    if iso is not None:
        out[text.index] = iso
        left = text[iso.isna()]
    else:
        left = text
    if len(left):
        left = left.str.replace(_ZONE, "", regex=True).str.replace(_ISO_ZONE, r"\1", regex=True)
        iso = _iso(left)
        if iso is not None:
            out[left.index] = iso
            left = left[iso.isna()]
    if len(left):
        number = pd.to_numeric(left.str.replace(",", ".", regex=False), errors="coerce")
        serial = number.notna()
        if serial.any():
            out[serial[serial].index] = _serials(number[serial], out[serial[serial].index])
        left = left[~serial]
    if len(left):
        left = left.str.replace(_MONTH_WORD, lambda m: _MONTHS[m.group(1).lower()], regex=True)
        left = left.str.replace(_DAY_WORD, "", regex=True).str.replace(
            _DOT_TIME, lambda m: f"{m.group(1)}:{m.group(2)}{m.group(3).replace('.', ':')}", regex=True)
        year_first = left.str.match(r"^\d{4}\D")
        for part, dayfirst in ((left[year_first], False), (left[~year_first], _day_first(left[~year_first]))):
            if len(part):
                out[part.index] = _ns(pd.to_datetime(part, format="mixed", dayfirst=dayfirst, errors="coerce"))
    return out


#: The forms form tools write most (parsed in Arrow, fast); anything else goes to pandas.
_FAST = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d")


def _ns(dates: pd.Series) -> pd.Series:
    """Dates as nanosecond timestamps; a year outside 1900-2200 (``"-0"`` read as year 0) is no survey date: NaT."""
    unit = dates.dt.unit if hasattr(dates.dt, "unit") else "ns"
    if unit != "ns":
        dates = dates.where((dates >= pd.Timestamp("1900-01-01")) & (dates < pd.Timestamp("2200-01-01")))
    return dates.astype("datetime64[ns]")


def _iso(text: pd.Series) -> pd.Series | None:
    """ISO and year-first stamps without a zone (vectorised); None when a zone is written."""
    if isinstance(text.array, pd.arrays.ArrowStringArray):
        arr = pa.array(text.array)
        for fmt in _FAST:
            got = pc.strptime(arr, format=fmt, unit="s", error_is_null=True)
            if got.null_count == 0:
                return _ns(pd.Series(got.to_numpy(zero_copy_only=False), index=text.index))
    try:
        d = pd.to_datetime(text, format="ISO8601", errors="coerce")
    except (ValueError, TypeError):  # zones written in some cells
        return None
    if getattr(d.dt, "tz", None) is not None:
        return None
    return _ns(d)


def _serials(number: pd.Series, out: pd.Series) -> pd.Series:
    ok = number.between(*_SERIAL)
    out = out.copy()
    out[ok] = (_EXCEL_EPOCH + pd.to_timedelta(number[ok], unit="D")).dt.round("s")
    return out


def _day_first(text: pd.Series) -> bool:
    """Day-first (Indonesian) unless the column can only be month-first (``1/13/2026``)."""
    parts = text.str.extract(r"^(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}")
    a, b = pd.to_numeric(parts[0], errors="coerce"), pd.to_numeric(parts[1], errors="coerce")
    return not ((b > 12).any() and not (a > 12).any())


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


# ------------------------------------------------------------ the survey period
#: More than this share of the dated answers outside the declared period: the file or the period is wrong.
MAX_OUTSIDE = 0.2


@dataclass(frozen=True)
class SurveyPeriod:
    """The fieldwork period of one unit: declared, observed, and what was left out.

    ``start``/``end`` are the declared dates (``None`` when none were given);
    ``first_answer``/``last_answer`` the span of the answer dates counted;
    ``outside`` the answers dated outside the declared period (left out);
    ``undated`` the answers without a readable date (counted). Dates are ISO text.
    """

    name: str = ""
    start: str | None = None
    end: str | None = None
    first_answer: str | None = None
    last_answer: str | None = None
    outside: int = 0
    undated: int = 0

    @property
    def declared(self) -> bool:
        return bool(self.start and self.end)

    @property
    def span(self) -> tuple[str | None, str | None]:
        """The period a report prints: the declared one, else the answer dates'."""
        return (self.start, self.end) if self.declared else (self.first_answer, self.last_answer)

    def text(self) -> str:
        """``"1 Januari 2026 s.d. 30 Juni 2026"``, or the answer dates' span said as such; '' when unknown."""
        if self.declared:
            return period_text(self.start, self.end)
        answers = period_text(self.first_answer, self.last_answer)
        return f"{answers} (menurut tanggal jawaban)" if answers else ""

    def answers_text(self) -> str:
        """``"2 Januari 2026 s.d. 29 Juni 2026"``: the first and last answer dates counted ('' without dates)."""
        return period_text(self.first_answer, self.last_answer)

    def notes(self) -> list[str]:
        """What was left out or counted without a date, as every output says it."""
        out = []
        if self.outside:
            out.append(f"{number(self.outside)} jawaban bertanggal di luar periode, tidak dihitung")
        if self.undated:
            out.append(f"{number(self.undated)} jawaban tanpa tanggal, dihitung")
        return out


def survey_period(rows: pd.DataFrame, *, name: str = "", start=None, end=None,
                  source: str = "data") -> tuple[pd.DataFrame, SurveyPeriod]:
    """Compare the declared period with the answer dates (skm-method.md, "Periode survei").

    Returns the rows that belong to the period and the :class:`SurveyPeriod`.
    Answers dated outside the declared period are left out and counted;
    answers without a date are kept and counted.

    Raises
    ------
    ParameterError
        One of ``start``/``end`` without the other; or more than a fifth of the
        dated answers outside the period (the message names the first and
        last answer dates found).
    """
    start = str(start)[:10] if start else None
    end = str(end)[:10] if end else None
    if bool(start) != bool(end):
        given, missing = ("period_start", "period_end") if start else ("period_end", "period_start")
        raise ParameterError(f"{given} diisi tanpa {missing}. Perbaikan: isi keduanya (YYYY-MM-DD), atau "
                             "kosongkan keduanya agar periode mengikuti tanggal jawaban.")
    dates = parse_dates(rows["tanggal"]) if "tanggal" in rows.columns else pd.Series(pd.NaT, index=rows.index)
    dated = dates.notna()
    undated = int((~dated).sum())
    if start:
        lo, hi = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
        inside = dated & (dates >= lo) & (dates < hi)
        outside = dated & ~inside
        n_out, n_dated = int(outside.sum()), int(dated.sum())
        if n_dated and n_out > MAX_OUTSIDE * n_dated:
            raise ParameterError(
                f"{source}: {number(n_out)} dari {number(n_dated)} jawaban bertanggal di luar periode "
                f"{period_text(start, end)}; jawaban dalam berkas bertanggal {tanggal(dates[dated].min())} s.d. "
                f"{tanggal(dates[dated].max())}. Perbaikan: periksa period_start/period_end atau berkasnya "
                "(berkas periode lain?).")
        if n_out:
            rows, dates = rows[~outside], dates[~outside]
    else:
        n_out = 0
    kept = dates.dropna()
    first = kept.min().date().isoformat() if len(kept) else None
    last = kept.max().date().isoformat() if len(kept) else None
    if not start and name:  # no declared dates: the answers' dates must fit the period's name
        from .period_names import name_date_problem

        problem = name_date_problem(name, first, last, dates="jawaban dalam berkas bertanggal")
        if problem:
            raise ParameterError(f"{source}: {problem}")
    return rows, SurveyPeriod(str(name or ""), start, end, first, last, n_out, undated)
