"""A Dask worker killed in the middle of a batch loses no unit.

A local cluster (a scheduler and two worker processes under nannies) renders four small units of a
tiny notebook that takes about a second a unit; once the first unit is done, the worker busy with
another is killed (SIGKILL). The scheduler hands its unit to a live worker: every unit ends ``ok``,
with its HTML naming its own unit and respondent count, counted here from the data.
"""
from __future__ import annotations

import os
import signal
import textwrap
import threading
import time

import nbformat
import pytest
import yaml

from skmkit.batch import batch
from skmkit.synth import generate_responses

distributed = pytest.importorskip("distributed")

UNITS = [(f"u{i}", f"Dinas Uji {i}", ["Layanan"], 12 + i, 100, 0.1 * i) for i in range(4)]


def _slow_notebook(path):
    cells = [
        nbformat.v4.new_code_cell(textwrap.dedent("""\
            data = None  # wajib: berkas data
            unit = None  # nama unit
            by = None    # kolom unit"""), metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(textwrap.dedent("""\
            import time
            import skmkit
            from IPython.display import Markdown
            df = skmkit.read_responses(data)
            time.sleep(1.0)  # long enough for the worker to be killed while it holds the unit
            Markdown(f"# {unit}: {len(df)} responden")""")),
    ]
    for i, c in enumerate(cells):
        c.id = f"cell-{i:02d}"
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}), str(path))
    return path


def test_a_killed_worker_loses_no_unit(tmp_path):
    df = generate_responses(UNITS, seed=5, personal=False)
    df.to_csv(tmp_path / "kota.csv", index=False)
    counts = df["Unit Layanan"].value_counts().to_dict()
    (tmp_path / "units.yml").write_text(yaml.safe_dump({
        "defaults": {"data": "kota.csv", "by": "Unit Layanan", "formats": ["html"]},
        "units": [{"id": uid, "unit": name} for uid, name, *_ in UNITS]}, sort_keys=False), encoding="utf-8")
    notebook = _slow_notebook(tmp_path / "lambat.ipynb")
    out = tmp_path / "out"
    state = out / "_batch" / "state"
    killed = {}

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster, distributed.Client(cluster) as client:
        pids = client.run(os.getpid)

        def kill_one_busy_worker():
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                done = len(list(state.glob("*.json"))) if state.is_dir() else 0
                busy = [w for w, keys in client.processing().items() if keys and w in pids]
                if done >= 1 and busy:
                    os.kill(pids[busy[0]], signal.SIGKILL)
                    killed.update(worker=busy[0], done_before=done)
                    return
                time.sleep(0.05)

        killer = threading.Thread(target=kill_one_busy_worker, daemon=True)
        killer.start()
        r = batch(tmp_path / "units.yml", out=out, notebook=notebook, executor="dask",
                  scheduler=cluster.scheduler_address, recap=False, progress=False, quiet=True)
        killer.join(timeout=10)

    assert killed and killed["done_before"] < len(UNITS)  # killed in the middle, with units left
    assert r.exit_code == 0
    assert [u["status"] for u in r.units] == ["ok"] * len(UNITS)
    for uid, name, *_ in UNITS:
        html = (out / "laporan" / f"{uid}.html").read_text(encoding="utf-8")
        assert f"{name}: {counts[name]} responden" in html


def _square(x):
    return x * x


def test_a_collected_unit_is_released_so_a_dead_worker_does_not_recompute_it():
    """The scheduler recomputes a result the client still holds when its worker dies: a unit already
    collected would be rendered twice. Once yielded, a unit's future is released (the client holds
    only the units not yet collected)."""
    from skmkit.batch.executors import DaskExecutor

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
                                  silence_logs=50) as cluster, distributed.Client(cluster) as client:
        ex = DaskExecutor(scheduler=client)
        tasks = [1, 2, 3]
        held = []
        for task, res in ex.run(_square, tasks):
            assert res == task * task
            deadline = time.monotonic() + 10  # the release reaches the client's refcount on its event loop
            while sum(1 for n in client.refcount.values() if n) > len(tasks) - len(held) - 1 \
                    and time.monotonic() < deadline:
                time.sleep(0.02)
            held.append(sum(1 for n in client.refcount.values() if n))
        assert held == [2, 1, 0]
