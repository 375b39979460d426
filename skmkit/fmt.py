"""Indonesian formatting: numbers (87,28; 1.250), percentages, dates (30 Juni 2026), counts in words."""
from __future__ import annotations

from datetime import date

from .survey import round_half_up

__all__ = ["number", "percent", "exact", "MONTHS", "tanggal", "period_text", "words", "product_text", "join_list"]

#: Month names, January first.
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
_ONES = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
         "sebelas")


def number(value, digits: int = 0) -> str:
    """Format a number the Indonesian way, rounded half-up.

    Examples
    --------
    >>> number(1250), number(87.275, 2), number(0.5, 1)
    ('1.250', '87,28', '0,5')
    """
    if value is None or value != value:
        return "-"
    v = round_half_up(float(value), digits)
    text = f"{abs(v):,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return ("-" if v < 0 else "") + text


def exact(value) -> str:
    """A number with the decimals it has, nothing rounded away: ``25`` -> "25", ``0.111`` -> "0,111".

    For the constants of the method (conversion, a legacy weight), which are
    printed as written, not rounded to two decimals.

    Examples
    --------
    >>> exact(25.0), exact(0.111), exact(20.5)
    ('25', '0,111', '20,5')
    """
    v = float(value)
    text = repr(v) if not v.is_integer() else str(int(v))
    digits = len(text.split(".")[1]) if "." in text else 0
    return number(v, min(digits, 10))


def product_text(value: float, factor: float, digits: int = 2) -> tuple[str, str]:
    """``value`` and ``value x factor`` as printed so that a reader can multiply them: ``("3,4864", "87,16")``.

    ``value`` gets the fewest decimals (3 at least) for which the printed value
    times ``factor`` gives, rounded half-up to ``digits``, the printed product
    of the unrounded value: "IKM = 3,4864 x 25 = 87,16", never "3,486 x 25 -> 87,16".

    Examples
    --------
    >>> product_text(3.48638, 25), product_text(3.4858, 25)
    (('3,4864', '87,16'), ('3,486', '87,15'))
    """
    shown = round_half_up(float(value) * factor, digits)
    for d in range(3, 11):
        if round_half_up(round_half_up(float(value), d) * factor, digits) == shown:
            return number(value, d), number(shown, digits)
    return number(value, 10), number(shown, digits)


def percent(value, digits: int = 1) -> str:
    """Format a fraction as an Indonesian percentage (``0.257`` -> ``25,7%``)."""
    if value is None or value != value:
        return "-"
    return number(float(value) * 100, digits) + "%"


def tanggal(value) -> str:
    """An Indonesian date: ``"2026-06-30"`` (or a date, a Timestamp) -> ``"30 Juni 2026"`` ('' when empty).

    Examples
    --------
    >>> tanggal("2026-06-30"), tanggal(None)
    ('30 Juni 2026', '')
    """
    if value is None or value != value or value == "":
        return ""
    if hasattr(value, "date") and callable(value.date):  # datetime, pandas Timestamp
        value = value.date()
    d = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def period_text(start, end) -> str:
    """``"1 Januari 2026 s.d. 30 Juni 2026"`` ('' when either is missing)."""
    if not start or not end:
        return ""
    return f"{tanggal(start)} s.d. {tanggal(end)}"


def words(n: int) -> str:
    """A small count in words, as prose writes it (``9`` -> ``"sembilan"``); digits from 100 on.

    Examples
    --------
    >>> words(9), words(10), words(14), words(25)
    ('sembilan', 'sepuluh', 'empat belas', 'dua puluh lima')
    """
    n = int(n)
    if n < 12:
        return _ONES[n]
    if n < 20:
        return f"{_ONES[n - 10]} belas"
    if n < 100:
        tens, ones = divmod(n, 10)
        return f"{_ONES[tens]} puluh" + (f" {_ONES[ones]}" if ones else "")
    return number(n)


def join_list(items) -> str:
    """Items as an Indonesian list: ``"a, b dan c"``; with semicolons when an item holds a comma.

    Unsur names contain commas (``"Sistem, Mekanisme, dan Prosedur"``), so a comma list of them cannot
    be read back: ``"Waktu Penyelesaian; Sistem, Mekanisme, dan Prosedur; dan Persyaratan"``.

    Examples
    --------
    >>> join_list(["Persyaratan", "Biaya/Tarif", "Sarana dan prasarana"])
    'Persyaratan, Biaya/Tarif dan Sarana dan prasarana'
    >>> join_list(["Waktu Penyelesaian", "Sistem, Mekanisme, dan Prosedur"])
    'Waktu Penyelesaian; dan Sistem, Mekanisme, dan Prosedur'
    """
    items = [str(x) for x in items]
    if len(items) < 2:
        return "".join(items)
    if any("," in x for x in items):
        return "; ".join(items[:-1]) + "; dan " + items[-1]
    return ", ".join(items[:-1]) + " dan " + items[-1]
