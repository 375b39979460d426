"""The unit's logo: checked once, and scaled down to what a page needs.

A logo is drawn at most 34 mm wide (the banner) or 26 mm high (the report
cover). A phone photo or a print-ready scan of tens of megabytes would be
embedded whole in every HTML and PDF; :func:`logo_bytes` scales any logo
larger than :data:`MAX_SIDE` pixels down (deterministically, with Pillow's
Lanczos filter, to PNG without metadata) and refuses files that are too large
to read at all, with their size.
"""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image

from .errors import ParameterError

__all__ = ["MAX_SIDE", "MAX_FILE_MB", "logo_bytes"]

#: Longest side in pixels kept as it is: the banner draws the logo 34 mm wide (800 px is 600 dpi).
MAX_SIDE = 800
#: A logo file above this size is refused (megabytes).
MAX_FILE_MB = 100
#: A logo file above this size is re-encoded even when its pixels are few (bytes).
_MAX_KEPT_BYTES = 2 << 20
_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.1f}".replace(".", ",") + " MB"


def logo_bytes(path) -> tuple[str, bytes]:
    """Return the logo as ``(mime type, bytes)``, scaled down when larger than needed.

    A PNG or JPEG whose longest side is at most :data:`MAX_SIDE` pixels and
    whose file is at most 2 MB is returned as it is (the same bytes). A
    larger one is scaled so that its longest side is :data:`MAX_SIDE`
    pixels and returned as PNG: the same input always gives the same bytes.

    Parameters
    ----------
    path : str or Path
        A PNG or JPEG file.

    Raises
    ------
    ParameterError
        When the file is missing, not a PNG/JPEG image, unreadable, larger
        than :data:`MAX_FILE_MB` megabytes or has more pixels than Pillow
        decodes safely.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from PIL import Image
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "besar.png"
    >>> Image.new("RGB", (4000, 2000), "red").save(p)
    >>> mime, data = logo_bytes(p)
    >>> mime, Image.open(io.BytesIO(data)).size
    ('image/png', (800, 400))
    """
    p = Path(path)
    if not p.is_file():
        raise ParameterError(f"logo '{path}': berkas tidak ada. Perbaikan: beri path berkas PNG/JPG logo unit.")
    stat = p.stat()
    return _logo_bytes(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8)
def _logo_bytes(path: str, size: int, _mtime_ns: int) -> tuple[str, bytes]:
    """:func:`logo_bytes` for one version of a file (checked and scaled once per process)."""
    p = Path(path)
    if size > MAX_FILE_MB << 20:
        raise ParameterError(f"logo '{path}': berkas {_mb(size)} terlalu besar (batas {MAX_FILE_MB} MB). "
                             f"Perbaikan: perkecil logo menjadi paling besar {MAX_SIDE} piksel.")
    try:
        with Image.open(p) as image:
            if image.format not in _FORMATS:
                raise ParameterError(f"logo '{path}': bukan gambar PNG atau JPG ({image.format}). "
                                     "Perbaikan: simpan logo sebagai PNG atau JPG.")
            if max(image.size) <= MAX_SIDE and size <= _MAX_KEPT_BYTES:
                return _FORMATS[image.format], p.read_bytes()
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale (fast)
            mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
            small = image.convert(mode)
            small.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    except ParameterError:
        raise
    except Image.DecompressionBombError:
        raise ParameterError(f"logo '{path}': gambar terlalu besar untuk dibaca (lebih dari "
                             f"{Image.MAX_IMAGE_PIXELS * 2:,} piksel). Perbaikan: perkecil logo menjadi "
                             f"paling besar {MAX_SIDE} piksel.".replace(",", ".")) from None
    except Exception as exc:  # PIL decoder errors on a broken or mislabelled file
        raise ParameterError(f"logo '{path}': gambar tidak bisa dibaca ({type(exc).__name__}). "
                             "Perbaikan: simpan logo sebagai PNG atau JPG.") from None
    out = io.BytesIO()
    small.save(out, format="PNG", compress_level=9)  # no text chunks, no time stamp
    return "image/png", out.getvalue()
