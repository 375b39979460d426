"""A format down whole columns is not read cell by cell: the used range, with every reading rule kept.

The expected IKM is worked out here from the rows the test writes; the office files of
tests/data/berkas_kantor are read with and without formatted empty rows under them, and the two
readings must agree (values, row numbers, notes, refusals).
"""
from __future__ import annotations

import random
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Border, Side

from skmkit import ValidationError, read_responses, summarize
from skmkit import xlsx_range
from skmkit.read import read_table

HERE = Path(__file__).parent / "data" / "berkas_kantor"
THIN = Border(*(Side(style="thin"),) * 4)


@pytest.fixture
def small_chunks(monkeypatch):
    """Cut every sheet, however small, reading it in chunks of a few hundred bytes (tags across chunks)."""
    monkeypatch.setattr(xlsx_range, "LARGE_SHEET", 0)
    monkeypatch.setattr(xlsx_range, "_CHUNK", 317)


def _format_down(ws, last_row):
    """What Excel users leave: a border on every cell of the table's columns down to ``last_row``."""
    for row in ws.iter_rows(min_row=ws.max_row + 1, max_row=last_row, max_col=max(ws.max_column, 11)):
        for c in row:
            c.border = THIN


def _sheet_rows(source, sheet_xml):
    with zipfile.ZipFile(source) as z:
        return z.read(sheet_xml).count(b"<row ")


def test_forty_answers_under_a_format_to_row_3000(tmp_path, small_chunks):
    rnd = random.Random(7)
    answers = [[rnd.randint(1, 4) for _ in range(9)] for _ in range(40)]
    answers[5][3] = None  # a blank is not a zero
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "SKM"
    ws.append(["Unit Layanan"] + [f"U{i}" for i in range(1, 10)])
    for a in answers:
        ws.append(["Dinas Sosial"] + a)
    ws.merge_cells("A2:A41")  # the unit typed once for all rows
    _format_down(ws, 3000)
    path = tmp_path / "format_sampai_bawah.xlsx"
    wb.save(path)
    assert _sheet_rows(path, "xl/worksheets/sheet1.xml") == 3000

    source = xlsx_range.used_range(path)
    assert _sheet_rows(source, "xl/worksheets/sheet1.xml") == 41  # header and the 40 answers

    nrr = []
    for j in range(9):
        vals = [a[j] for a in answers if a[j] is not None]
        nrr.append(sum(vals) / len(vals))
    df = read_responses(path)
    assert len(df) == 40
    assert summarize(df)["ikm"] == pytest.approx(sum(nrr) / 9 * 25)
    raw = read_table(path)
    assert list(raw.index) == list(range(2, 42))
    assert (raw["Unit Layanan"] == "Dinas Sosial").all()  # the merge, from the sheet's tail, still fills
    assert [p.code for p in raw.attrs["skmkit_read"]["notes"]] == ["merged-cells"]


@pytest.mark.parametrize("name", sorted(p.name for p in HERE.glob("*.xlsx")))
def test_office_files_read_the_same_with_a_format_under_them(name, tmp_path, small_chunks):
    plain = tmp_path / "asli" / name
    plain.parent.mkdir()
    shutil.copy(HERE / name, plain)
    formatted = tmp_path / name
    wb = openpyxl.load_workbook(HERE / name)  # formulas kept as formulas
    for ws in wb.worksheets:
        _format_down(ws, ws.max_row + 400)
    wb.save(formatted)
    assert isinstance(xlsx_range.used_range(formatted), xlsx_range.io.BytesIO)  # it was cut

    def reading(path):
        try:
            df = read_table(path)
        except ValidationError as exc:
            return [(p.code, p.row, p.column, p.message) for p in exc.problems]
        notes = [(p.code, p.message) for p in df.attrs["skmkit_read"]["notes"]]
        return df.to_dict("split"), df.index.name, notes, df.attrs["skmkit_read"]["sheet"]

    assert reading(formatted) == reading(plain)


def test_a_sheet_of_values_to_its_last_row_is_not_copied(tmp_path, small_chunks):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"U{i}" for i in range(1, 10)])
    for r in range(60):
        ws.append([(r + j) % 4 + 1 for j in range(9)])
    path = tmp_path / "penuh.xlsx"
    wb.save(path)
    assert xlsx_range.used_range(path) == path


def test_the_input_file_is_not_modified(tmp_path, small_chunks):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"U{i}" for i in range(1, 10)])
    ws.append([3] * 9)
    _format_down(ws, 500)
    path = tmp_path / "f.xlsx"
    wb.save(path)
    before = path.read_bytes()
    read_responses(path)
    assert path.read_bytes() == before
