"""The analyst's path: run the stored report notebook as it is, add to it, export it from JupyterLab's menu.

One execution of the stored ``laporan_skm.ipynb`` by nbclient (its own defaults: the bundled sample's
Dinas Sosial) with an analyst's cells added at its end; the tests read its HTML and PDF exports, the PDF's
page layout, and what a real jupyter_server returns on the route JupyterLab's export menu calls.
"""
from __future__ import annotations

import io
import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbclient
import nbformat
import pytest
from nbformat.v4 import new_code_cell
from pypdf import PdfReader

from skmkit.exporters import SkmDocxExporter, SkmHTMLExporter, SkmPDFExporter

ROOT = Path(__file__).resolve().parents[1]
STORED = ROOT / "notebooks" / "laporan_skm.ipynb"
GUIDE = ROOT / "docs" / "menyunting-laporan.md"


def _guide_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)

ANALYST_CELLS = [
    'print("Catatan analis: data diperiksa 3 Juli")',
    'import pandas as pd\npd.crosstab(r.data["layanan"], r.data["jenis_kelamin"])',
    'import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(6, 2.5))\n'
    'ax.plot([1, 2, 3], [3.125, 3.5, 3.25])\nax.set_title("Grafik tambahan analis")\nplt.show()',
    's.table(r.data.groupby("layanan")[["U1", "U2"]].mean(), "NRR U1 dan U2 per jenis layanan", digits=3)',
]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The stored notebook executed top to bottom with its own defaults, the analyst's cells appended."""
    nb = nbformat.read(str(STORED), as_version=4)
    for i, source in enumerate(ANALYST_CELLS + _guide_blocks("python")):  # the guide's examples, in its order
        cell = new_code_cell(source.strip())
        cell.id = f"analis-{i:02d}"
        nb.cells.append(cell)
    work = tmp_path_factory.mktemp("analis")
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(work)}}).execute()  # raises on a cell error
    path = work / "laporan_skm.ipynb"
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(scope="module")
def html(executed):
    nb = nbformat.read(str(executed), as_version=4)
    # the name jupyter_server and `jupyter nbconvert` pass: the file's stem
    return SkmHTMLExporter().from_notebook_node(nb, resources={"metadata": {"name": "laporan_skm"}})[0]


@pytest.fixture(scope="module")
def pdf(executed):
    nb = nbformat.read(str(executed), as_version=4)
    return SkmPDFExporter().from_notebook_node(nb, resources={"metadata": {"name": "laporan_skm"}})[0]


def test_stored_notebook_runs_with_its_defaults(executed):
    nb = nbformat.read(str(executed), as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    cover = next(c for c in nb.cells if "s.cover(r)" in c.source)
    assert "DINAS SOSIAL" in cover.outputs[0].data["text/html"]


def test_stored_notebook_has_no_outputs():
    nb = nbformat.read(str(STORED), as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")


def test_print_output_appears_in_the_export(html):
    assert '<pre class="stream">Catatan analis: data diperiksa 3 Juli\n</pre>' in html


def test_dataframe_appears_as_kit_table(html, executed):
    # expected counts from the raw CSV, with the test's own reading: Dinas Sosial's rows by service and sex
    import csv

    from skmkit import sample_data_path

    with open(sample_data_path(), encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["Unit Layanan"] == "Dinas Sosial"]
    services = sorted({r["Jenis Layanan"] for r in rows})
    counts = {(s, sex): sum(1 for r in rows if r["Jenis Layanan"] == s and r["Jenis Kelamin"] == sex)
              for s in services for sex in ("Laki-laki", "Perempuan")}
    # headers in Indonesian (not layanan/jenis_kelamin/L/P), counts as written
    head = '<thead><tr><th>Jenis layanan</th><th class="num">Laki-laki</th><th class="num">Perempuan</th></tr></thead>'
    assert head in html
    for s in services:
        assert (f'<tr><td>{s}</td><td class="num">{counts[(s, "Laki-laki")]}</td>'
                f'<td class="num">{counts[(s, "Perempuan")]}</td></tr>') in html
    assert 'class="dataframe"' not in html


def test_plain_matplotlib_figure_is_captioned_by_its_title(html):
    assert "<figcaption>Grafik tambahan analis</figcaption>" in html


def test_captions_are_numbered_in_document_order(html):
    # the stylesheet numbers figure.chart and table captions in order; every chart and table an analyst adds is
    # one of them, so "Gambar n" / "Tabel n" stay consecutive
    assert "counter-increment: gambar" in html and "counter-increment: tabel" in html
    assert html.count('<figure class="chart') == len(re.findall(r"<figcaption>", html))
    assert "<caption>NRR U1 dan U2 per jenis layanan</caption>" in html
    row = re.search(r'<tr><td>Rekomendasi Bansos</td><td class="num">([\d,]+)</td>', html.split(
        "NRR U1 dan U2 per jenis layanan")[1]).group(1)
    assert re.fullmatch(r"\d,\d{3}", row)  # three decimals, decimal comma


def test_title_is_the_reports_not_the_file_name(html, pdf):
    title = "Laporan Hasil SKM \u2014 Dinas Sosial \u2014 Semester I 2026"
    assert f"<title>{title}</title>" in html
    assert PdfReader(io.BytesIO(pdf)).metadata.title == title


# --------------------------------------------------------------------------------------------- guide
def test_guide_examples_ran_and_show_in_the_report(html):
    # every ```python block of docs/menyunting-laporan.md ran in the report notebook (no cell error above);
    # what each shows is in the export
    assert len(_guide_blocks("python")) >= 8
    for caption in ("Responden per jenis layanan", "Sebaran jawaban per unsur (divergen)",
                    "NRR per unsur (grafik garis)"):
        assert f"<figcaption>{caption}</figcaption>" in html
    for caption in ("Responden menurut jenis layanan dan jenis kelamin", "NRR per unsur menurut jenis layanan"):
        assert f"<caption>{caption}</caption>" in html
    assert re.search(r"Survei ini diikuti <strong>\d+ responden</strong>", html)
    assert re.search(r'<pre class="stream">Data diperiksa: \d+ baris jawaban untuk Dinas Sosial\.', html)
    assert re.search(r'<div class="note note-info">IKM \d+,\d\d (belum )?mencapai target 88,31\.</div>', html)


def test_guide_commands_name_real_exporters_and_flags():
    from nbconvert.exporters.base import get_export_names

    from skmkit import cli

    commands = " ".join(_guide_blocks("bash"))
    assert set(re.findall(r"--to (\S+)", commands)) <= set(get_export_names())
    report = next(a for a in cli.build_parser()._actions if a.dest == "command").choices["report"]
    flags = set(re.findall(r"(--[a-z-]+)", " ".join(line for line in commands.splitlines()
                                                   if line.startswith("skmkit report"))))
    assert flags <= set(report._option_string_actions)


# -------------------------------------------------------------------------------------------- layout
def _body_lines(page) -> list[tuple[float, str]]:
    """Text lines of a page's body (running header and footer left out), top to bottom, as (y, text)."""
    height = float(page.mediabox.height)
    top, bottom = height - 24 / 25.4 * 72, 20 / 25.4 * 72  # the @page margins: 24 mm top, 20 mm bottom
    parts = []

    def visit(text, cm, tm, font, size):
        y = cm[5] + tm[5] * cm[3] if cm[3] else tm[5]
        if text.strip() and bottom < y < top:
            parts.append((round(y, 1), text.strip()))

    page.extract_text(visitor_text=visit)
    lines: dict[float, list[str]] = {}
    for y, text in parts:
        lines.setdefault(y, []).append(text)
    return [(y, " ".join(lines[y])) for y in sorted(lines, reverse=True)]


def test_a_heading_never_ends_a_page(pdf, html):
    headings = {re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, re.S)}
    headings = {h for h in headings if h}
    reader = PdfReader(io.BytesIO(pdf))
    for number, page in enumerate(reader.pages, 1):
        lines = _body_lines(page)
        if lines:
            assert lines[-1][1] not in headings, f"halaman {number} berakhir dengan judul {lines[-1][1]!r}"


def test_section_intro_stays_with_its_table(pdf):
    # 3.2's heading and paragraph go to the page where the per-unsur table starts
    reader = PdfReader(io.BytesIO(pdf))
    page = next(p for p in reader.pages
                if "3.2 Nilai per Unsur Pelayanan" in p.extract_text() and "DAFTAR ISI" not in p.extract_text())
    text = page.extract_text()
    assert "Nilai per unsur pelayanan" in text.split("3.2 Nilai per Unsur Pelayanan", 1)[1]
    assert "U1" in text


# ------------------------------------------------------------------------------- JupyterLab's menu
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(executed):
    """A real jupyter_server on 127.0.0.1 serving the executed report's folder, with a token."""
    pytest.importorskip("jupyter_server")
    port, token = _free_port(), "skmkit-uji-token"
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--no-browser", f"--ServerApp.root_dir={executed.parent}",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", "--ServerApp.terminals_enabled=False",
         "--allow-root"],  # CI containers run as root
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                _get(base, "/api/status", token)
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None:
                    pytest.fail(proc.stderr.read().decode(errors="replace")[-2000:])
                time.sleep(0.1)
        yield base, token
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _get(base, path, token):
    request = urllib.request.Request(base + path, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=300) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


def test_server_lists_word_named_exporters(server):
    status, _, body = _get(*server[:1], "/api/nbconvert", server[1])
    names = {n for n in json.loads(body) if n.startswith("skm")}
    # the menu lists every name here: only those it can route (/nbconvert/\w+/...), not skm-html/skm-pdf
    assert status == 200 and names == {"skm_html", "skm_pdf", "skm_docx"}


def test_menu_route_exports_html(server):
    base, token = server
    status, ctype, body = _get(base, "/nbconvert/skm_html/laporan_skm.ipynb?download=true", token)
    assert status == 200 and ctype.startswith("text/html")
    text = body.decode("utf-8")
    assert "<title>Laporan Hasil SKM \u2014 Dinas Sosial \u2014 Semester I 2026</title>" in text
    assert '<section class="cover">' in text and "Catatan analis" in text and "<script" not in text.lower()


def test_menu_route_exports_pdf(server):
    base, token = server
    status, ctype, body = _get(base, "/nbconvert/skm_pdf/laporan_skm.ipynb?download=true", token)
    assert status == 200 and ctype.startswith("application/pdf")
    reader = PdfReader(io.BytesIO(body))
    assert reader.metadata.title == "Laporan Hasil SKM \u2014 Dinas Sosial \u2014 Semester I 2026"
    assert "BAB III HASIL PENGOLAHAN DATA" in " ".join(p.extract_text() for p in reader.pages[3:8])


def test_menu_route_exports_word(server):
    base, token = server
    status, ctype, body = _get(base, "/nbconvert/skm_docx/laporan_skm.ipynb?download=true", token)
    assert status == 200 and ctype.startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    from docx import Document

    doc = Document(io.BytesIO(body))
    assert doc.core_properties.title == "Laporan Hasil SKM \u2014 Dinas Sosial \u2014 Semester I 2026"
    assert any(p.text == "BAB III HASIL PENGOLAHAN DATA" and p.style.name == "Heading 1" for p in doc.paragraphs)


def test_word_edition_holds_the_analyst_cells(executed):
    """What the analyst added (print(), a DataFrame, a figure, a kit table) is in the DOCX too."""
    import csv

    from docx import Document

    from skmkit import sample_data_path

    nb = nbformat.read(str(executed), as_version=4)
    blob, _ = SkmDocxExporter().from_notebook_node(nb, resources={"metadata": {"name": "laporan_skm"}})
    doc = Document(io.BytesIO(blob))
    texts = [p.text for p in doc.paragraphs]
    assert "Catatan analis: data diperiksa 3 Juli" in texts
    assert any(re.fullmatch(r"Gambar \d+\. Grafik tambahan analis", t) for t in texts) or \
        any(re.fullmatch(r"Gambar \d+\.", t) for t in texts)  # the analyst's figure, numbered
    with open(sample_data_path(), encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["Unit Layanan"] == "Dinas Sosial"]
    services = sorted({r["Jenis Layanan"] for r in rows})
    crosstab = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["Jenis layanan", "Laki-laki",
                                                                                 "Perempuan"])
    for row, service in zip(crosstab.rows[1:], services):
        counts = [sum(1 for r in rows if r["Jenis Layanan"] == service and r["Jenis Kelamin"] == sex)
                  for sex in ("Laki-laki", "Perempuan")]
        assert [c.text for c in row.cells] == [service, *map(str, counts)]
    assert any("NRR U1 dan U2 per jenis layanan" in t for t in texts)  # the kit table's caption


def test_lampiran_4_heading_starts_on_the_page_of_its_table(pdf):
    """Issue 18: the heading and its note stood alone at the foot of the banner's page."""
    reader = PdfReader(io.BytesIO(pdf))
    page = next(p.extract_text() for p in reader.pages
                if "Lampiran 4. Tabel Nilai per Responden" in p.extract_text() and "DAFTAR ISI" not in p.extract_text())
    assert "No Baris" in page.split("Lampiran 4. Tabel Nilai per Responden", 1)[1]


def test_running_header_names_every_chapter_in_capitals(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    colophon = next(p.extract_text() for p in reader.pages if "SHA-256 data" in p.extract_text())
    assert "Kolofon" in colophon  # the heading as written
    # the header names the chapter the page starts in, in capitals: the Kolofon on a page of its own,
    # or Lampiran 4 when the Kolofon follows its last rows on the same page
    assert ("LAMPIRAN" if "Jawaban terisi" in colophon else "KOLOFON") in colophon
