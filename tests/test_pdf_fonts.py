"""PDF bytes do not depend on the machine: the kit's fonts are embedded whole, never subset at render time.

WeasyPrint subsets fonts with HarfBuzz where ``libharfbuzz-subset0`` is installed
and with fontTools elsewhere; fontTools stamps the current time into each subset
font. These tests take both paths away from under the renderer (fontTools forced,
its clock moved) and check that the bytes do not move, so that neither kind of
machine can hide a difference the other would show.
"""
from __future__ import annotations

import hashlib
import io

import pytest
from fontTools.misc import timeTools
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from skmkit import exporters as render

#: A small page styled by the report template's own stylesheet (its font stacks).
HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Uji</title>
<style>""" + (render.TEMPLATE_DIR / "skm" / "skm.css").read_text(encoding="utf-8") + """</style></head>
<body><h1>Laporan Hasil SKM</h1><p>IKM 87,50 &mdash; mutu <b>B</b> (Baik), <i>dihitung</i> dari 9 unsur &ge; 76,61.</p>
<p>Pengguna layanan: Jalan Melati No. 5, Kelurahan Suka&shy;maju; éć ü &ndash; &#8230;</p><code>U1 U2 U3</code></body></html>"""


def _embedded_fonts(pdf: bytes) -> dict[str, bytes]:
    out = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            out[str(desc["/FontName"])] = desc["/FontFile2"].get_object().get_data()
    return out


def test_embedded_fonts_are_the_shipped_files_whole():
    fonts = _embedded_fonts(render.html_to_pdf(HTML))
    shipped = {hashlib.sha256(p.read_bytes()).hexdigest() for p in render.FONT_DIR.glob("*.ttf")}
    assert len(fonts) >= 3  # regular, bold, oblique, mono
    for name, data in fonts.items():
        assert hashlib.sha256(data).hexdigest() in shipped, f"{name} was changed while rendering"


def test_same_bytes_whether_fonttools_or_harfbuzz_would_subset(monkeypatch):
    first = render.html_to_pdf(HTML)
    # the fontTools path, as on a machine without libharfbuzz-subset0, with its clock moved on
    import weasyprint.pdf.fonts as wfonts

    monkeypatch.setattr(wfonts, "harfbuzz_subset", None)
    monkeypatch.setattr(timeTools, "timestampNow", lambda: 4_000_000_000)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert render.html_to_pdf(HTML) == first


def test_shipped_fonts_cover_indonesian_text_and_report_signs():
    font = TTFont(render.FONT_DIR / "DejaVuSans.ttf")
    cmap = font.getBestCmap()
    needed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.,;:!?()[]%/-+=<>'\"&@#" \
             "\u2014\u2013\u2026\u2265\u2264\u00d7\u00b1\u00b7\u2022\u201c\u201d\u2018\u2019\u00e9\u00c9\u2713\u2191\u2193"
    missing = [c for c in needed if ord(c) not in cmap]
    assert not missing, missing
    # fixed timestamps, so the files themselves are reproducible
    assert font["head"].modified == font["head"].created == 3566160000


@pytest.mark.parametrize("face", ["DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono"])
def test_subset_script_reproduces_the_shipped_fonts(face, tmp_path):
    import importlib.util
    from pathlib import Path

    import matplotlib

    script = Path(__file__).resolve().parents[1] / "tools" / "subset_fonts.py"
    spec = importlib.util.spec_from_file_location("subset_fonts", script)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    src = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / f"{face}.ttf"
    mod.subset_face(src, tmp_path / "x.ttf")
    assert (tmp_path / "x.ttf").read_bytes() == (render.FONT_DIR / f"{face}.ttf").read_bytes()
