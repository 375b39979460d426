"""Per-unit time in the kernel: the unit prepared by the driver and handed over, against the kernel reading it.

The same report notebook, parameters and warm kernel, for the units of the bundled sample:

(a) before issue 17: the kernel's first cell reads the pooled file, validates, masks and selects the unit
    (the notebook given ``data`` and ``unit``, as every report was made until the prepared unit);
(b) now: the driver prepares the unit once (:func:`skmkit.prepared.prepare_unit`, timed apart) and the
    kernel loads it (the ``prepared`` parameter, as ``skmkit batch`` does).

Both run in one process, alternating per unit, so the machine's load weighs on both alike. Printed: the
mean seconds per unit of notebook execution for (a) and (b), the driver's preparing time, and the ratio.

Usage: python benchmarks/kernel_prepared.py [--units 6]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--units", type=int, default=6)
    a = p.parse_args(argv)

    import skmkit
    from skmkit.batch.executors import WarmKernel
    from skmkit.prepared import prepare_unit
    from skmkit.report import execute, notebook_path, parameterize

    sample = skmkit.sample_data_path()
    units = yaml.safe_load((sample.parent / "units.yml").read_text(encoding="utf-8"))
    defaults = {k: v for k, v in units["defaults"].items() if k not in ("data", "formats")}
    chosen = units["units"][:a.units]
    nb = notebook_path()
    kernel = WarmKernel()
    work = Path(tempfile.mkdtemp(prefix="skmkit-kernel-bench-"))
    kernel.start(str(work))
    reading, loading, preparing = [], [], []
    try:
        for spec in chosen:
            params = {**defaults, "data": str(sample), "unit": spec["unit"], "population": spec.get("population")}
            for mode in ("read", "prepared"):
                run = dict(params)
                if mode == "prepared":
                    t = time.perf_counter()
                    unit = prepare_unit(**params)
                    preparing.append(time.perf_counter() - t)
                    run["prepared"] = str(unit.save(work / f"{spec['id']}.unit.pkl"))
                kernel.prepare(str(work))
                t = time.perf_counter()
                execute(parameterize(nb, run), cwd=str(work), km=kernel.km, save_each_cell=False)
                (reading if mode == "read" else loading).append(time.perf_counter() - t)
                kernel.finished()
    finally:
        kernel.shutdown()
    r, p_, d = statistics.mean(reading), statistics.mean(loading), statistics.mean(preparing)
    print(f"units: {len(chosen)} (bundled sample), one warm kernel")
    print(f"(a) kernel reads, validates, selects: {r:6.2f} s/unit")
    print(f"(b) kernel loads the prepared unit:   {p_:6.2f} s/unit  (+ driver prepares: {d:.2f} s/unit)")
    print(f"kernel ratio a/b: {r / p_:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
