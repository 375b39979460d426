"""Instruments from the survey definition (issue 19): what each tool gives back reads through `skmkit ikm`.

Answers are made up in the shape each tool exports (KoboToolbox CSV and XLSX with group paths and system
columns, the Google Forms sheet's CSV, the Excel entry sheet filled by openpyxl); the IKM is worked out here
from the made-up scores with the method doc's rule (NRR over filled answers, mean over unsur, x 25), never
through skmkit's reader.
"""
from __future__ import annotations

import csv
import json
import math
import re
from datetime import datetime

import numpy as np
import pytest
import yaml
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

import skmkit
from skmkit import cli
from skmkit.instruments import make_instruments
from skmkit.privacy import personal_header
from skmkit.validate import read_responses

from method_labels import LABELS

#: The regulation's sample questionnaire order (skm-method.md, "Answers"): sarana asked 8th, pengaduan 9th.
ORDER = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8"]
QUESTIONS = {
    "U1": "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
    "U9": "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
    "U8": "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
}
UNITS = ["Dinas Sosial", "Puskesmas Mawar"]
SYSTEM = ["meta/instanceID", "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
          "_submitted_by", "__version__", "_tags", "_index"]


@pytest.fixture(scope="module")
def units_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("units")
    (folder / "units.yml").write_text(
        "defaults:\n  institution: Pemerintah Kota Uji\n  period: Triwulan I 2026\n"
        "  period_start: '2026-01-01'\n  period_end: '2026-03-31'\n"
        "units:\n- id: dinsos\n  unit: Dinas Sosial\n  population: 1000\n"
        "- id: pkm-mawar\n  unit: Puskesmas Mawar\n  population: 100\n- id: kec\n  unit: Kecamatan Uji\n",
        encoding="utf-8")
    return folder / "units.yml"


@pytest.fixture(scope="module")
def made(tmp_path_factory, units_file):
    out = tmp_path_factory.mktemp("instrumen")
    return make_instruments(out, units=units_file, layanan=["Bantuan sosial", "Surat keterangan"],
                            form_url="https://ee.kobotoolbox.org/x/uji123", non_return=0.2,
                            formats=("pdf", "xlsform", "gforms", "xlsx"))


def _one(made, kind, name=None):
    paths = made.outputs[kind]
    return next(p for p in paths if name is None or p.name == name)


def _ikm_json(path, capsys, *extra) -> dict:
    assert cli.main(["ikm", str(path), "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def _by_hand(scores: list[dict], conversion: float = 25) -> float:
    """IKM = mean over answered unsur of (sum of filled scores / filled count) x conversion."""
    keys = {k for row in scores for k, v in row.items() if v is not None}
    nrr = []
    for k in keys:
        filled = [row[k] for row in scores if row.get(k) is not None]
        nrr.append(sum(filled) / len(filled))
    return sum(nrr) / len(nrr) * conversion


def _made_up(rng, keys, n, scale=(1, 4), blanks=0.0) -> list[dict]:
    rows = []
    for _ in range(n):
        rows.append({k: (None if rng.random() < blanks else int(rng.integers(scale[0], scale[1] + 1))) for k in keys})
    return rows


# ----------------------------------------------------------------------------- the questionnaire PDF
def _pdf_text(path) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(text.split())


def test_questionnaire_pdf_holds_every_question_in_order_with_its_four_labels(made):
    pdfs = made.outputs["pdf"]
    assert [p.name for p in pdfs] == ["kuesioner-dinsos.pdf", "kuesioner-pkm-mawar.pdf", "kuesioner-kec.pdf"]
    text = _pdf_text(pdfs[0])
    assert "Dinas Sosial" in text and "Triwulan I 2026" in text
    survey = skmkit.load_survey()
    pos = 0
    for number, key in enumerate(ORDER, start=1):
        question = " ".join(survey.get(key).question.split())
        if key in QUESTIONS:
            assert question == QUESTIONS[key]
        found = text.find(f"{number}. {question}", pos)
        assert found >= pos, f"question {number} ({key}) missing or out of order"
        pos = found
        for letter, label in zip("abcd", LABELS[key]):  # the four boxes, a..d, in score order
            at = text.find(f"{letter}. {label}", pos)
            assert at > pos, f"{key}: '{letter}. {label}' missing after its question"
            pos = at
    for word in ("Bantuan sosial", "Surat keterangan", "Laki-laki", "Perempuan", "D4/S1", "Saran dan Masukan",
                 "NIK", "UU Nomor 27 Tahun 2022"):
        assert word in text, word


def test_questionnaire_pdf_has_the_qr_code_and_no_date(made):
    raw = _one(made, "pdf").read_bytes()
    assert b"/CreationDate" not in raw and b"/ModDate" not in raw
    # the QR code is vector paths in the page (segno SVG), not an image and not text
    assert "uji123" not in _pdf_text(_one(made, "pdf"))


def test_sampling_plan_xlsx_and_pdf_by_hand(made):
    ws = load_workbook(_one(made, "plan", "rencana_sampel.xlsx")).active
    rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(2, 7)] for r in range(4, 7)}
    # Krejcie-Morgan worked by hand: N=1000 -> 3.841*1000*0.25 / (0.0025*999 + 3.841*0.25) = 277.7 -> 278
    km = 3.841 * 1000 * 0.25 / (0.05 ** 2 * 999 + 3.841 * 0.25)
    assert round(km) == 278
    assert rows["Dinas Sosial"][:4] == [1000, 278, 0.2, math.ceil(278 / 0.8)] == [1000, 278, 0.2, 348]
    assert rows["Puskesmas Mawar"][:4] == [100, 80, 0.2, 100]  # the published table: 100 -> 80
    assert rows["Kecamatan Uji"][0] is None and rows["Kecamatan Uji"][3] is None
    assert rows["Dinas Sosial"][4].startswith("Triwulan I 2026")
    text = _pdf_text(_one(made, "plan", "rencana_sampel.pdf"))
    assert "348" in text and "278" in text and "Krejcie" in text and "Kecamatan Uji" in text


# ----------------------------------------------------------------------------- XLSForm / KoboToolbox
def _xlsform(path) -> tuple[list[dict], list[dict]]:
    wb = load_workbook(path)
    out = []
    for name in ("survey", "choices"):
        rows = list(wb[name].iter_rows(values_only=True))
        out.append([dict(zip(rows[0], r)) for r in rows[1:]])
    return out[0], out[1]


def test_pyxform_converts_the_xlsform_with_required_answers_and_constraints(made):
    from pyxform.xls2xform import convert

    warnings = []
    xml = convert(str(_one(made, "xlsform")), warnings=warnings).xform
    assert not [w for w in warnings if "error" in w.lower()]
    survey, choices = _xlsform(_one(made, "xlsform"))
    questions = [r for r in survey if r["name"] in LABELS]
    assert [r["name"] for r in questions] == ORDER
    assert all(r["required"] == "yes" for r in questions)
    for key in ORDER:
        assert [c["label"] for c in choices if c["list_name"] == f"skala_{key}"] == LABELS[key]
        assert [c["name"] for c in choices if c["list_name"] == f"skala_{key}"] == ["1", "2", "3", "4"]
    assert [c["name"] for c in choices if c["list_name"] == "unit"] == UNITS + ["Kecamatan Uji"]
    assert 'required="true()"' in xml and "constraint=" in xml and ". &gt;= 15" in xml
    assert xml.count('required="true()"') >= len(ORDER) + 6  # every answer and the profile questions


def _kobo_rows(made, rng, n, *, group, labels):
    """Submissions as KoboToolbox exports them: group paths from the form's own names, system columns."""
    survey, choices = _xlsform(_one(made, "xlsform"))
    fields, path = [], []
    for r in survey:
        if r["type"] == "begin_group":
            path.append(group if r["name"] == "grp_responden" else r["name"])
        elif r["type"] == "end_group":
            path.pop()
        else:
            fields.append(("/".join(path + [r["name"]]), r))
    scores = _made_up(rng, ORDER, n)
    out = []
    for i, s in enumerate(scores):
        row = {}
        for header, r in fields:
            name, kind = r["name"], r["type"]
            if kind in ("start", "end"):
                row[header] = f"2026-02-{i % 27 + 1:02d}T09:{i % 60:02d}:00.000+07:00"
            elif name in s:
                value = str(s[name])
                if labels:
                    value = next(c["label"] for c in choices if c["list_name"] == kind.split()[1] and c["name"] == value)
                row[header] = value
            elif name == "unit":
                row[header] = UNITS[i % 2]
            elif name == "tanggal":
                row[header] = f"2026-02-{i % 27 + 1:02d}"
            elif name == "usia":
                row[header] = str(20 + i)
            elif kind.startswith("select_one"):
                opts = [c for c in choices if c["list_name"] == kind.split()[1]]
                c = opts[i % len(opts)]
                row[header] = c["label"] if labels else c["name"]
            else:
                row[header] = "Pelayanan cepat" if name == "saran" else "Bantuan sosial"
        row.update({"meta/instanceID": f"uuid:{i:08d}-aaaa-4bbb-8ccc-{i:012d}", "_id": str(301245000 + i),
                    "_uuid": f"{i:08d}-aaaa-4bbb-8ccc-{i:012d}", "_submission_time": f"2026-02-{i % 27 + 1:02d}T02:00:00",
                    "_validation_status": "", "_notes": "", "_status": "submitted_via_web", "_submitted_by": "",
                    "__version__": "vAbc123", "_tags": "", "_index": str(i + 1)})
        out.append(row)
    return out, scores


def test_kobo_csv_with_group_paths_reads_back_with_no_options(made, tmp_path, capsys):
    rows, scores = _kobo_rows(made, np.random.default_rng(19), 37, group="grp_identitas", labels=False)
    path = tmp_path / "kobo.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:  # KoboToolbox's CSV: ';' between fields
        w = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter=";")
        w.writeheader()
        w.writerows(rows)
    assert "grp_identitas/unit" in rows[0] and "grp_pendapat/U1" in rows[0]
    r = _ikm_json(path, capsys)
    assert r["groups"][0]["respondents"] == 37
    assert r["groups"][0]["ikm"] == pytest.approx(_by_hand(scores))
    # the unit column is kept (a group named "identitas" names no personal data) and its names read back
    data = read_responses(path)
    assert sorted(data["unit"].unique()) == UNITS
    assert sorted(data["layanan"].unique()) == ["Bantuan sosial", "Surat keterangan"]
    by_unit = {g["group"]["unit"]: g["ikm"] for g in _ikm_json(path, capsys, "--by", "unit")["groups"]}
    assert by_unit["Puskesmas Mawar"] == pytest.approx(_by_hand(scores[1::2]))


def test_kobo_xlsx_with_labels_and_group_paths_reads_back_with_no_options(made, tmp_path, capsys):
    rows, scores = _kobo_rows(made, np.random.default_rng(20), 23, group="identitas", labels=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "Survei Kepuasan Masyarakat Pem"  # Kobo names the sheet after the form, cut to 31 characters
    ws.append(list(rows[0]))
    for row in rows:
        ws.append(list(row.values()))
    path = tmp_path / "kobo.xlsx"
    wb.save(path)
    assert "Laki-laki" in [c.value for c in ws[2]] and "grp_pendapat/U1" in [c.value for c in ws[1]]
    r = _ikm_json(path, capsys)
    assert r["groups"][0]["respondents"] == 23
    assert r["groups"][0]["ikm"] == pytest.approx(_by_hand(scores))
    assert sorted(read_responses(path)["unit"].unique()) == UNITS


def test_a_group_path_is_not_a_header_word_for_personal_data():
    assert not personal_header("grp_identitas/unit")
    assert not personal_header("identitas/jenis_kelamin")
    assert personal_header("grp_identitas/nama")  # the question named last is still judged
    assert personal_header("identitas/no_hp")
    assert personal_header("No. Telp/HP") and personal_header("Identitas")


# ----------------------------------------------------------------------------- Google Forms
def _script_items(made) -> list[tuple[str, list[str] | None]]:
    """(title, choices) of each item the Apps Script adds, in order, parsed from the script's JSON strings."""
    text = _one(made, "gforms").read_text(encoding="utf-8")
    items = []
    for m in re.finditer(r"form\.add(\w+)Item\(\)\.setTitle\((\"(?:[^\"\\]|\\.)*\")\)(\.setChoiceValues\((\[.*?\])\))?",
                         text):
        if m.group(1) in ("SectionHeader", "PageBreak"):
            continue
        items.append((json.loads(m.group(2)), json.loads(m.group(4)) if m.group(4) else None))
    return items


def test_apps_script_creates_the_form_with_the_exact_questions_choices_and_required(made):
    text = _one(made, "gforms").read_text(encoding="utf-8")
    assert "function buatFormulirSKM()" in text and "FormApp.DestinationType.SPREADSHEET" in text
    items = _script_items(made)
    survey = skmkit.load_survey()
    questions = [(t, c) for t, c in items if re.match(r"\d+\. ", t)]
    assert [t for t, _ in questions] == [f"{i}. {survey.get(k).question}" for i, k in enumerate(ORDER, start=1)]
    assert [c for _, c in questions] == [LABELS[k] for k in ORDER]
    assert ("Unit Layanan", UNITS + ["Kecamatan Uji"]) in items
    assert text.count(".setRequired(true)") == len(ORDER) + 6  # answers + unit, layanan, jk, usia, pend., pek.
    assert ".setRequired(false)" in text and "requireNumberBetween(15, 100)" in text


@pytest.mark.parametrize("stamp_header, stamp", [("Timestamp", "2/{d}/2026 10:{m:02d}:05"),
                                                 ("Cap waktu", "{d:02d}/02/2026 10.{m:02d}.05")])
def test_google_forms_sheet_csv_reads_back_with_no_options(made, tmp_path, capsys, stamp_header, stamp):
    items = _script_items(made)
    rng = np.random.default_rng(7)
    scores = _made_up(rng, ORDER, 31)
    rows = []
    for i, s in enumerate(scores):
        row = [stamp.format(d=i % 27 + 1, m=i % 60)]
        q = 0
        for title, choices in items:
            if re.match(r"\d+\. ", title):
                row.append(choices[s[ORDER[q]] - 1])
                q += 1
            elif choices:
                row.append(choices[i % len(choices)])
            else:
                row.append({"Usia": str(18 + i)}.get(title, "Terima kasih"))
        rows.append(row)
    path = tmp_path / "Formulir SKM (Jawaban) - Form Responses 1.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow([stamp_header] + [t for t, _ in items])
        w.writerows(rows)
    r = _ikm_json(path, capsys)
    assert r["groups"][0]["respondents"] == 31
    assert r["groups"][0]["ikm"] == pytest.approx(_by_hand(scores))
    data = read_responses(path)
    assert data["tanggal"].notna().all() and set(data["jenis_kelamin"]) == {"L", "P"}


# ----------------------------------------------------------------------------- the Excel entry sheet
def _validations(ws) -> dict:
    return {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv for dv in ws.data_validations.dataValidation}


def _range_values(wb, ref: str) -> list:
    sheet, cells = ref.split("!")
    return [c[0].value for c in wb[sheet][cells.replace("$", "")]]


def test_entry_sheet_lists_dates_protection_and_instructions(made):
    wb = load_workbook(_one(made, "xlsx"))
    assert wb.sheetnames == ["Isian", "Petunjuk", "Daftar"] and wb["Daftar"].sheet_state == "hidden"
    ws = wb["Isian"]
    headers = [c.value for c in ws[1]]
    assert headers[:7] == ["Unit Layanan", "Jenis Layanan", "Tanggal Survei", "Jenis Kelamin", "Usia", "Pendidikan",
                           "Pekerjaan"]
    assert headers[-1] == "Saran dan Masukan"
    assert [h.split(". ", 1)[0] for h in headers[7:-1]] == [str(i) for i in range(1, 10)]
    assert ws.freeze_panes == "A2" and ws.protection.sheet and ws["A1"].protection.locked
    dvs = _validations(ws)
    lists = {headers[ord(c) - 65]: _range_values(wb, dv.formula1) for c, dv in dvs.items() if dv.type == "list"}
    assert lists["Unit Layanan"] == UNITS + ["Kecamatan Uji"]
    assert lists["Jenis Layanan"] == ["Bantuan sosial", "Surat keterangan"]
    assert lists["Jenis Kelamin"] == ["Laki-laki", "Perempuan"]
    assert lists["Pendidikan"] == ["SD", "SMP", "SMA", "D1-D3", "D4/S1", "S2", "S3"]
    for i, key in enumerate(ORDER):
        assert lists[headers[7 + i]] == LABELS[key]
    for dv in dvs.values():  # a value outside the rule is refused by the sheet itself
        assert dv.errorStyle in (None, "stop") and dv.showErrorMessage
    assert dvs["C"].type == "date" and dvs["E"].type == "whole"
    assert (dvs["E"].formula1, dvs["E"].formula2) == ("15", "100")
    assert str(dvs["H"].sqref) == "H2:H2001"
    assert "Satu baris untuk satu kuesioner" in wb["Petunjuk"]["A3"].value


def test_entry_sheet_filled_by_openpyxl_reads_back_exactly(made, tmp_path, capsys):
    wb = load_workbook(_one(made, "xlsx"))
    ws = wb["Isian"]
    headers = [c.value for c in ws[1]]
    rng = np.random.default_rng(4)
    scores = _made_up(rng, ORDER, 29, blanks=0.05)  # a clerk leaves an unanswered question blank
    for i, s in enumerate(scores):
        answers = [None if s[k] is None else LABELS[k][s[k] - 1] for k in ORDER]
        ws.append([UNITS[i % 2], "Surat keterangan", datetime(2026, 1, i + 1), ["Laki-laki", "Perempuan"][i % 2],
                   25 + i, "SMA", "PNS", *answers, "Antrian panjang" if i == 3 else None])
    path = tmp_path / "isian.xlsx"
    wb.save(path)
    r = _ikm_json(path, capsys)
    assert r["groups"][0]["respondents"] == 29
    assert r["groups"][0]["ikm"] == pytest.approx(_by_hand(scores))
    filled = {k: sum(s[k] is not None for s in scores) for k in ORDER}
    assert {k: v["filled"] for k, v in r["groups"][0]["unsur"].items()} == filled
    data = read_responses(path)
    assert list(data["unit"][:2]) == UNITS and data["tanggal"].iloc[4] == datetime(2026, 1, 5)
    assert list(data["usia"][:3]) == [25, 26, 27]
    assert len(headers) == 17


# ----------------------------------------------------------------------------- a custom definition
@pytest.fixture(scope="module")
def custom(tmp_path_factory):
    """Every fact changed: keys P01.., names, questions, five labels on a 1-5 scale, letters, conversion 20,
    bands and their letters, the display order and the questionnaire's order."""
    folder = tmp_path_factory.mktemp("custom")
    labels = {f"P0{i}": [f"Nilai {i}-{s}" for s in range(1, 6)] for i in range(1, 6)}
    definition = {
        "id": "spkp-uji", "name": "Survei Persepsi Uji", "scale": {"min": 1, "max": 5},
        "letters": ["A", "B", "C", "D", "E"], "conversion": 20,
        "bands": [{"mutu": "I", "kinerja": "Unggul", "min": 85, "persepsi": 4},
                  {"mutu": "II", "kinerja": "Cukup", "min": 60, "persepsi": 3},
                  {"mutu": "III", "kinerja": "Lemah", "min": 40, "persepsi": 2},
                  {"mutu": "IV", "kinerja": "Buruk", "min": 20, "persepsi": 1}],
        "order": ["P01", "P02", "P03", "P04", "P05"],
        "questions": ["P04", "P02", "P05", "P01", "P03"],
        "unsur": [{"key": k, "name": f"Aspek {k[-1]} Uji", "question": f"Seberapa puas Saudara dengan aspek {k[-1]}?",
                   "labels": labels[k]} for k in ["P01", "P02", "P03", "P04", "P05"]],
        "profile": yaml.safe_load((skmkit.survey.resources.files("skmkit") / "data" / "survey.yml").read_text())["profile"],
    }
    path = folder / "spkp.yml"
    path.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    made = make_instruments(folder / "out", survey=path, formats=("pdf", "xlsform", "gforms", "xlsx"))
    return {"survey": path, "labels": labels, "order": definition["questions"], "made": made, "folder": folder}


def test_custom_definition_gives_instruments_that_follow_it(custom, capsys):
    order, labels, made = custom["order"], custom["labels"], custom["made"]
    text = _pdf_text(made.outputs["pdf"][0])
    pos = 0
    for number, key in enumerate(order, start=1):
        pos = text.find(f"{number}. Seberapa puas Saudara dengan aspek {key[-1]}?", pos)
        assert pos >= 0, key
        for letter, label in zip("ABCDE", labels[key]):
            at = text.find(f"{letter}. {label}", pos)
            assert at > pos, (key, label)
            pos = at
    assert "Persyaratan" not in text and "Tidak sesuai" not in text
    survey, choices = _xlsform(made.outputs["xlsform"][0])
    assert [r["name"] for r in survey if r["name"] in labels] == order
    assert [c["name"] for c in choices if c["list_name"] == "skala_P04"] == ["1", "2", "3", "4", "5"]
    wb = load_workbook(made.outputs["xlsx"][0])
    headers = [c.value for c in wb["Isian"][1]]
    assert headers[7:-1] == [f"{i}. Aspek {k[-1]} Uji" for i, k in enumerate(order, start=1)]
    dv = _validations(wb["Isian"])["H"]
    assert _range_values(wb, dv.formula1) == labels["P04"]
    script = _one(made, "gforms").read_text(encoding="utf-8")
    assert json.dumps(labels["P05"], ensure_ascii=False) in script and "Bagaimana" not in script


def test_custom_definition_round_trips_kobo_and_entry_sheet(custom, tmp_path, capsys):
    order, labels, made = custom["order"], custom["labels"], custom["made"]
    rng = np.random.default_rng(5)
    scores = _made_up(rng, order, 21, scale=(1, 5))
    headers = ["start", "grp_identitas/unit", "grp_identitas/tanggal"] + [f"grp_pendapat/{k}" for k in order] + SYSTEM
    path = tmp_path / "kobo_custom.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(headers)
        for i, s in enumerate(scores):
            w.writerow(["2026-03-01T08:00:00.000+07:00", "Unit Uji", "2026-03-01"] + [s[k] for k in order]
                       + [f"uuid:{i}", 9000 + i, f"u{i}", "2026-03-01T01:00:00", "", "", "", "", "v1", "", i + 1])
    r = _ikm_json(path, capsys, "--survey", str(custom["survey"]))
    assert r["groups"][0]["ikm"] == pytest.approx(_by_hand(scores, conversion=20))
    assert sorted(r["groups"][0]["unsur"]) == sorted(order)
    # the entry sheet, filled with the custom labels
    wb = load_workbook(made.outputs["xlsx"][0])
    ws = wb["Isian"]
    for i, s in enumerate(scores):
        ws.append(["Unit Uji", "Layanan A", datetime(2026, 3, 1), "Perempuan", 30, "S2", "TNI",
                   *[labels[k][s[k] - 1] for k in order]])
    path = tmp_path / "isian_custom.xlsx"
    wb.save(path)
    r = _ikm_json(path, capsys, "--survey", str(custom["survey"]))
    assert r["groups"][0]["ikm"] == pytest.approx(_by_hand(scores, conversion=20))


# ----------------------------------------------------------------------------- the command
def test_cli_calls_make_instruments_with_the_same_keyword_names(monkeypatch):
    seen = {}

    def record(out, **kwargs):
        seen.update(out=out, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr("skmkit.instruments.make_instruments", record)
    assert cli.main(["kuesioner", "--out", "o", "--units", "u.yml", "--layanan", "A", "--layanan", "B",
                     "--form-url", "https://x", "--non-return", "0.3", "--format", "xlsx,gforms"]) == 130
    assert seen == {"out": "o", "survey": None, "units": "u.yml", "layanan": ["A", "B"], "form_url": "https://x",
                    "non_return": 0.3, "period": None, "institution": None, "formats": ("xlsx", "gforms")}


def test_cli_writes_the_instruments_and_refuses_a_bad_rate(tmp_path, capsys):
    assert cli.main(["kuesioner", "--out", str(tmp_path / "o"), "--format", "xlsform,gforms"]) == 0
    out = capsys.readouterr().out
    assert "skm_xlsform.xlsx" in out and "skm_google_form.gs" in out
    assert cli.main(["kuesioner", "--out", str(tmp_path / "o"), "--non-return", "1"]) == 1
    err = capsys.readouterr().err
    assert "non_return" in err and "Perbaikan" in err and "Traceback" not in err
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["skm_google_form.gs", "skm_xlsform.xlsx"]


# ----------------------------------------------------------------------------- the entry sheet in LibreOffice
def test_entry_sheet_saved_and_printed_by_libreoffice_reads_back_and_keeps_its_rules(made, tmp_path, capsys):
    """What a clerk types, saved by LibreOffice Calc itself, reads back exactly; its lists and lock survive."""
    from test_libreoffice import SOFFICE, soffice

    if not SOFFICE:
        pytest.skip("LibreOffice (soffice) tidak terpasang")
    wb = load_workbook(_one(made, "xlsx"))
    ws = wb["Isian"]
    scores = _made_up(np.random.default_rng(11), ORDER, 17, blanks=0.05)
    for i, s in enumerate(scores):
        ws.append([UNITS[i % 2], "Bantuan sosial", datetime(2026, 2, i + 1), "Perempuan", 40, "S2", "Wirausaha",
                   *[None if s[k] is None else LABELS[k][s[k] - 1] for k in ORDER], None])
        ws.cell(ws.max_row, 3).number_format = "dd/mm/yyyy"
    src = tmp_path / "src"
    src.mkdir()
    wb.save(src / "isian.xlsx")
    soffice([["--convert-to", "xlsx", "--outdir", str(tmp_path / "calc"), str(src / "isian.xlsx")],
             ["--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(src / "isian.xlsx")]], tmp_path)
    saved = tmp_path / "calc" / "isian.xlsx"
    r = _ikm_json(saved, capsys)
    assert r["groups"][0]["respondents"] == 17
    assert r["groups"][0]["ikm"] == pytest.approx(_by_hand(scores))
    back = load_workbook(saved)
    dvs = _validations(back["Isian"])
    assert _range_values(back, dvs["H"].formula1) == LABELS[ORDER[0]] and dvs["E"].type == "whole"
    assert back["Isian"].protection.sheet  # (a headless conversion has no view, so it drops the frozen pane)
    page = PdfReader(tmp_path / "pdf" / "isian.pdf").pages[0]
    w, h = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(w), round(h)) == (842, 595)  # A4 landscape, in points
    first = " ".join(page.extract_text().split())
    assert "Unit Layanan" in first and "Saran dan Masukan" in first  # one page wide: the last column printed too


def test_kobo_system_columns_are_dropped_quietly_and_personal_data_still_warned(made, tmp_path, capsys):
    """``_id`` (digits) and ``_uuid`` are Kobo's, not an NIK or a phone number; a real phone number still is."""
    rows, scores = _kobo_rows(made, np.random.default_rng(21), 30, group="grp_identitas", labels=False)
    for i, row in enumerate(rows):
        row["deviceid"] = f"35{i:013d}"  # XLSForm metadata naming a device (an IMEI): not Kobo's bookkeeping
        row["keterangan"] = f"0812{i:08d}"  # a phone number under a harmless header
    path = tmp_path / "kobo.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter=";")
        w.writeheader()
        w.writerows(rows)
    assert cli.main(["validate", str(path)]) == 0
    said = capsys.readouterr().out.splitlines()
    warned = {m.group(1) for line in said for m in [re.search(r"kolom '([^']+)'", line)] if m}
    assert warned == {"deviceid", "keterangan"}, said
    data = read_responses(path)
    assert not set(SYSTEM + ["start", "end", "deviceid", "keterangan"]) & set(data.columns)
    assert data.attrs["skmkit"]["dropped_personal"] == ["deviceid", "keterangan"]  # Kobo's are not personal
    assert _ikm_json(path, capsys)["groups"][0]["ikm"] == pytest.approx(_by_hand(scores))
