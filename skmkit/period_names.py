"""What a period's name says about its dates: "Semester I 2026" is January to June 2026.

Offices name their survey period by the calendar ("Semester II 2026",
"Triwulan III 2026", "TW 1 2026", "Tahun 2026", "Maret 2026"). A name the kit
reads this way must agree with the period's dates: a units file copied from
last semester with new dates and the old name would file this semester's
results under last semester's name (and replace them in the history). Names
the kit does not read this way ("Survei Kedua 2026") are not checked.
"""
from __future__ import annotations

import calendar
import re
from datetime import date

from .fmt import MONTHS

__all__ = ["implied_range", "name_date_problem"]

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}
_KINDS = {"semester": ("Semester", 2, 6), "smt": ("Semester", 2, 6), "triwulan": ("Triwulan", 4, 3),
          "tw": ("Triwulan", 4, 3), "kuartal": ("Triwulan", 4, 3), "caturwulan": ("Caturwulan", 3, 4),
          "cawu": ("Caturwulan", 3, 4)}
_PART = re.compile(r"\b(semester|smt|triwulan|tw|kuartal|caturwulan|cawu)\s*\.?\s*(?:ke\s*-?\s*)?"
                   r"(i{1,3}|iv|v|vi|\d{1,2})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")
_MONTH = re.compile(r"\b(" + "|".join(m.lower() for m in MONTHS) + r")\b", re.IGNORECASE)
_FILLER = re.compile(r"\b(?:tahun|anggaran|ta|periode|survei|skm|ikm)\b|[\s,./()-]+", re.IGNORECASE)
_WHOLE_YEAR = re.compile(r"^\s*(?:tahun\s+)?(?:anggaran\s+)?(19\d{2}|20\d{2})\s*$", re.IGNORECASE)


def implied_range(name: str) -> tuple[date, date, str] | str | None:
    """``(first day, last day, label)`` the name stands for; a message when it names a part that does not
    exist ("Triwulan V"); None when the name is not a calendar name or has no year.

    Examples
    --------
    >>> implied_range("Semester II 2026")
    (datetime.date(2026, 7, 1), datetime.date(2026, 12, 31), 'Semester II 2026')
    >>> implied_range("TW 3 Tahun 2026")[2]
    'Triwulan III 2026'
    >>> implied_range("Triwulan V 2026")
    'Triwulan V tidak ada (I-IV)'
    >>> implied_range("Survei kedua") is None
    True
    """
    text = str(name or "")
    # only a plain calendar name is read ("Semester I dan II 2026" or "s.d." ranges are not)
    rest = _YEAR.sub(" ", _MONTH.sub(" ", _PART.sub(" ", text)))
    if _FILLER.sub(" ", rest).strip(" ,./-()"):
        return None
    years = set(_YEAR.findall(text))
    if len(years) != 1:
        return None
    year = int(years.pop())
    whole = _WHOLE_YEAR.match(text)
    if whole:
        return date(year, 1, 1), date(year, 12, 31), f"Tahun {year}"
    parts = _PART.findall(text)
    months = set(m.lower() for m in _MONTH.findall(text))
    if len(parts) == 1 and not months:
        word, num = parts[0]
        label, count, length = _KINDS[word.lower()]
        n = int(num) if num.isdigit() else _ROMAN[num.lower()]
        roman = [k.upper() for k, v in _ROMAN.items() if v == n][0] if n <= 6 else str(n)
        if not 1 <= n <= count:
            allowed = "-".join(k.upper() for k, v in _ROMAN.items() if v in (1, count))
            return f"{label} {roman} tidak ada ({allowed})"
        first = (n - 1) * length + 1
        last = first + length - 1
        return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]), f"{label} {roman} {year}"
    if len(months) == 1 and not parts:
        m = [x.lower() for x in MONTHS].index(months.pop()) + 1
        return date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1]), f"{MONTHS[m - 1]} {year}"
    return None


def _same_kind_label(label: str, middle: date) -> str:
    """The name of the same kind (semester, triwulan, month, year) for the part holding ``middle``."""
    for word, (kind, count, length) in _KINDS.items():
        if label.startswith(kind + " "):
            n = (middle.month - 1) // length + 1
            return f"{kind} {[k.upper() for k, v in _ROMAN.items() if v == n][0]} {middle.year}"
    if label.startswith("Tahun "):
        return f"Tahun {middle.year}"
    return f"{MONTHS[middle.month - 1]} {middle.year}"


def name_date_problem(name: str, start: str | None, end: str | None, *,
                      dates: str = "period_start/period_end") -> str | None:
    """Why the period's name and its dates disagree, with the fix; None when they agree or cannot be compared.

    The dates' middle day must fall inside the named part (a semester's survey may run a little past
    its end); a part that does not exist is named.
    """
    implied = implied_range(name)
    if implied is None:
        return None
    if isinstance(implied, str):
        return (f"period '{name}': {implied}. Perbaikan: periksa nama periode, mis. 'Semester I 2026' atau "
                "'Triwulan II 2026'.")
    if not start or not end:
        return None
    from .fmt import period_text

    lo, hi, label = implied
    a, b = date.fromisoformat(str(start)[:10]), date.fromisoformat(str(end)[:10])
    middle = date.fromordinal((a.toordinal() + b.toordinal()) // 2)
    if lo <= middle <= hi:
        return None
    return (f"period '{name}' berarti {period_text(lo.isoformat(), hi.isoformat())}, tetapi {dates} "
            f"{period_text(a.isoformat(), b.isoformat())}. Perbaikan: samakan nama dengan tanggalnya "
            f"(mis. period: {_same_kind_label(label, middle)}) atau periksa tanggal dan berkasnya.")
