"""One pipeline: `skmkit report`, `skmkit batch` and the notebook run by hand give the same HTML."""
from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

from skmkit import report
from skmkit.batch import batch

UNIT = "Dinas Sosial"
PARAMS = {"institution": "Pemerintah Kota Sukamaju", "period": "Semester I 2026", "population": 4000,
          "period_start": "2026-01-01", "period_end": "2026-06-30", "head_name": "Dra. Siti Rahmawati"}


def _by_hand(notebook, data, folder):
    """What an analyst does: set the parameters cell, Run All, export with the kit's nbconvert exporter."""
    nb = nbformat.read(str(notebook), as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    values = {"data": str(data), "unit": UNIT, "by": "Unit Layanan", **PARAMS}
    cell.source += "\n" + "\n".join(f"{k} = {v!r}" for k, v in values.items())
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    path = folder / "laporan_tangan.ipynb"
    nbformat.write(nb, str(path))
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "skm-html", str(path)], check=True,
                   capture_output=True)
    return path.with_suffix(".html").read_bytes()


@pytest.mark.slow
def test_report_batch_and_by_hand_give_identical_html(tmp_path, sample_path):
    r = report.render_report(sample_path, unit=UNIT, by="Unit Layanan", out=tmp_path / "report", formats=("html",),
                             **PARAMS)
    from_report = r.outputs["html"].read_bytes()

    units = tmp_path / "units.yml"
    units.write_text(yaml.safe_dump({"defaults": {"data": str(sample_path), "by": "Unit Layanan", **PARAMS},
                                     "units": [{"id": "dinsos", "unit": UNIT}]}), encoding="utf-8")
    b = batch(units, out=tmp_path / "batch", formats="html", recap=False, jobs=1, progress=False, quiet=True)
    assert b.exit_code == 0, [u["cause"] for u in b.units]
    from_batch = (tmp_path / "batch" / "laporan" / "dinsos.html").read_bytes()

    hand = tmp_path / "tangan"
    hand.mkdir()
    from_hand = _by_hand(report.notebook_path(), sample_path, hand)

    assert from_report == from_batch
    assert from_report == from_hand
    assert f"<title>Laporan Hasil SKM \u2014 {UNIT} \u2014 Semester I 2026</title>".encode() in from_report
