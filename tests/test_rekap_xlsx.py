"""The recap workbook read as pandas and openpyxl read it: cached numbers, text kept text, print setup.

Expected values come from `skmkit ikm --json` (per unit) and by hand (Krejcie-Morgan table).
"""
import contextlib
import io
import json

import openpyxl
import pandas as pd
import pytest

from skmkit import cli
from skmkit.recap_report import recap_table, recap_xlsx

INJECTED = '=HYPERLINK("http://x","klik")'


@pytest.fixture(scope="module")
def recap(sample_df, tmp_path_factory):
    frame = sample_df.copy()
    frame["unit"] = frame["unit"].replace({"Dinas Perhubungan": INJECTED, "Puskesmas Melati": "+Puskesmas Melati"})
    path = tmp_path_factory.mktemp("rekap") / "all.csv"
    frame.to_csv(path, index=False)
    table = recap_table(frame, population={"Dinas Sosial": 1000, INJECTED: 100})
    body = recap_xlsx(table, institution="Kota Uji", period="Semester I 2026")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["ikm", str(path), "--by", "unit", "--json"]) == 0
    groups = {g["group"]["unit"]: g for g in json.loads(out.getvalue())["groups"]}
    return {"body": body, "table": table, "groups": groups}


def test_pandas_reads_numbers_in_every_formula_cell_equal_to_ikm_json(recap):
    sheet = pd.read_excel(io.BytesIO(recap["body"]), header=4)
    units = sheet[pd.to_numeric(sheet["Peringkat"], errors="coerce").notna()].set_index("Unit layanan")
    assert set(units.index) == set(recap["groups"])
    for unit, g in recap["groups"].items():
        row = units.loc[unit]
        assert row["IKM"] == pytest.approx(g["ikm"], abs=1e-9)
        assert (row["Mutu"], row["Kinerja"], row["Responden"]) == (g["mutu"], g["kinerja"], g["respondents"])
        for k in [f"U{i}" for i in range(1, 10)]:
            assert row[f"NRR {k}"] == pytest.approx(g["unsur"][k]["nrr"], abs=1e-12)
    # Krejcie-Morgan table by hand: N = 1000 -> 278, N = 100 -> 80.
    assert units.loc["Dinas Sosial", "Sampel minimum (Krejcie-Morgan)"] == 278
    assert units.loc[INJECTED, "Sampel minimum (Krejcie-Morgan)"] == 80
    assert units.loc[INJECTED, "Sampel cukup"] == ("ya" if recap["groups"][INJECTED]["respondents"] >= 80 else "tidak")
    mean = sheet.set_index("Unit layanan").loc["Rata-rata IKM unit"]
    assert mean["IKM"] == pytest.approx(sum(g["ikm"] for g in recap["groups"].values()) / 12, abs=1e-9)
    pooled = sheet.set_index("Unit layanan").loc["Gabungan (semua responden)"]
    assert pooled["Responden"] == sum(g["respondents"] for g in recap["groups"].values())


def test_every_formula_cell_has_a_cached_value(recap):
    formulas = openpyxl.load_workbook(io.BytesIO(recap["body"]))["Rekap IKM"]
    cached = openpyxl.load_workbook(io.BytesIO(recap["body"]), data_only=True)["Rekap IKM"]
    cells = [c.coordinate for row in formulas.iter_rows() for c in row if c.data_type == "f"]
    assert len(cells) > 30
    assert all(cached[ref].value is not None for ref in cells)


def test_unit_names_like_formulas_are_text(recap):
    ws = openpyxl.load_workbook(io.BytesIO(recap["body"]))["Rekap IKM"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value in
             (INJECTED, "+Puskesmas Melati")]
    assert len(cells) == 2 and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert not any(c.data_type == "f" and "HYPERLINK" in c.value for row in ws.iter_rows() for c in row)


def test_recap_print_setup(recap):
    ws = openpyxl.load_workbook(io.BytesIO(recap["body"]))["Rekap IKM"]
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the default, left out of the file
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$5:$5"
    assert "Rekapitulasi SKM" in ws.oddHeader.center.text and "Halaman &P dari &N" in ws.oddFooter.right.text
    fonts = {c.font.name for row in ws.iter_rows() for c in row if c.has_style}
    assert fonts == {"Calibri"}


def test_recap_bytes_are_deterministic(recap):
    again = recap_xlsx(recap["table"], institution="Kota Uji", period="Semester I 2026")
    assert again == recap["body"]
