"""The Word edition (skmkit/word/): the sample unit's DOCX read back, and printed by LibreOffice Writer.

One report of the bundled sample's Dinas Sosial rendered with ``formats=("html", "docx")``. The DOCX is
read back with python-docx: heading styles in the HTML's order, the per-unsur table holding the numbers
``skmkit ikm --json`` gives for that unit (formatted here, by hand, as the method doc says: comma decimals,
half up), figures with their "Gambar n." captions, the fields (TOC, PAGEREF, STYLEREF, PAGE, NUMPAGES, SEQ),
A4, the signature block, fixed bytes and no macros. LibreOffice Writer (headless) converts it to PDF: the
number of pages the footer names, every BAB at the top of a page, no lines drawn over each other.
"""
from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from decimal import ROUND_HALF_UP, Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from skmkit import cli, theme
from skmkit.errors import ParameterError
from skmkit.report import render_report
from skmkit.word import html_to_docx, reference_document

UNIT = "Dinas Sosial"
SIGN = {"head_name": "Dr. Siti Aminah, M.Si", "head_nip": "19700101 199503 1 001", "location": "Sukamaju"}


def fmt(x, digits):
    """A number as the report prints it: half up, comma decimals (the method doc's display rule)."""
    q = Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{q:,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, sample_path):
    out = tmp_path_factory.mktemp("word")
    r = render_report(sample_path, unit=UNIT, out=out, formats=("html", "docx"), period="Semester I 2026",
                      population=4000, institution="Pemerintah Kota Sukamaju", report_date="2026-07-06", **SIGN)
    return {"docx": r.outputs["docx"], "html": r.outputs["html"].read_text(encoding="utf-8"), "out": out}


@pytest.fixture(scope="module")
def doc(rendered):
    return Document(str(rendered["docx"]))


def ikm_json(sample_path, capsys):
    assert cli.main(["ikm", str(sample_path), "--by", "Unit Layanan", "--json"]) == 0
    groups = json.loads(capsys.readouterr().out)["groups"]
    return next(g for g in groups if g["group"] == {"Unit Layanan": UNIT})


def _cell_text(cell):
    return re.sub(r"\s+", " ", cell.text).strip()


def _shading(cell):
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return None if shd is None else shd.get(qn("w:fill"))


def _document_xml(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")}


# ---------------------------------------------------------------------------------------------- read back
def test_headings_are_word_heading_styles_in_the_html_order(doc, rendered):
    html_heads = [re.sub(r"<[^>]+>", "", h[1]).strip()
                  for h in re.findall(r'<h([12]) id="s\d+"[^>]*>(.*?)</h\1>', rendered["html"], re.S)]
    word_heads = [p.text for p in doc.paragraphs if p.style.name in ("Heading 1", "Heading 2")
                  and p.text != "DAFTAR ISI"]
    assert word_heads == html_heads
    levels = {p.text: p.style.name for p in doc.paragraphs}
    assert levels["BAB III HASIL PENGOLAHAN DATA"] == "Heading 1"
    assert levels["3.2 Nilai per Unsur Pelayanan"] == "Heading 2"
    assert doc.styles["Heading 1"].paragraph_format.page_break_before  # every BAB on a new page


def test_unsur_table_holds_the_numbers_of_ikm_json(doc, sample_path, capsys):
    unit = ikm_json(sample_path, capsys)
    table = next(t for t in doc.tables if {"Kode", "NRR tertimbang"} <= {_cell_text(c) for c in t.rows[0].cells})
    head = [_cell_text(c) for c in table.rows[0].cells]
    assert head[:3] == ["No", "Kode", "Unsur pelayanan"] and head[-1] == "Mutu"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    rows = {_cell_text(r.cells[1]): r for r in table.rows[1:]}
    for key, u in unit["unsur"].items():
        cells = rows[key].cells
        texts = [_cell_text(c) for c in cells]
        assert texts[2] == u["nama"]
        assert texts[3:8] == [fmt(u["total"], 0), str(u["filled"]), fmt(u["nrr"], 2), fmt(u["nrr_weighted"], 3),
                              fmt(u["converted"], 2)], key
        assert texts[8] == u["mutu"]
        assert _shading(cells[8]) == theme.MUTU_COLORS[u["mutu"]].lstrip("#").upper()  # the mutu colour
        assert all(p.alignment == 2 for c in cells[3:8] for p in c.paragraphs)  # numbers right-aligned
    last = [_cell_text(c) for c in table.rows[-1].cells]
    assert fmt(unit["ikm"], 2) in last and last[-1] == unit["mutu"]


def test_figures_at_print_resolution_with_numbered_captions(doc, rendered):
    figures = len(re.findall(r"<figure ", rendered["html"]))
    shapes = doc.inline_shapes
    pictures = [s for s in shapes]
    assert len(pictures) >= figures > 5
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    for table in doc.tables:  # the profile charts sit two by two in a grid
        for cell in table._cells:
            captions += [p.text for p in cell.paragraphs if p.style.name == "Caption"]
    numbers = sorted(int(m.group(1)) for c in captions for m in [re.match(r"Gambar (\d+)\. ", c)] if m)
    assert numbers == list(range(1, figures + 1))
    assert any(c.startswith("Gambar 5. Nilai rata-rata (NRR) per unsur pelayanan") for c in captions)
    body = doc.element.body
    for par in body.findall(qn("w:p")):  # a picture in the body goes to the page of its caption
        if par.findall(f".//{qn('w:drawing')}") and par.getnext() is not None:
            nxt = par.getnext()
            style = nxt.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            if style is not None and style.get(qn("w:val")) == "Caption":
                assert par.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
    for shape in pictures:  # each picture printed at 150 dpi or finer
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        image = doc.part.related_parts[blip.embed].image
        assert image.px_width / (shape.width / Mm(25.4)) >= 150


def test_fields_toc_pages_header_and_a4(rendered, doc):
    xml = _document_xml(rendered["docx"])
    body = xml["word/document.xml"]
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    entries = re.findall(r'w:anchor="(_Toc_s\d+)"', body)
    assert len(entries) == len(re.findall(r'<li class="toc-h[12]">', rendered["html"])) > 20
    for name in entries:  # each entry: a link and a page number field to a heading's bookmark
        assert f'w:name="{name}"' in body and f"PAGEREF {name} \\h" in body
    assert body.count("SEQ Gambar") >= 8 and body.count("SEQ Tabel") >= 5
    headers = " ".join(v for k, v in xml.items() if k.startswith("word/header"))
    footers = " ".join(v for k, v in xml.items() if k.startswith("word/footer"))
    assert 'STYLEREF "Heading 1"' in headers and "Laporan Hasil SKM \u2014 Dinas Sosial" in headers
    assert " PAGE " in footers and " NUMPAGES " in footers and "Halaman " in footers and " dari " in footers
    assert "Pemerintah Kota Sukamaju" in footers
    assert '<w:updateFields w:val="true"/>' in xml["word/settings.xml"]
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # Word stores twips
    assert section.different_first_page_header_footer  # the cover carries no header


def test_signature_block_from_the_parameters(doc):
    texts = [p.text for p in doc.paragraphs]
    assert "Sukamaju, 6 Juli 2026" in texts
    assert f"Kepala {UNIT}," in texts
    assert SIGN["head_name"] in texts and f"NIP. {SIGN['head_nip']}" in texts


def test_tables_never_touch_and_answer_options_are_lettered_once(rendered, doc):
    """Two tables that touch are one table to Word and Writer (the first one's header repeated over the second);
    the questionnaire's options carry their letters from the HTML, two to a line, without list numbers."""
    body = doc.element.body
    for parent in [body, *body.iter(qn("w:tc"))]:
        kids = [c.tag for c in parent if c.tag in (qn("w:p"), qn("w:tbl"))]
        assert not any(a == b == qn("w:tbl") for a, b in zip(kids, kids[1:]))
    questions = len(re.findall(r'<ol class="options">', rendered["html"]))
    first_rows = [p for p in doc.paragraphs if p.text.startswith("a. ")]
    assert len(first_rows) == questions > 0
    assert all(re.fullmatch(r"a\. .+\(nilai 1\)\tb\. .+\(nilai 2\)", p.text) for p in first_rows)
    assert all(p.paragraph_format.keep_with_next for p in first_rows)  # a question stays with its options


def test_same_bytes_fixed_dates_no_macros(rendered, doc):
    blob = rendered["docx"].read_bytes()
    assert html_to_docx(rendered["html"]) == blob
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        names = z.namelist()
        types = z.read("[Content_Types].xml").decode()
    assert not any("vba" in n.lower() for n in names) and "macroEnabled" not in types
    cp = doc.core_properties
    assert cp.created.year == cp.modified.year == 2000 and cp.author == "skmkit"
    assert cp.title == f"Laporan Hasil SKM \u2014 {UNIT} \u2014 Semester I 2026"


def test_the_office_reference_document_gives_its_look(rendered, tmp_path):
    ref = reference_document()
    ref.styles["Normal"].font.name = "Arial"
    ref.sections[0].left_margin = Mm(30)
    ref.sections[0].header.paragraphs[0].text = "PEMERINTAH KOTA SUKAMAJU \u2014 KOP SURAT"
    ref.add_paragraph("isi contoh yang tidak ikut")
    path = tmp_path / "kop.docx"
    ref.save(str(path))
    doc = Document(io.BytesIO(html_to_docx(rendered["html"], reference_doc=path)))
    assert round(doc.sections[0].left_margin.mm) == 30
    assert doc.styles["Normal"].font.name == "Arial"
    assert "KOP SURAT" in doc.sections[0].header.paragraphs[0].text
    assert "isi contoh yang tidak ikut" not in [p.text for p in doc.paragraphs]
    assert any(p.text == "BAB I PENDAHULUAN" for p in doc.paragraphs)


def test_a_bad_reference_document_is_named(rendered, tmp_path):
    with pytest.raises(ParameterError, match=r"dokumen referensi Word: kunci 'reference_doc': berkas '.*kop\.docx' "
                                             "tidak ditemukan"):
        html_to_docx(rendered["html"], reference_doc=tmp_path / "kop.docx")
    old = tmp_path / "kop.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ParameterError, match=r"kop\.doc': harus dokumen Word \.docx, bukan \.doc\. Perbaikan: buka "):
        html_to_docx(rendered["html"], reference_doc=old)


# ---------------------------------------------------------------------------------------------- Writer
def test_libreoffice_writer_prints_it(rendered, tmp_path):
    from pypdf import PdfReader
    from test_libreoffice import REQUIRED, SOFFICE, overlapping_lines

    if not SOFFICE:
        if REQUIRED:
            pytest.fail("LibreOffice (soffice) tidak terpasang (SKMKIT_REQUIRE_LIBREOFFICE=1)")
        pytest.skip("LibreOffice (soffice) tidak terpasang. Pasang: apt-get install --no-install-recommends "
                    "libreoffice-writer-nogui fonts-crosextra-carlito")
    profile = tmp_path / "profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(rendered["docx"])],
                   check=True, capture_output=True, timeout=240)
    reader = PdfReader(str(tmp_path / rendered["docx"].with_suffix(".pdf").name))
    pages = []
    for page in reader.pages:
        runs = []

        def visit(text, cm, tm, font, size, runs=runs):
            if text.strip():
                h = size * abs((tm[0] * cm[0]) or 1)
                x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
                runs.append((x, y, x + 0.42 * h * len(text.strip()), h, text.strip()))

        pages.append((page.extract_text(visitor_text=visit), runs, page))
    n = len(pages)
    assert 14 <= n <= 24
    # the footer's NUMPAGES and PAGE fields, computed by Writer
    for number, (text, _, _) in enumerate(pages[1:], 2):
        assert f"Halaman {number} dari {n}" in text, number
    # every BAB starts a page: its heading is the page's first line under the running header
    for bab in ["KATA PENGANTAR", "DAFTAR ISI", "BAB I PENDAHULUAN", "BAB II PENGUMPULAN DATA",
                "BAB III HASIL PENGOLAHAN DATA", "BAB IV ANALISIS", "BAB V PENUTUP", "LAMPIRAN"]:
        page = next(p for p in pages if bab in p[0].splitlines())
        lines = [ln.strip() for ln in page[0].splitlines() if ln.strip()]
        assert lines[1] == bab or lines[0] == bab, (bab, lines[:3])
    # a heading never ends a page (the footer is the page's last line, then its last body line)
    headings = {p.text for p in Document(str(rendered["docx"])).paragraphs
                if p.style.name.startswith("Heading") or p.style.name == "Judul Tabel"}  # nor a table's caption
    for number, (text, _, _) in enumerate(pages, 1):
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and "Halaman" not in ln]
        assert lines and lines[-1] not in headings, (number, lines[-1:])
    for number, (_, runs, page) in enumerate(pages, 1):
        assert overlapping_lines(runs) == [], number
        width = float(page.mediabox.width)
        assert all(r[0] >= 0 and r[0] < width for r in runs), number  # nothing set off the page
    assert abs(float(pages[0][2].mediabox.width) - 595.3) < 1  # A4


# ---------------------------------------------------------------------------------------------- per unit
def _kop(path, left_mm: int, text: str):
    ref = reference_document()
    ref.sections[0].left_margin = Mm(left_mm)
    ref.sections[0].header.paragraphs[0].text = text
    ref.styles["Normal"].font.name = "Arial"
    ref.save(str(path))
    return path


def test_reference_doc_per_unit_in_units_yml(tmp_path):
    """One unit of units.yml names its office's reference document (relative to units.yml); the other keeps
    the kit's. A changed reference document re-renders its unit only. The tiny batch notebook keeps it cheap."""
    import yaml
    from test_batch import UNITS as BATCH_UNITS, _tiny_notebook

    from skmkit.batch import batch
    from skmkit.synth import generate_responses

    generate_responses(BATCH_UNITS[:2], seed=3).to_csv(tmp_path / "kota.csv", index=False)
    (tmp_path / "kop").mkdir()
    _kop(tmp_path / "kop" / "kop_alpha.docx", 30, "PEMERINTAH KOTA UJI \u2014 DINAS ALPHA")
    units = {"defaults": {"data": "kota.csv", "by": "Unit Layanan", "institution": "Kota Uji", "formats": ["docx"]},
             "units": [{"id": "alpha", "unit": "Dinas Alpha", "reference_doc": "kop/kop_alpha.docx"},
                       {"id": "beta", "unit": "Dinas Beta"}]}
    params = tmp_path / "units.yml"
    params.write_text(yaml.safe_dump(units, sort_keys=False), encoding="utf-8")
    notebook = _tiny_notebook(tmp_path / "mini.ipynb")
    out = tmp_path / "out"

    def run():
        r = batch(params, out=out, notebook=notebook, jobs=1, recap=False, progress=False, quiet=True)
        assert r.exit_code == 0, [(u["id"], u["cause"]) for u in r.units]
        docs = {u: Document(str(out / "laporan" / f"{u}.docx")) for u in ("alpha", "beta")}
        return {u["id"]: u["status"] for u in r.units}, docs

    status, docs = run()
    alpha, beta = docs["alpha"], docs["beta"]
    assert status == {"alpha": "ok", "beta": "ok"}
    assert round(alpha.sections[0].left_margin.mm) == 30 and alpha.styles["Normal"].font.name == "Arial"
    assert alpha.sections[0].header.paragraphs[0].text == "PEMERINTAH KOTA UJI \u2014 DINAS ALPHA"
    kit = reference_document()
    assert beta.sections[0].left_margin == kit.sections[0].left_margin  # the kit's look
    assert beta.styles["Normal"].font.name == kit.styles["Normal"].font.name
    assert "KOP" not in beta.sections[0].header.paragraphs[0].text.upper()
    assert any(p.text == "Dinas Beta" for p in beta.paragraphs) and any(p.text == "Dinas Alpha" for p in alpha.paragraphs)

    _kop(tmp_path / "kop" / "kop_alpha.docx", 35, "PEMERINTAH KOTA UJI \u2014 DINAS ALPHA")
    status, docs = run()
    assert status == {"alpha": "ok", "beta": "skipped"}  # the reference document is one of alpha's inputs
    assert round(docs["alpha"].sections[0].left_margin.mm) == 35


@pytest.mark.parametrize("value, message", [
    ("kop_hilang.docx", r"units\.yml: unit 'alpha': kunci 'reference_doc': berkas 'kop_hilang\.docx' tidak ditemukan"),
    ("kop.doc", r"units\.yml: unit 'alpha': kunci 'reference_doc' bernilai 'kop\.doc': harus dokumen Word \.docx, "
                r"bukan \.doc\. Perbaikan: buka dokumen kop di Word lalu simpan sebagai \.docx"),
])
def test_a_bad_reference_doc_in_units_yml_is_one_line_before_anything_runs(tmp_path, sample_path, value, message):
    import yaml

    from skmkit.batch.units import load_units
    from skmkit.report import notebook_path

    (tmp_path / "kop.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    units = {"defaults": {"data": str(sample_path), "by": "Unit Layanan"},
             "units": [{"id": "alpha", "unit": UNIT, "reference_doc": value}]}
    (tmp_path / "units.yml").write_text(yaml.safe_dump(units), encoding="utf-8")
    with pytest.raises(ParameterError, match=message) as exc:
        load_units(tmp_path, notebook=notebook_path())
    assert len(str(exc.value).splitlines()) == 1


def test_reference_doc_is_a_report_flag_and_a_params_key(sample_path, tmp_path):
    """`skmkit report --reference-doc` and a params YAML's reference_doc (relative to the YAML) reach the exporter
    and never the notebook (its parameters cell does not declare it)."""
    from skmkit import report

    seen = {}

    def fake(notebook, params, **kwargs):
        seen.update(params=params, kwargs=kwargs)
        return report.Rendered(notebook=None)

    kop = _kop(tmp_path / "kop.docx", 30, "KOP")
    (tmp_path / "p.yml").write_text("period: S1\nreference_doc: kop.docx\n", encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setattr(report, "render_notebook", fake)
    try:
        report.render_report(sample_path, unit=UNIT, params=tmp_path / "p.yml", out=tmp_path / "o", formats=["docx"])
        assert seen["kwargs"]["reference_doc"] == str(kop.resolve()) and "reference_doc" not in seen["params"]
        assert cli.main(["report", str(sample_path), "--unit", UNIT, "--out", str(tmp_path / "o"), "--format",
                         "docx", "--reference-doc", str(kop)]) == 0
        assert seen["kwargs"]["reference_doc"] == str(kop.resolve()) and "reference_doc" not in seen["params"]
    finally:
        mp.undo()


@pytest.mark.parametrize("given", [
    {"location": "Sukamaju", "report_date": "2026-07-06", "head_name": "Dr. Siti Aminah, M.Si",
     "head_nip": "19700101 199503 1 001"},
    {"location": "Sukamaju", "report_date": "2026-07-06", "head_name": "Dr. Siti Aminah, M.Si"},
    {"report_date": "2026-07-06", "head_nip": "19700101 199503 1 001"},
    {},
])
def test_signature_block_ready_to_sign(given):
    """Place, date, title, name and NIP as given; a dotted line to fill in by hand only where a value is missing;
    never a "(......)" placeholder, never a block without its place line."""
    from types import SimpleNamespace

    from skmkit.sections import signature

    r = SimpleNamespace(**{"location": "", "report_date": "", "head_name": "", "head_nip": "", **given},
                        head_title="Kepala Dinas Sosial")
    doc = Document(io.BytesIO(html_to_docx(f"<html><body><main><p>Isi.</p>{signature(r)}</main></body></html>")))
    lines = [p for p in doc.paragraphs if p.text != "Isi."]
    place, title, space, name, nip = lines
    blank = re.compile(r"^\u2026{5,}$")
    where, _, when = place.text.partition(", ")
    assert where == given["location"] if "location" in given else blank.match(where)
    assert when == "6 Juli 2026" if "report_date" in given else blank.match(when)
    assert title.text == "Kepala Dinas Sosial,"
    assert space.text == "" and space.paragraph_format.space_before >= Mm(15)  # room to sign
    if "head_name" in given:
        assert name.text == given["head_name"] and all(r.underline for r in name.runs)
    else:
        assert blank.match(name.text) and not any(r.underline for r in name.runs)
    assert nip.text == f"NIP. {given['head_nip']}" if "head_nip" in given else blank.match(nip.text[len("NIP. "):])
    assert not any(re.search(r"\(\.+\)|\(\u2026+\)", p.text) for p in lines)
    assert all(p.paragraph_format.keep_with_next for p in lines[:-1])  # the block is never split over two pages
    assert len({p.paragraph_format.left_indent for p in lines}) == 1
