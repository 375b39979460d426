"""Input text that stays text in spreadsheets and CSV files (no formula injection).

A unit, a category, a jenis layanan or a saran typed as ``=HYPERLINK(...)``
would become a live formula when a CSV file is opened in Excel or LibreOffice,
or when a writer stores it as a formula. OWASP's advice for CSV
(https://owasp.org/www-community/attacks/CSV_Injection) is followed: a cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe, which spreadsheet applications read as "this is text".
XLSX writers store such text as a string cell with Excel's quote prefix
(:mod:`skmkit.xlsx`), so the value itself is kept unchanged there.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["FORMULA_STARTS", "looks_like_formula", "csv_safe", "csv_safe_frame"]

#: The first characters that make a spreadsheet application read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text) -> bool:
    """Whether ``text`` is a string a spreadsheet would read as a formula.

    Examples
    --------
    >>> looks_like_formula('=HYPERLINK("http://x","klik")'), looks_like_formula("Dinas Sosial")
    (True, False)
    """
    return isinstance(text, str) and text.startswith(FORMULA_STARTS)


def csv_safe(value):
    """The value as a CSV cell that a spreadsheet shows as text; numbers and blanks unchanged.

    Examples
    --------
    >>> csv_safe("=1+1"), csv_safe("-lambat"), csv_safe(-3), csv_safe("Dinas Sosial")
    ("'=1+1", "'-lambat", -3, 'Dinas Sosial')
    """
    return "'" + value if looks_like_formula(value) else value


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are :func:`csv_safe`.

    Numeric columns are left alone, so a negative number stays a number. Use
    it right before ``to_csv`` of any table that carries input text.

    Examples
    --------
    >>> t = pd.DataFrame({"unit": ["=1+1", "Dinas Sosial"], "ikm": [-1.5, 80.0]})
    >>> csv_safe_frame(t).to_csv(index=False).splitlines()
    ['unit,ikm', "'=1+1,-1.5", 'Dinas Sosial,80.0']
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(csv_safe)
    return out.rename(columns={c: csv_safe(c) for c in out.columns if isinstance(c, str)})
