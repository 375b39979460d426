"""The kit exporters: nbconvert entry points, one offline HTML file, deterministic PDF."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from skmkit import exporters as render
from skmkit.errors import ParameterError

PNG_1PX = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """A tiny notebook as papermill leaves it: code with outputs (HTML, PNG, a stream)."""
    nb = new_notebook()
    nb.cells = [
        new_code_cell("data = 'x.csv'  # wajib", metadata={"tags": ["parameters"]}),
        new_markdown_cell("# BAB I PENDAHULUAN\n\n## 1.1 Latar Belakang\n\nTeks."),
        new_code_cell("rahasia_kode()", outputs=[
            new_output("execute_result", data={"text/html": '<nav class="toc"><h1 class="toc-title">DAFTAR ISI</h1></nav>',
                                               "text/plain": "<blok>"}, execution_count=1),
            new_output("stream", name="stdout", text="cetakan "),
            new_output("stream", name="stdout", text="debug\n"),
            new_output("stream", name="stderr", text="peringatan\n"),
        ]),
        new_code_cell("grafik()", outputs=[
            new_output("display_data", data={"image/png": PNG_1PX, "text/plain": "<Figure>"}),
        ]),
        new_markdown_cell("# BAB II PENGUMPULAN DATA\n\nTeks kedua."),
    ]
    for i, c in enumerate(nb.cells):
        c.id = f"cell-{i:02d}"
    for n, c in enumerate((c for c in nb.cells if c.cell_type == "code"), 1):
        c.execution_count = n  # every cell was run, those without output too
    path = tmp_path_factory.mktemp("nb") / "kecil.ipynb"
    nbformat.write(nb, str(path))
    return path


def _nbconvert(path, to):
    exe = Path(sys.executable).with_name("jupyter-nbconvert")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "nbconvert"]
    return subprocess.run(cmd + ["--to", to, str(path)], capture_output=True, text=True, cwd=path.parent)


def test_finish_html_numbers_headings_and_fills_toc():
    text = ('<nav class="toc"><h1 class="toc-title">DAFTAR ISI</h1></nav>'
            '<h1 id="BAB-I">BAB I<a class="anchor-link" href="#BAB-I">&#182;</a></h1><h2>1.1 A &amp; B</h2>'
            '<h1 class="title">Judul sampul</h1>')
    out = render.finish_html(text)
    assert '<h1 id="s1">BAB I</h1>' in out and '<h2 id="s2">1.1 A &amp; B</h2>' in out
    assert '<li class="toc-h1"><a href="#s1">BAB I</a></li><li class="toc-h2"><a href="#s2">1.1 A &amp; B</a></li>' in out
    assert "anchor-link" not in out and "Judul sampul</a>" not in out


@pytest.mark.parametrize("name", ["skm_html", "skm-html"])  # the menu's name, and the first one
def test_nbconvert_to_skm_html_entry_point(executed, name):
    r = _nbconvert(executed, name)
    assert r.returncode == 0, r.stderr
    out = executed.with_suffix(".html").read_text(encoding="utf-8")
    assert '<li class="toc-h1"><a href="#s1">BAB I PENDAHULUAN</a></li>' in out
    assert "rahasia_kode" not in out  # no code
    assert '<pre class="stream">cetakan debug\n</pre>' in out  # print() output is part of the report
    assert "peringatan" not in out  # stderr (warnings, logs) is not
    assert "In&nbsp;[" not in out and "Out[" not in out  # no prompts
    assert "<script" not in out.lower() and "http" not in out.split("<body>")[0].split("</style>")[-1]
    assert f"data:image/png;base64,{PNG_1PX}" in out
    assert "@page" in out and "size: A4" in out  # the print stylesheet is inline


@pytest.mark.parametrize("name", ["skm_pdf", "skm-pdf"])
def test_nbconvert_to_skm_pdf_entry_point(executed, name):
    r = _nbconvert(executed, name)
    assert r.returncode == 0, r.stderr
    pdf = executed.with_suffix(".pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "BAB II PENGUMPULAN DATA" in text


def test_nbconvert_to_skm_docx_entry_point(executed):
    r = _nbconvert(executed, "skm_docx")
    assert r.returncode == 0, r.stderr
    from docx import Document

    doc = Document(str(executed.with_suffix(".docx")))
    styles = {p.text: p.style.name for p in doc.paragraphs}
    assert styles["BAB I PENDAHULUAN"] == "Heading 1" and styles["1.1 Latar Belakang"] == "Heading 2"
    assert "cetakan debug" in styles and "rahasia_kode" not in " ".join(styles)  # print() in, code out
    assert "peringatan" not in " ".join(styles)
    assert len(doc.inline_shapes) == 1 and "Gambar 1." in styles  # the plain figure, numbered


def test_pdf_is_deterministic_and_undated():
    html = "<html><head><title>Uji</title></head><body><h1>BAB I</h1><p>Teks 87,28.</p></body></html>"
    a, b = render.html_to_pdf(html), render.html_to_pdf(html)
    assert a == b
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(a))
    meta = reader.metadata
    assert meta.creation_date is None and meta.modification_date is None
    assert meta.producer.startswith("skmkit")  # names the kit, not a library version
    assert reader.trailer.get("/ID")  # an identifier computed from the content


def test_pdf_engines_by_name():
    assert set(render.PDF_ENGINES) == {"weasyprint", "chromium"}
    with pytest.raises(ParameterError, match="weasyprint"):
        render.html_to_pdf("<p>x</p>", engine="latex")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="no system Chromium")
def test_chromium_engine_when_installed():
    assert render.html_to_pdf("<p>x</p>", engine="chromium").startswith(b"%PDF")


def test_exporter_names_route_in_jupyter_server():
    """JupyterLab's menu calls /nbconvert/<name>/<path>; jupyter_server routes only word-character names."""
    from nbconvert.exporters.base import get_export_names

    names = {n for n in get_export_names() if n.startswith("skm")}
    assert names == {"skm_html", "skm_pdf", "skm_docx", "skm-html", "skm-pdf"}  # outside a server: all five
    from jupyter_server.nbconvert.handlers import _format_regex  # the route's own pattern

    assert all(re.fullmatch(_format_regex, n) for n in ("skm_html", "skm_pdf", "skm_docx"))
    assert not re.fullmatch(_format_regex, "skm-html")  # hence disabled inside a server (the menu's list)
    assert render.SkmHTMLFirstName().enabled and render.SkmPDFFirstName().enabled  # no server in this process


def test_title_comes_from_the_cover_not_the_file_name():
    nb = new_notebook()
    nb.cells = [new_code_cell("s.cover(r)", outputs=[new_output(
        "display_data", data={"text/html": '<section class="cover">x</section>'},
        metadata={"text/html": {"skmkit": {"title": "Laporan Hasil SKM \u2014 Unit A"}}})])]
    html, _ = render.SkmHTMLExporter().from_notebook_node(nb, resources={"metadata": {"name": "laporan_skm"}})
    assert "<title>Laporan Hasil SKM \u2014 Unit A</title>" in html
    # without a cover (the recap), the name the caller gives
    html, _ = render.SkmHTMLExporter().from_notebook_node(new_notebook(), resources={"metadata": {"name": "Rekap"}})
    assert "<title>Rekap</title>" in html


def test_running_header_stays_on_one_line_for_a_long_unit_name():
    """Issue 18: a long unit name wrapped the header onto two lines, out of line with the chapter."""
    from pypdf import PdfReader

    long = "DINAS PEMBERDAYAAN PEREMPUAN, PERLINDUNGAN ANAK, PENGENDALIAN PENDUDUK DAN KELUARGA BERENCANA"
    nb = new_notebook()
    nb.cells = [new_code_cell("s.cover(r)", outputs=[new_output(
        "display_data", data={"text/html": f'<section class="cover"><div class="cover-unit">{long}</div></section>',
                              "text/plain": "<blok>"})]),
                new_markdown_cell("# BAB III HASIL PENGOLAHAN DATA\n\nTeks.")]
    html, _ = render.SkmHTMLExporter().from_notebook_node(nb)
    page = PdfReader(io.BytesIO(render.html_to_pdf(html))).pages[1]
    top = float(page.mediabox.height) - 24 / 25.4 * 72  # the top margin: the running header's band
    header = []
    page.extract_text(visitor_text=lambda text, cm, tm, font, size: header.append((round(tm[5] * cm[3] + cm[5]), text))
                      if text.strip() and tm[5] * cm[3] + cm[5] > top else None)
    assert {y for y, _ in header} and len({y for y, _ in header}) == 1, header  # one baseline
    words = " ".join(t for _, t in header)
    assert "Laporan Hasil SKM" in words and "BAB III HASIL PENGOLAHAN DATA" in words
