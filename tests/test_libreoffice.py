"""The workbooks in a real spreadsheet application: LibreOffice Calc recalculates and prints them.

LibreOffice (``soffice``; Debian ``libreoffice-calc-nogui`` and, for Calibri's
metrics, ``fonts-crosextra-carlito``) opens each workbook with a profile that
forces recalculation on load, saves it as XLSX (its own computed values as the
cached values) and as PDF. Then:

- every formula cell LibreOffice computed equals the cached value skmkit wrote
  (texts exactly; LibreOffice writes numbers with 15 significant digits, so
  numbers are compared at that precision);
- the computed numbers equal skmkit's (``ikm_report``, i.e. ``skmkit ikm --json``);
- the printed pages: A4, the expected number of pages per sheet, and no two
  lines of text drawn over each other (what wrapped text in a too-low row, or a
  clipped header, looks like in the PDF).

Without LibreOffice the tests are skipped with the reason; with
``SKMKIT_REQUIRE_LIBREOFFICE=1`` (set by ``.ci/run``) they fail instead.
"""
import collections
import os
import re
import shutil
import subprocess

import openpyxl
import pytest
import xlsxwriter
from pypdf import PdfReader

import skmkit
from skmkit.recap_report import recap_table, recap_xlsx
from skmkit.workbook import workbook_bytes
from test_workbook import HAND_ROWS, KEYS, write_hand

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
REQUIRED = os.environ.get("SKMKIT_REQUIRE_LIBREOFFICE") == "1"
if not SOFFICE:
    reason = ("LibreOffice (soffice) tidak terpasang: uji di LibreOffice Calc dilewati. "
              "Pasang: apt-get install --no-install-recommends libreoffice-calc-nogui fonts-crosextra-carlito")
    if REQUIRED:
        pytest.fail(reason + " (SKMKIT_REQUIRE_LIBREOFFICE=1)", pytrace=False)
    pytestmark = pytest.mark.skip(reason=reason)

# Recalculate every formula on load, whatever the file says about its cached values.
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""
INJECTED = '=HYPERLINK("http://x","klik")'
UNIT = "Dinas Lingkungan Hidup"


def soffice(jobs, root, timeout=120):
    """Run LibreOffice conversions side by side, each with its own profile that recalculates on load."""
    running = []
    for i, args in enumerate(jobs):
        profile = root / f"profile{i}"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE)
        cmd = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", *args]
        running.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for p in running:
        _, err = p.communicate(timeout=timeout)
        assert p.returncode == 0, err


@pytest.fixture(scope="module")
def office(tmp_path_factory, sample_path, sample_df):
    root = tmp_path_factory.mktemp("lo")
    src = root / "src"
    src.mkdir()

    # A planted wrong cached value: LibreOffice must replace it, or the comparison below proves nothing.
    wb = xlsxwriter.Workbook(str(src / "planted.xlsx"))
    wb.add_worksheet().write_formula("A1", "=1+1", None, 5)
    wb.close()

    # The sample's smallest unit (85 respondents, two jenis layanan) keeps LibreOffice quick.
    unit = skmkit.select_unit(sample_df, UNIT, "Unit Layanan")
    (src / "unit.xlsx").write_bytes(workbook_bytes(unit, unit=UNIT, period="Semester I 2026",
                                                   institution="Pemerintah Kota Sukamaju"))

    # The hand table with a formula-like unit name, categories differing only in case and spacing.
    rows = [list(r) for r in HAND_ROWS]
    rows[1][5], rows[2][5] = "sma", "SMA "  # SMA typed "SMA", "sma", "SMA "
    rows[0][6], rows[3][6] = "LAINNYA", "lainnya"
    hand_csv = write_hand(root / "hand.csv", rows)
    hand = skmkit.read_responses(hand_csv)
    (src / "hand.xlsx").write_bytes(workbook_bytes(hand, unit=INJECTED, period="Triwulan I 2026"))

    # Jenis layanan typed in different case and spacing, and one named like a formula.
    services = ["DTKS", "dtks", "DTKS ", INJECTED, "Rekomendasi  Bansos", "rekomendasi bansos"]
    lay_rows = [[s, *[(i + j) % 4 + 1 for j in range(9)]] for i, s in enumerate(services)]
    lay_csv = write_hand(root / "layanan.csv", lay_rows, ["Jenis Layanan", *KEYS])
    (src / "layanan.xlsx").write_bytes(workbook_bytes(skmkit.read_responses(lay_csv), unit="Uji Layanan"))

    # The recap of the sample, one unit renamed to a formula.
    frame = sample_df.copy()
    frame["unit"] = frame["unit"].replace({"Dinas Perhubungan": INJECTED})
    table = recap_table(frame, population={"Dinas Sosial": 1000, INJECTED: 800, "Puskesmas Melati": 150})
    (src / "rekap.xlsx").write_bytes(recap_xlsx(table, institution="Pemerintah Kota Sukamaju",
                                                period="Semester I 2026"))

    files = sorted(str(p) for p in src.iterdir())
    soffice([["--convert-to", "xlsx", "--outdir", str(root / "calc"), *files],
             ["--convert-to", "pdf", "--outdir", str(root / "pdf"), *[f for f in files if "planted" not in f]]], root)
    return {"pages": {}, "src": src, "calc": root / "calc", "pdf": root / "pdf", "unit": unit, "hand": hand,
            "hand_csv": hand_csv, "table": table, "frame": frame}


def formula_cells(path):
    """{(sheet, ref): (formula, cached value)} of every formula cell in an XLSX file."""
    formulas = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    out[(ws.title, c.coordinate)] = (c.value, cached[ws.title][c.coordinate].value)
    return out


def computed(office, name):
    wb = openpyxl.load_workbook(office["calc"] / name, data_only=True)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}


def same(cached, calc) -> bool:
    """LibreOffice's value equals the cached one: texts exactly, numbers to the 15 digits LibreOffice writes.

    LibreOffice saves numbers rounded to 15 significant digits (its own
    decimal rounding, which may differ from Python's in the last digit), so
    two numbers agree when they differ by at most one unit in the 15th digit.
    """
    if isinstance(cached, bool) or isinstance(calc, bool):
        return cached is calc
    if isinstance(cached, (int, float)) and isinstance(calc, (int, float)):
        return abs(cached - calc) <= 1e-14 * max(abs(cached), 1e-300)
    return cached == calc


# -- values --------------------------------------------------------------------------------------
def test_libreoffice_recalculates_on_load(office):
    assert computed(office, "planted.xlsx")[("Sheet1", "A1")] == 2  # the planted cached 5 was not trusted


@pytest.mark.parametrize("name", ["unit.xlsx", "hand.xlsx", "layanan.xlsx", "rekap.xlsx"])
def test_every_computed_cell_equals_the_cached_value(office, name):
    cells = formula_cells(office["src"] / name)
    calc = computed(office, name)
    assert len(cells) > (200 if name == "unit.xlsx" else 20)
    wrong = {k: (f, v, calc.get(k)) for k, (f, v) in cells.items() if v is None or not same(v, calc.get(k))}
    assert not wrong, f"{len(wrong)} of {len(cells)} cells differ, e.g. {list(wrong.items())[:5]}"


def test_unit_workbook_computed_by_libreoffice_equals_ikm_json(office, sample_path):
    calc = computed(office, "unit.xlsx")
    report = skmkit.ikm_json.ikm_report(sample_path, by="Unit Layanan")
    group = next(g for g in report["groups"] if g["group"]["Unit Layanan"] == UNIT)
    ws = openpyxl.load_workbook(office["src"] / "unit.xlsx")["NRR"]
    rows = {ws[f"B{r}"].value: r for r in range(1, ws.max_row + 1) if ws[f"B{r}"].value in KEYS}
    for key, r in rows.items():
        assert calc[("NRR", f"F{r}")] == pytest.approx(group["unsur"][key]["nrr"], abs=1e-12)
        assert calc[("NRR", f"H{r}")] == pytest.approx(group["unsur"][key]["converted"], abs=1e-10)
        assert calc[("NRR", f"I{r}")] == group["unsur"][key]["mutu"]
    labels = {str(ws[f"A{r}"].value): r for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value}
    ikm = next(r for t, r in labels.items() if t.startswith("IKM "))
    assert calc[("NRR", f"G{ikm}")] == pytest.approx(group["ikm"], abs=1e-9)
    assert calc[("NRR", f"G{ikm + 1}")] == group["mutu"] and calc[("NRR", f"G{ikm + 2}")] == group["kinerja"]
    assert calc[("NRR", f"G{ikm - 1}")] == group["respondents"] == 85


def test_hand_categories_count_as_the_kit_counts(office):
    calc = computed(office, "hand.xlsx")
    ws = openpyxl.load_workbook(office["src"] / "hand.xlsx")["Profil"]
    counts = {ws[f"A{r}"].value: calc[("Profil", f"B{r}")] for r in range(1, ws.max_row + 1)
              if str(ws[f"B{r}"].value).startswith("=COUNTIF")}
    # By hand: SMA typed "SMA", "sma", "SMA " -> 3; pekerjaan "Lainnya" and "lainnya" -> 2.
    assert counts["SMA"] == 3 and counts["Lainnya"] == 2 and "sma" not in counts and "lainnya" not in counts
    assert sum(v for k, v in counts.items() if k in ("SD", "SMP", "SMA", "D1-D3", "D4/S1", "S2", "S3")) == 5


def test_services_group_as_the_kit_groups_them(office):
    calc = computed(office, "layanan.xlsx")
    ws = openpyxl.load_workbook(office["src"] / "layanan.xlsx")["Layanan"]
    got = {ws[f"A{r}"].value: (calc[("Layanan", f"B{r}")], calc[("Layanan", f"L{r}")])
           for r in range(7, ws.max_row + 1) if ws[f"A{r}"].value}
    # By hand: DTKS = rows 1-3, the formula-like name = row 4, Rekomendasi Bansos = rows 5-6.
    # Row i scores (i + j) % 4 + 1 for unsur j: NRR per row = mean over j, IKM = mean of NRR x 25.
    def ikm(rows):
        return sum(sum((i + j) % 4 + 1 for j in range(9)) / 9 for i in rows) / len(rows) * 25
    assert set(got) == {"DTKS", INJECTED, "Rekomendasi Bansos"}
    assert got["DTKS"][0] == 3 and got[INJECTED][0] == 1 and got["Rekomendasi Bansos"][0] == 2
    assert got["DTKS"][1] == pytest.approx(ikm([0, 1, 2]), abs=1e-9)
    assert got["Rekomendasi Bansos"][1] == pytest.approx(ikm([4, 5]), abs=1e-9)


def test_recap_computed_by_libreoffice_equals_ikm_json(office, tmp_path):
    calc = computed(office, "rekap.xlsx")
    ws = openpyxl.load_workbook(office["src"] / "rekap.xlsx")["Rekap IKM"]
    path = tmp_path / "all.csv"
    office["frame"].to_csv(path, index=False)
    groups = {g["group"]["unit"]: g for g in skmkit.ikm_json.ikm_report(path, by="unit")["groups"]}
    seen = 0
    for r in range(6, ws.max_row + 1):
        name = ws[f"B{r}"].value
        if name in groups:
            g = groups[name]
            assert ws[f"D{r}"].value == pytest.approx(g["ikm"], abs=1e-9)
            assert (calc[("Rekap IKM", f"E{r}")], calc[("Rekap IKM", f"F{r}")]) == (g["mutu"], g["kinerja"])
            seen += 1
        elif name == "Rata-rata IKM unit":
            mean = sum(g["ikm"] for g in groups.values()) / len(groups)
            assert calc[("Rekap IKM", f"D{r}")] == pytest.approx(mean, abs=1e-9)
        elif name == "Gabungan (semua responden)":
            assert calc[("Rekap IKM", f"C{r}")] == sum(g["respondents"] for g in groups.values()) == 2435
    assert seen == 12
    sosial = next(r for r in range(6, ws.max_row + 1) if ws[f"B{r}"].value == "Dinas Sosial")
    assert calc[("Rekap IKM", f"H{sosial}")] == 278 and calc[("Rekap IKM", f"I{sosial}")] == "tidak"  # KM: 1000 -> 278


def test_formula_like_names_stay_text_in_libreoffice(office):
    for name, sheet, text in [("hand.xlsx", "Saran", HAND_ROWS[0][-1]), ("rekap.xlsx", "Rekap IKM", INJECTED)]:
        texts = [v for (s, _), v in computed(office, name).items() if s == sheet and isinstance(v, str)]
        assert text in texts, name
        cells = formula_cells(office["calc"] / name)
        assert not any("HYPERLINK" in f for f, _ in cells.values()), name


# -- print ----------------------------------------------------------------------------------------
def pages(office, name):
    """[(sheet name from the footer, page text, page, text runs)] of a PDF LibreOffice printed.

    A run is ``(x0, baseline y, estimated x1, font height, text)`` in PDF points.
    """
    if name in office["pages"]:
        return office["pages"][name]
    out = office["pages"][name] = []
    for page in PdfReader(office["pdf"] / name.replace(".xlsx", ".pdf")).pages:
        runs = []

        def visit(text, cm, tm, font, size):
            if text.strip():
                h = size * abs((tm[0] * cm[0]) or 1)
                x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
                runs.append((x, y, x + 0.42 * h * len(text.strip()), h, text.strip()))

        text = page.extract_text(visitor_text=visit)
        m = re.search(r"^(\S.*?) Halaman (\d+) dari (\d+)\s*$", text, re.M)
        out.append((m.group(1).strip() if m else "?", text, page, runs))
    return out


def overlapping_lines(runs):
    """Pairs of text runs drawn over each other: close baselines (not the same line) and a shared x-range."""
    runs = sorted(runs, key=lambda r: r[1])
    bad = []
    for i, a in enumerate(runs):
        for b in runs[i + 1:]:
            dy = b[1] - a[1]
            if dy >= 0.75 * a[3]:
                break
            if 0.5 < dy < 0.75 * min(a[3], b[3]) and a[0] < b[2] and b[0] < a[2]:
                bad.append((a[4], b[4]))
    return bad


def test_unit_workbook_prints_on_a4_one_page_per_summary_sheet(office):
    got = pages(office, "unit.xlsx")
    per_sheet = collections.Counter(sheet for sheet, *_ in got)
    assert per_sheet["NRR"] == per_sheet["Layanan"] == per_sheet["Profil"] == per_sheet["RTL"] == 1, per_sheet
    assert per_sheet["Keterangan"] == 1 and per_sheet["Tabulasi"] == 3  # 85 rows, 31 a page, header repeated
    for _, _, page, _ in got:
        w, h = sorted(float(v) for v in page.mediabox[2:])
        assert (round(w), round(h)) == (595, 842)
    tab = [text for sheet, text, *_ in got if sheet == "Tabulasi"]
    assert all("Unsur" in t and "terisi" in t for t in tab)  # header row on every page


def test_recap_prints_on_one_landscape_page_with_every_unit(office):
    got = pages(office, "rekap.xlsx")
    assert len(got) == 1
    page = got[0][2]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    text = got[0][1]
    for unit in office["table"]["unit"]:
        assert unit.replace('"', "") .split("(")[0] in text.replace('"', "")
    assert "Rekapitulasi SKM" in text and "Halaman 1 dari 1" in text


@pytest.mark.parametrize("name", ["unit.xlsx", "hand.xlsx", "layanan.xlsx", "rekap.xlsx"])
def test_no_text_is_drawn_over_other_text(office, name):
    bad = {f"{sheet} p{i + 1}": overlapping_lines(runs) for i, (sheet, _, _, runs) in enumerate(pages(office, name))}
    assert not any(bad.values()), {k: v[:3] for k, v in bad.items() if v}


def test_headers_and_labels_are_printed_whole(office):
    text = " ".join(t for _, t, *_ in pages(office, "unit.xlsx"))
    for label in ["Bobot per unsur", "Nilai konversi", "NRR tertimbang", "Batas bawah", "Jumlah terisi",
                  "Penanggung Jawab", "Program/Kegiatan"]:
        assert label in re.sub(r"\s+", " ", text), label
