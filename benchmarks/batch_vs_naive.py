"""Time the naive per-unit loop against ``skmkit batch`` on the same notebook, parameters and data.

(a) naive: for each unit, the loop a user would write in a shell script:
    ``papermill`` CLI (re-reading the pooled file in the notebook), then
    ``jupyter nbconvert --to html``, then the ``weasyprint`` CLI;
(b) ``skmkit batch`` (HTML + PDF, warm kernels, ``--jobs`` workers);
(c) ``skmkit batch`` again with nothing changed (every unit skipped).

Synthetic data for ``--units`` units (the demo city's units repeated per
wilayah) is written under ``benchmarks/_work`` (git-ignored). Peak memory is
the largest total RSS of the whole process tree (driver, workers, kernels),
sampled every 0.1 s. The last line is ``speedup: X`` (a / b).

Usage: python benchmarks/batch_vs_naive.py --units 24 [--jobs 2]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def make_data(work: Path, n: int) -> tuple[Path, list[dict]]:
    """A pooled form export of ``n`` units and the units list (name, id, population)."""
    from skmkit.synth import DEMO_UNITS, generate_responses

    units = []
    for i in range(n):
        uid, name, services, resp, pop, quality = DEMO_UNITS[i % len(DEMO_UNITS)]
        k = i // len(DEMO_UNITS) + 1
        units.append((f"{uid}-w{k}", f"{name} Wilayah {k}", services, resp, pop, quality))
    data = work / "skm_benchmark.csv"
    generate_responses(units, seed=2026).to_csv(data, index=False)
    listed = [{"id": u[0], "unit": u[1], "population": u[4]} for u in units]
    return data, listed


COMMON = {"institution": "Pemerintah Kota Sukamaju", "period": "Semester I 2026",
          "period_start": "2026-01-01", "period_end": "2026-06-30"}


class PeakRSS:
    """Sample the total RSS of this process's descendants every 0.1 s; keep the peak (MB)."""

    def __init__(self):
        import psutil

        self.me, self.peak, self._stop = psutil.Process(), 0.0, threading.Event()

    def _sample(self):
        total = 0
        for p in self.me.children(recursive=True):
            try:
                total += p.memory_info().rss
            except Exception:
                pass
        self.peak = max(self.peak, total / 2**20)

    def __enter__(self):
        def loop():
            while not self._stop.wait(0.1):
                self._sample()

        self._t = threading.Thread(target=loop, daemon=True)
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def run(cmd, cwd):
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        print(proc.stdout[-3000:], file=sys.stderr)
        raise SystemExit(f"gagal: {' '.join(map(str, cmd))}")
    return proc.stdout


def naive(work: Path, data: Path, units: list[dict], notebook: Path) -> float:
    out = work / "naive"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    t0 = time.perf_counter()
    for u in units:
        nb = out / f"{u['id']}.ipynb"
        params = {**COMMON, "data": str(data), "unit": u["unit"], "by": "Unit Layanan", "population": u["population"]}
        cmd = [BIN / "papermill", notebook, nb, "--no-progress-bar", "--log-level", "ERROR"]
        for k, v in params.items():
            cmd += ["-p", k, str(v)]
        run(cmd, out)
        run([BIN / "jupyter", "nbconvert", "--to", "html", nb.name], out)
        run([BIN / "weasyprint", nb.with_suffix(".html").name, nb.with_suffix(".pdf").name], out)
    return time.perf_counter() - t0


def batch(work: Path, params: Path, jobs: int, *, fresh: bool) -> tuple[float, str]:
    out = work / "batch"
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    text = run([BIN / "skmkit", "batch", "--params", params, "--out", out, "--format", "html,pdf",
                "--jobs", str(jobs), "--no-recap"], work)
    return time.perf_counter() - t0, text


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=24)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    a = ap.parse_args(argv)

    from skmkit.report import notebook_path

    work = ROOT / "_work"
    work.mkdir(exist_ok=True)
    data, units = make_data(work, a.units)
    params = work / "units.yml"
    params.write_text(yaml.safe_dump({"defaults": {**COMMON, "data": data.name, "by": "Unit Layanan"},
                                      "units": units}, sort_keys=False, allow_unicode=True), encoding="utf-8")
    notebook = notebook_path()
    print(f"{a.units} unit, {data.name} ({data.stat().st_size / 2**20:.1f} MB), notebook {notebook.name}, "
          f"{os.cpu_count()} core, --jobs {a.jobs}")

    with PeakRSS() as m_naive:
        t_naive = naive(work, data, units, notebook)
    print(f"(a) naif (papermill + nbconvert + weasyprint per unit): {t_naive:7.1f} s total, "
          f"{t_naive / a.units:5.2f} s/unit, memori puncak {m_naive.peak:,.0f} MB")
    with PeakRSS() as m_batch:
        t_batch, _ = batch(work, params, a.jobs, fresh=True)
    print(f"(b) skmkit batch HTML+PDF:                             {t_batch:7.1f} s total, "
          f"{t_batch / a.units:5.2f} s/unit, memori puncak {m_batch.peak:,.0f} MB")
    steps = {}
    for u in json.loads((work / "batch" / "manifest.json").read_text())["units"]:
        for k, v in (u.get("steps") or {}).items():
            steps.setdefault(k, []).append(v)
    print("    kerja per unit di dalam batch (rata-rata, detik): "
          + ", ".join(f"{k} {sum(v) / len(v):.2f}" for k, v in steps.items()))
    before = json.loads((work / "batch" / "manifest.json").read_text())
    with PeakRSS() as m_rerun:
        t_rerun, text = batch(work, params, a.jobs, fresh=False)
    after = json.loads((work / "batch" / "manifest.json").read_text())
    skipped = after["totals"]["skipped"]
    print(f"(c) skmkit batch lagi, tanpa perubahan:                {t_rerun:7.1f} s total "
          f"({skipped} unit dilewati), memori puncak {m_rerun.peak:,.0f} MB")
    changed = [k for k in ("kit", "notebook", "template_sha256") if before[k] != after[k]]
    if changed:
        print(f"    (kode kit/notebook berubah di antara (b) dan (c): {', '.join(changed)}; unit dibuat ulang)")
    print(f"speedup: {t_naive / t_batch:.1f}")


if __name__ == "__main__":
    main()
