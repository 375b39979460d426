"""Files as offices and form tools produce them (tests/data/berkas_kantor/): read right or refused.

Every expected number is worked out here from the file's raw cells (csv,
openpyxl, pandas' odf reader with header=None) and the method doc's label
table, never through skmkit's reader.
"""
from __future__ import annotations

import csv
import re
import json
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from skmkit import SkmError, ValidationError, cli, read_responses, summarize, validate_file
from skmkit.ikm_json import ikm_report

from method_labels import LABELS  # skm-method.md, "Answers"

HERE = Path(__file__).parent / "data" / "berkas_kantor"
KEYS = [f"U{i}" for i in range(1, 10)]


# -- the method, by hand ------------------------------------------------------------------
def hand_ikm(rows) -> float:
    """IKM of score rows (9 values, None = blank): NRR over filled answers, 1/X over answered unsur."""
    nrr = []
    for j in range(9):
        vals = [float(r[j]) for r in rows if r[j] not in (None, "")]
        if vals:
            nrr.append(sum(vals) / len(vals))
    return sum(nrr) / len(nrr) * 25


def hand_nrr(rows, j) -> float:
    vals = [float(r[j]) for r in rows if r[j] not in (None, "")]
    return sum(vals) / len(vals)


def csv_rows(name, *, sep=",", encoding="utf-8"):
    with open(HERE / name, newline="", encoding=encoding) as fh:
        return list(csv.reader(fh, delimiter=sep))


def cells(name, sheet, rows, cols):
    """Values of a block of an XLSX sheet as saved (1-based rows, column letters)."""
    ws = openpyxl.load_workbook(HERE / name, data_only=True)[sheet]
    return [[ws[f"{c}{r}"].value for c in cols] for r in rows]


def letters(first, n=9):
    return [chr(ord(first) + i) for i in range(n)]


def ikm_json(path, *args, capsys):
    assert cli.main(["ikm", str(path), "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


# -- CSV and text exports -------------------------------------------------------------------
def test_delimiter_at_the_end_of_every_row(capsys):
    raw = csv_rows("akhir_baris_koma.csv")
    assert raw[1][-1] == "" and raw[0][-1] == "U9"  # as written: data rows one field longer
    expected = hand_ikm([r[2:11] for r in raw[1:]])
    out = ikm_json(HERE / "akhir_baris_koma.csv", capsys=capsys)
    assert out["groups"][0]["ikm"] == pytest.approx(expected)
    assert out["groups"][0]["respondents"] == len(raw) - 1


def test_trailing_semicolon_on_every_line_cp1252():
    raw = csv_rows("akhir_baris_titik_koma.csv", sep=";", encoding="cp1252")
    expected = hand_ikm([r[2:11] for r in raw[1:]])
    assert summarize(read_responses(HERE / "akhir_baris_titik_koma.csv"))["ikm"] == pytest.approx(expected)


@pytest.mark.parametrize("name,encoding,sep", [("teks_unicode.txt", "utf-16", "\t"),
                                               ("windows_1252.csv", "cp1252", ",")])
def test_unicode_text_and_windows_1252(name, encoding, sep):
    raw = csv_rows(name, sep=sep, encoding=encoding)
    expected = hand_ikm([r[2:11] for r in raw[1:]])
    df = read_responses(HERE / name)
    assert summarize(df)["ikm"] == pytest.approx(expected)
    assert df["saran"].iloc[0] == raw[1][1]  # accents kept: "café"


def test_blank_lines_and_a_blank_column():
    raw = csv_rows("baris_kosong.csv")
    data = [r for r in raw[1:] if any(c.strip() for c in r)]
    df = read_responses(HERE / "baris_kosong.csv")
    assert summarize(df)["ikm"] == pytest.approx(hand_ikm([r[2:11] for r in data]))
    # rows numbered as the spreadsheet shows them: blank lines count
    first_after_blank = next(i for i, r in enumerate(raw) if i > 1 and not raw[i - 1] and r) + 1
    assert first_after_blank in df["_row"].tolist()


# -- sheets, titles, totals, merges -------------------------------------------------------------
def test_hidden_first_sheet_is_skipped():
    expected = hand_ikm(cells("sheet_tersembunyi.xlsx", "2026", range(2, 27), letters("B")))
    v = validate_file(HERE / "sheet_tersembunyi.xlsx")
    assert summarize(v.data)["ikm"] == pytest.approx(expected)
    assert any(p.code == "hidden-sheet" and "'2025'" in p.message for p in v.warnings)


def test_instructions_sheet_first_then_data():
    expected = hand_ikm(cells("petunjuk_dulu.xlsx", "Data", range(2, 21), letters("B")))
    assert summarize(read_responses(HERE / "petunjuk_dulu.xlsx"))["ikm"] == pytest.approx(expected)
    assert summarize(read_responses(HERE / "petunjuk_dulu.xlsx", sheet="Data"))["ikm"] == pytest.approx(expected)


def test_merged_title_rows_above_the_header():
    expected = hand_ikm(cells("judul_gabung.xlsx", "SKM", range(6, 39), letters("D")))
    v = validate_file(HERE / "judul_gabung.xlsx")
    assert v.ok and summarize(v.data)["ikm"] == pytest.approx(expected)
    assert v.data["_row"].iloc[0] == 6
    assert any(p.code == "header-row" and "baris 5" in p.message for p in v.warnings)
    # the same file pointed at its header row by hand; a wrong row is refused, not guessed
    assert summarize(read_responses(HERE / "judul_gabung.xlsx", header_row=5))["ikm"] == pytest.approx(expected)
    with pytest.raises(ValidationError, match="U1"):
        read_responses(HERE / "judul_gabung.xlsx", header_row=2)


def test_two_row_header():
    expected = hand_ikm(cells("dua_baris_judul.xlsx", "Sheet", range(4, 32), letters("C")))
    assert summarize(read_responses(HERE / "dua_baris_judul.xlsx"))["ikm"] == pytest.approx(expected)


def test_totals_rows_are_left_out_with_one_message():
    data = cells("baris_jumlah.xlsx", "Tabulasi", range(3, 43), letters("C"))
    ws = openpyxl.load_workbook(HERE / "baris_jumlah.xlsx")["Tabulasi"]
    assert [ws[f"A{r}"].value for r in range(43, 47)] == ["JUMLAH", "NRR", "NRR TERTIMBANG", "IKM"]
    v = validate_file(HERE / "baris_jumlah.xlsx")
    assert v.ok and len(v.data) == 40
    assert summarize(v.data)["ikm"] == pytest.approx(hand_ikm(data))
    [note] = [p for p in v.warnings if p.code == "summary-rows"]
    assert "baris 43-46" in note.message and "tidak dihitung" in note.message


def test_subtotal_rows_between_unit_blocks(capsys):
    ws = openpyxl.load_workbook(HERE / "subtotal_per_unit.xlsx").active
    by_unit = {}
    for r in range(2, ws.max_row + 1):
        a = ws[f"A{r}"].value
        if a.startswith(("Jumlah", "TOTAL")):
            continue
        by_unit.setdefault(a, []).append([ws.cell(r, c).value for c in range(3, 12)])
    out = ikm_json(HERE / "subtotal_per_unit.xlsx", "--by", "Unit", capsys=capsys)
    got = {g["group"]["Unit"]: g["ikm"] for g in out["groups"]}
    assert got == pytest.approx({u: hand_ikm(rows) for u, rows in by_unit.items()})


def test_merged_unit_cells_are_filled_with_a_warning(capsys):
    ws = openpyxl.load_workbook(HERE / "sel_unit_gabung.xlsx").active
    assert ws["B3"].value is None  # under the merge, as saved
    blocks = {"Dinas Sosial": range(2, 41), "Dinas Perizinan": range(41, 62)}
    out = ikm_json(HERE / "sel_unit_gabung.xlsx", "--by", "Unit Layanan", capsys=capsys)
    got = {g["group"]["Unit Layanan"]: (g["respondents"], g["ikm"]) for g in out["groups"]}
    for unit, rows in blocks.items():
        data = [[ws.cell(r, c).value for c in range(4, 13)] for r in rows]
        assert got[unit][0] == len(data) and got[unit][1] == pytest.approx(hand_ikm(data))
    v = validate_file(HERE / "sel_unit_gabung.xlsx")
    assert [p.column for p in v.warnings if p.code == "merged-cells"] == ["Unit Layanan"] * 2


def test_formulas_without_stored_values_are_refused():
    v = validate_file(HERE / "rumus_tanpa_nilai.xlsx")
    [p] = v.errors
    assert p.code == "uncached-formula" and "simpan ulang" in p.fix and p.row == 2 and p.column == "U1"


def test_libreoffice_ods_with_hidden_sheet_title_and_totals():
    grid = pd.read_excel(HERE / "libreoffice.ods", engine="odf", sheet_name="SKM 2026", header=None)
    assert grid.iloc[1, 0] == "Unit Layanan" and grid.iloc[-1, 0] == "JUMLAH"
    data = grid.iloc[2:-1, 1:10].values.tolist()
    assert summarize(read_responses(HERE / "libreoffice.ods"))["ikm"] == pytest.approx(hand_ikm(data))



@pytest.mark.parametrize("name, hidden", [("baris_tersembunyi.xlsx", "5-8, 12"), ("baris_tersembunyi.ods", "3-4, 9")])
def test_hidden_and_filtered_rows_are_counted_and_named(name, hidden):
    grid = pd.read_excel(HERE / name, header=None, engine="odf" if name.endswith(".ods") else "openpyxl")
    first = 2 if grid.iloc[0, 0] == "No" else 1  # the xlsx has a No column before the unit
    data = grid.iloc[1:, first:first + 9].values.tolist()  # every data row, hidden or not
    v = validate_file(HERE / name)
    assert not v.errors
    assert summarize(v.data)["respondents"] == len(data)
    assert summarize(v.data)["ikm"] == pytest.approx(hand_ikm(data))
    [p] = [p for p in v.warnings if p.code == "hidden-rows"]
    assert f"baris {hidden};" in p.message and "hapus barisnya" in p.fix


# -- units, unsur, groups --------------------------------------------------------------------------
def test_an_unsur_nobody_answered_counts_1_over_x(capsys):
    raw = csv_rows("unsur_tidak_dijawab.csv")
    pusk = [r[2:11] for r in raw[1:] if r[1] == "Puskesmas Sukamaju"]
    assert all(r[3] == "" for r in pusk)
    expected = hand_ikm(pusk)  # eight NRR over 8, not 9
    assert expected > sum(hand_nrr(pusk, j) for j in range(9) if j != 3) / 9 * 25
    out = ikm_json(HERE / "unsur_tidak_dijawab.csv", "--by", "Unit Layanan", capsys=capsys)
    g = next(g for g in out["groups"] if g["group"]["Unit Layanan"] == "Puskesmas Sukamaju")
    assert g["ikm"] == pytest.approx(expected)
    assert g["unsur"]["U4"]["nrr"] is None and g["unsur"]["U4"]["mutu"] is None
    assert g["unsur_dinilai"] == [k for k in KEYS if k != "U4"]
    other = next(g for g in out["groups"] if g["group"]["Unit Layanan"] != "Puskesmas Sukamaju")
    assert other["unsur_dinilai"] == KEYS
    # the recap order follows the right numbers: Puskesmas first
    assert max(out["groups"], key=lambda g: g["ikm"]) is g
    assert cli.main(["ikm", str(HERE / "unsur_tidak_dijawab.csv"), "--by", "Unit Layanan"]) == 0
    text = capsys.readouterr().out
    assert "Puskesmas Sukamaju: IKM dihitung dari 8 unsur; U4 (Biaya/Tarif) tidak dijawab" in text
    assert not re.search(r"\bnan\b", text.lower())


def test_a_unit_with_no_answer_is_refused_and_named(capsys):
    raw = csv_rows("unit_tanpa_jawaban.csv")
    dik = [r[2:11] for r in raw[1:] if r[0] == "Dinas Pendidikan"]
    out = ikm_json(HERE / "unit_tanpa_jawaban.csv", "--by", "Unit Layanan", capsys=capsys)
    assert [g["group"]["Unit Layanan"] for g in out["groups"]] == ["Dinas Pendidikan"]
    assert out["groups"][0]["ikm"] == pytest.approx(hand_ikm(dik))
    assert out["tidak_dihitung"] == [{"group": {"Unit Layanan": "Kantor Camat Timur"},
                                      "alasan": "tidak ada jawaban unsur"}]
    from skmkit import select_unit

    camat = select_unit(read_responses(HERE / "unit_tanpa_jawaban.csv"), "Kantor Camat Timur", "Unit Layanan")
    with pytest.raises(SkmError, match="tidak ada satu pun jawaban unsur"):
        summarize(camat)


def test_unit_names_typed_by_hand_are_one_unit(capsys):
    raw = csv_rows("nama_unit_diketik.csv")
    sosial = [r[1:10] for r in raw[1:] if " ".join(r[0].split()).lower() == "dinas sosial"]
    out = ikm_json(HERE / "nama_unit_diketik.csv", "--by", "Unit Layanan", capsys=capsys)
    got = {g["group"]["Unit Layanan"]: g for g in out["groups"]}
    assert sorted(got) == ["Dinas Perhubungan", "Dinas Sosial"]  # the most frequent spelling
    assert got["Dinas Sosial"]["respondents"] == len(sosial) == 40
    assert got["Dinas Sosial"]["ikm"] == pytest.approx(hand_ikm(sosial))
    [p] = [p for p in validate_file(HERE / "nama_unit_diketik.csv").warnings if p.code == "merged-spellings"]
    assert "'DINAS  SOSIAL'" in p.message and "'dinas sosial'" in p.message


# -- dates ----------------------------------------------------------------------------------
def _months(dates):
    out = {}
    for d in dates:
        out[d.month] = out.get(d.month, 0) + 1
    return out


def test_google_forms_gmt7_timestamps_question_numbers_and_labels(capsys):
    raw = csv_rows("google_forms_gmt7.csv")
    header = raw[0]
    assert header[3:12] == [f"P{i}" for i in range(1, 10)]
    order = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8"]  # question 8 = sarana, 9 = pengaduan
    scored = []
    for r in raw[1:]:
        by_key = {k: LABELS[k].index(v) + 1 for k, v in zip(order, r[3:12])}
        scored.append([by_key[k] for k in KEYS])
    df = read_responses(HERE / "google_forms_gmt7.csv")
    s = summarize(df)
    assert s["unsur"]["U8"]["nrr"] == pytest.approx(hand_nrr(scored, 7))  # pengaduan, low
    assert s["unsur"]["U9"]["nrr"] == pytest.approx(hand_nrr(scored, 8))  # sarana, high
    assert s["ikm"] == pytest.approx(hand_ikm(scored))
    # "2026/01/02 8:16:46 PM GMT+7": the clock time as written, 12-hour clock read
    stamp = raw[1][0]
    date_part, clock, ampm, _zone = stamp.split()
    h, m, sec = map(int, clock.split(":"))
    h = h % 12 + (12 if ampm == "PM" else 0)
    assert df["tanggal"].iloc[0] == datetime(*map(int, date_part.split("/")), h, m, sec)
    months = _months(datetime(*map(int, r[0].split()[0].split("/"))) for r in raw[1:])
    out = ikm_json(HERE / "google_forms_gmt7.csv", "--by", "bulan", capsys=capsys)
    assert [g["respondents"] for g in out["groups"]] == [months[k] for k in sorted(months)]
    assert any(p.code == "question-numbers" and "P8 = U9" in p.message
               for p in validate_file(HERE / "google_forms_gmt7.csv").warnings)


def test_excel_serial_dates_in_a_csv(capsys):
    raw = csv_rows("tanggal_serial_excel.csv")
    dates = [datetime(1899, 12, 30) + timedelta(days=int(r[0])) for r in raw[1:]]
    df = read_responses(HERE / "tanggal_serial_excel.csv")
    assert df["tanggal"].tolist() == dates
    out = ikm_json(HERE / "tanggal_serial_excel.csv", "--by", "semester", capsys=capsys)
    assert [g["group"]["semester"] for g in out["groups"]] == ["2026 Semester I"]


def test_day_first_dates_are_real_dates():
    raw = csv_rows("tanggal_hari_dulu.csv", sep=";")
    dates = [datetime.strptime(r[0], "%d/%m/%Y") for r in raw[1:]]
    df = read_responses(HERE / "tanggal_hari_dulu.csv")
    assert pd.api.types.is_datetime64_any_dtype(df["tanggal"])
    assert df["tanggal"].tolist() == dates
    assert df["tanggal"].dt.month.iloc[0] == int(raw[1][0].split("/")[1])


# -- headers and labels ---------------------------------------------------------------------------
def test_short_headers_per_unsur():
    raw = csv_rows("judul_pendek.csv")
    assert raw[0][2:11][2] == "Waktu"
    v = validate_file(HERE / "judul_pendek.csv")
    assert v.ok and v.columns["U3"] == "Waktu" and v.columns["tanggal"] == "Tanggal"
    assert summarize(v.data)["ikm"] == pytest.approx(hand_ikm([r[2:11] for r in raw[1:]]))


def test_waktu_holding_the_timestamp_is_the_date():
    raw = csv_rows("waktu_tanggal.csv")
    v = validate_file(HERE / "waktu_tanggal.csv")
    assert v.ok and v.columns["tanggal"] == "Waktu" and v.columns["U3"] == "Waktu Penyelesaian"
    assert v.data["tanggal"].iloc[0] == datetime.strptime(raw[1][0], "%d/%m/%Y %H:%M")
    assert summarize(v.data)["ikm"] == pytest.approx(hand_ikm([r[2:11] for r in raw[1:]]))


def _label_score(key, text):
    t = " ".join(text.replace(",", ".").split()).lower()
    if t.replace(".0", "").isdigit():
        return int(float(t))
    if len(t) > 2 and t[1] == "." and t[0] in "abcd":
        return "abcd".index(t[0]) + 1
    return [x.lower() for x in LABELS[key]].index(t) + 1


def test_numbers_written_as_text_in_label_columns():
    raw = csv_rows("label_angka.csv", sep=";")
    assert {"4.0", "4,0"} & {c for r in raw for c in r}
    scored = [[_label_score(k, c) for k, c in zip(KEYS, r[1:10])] for r in raw[1:]]
    assert summarize(read_responses(HERE / "label_angka.csv"))["ikm"] == pytest.approx(hand_ikm(scored))


def test_number_and_label_that_disagree_are_refused():
    v = validate_file(HERE / "label_bertentangan.csv")
    [p] = v.errors
    assert (p.row, p.column, p.value, p.code) == (7, "U1", "3. Sangat sesuai", "conflicting-answer")
    assert "angka 3" in p.message and "bernilai 4" in p.message


def test_every_case_gives_a_number_or_a_one_line_refusal(capsys):
    for path in sorted(HERE.iterdir()):
        if path.suffix == ".py":
            continue
        code = cli.main(["ikm", str(path)])
        err = capsys.readouterr()
        if code:
            assert path.name in {"rumus_tanpa_nilai.xlsx", "label_bertentangan.csv"}
        else:
            assert "IKM = " in err.out and not re.search(r"\bnan\b", err.out.lower())


def test_inputs_are_never_modified(tmp_path):
    import hashlib

    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in HERE.iterdir()}
    for p in HERE.iterdir():
        if p.suffix != ".py":
            validate_file(p)
            if p.name not in {"rumus_tanpa_nilai.xlsx", "label_bertentangan.csv"}:
                ikm_report(p)
    assert before == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in HERE.iterdir()}


def test_cli_points_at_a_sheet_and_a_header_row(capsys):
    expected = hand_ikm(cells("judul_gabung.xlsx", "SKM", range(6, 39), letters("D")))
    out = ikm_json(HERE / "judul_gabung.xlsx", "--sheet", "skm", "--header-row", "5", capsys=capsys)
    assert out["groups"][0]["ikm"] == pytest.approx(expected)
    assert cli.main(["validate", str(HERE / "judul_gabung.xlsx"), "--sheet", "Tidak Ada"]) == 1
    assert "sheet 'Tidak Ada' tidak ada" in capsys.readouterr().out
