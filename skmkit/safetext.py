"""Input text that stays text in spreadsheets and CSV files (no formula injection).

A unit, a category, a jenis layanan or a saran typed as ``=HYPERLINK(...)``
would become a live formula when a CSV file is opened in Excel or LibreOffice,
or when a writer stores it as a formula. OWASP's advice for CSV
(https://owasp.org/www-community/attacks/CSV_Injection) is followed: a cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe, which spreadsheet applications read as "this is text".
XLSX writers store such text as a string cell with Excel's quote prefix
(:mod:`skmkit.xlsx`), so the value itself is kept unchanged there.

Text is also drawn only with the kit's own fonts (:func:`drawable`): a
character they lack (an emoji in a unit name or a saran) is drawn as
:data:`MISSING_GLYPH` in the HTML, the PDF and the banner alike, instead of a
system font that differs between machines (and changes the PDF's bytes) or
matplotlib's "Glyph missing" warnings.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pandas as pd

__all__ = ["FORMULA_STARTS", "looks_like_formula", "csv_safe", "csv_safe_frame", "csv_text", "csv_text_frame", "drawable",
           "MISSING_GLYPH"]

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


#: What the kit draws for a character its fonts do not have (WHITE SQUARE, in every shipped face).
MISSING_GLYPH = "\u25a1"
#: Characters that only modify the one before them (emoji joiner, variation selectors, skin tones,
#: tag characters, the keycap mark): dropped, so that one emoji is one square.
_MODIFIERS = frozenset([0x200D, 0x20E3, *range(0xFE00, 0xFE10), *range(0x1F3FB, 0x1F400), *range(0xE0020, 0xE0080)])
#: The faces text is drawn with (report, recap, banner); a character counts as drawable when every face has it.
_FACES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf")


@lru_cache(maxsize=1)
def _codepoints() -> frozenset:
    from fontTools.ttLib import TTFont

    folder = resources.files("skmkit").joinpath("data", "fonts")
    sets = []
    for face in _FACES:
        with resources.as_file(folder.joinpath(face)) as path:
            sets.append(set(TTFont(path, lazy=True).getBestCmap()))
    return frozenset(set.intersection(*sets))


def drawable(text) -> str:
    """``text`` with every character the kit's fonts lack drawn as :data:`MISSING_GLYPH`.

    The same on every machine: the shipped fonts (``skmkit/data/fonts``) decide,
    never the fonts installed on the system. Line breaks and tabs are kept;
    emoji modifiers (joiner, variation selectors, skin tones) are dropped.

    Examples
    --------
    >>> drawable("Puskesmas Melati \U0001F33C"), drawable("Ramah \U0001F60A\U0001F64F!")
    ('Puskesmas Melati \u25a1', 'Ramah \u25a1\u25a1!')
    >>> drawable("Kelurahan Cikâwung \u2013 \u2265 76,61")
    'Kelurahan Cikâwung \u2013 \u2265 76,61'
    """
    text = str(text)
    if text.isascii():
        return text
    have = _codepoints()
    out = []
    for ch in text:
        code = ord(ch)
        if code in have or ch in "\n\r\t":
            out.append(ch)
        elif code not in _MODIFIERS:
            out.append(MISSING_GLYPH)
    return "".join(out)
