"""The auditable workbook: live formulas that Excel (here: the `formulas` evaluator) turns into skmkit's numbers.

Expected values are worked out by hand (the small table below) or recomputed
here from the raw scores, never copied from skmkit's output.
"""
import contextlib
import csv
import io
import json
import re
import time
import zipfile

import openpyxl
import pytest

import skmkit
from skmkit import cli
from skmkit.errors import ParameterError
from skmkit.workbook import workbook_bytes, write_workbook

KEYS = [f"U{i}" for i in range(1, 10)]

# Five respondents of a made-up unit. Blanks: R3 U3... see the scores. Personal
# columns (Nama, No HP) must never reach the workbook.
HAND_HEADER = ["Tanggal", "Nama", "No HP", "Unit Layanan", "Jenis Kelamin", "Pendidikan", "Pekerjaan",
               *KEYS, "Saran/Masukan"]
HAND_ROWS = [
    ["2026-01-05", "Budi Santoso", "081234567890", "Dinas Uji", "L", "SMA", "Swasta",
     4, 4, 3, 4, 3, 4, 4, 3, 2, '=HYPERLINK("http://contoh.id","klik")'],
    ["2026-02-10", "Siti Aminah", "081298765432", "Dinas Uji", "P", "D4/S1", "PNS",
     3, 3, 2, 4, 3, 4, 4, 2, 2, "+ tambah loket pembayaran"],
    ["2026-02-11", "Joko Widodo", "085600001111", "Dinas Uji", "P", "SMA", "Wirausaha",
     4, 3, 3, 4, 4, 3, 4, 3, 3, "-lambat sekali antreannya"],
    ["2026-03-01", "Ani Lestari", "087711112222", "Dinas Uji", "L", "SD", "Lainnya",
     2, 3, "", 4, 3, 3, 4, 2, 3, "@ loket: petugas kurang ramah"],
    ["2026-03-28", "Dedi Kurnia", "089900001111", "Dinas Uji", "P", "S2", "PNS",
     3, 4, 3, "", 3, 4, 4, 2, 3, "hubungi saya 0812-9999-8888 bila perlu"],
]
# By hand: totals / filled answers per unsur.
HAND_TOTAL = {"U1": 16, "U2": 17, "U3": 11, "U4": 16, "U5": 16, "U6": 18, "U7": 20, "U8": 12, "U9": 13}
HAND_FILLED = {"U1": 5, "U2": 5, "U3": 4, "U4": 4, "U5": 5, "U6": 5, "U7": 5, "U8": 5, "U9": 5}
HAND_NRR = {"U1": 3.2, "U2": 3.4, "U3": 2.75, "U4": 4.0, "U5": 3.2, "U6": 3.6, "U7": 4.0, "U8": 2.4, "U9": 2.6}
HAND_MUTU = {"U1": "B", "U2": "B", "U3": "C", "U4": "A", "U5": "B", "U6": "A", "U7": "A", "U8": "D", "U9": "C"}
HAND_IKM = 29.15 / 9 * 25  # = 80.9722..., mutu B


def write_hand(path, rows=HAND_ROWS, header=HAND_HEADER):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def evaluate(path) -> dict:
    """Evaluate every formula of an XLSX file: {(SHEET, "F8"): value}."""
    import formulas

    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out = {}
    for key, ranges in solution.items():
        m = re.match(r"^'\[[^\]]+\](.+)'!([A-Z]+\d+)$", key)
        if m:
            value = ranges.value[0][0]
            out[(m.group(1).upper(), m.group(2))] = value.item() if hasattr(value, "item") else value
    return out


def locate(wb):
    """Where the workbook puts things, found by their labels (not hard-coded rows)."""
    ws = wb["NRR"]
    rows = {ws[f"B{r}"].value: r for r in range(1, ws.max_row + 1) if ws[f"B{r}"].value in KEYS}
    labels = {str(ws[f"A{r}"].value): r for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value}
    find = lambda prefix: next(r for text, r in labels.items() if text.startswith(prefix))  # noqa: E731
    return rows, {"ikm": f"G{find('IKM ')}", "mutu": f"G{find('Mutu pelayanan')}",
                  "kinerja": f"G{find('Kinerja unit')}", "respondents": f"G{find('Jumlah responden')}"}


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hand")
    data = skmkit.read_responses(write_hand(folder / "dinas_uji.csv"))
    body = workbook_bytes(data, unit="Dinas Uji", period="Triwulan I 2026", institution="Kota Uji")
    path = folder / "dinas-uji.xlsx"
    path.write_bytes(body)
    return {"data": data, "body": body, "path": path, "values": evaluate(path), "csv": folder / "dinas_uji.csv",
            "wb": openpyxl.load_workbook(io.BytesIO(body))}


@pytest.fixture(scope="module")
def sample_unit(sample_df, tmp_path_factory):
    unit = "Dinas Lingkungan Hidup"  # the smallest unit keeps the evaluation fast
    data = skmkit.select_unit(sample_df, unit, "Unit Layanan")
    path = tmp_path_factory.mktemp("sample") / "dlh.xlsx"
    path.write_bytes(workbook_bytes(data, unit=unit, period="Semester I 2026"))
    return {"data": data, "path": path, "values": evaluate(path), "wb": openpyxl.load_workbook(path)}


# -- the formulas give the numbers --------------------------------------------------
def test_formulas_are_live_not_pasted(hand):
    ws = hand["wb"]["NRR"]
    rows, cells = locate(hand["wb"])
    r = rows["U3"]
    assert ws[f"D{r}"].value.startswith("=SUM(Tabulasi!") and ws[f"E{r}"].value.startswith("=COUNT(Tabulasi!")
    assert "ROUND(" in ws[f"I{r}"].value and "LOOKUP(" in ws[f"I{r}"].value
    assert ws[cells["ikm"]].value.startswith("=") and "ROUND(" in ws[cells["mutu"]].value
    assert ws["D4"].value == f"=1/COUNT(F{rows['U1']}:F{rows['U9']})"  # 1/X over the unsur answered


def test_every_formula_carries_its_value(hand):
    cached = openpyxl.load_workbook(io.BytesIO(hand["body"]), data_only=True)
    n = 0
    for ws in hand["wb"].worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    n += 1
                    value = cached[ws.title][c.coordinate].value
                    assert value is not None, (ws.title, c.coordinate, c.value)
                    assert value == hand["values"][(ws.title.upper(), c.coordinate)] or value == pytest.approx(
                        hand["values"][(ws.title.upper(), c.coordinate)], rel=1e-15), (ws.title, c.coordinate)
    assert n > 100


def test_pandas_reads_numbers_equal_to_ikm_json(hand):
    """What a pandas user sees: numbers in every formula cell, equal to `skmkit ikm --json`."""
    import pandas as pd

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["ikm", str(hand["csv"]), "--json"]) == 0
    group = json.loads(out.getvalue())["groups"][0]
    nrr = pd.read_excel(io.BytesIO(hand["body"]), sheet_name="NRR", header=None)
    table = nrr[nrr[1].isin(KEYS)].set_index(1)
    for key in KEYS:
        assert table.loc[key, 5] == pytest.approx(group["unsur"][key]["nrr"], abs=1e-12)
        assert table.loc[key, 7] == pytest.approx(group["unsur"][key]["converted"], abs=1e-10)
        assert table.loc[key, 8] == group["unsur"][key]["mutu"]
        assert table.loc[key, 3] == HAND_TOTAL[key] and table.loc[key, 4] == HAND_FILLED[key]
    labels = nrr.set_index(0)[6]
    assert labels["IKM (jumlah NRR tertimbang x konversi)"] == pytest.approx(group["ikm"], abs=1e-9)
    assert labels["Mutu pelayanan"] == group["mutu"] and labels["Kinerja unit pelayanan"] == group["kinerja"]
    assert labels["Jumlah responden"] == group["respondents"] == 5
    tab = pd.read_excel(io.BytesIO(hand["body"]), sheet_name="Tabulasi", header=4)
    assert tab["Unsur terisi"].tolist() == [9, 9, 9, 8, 8]  # R4 left U3, R5 left U4 blank
    profil = pd.read_excel(io.BytesIO(hand["body"]), sheet_name="Profil", header=None).set_index(0)
    assert profil.loc["Laki-laki (L)", 1] == 2 and profil.loc["Perempuan (P)", 1] == 3


def test_hand_table_evaluates_to_hand_numbers(hand):
    values, (rows, cells) = hand["values"], locate(hand["wb"])
    for key in KEYS:
        r = rows[key]
        assert values[("NRR", f"D{r}")] == HAND_TOTAL[key]
        assert values[("NRR", f"E{r}")] == HAND_FILLED[key]
        assert values[("NRR", f"F{r}")] == pytest.approx(HAND_NRR[key], abs=1e-12)
        assert values[("NRR", f"G{r}")] == pytest.approx(HAND_NRR[key] / 9, abs=1e-12)
        assert values[("NRR", f"H{r}")] == pytest.approx(HAND_NRR[key] * 25, abs=1e-12)
        assert values[("NRR", f"I{r}")] == HAND_MUTU[key], key
    assert values[("NRR", cells["ikm"])] == pytest.approx(HAND_IKM, abs=1e-9)
    assert values[("NRR", cells["mutu"])] == "B" and values[("NRR", cells["kinerja"])] == "Baik"
    assert values[("NRR", cells["respondents"])] == 5


def test_hand_table_equals_skmkit(hand):
    values, (rows, cells) = hand["values"], locate(hand["wb"])
    s = skmkit.summarize(hand["data"])
    for key in KEYS:
        assert values[("NRR", f"F{rows[key]}")] == pytest.approx(s["unsur"][key]["nrr"], abs=1e-12)
    assert values[("NRR", cells["ikm"])] == pytest.approx(s["ikm"], abs=1e-9)


def test_sample_unit_evaluates_to_skmkit_and_to_the_raw_scores(sample_unit):
    values, (rows, cells) = sample_unit["values"], locate(sample_unit["wb"])
    scores = sample_unit["data"][KEYS]
    nrr = scores.sum() / scores.count()  # independent: straight from the scores
    table = skmkit.unsur_table(sample_unit["data"]).set_index("unsur")
    for key in KEYS:
        got = values[("NRR", f"F{rows[key]}")]
        assert got == pytest.approx(nrr[key], abs=1e-12)
        assert got == pytest.approx(table.loc[key, "nrr"], abs=1e-12)
        assert values[("NRR", f"I{rows[key]}")] == table.loc[key, "mutu"]
    ikm = nrr.mean() * 25
    assert values[("NRR", cells["ikm"])] == pytest.approx(ikm, abs=1e-9)
    assert values[("NRR", cells["ikm"])] == pytest.approx(skmkit.summarize(sample_unit["data"])["ikm"], abs=1e-9)
    assert values[("NRR", cells["respondents"])] == len(scores)
    check = next(v for (sheet, ref), v in values.items() if sheet == "NRR" and v in ("cocok", "BERBEDA"))
    assert check == "cocok"


def test_per_layanan_ikm_evaluates_to_the_scores_of_that_service(sample_unit):
    ws, values = sample_unit["wb"]["Layanan"], sample_unit["values"]
    data = sample_unit["data"]
    seen = {}
    for r in range(7, ws.max_row + 1):
        service = ws[f"A{r}"].value
        if not service:
            continue
        part = data.loc[data["layanan"] == service, KEYS]
        nrr = part.sum() / part.count()  # independent: straight from that service's scores
        assert values[("LAYANAN", f"B{r}")] == len(part)
        for j, key in enumerate(KEYS):
            assert values[("LAYANAN", f"{'CDEFGHIJK'[j]}{r}")] == pytest.approx(nrr[key], abs=1e-12)
        seen[service] = values[("LAYANAN", f"L{r}")]
        assert seen[service] == pytest.approx(nrr.mean() * 25, abs=1e-9)
    table = skmkit.ikm_table(data, by="layanan", ci=None).set_index("layanan")
    assert set(seen) == set(table.index)
    for service, ikm in seen.items():
        assert ikm == pytest.approx(table.loc[service, "ikm"], abs=1e-9)


def test_profile_counts_evaluate_to_hand_counts(hand):
    ws, values = hand["wb"]["Profil"], hand["values"]
    counts = {ws[f"A{r}"].value: values[("PROFIL", f"B{r}")] for r in range(1, ws.max_row + 1)
              if ws[f"B{r}"].value and str(ws[f"B{r}"].value).startswith("=COUNTIF")}
    assert counts["Laki-laki (L)"] == 2 and counts["Perempuan (P)"] == 3
    assert counts["SD"] == 1 and counts["SMA"] == 2 and counts["D4/S1"] == 1 and counts["S2"] == 1
    assert counts["SMP"] == 0 and counts["PNS"] == 2


def test_rtl_takes_the_three_lowest_and_every_c_or_d(hand):
    ws = hand["wb"]["RTL"]
    keys = [ws[f"B{r}"].value.split()[0] for r in range(7, ws.max_row + 1) if ws[f"B{r}"].value]
    assert keys == ["U8", "U9", "U3"]  # NRR 2.40 (D), 2.60 (C), 2.75 (C)
    assert all(ws[f"F{r}"].value for r in range(7, 10))  # default programs filled in


def test_rtl_ties_follow_unsur_order(tmp_path):
    # NRR: U7 = 2.0 (D); U2 = U5 = U9 = 3.5 (B); others 4. U9 loses the tie.
    rows = [[4, 4, 4, 4, 4, 4, 2, 4, 4], [4, 3, 4, 4, 3, 4, 2, 4, 3]]
    path = tmp_path / "t.csv"
    write_hand(path, rows, KEYS)
    body = workbook_bytes(skmkit.read_responses(path), unit="Uji")
    ws = openpyxl.load_workbook(io.BytesIO(body))["RTL"]
    keys = [ws[f"B{r}"].value.split()[0] for r in range(7, ws.max_row + 1) if ws[f"B{r}"].value]
    assert keys == ["U7", "U2", "U5"]


def test_given_rtl_is_written(hand):
    rtl = [{"unsur": "U8", "program": "Membuka kanal WhatsApp pengaduan", "waktu": "TW II 2026", "pj": "Sekretaris"}]
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(hand["data"], unit="Dinas Uji", rtl=rtl)))
    ws = wb["RTL"]
    assert [ws["B7"].value, ws["F7"].value, ws["G7"].value, ws["H7"].value] == [
        "U8 Penanganan Pengaduan, Saran dan Masukan", "Membuka kanal WhatsApp pengaduan", "TW II 2026", "Sekretaris"]
    assert ws["B8"].value is None


def test_legacy_weight_is_written_and_evaluates_to_the_old_number(tmp_path):
    # The method doc's worked check, reduced: all-4 answers score 99.90 with weight 0.111.
    path = write_hand(tmp_path / "all4.csv", [[4] * 9] * 3, KEYS)
    survey = skmkit.load_survey(legacy_weight=0.111)
    out = tmp_path / "all4.xlsx"
    out.write_bytes(workbook_bytes(skmkit.read_responses(path, survey=survey), unit="Uji", survey=survey))
    values = evaluate(out)
    _, cells = locate(openpyxl.load_workbook(out))
    assert values[("NRR", "D4")] == 0.111
    assert values[("NRR", cells["ikm"])] == pytest.approx(99.9, abs=1e-9)


# -- text stays text, personal data stays out -------------------------------------------
@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_saran_starting_with_a_formula_sign_is_text(hand, start):
    ws = hand["wb"]["Saran"]
    cells = [c for row in ws.iter_rows(min_row=7) for c in row if isinstance(c.value, str) and c.value.startswith(start)]
    assert cells, f"no saran starting with {start!r}"
    for c in cells:
        assert c.data_type == "s" and c.quotePrefix
    assert any(c.value == '=HYPERLINK("http://contoh.id","klik")' for c in cells) or start != "="


def test_no_saran_is_a_formula_in_the_file(hand):
    with zipfile.ZipFile(io.BytesIO(hand["body"])) as z:
        xml = " ".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
        strings = z.read("xl/sharedStrings.xml").decode()
    formulas = re.findall(r"<f>(.*?)</f>", xml)
    assert formulas and not any("HYPERLINK" in f or "tambah loket" in f for f in formulas)
    assert '<t>=HYPERLINK("http://contoh.id","klik")</t>' in strings  # a shared string, not a formula


def test_personal_data_never_appears(hand):
    with zipfile.ZipFile(io.BytesIO(hand["body"])) as z:
        text = " ".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    for row in HAND_ROWS:
        assert row[1] not in text and row[2] not in text
    assert "0812-9999-8888" not in text and "[nomor disamarkan]" in text
    assert "Nama" not in [c.value for c in hand["wb"]["Tabulasi"][5]]


def test_sample_workbook_has_no_personal_columns(sample_unit):
    headers = [c.value for c in sample_unit["wb"]["Tabulasi"][5]]
    assert headers[:2] == ["No", "Baris data"] and headers[-1] == "Unsur terisi"
    assert not {"Nama", "No HP"} & set(headers)


# -- print and bytes ----------------------------------------------------------------------
def test_sheets_are_set_up_for_a4_printing(hand):
    wb = hand["wb"]
    assert wb.sheetnames == ["Tabulasi", "NRR", "Profil", "RTL", "Saran", "Keterangan"]
    for ws in wb.worksheets:
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4  # "9" = A4
        assert "Halaman &P dari &N" in ws.oddFooter.right.text
    assert wb["Tabulasi"].print_title_rows == "$5:$5"
    nrr = wb["NRR"]
    rows, cells = locate(wb)
    assert nrr[f"F{rows['U1']}"].number_format == "0.00" and nrr[cells["ikm"]].number_format == "0.00"
    for ws in wb.worksheets:  # one font throughout, named on every styled cell and in the page header
        assert {c.font.name for row in ws.iter_rows() for c in row if c.has_style} == {"Calibri"}, ws.title
        assert '&"Calibri,Regular"' in ws.oddHeader.center.font or "Calibri" in str(ws.oddHeader.center.font)
    rtl = wb["RTL"]  # the default programs wrap over two or more lines: their rows are taller
    assert all(rtl.row_dimensions[r].height and rtl.row_dimensions[r].height >= 30 for r in range(7, 10))
    assert wb["Keterangan"].row_dimensions[9].height >= 30  # "Responden (menjawab minimal satu unsur)" wraps


def test_bytes_are_identical_across_runs(hand):
    time.sleep(1.1)  # openpyxl stamps the save time: it must not reach the bytes
    again = workbook_bytes(hand["data"], unit="Dinas Uji", period="Triwulan I 2026", institution="Kota Uji")
    assert again == hand["body"]
    with zipfile.ZipFile(io.BytesIO(again)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "2000-01-01T00:00:00Z" in z.read("docProps/core.xml").decode()


def test_input_frame_is_not_changed(hand):
    before = hand["data"].copy()
    workbook_bytes(hand["data"], unit="Dinas Uji")
    assert hand["data"].equals(before)


# -- files and command line -----------------------------------------------------------------
def test_write_workbook_picks_the_unit_and_names_the_file(sample_path, tmp_path):
    path = write_workbook(sample_path, unit="Dinas Sosial", by="Unit Layanan", out=tmp_path, period="Semester I 2026")
    assert path == tmp_path / "dinas-sosial.xlsx" and path.read_bytes()[:2] == b"PK"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_write_workbook_refuses_a_pooled_file_without_unit(sample_path, tmp_path):
    with pytest.raises(ParameterError, match="12 unit.*--unit"):
        write_workbook(sample_path, out=tmp_path)


def test_cli_calls_write_workbook_with_the_same_names(monkeypatch, tmp_path, capsys):
    seen = {}

    def fake(data, **kwargs):
        seen.update(data=data, **kwargs)
        return tmp_path / "x.xlsx"

    monkeypatch.setattr("skmkit.workbook.write_workbook", fake)
    assert cli.main(["workbook", "d.csv", "--unit", "Dinas Sosial", "--by", "Unit Layanan", "--out", str(tmp_path),
                     "--period", "Semester I 2026"]) == 0
    # every report parameter is a flag of workbook too (one schema); those not given are None
    assert seen == {**{name: None for name in cli.WORKBOOK_FLAGS}, "data": "d.csv", "unit": "Dinas Sosial",
                    "by": "Unit Layanan", "out": str(tmp_path), "period": "Semester I 2026"}
    assert {"rtl", "head_title", "legacy_weight", "period_start", "sheet"} <= set(cli.WORKBOOK_FLAGS)
    assert "ditulis:" in capsys.readouterr().out


def test_cli_bad_unit_is_one_line(sample_path, tmp_path, capsys):
    assert cli.main(["workbook", str(sample_path), "--unit", "Dinas Tidak Ada", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert "Dinas Tidak Ada" in err and "Unit Layanan" in err and "\n" not in err


# -- categories in one spelling -------------------------------------------------------------------
def test_categories_named_like_formulas_are_text_and_counted(tmp_path):
    # One respondent per row; layanan and pendidikan typed as formulas must stay text everywhere.
    evil = '=HYPERLINK("http://x","klik")'
    header = ["Jenis Layanan", "Pendidikan", *KEYS]
    rows = [[evil, "@SUM(1)", *[4] * 9], ["+Loket", "SMA", *[3] * 9], [evil, "@sum(1)", *[2] * 9]]
    data = skmkit.read_responses(write_hand(tmp_path / "evil.csv", rows, header))
    path = tmp_path / "evil.xlsx"
    path.write_bytes(workbook_bytes(data, unit="-Dinas Uji"))
    wb, values = openpyxl.load_workbook(path), evaluate(path)
    texts = [(ws.title, c) for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@")) and c.data_type != "f"]
    assert {(t, c.value) for t, c in texts} >= {("Tabulasi", evil), ("Tabulasi", "+Loket"), ("Layanan", evil),
                                                  ("Profil", evil), ("Profil", "@SUM(1)")}
    assert all(c.quotePrefix for _, c in texts)
    calls = [re.sub(r'"(?:[^"]|"")*"', '""', c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if c.data_type == "f"]  # formulas with their string literals emptied
    assert calls and not any("HYPERLINK" in f or "SUM(1)" in f for f in calls)
    profil = wb["Profil"]
    counts = {profil[f"A{r}"].value: values[("PROFIL", f"B{r}")] for r in range(1, profil.max_row + 1)
              if profil[f"B{r}"].data_type == "f" and "COUNTIF" in profil[f"B{r}"].value}
    assert counts[evil] == 2 and counts["+Loket"] == 1 and counts["@SUM(1)"] == 2  # "@sum(1)": same category
    layanan = wb["Layanan"]
    got = {layanan[f"A{r}"].value: values[("LAYANAN", f"B{r}")] for r in range(7, layanan.max_row + 1)
           if layanan[f"A{r}"].value}
    assert got == {evil: 2, "+Loket": 1}


def test_pandas_sees_a_value_in_every_formula_cell(sample_unit):
    import pandas as pd

    sheets = pd.read_excel(sample_unit["path"], sheet_name=None, header=None)
    seen = 0
    for ws in sample_unit["wb"].worksheets:
        frame = sheets[ws.title]
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    got = frame.iat[c.row - 1, c.column - 1]
                    want = sample_unit["values"][(ws.title.upper(), c.coordinate)]
                    assert got == want or got == pytest.approx(want, rel=1e-15), (ws.title, c.coordinate)
                    seen += 1
    assert seen > 150 and {"Layanan", "Profil", "NRR", "Tabulasi", "RTL"} <= set(sheets)
