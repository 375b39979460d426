"""The batch: units checked up front, fault isolation, atomic/incremental outputs,
determinism (warm = fresh = Dask), interruption and rerun, and the recap.

Batches run on a tiny fixture notebook (one summary line and one chart) over
four small synthetic units, HTML only except one unit that also makes a PDF,
so the whole file stays well under a minute.
"""
from __future__ import annotations

import hashlib
import json
import zipfile
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from skmkit import cli
from skmkit.batch import batch
from skmkit.errors import ParameterError
from skmkit.recap_report import recap_table, recap_xlsx
from skmkit.synth import generate_responses
from skmkit.batch.units import load_units

# (id, name, services, respondents, population, quality)
UNITS = [
    ("alpha", "Dinas Alpha", ["Layanan A"], 40, 100, 0.6),
    ("beta", "Dinas Beta", ["Layanan B"], 30, 1000, 0.0),
    ("gamma", "Dinas Gamma", ["Layanan C"], 25, 50, -0.3),
    ("delta", "Dinas Delta", ["Layanan D"], 20, 400, 0.2),
    ("epsilon", "Dinas Epsilon", ["Layanan E"], 15, 100, 0.1),
    ("zeta", "Dinas Zeta", ["Layanan F"], 15, 100, 0.1),
]
UNSUR_COL = "1. Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"


def _tiny_notebook(path: Path) -> Path:
    """A report notebook in miniature: the batch's parameters, a summary, a chart, an error switch."""
    cells = [
        nbformat.v4.new_code_cell(textwrap.dedent("""\
            data = None          # wajib: berkas data
            unit = None          # nama unit
            by = None            # kolom unit
            institution = ""     # instansi ("rusak" membuat sel gagal, untuk uji)
            period = ""          # periode
            population = None    # populasi N
            source_name = None   # nama berkas sumber
            source_sha256 = None # sha256 berkas sumber"""), metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(textwrap.dedent("""\
            import skmkit
            import matplotlib.pyplot as plt
            from IPython.display import Markdown
            df = skmkit.read_responses(data)
            res = skmkit.summarize(df, population=population)
            Markdown(f"# {unit}\\n\\nIKM {skmkit.number(res['ikm'], 2)} ({res['mutu']}), "
                     f"{res['respondents']} responden; sumber {source_name}")""")),
        nbformat.v4.new_code_cell(textwrap.dedent("""\
            plt.rcParams["lines.linewidth"] = 7  # a unit that changes global state must not leak it
            fig, ax = plt.subplots(figsize=(3, 2))
            ax.bar(range(9), [res["unsur"][k]["nrr"] for k in res["unsur"]])
            plt.show()""")),
        nbformat.v4.new_code_cell(textwrap.dedent("""\
            import os, time
            if institution == "rusak":
                raise ValueError("instansi rusak")
            if institution == "mati":   # the kernel dies
                os._exit(1)
            if institution == "lambat":  # past the unit's timeout
                time.sleep(120)""")),
    ]
    for i, c in enumerate(cells):
        c.id = f"cell-{i:02d}"
    nb = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(nb, str(path))
    return path


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """Pooled data of four units (one with an invalid answer), a units file, the tiny notebook."""
    root = tmp_path_factory.mktemp("batch")
    df = generate_responses(UNITS, seed=3, personal=True)
    good = root / "kota.csv"
    df.to_csv(good, index=False)
    bad = df.copy()
    row = bad.index[bad["Unit Layanan"] == "Dinas Delta"][0]
    bad.loc[row, UNSUR_COL] = "Lumayan"  # not a label: delta's data fail validation
    bad_path = root / "kota_rusak.csv"
    bad.to_csv(bad_path, index=False)
    units = {
        "defaults": {"data": "kota_rusak.csv", "by": "Unit Layanan", "institution": "Kota Uji",
                     "period": "Semester I 2026", "formats": ["html"]},
        "units": [
            {"id": "alpha", "unit": "Dinas Alpha", "population": 100, "formats": ["html", "pdf"]},
            {"id": "beta", "unit": "Dinas Beta", "population": 1000},
            {"id": "gamma", "unit": "Dinas Gamma", "population": 50, "institution": "rusak"},
            {"id": "delta", "unit": "Dinas Delta", "population": 400},
            {"id": "epsilon", "unit": "Dinas Epsilon", "institution": "mati"},
            {"id": "zeta", "unit": "Dinas Zeta", "institution": "lambat", "timeout": 4},
        ],
    }
    (root / "units.yml").write_text(yaml.safe_dump(units, sort_keys=False), encoding="utf-8")
    return {"root": root, "good": good, "bad_row": int(row) + 2, "notebook": _tiny_notebook(root / "mini.ipynb")}


@pytest.fixture(scope="module")
def first(work):
    """The first batch, through the CLI: two good units, one broken notebook, one broken data slice."""
    out = work["root"] / "out1"
    argv = ["batch", "--params", str(work["root"] / "units.yml"), "--out", str(out), "--jobs", "2",
            "--notebook", str(work["notebook"])]
    code = cli.main(argv)
    return {"out": out, "code": code, "manifest": json.loads((out / "manifest.json").read_text())}


def _sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _units(manifest) -> dict:
    return {u["id"]: u for u in manifest["units"]}


# -- checked before anything runs -------------------------------------------------------
def test_units_file_problems_name_unit_and_key(work, tmp_path):
    bad = {"defaults": {"data": str(work["good"]), "by": "Unit Layanan", "periode": "x"},
           "units": [{"id": "a", "unit": "Dinas Alpha", "populasi": 5},
                     {"id": "a", "unit": "Dinas Beta"},
                     {"id": "c", "unit": "Dinas Gamma", "data": "tidak_ada.csv"}]}
    path = tmp_path / "units.yml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    with pytest.raises(ParameterError) as exc:
        load_units(path, notebook=work["notebook"])
    msg = str(exc.value)
    assert "defaults: kunci 'periode' tidak dikenal" in msg
    assert "unit 'a': kunci 'populasi' tidak dikenal" in msg
    assert "kunci 'id' 'a' ganda" in msg
    assert "unit 'c': kunci 'data': berkas 'tidak_ada.csv' tidak ditemukan" in msg


def test_units_from_a_csv_file(work, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("id,unit,population,data,by,formats\n"
                    f"a,Dinas Alpha,100,{work['good']},Unit Layanan,\"html,pdf\"\n"
                    f"b,Dinas Beta,,{work['good']},Unit Layanan,html\n", encoding="utf-8")
    a, b = load_units(tmp_path, notebook=work["notebook"])
    assert (a.id, a.unit, a.params["population"], a.formats) == ("a", "Dinas Alpha", 100, ("html", "pdf"))
    assert "population" not in b.params and b.formats == ("html",) and b.by == "Unit Layanan"


def test_nothing_runs_when_the_units_file_is_wrong(work, tmp_path):
    path = tmp_path / "units.yml"
    path.write_text(yaml.safe_dump({"units": [{"unit": "Dinas Alpha", "data": "x.csv"}]}), encoding="utf-8")
    assert cli.main(["batch", "--params", str(path), "--out", str(tmp_path / "o")]) == 1
    assert not (tmp_path / "o").exists()


# -- fault isolation ------------------------------------------------------------------------
def test_broken_units_fail_alone_with_their_cause(work, first, capsys):
    out, units = first["out"], _units(first["manifest"])
    assert first["code"] == 1
    assert units["alpha"]["status"] == units["beta"]["status"] == "ok"
    assert (out / "laporan/alpha.html").is_file() and (out / "laporan/alpha.pdf").read_bytes()[:5] == b"%PDF-"
    assert (out / "laporan/beta.html").is_file() and not (out / "laporan/beta.pdf").exists()
    # gamma: its notebook raised in the 4th cell (index 3); the executed notebook is kept
    g = units["gamma"]
    assert g["status"] == "failed" and g["cell"] == 3 and "ValueError: instansi rusak" in g["cause"]
    kept = nbformat.read(str(out / g["notebook"]), as_version=4)
    assert any(o.get("ename") == "ValueError" for c in kept.cells for o in c.get("outputs", []))
    assert not (out / "laporan/gamma.html").exists()
    # delta: its rows hold an answer that is no label; the cause names row, column and value
    d = units["delta"]
    assert d["status"] == "failed"
    assert f"baris {work['bad_row']}" in d["cause"] and "'Lumayan'" in d["cause"]
    # epsilon: its kernel died; zeta: past its own 4 s timeout; neither stopped the others
    assert units["epsilon"]["status"] == "failed" and "kernel mati" in units["epsilon"]["cause"]
    assert units["zeta"]["status"] == "failed" and "batas waktu 4" in units["zeta"]["cause"]
    summary = pd.read_csv(out / "ringkasan.csv")
    failed = summary[summary["status"] == "failed"].set_index("id")
    assert sorted(failed.index) == ["delta", "epsilon", "gamma", "zeta"]
    assert "instansi rusak" in failed.loc["gamma", "sebab"]
    assert "instansi rusak" in (out / "_batch/logs/gamma.log").read_text()


def test_manifest_proves_which_data_made_which_report(work, first):
    m = first["manifest"]
    a = _units(m)["alpha"]
    assert a["inputs"]["data"]["source"] == "kota_rusak.csv"
    assert a["inputs"]["data"]["source_sha256"] == _sha(work["root"] / "kota_rusak.csv")
    assert a["inputs"]["sha256"] == _sha(first["out"] / a["inputs"]["cache"])
    for fmt, o in a["outputs"].items():
        assert o["sha256"] == _sha(first["out"] / o["path"])
    assert m["versions"]["papermill"] and m["kit"].startswith(m["skmkit"])
    assert a["respondents"] == 40  # alpha's rows, counted by hand from UNITS


def test_recap_is_rendered_once_with_xlsx(first):
    out = first["out"]
    assert first["manifest"]["recap"]["status"] == "ok"
    html = (out / "rekap_skm.html").read_text(encoding="utf-8")
    assert "Gabungan (semua responden)" in html and "Rata-rata IKM unit" in html
    assert "Dinas Delta" in html  # named as left out: its data are not valid
    from openpyxl import load_workbook

    ws = load_workbook(out / "rekap_skm.xlsx").active
    names = [ws.cell(r, 2).value for r in range(5, ws.max_row + 1)]
    assert {"Dinas Alpha", "Dinas Beta", "Dinas Gamma"} <= set(names) and "Dinas Delta" not in names


# -- incremental, atomic, deterministic ----------------------------------------------------------
def test_fresh_kernels_give_the_same_bytes_as_warm_ones(work, first, tmp_path):
    units = yaml.safe_load((work["root"] / "units.yml").read_text())
    units["defaults"]["data"] = str(work["root"] / "kota_rusak.csv")
    units["units"] = units["units"][:2]  # alpha (html, pdf) and beta (html)
    params = tmp_path / "units.yml"
    params.write_text(yaml.safe_dump(units), encoding="utf-8")
    r = batch(params, out=tmp_path / "out", notebook=work["notebook"], fresh_kernels=True, jobs=2, recap=False,
              progress=False, quiet=True)
    assert r.exit_code == 0, [u["cause"] for u in r.units]
    for name in ("alpha.html", "alpha.pdf", "beta.html"):
        assert (tmp_path / "out/laporan" / name).read_bytes() == (first["out"] / "laporan" / name).read_bytes(), name


def test_spawned_workers_give_the_same_bytes(work, first, tmp_path, monkeypatch):
    """Windows has no fork or forkserver: the batch runs with spawn, and its reports are the same."""
    from skmkit.batch.executors import start_method

    monkeypatch.setenv("SKMKIT_START_METHOD", "spawn")
    assert start_method() == "spawn"
    units = yaml.safe_load((work["root"] / "units.yml").read_text())
    units["defaults"]["data"] = str(work["root"] / "kota_rusak.csv")
    units["units"] = units["units"][:2]
    params = tmp_path / "units.yml"
    params.write_text(yaml.safe_dump(units), encoding="utf-8")
    r = batch(params, out=tmp_path / "out", notebook=work["notebook"], jobs=2, recap=False, progress=False,
              quiet=True)
    assert r.exit_code == 0, [u["cause"] for u in r.units]
    for name in ("alpha.html", "alpha.pdf", "beta.html"):
        assert (tmp_path / "out/laporan" / name).read_bytes() == (first["out"] / "laporan" / name).read_bytes(), name
    monkeypatch.setenv("SKMKIT_START_METHOD", "tidak-ada")
    with pytest.raises(ParameterError, match="SKMKIT_START_METHOD"):
        start_method()


@pytest.fixture(scope="module")
def clean(work, tmp_path_factory):
    """A batch of four good units whose driver is SIGKILLed after its first unit (test hook), then rerun."""
    tmp = tmp_path_factory.mktemp("clean")
    units = yaml.safe_load((work["root"] / "units.yml").read_text())
    units["defaults"]["data"] = str(work["good"])
    units["units"] = [dict(u, institution="Kota Uji") for u in units["units"][:4]]
    params = tmp / "units.yml"
    params.write_text(yaml.safe_dump(units), encoding="utf-8")
    out = tmp / "out"
    code = ("from skmkit.batch import batch; "
            f"batch({str(params)!r}, out={str(out)!r}, notebook={str(work['notebook'])!r}, jobs=1, "
            "recap=False, progress=False)")
    env = dict(os.environ, SKMKIT_BATCH_ABORT_AFTER="1")
    with open(tmp / "killed.log", "wb") as log:
        killed = subprocess.run([sys.executable, "-c", code], env=env, stdout=log, stderr=log, timeout=120)
    done = sorted(p.name for p in (out / "laporan").glob("*.html"))
    (out / "laporan" / ".beta.html.x1y2.part").write_bytes(b"<html>half")  # as a kill mid-write leaves it
    rerun = batch(params, out=out, notebook=work["notebook"], jobs=2, recap=False, progress=False, quiet=True)
    return {"params": params, "out": out, "killed": killed, "done": done, "rerun": rerun}


def test_interrupted_batch_reruns_to_completion_without_partial_files(clean):
    assert clean["killed"].returncode == -signal.SIGKILL
    assert 1 <= len(clean["done"]) < 4
    r, out = clean["rerun"], clean["out"]
    assert r.exit_code == 0
    status = [u["status"] for u in r.units]
    # units recorded before the kill are skipped; one finished but unrecorded is rendered again
    assert 1 <= status.count("skipped") <= len(clean["done"]) and status.count("ok") == 4 - status.count("skipped")
    assert not list(out.rglob("*.part"))
    for u in r.units:
        for o in u["outputs"].values():
            assert _sha(out / o["path"]) == o["sha256"]


def test_unchanged_rerun_skips_everything(work, clean):
    out = clean["out"]
    before = {p.name: p.stat().st_mtime_ns for p in (out / "laporan").iterdir()}
    r = batch(clean["params"], out=out, notebook=work["notebook"], recap=False, progress=False, quiet=True)
    assert [u["status"] for u in r.units] == ["skipped"] * 4
    assert {p.name: p.stat().st_mtime_ns for p in (out / "laporan").iterdir()} == before
    forced = load_units(clean["params"], notebook=work["notebook"])
    assert [s.id for s in forced] == ["alpha", "beta", "gamma", "delta"]


def test_dask_executor_renders_the_same_bytes_as_the_local_pool(work, clean, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster:
        r = batch(clean["params"], out=tmp_path, notebook=work["notebook"], executor="dask",
                  scheduler=cluster.scheduler_address, recap=False, progress=False, quiet=True)
    assert r.exit_code == 0
    for uid in ("alpha", "beta", "gamma", "delta"):
        assert (tmp_path / f"laporan/{uid}.html").read_bytes() == (clean["out"] / f"laporan/{uid}.html").read_bytes()
    assert (tmp_path / "laporan/alpha.pdf").read_bytes() == (clean["out"] / "laporan/alpha.pdf").read_bytes()


def test_one_unit_per_value_of_a_column(work):
    from skmkit.batch.units import units_from_column

    specs = units_from_column(work["good"], "Unit Layanan", notebook=work["notebook"])
    assert [s.id for s in specs] == ["dinas-alpha", "dinas-beta", "dinas-delta", "dinas-epsilon", "dinas-gamma",
                                     "dinas-zeta"]
    assert specs[0].unit == "Dinas Alpha" and specs[0].by == "Unit Layanan"
    with pytest.raises(ParameterError, match="kolom 'Unit' tidak ada"):
        units_from_column(work["good"], "Unit", notebook=work["notebook"])


# -- the recap table ---------------------------------------------------------------------------
def test_recap_table_pooled_mean_and_krejcie_morgan():
    # unit X: 2 respondents all 4 -> IKM 100; unit Y: 1 respondent all 2 -> IKM 50.
    rows = [{"_row": i + 2, "unit": u, **{f"U{k}": s for k in range(1, 10)}}
            for i, (u, s) in enumerate([("X", 4.0), ("X", 4.0), ("Y", 2.0)])]
    df = pd.DataFrame(rows)
    df.attrs["skmkit"] = {"source": "t", "columns": {}}
    t = recap_table(df, population={"X": 100})
    assert t["unit"].tolist() == ["X", "Y", "Gabungan (semua responden)", "Rata-rata IKM unit"]
    assert t["ikm"].round(6).tolist() == [100.0, 50.0, round((4 + 4 + 2) / 3 * 25, 6), 75.0]
    assert t["mutu"].tolist()[:2] == ["A", "D"]
    assert int(t.loc[0, "sampel_minimum"]) == 80 and not bool(t.loc[0, "cukup"])  # KM table: N=100 -> 80
    assert pd.isna(t.loc[1, "sampel_minimum"])
    blob = recap_xlsx(t, institution="Kota", period="2026")
    assert blob == recap_xlsx(t, institution="Kota", period="2026")


def test_batch_command_is_documented():
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices["batch"]
    assert "Contoh:" in sub.format_help()
    assert {"--jobs", "--force", "--executor", "--scheduler", "--fresh-kernels", "--timeout"} <= set(
        sub._option_string_actions)


def _crash_worker(task):
    """(Runs in a pool worker.) Kill the worker for unit ``b``: always, or only the first time."""
    flag = Path(task["flag"])
    if task["id"] == "b" and (task["always"] or not flag.exists()):
        flag.touch()
        os._exit(1)
    return task["id"]


@pytest.mark.parametrize("always", [False, True])
def test_a_dead_worker_process_costs_one_retry_not_the_batch(tmp_path, always):
    from concurrent.futures.process import BrokenProcessPool

    from skmkit.batch.executors import LocalExecutor

    ex = LocalExecutor(1, cwd=str(tmp_path), warm=False)
    try:
        tasks = [{"id": i, "flag": str(tmp_path / "crashed"), "always": always} for i in "abc"]
        got = {t["id"]: r for t, r in ex.run(_crash_worker, tasks)}
    finally:
        ex.close()
    assert got["a"] == "a" and got["c"] == "c"
    assert isinstance(got["b"], BrokenProcessPool) if always else got["b"] == "b"


def test_banner_and_workbook_formats_come_from_the_data_alone(work, tmp_path):
    units = {"defaults": {"data": str(work["good"]), "by": "Unit Layanan", "period": "Semester I 2026",
                          "formats": ["banner", "xlsx"]},
             "units": [{"id": "alpha", "unit": "Dinas Alpha"}, {"id": "beta", "unit": "Dinas Beta"}]}
    path = tmp_path / "units.yml"
    path.write_text(yaml.safe_dump(units, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["batch", "--params", str(path), "--out", str(out), "--jobs", "1", "--no-recap"]) == 0
    for uid in ("alpha", "beta"):
        banner = out / "laporan" / f"{uid}-banner.png"  # named as `skmkit banner` names it
        assert banner.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert zipfile.is_zipfile(out / "laporan" / f"{uid}.xlsx")
        assert not (out / "laporan" / f"{uid}.html").exists()  # no notebook was run


def test_a_unit_over_the_annex_limit_gets_its_workbook(work, tmp_path):
    """The report of a unit over ``annex_limit`` sends readers to the workbook: the batch writes it."""
    nb = nbformat.read(str(work["notebook"]), as_version=4)
    nb.cells[0].source += "\nannex_limit = None   # responden terbanyak di Lampiran 4"
    notebook = tmp_path / "mini.ipynb"
    nbformat.write(nb, str(notebook))
    alpha = UNITS[0][3]  # Dinas Alpha's respondents
    units = {"defaults": {"data": str(work["good"]), "by": "Unit Layanan", "period": "Semester I 2026",
                          "formats": ["html"]},
             "units": [{"id": "alpha", "unit": "Dinas Alpha", "annex_limit": alpha - 1},
                       {"id": "beta", "unit": "Dinas Beta", "annex_limit": alpha + 1000}]}
    path = tmp_path / "units.yml"
    path.write_text(yaml.safe_dump(units, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["batch", "--params", str(path), "--out", str(out), "--jobs", "1", "--no-recap",
                     "--notebook", str(notebook)]) == 0
    got = _units(json.loads((out / "manifest.json").read_text()))
    assert got["alpha"]["formats"] == ["html", "xlsx"] and zipfile.is_zipfile(out / "laporan" / "alpha.xlsx")
    assert got["beta"]["formats"] == ["html"] and not (out / "laporan" / "beta.xlsx").exists()


def test_workers_start_for_the_units_that_run_not_for_jobs(work, clean, tmp_path, monkeypatch):
    """``--jobs 4`` with one unit to render starts one worker; with none to render, none."""
    import shutil

    from skmkit.batch.executors import EXECUTORS, LocalExecutor

    started = []

    class Counting(LocalExecutor):
        def close(self, cancel=False):
            started.append(len(self.pool._processes or {}))  # the pool's worker processes, each with its kernel
            super().close(cancel)

    monkeypatch.setitem(EXECUTORS, "local", Counting)
    out = tmp_path / "out"
    shutil.copytree(clean["out"], out)
    units = yaml.safe_load(clean["params"].read_text())
    units["units"][1]["population"] += 1  # beta changes; alpha, gamma and delta are unchanged
    params = tmp_path / "units.yml"
    params.write_text(yaml.safe_dump(units), encoding="utf-8")
    r = batch(params, out=out, notebook=work["notebook"], jobs=4, recap=False, progress=False, quiet=True)
    assert [u["status"] for u in r.units] == ["skipped", "ok", "skipped", "skipped"]
    assert started == [1]
    r = batch(params, out=out, notebook=work["notebook"], jobs=4, recap=False, progress=False, quiet=True)
    assert [u["status"] for u in r.units] == ["skipped"] * 4 and started == [1]  # no executor, no worker


def _kop(path: Path, text: str) -> Path:
    """A reference document whose header (the kop surat) says ``text``."""
    from skmkit.word import reference_document

    doc = reference_document()
    doc.sections[0].header.paragraphs[0].text = text
    doc.save(str(path))
    return path


def _header_text(docx: Path) -> str:
    with zipfile.ZipFile(docx) as z:
        return " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/header"))


def test_reference_doc_flag_reaches_every_word_edition_and_a_changed_one_rerenders(work, clean, tmp_path,
                                                                                  monkeypatch, capsys):
    import shutil

    monkeypatch.chdir(tmp_path)  # --reference-doc is relative to the current folder
    out = tmp_path / "out"
    shutil.copytree(clean["out"], out)
    units = yaml.safe_load(clean["params"].read_text())
    units["units"] = [dict(units["units"][1], formats=["html", "docx"])]  # beta, rendered before without Word
    params = tmp_path / "units.yml"
    params.write_text(yaml.safe_dump(units), encoding="utf-8")
    argv = ["batch", "--params", str(params), "--out", str(out), "--jobs", "1", "--notebook", str(work["notebook"])]
    before = (out / "manifest.json").read_bytes()
    for bad, said in (("tidak-ada.docx", "tidak ditemukan"), ("kop.doc", ".docx")):
        (tmp_path / "kop.doc").write_bytes(b"not word")
        assert cli.main(argv + ["--reference-doc", bad]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and bad in err[0] and said in err[0] and "Perbaikan" in err[0]
    assert (out / "manifest.json").read_bytes() == before  # nothing ran
    _kop(tmp_path / "kop.docx", "KOP UJI SUKAMAJU")
    assert cli.main(argv + ["--reference-doc", "kop.docx"]) == 0
    assert "KOP UJI SUKAMAJU" in _header_text(out / "laporan" / "beta.docx")
    assert "KOP UJI SUKAMAJU" in _header_text(out / "rekap_skm.docx")  # the recap's Word edition too
    assert cli.main(argv + ["--reference-doc", "kop.docx", "--no-recap"]) == 0
    assert _units(json.loads((out / "manifest.json").read_text()))["beta"]["status"] == "skipped"
    _kop(tmp_path / "kop.docx", "KOP BARU")  # the same name, another document
    assert cli.main(argv + ["--reference-doc", "kop.docx", "--no-recap"]) == 0
    assert _units(json.loads((out / "manifest.json").read_text()))["beta"]["status"] == "ok"
    assert "KOP BARU" in _header_text(out / "laporan" / "beta.docx")
