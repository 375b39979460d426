"""The worker side of a batch: one unit (or the recap) rendered by the one notebook pipeline.

:func:`render_task` runs in a worker process. It adds to
:func:`skmkit.report.render_notebook` only what is batch-specific: a warm
kernel, a deadline over the whole unit (notebook, HTML, PDF, banner, XLSX), the
banner and workbook files, a per-unit log, and an outcome that never raises for
the unit's own failure.
"""
from __future__ import annotations

import hashlib
import os
import platform
import re
import shutil
import signal
import threading
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

import nbformat

from ..banner import CACHE_ENV, banner_png
from ..errors import ReportError, SkmError
from ..files import write_atomic
from ..prepared import load_prepared, prepare_unit
from ..report import NOTEBOOK_FORMATS, render_notebook
from ..workbook import workbook_bytes
from .executors import kernel_for_thread
from .plan import canon_json

__all__ = ["render_task", "UnitTimeout"]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class UnitTimeout(Exception):
    """The unit ran past the batch's ``--timeout`` (all its steps together)."""


@contextmanager
def _deadline(seconds):
    """Raise :class:`UnitTimeout` in this thread after ``seconds`` (the worker's main thread only).

    Covers every step of a unit, PDF and XLSX included, not only notebook
    cells. Where no alarm can be set (a Dask worker thread), the warm kernel's
    watchdog still bounds the notebook.
    """
    usable = seconds and threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if not usable:
        yield
        return

    def fire(_signum, _frame):
        raise UnitTimeout(f"melebihi batas waktu {seconds:g} detik.")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, float(seconds))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@contextmanager
def _kernel(task, banner_cache=None):
    """The thread's warm kernel, prepared for this unit (None with ``fresh``), with a watchdog."""
    if task["fresh"]:
        yield None
        return
    kernel = kernel_for_thread(task["recycle"])
    kernel.prepare(task["workdir"], str(banner_cache) if banner_cache else None)
    timeout = task["timeout"]
    timer = threading.Timer(timeout + 5, kernel.kill) if timeout else None
    if timer:
        timer.daemon = True
        timer.start()
    try:
        yield kernel
    except BaseException:
        kernel.shutdown()  # dead, timed out or interrupted: the next unit gets a new kernel
        raise
    finally:
        if timer:
            timer.cancel()
        kernel.finished()


#: Formats drawn from the prepared unit alone, without the notebook.
_DATA_FORMATS = {"banner": banner_png, "xlsx": workbook_bytes}


def _unit_of(params: dict, workdir: Path):
    """The unit the driver prepared (or, for a notebook that does not take one, prepared here the same way)."""
    if params.get("prepared"):
        return load_prepared(workdir / params["prepared"])
    return prepare_unit(**{k: v for k, v in params.items()}, workdir=workdir, where=f"unit '{params.get('unit')}'")


def render_task(task: dict) -> dict:
    """Render one unit (runs in a worker): never raises for the unit's own failure.

    ``task`` holds ``id``, ``unit``, ``workdir`` (absolute), ``notebook``,
    ``params`` (paths relative to ``workdir``), ``formats``, ``outputs``
    (format -> path relative to ``workdir``), ``executed``, ``log``,
    ``timeout``, ``fresh``, ``recycle`` and ``recap``. Returns the outcome:
    ``status`` (``"ok"`` / ``"failed"``), ``cause``, ``cell``, ``outputs``
    (format -> {path, sha256, bytes}), ``steps`` (seconds) and ``duration``.
    """
    t0 = time.perf_counter()
    workdir = Path(task["workdir"])
    params = task["params"]
    result = {"id": task["id"], "status": "failed", "cause": None, "cell": None, "outputs": {}, "steps": {},
              "worker": f"{platform.node()}:{os.getpid()}"}
    log = [f"unit: {task['unit']} (id {task['id']})", f"notebook: {Path(task['notebook']).name}",
           "parameter: " + canon_json(params)]
    cache = _banner_cache(task)
    try:
        with _deadline(task["timeout"]):
            notebook_formats = [f for f in NOTEBOOK_FORMATS if f in task["formats"]]
            blobs = {}
            if notebook_formats:
                with _kernel(task, cache) as kernel:
                    rendered = render_notebook(
                        task["notebook"], params, workdir=workdir, executed=workdir / task["executed"],
                        formats=notebook_formats, unit=task["unit"], km=kernel.km if kernel else None,
                        timeout=task["timeout"],
                        **{k: workdir / v for k, v in task.get("exports", {}).items()})  # reference_doc
                result["steps"].update(rendered.steps)
                blobs.update({f: rendered.blobs[f] for f in notebook_formats})
            data_formats = [f for f in _DATA_FORMATS if f in task["formats"]]
            if data_formats:  # banner and xlsx render the prepared unit
                unit = _unit_of(params, workdir)
                for fmt in data_formats:
                    t = time.perf_counter()
                    blobs[fmt] = _DATA_FORMATS[fmt](unit)
                    result["steps"][fmt] = round(time.perf_counter() - t, 3)
        for fmt, blob in blobs.items():
            rel = task["outputs"][fmt]
            write_atomic(workdir / rel, blob)
            result["outputs"][fmt] = {"path": rel, "sha256": hashlib.sha256(blob).hexdigest(), "bytes": len(blob)}
        result["status"] = "ok"
    except ReportError as exc:
        result.update(cause=f"sel {exc.cell}: {exc.ename}: {_ANSI.sub('', exc.evalue)}", cell=exc.cell)
        log.append("GAGAL: " + str(exc))
        log += _traceback_of(workdir / task["executed"], exc.cell)
    except SkmError as exc:
        result["cause"] = str(exc).splitlines()[0]
        log.append("GAGAL: " + str(exc))
    except Exception as exc:  # dead kernel, timeout, a bug: this unit only
        result["cause"] = _cause_of(exc, task["timeout"])
        log.append("GAGAL: " + result["cause"])
        log.append(traceback.format_exc())
    finally:
        if cache is not None:
            os.environ.pop(CACHE_ENV, None)
            shutil.rmtree(cache, ignore_errors=True)
    for name, seconds in result["steps"].items():
        log.append(f"{name}: {seconds:.2f} s")
    result["duration"] = round(time.perf_counter() - t0, 3)
    log.append(f"status: {result['status']} ({result['duration']:.2f} s)")
    try:
        write_atomic(workdir / task["log"], "\n".join(log) + "\n")
    except (OSError, SkmError):
        pass
    return result


def _banner_cache(task) -> Path | None:
    """A unit wanting the report and the banner file: a cache folder for its banner, drawn once (in the kernel).

    Set in this process's environment (for the worker's banner_png and a fresh kernel, which inherits
    it) and given to a warm kernel by its reset; removed with its files after the unit. The PNG is
    keyed by its content, so a folder shared by mistake can only miss, never serve another banner.
    """
    if "banner" not in task["formats"] or not any(f in task["formats"] for f in NOTEBOOK_FORMATS):
        os.environ.pop(CACHE_ENV, None)
        return None
    folder = Path(task["workdir"]) / "_batch" / "cache" / task["id"]
    shutil.rmtree(folder, ignore_errors=True)  # nothing left from an earlier, interrupted run
    os.environ[CACHE_ENV] = str(folder)
    return folder


def _cause_of(exc, timeout) -> str:
    name = type(exc).__name__
    if name == "DeadKernelError":
        return "kernel mati saat eksekusi (kehabisan memori atau crash); unit lain tidak terpengaruh."
    if isinstance(exc, UnitTimeout) or name in ("CellTimeoutError", "TimeoutError") or "timed out" in str(exc).lower():
        return f"melebihi batas waktu {timeout:g} detik."
    return f"{name}: {_ANSI.sub('', str(exc)).strip().splitlines()[0] if str(exc).strip() else ''}"


def _traceback_of(executed: Path, cell) -> list:
    try:
        nb = nbformat.read(str(executed), as_version=4)
        for c in nb.cells:
            errors = [o for o in c.get("outputs", []) if o.get("output_type") == "error"]
            if errors:
                return [f"sel {cell} yang gagal:", c.source] + [_ANSI.sub("", t) for t in errors[0].get("traceback", [])]
        return []
    except Exception:
        return []
