"""Time the naive per-unit loop against ``skmkit batch`` on the same notebook, parameters and data.

(a) naive: for each unit, the loop a user would write in a shell script:
    ``papermill`` CLI (re-reading the pooled file in the notebook), then
    ``jupyter nbconvert --to html``, then the ``weasyprint`` CLI;
(b) ``skmkit batch`` (HTML + PDF, warm kernels, ``--jobs`` workers);
(c) ``skmkit batch`` again with nothing changed (every unit skipped).

Synthetic data for ``--units`` units (the demo city's units repeated per
wilayah) is written under ``benchmarks/_work`` (git-ignored). Peak memory is
the largest total RSS of the whole process tree (driver, workers, kernels),
sampled every 0.1 s. A table gives seconds per unit by step (wall and CPU: the naive
commands, the batch's steps and its whole process tree). The last line is
``speedup: X`` (a / b, wall).

Usage: python benchmarks/batch_vs_naive.py --units 24 [--jobs 2]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
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
    """Sample this process's descendants every 0.1 s: the peak of their total RSS (MB) and their CPU seconds.

    The batch's worker processes are children of multiprocessing's fork server, which the driver
    never waits for: ``RUSAGE_CHILDREN`` misses them, sampling does not.
    """

    def __init__(self):
        import psutil

        self.me, self.peak, self._stop, self._cpu = psutil.Process(), 0.0, threading.Event(), {}

    def _sample(self):
        total = 0
        for p in self.me.children(recursive=True):
            try:
                total += p.memory_info().rss
                t = p.cpu_times()
                self._cpu[(p.pid, p.create_time())] = t.user + t.system
            except Exception:
                pass
        self.peak = max(self.peak, total / 2**20)

    @property
    def cpu(self) -> float:
        """CPU seconds of the tree: each process's last sample (a process gone within 0.1 s is missed)."""
        return sum(self._cpu.values())

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


def _children_cpu() -> float:
    """CPU seconds (user + system) of every finished descendant: a command, its kernel and their children."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd, cwd, steps=None, name=None):
    """Run ``cmd``; with ``steps``, add its wall and CPU seconds to ``steps[name]``."""
    w, c = time.perf_counter(), _children_cpu()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        print(proc.stdout[-3000:], file=sys.stderr)
        raise SystemExit(f"gagal: {' '.join(map(str, cmd))}")
    if steps is not None:
        wall, cpu = steps.get(name, (0.0, 0.0))
        steps[name] = (wall + time.perf_counter() - w, cpu + _children_cpu() - c)
    return proc.stdout


def naive(work: Path, data: Path, units: list[dict], notebook: Path, steps: dict) -> float:
    """The loop a user would write; ``steps``: step -> (wall s, CPU s) summed over the units."""
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
        run(cmd, out, steps, "papermill (start + kernel + notebook)")
        run([BIN / "jupyter", "nbconvert", "--to", "html", nb.name], out, steps, "jupyter nbconvert --to html")
        run([BIN / "weasyprint", nb.with_suffix(".html").name, nb.with_suffix(".pdf").name], out, steps,
            "weasyprint (CLI)")
    return time.perf_counter() - t0


def batch(work: Path, params: Path, jobs: int, *, fresh: bool) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the reaped descendants (not the fork server's workers) and the output."""
    out = work / "batch"
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    t0, c0 = time.perf_counter(), _children_cpu()
    text = run([BIN / "skmkit", "batch", "--params", params, "--out", out, "--format", "html,pdf",
                "--jobs", str(jobs), "--no-recap"], work)
    return time.perf_counter() - t0, _children_cpu() - c0, text


def _step_table(naive_steps, batch_steps, n, t_naive, c_naive, t_batch, c_batch, jobs):
    """Print seconds per unit by step: the naive commands (wall and CPU) and the batch's steps (wall, per worker).

    The batch's steps are the workers' wall seconds (``manifest.json``); the kernel runs in its own
    process, so the batch's CPU is given for the whole process tree only.
    """
    rows = [(f"naif: {k}", w / n, c / n) for k, (w, c) in naive_steps.items()]
    rows.append(("naif: jumlah", t_naive / n, c_naive / n))
    rows += [(f"batch: {k} (per pekerja)", w / n, None) for k, w in batch_steps.items()]
    rows.append((f"batch: jumlah langkah (per pekerja; {jobs} pekerja)", sum(batch_steps.values()) / n, None))
    rows.append(("batch: seluruh proses (driver, pekerja, kernel)", t_batch / n, c_batch / n))
    width = max(len(r[0]) for r in rows) + 2
    print("    " + "langkah, detik per unit".ljust(width) + f"{'wall':>8}{'CPU':>8}")
    for name, wall, cpu in rows:
        print("    " + name.ljust(width) + f"{wall:8.2f}" + (f"{cpu:8.2f}" if cpu is not None else f"{'-':>8}"))
    print(f"    CPU per unit: naif / batch = {c_naive / max(c_batch, 1e-9):.1f}")


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

    n = a.units
    naive_steps: dict = {}
    with PeakRSS() as m_naive:
        t_naive = naive(work, data, units, notebook, naive_steps)
    c_naive = sum(c for _, c in naive_steps.values())
    print(f"(a) naif (papermill + nbconvert + weasyprint per unit): {t_naive:7.1f} s total, "
          f"{t_naive / n:5.2f} s/unit, CPU {c_naive / n:5.2f} s/unit, memori puncak {m_naive.peak:,.0f} MB")
    with PeakRSS() as m_batch:
        t_batch, _, _ = batch(work, params, a.jobs, fresh=True)
    c_batch = m_batch.cpu
    print(f"(b) skmkit batch HTML+PDF:                             {t_batch:7.1f} s total, "
          f"{t_batch / n:5.2f} s/unit, CPU {c_batch / n:5.2f} s/unit, memori puncak {m_batch.peak:,.0f} MB")
    manifest = json.loads((work / "batch" / "manifest.json").read_text())
    batch_steps: dict = {}
    for u in manifest["units"]:
        for k, v in (u.get("steps") or {}).items():
            batch_steps[k] = batch_steps.get(k, 0.0) + v
    _step_table(naive_steps, batch_steps, n, t_naive, c_naive, t_batch, c_batch, a.jobs)
    with PeakRSS() as m_rerun:
        t_rerun, _, _ = batch(work, params, a.jobs, fresh=False)
    after = json.loads((work / "batch" / "manifest.json").read_text())
    skipped = after["totals"]["skipped"]
    print(f"(c) skmkit batch lagi, tanpa perubahan:                {t_rerun:7.1f} s total "
          f"({skipped} unit dilewati), memori puncak {m_rerun.peak:,.0f} MB")
    changed = [k for k in ("kit", "notebook", "template_sha256") if manifest[k] != after[k]]
    if changed:
        print(f"    (kode kit/notebook berubah di antara (b) dan (c): {', '.join(changed)}; unit dibuat ulang)")
    print(f"speedup: {t_naive / t_batch:.1f}")


if __name__ == "__main__":
    main()
