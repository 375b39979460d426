"""PNG images go into the PDF as their own IDAT stream: the same bytes, the same pixels, other PNGs untouched."""
from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from skmkit import pdfimages


def _png(mode="RGB", size=(37, 23), **save):
    rng = np.random.default_rng(7)
    shape = (size[1], size[0]) + ((len(mode),) if mode != "L" else ())
    image = Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8), mode)
    out = io.BytesIO()
    image.save(out, format="PNG", **save)
    return out.getvalue()


def _ihdr(png: bytes, offset: int, value: int) -> bytes:
    """``png`` with one IHDR byte set (Pillow writes neither interlaced nor 16-bit RGB; the CRC is not read)."""
    return png[:offset] + bytes([value]) + png[offset + 1:]


@pytest.fixture
def weasyprint_encoder():
    """WeasyPrint's own ``_get_png_data`` (the hook removed for the test, put back after)."""
    from weasyprint.images import RasterImage

    before = RasterImage.__dict__["_get_png_data"]
    original = before.__func__
    while getattr(original, "skmkit", False):  # installed by an earlier export in this process
        original = original.original
    RasterImage._get_png_data = staticmethod(original)
    yield original
    RasterImage._get_png_data = before


@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_idat_stream_is_what_weasyprint_would_encode(mode, weasyprint_encoder):
    png = _png(mode)
    assert pdfimages.idat_stream(png, mode) == weasyprint_encoder(Image.open(io.BytesIO(png)))


@pytest.mark.parametrize("png, mode", [
    (_png("RGBA"), "RGBA"),                          # alpha: WeasyPrint splits it into a mask
    (_png("RGB", optimize=True), "P"),               # Pillow opens a palette image as P
    (_png("RGB", transparency=(0, 0, 0)), "RGB"),    # a transparent colour (tRNS)
    (_ihdr(_png("RGB"), 28, 1), "RGB"),              # Adam7: the PDF cannot read interlaced rows
    (_ihdr(_png("RGB"), 24, 16), "RGB"),             # 16 bits a sample
    (b"GIF89a" + b"\0" * 40, "RGB"),
])
def test_other_pngs_go_the_librarys_way(png, mode):
    if png.startswith(b"\x89PNG") and mode == "P":
        png = io.BytesIO()
        Image.open(io.BytesIO(_png("RGB"))).convert("P").save(png, format="PNG")
        png = png.getvalue()
    assert pdfimages.idat_stream(png, mode) is None


def _pdf_with(png: bytes) -> bytes:
    from skmkit.exporters import _weasyprint

    uri = "data:image/png;base64," + base64.b64encode(png).decode()
    return _weasyprint(f'<html><body><p>Gambar</p><img src="{uri}" style="width:40mm"></body></html>')


def test_the_kits_pdf_has_the_same_bytes_with_and_without_the_hook(weasyprint_encoder):
    from unittest import mock

    from weasyprint.images import RasterImage

    from skmkit.theme import new_axes, png_bytes

    ax = new_axes(size=(3, 2))
    ax.bar(["a", "b", "c"], [3.1, 2.7, 3.4])
    chart = png_bytes(ax)
    with mock.patch.object(pdfimages, "install", lambda: None):
        without = _pdf_with(chart)      # WeasyPrint decodes and encodes the chart itself
    assert RasterImage.__dict__["_get_png_data"].__func__ is weasyprint_encoder
    with_hook = _pdf_with(chart)        # the export installs the hook
    assert getattr(RasterImage.__dict__["_get_png_data"].__func__, "skmkit", False)
    assert with_hook == without


def test_another_encoders_png_keeps_its_pixels():
    """A PNG compressed at another level: the PDF holds that stream, and it decodes to the same pixels."""
    from pypdf import PdfReader

    png = _png("RGB", size=(61, 40), compress_level=9)
    pdf = _pdf_with(png)
    [image] = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert np.array_equal(np.asarray(image.image.convert("RGB")), np.asarray(Image.open(io.BytesIO(png))))
