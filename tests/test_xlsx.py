"""The XLSX layer: line estimates for row heights, cached values required, fonts, deterministic bytes."""
import io

import openpyxl
import pytest

from skmkit.xlsx import STYLE, Book, print_setup, text_lines, xl_sum


def test_text_lines_by_hand():
    # "Nilai konversi": about 11.3 character widths -> one line in 14, two in 8 (a word per line).
    assert text_lines("Nilai konversi", 14) == 1 and text_lines("Nilai konversi", 8) == 2
    assert text_lines("a\nb\nc", 20) == 3  # explicit line breaks count
    assert text_lines("x" * 100, 10) >= 10  # a word longer than the column breaks anywhere
    assert text_lines("", 10) == 1


def test_xl_sum_adds_numbers_only_exactly():
    assert xl_sum([0.1] * 10) == 1.0  # naive left-to-right addition gives 0.9999999999999999
    assert xl_sum([1, "-", None, 2.5, True]) == 3.5


def build():
    book = Book(title="Uji")
    sh = book.sheet("S")
    sh.columns([10, 10])
    sh.text("A1", "=1+1")
    sh.formula("B1", "=1+1", 2, STYLE["box"])
    sh.text("A2", "kata " * 40, STYLE["wrap"])
    print_setup(sh, landscape=True, title_rows=(1, 1), header="A & B")
    return book.to_bytes()


def test_cells_values_fonts_and_heights():
    body = build()
    ws = openpyxl.load_workbook(io.BytesIO(body))["S"]
    cached = openpyxl.load_workbook(io.BytesIO(body), data_only=True)["S"]
    assert ws["A1"].data_type == "s" and ws["A1"].quotePrefix and ws["A1"].value == "=1+1"
    assert ws["B1"].data_type == "f" and cached["B1"].value == 2
    assert ws.row_dimensions[2].height > 15 * 10  # 200 characters in 10-wide column: 20+ lines
    assert {c.font.name for row in ws.iter_rows() for c in row} == {"Calibri"}
    assert "A && B" in ws.oddHeader.center.text and ws.print_title_rows == "$1:$1"
    assert build() == body


def test_a_formula_needs_its_value():
    sh = Book().sheet("S")
    with pytest.raises(TypeError, match="cached value"):
        sh.formula("A1", "=1+1", None)
