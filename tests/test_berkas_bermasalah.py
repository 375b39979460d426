"""Problem files a new user brings (tests/data/berkas_bermasalah/): read right or refused in one line.

Issue 20: a workbook with one sheet per unit, personal data typed where a unit
name belongs, YAML alias bombs, emoji, a unit with one respondent, exports of
notebooks that failed or never ran, a missing data file. Expected numbers are
worked out here from the files' raw cells (openpyxl, csv) and the method doc,
never through skmkit's reader.
"""
from __future__ import annotations

import csv
import glob
import io
import tempfile
import time
import warnings
from pathlib import Path

import nbformat
import openpyxl
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from skmkit import SkmError, ValidationError, cli, read_responses, summarize, validate_file
from skmkit import narrative
from skmkit import exporters as render
from skmkit.ikm_json import ikm_report
from skmkit.errors import ExportError, ParameterError

HERE = Path(__file__).parent / "data" / "berkas_bermasalah"
KEYS = [f"U{i}" for i in range(1, 10)]
PLANTED = ["0812-7777-3141", "081277773141", "siti.rahma77@contoh.id", "3201234567890124", "Sutrisno Wibowokarto"]


def hand_ikm(rows) -> float:
    """IKM of score rows (9 numbers each): NRR per unsur, 1/9 weight, x 25 (skm-method.md)."""
    nrr = [sum(r[j] for r in rows) / len(rows) for j in range(9)]
    return sum(nrr) / 9 * 25


def sheet_scores(name, sheet, first_col):
    """The 9 unsur cells of every data row of a sheet, read with openpyxl."""
    ws = openpyxl.load_workbook(HERE / name, data_only=True)[sheet]
    return [list(r[first_col:first_col + 9]) for r in ws.iter_rows(min_row=2, values_only=True)]


# -- a workbook with one sheet per unit ------------------------------------------------------------
def test_sheet_per_unit_is_refused_naming_every_sheet():
    v = validate_file(HERE / "sheet_per_unit.xlsx")
    [err] = v.errors
    assert err.code == "several-sheets"
    for name in ("'Dinas Sosial'", "'Puskesmas Melati'", "'Kecamatan Timur'"):
        assert name in err.message
    assert "--sheet" in err.fix and "\n" not in err.line()


@pytest.mark.parametrize("call", [
    lambda p: ikm_report(p),
    lambda p: read_responses(p),
    lambda p: __import__("skmkit.select", fromlist=["load_unit"]).load_unit(p),
])
def test_sheet_per_unit_refused_by_every_reader(call):
    with pytest.raises(ValidationError, match="3 sheet berisi jawaban"):
        call(HERE / "sheet_per_unit.xlsx")


def test_sheet_per_unit_refused_by_report_and_batch_before_any_kernel(tmp_path):
    from skmkit.batch.units import units_from_column
    from skmkit.report import notebook_path, render_report

    start = time.perf_counter()
    with pytest.raises(ValidationError, match="3 sheet berisi jawaban"):
        render_report(HERE / "sheet_per_unit.xlsx", out=tmp_path / "o")
    with pytest.raises(ValidationError, match="3 sheet berisi jawaban"):
        units_from_column(HERE / "sheet_per_unit.xlsx", by="Unit Layanan", notebook=notebook_path())
    assert time.perf_counter() - start < 30
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_a_named_sheet_is_read_alone():
    rows = sheet_scores("sheet_per_unit.xlsx", "Puskesmas Melati", 3)
    [g] = ikm_report(HERE / "sheet_per_unit.xlsx", sheet="Puskesmas Melati", ci=None)["groups"]
    assert g["respondents"] == len(rows) == 9
    assert g["ikm"] == pytest.approx(hand_ikm(rows))


def test_a_recap_sheet_beside_the_data_is_not_a_second_answer_sheet():
    rows = [r for r in sheet_scores("data_dan_rekap.xlsx", "Data", 2)]
    [g] = ikm_report(HERE / "data_dan_rekap.xlsx", ci=None)["groups"]
    assert g["respondents"] == 15 and g["ikm"] == pytest.approx(hand_ikm(rows))


# -- personal data typed into the unit column --------------------------------------------------------
def test_personal_data_in_the_unit_column_is_an_error_naming_rows_not_values():
    v = validate_file(HERE / "pribadi_di_kolom_unit.csv")
    [err] = [p for p in v.errors if p.code == "personal-in-name"]
    # rows 5, 9 and 14 as the spreadsheet shows them (header = row 1), from the file itself
    with open(HERE / "pribadi_di_kolom_unit.csv", newline="", encoding="utf-8") as fh:
        units = [r[1] for r in csv.reader(fh)][1:]
    typed = [i + 2 for i, u in enumerate(units) if u not in ("Dinas Sosial", "Puskesmas Melati")]
    assert typed == [5, 9, 14]
    assert "baris 5, 9, 14" in err.message and err.column == "Unit Layanan"
    text = "\n".join(p.line() for p in v.problems)
    assert not any(s in text for s in PLANTED) and "Bu Siti" not in text
    assert not [p for p in v.problems if p.code == "blank-group"]  # said once, as the error it is


def test_personal_unit_names_never_become_groups(capsys):
    assert cli.main(["ikm", str(HERE / "pribadi_di_kolom_unit.csv"), "--by", "Unit Layanan", "--json"]) != 0
    out = capsys.readouterr()
    assert not any(s in out.out + out.err for s in PLANTED)
    # read leniently, the refused cells are blank: no group carries them
    data = read_responses(HERE / "pribadi_di_kolom_unit.csv", strict=False)
    assert set(data["unit"].dropna()) == {"Dinas Sosial", "Puskesmas Melati"}


def test_batch_refuses_personal_unit_names_before_any_file_is_named(tmp_path):
    from skmkit.batch.units import units_from_column
    from skmkit.report import notebook_path

    with pytest.raises(ParameterError) as info:
        units_from_column(HERE / "pribadi_di_kolom_unit.csv", by="Unit Layanan", notebook=notebook_path())
    assert "data pribadi" in str(info.value) and "5, 9, 14" in str(info.value)
    assert not any(s in str(info.value) for s in PLANTED)


def test_a_lone_responden_header_is_personal():
    data = read_responses(HERE / "responden_dan_rumus.csv")
    assert "Responden" not in data.columns and data.attrs["skmkit"]["dropped_personal"] == ["Responden"]
    assert not any(s in str(v) for s in PLANTED for v in data.astype(str).to_numpy().ravel())


# -- YAML with nested aliases --------------------------------------------------------------------------
def test_params_bomb_refused_by_report_at_once(tmp_path, capsys):
    start = time.perf_counter()
    code = cli.main(["report", str(HERE / "responden_dan_rumus.csv"), "--unit", "Dinas Sosial",
                     "--params", str(HERE / "params_bom.yml"), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code != 0 and time.perf_counter() - start < 20
    assert "billion laughs" in err and len(err.strip().splitlines()) == 1


def test_units_bomb_refused_by_batch_at_once(tmp_path, capsys):
    start = time.perf_counter()
    code = cli.main(["batch", "--params", str(HERE / "units_bom.yml"), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code != 0 and time.perf_counter() - start < 20
    assert "billion laughs" in err and len(err.strip().splitlines()) == 1


# -- characters the fonts lack -------------------------------------------------------------------------
def test_the_missing_glyph_is_in_every_shipped_face():
    from fontTools.ttLib import TTFont

    from skmkit.safetext import MISSING_GLYPH

    for face in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"):
        assert ord(MISSING_GLYPH) in TTFont(render.FONT_DIR / f"{face}.ttf").getBestCmap()


def _pdf_fonts(pdf: bytes) -> set[str]:
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_emoji_in_saran_and_names_use_only_the_kits_fonts(caplog):
    from skmkit.html import document_title, escape

    with open(HERE / "emoji.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    unit, saran = rows[0][1], [r[-1] for r in rows if r[-1]]
    css = (render.TEMPLATE_DIR / "skm" / "skm.css").read_text(encoding="utf-8")
    body = "".join(f"<p>{escape(s)}</p>" for s in saran)
    html = (f"<html><head><meta charset='utf-8'><title>{escape(document_title(unit))}</title><style>{css}</style>"
            f"</head><body><h1>{escape(unit)}</h1>{body}</body></html>")
    assert "\u25a1" in html and "\U0001F60A" not in html
    with caplog.at_level("WARNING", logger="weasyprint"):
        fonts = _pdf_fonts(render.html_to_pdf(html))
    assert fonts and all(f.startswith("SKM-") for f in fonts)  # no system font, whatever the machine has
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]


def test_banner_draws_emoji_names_without_glyph_warnings():
    from skmkit.banner import banner_figure

    data = read_responses(HERE / "emoji.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib's "Glyph ... missing" would raise here
        fig = banner_figure(data, unit="Puskesmas Melati \U0001F33C", period="Semester I 2026")
        fig.canvas.draw()
    texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_gid") and a.get_gid() == "unit")]
    assert any("\u25a1" in t for t in texts) and not any("\U0001F33C" in t for t in texts)


# -- WeasyPrint's temporary folders ---------------------------------------------------------------------
def test_no_weasyprint_folder_left_after_a_pdf(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    pdf = render.html_to_pdf("<html><body><p>Laporan</p></body></html>")
    assert pdf.startswith(b"%PDF")
    assert glob.glob(str(tmp_path / "weasyprint-*")) == []


# -- one respondent -------------------------------------------------------------------------------------
def test_one_respondent_names_one_strongest_unsur_and_no_interval():
    with open(HERE / "satu_responden.csv", newline="", encoding="utf-8") as fh:
        head, row = list(csv.reader(fh))
    scores = {k: int(row[head.index(k)]) for k in KEYS}
    top = max(scores.values())
    first_top = next(k for k in KEYS if scores[k] == top)  # ties by unsur order (skm-method.md, RTL)
    assert first_top == "U2" and sum(v == top for v in scores.values()) == 3
    s = summarize(read_responses(HERE / "satu_responden.csv"))
    name = s["unsur"][first_top]["nama"]
    bab4 = " ".join(narrative.weakest_strongest(s))
    bab5 = " ".join(narrative.conclusions(s, unit="Kelurahan Sukamaju", period="Semester I 2026"))
    assert f"nilai tertinggi adalah {name} ({first_top})" in bab4
    assert f"unsur tertinggi adalah {name} (NRR" in bab5
    for other in ("Kompetensi Pelaksana", "Perilaku Pelaksana"):
        assert f"tertinggi adalah {other}" not in bab4 + bab5
    assert "rentang -" not in bab5 and "sampai -" not in bab5
    assert "tidak dapat dihitung dari 1 responden" in bab5


# -- exports that should not happen ---------------------------------------------------------------------
def _nb(*cells):
    return new_notebook(cells=[new_markdown_cell("# Laporan Hasil SKM"), *cells])


@pytest.mark.parametrize("exporter", [render.SkmHTMLExporter, render.SkmPDFExporter])
def test_exporters_refuse_a_failed_cell(exporter):
    ok = new_code_cell("1 + 1", execution_count=1, outputs=[new_output("execute_result", {"text/plain": "2"},
                                                                       execution_count=1)])
    bad = new_code_cell("cek()", execution_count=2, outputs=[new_output(
        "error", ename="ParameterError", evalue="\x1b[0;31mperiod_start tanpa period_end", traceback=["..."])])
    with pytest.raises(ExportError) as info:
        exporter().from_notebook_node(_nb(ok, bad))
    msg = str(info.value)
    assert "sel ke-3" in msg and "ParameterError: period_start tanpa period_end" in msg
    assert "tidak diekspor" in msg and "\n" not in msg and "\x1b" not in msg


@pytest.mark.parametrize("exporter", [render.SkmHTMLExporter, render.SkmPDFExporter])
def test_exporters_refuse_a_notebook_never_run(exporter):
    with pytest.raises(ExportError, match="belum dijalankan") as info:
        exporter().from_notebook_node(_nb(new_code_cell("import skmkit"), new_code_cell("laporan()")))
    assert "\n" not in str(info.value)


def test_exporters_refuse_a_notebook_run_half_way():
    done = new_code_cell("1", execution_count=1, outputs=[])
    with pytest.raises(ExportError, match="1 sel notebook ini belum dijalankan \\(pertama sel ke-3\\)"):
        render.SkmHTMLExporter().from_notebook_node(_nb(done, new_code_cell("laporan()")))


def test_exporters_pass_a_run_notebook_and_an_expected_failure():
    ran = new_code_cell("1", execution_count=1, outputs=[])
    expected = new_code_cell("1/0", execution_count=2, metadata={"tags": ["raises-exception"]},
                             outputs=[new_output("error", ename="ZeroDivisionError", evalue="", traceback=[])])
    html, _ = render.SkmHTMLExporter().from_notebook_node(_nb(ran, expected, new_code_cell("")))
    assert "Laporan Hasil SKM" in html


# -- a missing data file --------------------------------------------------------------------------------
def test_missing_data_file_names_the_folder_searched(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    v = validate_file("jawaban.csv")
    [err] = v.errors
    assert err.file == "jawaban.csv" and str(tmp_path) in err.message


# -- report takes the analyst's edited notebook --------------------------------------------------------
def test_report_runs_an_edited_notebook_with_a_new_parameter(tmp_path, capsys):
    """docs/menyunting-laporan.md §5, as written: a new parameter in the parameters cell, set by --params."""
    from skmkit.report import notebook_path

    nb = nbformat.read(notebook_path(), as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source += "\ntarget_ikm = 88.31     # target IKM unit tahun ini\n"
    nb.cells.append(new_code_cell('print(f"target {target_ikm}")'))
    edited = tmp_path / "laporan_saya.ipynb"
    nbformat.write(nb, edited)
    (tmp_path / "parameter.yml").write_text("target_ikm: 85\n", encoding="utf-8")
    args = ["report", str(HERE / "responden_dan_rumus.csv"), "--unit", "Dinas Sosial", "--by", "Unit Layanan",
            "--params", str(tmp_path / "parameter.yml"), "--out", str(tmp_path / "o"), "--format", "html"]
    assert cli.main(args) != 0  # the kit's own notebook has no target_ikm
    assert "target_ikm" in capsys.readouterr().err
    assert cli.main(args + ["--notebook", str(edited)]) == 0
    html = next((tmp_path / "o").glob("*.html")).read_text(encoding="utf-8")
    assert "target 85" in html


def test_batch_with_listed_units_fails_them_with_one_line_naming_rows(tmp_path):
    from skmkit.batch.units import load_units, split_units
    from skmkit.report import notebook_path

    (tmp_path / "units.yml").write_text(
        f"defaults:\n  data: {HERE / 'pribadi_di_kolom_unit.csv'}\n  by: Unit Layanan\n"
        "units:\n- id: dinsos\n  unit: Dinas Sosial\n- id: melati\n  unit: Puskesmas Melati\n", encoding="utf-8")
    specs = load_units(tmp_path / "units.yml", notebook=notebook_path())
    done = split_units(specs)
    assert [d.frame for d in done] == [None, None]
    for d in done:
        assert "data pribadi" in d.error and "5, 9, 14" in d.error and "\n" not in d.error
        assert not any(s in d.error for s in PLANTED)
