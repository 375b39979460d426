"""Every unit's report in one command: checked, fast, fault-isolated, incremental.

The batch reads top to bottom (:func:`batch`):

1. :mod:`~skmkit.batch.units` checks the units file in full (or makes one unit
   per value of a column), reads each data file once, validates it and splits
   it into the units' canonical rows (``_batch/data/<id>.parquet``);
2. :mod:`~skmkit.batch.plan` hashes each unit's inputs (data slice, parameters,
   notebook, template, kit) and skips a unit whose hash and outputs match its
   last state; the recap is planned the same way;
3. the rest run on an executor (:mod:`~skmkit.batch.executors`: local processes
   with warm kernels, or Dask); :mod:`~skmkit.batch.worker` renders each unit
   through the one notebook pipeline (:func:`skmkit.report.render_notebook`);
   a failure is kept with its cause;
4. :mod:`~skmkit.batch.summary` writes the summary (printed,
   ``ringkasan.csv``/``.json``) and ``manifest.json``.

Output folder::

    OUT/laporan/<id>.html|.pdf|.xlsx, <id>-banner.png   the units' reports
    OUT/rekap_skm.html|.pdf|.xlsx           the recap
    OUT/ringkasan.csv, ringkasan.json       the summary table
    OUT/manifest.json                       inputs' and outputs' hashes per unit
    OUT/_batch/{data,notebooks,logs,state}  cache, executed notebooks, logs, state
"""
from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from .. import sample_data_path
from ..errors import ParameterError
from ..files import file_sha256, output_dir
from ..report import notebook_parameters, notebook_path
from ..word import check_reference
from .executors import EXECUTORS
from .periods import after_units, with_history
from .plan import (finish, kit_fingerprint, plan_recap, plan_unit, remove_partials, template_sha, unit_specs,
                   write_recap_xlsx, write_state)
from .summary import STATUS_LABELS, BatchResult, summary_frame, summary_text, write_manifest, write_summary
from .units import split_units
from .worker import render_task

__all__ = ["batch", "demo", "BatchResult", "render_task", "summary_text", "summary_frame", "kit_fingerprint",
           "STATUS_LABELS"]

#: Test hook: after this many finished units the driver kills itself (SIGKILL), as a crash would.
_ABORT_ENV = "SKMKIT_BATCH_ABORT_AFTER"


def batch(params=None, *, data=None, by=None, out="outputs", formats=None, jobs=None, force=False,
          executor="local", scheduler=None, fresh_kernels=False, timeout=600, recycle=25, recap=True,
          notebook=None, reference_doc=None, progress=True, quiet=False) -> BatchResult:
    """Render every unit's report, the recap, the summary and the manifest.

    Parameters
    ----------
    params : str or Path, optional
        A folder with ``units.yml``/``units.csv`` or the file (default ``params/``).
    data, by : optional
        A pooled survey file and its unit column: one report per value
        (``params``, when given too, adds defaults and per-unit parameters).
    out : str or Path
        Output folder (see the module docstring for its layout).
    formats : str or list, optional
        ``"html,pdf"`` (default from the units file, else html and pdf); also
        ``banner`` (PNG) and ``xlsx``.
    jobs : int, optional
        Worker processes (default: the number of cores).
    force : bool
        Rebuild units whose inputs did not change.
    executor : {"local", "dask"}
    scheduler : str or distributed.Client, optional
        The Dask scheduler address (``--executor dask``).
    fresh_kernels : bool
        A new kernel for every unit (isolation) instead of warm kernels.
    timeout : float
        Seconds allowed per unit; past it the unit fails, the others go on.
    recycle : int
        Restart a warm kernel after this many units.
    recap : bool
        Render ``rekap_skm.ipynb`` and its XLSX.
    reference_doc : str or Path, optional
        The office's reference ``.docx`` for every Word edition, the recap's
        included (relative to the current folder); it overrides the units
        file's ``reference_doc``. A changed document renders the units again.

    Returns
    -------
    BatchResult
        ``exit_code`` is 1 when any unit failed.

    Examples
    --------
    >>> r = batch("params/", out="outputs", formats="html")  # doctest: +SKIP
    >>> r.exit_code  # doctest: +SKIP
    0
    """
    t_start = time.perf_counter()
    notebook = Path(notebook) if notebook else notebook_path()
    if executor not in EXECUTORS:
        raise ParameterError(f"executor '{executor}' tidak dikenal. Perbaikan: pilih dari {', '.join(EXECUTORS)}.")
    reference = check_reference(reference_doc) if reference_doc else None  # before anything is read or run
    specs = unit_specs(params, data, by, notebook, formats, reference)
    out = output_dir(out).resolve()
    dirs = _folders(out)
    common = {"kit": kit_fingerprint(), "notebook": file_sha256(notebook), "notebook_name": notebook.name,
              "template": template_sha()}
    declared = set(notebook_parameters(notebook))
    prepared, history_before, history_now = with_history(split_units(specs), out, declared)
    records, tasks, units = {}, [], {}
    ex = None
    try:
        for n, ud in enumerate(prepared):
            rec, task, unit = plan_unit(ud, out, dirs, declared, common, notebook, force, fresh_kernels, timeout,
                                        recycle)
            records[ud.spec.id] = rec
            if unit is not None:
                units[ud.spec.id] = unit
            if task is not None:
                tasks.append(task)
                if ex is None:  # a unit will run: its worker starts while the rest is prepared
                    ex = _executor(executor, scheduler, jobs, len(prepared) - n + bool(recap), out, fresh_kernels,
                                   recycle)
                ex.start(len(tasks))  # one worker per unit to run, up to jobs
            elif rec["status"] == "failed":
                write_state(dirs["state"], rec)
        recap_task = plan_recap(prepared, records, units, out, dirs, common, force, fresh_kernels, timeout,
                                recycle) if recap else None
    except BaseException:
        if ex is not None:
            ex.close(cancel=True)
        raise
    if recap_task and not recap_task.get("run"):
        recap_task["record"]["status"] = "skipped"
    run_tasks = ([recap_task] if recap_task and recap_task.get("run") else []) + tasks
    if ex is None and run_tasks:  # only the recap runs
        ex = _executor(executor, scheduler, jobs, len(run_tasks), out, fresh_kernels, recycle)
        ex.start(len(run_tasks))
    _run(run_tasks, records, recap_task, ex, out=out, dirs=dirs, progress=progress and not quiet,
         total=len(prepared))
    recap_record = recap_task["record"] if recap_task else None
    if recap_record is not None and recap_record["status"] != "failed" and recap_task.get("table") is not None:
        write_recap_xlsx(recap_task, out, recap_record, prepared)
    result = BatchResult(out=out, units=[records[ud.spec.id] for ud in prepared], recap=recap_record,
                         duration=round(time.perf_counter() - t_start, 3))
    write_summary(result, prepared)
    write_manifest(result, common, executor, jobs, fresh_kernels)
    after_units(result, prepared, out, history_before, history_now)
    if not quiet:
        print(summary_text(result))
    return result


def _folders(out: Path) -> dict:
    dirs = {k: out / "_batch" / k for k in ("data", "notebooks", "logs", "state")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    (out / "laporan").mkdir(exist_ok=True)
    remove_partials(out)
    return dirs


def _progress(total, enabled):
    from tqdm import tqdm

    bar = tqdm(total=total, disable=not enabled, unit="unit", file=sys.stderr, dynamic_ncols=True,
               bar_format="{bar:24} {n_fmt}/{total_fmt} unit, {desc} [{elapsed}<{remaining}]")
    bar.set_description_str("0 gagal", refresh=False)
    return bar


def _executor(executor, scheduler, jobs, most, out: Path, fresh: bool, recycle: int):
    """The executor for at most ``most`` tasks (its workers start as :meth:`start` is told of units to run)."""
    jobs_n = max(1, min(int(jobs or os.cpu_count() or 1), most))
    return EXECUTORS[executor](jobs_n, scheduler=scheduler, cwd=str(out), warm=not fresh, recycle=recycle)


def _run(tasks, records, recap_task, ex, *, out, dirs, progress, total):
    """Run the tasks on the executor (``None`` when there are none); record each outcome as it arrives."""
    bar = _progress(total, progress)
    failed = sum(1 for r in records.values() if r["status"] == "failed")
    bar.update(sum(1 for r in records.values() if r["status"] in ("skipped", "failed")))
    bar.set_description_str(f"{failed} gagal")
    abort_after = int(os.environ.get(_ABORT_ENV, "0") or 0)
    finished = 0
    if not tasks:
        bar.close()
        return
    completed = False
    try:
        for task, res in ex.run(render_task, tasks):
            if isinstance(res, BaseException):
                res = {"id": task["id"], "status": "failed", "outputs": {}, "steps": {}, "duration": None,
                       "cause": f"proses pekerja gagal: {type(res).__name__}: {res}"}
            if task.get("recap"):
                finish(recap_task["record"], res, dirs["state"], out, state_name="_rekap")
                continue
            rec = records[task["id"]]
            finish(rec, res, dirs["state"], out)
            failed += rec["status"] == "failed"
            bar.set_description_str(f"{failed} gagal", refresh=False)
            bar.update(1)
            finished += 1
            if abort_after and finished >= abort_after:
                os.kill(os.getpid(), signal.SIGKILL)
        completed = True
    finally:
        ex.close(cancel=not completed)
        bar.close()


def demo(*, out="outputs", jobs=None) -> int:
    """Run the main job on the bundled sample: every unit's report (HTML and PDF) and the recap.

    The 12 units of the bundled city (``skmkit/data/sample/units.yml``) go
    through :func:`batch`; the summary is printed. Returns the exit status
    (1 when a unit failed).
    """
    units = sample_data_path().parent / "units.yml"
    print(f"Data contoh: {sample_data_path().name} ({units.name}: 12 unit Kota Sukamaju)")
    return batch(units, out=out, jobs=jobs, formats="html,pdf").exit_code
