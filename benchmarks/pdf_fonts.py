"""PDF time with the kit's fonts embedded whole vs subset at render time (what WeasyPrint does by default).

Renders one report's HTML with both settings, alternating, best of N each, and prints the ratio
(one run, the same load for both sides)::

    .venv/bin/python benchmarks/pdf_fonts.py [report.html] [--repeat 3]

Without an HTML file, the bundled sample's Dinas Sosial report is rendered first.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import weasyprint.pdf.fonts as wfonts
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

import skmkit
from skmkit import exporters as render


def pdf(html: str, full_fonts: bool) -> tuple[float, int]:
    fonts = FontConfiguration()
    css = CSS(string=render._bundled_fonts_css(), font_config=fonts)
    t = time.perf_counter()
    blob = HTML(string=html, base_url=str(render.TEMPLATE_DIR)).write_pdf(
        stylesheets=[css], font_config=fonts, full_fonts=full_fonts)
    return time.perf_counter() - t, len(blob)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("html", nargs="?")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    if a.html:
        html = Path(a.html).read_text(encoding="utf-8")
    else:
        from skmkit.report import render_report

        with tempfile.TemporaryDirectory() as tmp:
            r = render_report(skmkit.sample_data_path(), unit="Dinas Sosial", out=tmp, formats=("html",),
                              period="Semester I 2026", population=4000)
            html = r.outputs["html"].read_text(encoding="utf-8")
    wfonts.harfbuzz_subset = None  # the fontTools path, as on a machine without libharfbuzz-subset0
    best = {True: float("inf"), False: float("inf")}
    size = {}
    for _ in range(a.repeat):
        for full in (True, False):
            seconds, size[full] = pdf(html, full)
            best[full] = min(best[full], seconds)
    print(f"kit fonts embedded whole : {best[True]:.2f} s, {size[True] / 1e6:.2f} MB")
    print(f"subset at render time    : {best[False]:.2f} s, {size[False] / 1e6:.2f} MB")
    print(f"time ratio whole/subset  : {best[True] / best[False]:.2f}")


if __name__ == "__main__":
    main()
