"""PNG images into the PDF without decoding and encoding them again.

WeasyPrint puts a PNG into the PDF as a ``/FlateDecode`` stream with PNG
predictors: exactly the zlib stream of the PNG's ``IDAT`` chunks. To get it,
it decodes the image with Pillow and encodes the pixels again
(``RasterImage._get_png_data``), for every image of every report: about a
tenth of a report's PDF time went there (eight charts and the banner).

:func:`install` lets WeasyPrint take the ``IDAT`` stream of the PNG it was
given when that stream means the same thing in the PDF: 8 bits per sample,
grey or RGB (no palette, no alpha, no transparency chunk), not interlaced.
Any other image goes the library's own way. The kit draws its charts and its
banner with Pillow's encoder at its default level, the one WeasyPrint uses
again, so the PDF's bytes do not change (``tests/test_pdfimages.py`` compares
them); for another encoder's PNG the PDF holds that encoder's stream of the
same pixels.
"""
from __future__ import annotations

import io
import struct

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: PNG colour types whose samples the PDF reads as they are: grey (0) and RGB (2).
_DIRECT = {0: "L", 2: "RGB"}


def idat_stream(png: bytes, mode: str) -> bytes | None:
    """The concatenated ``IDAT`` data of ``png`` if the PDF can use it as it is, else ``None``."""
    if png[:8] != _SIGNATURE or png[12:16] != b"IHDR":
        return None
    _w, _h, depth, colour, _compression, _filter, interlace = struct.unpack("!IIBBBBB", png[16:29])
    if depth != 8 or interlace != 0 or _DIRECT.get(colour) != mode:
        return None
    parts, pos = [], 8
    while pos + 8 <= len(png):
        length, kind = struct.unpack("!I4s", png[pos:pos + 8])
        if kind == b"tRNS":  # a transparent colour: WeasyPrint draws it with a mask
            return None
        if kind == b"IDAT":
            parts.append(png[pos + 8:pos + 8 + length])
        elif kind == b"IEND":
            break
        pos += 12 + length
    return b"".join(parts) or None


def install() -> None:
    """Let WeasyPrint use a plain PNG's own stream (once per process; a later WeasyPrint without the hook: no-op)."""
    try:
        from weasyprint.images import RasterImage
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency
        return
    current = RasterImage.__dict__.get("_get_png_data")
    if not isinstance(current, staticmethod) or getattr(current.__func__, "skmkit", False):
        return
    encode = current.__func__

    def _get_png_data(pillow_image):
        # WeasyPrint opens the image it was given from a BytesIO of the PNG's bytes and passes it here unloaded
        source = getattr(pillow_image, "fp", None)
        if pillow_image.format == "PNG" and isinstance(source, io.BytesIO):
            stream = idat_stream(source.getvalue(), pillow_image.mode)
            if stream is not None:
                return stream
        return encode(pillow_image)

    _get_png_data.skmkit = True
    _get_png_data.original = encode
    RasterImage._get_png_data = staticmethod(_get_png_data)
