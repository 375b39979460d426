"""One unit, one set of facts: every output of a batch says the same IKM, mutu, kinerja, n, weight, unsur
dinilai, periods, percentages, RTL owner and question order.

Four units in one batch (HTML, PDF, Word, XLSX, banner): a normal unit, a unit where nobody answered the cost
question (weight 1/8), a unit under the legacy weight 0.111, and a unit under a custom survey definition that
differs in every fact a definition holds (keys P01.., five answers, conversion 20, three bands with other
letters and edges, another regulation, another question order). The expected facts are worked out here from
the raw answers and the method doc; each output is read back from its file.
"""
from __future__ import annotations

import csv
import io
import json
import re
from fractions import Fraction

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

import skmkit
from skmkit import cli
from skmkit.ikm_json import ikm_report
from skmkit.batch import batch

pytestmark = pytest.mark.slow

SAMPLE = skmkit.sample_data_path()
PERIOD = ("2026-01-01", "2026-06-30", "1 Januari 2026 s.d. 30 Juni 2026")
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]

# the custom definition: nothing equal to the default's facts
C_KEYS = [f"P0{i}" for i in range(1, 8)]
C_LABELS = ["Sangat buruk", "Buruk", "Cukup", "Baik", "Sangat baik"]
C_QUESTIONS = ["P01", "P02", "P03", "P05", "P04", "P06", "P07"]
C_BANDS = [("P", "Prima", 84.0), ("M", "Memadai", 68.0), ("K", "Kurang", 20.0)]
C_RULE = "Peraturan Bupati Contoh Nomor 7 Tahun 2025"


def _half_up(x: Fraction | float, digits: int = 2) -> str:
    """Round half-up by hand (exact fractions) and write with a decimal comma; a float is taken as written."""
    q = (Fraction(repr(x)) if isinstance(x, float) else Fraction(x)) * 10 ** digits
    n = int(q) + (1 if q - int(q) >= Fraction(1, 2) else 0)
    text = f"{n // 10 ** digits}" + (f",{n % 10 ** digits:0{digits}d}" if digits else "")
    return text


def _date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{d} {MONTHS[m - 1]} {y}"


def _words(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("konsisten")
    raw = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    unit_col = "Unit Layanan"
    q4 = next(c for c in raw.columns if c.startswith("4."))
    raw.loc[raw[unit_col] == "Dinas Perhubungan", q4] = ""  # nobody answered the cost question there
    pooled = folder / "kota.csv"
    raw.to_csv(pooled, index=False)

    default = yaml.safe_load((skmkit.survey.resources.files("skmkit") / "data" / "survey.yml").read_text())
    custom = {
        "id": "ikm-kab-contoh-2025", "name": "Survei Kepuasan Layanan Kabupaten Contoh",
        "regulation": C_RULE, "regulation_title": f"{C_RULE} tentang Survei Kepuasan Layanan",
        "legal_basis": [f"{C_RULE} tentang Survei Kepuasan Layanan"],
        "scale": {"min": 1, "max": 5}, "letters": ["a", "b", "c", "d", "e"], "conversion": 20,
        "bands": [{"mutu": m, "kinerja": k, "min": lo, "persepsi": 3 - i} for i, (m, k, lo) in enumerate(C_BANDS)],
        "order": C_KEYS, "questions": C_QUESTIONS,
        "unsur": [{"key": k, "name": f"Aspek Layanan {chr(65 + i)}", "question": f"Bagaimana penilaian Anda atas "
                   f"aspek layanan {chr(65 + i)} di kantor ini?", "labels": C_LABELS} for i, k in enumerate(C_KEYS)],
        "profile": default["profile"], "personal": default["personal"],
    }
    survey_file = folder / "survei_kab.yml"
    survey_file.write_text(yaml.safe_dump(custom, allow_unicode=True, sort_keys=False), encoding="utf-8")
    rng = np.random.default_rng(7)
    rows = []
    for i in range(45):
        day = pd.Timestamp("2026-01-05") + pd.Timedelta(days=int(rng.integers(0, 170)))
        rows.append([day.strftime("%Y-%m-%d 09:30:00"), "L" if i % 3 else "P", str(20 + i)]
                    + [str(int(rng.choice(5, p=[0.05, 0.1, 0.25, 0.35, 0.25])) + 1) for _ in C_KEYS])
    custom_raw = pd.DataFrame(rows, columns=["Tanggal", "Jenis Kelamin", "Usia"] + C_KEYS)
    custom_data = folder / "kantor_contoh.csv"
    custom_raw.to_csv(custom_data, index=False)

    units = {
        "defaults": {"data": str(pooled), "by": unit_col, "institution": "Pemerintah Kota Uji",
                     "period": "Semester I 2026", "period_start": PERIOD[0], "period_end": PERIOD[1],
                     "formats": ["html", "pdf", "docx", "xlsx", "banner"]},
        "units": [
            {"id": "dinsos", "unit": "Dinas Sosial", "population": 4000, "head_name": "Dra. Siti Rahmawati"},
            {"id": "dishub", "unit": "Dinas Perhubungan", "population": 1800},
            {"id": "lama", "unit": "Puskesmas Melati", "legacy_weight": 0.111, "head_title": "Kepala UPT Melati"},
            {"id": "kab", "unit": "Kantor Contoh", "data": str(custom_data), "by": None, "survey": str(survey_file),
             "head_title": "Camat Contoh"},
        ],
    }
    units_file = folder / "units.yml"
    units_file.write_text(yaml.safe_dump(units, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = folder / "out"
    result = batch(units_file, out=out, jobs=2, progress=False, quiet=True)
    assert result.exit_code == 0, [(u["id"], u["cause"]) for u in result.units]
    return {"folder": folder, "out": out, "raw": raw, "pooled": pooled, "custom_raw": custom_raw,
            "custom_data": custom_data, "survey": survey_file, "units": units}


# -- the facts, worked out by hand from the raw answers -----------------------------------------------
DEFAULT_LABELS = {  # the method doc's table; a = 1 .. d = 4
    1: ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
    2: ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
    3: ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
    4: ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
    5: ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
    6: ["Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"],
    7: ["Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"],
    8: ["Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"],
    9: ["Buruk", "Cukup", "Baik", "Sangat Baik"],
}
#: the sample's form asks sarana as question 8 and pengaduan as question 9 (the method doc)
QUESTION_UNSUR = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 9, 9: 8}
DEFAULT_BANDS = [("A", "Sangat baik", Fraction(8831, 100)), ("B", "Baik", Fraction(7661, 100)),
                 ("C", "Kurang baik", Fraction(65)), ("D", "Tidak baik", Fraction(25))]


def _score(text: str, labels: list[str]) -> int | None:
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    return [x.lower() for x in labels].index(text.lower()) + 1


def _band(value: Fraction, bands) -> tuple[str, str]:
    v = Fraction(_half_up(value).replace(",", "."))
    for letter, words, low in bands:
        if v >= Fraction(low):
            return letter, words
    return bands[-1][:2]


def expected(world, uid: str) -> dict:
    """The unit's facts from its raw answers, by the method doc: NRR over filled answers, weight 1/X
    over the X unsur answered (a legacy weight scaled by n/X), bands by lower bounds on the rounded value."""
    spec = next(u for u in world["units"]["units"] if u["id"] == uid)
    if uid == "kab":
        raw, keys = world["custom_raw"], C_KEYS
        scores = {k: [_score(v, C_LABELS) for v in raw[k]] for k in keys}
        conv, bands, order = 20, C_BANDS, C_QUESTIONS
    else:
        raw = world["raw"][world["raw"]["Unit Layanan"] == spec["unit"]]
        cols = [c for c in raw.columns if c[:2] in {f"{i}." for i in range(1, 10)}]
        scores = {}
        for c in cols:
            u = QUESTION_UNSUR[int(c.split(".")[0])]
            scores[f"U{u}"] = [_score(v, DEFAULT_LABELS[u]) for v in raw[c]]
        keys = [f"U{i}" for i in range(1, 10)]
        conv, bands, order = 25, DEFAULT_BANDS, ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8"]
    answered_rows = [i for i in range(len(raw)) if any(scores[k][i] is not None for k in keys)]
    nrr = {}
    for k in keys:
        filled = [scores[k][i] for i in answered_rows if scores[k][i] is not None]
        if filled:
            nrr[k] = Fraction(sum(filled), len(filled))
    n, x = len(keys), len(nrr)
    legacy = spec.get("legacy_weight")
    weight = Fraction(str(legacy)) * Fraction(n, x) if legacy else Fraction(1, x)
    ikm = sum(nrr.values()) * weight * conv
    mutu, kinerja = _band(ikm, bands)
    if legacy:
        label = "0,111 (bobot lama spreadsheet)" if x == n else f"0,111 \u00d7 {n}/{x} (bobot lama spreadsheet; {x} dari {n} unsur dijawab)"
    else:
        label = f"1/{x} (tepat)" if x == n else f"1/{x} (tepat; {x} dari {n} unsur dijawab)"
    sex = [raw["Jenis Kelamin"].iloc[i].strip().upper()[:1] for i in answered_rows]
    share_l = Fraction(sum(s == "L" for s in sex) * 100, len(sex))
    dates = sorted(pd.to_datetime(raw.iloc[answered_rows][raw.columns[0]].str.slice(0, 10)).dt.date.astype(str))
    return {"ikm": _half_up(ikm), "mutu": mutu, "kinerja": kinerja, "n": len(answered_rows), "weight": label,
            "x": x, "keys": keys, "order": order, "nrr": {k: _half_up(v) for k, v in nrr.items()},
            "share_l": _half_up(share_l, 1) + "%",
            "declared": PERIOD[2], "answers": f"{_date(dates[0])} s.d. {_date(dates[-1])}",
            "owner": spec.get("head_title") or f"Kepala {spec['unit']}", "unit": spec["unit"]}


UNITS = ["dinsos", "dishub", "lama", "kab"]


def _html_text(path) -> str:
    text = re.sub(r"<style.*?</style>|<script.*?</script>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text).replace("&amp;", "&")


def _says_the_facts(text: str, e: dict) -> None:
    squash = _words(text)
    assert _words(e["ikm"]) in squash
    assert _words(f"Mutu pelayanan {e['mutu']}") in squash and _words(e["kinerja"]) in squash
    assert _words(f"{e['n']} responden") in squash
    assert _words(f"bobot tiap unsur {e['weight']}") in squash
    assert _words(f"Waktu pengumpulan data {e['declared']}") in squash
    assert _words(e["answers"]) in squash
    assert _words(e["share_l"]) in squash
    assert _words(e["owner"]) in squash


def _order_and_ikm_line(text: str, e: dict, uid: str) -> None:
    # the questionnaire in the order respondents saw it
    appendix = text.split("Lampiran 1. Kuesioner", 1)[1]
    assert re.findall(r"Unsur (\w+):", appendix)[:len(e["order"])] == e["order"]
    # the IKM line adds up as printed: raw x conversion = IKM
    raw, conv, ikm = re.search(r"IKM = ([\d,]+) \u00d7 ([\d,]+) ([\d,]+)", text).groups()
    assert ikm == e["ikm"]
    product = Fraction(raw.replace(",", ".")) * Fraction(conv.replace(",", "."))
    assert _half_up(product) == e["ikm"]
    if uid == "kab":  # nothing of the default definition in a custom survey's report
        for default_fact in ("PermenPANRB", "14 Tahun 2017", "1/9", "\u00d7 25", "U1", "sembilan"):
            assert default_fact not in text, default_fact
        assert C_RULE in text


@pytest.mark.parametrize("uid", UNITS)
def test_report_html_and_pdf_say_the_facts(world, uid):
    e = expected(world, uid)
    html = _html_text(world["out"] / "laporan" / f"{uid}.html")
    pdf = " ".join(p.extract_text() for p in PdfReader(world["out"] / "laporan" / f"{uid}.pdf").pages)
    for text in (html, _words(pdf)):
        _says_the_facts(text, e)
    _order_and_ikm_line(html, e, uid)


def _docx_text(path) -> str:
    """The Word edition's text in reading order: every paragraph (table cells and nested tables too), a tab or
    a line break as a space, field results as Word shows them."""
    body = Document(str(path)).element.body
    t, blanks = qn("w:t"), (qn("w:tab"), qn("w:br"), qn("w:cr"))
    pars = ("".join(x.text or "" if x.tag == t else " " for x in p.iter(t, *blanks)) for p in body.iter(qn("w:p")))
    return re.sub(r"\s+", " ", " ".join(pars))


@pytest.mark.parametrize("uid", UNITS)
def test_word_edition_says_the_facts(world, uid):
    e = expected(world, uid)
    path = world["out"] / "laporan" / f"{uid}.docx"
    text = _docx_text(path)
    _says_the_facts(text, e)
    _order_and_ikm_line(text, e, uid)
    # the per-unsur table as a Word table: every unsur in definition order, an NRR for the unsur dinilai only
    table = next(t for t in Document(str(path)).tables if {"Kode", "NRR"} <= {c.text for c in t.rows[0].cells})
    head = [c.text for c in table.rows[0].cells]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    listed = [r[head.index("Kode")] for r in rows if r[head.index("Kode")] in e["keys"]]
    assert listed == e["keys"]
    nrr = {r[head.index("Kode")]: r[head.index("NRR")] for r in rows if r[head.index("Kode")] in e["keys"]}
    assert {k: v for k, v in nrr.items() if re.fullmatch(r"\d+,\d\d", v)} == e["nrr"]
    assert len(e["nrr"]) == e["x"] and rows[-1][-2:] == [e["ikm"], e["mutu"]]


@pytest.mark.parametrize("uid", UNITS)
def test_banner_says_the_facts(world, uid, tmp_path):
    e = expected(world, uid)
    spec = {**world["units"]["defaults"], **next(u for u in world["units"]["units"] if u["id"] == uid)}
    args = ["banner", spec["data"], "--unit", spec["unit"], "--out", str(tmp_path), "--format", "png,pdf"]
    for key in ("by", "period", "period_start", "period_end", "institution", "population", "legacy_weight",
                "head_name", "head_title", "survey"):
        if spec.get(key) is not None:
            args += [f"--{key.replace('_', '-')}", str(spec[key])]
    assert cli.main(args) == 0
    png = next(tmp_path.glob("*-banner.png")).read_bytes()
    assert png == (world["out"] / "laporan" / f"{uid}-banner.png").read_bytes()  # the batch drew the same banner
    text = _words(" ".join(p.extract_text() for p in PdfReader(next(tmp_path.glob("*-banner.pdf"))).pages))
    for fact in (e["ikm"], e["mutu"], e["kinerja"].upper(), f"{e['n']}responden", e["weight"], e["declared"],
                 e["share_l"], e["owner"]):
        assert _words(fact) in text, fact


def _cached(wb, sheet) -> dict:
    """Label (column A or B text) -> the row's cached values."""
    return {str(r[0]).strip(): r for r in wb[sheet].iter_rows(values_only=True) if r and r[0] is not None}


@pytest.mark.parametrize("uid", UNITS)
def test_workbook_cached_values_say_the_facts(world, uid):
    e = expected(world, uid)
    wb = openpyxl.load_workbook(world["out"] / "laporan" / f"{uid}.xlsx", data_only=True)
    values = [v for row in wb["NRR"].iter_rows(values_only=True) for v in row if v is not None]
    numbers = [v for v in values if isinstance(v, float)]
    assert any(_half_up(v) == e["ikm"] and 20 <= v <= 100 for v in numbers)
    assert e["mutu"] in values and e["kinerja"] in values
    ket = _cached(wb, "Keterangan")
    assert ket["Bobot per unsur"][1] == e["weight"]
    assert e["declared"] in ket["Periode survei"][1] and e["answers"] in ket["Periode survei"][1]
    owners = [r[7] for r in wb["RTL"].iter_rows(min_row=7, values_only=True) if r[0] is not None]
    assert owners and set(owners) == {e["owner"]}
    profil = [r for r in wb["Profil"].iter_rows(values_only=True) if r[0] == "Laki-laki (L)"]
    assert _half_up(Fraction(repr(profil[0][2])) * 100, 1) + "%" == e["share_l"]
    assert "Kelompok Usia" in [r[0] for r in wb["Profil"].iter_rows(values_only=True)]


@pytest.mark.parametrize("uid", UNITS)
def test_ikm_json_summary_and_recap_say_the_facts(world, uid):
    e = expected(world, uid)
    spec = {**world["units"]["defaults"], **next(u for u in world["units"]["units"] if u["id"] == uid)}
    r = ikm_report(spec["data"], by=spec.get("by"), survey=spec.get("survey"), legacy_weight=spec.get("legacy_weight"))
    g = next(g for g in r["groups"] if not g["group"] or list(g["group"].values())[0] == e["unit"])
    # the file's dates all fall in the period, so the whole file is the unit's answers
    assert _half_up(g["ikm"]) == e["ikm"] and g["mutu"] == e["mutu"] and g["kinerja"] == e["kinerja"]
    assert g["respondents"] == e["n"] and g["weight_label"] == e["weight"] and len(g["unsur_dinilai"]) == e["x"]
    with open(world["out"] / "ringkasan.csv", encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["id"] == uid)
    assert row["mutu"] == e["mutu"] and int(row["responden"]) == e["n"]
    assert _half_up(Fraction(row["ikm"])) == e["ikm"]
    recap_html = _html_text(world["out"] / "rekap_skm.html")
    if uid == "kab":  # another instrument is not pooled with the city's units: named, not recapped
        assert re.search(r"Tidak ikut direkap: Kantor Contoh: diukur dengan", recap_html)
        return
    recap = openpyxl.load_workbook(world["out"] / "rekap_skm.xlsx", data_only=True)
    rows = [r for ws in recap.worksheets for r in ws.iter_rows(values_only=True) if e["unit"] in r]
    assert rows, "unit missing from the recap workbook"
    assert any(isinstance(v, float) and _half_up(v) == e["ikm"] for v in rows[0])
    assert e["mutu"] in rows[0]
    assert re.search(re.escape(e["unit"]) + r" (\d+ |\u2013 )?" + re.escape(f"{e['n']:,}".replace(",", ".")) + " "
                     + re.escape(e["ikm"]), recap_html)
