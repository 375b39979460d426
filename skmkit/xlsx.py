"""Printable, deterministic XLSX sheets: one font, text kept text, formulas with their values.

The unit workbook (:mod:`skmkit.workbook`) and the recap workbook
(:mod:`skmkit.recap_xlsx`) are written through this small layer over
xlsxwriter, so that every sheet the kit writes follows the same rules:

- **Formulas carry their value.** :meth:`Sheet.formula` takes the formula and
  the value skmkit computed for it; the value is stored as the formula's
  cached result, so viewers that do not calculate (pandas, R readxl, previews,
  Excel's Protected View) show the number, and Excel and LibreOffice still
  recalculate on open (``fullCalcOnLoad``).
- **Input text is text.** :meth:`Sheet.text` always writes a string cell;
  text that looks like a formula (:func:`skmkit.safetext.looks_like_formula`)
  also gets Excel's quote prefix, so it stays text when a user edits it.
- **One font** (:data:`FONT`) on every cell format, the page header and footer.
- **Print layout**: wrapped text gets a row height from an estimate of its
  lines (:func:`text_lines`), notes are merged over the table's width instead
  of spilling to the right, and :func:`print_setup` sets A4, orientation,
  fit to one page wide, repeated header rows, page header and footer.
- **Same inputs, same bytes**: fixed document dates; xlsxwriter writes fixed
  zip entry dates.
"""
from __future__ import annotations

import io
import math
import re
from datetime import datetime, timezone

import xlsxwriter
from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name

from .safetext import looks_like_formula

__all__ = ["FONT", "Book", "Sheet", "print_setup", "text_lines", "xl_sum", "STYLE"]

#: The one font of every workbook the kit writes (LibreOffice shows it with the
#: metric-compatible Carlito where Calibri is not installed).
FONT = "Calibri"
FONT_SIZE = 11

#: Excel holds at most 32,767 characters in a cell; longer free text is cut.
MAX_CELL_TEXT = 32000

#: Excel's highest row (409 points); a longer text shows its first lines, the rest in the cell.
MAX_ROW_HEIGHT = 409

#: Fixed document date written into docProps/core.xml.
FIXED_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)

_DARK, _LIGHT, _GREY, _LINE = "#1F4E79", "#DDEBF7", "#F2F2F2", "#8EA9C1"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

#: Cell styles as xlsxwriter format properties; combine them with ``{**a, **b}``.
STYLE = {
    "box": {"border": 1, "border_color": _LINE, "valign": "top"},
    "head": {"bold": True, "font_color": "#FFFFFF", "bg_color": _DARK, "align": "center", "valign": "vcenter",
             "text_wrap": True, "border": 1, "border_color": _LINE},
    "sub": {"bg_color": _LIGHT},
    "key": {"bg_color": _GREY},
    "title": {"bold": True, "font_size": 14, "font_color": _DARK, "text_wrap": True, "valign": "top"},
    "bold": {"bold": True},
    "note": {"italic": True, "font_size": 9, "font_color": "#595959", "text_wrap": True, "valign": "top"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "center": {"align": "center"},
}

# Width of characters in Excel's column unit (the width of "0" in the default
# font), a little generous so that an estimate never leaves text clipped.
_NARROW = set("iljtfrI.,:;!'|()[] ")
_WIDE = set("mwMW@%")


def _char_units(ch: str) -> float:
    if ch in _NARROW:
        return 0.55
    if ch in _WIDE:
        return 1.5
    if ch.isupper():
        return 1.15
    return 0.92


def text_lines(text: str, width: float, *, size: float = FONT_SIZE, bold: bool = False) -> int:
    """How many lines ``text`` takes when wrapped in a column ``width`` characters wide.

    A greedy word wrap with generous character widths (Calibri); explicit line
    breaks count too.

    Examples
    --------
    >>> text_lines("Nilai konversi", 14), text_lines("Nilai konversi", 8)
    (1, 2)
    """
    scale = size / FONT_SIZE * (1.05 if bold else 1.0)
    room = max(1.0, width - 0.3)
    total = 0
    for para in str(text).split("\n"):
        lines, used = 1, 0.0
        for word in para.split(" "):
            w = sum(_char_units(c) for c in word) * scale
            gap = _char_units(" ") * scale if used else 0.0
            if used and used + gap + w > room:
                lines, used, gap = lines + 1, 0.0, 0.0
            if w > room:  # a word longer than the column breaks anywhere
                extra = math.ceil(w / room) - 1
                lines, w = lines + extra, w - extra * room
            used += gap + w
        total += lines
    return total


def line_height(size: float = FONT_SIZE) -> float:
    """Row height in points per line of text of this font size."""
    return round(size * 1.4, 1)


def xl_sum(values) -> float:
    """The sum a spreadsheet's ``SUM`` gives: numbers only, added exactly, rounded once."""
    return math.fsum(v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool))


class Book:
    """An XLSX workbook in memory with cached, fonted cell formats."""

    def __init__(self, *, title: str = ""):
        self._buf = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self._buf, {"in_memory": True, "strings_to_formulas": False,
                                                  "strings_to_numbers": False, "strings_to_urls": False})
        self.wb.set_properties({"title": title, "author": "skmkit", "created": FIXED_DATE})
        self._formats = {}
        self.sheets = []

    def fmt(self, props: dict):
        """The workbook format for these properties, with the kit's font."""
        props = {"font_name": FONT, "font_size": FONT_SIZE, **props}
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.wb.add_format(props)
        return self._formats[key]

    def sheet(self, name: str) -> "Sheet":
        """Add a worksheet."""
        sheet = Sheet(self, self.wb.add_worksheet(name))
        self.sheets.append(sheet)
        return sheet

    def to_bytes(self) -> bytes:
        """Set the row heights, close the workbook and return its bytes."""
        for sheet in self.sheets:
            sheet.apply_heights()
        self.wb.close()
        return self._buf.getvalue()


class Sheet:
    """One worksheet addressed with A1 references; remembers the row heights wrapped text needs."""

    def __init__(self, book: Book, ws):
        self.book, self.ws = book, ws
        self.name = ws.get_name()
        self.widths: dict[int, float] = {}
        self._need: dict[int, float] = {}

    def columns(self, widths, first: int = 0) -> None:
        """Set column widths (characters) from column ``first`` (0 = A) on."""
        for i, w in enumerate(widths, start=first):
            self.widths[i] = w
            self.ws.set_column(i, i, w)

    def _width(self, col: int, span: int = 1) -> float:
        return sum(self.widths.get(c, 8.43) for c in range(col, col + span))

    def _fit(self, row: int, col: int, text: str, props: dict, span: int = 1) -> None:
        size = props.get("font_size", FONT_SIZE)
        if props.get("text_wrap"):
            lines = text_lines(text, self._width(col, span), size=size, bold=props.get("bold", False))
        else:
            lines = 1
        self.need(row, lines * line_height(size) + 5)

    def need(self, row: int, points: float) -> None:
        """Ask for at least ``points`` of height on ``row`` (0-based)."""
        self._need[row] = max(self._need.get(row, 0.0), points)

    def apply_heights(self) -> None:
        default = line_height(FONT_SIZE) + 5  # one line of the default font: left to the application
        for row, points in sorted(self._need.items()):
            if points > default:
                self.ws.set_row(row, min(points, MAX_ROW_HEIGHT))

    def text(self, ref: str, value, props: dict | None = None, *, span: int = 1):
        """Write input or label text as a string cell, never a formula.

        ``span`` > 1 merges the cell with the next ``span - 1`` columns.
        """
        props = dict(props or {})
        text = _CONTROL.sub("", str(value))[:MAX_CELL_TEXT]
        if looks_like_formula(text):
            props["quote_prefix"] = True  # stays text when a user edits the cell
        row, col = xl_cell_to_rowcol(ref)
        fmt = self.book.fmt(props)
        if span > 1:
            self.ws.merge_range(row, col, row, col + span - 1, "", fmt)
        self.ws.write_string(row, col, text, fmt)
        self._fit(row, col, text, props, span)
        return ref

    def number(self, ref: str, value, props: dict | None = None):
        """Write a number (or a blank cell with the style when ``value`` is None)."""
        row, col = xl_cell_to_rowcol(ref)
        fmt = self.book.fmt(dict(props or {}))
        if value is None:
            self.ws.write_blank(row, col, None, fmt)
        else:
            self.ws.write_number(row, col, value, fmt)
        return ref

    def datetime(self, ref: str, value, props: dict | None = None):
        """Write a date and time."""
        row, col = xl_cell_to_rowcol(ref)
        self.ws.write_datetime(row, col, value, self.book.fmt(dict(props or {})))
        return ref

    def formula(self, ref: str, formula: str, value, props: dict | None = None):
        """Write a formula built by the kit (never from input text) with its computed value."""
        if isinstance(value, bool) or value is None:
            raise TypeError(f"{self.name}!{ref}: a cached value must be a number or a text, not {value!r}")
        row, col = xl_cell_to_rowcol(ref)
        self.ws.write_formula(row, col, formula, self.book.fmt(dict(props or {})), value)
        if isinstance(value, str) and props and props.get("text_wrap"):
            self._fit(row, col, value, props)
        return ref


def col(index: int) -> str:
    """Column letter of a 0-based column index."""
    return xl_col_to_name(index)


def print_setup(sheet: Sheet, *, landscape: bool = False, title_rows: tuple[int, int] | None = None,
                header: str = "", one_page: bool = False) -> None:
    """A4, fitted one page wide, centred, repeated header rows, page header and footer.

    ``title_rows`` are 1-based spreadsheet row numbers (first, last);
    ``one_page`` fits the sheet on one page (wide and tall).
    """
    ws = sheet.ws
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 1 if one_page else 0)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    if title_rows:
        ws.repeat_rows(title_rows[0] - 1, title_rows[1] - 1)
    font = f'&"{FONT},Regular"'
    text = header[:200].replace("&", "&&")  # Excel: header text at most 255 characters
    ws.set_header(f"&C{font}&9{text}")
    ws.set_footer(f"&L{font}&8&A&R{font}&8Halaman &P dari &N")
