"""Benchmark: `skmkit ikm --by` on 1,000,000 responses of 500 units against bare pandas.

Both are measured in this one run on the same file, each as a fresh process
(interpreter start and imports included, as a user would run them), the two
alternating, best of ``--repeat``. Prints seconds and the ratio skmkit / pandas (aim: at or under 1x, issue 22),
then where skmkit's time goes (each step in one more fresh process) and the load average.

    .venv/bin/python benchmarks/ikm_vs_pandas.py [--rows 1000000] [--units 500] [--labels]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

WORK = Path(__file__).parent / "_work"

BARE = """
import sys, pandas as pd
df = pd.read_csv(sys.argv[1])
cols = [c for c in df.columns if c.startswith(("1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "9."))]
print(df.groupby("Unit Layanan")[cols].mean().mean(axis=1).mul(25).round(2).head(3))
"""

#: The same with answers written as labels (a form export): each answer column mapped by a dict, as by hand.
BARE_LABELS = """
import json, sys, pandas as pd
df = pd.read_csv(sys.argv[1])
labels = json.loads(sys.argv[2])
cols = [c for c in df.columns if c.startswith(("1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "9."))]
for c, m in zip(cols, labels):
    df[c] = df[c].map(m)
print(df.groupby("Unit Layanan")[cols].mean().mean(axis=1).mul(25).round(2).head(3))
"""

#: skmkit ikm's steps, each timed alone in one process, printed as JSON (wall, CPU seconds).
STEPS = """
import json, sys, time
t = [time.perf_counter(), time.process_time()]
steps = {}
def step(name):
    now = [time.perf_counter(), time.process_time()]
    steps[name] = [now[0] - t[0], now[1] - t[1]]
    t[:] = now
from skmkit import ikm_csv
from skmkit.ikm_json import _result, ikm_report
from skmkit.survey import load_survey
step("imports (the ikm path)")
survey = load_survey(None)
n = ikm_csv.ikm_csv(sys.argv[1], by="Unit Layanan", survey=survey, source="x")
step("pyarrow read, header, checks, scores, sums")
r = _result(n.sums, n.groups, n.refused, by="Unit Layanan", survey=survey, ci="analytic", population=None,
            source="x", sha256=None)
step("NRR, IKM, bands, 95% CI per unit")
n.sha256()
step("SHA-256 + UTF-8 check (second thread): wait")
json.dumps(r, ensure_ascii=False, indent=1, allow_nan=False)
step("JSON text")
pandas = "pandas" in sys.modules
json.dumps(ikm_report(sys.argv[1], by="Unit Layanan"), ensure_ascii=False, indent=1)
step("ikm_report + JSON, all again (as the CLI)")
print(json.dumps({"steps": steps, "pandas": pandas}))
"""


def make_data(rows: int, units: int, labels: bool) -> Path:
    from skmkit.synth import generate_responses

    path = WORK / f"ikm_{rows}_{units}_{'labels' if labels else 'numbers'}.csv"
    if path.exists():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    per = rows // units
    spec = [(f"u{i:03d}", f"Unit Layanan {i:03d}", ["Layanan A", "Layanan B"], per, 10_000, (i % 9 - 4) / 10)
            for i in range(units)]
    generate_responses(spec, seed=1, labels=labels, personal=False).to_csv(path, index=False)
    return path


def _run(cmd: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + sys of the child) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def best_of(cmds: list[list[str]], repeat: int) -> list[tuple[float, float]]:
    """Best wall time and best CPU time of each command over ``repeat`` rounds, the commands alternating."""
    runs = [[_run(cmd) for cmd in cmds] for _ in range(repeat)]
    return [(min(r[i][0] for r in runs), min(r[i][1] for r in runs)) for i in range(len(cmds))]


def kit_file() -> str:
    return subprocess.run([sys.executable, "-c", "import skmkit; print(skmkit.__file__)"], check=True,
                          capture_output=True, text=True).stdout.strip()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--units", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--labels", action="store_true", help="answers as labels (a form export) instead of 1-4")
    a = ap.parse_args(argv)
    path = make_data(a.rows, a.units, a.labels)
    size = path.stat().st_size / 1e6
    skm = [sys.executable, "-m", "skmkit", "ikm", str(path), "--by", "Unit Layanan", "--json"]
    if a.labels:
        from skmkit.survey import load_survey

        survey = load_survey()
        labels = [{label: i + survey.scale_min for i, label in enumerate(survey.get(k).labels)}
                  for k in survey.questions or survey.keys]  # the file's columns are in the questionnaire's order
        bare = [sys.executable, "-c", BARE_LABELS, str(path), json.dumps(labels)]
    else:
        bare = [sys.executable, "-c", BARE, str(path)]
    # skmkit's modules compiled once, as pip compiles an installed package (PYTHONDONTWRITEBYTECODE=1 or a
    # read-only checkout would have each run compile them again: about 0.03 s)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(kit_file()).parent)], check=True,
                   stdout=subprocess.DEVNULL)
    (w_bare, c_bare), (w_skm, c_skm) = best_of([bare, skm], a.repeat)
    print(f"data: {a.rows:,} responses, {a.units} units, {'labels' if a.labels else 'numbers'}, {size:.0f} MB")
    print("each a fresh process (start-up and imports included), best of", a.repeat, "alternating; skmkit compiled")
    print("skmkit measured:", kit_file(), "(python -m and -c put the working directory first on the path)")
    print(f"pandas read_csv {'+ map labels ' if a.labels else ''}+ groupby mean: wall {w_bare:6.2f} s  cpu {c_bare:6.2f} s")
    print(f"skmkit ikm --by --json:         wall {w_skm:6.2f} s  cpu {c_skm:6.2f} s"
          "  (read, recognise, validate + warnings, NRR, IKM, bands, 95% CI, JSON)")
    print(f"ratio skmkit/pandas: wall {w_skm / w_bare:.2f}  cpu {c_skm / c_bare:.2f}  (aim: at or under 1)")
    out = subprocess.run([sys.executable, "-c", STEPS, str(path)], check=True, capture_output=True, text=True)
    print("skmkit's steps, one fresh process (wall / CPU s):")
    got = json.loads(out.stdout.strip().splitlines()[-1])
    for name, (wall, cpu) in got["steps"].items():
        print(f"  {name:<46} {wall:6.2f} / {cpu:5.2f}")
    print("  pandas imported on the ikm path:", "yes" if got["pandas"] else "no")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
