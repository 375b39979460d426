"""Make the README's pictures of the unit report's PDF and of the banner (docs/images/).

- ``report-pdf-pages.png``: eight pages of Dinas Perhubungan's PDF side by side (cover, contents, BAB II,
  the profile charts, the NRR charts, the IKM, BAB IV, the banner annex), found by what they show;
- ``report-pdf-unsur.png``: the page of Gambar 5 (NRR per unsur) and Gambar 6 (the answers);
- ``banner-contoh.png``: the banner of the README's ``skmkit banner`` example (with the example logo).

The report pages come from the output of ``make demo`` (``skmkit demo --out outputs``). Needs ``pdftoppm``
(poppler-utils). The pictures of the HTML in a browser (report-html*.png, situs-*.png) need a browser and
are not made here; neither are the before/after pictures, which record a change. Run from the repository
root::

    python tools/docs_images.py outputs
"""
from __future__ import annotations

import argparse
import io
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

from skmkit import sample_data_path
from skmkit.banner import banner_png

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
UNIT_ID = "dishub"
#: What each page of report-pdf-pages.png shows: a text on it (the first page after the last one holding it).
PAGES = ("LAPORAN HASIL", "DAFTAR ISI", "2.1 Pelaksanaan Survei", "Gambar 1.", "Gambar 5.",
         "3.3 Indeks Kepuasan Masyarakat", "4.2 Rencana Tindak Lanjut", "Lampiran 3.")
THUMB_WIDTH = 436  # px: four pages in a row, 1744 px wide
BANNER = {"unit": "Dinas Kependudukan dan Pencatatan Sipil", "by": "Unit Layanan", "period": "Semester I 2026",
          "institution": "Pemerintah Kota Sukamaju", "head_name": "Drs. Bambang Hermawan, M.Si.",
          "head_title": "Kepala Dinas Kependudukan dan Pencatatan Sipil", "population": 42000,
          "logo": str(IMAGES / "banner-logo-contoh.png")}


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")


def _page_png(pdf: Path, number: int, dpi: int) -> Image.Image:
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "p"
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(number), "-l", str(number),
                        str(pdf), str(stem)], check=True)
        return Image.open(stem.with_suffix(".png")).convert("RGB")


def _find(texts: list[str], marker: str, after: int = 0) -> int:
    """The first page after page ``after`` showing ``marker`` (after the contents, which name every heading)."""
    for i, text in enumerate(texts[after:], after + 1):
        if marker in text:
            return i
    raise SystemExit(f"docs_images: no page of the report after page {after} shows {marker!r}")


def report_pages(pdf: Path) -> None:
    texts = _page_texts(pdf)
    numbers = []
    for marker in PAGES:
        numbers.append(_find(texts, marker, numbers[-1] if numbers else 0))
    pages = []
    for n in numbers:
        page = _page_png(pdf, n, 60)
        page = page.resize((THUMB_WIDTH - 16, round(page.height * (THUMB_WIDTH - 16) / page.width)), Image.LANCZOS)
        pages.append(page)
    h = max(p.height for p in pages) + 16
    sheet = Image.new("RGB", (THUMB_WIDTH * 4, h * 2), "#e9edf1")
    for i, page in enumerate(pages):
        x, y = (i % 4) * THUMB_WIDTH + 8, (i // 4) * h + 8
        sheet.paste(Image.new("RGB", (page.width + 2, page.height + 2), "#b8c2cc"), (x - 1, y - 1))
        sheet.paste(page, (x, y))
    _save(sheet, "report-pdf-pages.png")
    _save(_page_png(pdf, numbers[PAGES.index("Gambar 5.")], 100), "report-pdf-unsur.png")


def banner() -> None:
    png = banner_png(sample_data_path(), **BANNER)
    _save(Image.open(io.BytesIO(png)).convert("RGB"), "banner-contoh.png")


def _save(image: Image.Image, name: str) -> None:
    """As a 256-colour PNG (a third of the RGB file, the pages look the same), like the other pictures."""
    path = IMAGES / name
    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(path, optimize=True)
    print(f"{path.relative_to(ROOT)}: {image.width} x {image.height}, {path.stat().st_size // 1024} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outputs", nargs="?", default="outputs", help="the folder `make demo` wrote")
    args = parser.parse_args()
    pdf = Path(args.outputs) / "laporan" / f"{UNIT_ID}.pdf"
    if not pdf.is_file():
        raise SystemExit(f"docs_images: {pdf} not found; run `make demo` first")
    report_pages(pdf)
    banner()


if __name__ == "__main__":
    main()
