"""The unit report: parameters refused early, cell errors named, and the rendered numbers right.

Expected numbers are worked out here from the raw CSV with the method doc's
label table (not with skmkit's reader), then looked for in the HTML and in the
PDF text.
"""
from __future__ import annotations

import hashlib
import html as htmllib
import math
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import skmkit
from skmkit import report
from skmkit.errors import ParameterError, ReportError

FIXTURES = Path(__file__).parent / "fixtures"
UNIT = "Dinas Lingkungan Hidup"
POPULATION = 600
SCRIPT = '<script>alert("x")</script> & <b>tebal</b>'

# The method doc's answer labels by question number on the form (8 = sarana U9, 9 = pengaduan U8).
LABELS = {
    1: ("U1", "Persyaratan", ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"]),
    2: ("U2", "Sistem, Mekanisme, dan Prosedur", ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"]),
    3: ("U3", "Waktu Penyelesaian", ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"]),
    4: ("U4", "Biaya/Tarif", ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]),
    5: ("U5", "Produk Spesifikasi Jenis Pelayanan", ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"]),
    6: ("U6", "Kompetensi Pelaksana", ["Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"]),
    7: ("U7", "Perilaku Pelaksana", ["Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
                                     "Sangat sopan dan ramah"]),
    8: ("U9", "Sarana dan prasarana", ["Buruk", "Cukup", "Baik", "Sangat Baik"]),
    9: ("U8", "Penanganan Pengaduan, Saran dan Masukan", ["Tidak ada", "Ada tetapi tidak berfungsi",
                                                          "Berfungsi kurang maksimal", "Dikelola dengan baik"]),
}


def half_up(x, digits=2):
    return float(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def indo(x, digits=2):
    return f"{half_up(x, digits):,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def mutu(ikm):
    v = half_up(ikm)
    return "A" if v >= 88.31 else "B" if v >= 76.61 else "C" if v >= 65.00 else "D"


def by_hand(raw: pd.DataFrame) -> dict:
    """NRR per unsur (blanks skipped), IKM = mean NRR x 25, the RTL unsur, respondents."""
    nrr = {}
    answered = pd.Series(False, index=raw.index)
    for col in raw.columns:
        m = re.match(r"(\d)\. ", col)
        if not m:
            continue
        key, name, labels = LABELS[int(m.group(1))]
        score = raw[col].str.strip().str.lower().map({lbl.lower(): i + 1 for i, lbl in enumerate(labels)})
        answered |= score.notna()
        nrr[key] = (name, float(score.sum() / score.notna().sum()))
    ikm = sum(v for _, v in nrr.values()) / 9 * 25
    order = sorted(nrr, key=lambda k: (nrr[k][1], int(k[1:])))
    rtl = order[:3] + [k for k in order[3:] if mutu(nrr[k][1] * 25) in "CD"]
    return {"ikm": ikm, "mutu": mutu(ikm), "respondents": int(answered.sum()), "nrr": nrr,
            "rtl": [nrr[k][0] for k in rtl]}


@pytest.fixture(scope="module")
def unit_csv(tmp_path_factory):
    """One unit's rows of the bundled pooled export, with a saran carrying HTML tags."""
    raw = pd.read_csv(skmkit.sample_data_path(), dtype=str, keep_default_na=False)
    raw = raw[raw["Unit Layanan"] == UNIT].reset_index(drop=True)
    raw.loc[3, "Saran/Masukan"] = SCRIPT
    path = tmp_path_factory.mktemp("data") / "dlh.csv"
    raw.to_csv(path, index=False)
    return path, raw


@pytest.fixture(scope="module")
def rendered(unit_csv, tmp_path_factory):
    """The report rendered twice, in two different folders (HTML and PDF)."""
    path, _ = unit_csv
    params = {"institution": "Pemerintah Kota Sukamaju", "period": "Semester I 2026", "population": POPULATION,
              "previous": [{"period": "Semester II 2025", "ikm": 74.5}], "head_name": "Ir. Hendra Kusumawardhana, M.T."}
    outs = []
    for sub in ("laporan", "lebih/dalam/laporan"):  # two folders, at different depths
        out = tmp_path_factory.mktemp("out") / sub
        outs.append(report.render_report(path, unit=UNIT, params=params, out=out))
    return outs


@pytest.fixture(scope="module")
def html_text(rendered):
    return rendered[0].outputs["html"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pdf_text(rendered):
    from pypdf import PdfReader

    reader = PdfReader(str(rendered[0].outputs["pdf"]))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def _plain(html: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


# ------------------------------------------------------------------ parameters
def test_parameters_declared_with_required_data():
    declared = report.notebook_parameters(report.notebook_path())
    assert declared["data"]["required"]
    assert {"unit", "by", "institution", "period", "period_start", "period_end", "population", "survey",
            "legacy_weight", "head_name", "head_title", "previous", "rtl", "source_name",
            "source_sha256"} <= set(declared)
    assert not any(d["required"] for k, d in declared.items() if k != "data")


def test_unknown_and_missing_parameters_are_refused_before_a_kernel():
    nb = report.notebook_path()
    with pytest.raises(ParameterError, match="populasi"):
        report.check_parameters(nb, {"data": "x.csv", "populasi": 10})
    with pytest.raises(ParameterError, match="data"):
        report.check_parameters(nb, {"unit": "X"})
    with pytest.raises(ParameterError, match="YYYY-MM-DD"):
        report.check_parameters(nb, {"data": "x.csv", "period_end": "30/06/2026"})
    with pytest.raises(ParameterError, match="population"):
        report.check_parameters(nb, {"data": "x.csv", "population": "banyak"})
    with pytest.raises(ParameterError, match="legacy_weight"):
        report.check_parameters(nb, {"data": "x.csv", "legacy_weight": 0.2})


def test_render_report_refuses_bad_input_early(tmp_path, sample_path):
    with pytest.raises(ParameterError, match="tidak dikenal"):
        report.render_report(sample_path, params={"penduduk": 5}, out=tmp_path)
    with pytest.raises(ParameterError, match="tidak-ada.csv"):
        report.render_report(tmp_path / "tidak-ada.csv", out=tmp_path)
    with pytest.raises(ParameterError, match="--unit"):
        report.render_report(sample_path, by="Unit Layanan", out=tmp_path)
    with pytest.raises(ParameterError, match="Dinas Sosial"):  # the message lists the units present
        report.render_report(sample_path, unit="Dinas Tidak Ada", by="Unit Layanan", out=tmp_path)
    with pytest.raises(ParameterError, match="odt"):
        report.render_report(sample_path, out=tmp_path, formats=("html", "odt"))
    assert not list(tmp_path.glob("*.ipynb"))  # nothing executed


def test_word_edition_refuses_a_bad_reference_or_format_before_a_kernel(tmp_path, sample_path):
    with pytest.raises(ParameterError, match=r"kunci 'reference_doc': berkas '.*kop\.docx' tidak ditemukan"):
        report.render_report(sample_path, unit="Dinas Sosial", out=tmp_path, formats=("docx",),
                             reference_doc=tmp_path / "kop.docx")
    with pytest.raises(ParameterError, match="format 'doc' tidak dikenal.*html, pdf, docx"):
        report.render_report(sample_path, unit="Dinas Sosial", out=tmp_path, formats=("doc",))
    assert not list(tmp_path.iterdir())  # nothing written


def test_params_from_yaml(tmp_path):
    (tmp_path / "p.yml").write_text("period: Semester I 2026\npopulation: 600\n", encoding="utf-8")
    assert report.load_params(tmp_path / "p.yml") == {"period": "Semester I 2026", "population": 600}
    (tmp_path / "bad.yml").write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="pemetaan"):
        report.load_params(tmp_path / "bad.yml")


# ------------------------------------------------------------------ cell errors
def test_broken_notebook_names_unit_cell_and_error(tmp_path, unit_csv):
    # a file without a unit column: the name only labels the report
    data = tmp_path / "unit_uji.csv"
    unit_csv[1].drop(columns=["Unit Layanan"]).to_csv(data, index=False)
    with pytest.raises(ReportError) as info:
        report.render_report(data, unit="Unit Uji", params={}, out=tmp_path,
                             notebook=FIXTURES / "broken.ipynb")
    err = info.value
    # cells of the fixture: 0 parameters, 1 markdown, 2 `x = 1`, 3 raise (papermill's cells not counted)
    assert (err.unit, err.notebook, err.cell, err.ename) == ("Unit Uji", "broken.ipynb", 3, "ValueError")
    assert "sengaja rusak untuk Unit Uji" in err.evalue
    assert "sel 3" in str(err) and "Unit Uji" in str(err)
    kept = nbformat.read(str(tmp_path / "unit-uji.ipynb"), as_version=4)
    banners = [c for c in kept.cells if "papermill-error-cell-tag" in c.metadata.get("tags", [])]
    assert banners, "the executed notebook keeps papermill's banner at the failing cell"
    failing = [c for c in kept.cells if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert failing[0].id == "cell-03"



def test_the_kernels_own_error_log_stays_out_of_the_terminal(capfd):
    """jupyter_client 8 interrupts a kernel before shutting it down; when the interrupt lands while ipykernel 7
    is still handling a message (it depends on load), the kernel logs "ERROR | KeyboardInterrupt caught in
    kernel" to the terminal after a report that went well. Cell errors reach users through the notebook;
    the kernel's own log, even at ERROR, must not (the interrupt itself is a race: logged here by hand)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        'get_ipython().kernel.log.error("KeyboardInterrupt caught in kernel.")\nprint("jalan")')]
    done = report.execute(nb)
    assert done.cells[0].outputs[0]["text"] == "jalan\n"
    err = capfd.readouterr().err
    assert "KeyboardInterrupt" not in err and "IPKernelApp" not in err, err


# ------------------------------------------------------------------ the numbers
def test_html_states_ikm_mutu_respondents_and_rtl(unit_csv, html_text):
    expected = by_hand(unit_csv[1])
    text = _plain(html_text)
    assert f"IKM = " in text
    assert re.search(rf"IKM {re.escape(UNIT)} {re.escape(indo(expected['ikm']))} Mutu pelayanan "
                     rf"{expected['mutu']}", text)
    assert f"dihitung dari {expected['respondents']} responden" in text
    banner = re.search(r'alt="(Banner publikasi[^"]*)"', html_text).group(1)  # the publication banner
    assert f"IKM {indo(expected['ikm'])}, mutu {expected['mutu']}" in banner
    assert f"{expected['respondents']} responden" in banner
    rtl_table = re.search(r"<caption>Rencana tindak lanjut \(RTL\)</caption>(.*?)</table>", html_text, re.S).group(1)
    rows = re.findall(r"<tr><td>\d+</td><td>(.*?) \((U\d)\)", rtl_table)
    assert [htmllib.unescape(name) for name, _ in rows] == expected["rtl"]
    # BAB II: Krejcie-Morgan minimum for N = 600, worked from the formula
    s = 3.841 * POPULATION * 0.25 / (0.05 ** 2 * (POPULATION - 1) + 3.841 * 0.25)
    minimum = int(half_up(s, 0))
    assert minimum == 234
    assert f"sampel minimum adalah {minimum} responden" in text
    assert "Sampel kurang" in text  # 85 < 234
    # every unsur's NRR (2 decimals, as in every table of the kit) is in the per-unsur table
    for name, nrr in expected["nrr"].values():
        assert indo(nrr, 2) in text


def test_pdf_text_states_the_same_numbers(unit_csv, pdf_text):
    expected = by_hand(unit_csv[1])
    assert indo(expected["ikm"]) in pdf_text
    assert f"Mutu pelayanan {expected['mutu']}" in pdf_text
    assert f"{expected['respondents']} responden" in pdf_text
    rtl_part = pdf_text[pdf_text.index("Rencana tindak lanjut (RTL) No"):]
    positions = [rtl_part.index(name) for name in expected["rtl"]]
    assert positions == sorted(positions)
    assert "Halaman 1 dari" not in pdf_text  # the cover carries no page number
    assert "DAFTAR ISI" in pdf_text and "BAB V PENUTUP" in pdf_text


def test_trend_uses_previous_periods(unit_csv, html_text):
    expected = by_hand(unit_csv[1])
    diff = half_up(expected["ikm"]) - 74.5
    side = "lebih tinggi" if diff > 0 else "lebih rendah"
    assert f"Dibandingkan Semester II 2025 (IKM 74,50)" in _plain(html_text)
    # a period known only by its published IKM is shown, but no change against it is judged (skm-method.md)
    assert (f"{side} {indo(abs(diff))} poin; perubahannya tidak dapat diuji karena periode itu hanya diketahui "
            "IKM-nya") in _plain(html_text)
    assert "\u2013 tidak dapat diuji" in _plain(html_text)


def test_colophon_names_input_hash_version_and_no_paths(unit_csv, rendered, html_text):
    path, _ = unit_csv
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert sha in html_text and f"skmkit {skmkit.__version__}" in html_text
    assert "dlh.csv" in html_text
    for out in rendered:
        for f in (out.outputs["html"], out.notebook):
            body = f.read_text(encoding="utf-8")
            assert str(path.parent) not in body and str(out.notebook.parent) not in body


# ------------------------------------------------------------------ safety
def test_saran_with_html_tags_is_escaped(html_text, pdf_text, rendered):
    assert "<script" not in html_text.lower()
    assert "&lt;script&gt;" in html_text
    assert "<b>tebal</b>" not in html_text
    assert '<script>alert("x")</script>' in pdf_text  # shown as text
    ipynb = rendered[0].notebook.read_text(encoding="utf-8")
    assert "<script" not in ipynb.lower()


def test_no_personal_data_in_any_output(unit_csv, rendered, html_text, pdf_text):
    _, raw = unit_csv
    personal = [v for col in ("Nama", "No HP") for v in raw[col] if v.strip()]
    assert len(personal) == 2 * len(raw)
    assert "Hendra Kusumawardhana" not in set(raw["Nama"])  # the signer is not a respondent
    ipynb = rendered[0].notebook.read_text(encoding="utf-8")
    for value in personal:
        assert value not in html_text
        assert value not in pdf_text
        assert value not in ipynb
    assert "No HP" not in html_text


# ------------------------------------------------------------------ determinism
def test_two_renders_in_two_folders_are_byte_identical(rendered):
    a, b = rendered
    assert a.outputs["html"].parent != b.outputs["html"].parent
    for fmt in ("html", "pdf"):
        assert a.outputs[fmt].read_bytes() == b.outputs[fmt].read_bytes(), fmt
    # the executed notebooks differ only in the relative path to the data (other depth)
    na, nb_ = (nbformat.reads(x.notebook.read_text(encoding="utf-8"), as_version=4) for x in (a, b))
    for ca, cb in zip(na.cells, nb_.cells):
        if "injected-parameters" not in ca.metadata.get("tags", []):
            assert ca == cb  # same outputs, no run times, no random cell ids
    na.metadata.papermill.pop("parameters"), nb_.metadata.papermill.pop("parameters")
    assert na.metadata == nb_.metadata


def test_html_is_one_offline_file_without_scripts_or_code(html_text):
    assert not re.search(r"<script|<link|src=\"http|@import|url\(http", html_text, re.I)
    assert "s.prepare" not in html_text and "PARAMETERS" not in html_text  # no code cells
    imgs = re.findall(r'<img [^>]*src="([^"]+)"', html_text)
    assert imgs and all(src.startswith("data:image/png;base64,") for src in imgs)
    assert not re.search(r"\b20\d\d-\d\d-\d\dT\d\d:\d\d", html_text)  # no render timestamp


# ------------------------------------------------------------------ the annex's workbook
@pytest.mark.parametrize("over", [True, False])
def test_report_over_the_annex_limit_writes_the_workbook_it_points_to(tmp_path, sample_path, capsys, over):
    """Lampiran 4 of a unit over ``annex_limit`` names the unit's XLSX: ``skmkit report`` writes it too."""
    from skmkit import cli

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('data = None  # wajib\nunit = None\nby = None\nannex_limit = None',
                                  metadata={"tags": ["parameters"]}),
        nbformat.v4.new_markdown_cell("Laporan mini.")])
    for i, c in enumerate(nb.cells):
        c.id = f"cell-{i:02d}"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = tmp_path / "mini.ipynb"
    nbformat.write(nb, str(notebook))
    raw = pd.read_csv(sample_path, dtype=str)
    dinsos = int((raw["Unit Layanan"] == "Dinas Sosial").sum())  # counted from the file, not by the kit
    limit = dinsos - 1 if over else dinsos  # the limit itself is still printed in the report
    out = tmp_path / "laporan"
    assert cli.main(["report", str(sample_path), "--unit", "Dinas Sosial", "--by", "Unit Layanan", "--out", str(out),
                     "--format", "html", "--notebook", str(notebook), "--annex-limit", str(limit)]) == 0
    said = capsys.readouterr().out
    assert (out / "dinas-sosial.html").is_file()
    if over:  # named as the report is, where the report is
        with zipfile.ZipFile(out / "dinas-sosial.xlsx") as z:
            assert "xl/worksheets/sheet1.xml" in z.namelist()
        from openpyxl import load_workbook

        assert "Tabulasi" in load_workbook(out / "dinas-sosial.xlsx", read_only=True).sheetnames
        notes = [line for line in said.splitlines() if line.startswith("catatan:")]
        assert len(notes) == 1 and f"{dinsos} responden" in notes[0] and str(limit) in notes[0]
        assert f"ditulis: {out / 'dinas-sosial.xlsx'}" in said
    else:
        assert not (out / "dinas-sosial.xlsx").exists() and "catatan:" not in said


def test_a_flag_path_is_read_from_the_current_folder_not_the_params_folder(tmp_path, sample_path, monkeypatch):
    """``--params sub/p.yml --reference-doc kop.docx``: kop.docx is the one in the current folder."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "p.yml").write_text("period: Semester I 2026\nreference_doc: ../tidak-ada-di-sini.docx\n",
                                            encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ParameterError) as info:  # the file's own key is read from its folder
        report.render_report(sample_path, unit="Dinas Sosial", params="sub/p.yml", out="o", formats=("docx",))
    assert "(sub/../tidak-ada-di-sini.docx)" in str(info.value)
    with pytest.raises(ParameterError) as info:  # the flag overrides it and is read from here
        report.render_report(sample_path, unit="Dinas Sosial", params="sub/p.yml", out="o", formats=("docx",),
                             reference_doc="kop.docx")
    assert f"({tmp_path / 'kop.docx'})" in str(info.value) and "sub/" not in str(info.value)
    assert not (tmp_path / "o").exists()


def test_the_colophon_prints_the_population_and_weight_as_the_text_does(sample_path):
    """One fact, one spelling: BAB II says 42.000 and 0,111; the parameter table said 42000 and 0.111."""
    from skmkit import sections

    r = sections.prepare(sample_path, unit="Dinas Kependudukan dan Pencatatan Sipil", by="Unit Layanan",
                         population=42000, legacy_weight=0.111)
    colophon = str(sections.colophon(r))
    assert "42.000" in str(sections.sample(r))
    assert "<td>42.000</td>" in colophon and "42000" not in colophon
    assert "<td>0,111</td>" in colophon and "<td>0.111</td>" not in colophon
