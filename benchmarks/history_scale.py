"""Benchmark: the results history and the site at 500 units x 10 periods.

Builds a history of ``--units`` units over ``--periods`` periods (IKM row and
nine unsur rows each, values drawn at random: the sizes and times do not depend
on them), writes it, then measures (best of ``--repeat``, fresh reads):

- ``read_history`` of the Parquet file (aim: under 1 s);
- the size of ``index.html`` (aim: under 1 MB) and the time to write the site;
- with Debian's chromium, the index's load time in the browser (aim: under 1 s,
  the navigation's loadEventEnd, inline sort script included).

    .venv/bin/python benchmarks/history_scale.py [--units 500] [--periods 10] [--repeat 3]
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from skmkit import history as h
from skmkit import load_survey, site
from skmkit.batch.summary import BatchResult


def build(units: int, periods: int, seed: int = 7) -> tuple[pd.DataFrame, list[dict]]:
    s = load_survey()
    rng = np.random.default_rng(seed)
    rows, result = [], []
    for u in range(units):
        name = f"Unit Layanan {u + 1:03d} Kabupaten Contoh"
        base = rng.uniform(70, 92)
        for p in range(periods):
            year, half = 2022 + p // 2, p % 2
            period, start = f"Semester {'I' if half == 0 else 'II'} {year}", f"{year}-{'01' if half == 0 else '07'}-01"
            nrr = np.clip(base / 25 + rng.normal(0, 0.12, len(s.keys)), 1, 4)
            ikm = float(nrr.mean() * 25)
            common = {"schema_version": h.SCHEMA_VERSION, "period": period, "period_start": start, "period_end": "",
                      "unit": name, "unit_key": name.lower(), "survey": s.id, "source": "kit"}
            se = float(rng.uniform(0.4, 1.2))
            rows.append({**common, "unsur": h.IKM_ROW, "n": 150, "nrr": ikm / 25, "ikm": ikm, "se": se,
                         "ci_low": ikm - 1.96 * se, "ci_high": ikm + 1.96 * se, "mutu": s.band(ikm).mutu})
            for k, v in zip(s.keys, nrr):
                rows.append({**common, "unsur": k, "n": 150, "nrr": float(v), "ikm": float(v * 25), "se": 0.04,
                             "ci_low": float(v - 0.08), "ci_high": float(v + 0.08), "mutu": s.band(v * 25).mutu})
        uid = f"u{u + 1:03d}"
        outputs = {f: {"path": f"laporan/{uid}{x}", "sha256": hashlib.sha256(f"{uid}{f}".encode()).hexdigest(),
                       "bytes": 1} for f, x in (("html", ".html"), ("pdf", ".pdf"), ("xlsx", ".xlsx"),
                                                 ("banner", "-banner.png"))}
        result.append({"id": uid, "unit": name, "status": "ok", "outputs": outputs,
                       "inputs": {"params": {"institution": "Pemerintah Kabupaten Contoh", "period": period}}})
    return h.merge_history(h.empty_history(), pd.DataFrame(rows)), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=500)
    ap.add_argument("--periods", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    out = Path(tempfile.mkdtemp(prefix="skmkit-history-"))
    history, units = build(a.units, a.periods)
    h.write_history(out, history)
    size_pq = (out / "riwayat_skm.parquet").stat().st_size
    reads = []
    for _ in range(a.repeat):
        t = time.perf_counter()
        got = h.read_history(out)
        reads.append(time.perf_counter() - t)
    assert len(got) == len(history)
    t = time.perf_counter()
    site.write_site(out, result=BatchResult(out=out, units=units), history=got)
    t_site = time.perf_counter() - t
    size_index = (out / "index.html").stat().st_size
    print(f"{a.units} unit x {a.periods} periode: {len(history):,} baris riwayat, Parquet {size_pq / 1e6:.2f} MB")
    print(f"read_history: {min(reads):.3f} s (terbaik dari {a.repeat})  [target < 1 s]")
    print(f"index.html: {size_index / 1e6:.3f} MB  [target < 1 MB]; situs ({a.units + 1} halaman) ditulis "
          f"dalam {t_site:.1f} s")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import cdp  # noqa: PLC0415  the tests' CDP client, only when chromium is there

    if cdp.chromium() is None:
        print("chromium tidak terpasang: waktu buka di peramban tidak diukur")
        return
    with cdp.Browser() as b:
        loads = [b.open((out / "index.html").as_uri()) for _ in range(a.repeat)]
        sort = b.js("(() => { const t0 = performance.now(); "
                    "document.querySelectorAll('#unit thead th')[1].querySelector('button').click(); "
                    "return performance.now() - t0; })()")
        print(f"index.html dibuka di chromium: {min(loads):.3f} s (loadEventEnd, terbaik dari {a.repeat})  "
              f"[target < 1 s]; urut satu kolom {sort / 1000:.3f} s; galat konsol: {len(b.errors)}")


if __name__ == "__main__":
    main()
