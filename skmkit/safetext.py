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

__all__ = ["FORMULA_STARTS", "looks_like_formula", "csv_safe", "csv_safe_frame", "csv_text", "csv_text_frame"]

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


def csv_text(value):
    """The text :func:`csv_safe` protected, read back from a CSV the kit wrote (the apostrophe taken off).

    Examples
    --------
    >>> csv_text("'=1+1"), csv_text("'-lambat"), csv_text("'Dinas"), csv_text(3)
    ('=1+1', '-lambat', "'Dinas", 3)
    """
    if isinstance(value, str) and value.startswith("'") and looks_like_formula(value[1:]):
        return value[1:]
    return value


def csv_text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a frame read from a CSV the kit wrote with :func:`csv_safe_frame`, text as it was.

    Examples
    --------
    >>> import io
    >>> t = pd.DataFrame({"unit": ["=1+1", "Dinas Sosial"], "ikm": [-1.5, 80.0]})
    >>> back = pd.read_csv(io.StringIO(csv_safe_frame(t).to_csv(index=False)))
    >>> csv_text_frame(back).equals(t)
    True
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(csv_text)
    return out.rename(columns={c: csv_text(c) for c in out.columns if isinstance(c, str)})
