"""Benchmark: `skmkit validate` and `skmkit ikm` on an XLSX of 40 answers formatted down to row 1,048,576.

The workbook is what Excel users leave after putting borders on the table's
columns down to the sheet's last row: 40 rows of answers, then an empty
bordered cell in each of the 11 columns of every row to 1,048,576 (276 MB of
sheet XML, 22 MB zipped). It is written once under ``benchmarks/_work``
(xlsxwriter, constant memory: a few minutes). Each command runs as a fresh
process (start-up and imports included), best of ``--repeat``; wall and CPU
time are printed (CPU is the fairer number on a shared machine). Aim: under 5 s.

    .venv/bin/python benchmarks/xlsx_formatted.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ikm_vs_pandas import best_of  # noqa: E402

WORK = Path(__file__).parent / "_work"
LAST_ROW = 1_048_576


def make_workbook() -> Path:
    import xlsxwriter

    path = WORK / "format_sampai_baris_1048576.xlsx"
    if path.exists():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("SKM")
    border = wb.add_format({"border": 1, "num_format": "0"})
    head = ["No", "Unit Layanan"] + [f"U{i}" for i in range(1, 10)]
    ws.set_column(0, len(head) - 1, 12, border)  # the whole columns formatted
    for j, h in enumerate(head):
        ws.write(0, j, h, border)
    rnd = random.Random(1)
    for r in range(1, 41):
        ws.write(r, 0, r, border)
        ws.write(r, 1, "Dinas Sosial", border)
        for j in range(2, len(head)):
            ws.write(r, j, rnd.randint(2, 4), border)
    for r in range(41, LAST_ROW):  # and every cell below, as a border dragged to the last row leaves them
        for j in range(len(head)):
            ws.write_blank(r, j, None, border)
    wb.close()
    return path


#: Run in a fresh process: each step of `skmkit ikm` timed alone, printed as JSON (wall, CPU seconds).
STEPS = """
import json, sys, time
t = [time.perf_counter(), time.process_time()]
steps = {}
def step(name):
    now = [time.perf_counter(), time.process_time()]
    steps[name] = [now[0] - t[0], now[1] - t[1]]
    t[:] = now
import skmkit.ikm_json, skmkit.read, skmkit.validate, openpyxl
from skmkit.xlsx_range import used_range
step("imports (skmkit, pandas, openpyxl)")
cut = used_range(sys.argv[1])
step("cut the sheet after its last value (xlsx_range.used_range)")
wb = openpyxl.load_workbook(cut, data_only=True)
step("openpyxl: load the cut workbook")
raw = skmkit.read.read_table(sys.argv[1])
step("read_table (cut + openpyxl + header, rows; all again)")
v = skmkit.validate.validate_table(raw, source="x")
step("validate_table")
r = skmkit.ikm_json.ikm_report(sys.argv[1])
step("ikm_report (read + validate + IKM, all again)")
print(json.dumps(steps))
"""


def steps(path: Path) -> dict:
    """Wall and CPU seconds of each step, in one fresh process."""
    import json
    import subprocess

    out = subprocess.run([sys.executable, "-c", STEPS, str(path)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)
    path = make_workbook()
    print(f"data: 40 answers, 11 columns bordered to row {LAST_ROW:,}; {path.stat().st_size / 1e6:.0f} MB zipped")
    print("each a fresh process (start-up and imports included), best of", a.repeat)
    kit = subprocess.run([sys.executable, "-c", "import skmkit; print(skmkit.__file__)"], check=True,
                         capture_output=True, text=True).stdout.strip()
    print("skmkit measured:", kit, "(python -m and -c put the working directory first on the path)")
    for verb in ("validate", "ikm"):
        [(wall, cpu)] = best_of([[sys.executable, "-m", "skmkit", verb, str(path)]], a.repeat)
        print(f"skmkit {verb:<9} wall {wall:6.2f} s  cpu {cpu:6.2f} s  (aim: under 5 s)")
    print("steps, one fresh process (wall / CPU s):")
    for name, (wall, cpu) in steps(path).items():
        print(f"  {name:<60} {wall:6.2f} / {cpu:5.2f}")
    import os
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
