"""Profile one unit's work, step by step: the per-unit budget of a batch.

For a typical unit of the demo city (Dinas Kependudukan dan Pencatatan Sipil,
380 respondents) and a large unit (1,000 respondents, synthetic), in this one
process, the batch's own steps are timed separately:

- driver: read + validate + split the pooled file, plan the unit (canonical cache, parameters);
- kernel: the notebook executed on a warm kernel (one untimed run first), by cell (papermill's durations);
- HTML export (nbconvert);
- PDF: WeasyPrint layout (``render``) and writing (``write_pdf``), the same call as the kit's;
- the PDF again without the respondent annex (Lampiran 4), to measure what the annex costs;
- banner PNG and the XLSX workbook (as the worker makes them, from the data);
- the recap notebook (HTML + PDF, once per batch) over the pooled file's units.

Wall seconds of one run each (``--repeat`` takes the best); CPU seconds beside
them (of this process; of the kernel process for the kernel's total; cells have
papermill's wall seconds only), as the machine may be shared. Prints one table.

    .venv/bin/python benchmarks/profile_unit.py [--large 1000] [--repeat 1]
"""
from __future__ import annotations

import argparse
import copy
import io
import shutil
import sys
import time
from pathlib import Path

import yaml

WORK = Path(__file__).parent / "_work" / "profile"
COMMON = {"institution": "Pemerintah Kota Sukamaju", "period": "Semester I 2026",
          "period_start": "2026-01-01", "period_end": "2026-06-30"}


class Clock:
    """Best wall and CPU seconds of a step over its runs, by name, in the order first timed."""

    def __init__(self):
        self.rows: dict[str, tuple[float, float]] = {}

    def time(self, name, fn, repeat=1):
        best, out = None, None
        for _ in range(repeat):
            w, c = time.perf_counter(), time.process_time()
            out = fn()
            w, c = time.perf_counter() - w, time.process_time() - c
            best = (w, c) if best is None or w < best[0] else best
        self.rows[name] = best
        return out

    def add(self, name, wall, cpu=float("nan")):
        self.rows[name] = (wall, cpu)


def make_inputs(large: int) -> dict[str, tuple[Path, str]]:
    """The demo city's pooled file (its first unit is the typical one) and a file of one large unit."""
    from skmkit.synth import DEMO_UNITS, generate_responses, write_demo_data

    WORK.mkdir(parents=True, exist_ok=True)
    demo = WORK / "demo"
    if not (demo / "units.yml").exists():
        write_demo_data(demo)
    uid, name, services, _, pop, quality = DEMO_UNITS[0]
    big = WORK / "besar"
    big.mkdir(exist_ok=True)
    data = big / f"besar_{large}.csv"
    if not data.exists():
        generate_responses([(uid, name, services, large, max(pop, large * 20), quality)], seed=22).to_csv(
            data, index=False)
        (big / "units.yml").write_text(yaml.safe_dump(
            {"defaults": {**COMMON, "data": data.name, "by": "Unit Layanan"},
             "units": [{"id": uid, "unit": name, "population": max(pop, large * 20)}]},
            sort_keys=False, allow_unicode=True), encoding="utf-8")
    return {"tipikal": (demo, uid), f"besar ({large})": (big, uid)}


def _pdf_steps(html: str) -> tuple[float, float, float, float, int, bytes]:
    """WeasyPrint as the kit calls it (exporters.py), layout and writing timed apart."""
    import pydyf
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from skmkit import __version__
    from skmkit import htmlprint
    from skmkit.exporters import TEMPLATE_DIR, _bundled_fonts_css

    def finisher(_document, pdf):
        pdf.info["Producer"] = pydyf.String(f"skmkit {__version__}")

    w, c = time.perf_counter(), time.process_time()
    fonts = FontConfiguration()
    css = CSS(string=_bundled_fonts_css(), font_config=fonts)
    doc = HTML(string=htmlprint.strip_print_extras(html), base_url=str(TEMPLATE_DIR)).render(stylesheets=[css], font_config=fonts)
    w1, c1 = time.perf_counter(), time.process_time()
    pdf = doc.write_pdf(pdf_identifier=True, finisher=finisher, full_fonts=True)
    w2, c2 = time.perf_counter(), time.process_time()
    return w1 - w, c1 - c, w2 - w1, c2 - c1, len(doc.pages), pdf


def profile(folder: Path, uid: str, repeat: int) -> tuple[Clock, dict, dict]:
    from skmkit.batch import _folders
    from skmkit.batch.executors import kernel_for_thread
    from skmkit.batch.plan import (kit_fingerprint, plan_recap, plan_unit, template_sha, unit_specs,
                                   write_recap_xlsx)
    from skmkit.batch.units import split_units
    from skmkit.batch.worker import _unit_of, render_task
    from skmkit.banner import banner_png
    from skmkit.workbook import workbook_bytes
    from skmkit.files import file_sha256
    from skmkit.report import execute, export_html, export_pdf, notebook_parameters, notebook_path, parameterize

    clock, facts = Clock(), {}
    out = WORK / f"out_{folder.name}"
    shutil.rmtree(out, ignore_errors=True)
    notebook = notebook_path()

    def driver():
        specs = unit_specs(folder, None, None, notebook, "html,pdf")
        dirs = _folders(out.resolve())
        common = {"kit": kit_fingerprint(), "notebook": file_sha256(notebook), "notebook_name": notebook.name,
                  "template": template_sha()}
        prepared = split_units(specs)
        planned = [plan_unit(ud, out.resolve(), dirs, set(notebook_parameters(notebook)), common, notebook,
                             True, False, 600, 25) for ud in prepared]
        return prepared, planned, dirs, common

    prepared, planned, dirs, common = clock.time("driver: baca, validasi, pisah, rencana (semua unit)", driver)
    facts["units"] = len(prepared)
    clock.add("driver: per unit", clock.rows["driver: baca, validasi, pisah, rencana (semua unit)"][0]
              / len(prepared), clock.rows["driver: baca, validasi, pisah, rencana (semua unit)"][1] / len(prepared))
    records = {ud.spec.id: rec for ud, (rec, _, _) in zip(prepared, planned)}
    units = {ud.spec.id: u for ud, (_, _, u) in zip(prepared, planned) if u is not None}
    task = next(t for ud, (_, t, _) in zip(prepared, planned) if ud.spec.id == uid)
    facts["respondents"] = records[uid]["respondents"]
    workdir = Path(task["workdir"])

    kernel = kernel_for_thread()
    nb = None

    def run_kernel():
        kernel.prepare(str(workdir))
        try:
            return execute(parameterize(task["notebook"], task["params"]), cwd=workdir, km=kernel.km,
                           save_each_cell=False)
        finally:
            kernel.finished()

    run_kernel()  # warm: imports and fonts loaded once per worker, as in the batch
    import psutil

    kproc = psutil.Process(kernel.km.provisioner.pid)
    k0 = sum(kproc.cpu_times()[:2])
    nb = clock.time("kernel: notebook dieksekusi (total)", run_kernel, repeat)
    # CPU of the kernel process itself (this process only waits for it)
    clock.add("kernel: notebook dieksekusi (total)", clock.rows["kernel: notebook dieksekusi (total)"][0],
              (sum(kproc.cpu_times()[:2]) - k0) / repeat)
    cells = []
    for cell in nb.cells:
        seconds = (cell.metadata.get("papermill") or {}).get("duration")
        if cell.cell_type == "code" and seconds:
            cells.append((seconds, cell.source.strip().splitlines()[0][:60] if cell.source.strip() else "(kosong)"))
    for seconds, source in sorted(cells, reverse=True)[:8]:
        clock.add(f"  sel: {source}", seconds)
    clock.add("  sel lain (jumlah)", sum(s for s, _ in sorted(cells, reverse=True)[8:]))

    html = clock.time("HTML (nbconvert)", lambda: export_html(nb), repeat)
    facts["html_mb"] = len(html.encode()) / 1e6
    lay_w, lay_c, wr_w, wr_c, pages, pdf = _pdf_steps(html)
    assert pdf == export_pdf(html), "the profile's WeasyPrint call differs from the kit's"
    clock.add("PDF: tata letak WeasyPrint (render)", lay_w, lay_c)
    clock.add("PDF: tulis (write_pdf)", wr_w, wr_c)
    facts["pages"], facts["pdf_mb"] = pages, len(pdf) / 1e6

    # the respondent annex: the same notebook with the scoring table's output left out
    bare = copy.deepcopy(nb)
    annex = [c for c in bare.cells if c.cell_type == "code" and c.source.strip() == "s.scoring(r)"]
    for c in annex:
        c.outputs = []
    lay2_w, lay2_c, wr2_w, wr2_c, pages2, _ = _pdf_steps(export_html(bare))
    clock.add("PDF tanpa lampiran 4: render + tulis", lay2_w + wr2_w, lay2_c + wr2_c)
    clock.add("  => biaya lampiran 4 (tabel per responden)", lay_w + wr_w - lay2_w - wr2_w,
              lay_c + wr_c - lay2_c - wr2_c)
    facts["annex_pages"] = pages - pages2

    unit = clock.time("banner/xlsx: muat unit yang disiapkan (pickle)", lambda: _unit_of(task["params"], workdir),
                      repeat)
    png = clock.time("banner PNG", lambda: banner_png(unit), repeat)
    xlsx = clock.time("workbook XLSX", lambda: workbook_bytes(unit), repeat)
    facts["banner_mb"], facts["xlsx_mb"] = len(png) / 1e6, len(xlsx) / 1e6

    recap = plan_recap(prepared, records, units, out.resolve(), dirs, common, True, False, 600, 25)
    if recap and recap.get("run"):
        res = clock.time("rekap: notebook + HTML + PDF (sekali per batch)", lambda: render_task(recap))
        facts["recap_steps"] = res.get("steps")
        recap["record"]["status"] = res["status"]
        clock.time("rekap: XLSX", lambda: write_recap_xlsx(recap, out.resolve(), recap["record"], prepared))
    facts["pdf_check"] = "sama dengan export_pdf"
    return clock, facts, {"kernel": kernel}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--large", type=int, default=1000, help="respondents of the large unit")
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args(argv)
    from skmkit.batch.executors import shutdown_kernels

    results = {}
    try:
        for label, (folder, uid) in make_inputs(a.large).items():
            clock, facts, _ = profile(folder, uid, a.repeat)
            results[label] = (clock, facts)
    finally:
        shutdown_kernels()
    labels = list(results)
    names = list(dict.fromkeys(n for clock, _ in results.values() for n in clock.rows))
    width = max(len(n) for n in names) + 2
    print("langkah".ljust(width) + "".join(f"{lb:>26}" for lb in labels))
    print(" " * width + "".join(f"{'wall s':>14}{'cpu s':>12}" for _ in labels))
    for n in names:
        cells = ""
        for lb in labels:
            w, c = results[lb][0].rows.get(n, (float("nan"), float("nan")))
            cells += f"{w:14.2f}{c:12.2f}"
        print(n.ljust(width) + cells)
    for lb in labels:
        f = results[lb][1]
        print(f"{lb}: {f['respondents']} responden, {f['units']} unit di berkas; HTML {f['html_mb']:.2f} MB, "
              f"PDF {f['pages']} halaman ({f['annex_pages']} halaman lampiran 4), {f['pdf_mb']:.2f} MB; "
              f"banner {f['banner_mb']:.2f} MB, XLSX {f['xlsx_mb']:.2f} MB; rekap: {f.get('recap_steps')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
