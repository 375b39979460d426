"""The Word edition's route: the kit's writer (python-docx walking the report HTML) vs pandoc.

Times one report's DOCX both ways, alternating, best of N each (one run, the same load for both sides),
and counts in each file what the issue asks of a real Word document::

    .venv/bin/python benchmarks/docx_route.py [report.html] [--repeat 5]

Pandoc is taken from ``pypandoc-binary`` when it is installed (not a kit dependency:
``pip install pypandoc-binary`` to compare); without it only the kit's writer is timed.
Without an HTML file, the bundled sample's Dinas Sosial report is rendered first.
"""
from __future__ import annotations

import argparse
import io
import re
import tempfile
import time
import zipfile
from pathlib import Path

import skmkit
from skmkit import word


def kit(html: str) -> bytes:
    return word.html_to_docx(html)


def pandoc(html: str) -> bytes:
    import pypandoc

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "x.docx"
        pypandoc.convert_text(html, "docx", format="html", outputfile=str(out))
        return out.read_bytes()


def features(blob: bytes) -> dict:
    """What a Word user sees: heading styles, tables, repeated header rows, right-aligned cells, shading,
    pictures, caption/page/TOC fields."""
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        doc = z.read("word/document.xml").decode("utf-8")
        parts = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if re.match(r"word/(header|footer)", n))
    return {
        "Heading 1/2 paragraphs": len(re.findall(r'w:pStyle w:val="Heading[12]"', doc)),
        "tables": doc.count("<w:tbl>"),
        "repeated header rows": doc.count("<w:tblHeader"),
        "right-aligned paragraphs": doc.count('<w:jc w:val="right"/>'),
        "shaded cells": len(re.findall(r"<w:tcPr>(?:(?!</w:tcPr>).)*<w:shd ", doc)),
        "pictures": doc.count("<pic:pic"),
        "SEQ caption fields": doc.count("SEQ Gambar") + doc.count("SEQ Tabel"),
        "TOC field": int("TOC \\o" in doc),
        "page fields (PAGE/NUMPAGES)": parts.count(" PAGE ") + parts.count(" NUMPAGES "),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("html", nargs="?")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    if a.html:
        html = Path(a.html).read_text(encoding="utf-8")
    else:
        from skmkit.report import render_report

        with tempfile.TemporaryDirectory() as tmp:
            r = render_report(skmkit.sample_data_path(), unit="Dinas Sosial", out=tmp, formats=("html",),
                              period="Semester I 2026", population=4000)
            html = r.outputs["html"].read_text(encoding="utf-8")
    routes = {"python-docx (kit)": kit}
    try:
        import pypandoc  # noqa: F401

        routes["pandoc (pypandoc-binary)"] = pandoc
    except ImportError:
        print("pypandoc-binary not installed: only the kit's writer is timed")
    best = {name: float("inf") for name in routes}
    cpu = {name: float("inf") for name in routes}  # this process's CPU: what a loaded machine does not inflate
    blobs = {}
    for _ in range(a.repeat):
        for name, run in routes.items():
            t, c = time.perf_counter(), time.process_time()
            blobs[name] = run(html)
            best[name] = min(best[name], time.perf_counter() - t)
            cpu[name] = min(cpu[name], time.process_time() - c)
    for name in routes:  # pandoc works in a child process: its CPU is not this process's, compare wall times
        print(f"{name:26s}: {best[name]:.2f} s wall, {cpu[name]:.2f} s CPU here, {len(blobs[name]) / 1e6:.2f} MB, "
              f"same bytes twice: {run_twice_same(routes[name], html)}")
        for key, value in features(blobs[name]).items():
            print(f"    {key:30s} {value}")


def run_twice_same(run, html) -> bool:
    return run(html) == run(html)


if __name__ == "__main__":
    main()
