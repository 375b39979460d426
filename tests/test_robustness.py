"""No traceback, no hang: whatever the input, the kit ends with its own message or a result.

The named cases of issue 11 that belong to reading, output folders, text drawing
and logos each have a test; property-based tests (hypothesis) then throw CSV
bytes, XLSX structures and parameter files at the entry points a user reaches
and accept only a result or an :class:`skmkit.errors.SkmError`, each example
within a deadline.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from skmkit import cli
from skmkit.ikm_json import ikm_report
from skmkit.banner import banner_figure, write_banner
from skmkit.errors import ParameterError, SkmError
from skmkit.indices import ikm_table
from skmkit.logo import MAX_SIDE, logo_bytes
from skmkit.validate import read_responses
from skmkit.report import check_parameters, load_params, notebook_path
from skmkit.sections import (colophon, conclusions, cover, foreword, prepare, result, rtl, sample, signature,
                             survey_facts, trend)
from skmkit.synth import generate_responses
from skmkit.theme import png_bytes
from skmkit.validate import validate_file

UNITS = [("a", "Dinas A", ["Layanan A"], 8, 100, 0.3), ("b", "Dinas B", ["Layanan B"], 6, 50, 0.0)]
PROFILE = settings(max_examples=25, deadline=dt.timedelta(seconds=10), derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def pooled(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data") / "kota.csv"
    generate_responses(UNITS, seed=5).to_csv(path, index=False)
    return path


def _one_line_error(capsys) -> str:
    """What the user saw (``validate`` lists problems on stdout, others on stderr)."""
    seen = capsys.readouterr()
    err = (seen.out + seen.err).strip()
    assert "Traceback" not in err
    return err


# ------------------------------------------------------------ a folder as the data file
@pytest.mark.parametrize("command", [
    ["validate"], ["ikm"], ["ikm", "--json"], ["banner", "--period", "P", "--out", "{out}"],
    ["workbook", "--out", "{out}"], ["report", "--out", "{out}", "--format", "html"],
    ["batch", "--by", "Unit Layanan", "--out", "{out}"],
])
def test_a_folder_given_as_the_data_file_is_one_line(tmp_path, capsys, command):
    folder = tmp_path / "data.csv"  # a folder whose name looks like a file
    folder.mkdir()
    args = [a.format(out=tmp_path / "hasil") for a in command]
    assert cli.main([args[0], str(folder), *args[1:]]) == 1
    err = _one_line_error(capsys)
    assert "folder" in err and "data.csv" in err
    assert not any((tmp_path / "hasil").rglob("*.html")) if (tmp_path / "hasil").exists() else True


# ------------------------------------------------------------ --out that cannot be a folder
def _read_only_folder(tmp_path: Path) -> Path:
    if os.geteuid() == 0:  # root writes through permission bits: use a folder no one can write
        return Path("/proc/self")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    return ro


@pytest.mark.parametrize("where", ["file", "under-file", "read-only"])
@pytest.mark.parametrize("command", ["banner", "workbook", "report", "batch"])
def test_out_that_is_a_file_or_read_only_is_one_line(pooled, tmp_path, capsys, where, command):
    (tmp_path / "berkas").write_text("bukan folder")
    out = {"file": tmp_path / "berkas", "under-file": tmp_path / "berkas" / "sub",
           "read-only": _read_only_folder(tmp_path)}[where]
    unit = ["--unit", "Dinas A", "--by", "Unit Layanan"]
    args = {"banner": ["banner", str(pooled), *unit, "--period", "P", "--format", "png"],
            "workbook": ["workbook", str(pooled), *unit],
            "report": ["report", str(pooled), *unit, "--format", "html"],
            "batch": ["batch", str(pooled), "--by", "Unit Layanan", "--format", "html"]}[command]
    assert cli.main([*args, "--out", str(out)]) == 1
    err = _one_line_error(capsys)
    assert "folder keluaran" in err and len(err.splitlines()) == 1
    assert (tmp_path / "berkas").read_text() == "bukan folder"


# ------------------------------------------------------------ "$" is text
DOLLARS = "Dinas $Sosial$ & Rp 5$ \\alpha_1"


def test_a_dollar_in_a_unit_name_or_period_is_drawn_as_text(pooled):
    data = read_responses(pooled)
    data = data[data["unit"] == "Dinas A"]
    fig = banner_figure(data, unit=DOLLARS, period="Semester $I$ 2026")
    texts = [t for t in fig.findobj(lambda a: hasattr(a, "get_parse_math"))]
    drawn = " ".join(t.get_text() for t in texts)
    assert DOLLARS.upper() in drawn and "Semester $I$ 2026" in drawn  # the banner writes the unit in capitals
    assert not any(t.get_parse_math() for t in texts if "$" in t.get_text())
    fig.canvas.draw()  # mathtext would fail or swallow the dollars here


def test_a_dollar_in_chart_labels_is_text(pooled):
    from skmkit import charts

    data = read_responses(pooled).replace({"unit": {"Dinas A": DOLLARS}})
    ax = charts.plot_ranking(ikm_table(data, by="unit"), by="unit")
    ax.set_title(DOLLARS)
    assert png_bytes(ax)[:4] == b"\x89PNG"
    labels = [t.get_text() for t in ax.get_yticklabels() + ax.get_xticklabels()] + [ax.get_title()]
    assert any(DOLLARS in label for label in labels)


def test_write_banner_with_dollars_end_to_end(pooled, tmp_path):
    written = write_banner(pooled, unit="Dinas A", by="Unit Layanan", period="Rp 5$ $x$", out=tmp_path,
                           format="png")
    assert written["png"].read_bytes()[:4] == b"\x89PNG"


# ------------------------------------------------------------ logos
def _noise_png(path: Path, side: int) -> Path:
    rng = random.Random(7)
    Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3)).save(path, compress_level=1)
    return path


def test_a_huge_logo_is_scaled_down_deterministically(tmp_path, pooled):
    big = _noise_png(tmp_path / "logo.png", 3000)  # about 27 MB of incompressible pixels
    assert big.stat().st_size > 20 << 20
    mime, data = logo_bytes(big)
    again = logo_bytes(tmp_path / "logo.png")[1]
    image = Image.open(io.BytesIO(data))
    assert (mime, image.size, image.format) == ("image/png", (MAX_SIDE, MAX_SIDE), "PNG")
    assert data == again and len(data) < 4 << 20
    r = prepare(pooled, unit="Dinas A", by="Unit Layanan", logo=str(big))
    assert len(str(cover(r))) < 6 << 20  # the cover embeds the scaled logo, not 27 MB
    fig = banner_figure(r.data, unit="Dinas A", period="P", logo=big)
    [img] = fig.axes[0].get_images()
    assert max(img.get_array().shape[:2]) == MAX_SIDE


def test_a_small_logo_is_kept_byte_for_byte(tmp_path):
    path = tmp_path / "kecil.png"
    Image.new("RGB", (120, 80), (200, 16, 46)).save(path)
    assert logo_bytes(path) == ("image/png", path.read_bytes())


def test_a_logo_too_large_to_read_is_refused_with_its_size(tmp_path):
    huge = tmp_path / "logo.png"
    with open(huge, "wb") as fh:
        fh.truncate(101 << 20)  # sparse: no disk used
    with pytest.raises(ParameterError, match=r"101,0 MB terlalu besar"):
        logo_bytes(huge)
    bomb = tmp_path / "bom.png"
    Image.new("1", (20000, 10000)).save(bomb)  # 200 million pixels in a few kilobytes
    with pytest.raises(ParameterError, match="terlalu besar untuk dibaca"):
        logo_bytes(bomb)
    text = tmp_path / "logo.jpg"
    text.write_text("bukan gambar")
    with pytest.raises(ParameterError, match="tidak bisa dibaca"):
        logo_bytes(text)


# ------------------------------------------------------------ property: CSV bytes
_HEADERS = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9", "Persyaratan", "Unit Layanan", "Tanggal",
            "Timestamp", "Usia", "Saran", "Nama", "No. WA", "Jenis Kelamin", "Pendidikan", "", " ", "U1",
            "Jenis Layanan", "Kolom"]
_CELLS = ["1", "2", "3", "4", "0", "5", "a", "d", "Sangat Baik", "baik", "", " ", "NaN", "-", "0812-3456-7890",
          "2026-01-01", "31/02/2026", "=1+1", '"', "'", ";", "\t", "x" * 300, "1e308", "-0", "∞", "Dinas A"]


_answers = st.sampled_from(["1", "2", "3", "4", "4", "3", "", "Sangat Baik", "c"])


@st.composite
def _header_rows(draw) -> list:
    """Half the time a complete survey (the nine unsur and a unit) with extra columns, so that
    the computing paths see odd values too; otherwise any headers."""
    if draw(st.booleans()):
        extra = draw(st.lists(st.sampled_from(_HEADERS) | st.text(max_size=12), max_size=4))
        return ["Unit Layanan", "Tanggal", *[f"U{k}" for k in range(1, 10)], *extra]
    return draw(st.lists(st.sampled_from(_HEADERS) | st.text(max_size=12), max_size=12))


@st.composite
def csv_bytes(draw) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=400))
    delim = draw(st.sampled_from([",", ";", "\t", "|"]))
    headers = draw(_header_rows())
    ncol = len(headers)
    rows = [[draw(_answers | st.sampled_from(_CELLS) | st.text(max_size=10) | st.integers(-5, 99).map(str))
             for _ in range(draw(st.integers(max(0, ncol - 2), ncol + 2)))]
            for _ in range(draw(st.integers(0, 8)))]
    buf = io.StringIO()
    if draw(st.booleans()):
        csv.writer(buf, delimiter=delim).writerows([headers, *rows])
    else:  # hand-joined: stray quotes and ragged rows
        buf.write("\n".join(delim.join(r) for r in [headers, *rows]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return buf.getvalue().encode(encoding, errors="replace")


def _must_end_well(call):
    try:
        return call()
    except SkmError:
        return None


@settings(PROFILE)
@given(data=csv_bytes())
def test_any_csv_ends_in_a_result_or_a_message(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("csv") / "data.csv"
    path.write_bytes(data)
    v = validate_file(path)  # never raises
    assert v.ok or v.errors
    _must_end_well(lambda: ikm_report(path))
    _must_end_well(lambda: ikm_report(path, by="Unit Layanan"))
    assert path.read_bytes() == data  # input never modified


# ------------------------------------------------------------ property: XLSX structures
_XCELLS = st.one_of(st.sampled_from(_CELLS), st.none(), st.integers(-10**12, 10**12), st.booleans(),
                    st.floats(allow_nan=False, allow_infinity=False),
                    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
                    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
                    st.sampled_from(["=1/0", "=NA()", "=SUM(A1:A3)", "#REF!"]))


def _storable(value):
    """Excel cannot hold control characters: drop them as Excel itself would refuse them."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


@st.composite
def xlsx_bytes(draw) -> bytes:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.binary(max_size=300))  # not a zip at all
    if kind == 1:  # a zip that is not a workbook
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(draw(st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "a.txt"])),
                       draw(st.binary(max_size=100)))
        return buf.getvalue()
    wb = openpyxl.Workbook()
    for i in range(draw(st.integers(0, 2))):
        wb.create_sheet(f"S{i}")
    for ws in wb.worksheets:
        start = draw(st.integers(1, 3))  # the header may not be on row 1
        headers = draw(_header_rows() | st.lists(st.sampled_from(_HEADERS) | st.none() | st.integers(0, 9),
                                                  max_size=11))
        ncol = len(headers)
        for j, h in enumerate(headers, 1):
            ws.cell(start, j, _storable(h))
        for r in range(draw(st.integers(0, 6))):
            for j in range(1, ncol + 1):
                value = draw(_answers.map(lambda a: int(a) if a.isdigit() else a) | _XCELLS)
                ws.cell(start + 1 + r, j, _storable(value))
        if ncol >= 2 and draw(st.booleans()):
            ws.merge_cells(start_row=start, start_column=1, end_row=start, end_column=2)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@settings(PROFILE)
@given(data=xlsx_bytes())
def test_any_xlsx_ends_in_a_result_or_a_message(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("xlsx") / "data.xlsx"
    path.write_bytes(data)
    v = validate_file(path)
    assert v.ok or v.errors
    _must_end_well(lambda: ikm_report(path))
    _must_end_well(lambda: ikm_report(path, by="Unit Layanan"))
    assert path.read_bytes() == data


# ------------------------------------------------------------ property: parameter files
_VALUES = st.one_of(
    st.none(), st.text(max_size=30), st.integers(-10, 10**13), st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True), st.dates(),
    st.sampled_from(["2026-01-01", "2026-13-45", "banyak", "1e12", "$x$", "Semester I 2026", "250", "-1", "0"]),
    st.lists(st.sampled_from(["a", 1, None]), max_size=3),
    st.dictionaries(st.sampled_from(["period", "ikm", "data", "unsur", "x"]),
                    st.sampled_from(["2025", 80, "banyak", 250, None]), max_size=3),
)
_KEYS = ["institution", "period", "period_start", "period_end", "population", "legacy_weight", "head_name",
         "head_title", "location", "report_date", "previous", "rtl", "logo", "survey", "source_name"]


@st.composite
def params_text(draw) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(max_size=80))  # not even YAML, or YAML that is not a mapping
    params = draw(st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=6))
    return yaml.safe_dump(params, allow_unicode=True, default_flow_style=False)


@settings(PROFILE)
@given(text=params_text())
def test_any_parameter_file_ends_in_a_result_or_a_message(tmp_path_factory, pooled, text):
    path = tmp_path_factory.mktemp("params") / "params.yml"
    path.write_text(text, encoding="utf-8")

    def run():
        params = load_params(path)
        check_parameters(notebook_path(), {**params, "data": str(pooled), "unit": "Dinas A", "by": "Unit Layanan"})
        r = prepare(pooled, unit="Dinas A", by="Unit Layanan", **params)
        return [str(section(r)) for section in (cover, foreword, survey_facts, sample, result, trend, rtl,
                                                 signature, colophon, conclusions)]

    _must_end_well(run)


# ------------------------------------------------------------ what the properties found
@pytest.mark.parametrize("data", [
    "\ufeff\n2".encode("utf-16"),  # one blank header cell: every column dropped as blank
    "Unit Layanan,Tanggal,U1,U2,U3,U4,U5,U6,U7,U8,U9\nA,0202-01-15,4,4,4,4,4,4,4,4,4\n".encode(),  # year typo
    "Unit Layanan,Tanggal,U1,U2,U3,U4,U5,U6,U7,U8,U9\nA,9999-12-31,4,4,4,4,4,4,4,4,4\n".encode(),
], ids=["blank-header-utf16", "year-0202", "year-9999"])
def test_found_by_the_properties(tmp_path, data):
    path = tmp_path / "data.csv"
    path.write_bytes(data)
    validate_file(path)
    _must_end_well(lambda: ikm_report(path))
