"""Every file a batch writes, caches, logs and temporary files included, is searched for planted data.

The batch runs on tests/data/berkas_bermasalah/responden_dan_rumus.csv: respondents'
names under a "Responden" header, a phone number and an e-mail address in a
saran, a unit named like a formula (``=HYPERLINK(...)``) and saran cells that
start with ``+``, ``-`` and ``@``. Nothing personal may appear in any file the
batch leaves (its outputs, ``_batch/data`` caches, executed notebooks, logs,
state, and the temporary folder it ran with); no CSV cell may read as a
formula; no XLSX formula may come from input text; no ``weasyprint-*`` folder
may be left behind.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest

HERE = Path(__file__).parent / "data" / "berkas_bermasalah"
SOURCE = HERE / "responden_dan_rumus.csv"
ROOT = Path(__file__).resolve().parents[1]


def _planted() -> list[str]:
    """The personal values of the source file, read from it: the names under "Responden" and the saran contacts."""
    with open(SOURCE, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    names = sorted({r["Responden"] for r in rows})
    contacts = []
    for r in rows:
        contacts += re.findall(r"[\w.]+@[\w.]+\w", r["Saran"]) + re.findall(r"\+?\d[\d-]{8,}\d", r["Saran"])
    assert len(names) == 5 and len(contacts) >= 3  # the generator planted them
    return names + contacts + [c.replace("-", "") for c in contacts]


def _formula_texts() -> list[str]:
    with open(SOURCE, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    found = {r["Unit Layanan"] for r in rows} | {r["Saran"] for r in rows}
    return sorted(t for t in found if t[:1] in ("=", "+", "-", "@"))


def _texts(path: Path):
    """Every text a file holds, compressed parts decoded: raw bytes, Parquet rows and metadata, zip members, PDF text."""
    data = path.read_bytes()
    yield data.decode("utf-8", "ignore")
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        yield json.dumps(table.to_pylist(), default=str, ensure_ascii=False)
        yield str({k: v for k, v in (table.schema.metadata or {}).items()})
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                yield z.read(name).decode("utf-8", "ignore")
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        yield "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("leaks")
    tmp = work / "tmp"
    tmp.mkdir()
    out = work / "out"
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-m", "skmkit", "batch", str(SOURCE), "--by", "Unit Layanan", "--out",
                          str(out), "--format", "html,pdf,banner,xlsx", "--jobs", "1"],
                         capture_output=True, text=True, env=env, timeout=1200, cwd=work)
    assert run.returncode == 0, run.stderr[-2000:]
    files = [p for p in sorted(out.rglob("*")) + sorted(tmp.rglob("*")) if p.is_file()]
    return {"out": out, "tmp": tmp, "files": files, "stdout": run.stdout, "stderr": run.stderr}


def test_the_batch_wrote_caches_logs_notebooks_and_outputs(batch_run):
    rel = {str(p.relative_to(batch_run["out"])) for p in batch_run["files"] if batch_run["out"] in p.parents}
    for wanted in ("_batch/data/dinas-sosial.parquet", "_batch/data/_rekap.parquet", "_batch/data/_rekap_units.csv",
                   "_batch/logs/dinas-sosial.log", "_batch/notebooks/dinas-sosial.ipynb",
                   "_batch/state/dinas-sosial.json", "laporan/dinas-sosial.pdf", "laporan/dinas-sosial.xlsx",
                   "laporan/dinas-sosial-banner.png", "ringkasan.csv", "manifest.json"):
        assert wanted in rel
    assert len(rel) >= 25


def test_the_banner_drawn_once_is_the_banner_and_its_cache_is_gone(batch_run):
    """The report's kernel drew the banner and the worker took it: the same bytes as drawn here; no cache left."""
    from skmkit.banner import banner_png
    from skmkit.prepared import load_prepared

    out = batch_run["out"]
    unit = load_prepared(next((out / "_batch" / "data").glob("dinas-sosial*.pkl")))
    assert (out / "laporan" / "dinas-sosial-banner.png").read_bytes() == banner_png(unit)
    cache = out / "_batch" / "cache"
    assert not [p for p in batch_run["files"] if cache in p.parents]
    log = (out / "_batch" / "logs" / "dinas-sosial.log").read_text(encoding="utf-8")
    seconds = float(re.search(r"^banner: ([0-9.]+) s$", log, re.M).group(1))
    assert seconds < 0.2  # read back; drawing an A4 banner takes 0.3 s or more


def test_no_personal_data_in_any_file_the_batch_wrote(batch_run):
    planted = [_squash(p) for p in _planted()]
    leaks = []
    for path in batch_run["files"]:
        for text in _texts(path):
            text = _squash(text)
            leaks += [(str(path), p) for p in planted if p in text]
    leaks += [("stdout/stderr", p) for p in planted if p in _squash(batch_run["stdout"] + batch_run["stderr"])]
    assert not leaks


def test_no_csv_cell_reads_as_a_formula(batch_run):
    csvs = [p for p in batch_run["files"] if p.suffix == ".csv"]
    assert len(csvs) >= 2  # ringkasan.csv and _batch/data/_rekap_units.csv
    for path in csvs:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            for row in csv.reader(fh):
                assert not [c for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r")], (path, row)
    # the formula-like unit name is still there, as text
    units = (batch_run["out"] / "_batch" / "data" / "_rekap_units.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in units


def test_no_formula_in_any_workbook_comes_from_input_text(batch_run):
    texts = [t for t in _formula_texts()]
    assert texts
    for path in batch_run["files"]:
        if path.suffix != ".xlsx":
            continue
        with zipfile.ZipFile(path) as z:
            formulas = " ".join(m for n in z.namelist() if n.startswith("xl/worksheets/")
                                for m in re.findall(r"<f>(.*?)</f>", z.read(n).decode("utf-8")))
        assert "HYPERLINK" not in formulas and "contoh.invalid" not in formulas, path
        assert "SUM(A1:A9)" not in formulas, path


def test_no_temporary_folder_left(batch_run):
    assert not list(batch_run["tmp"].glob("weasyprint-*"))
    assert not [p for p in batch_run["out"].rglob("*") if p.name.endswith((".part", ".tmp"))]
