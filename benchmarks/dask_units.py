"""Benchmark: ``skmkit batch --executor dask`` on a local cluster, a worker killed in the middle.

A scheduler and two worker processes (each under a nanny, one thread each) on
this machine render ``--units`` units (the demo city's units repeated per
wilayah, HTML only to keep it in minutes). After ``--kill-after`` units are
done, the worker process busy with the next unit is killed (SIGKILL); its
nanny starts a new one and the scheduler hands the unit on. Printed: wall time,
units per minute, the peak memory of each worker (the worker process and its
kernels, sampled every 0.5 s), when each worker joined and how many units it
rendered (the scheduler's task stream), how soon the nanny's replacement joined,
renders beyond one per unit, and the statuses: a unit lost would show as failed
or missing. ``DASK_UNITS_LOG=20`` shows distributed's own log (nanny restarts,
lost results).

    .venv/bin/python benchmarks/dask_units.py [--units 500] [--kill-after 50]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from batch_vs_naive import COMMON, make_data  # noqa: E402

WORK = Path(__file__).parent / "_work" / "dask"


class WorkerMemory:
    """Peak RSS (MB) of each worker process with its children (kernels), sampled every 0.5 s."""

    def __init__(self, client):
        self.client, self.peak, self.pids, self._stop = client, {}, {}, threading.Event()
        self.t0, self.joined = time.perf_counter(), {}  # worker address -> seconds when first seen

    def refresh(self):
        try:
            self.pids = self.client.run(os.getpid, wait=True)
        except Exception:
            return
        for addr in self.pids:
            self.joined.setdefault(addr, time.perf_counter() - self.t0)

    def _sample(self):
        import psutil

        for addr, pid in list(self.pids.items()):
            try:
                p = psutil.Process(pid)
                rss = p.memory_info().rss + sum(c.memory_info().rss for c in p.children(recursive=True))
            except Exception:
                continue
            key = f"{addr} (pid {pid})"
            self.peak[key] = max(self.peak.get(key, 0.0), rss / 2**20)

    def __enter__(self):
        def loop():
            n = 0
            while not self._stop.wait(0.5):
                if n % 4 == 0:  # every 2 s: a restarted worker is seen (and sampled) soon after it joins
                    self.refresh()
                self._sample()
                n += 1

        self.refresh()
        self._t = threading.Thread(target=loop, daemon=True)
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=500)
    ap.add_argument("--kill-after", type=int, default=50, help="units done before a busy worker is killed (0: none)")
    a = ap.parse_args(argv)
    import distributed

    from skmkit.batch import batch

    WORK.mkdir(parents=True, exist_ok=True)
    data, units = make_data(WORK, a.units)
    params = WORK / "units.yml"
    params.write_text(yaml.safe_dump({"defaults": {**COMMON, "data": data.name, "by": "Unit Layanan",
                                                   "formats": ["html"]}, "units": units},
                                     sort_keys=False, allow_unicode=True), encoding="utf-8")
    out = WORK / "out"
    shutil.rmtree(out, ignore_errors=True)  # the kill waits for units done in this run
    state = out / "_batch" / "state"
    print(f"{a.units} unit, {data.name} ({data.stat().st_size / 2**20:.1f} MB), HTML, "
          f"2 pekerja Dask x 1 thread, {os.cpu_count()} core")
    killed = {}
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=int(os.environ.get("DASK_UNITS_LOG", "50"))) as cluster, distributed.Client(cluster) as client, \
            WorkerMemory(client) as mem:
        workers_at_end = 0

        def killer():
            while not killed.get("stop"):
                done = len(list(state.glob("*.json"))) if state.is_dir() else 0
                busy = [w for w, keys in client.processing().items() if keys and w in mem.pids]
                if done >= a.kill_after and busy:
                    os.kill(mem.pids[busy[0]], signal.SIGKILL)
                    killed.update(worker=busy[0], pid=mem.pids[busy[0]], done_before=done,
                                  at=time.perf_counter() - t0)
                    return
                time.sleep(0.2)

        where = client.run(lambda: __import__("skmkit").__file__)
        print("skmkit di pekerja:", ", ".join(sorted(set(where.values()))))
        t0 = mem.t0 = time.perf_counter()
        mem.joined = {addr: 0.0 for addr in mem.pids}
        k = threading.Thread(target=killer, daemon=True)
        if a.kill_after:
            k.start()
        with distributed.get_task_stream(client=client) as stream:
            r = batch(params, out=out, executor="dask", scheduler=cluster.scheduler_address, recap=False,
                      force=True, progress=False, quiet=True)
        wall = time.perf_counter() - t0
        killed["stop"] = True
        workers_at_end = len(client.scheduler_info()["workers"])
    # units rendered per worker, from the scheduler's task stream (a unit rendered twice counts twice)
    per_worker, rendered_tasks = {}, 0
    for rec in stream.data:
        if str(rec.get("key", "")).startswith("render_task") and rec.get("status") == "OK":
            per_worker[rec["worker"]] = per_worker.get(rec["worker"], 0) + 1
            rendered_tasks += 1
    statuses = {}
    for u in r.units:
        statuses[u["status"]] = statuses.get(u["status"], 0) + 1
    manifest = json.loads((out / "manifest.json").read_text())
    rendered = sum(1 for u in manifest["units"] if (out / "laporan" / f"{u['id']}.html").is_file())
    print(f"waktu: {wall:,.0f} s ({wall / a.units:.2f} s/unit, {a.units / wall * 60:.1f} unit/menit)")
    for key, mb in sorted(mem.peak.items()):
        print(f"memori puncak pekerja {key}: {mb:,.0f} MB (proses pekerja + kernelnya)")
    for addr, at in sorted(mem.joined.items(), key=lambda x: x[1]):
        print(f"pekerja {addr}: bergabung pada {at:.0f} s, merender {per_worker.get(addr, 0)} unit")
    if a.kill_after:
        print(f"pekerja dimatikan: {killed.get('worker')} (pid {killed.get('pid')}) pada {killed.get('at', 0):.0f} s, "
              f"setelah {killed.get('done_before')} unit selesai")
        late = [at - killed.get("at", 0) for addr, at in mem.joined.items() if at > killed.get("at", wall)]
        print("pengganti dari nanny: " + (f"bergabung {min(late):.0f} s setelah pembunuhan" if late
                                           else "TIDAK bergabung selama run (kapasitas tinggal separuh)"))
    print(f"unit dirender: {rendered_tasks} kali untuk {a.units} unit"
          + (f" ({rendered_tasks - a.units} dirender ulang)" if rendered_tasks > a.units else " (tidak ada yang diulang)"))
    print(f"pekerja hidup di akhir: {workers_at_end}")
    print(f"beban rata-rata di akhir: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"status unit: {statuses}; HTML ada: {rendered}/{a.units}; exit {r.exit_code}")
    return 0 if statuses.get("ok") == a.units and rendered == a.units else 1


if __name__ == "__main__":
    sys.exit(main())
