"""Every unit's report in one command: checked, fast, fault-isolated, incremental.

The batch reads top to bottom:

1. :func:`skmkit.units.load_units` checks the units file in full (or
   :func:`~skmkit.units.units_from_column` makes one unit per value of a column);
2. :func:`~skmkit.units.split_units` reads each data file once and writes each
   unit's canonical rows (``_batch/data/<id>.parquet``);
3. each unit's inputs are hashed (data slice, parameters, notebook, template,
   kit); a unit whose hash and outputs match its last state is skipped;
4. the rest run on an executor (:mod:`skmkit.executors`): :func:`render_task`
   parameterises, executes on a warm kernel, checks cell errors and writes the
   HTML/PDF (and banner/XLSX) atomically; a failure is kept with its cause;
5. the recap notebook (``rekap_skm.ipynb``) and its XLSX are rendered once;
6. the summary (printed, ``ringkasan.csv``/``.json``) and ``manifest.json``
   are written.

Output folder::

    OUT/laporan/<id>.html|.pdf|.xlsx, <id>-banner.png   the units' reports
    OUT/rekap_skm.html|.pdf|.xlsx           the recap
    OUT/ringkasan.csv, ringkasan.json       the summary table
    OUT/manifest.json                       inputs' and outputs' hashes per unit
    OUT/_batch/{data,notebooks,logs,state}  cache, executed notebooks, logs, state
"""
from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import __version__
from .errors import ParameterError, ReportError, SkmError
from .rekap import recap_table, recap_xlsx
from .report import (check_cell_errors, check_parameters, execute, export_pdf, notebook_parameters, notebook_path,
                     output_dir, parameterize, stable_notebook, write_atomic)
from .units import (PATH_KEYS, UnitData, content_hash, load_units, split_units, units_from_column,
                    write_canonical)

__all__ = ["batch", "BatchResult", "render_task", "summary_text", "summary_frame", "kit_fingerprint",
           "RECAP_NOTEBOOK", "STATUS_LABELS"]

RECAP_NOTEBOOK = "rekap_skm.ipynb"
#: Status as the summary shows it.
STATUS_LABELS = {"ok": "berhasil", "skipped": "tidak berubah", "failed": "GAGAL"}
_EXT = {"html": ".html", "pdf": ".pdf", "banner": "-banner.png", "xlsx": ".xlsx"}  # banner named as `skmkit banner` names it
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: Test hook: after this many finished units the driver kills itself (SIGKILL), as a crash would.
_ABORT_ENV = "SKMKIT_BATCH_ABORT_AFTER"


@dataclass
class BatchResult:
    """What a batch did: one record per unit (dicts, as in the manifest) and the recap's."""

    out: Path
    units: list = field(default_factory=list)
    recap: dict | None = None
    duration: float = 0.0

    @property
    def failed(self) -> list:
        return [u for u in self.units if u["status"] == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or (self.recap or {}).get("status") == "failed" else 0


# -- hashing ---------------------------------------------------------------------------
def _file_sha(path) -> str:
    from .read import file_sha256

    return file_sha256(path)


def _tree_sha(root: Path, suffixes=None) -> str:
    parts = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and (suffixes is None or p.suffix in suffixes):
            parts += [p.relative_to(root).as_posix(), p.read_bytes()]
    return content_hash(*parts)


@lru_cache(maxsize=1)
def kit_fingerprint() -> str:
    """The kit's version and a hash of its code, templates and survey definitions."""
    root = Path(__file__).parent
    code = content_hash(*[b for p in sorted(root.glob("*.py")) for b in (p.name, p.read_bytes())])
    data = _tree_sha(root / "data", {".yml", ".yaml", ".json"}) if (root / "data").exists() else ""
    return f"{__version__}+{content_hash(code, data)[:16]}"


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": sys.version.split()[0]}
    for name in ("pandas", "numpy", "matplotlib", "papermill", "nbclient", "nbconvert", "ipykernel",
                 "weasyprint", "pyarrow", "openpyxl"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def _json_default(v):
    if hasattr(v, "item"):
        return v.item()
    if isinstance(v, Path):
        return str(v)
    return str(v)


def _canon_json(obj) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, default=_json_default)


# -- the worker side --------------------------------------------------------------------
_exporter_cache = threading.local()


def _export_html(nb, title=None) -> str:
    """The report HTML, as :func:`skmkit.report.export_html` makes it (one exporter per thread:
    its template loads once)."""
    from .render import SkmHTMLExporter

    exp = getattr(_exporter_cache, "html", None)
    if exp is None:
        exp = _exporter_cache.html = SkmHTMLExporter()
    body, _ = exp.from_notebook_node(nb, resources={"metadata": {"name": title}} if title else None)
    return body


@contextmanager
def _relaxed_gc(threshold: int = 50_000):
    """Collect young objects less often while WeasyPrint/nbconvert build millions of them.

    About 13% less CPU for a report's PDF (the output bytes do not change);
    the usual thresholds come back afterwards.
    """
    old = gc.get_threshold()
    gc.set_threshold(threshold, old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def _title(task) -> str:
    p = task["params"]
    head = "Rekapitulasi SKM" if task.get("recap") else "Laporan Hasil SKM"
    return " \u2014 ".join(x for x in (head, task["unit"], str(p.get("period") or "")) if x)


def _banner(task, data) -> bytes:
    from .banner import banner_png

    p = task["params"]
    return banner_png(data, unit=p["unit"], period=p.get("period") or "", institution=p.get("institution") or "",
                      head_name=p.get("head_name") or "", head_title=p.get("head_title") or "",
                      survey=p.get("survey"), population=p.get("population"))


def _workbook(task, data) -> bytes:
    from .workbook import workbook_bytes

    p = task["params"]
    return workbook_bytes(data, unit=p["unit"], period=p.get("period") or "", survey=p.get("survey"),
                          rtl=p.get("rtl"), institution=p.get("institution") or "")


def render_task(task: dict) -> dict:
    """Render one unit (runs in a worker): never raises for the unit's own failure.

    ``task`` holds ``id``, ``unit``, ``workdir`` (absolute), ``notebook``,
    ``params`` (paths relative to ``workdir``), ``formats``, ``outputs``
    (format -> path relative to ``workdir``), ``executed``, ``log``,
    ``timeout``, ``fresh`` and ``recycle``. Returns the outcome: ``status``
    (``"ok"`` / ``"failed"``), ``cause``, ``cell``, ``outputs`` (format ->
    {path, sha256, bytes}), ``steps`` (seconds) and ``duration``.
    """
    import hashlib

    import nbformat

    from .executors import kernel_for_thread

    t0 = time.perf_counter()
    workdir = Path(task["workdir"])
    steps: dict[str, float] = {}
    result = {"id": task["id"], "status": "failed", "cause": None, "cell": None, "outputs": {}, "steps": steps,
              "worker": f"{os.uname().nodename}:{os.getpid()}"}
    log = [f"unit: {task['unit']} (id {task['id']})", f"notebook: {Path(task['notebook']).name}",
           "parameter: " + _canon_json(task["params"])]

    def step(name, t):
        steps[name] = round(time.perf_counter() - t, 3)
        log.append(f"{name}: {steps[name]:.2f} s")

    try:
        wanted = task["formats"]
        html = None
        if {"html", "pdf"} & set(wanted):  # banner and xlsx come from the data alone
            t = time.perf_counter()
            nb = parameterize(task["notebook"], task["params"])
            executed = workdir / task["executed"]
            executed.parent.mkdir(parents=True, exist_ok=True)
            kernel = None if task["fresh"] else kernel_for_thread(task["recycle"])
            if kernel is not None:
                kernel.prepare(str(workdir))
            step("siapkan kernel", t)
            t = time.perf_counter()
            nb = stable_notebook(_execute(nb, executed, workdir, kernel, task["timeout"]))
            write_atomic(executed, nbformat.writes(nb) + "\n")
            step("eksekusi", t)
            check_cell_errors(nb, unit=task["unit"], notebook=Path(task["notebook"]).name, output=task["executed"])
            t = time.perf_counter()
            with _relaxed_gc():
                html = _export_html(nb, _title(task))
            step("html", t)
        blobs = {}
        if "html" in wanted:
            blobs["html"] = html.encode("utf-8")
        if "pdf" in wanted:
            t = time.perf_counter()
            with _relaxed_gc():
                blobs["pdf"] = export_pdf(html)
            step("pdf", t)
        if {"banner", "xlsx"} & set(wanted):
            from .read import read_responses

            data = read_responses(workdir / task["params"]["data"])
            for fmt, make in (("banner", _banner), ("xlsx", _workbook)):
                if fmt in wanted:
                    t = time.perf_counter()
                    blobs[fmt] = make(task, data)
                    step(fmt, t)
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
    result["duration"] = round(time.perf_counter() - t0, 3)
    log.append(f"status: {result['status']} ({result['duration']:.2f} s)")
    try:
        write_atomic(workdir / task["log"], "\n".join(log) + "\n")
    except OSError:
        pass
    return result


def _execute(nb, executed: Path, workdir: Path, kernel, timeout):
    """Execute on the warm kernel (watchdog: the whole unit within ``timeout``) or a fresh one."""
    if kernel is None:
        return execute(nb, output=executed, cwd=workdir, timeout=timeout, save_each_cell=False)
    timer = threading.Timer(timeout + 5, kernel.kill) if timeout else None
    if timer:
        timer.daemon = True
        timer.start()
    try:
        return execute(nb, output=executed, cwd=workdir, km=kernel.km, timeout=timeout, save_each_cell=False)
    except BaseException:
        kernel.shutdown()  # dead, timed out or interrupted: the next unit gets a new kernel
        raise
    finally:
        if timer:
            timer.cancel()
        kernel.finished()


def _cause_of(exc, timeout) -> str:
    name = type(exc).__name__
    if name == "DeadKernelError":
        return "kernel mati saat eksekusi (kehabisan memori atau crash); unit lain tidak terpengaruh."
    if name in ("CellTimeoutError", "TimeoutError") or "timed out" in str(exc).lower():
        return f"melebihi batas waktu {timeout} detik."
    return f"{name}: {_ANSI.sub('', str(exc)).strip().splitlines()[0] if str(exc).strip() else ''}"


def _traceback_of(executed: Path, cell) -> list:
    try:
        import nbformat

        nb = nbformat.read(str(executed), as_version=4)
        for c in nb.cells:
            errors = [o for o in c.get("outputs", []) if o.get("output_type") == "error"]
            if errors:
                return [f"sel {cell} yang gagal:", c.source] + [_ANSI.sub("", t) for t in errors[0].get("traceback", [])]
        return []
    except Exception:
        return []


# -- the driver side ----------------------------------------------------------------------
def _check_formats(formats) -> None:
    import importlib.util

    for fmt, module in (("banner", "skmkit.banner"), ("xlsx", "skmkit.workbook")):
        if fmt in formats and importlib.util.find_spec(module) is None:
            raise ParameterError(f"format '{fmt}' belum tersedia: modul {module} tidak ada di skmkit ini. "
                                 f"Perbaikan: pilih dari html, pdf.")


def _remove_partials(out: Path) -> int:
    """Delete half-written files (``.<name>.*.part``) an interrupted batch left behind."""
    n = 0
    for p in out.rglob(".*.part"):
        p.unlink(missing_ok=True)
        n += 1
    return n


def _specs(params, data, by, notebook, formats):
    fmts = None if formats is None else (formats.split(",") if isinstance(formats, str) else list(formats))
    if data is not None and by:
        return units_from_column(data, by, notebook=notebook, params=params, formats=fmts)
    if data is not None and params is None:
        raise ParameterError("DATA butuh --by KOLOM (satu laporan per nilai kolom) atau --params daftar unit.")
    return load_units(params if params is not None else "params", notebook=notebook, data=data, formats=fmts)


def _notebook_params(spec, declared: set, data_rel: str, source_name: str, source_sha: str, workdir: Path) -> dict:
    p = {k: v for k, v in spec.params.items() if k in declared}
    for key in PATH_KEYS[1:]:
        v = p.get(key)
        if isinstance(v, str) and os.path.isabs(v):
            p[key] = os.path.relpath(v, workdir)
        elif key == "previous" and isinstance(v, list):
            p[key] = [dict(i, data=os.path.relpath(i["data"], workdir)) if isinstance(i, dict) and i.get("data")
                      else i for i in v]
    p.update(data=data_rel, unit=spec.unit)
    if spec.by and "by" in declared:  # the slice holds only this unit; earlier periods' pooled files need it
        p["by"] = spec.by
    auto = {"source_name": source_name, "source_sha256": source_sha}
    p.update({k: v for k, v in auto.items() if k in declared})
    return p


def _param_files_sha(params: dict, workdir: Path) -> dict:
    out = {}
    for key in PATH_KEYS[1:]:
        v = params.get(key)
        if isinstance(v, str) and v and (workdir / v).is_file():
            out[key] = _file_sha(workdir / v)
        elif key == "previous" and isinstance(v, list):
            for n, i in enumerate(v):
                if isinstance(i, dict) and i.get("data") and (workdir / i["data"]).is_file():
                    out[f"previous[{n}]"] = _file_sha(workdir / i["data"])
    return out


def _load_state(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _up_to_date(state, input_hash, formats, workdir: Path) -> bool:
    if not state or state.get("status") != "ok" or state.get("input_hash") != input_hash:
        return False
    outs = state.get("outputs", {})
    for fmt in formats:
        o = outs.get(fmt)
        if not o or not (workdir / o["path"]).is_file() or _file_sha(workdir / o["path"]) != o["sha256"]:
            return False
    return True


def _progress(total, enabled):
    from tqdm import tqdm

    bar = tqdm(total=total, disable=not enabled, unit="unit", file=sys.stderr, dynamic_ncols=True,
               bar_format="{bar:24} {n_fmt}/{total_fmt} unit, {desc} [{elapsed}<{remaining}]")
    bar.set_description_str("0 gagal", refresh=False)
    return bar


def batch(params=None, *, data=None, by=None, out="outputs", formats=None, jobs=None, force=False,
          executor="local", scheduler=None, fresh_kernels=False, timeout=600, recycle=25, recap=True,
          notebook=None, progress=True, quiet=False) -> BatchResult:
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
    from .executors import EXECUTORS

    t_start = time.perf_counter()
    notebook = Path(notebook) if notebook else notebook_path()
    if executor not in EXECUTORS:
        raise ParameterError(f"executor '{executor}' tidak dikenal. Perbaikan: pilih dari {', '.join(EXECUTORS)}.")
    specs = _specs(params, data, by, notebook, formats)
    _check_formats({f for s in specs for f in s.formats})
    declared = set(notebook_parameters(notebook))
    out = output_dir(out).resolve()
    dirs = {k: out / "_batch" / k for k in ("data", "notebooks", "logs", "state")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    (out / "laporan").mkdir(exist_ok=True)
    _remove_partials(out)

    common = {"kit": kit_fingerprint(), "notebook": _file_sha(notebook), "notebook_name": notebook.name,
              "template": _tree_sha(Path(__file__).parent / "templates")}
    prepared = split_units(specs)
    records, tasks = {}, []
    for ud in prepared:
        rec, task = _plan_unit(ud, out, dirs, declared, common, notebook, force, fresh_kernels, timeout, recycle)
        records[ud.spec.id] = rec
        if task is not None:
            tasks.append(task)
        elif rec["status"] == "failed":
            _write_state(dirs["state"], rec)
    recap_task = _plan_recap(prepared, records, out, dirs, common, force, fresh_kernels, timeout, recycle) \
        if recap else None
    all_tasks = ([recap_task] if recap_task and recap_task.get("run") else []) + tasks
    if recap_task and not recap_task.get("run"):
        recap_task["record"]["status"] = "skipped"

    bar = _progress(len(prepared), progress and not quiet)
    done_prior = sum(1 for r in records.values() if r["status"] in ("skipped", "failed"))
    failed = sum(1 for r in records.values() if r["status"] == "failed")
    bar.update(done_prior)
    bar.set_description_str(f"{failed} gagal")
    abort_after = int(os.environ.get(_ABORT_ENV, "0") or 0)
    finished = 0
    if all_tasks:
        jobs_n = max(1, min(int(jobs or os.cpu_count() or 1), len(all_tasks)))
        ex = EXECUTORS[executor](jobs_n, scheduler=scheduler, cwd=str(out), warm=not fresh_kernels,
                                 recycle=recycle)
        completed = False
        try:
            for task, res in ex.run(render_task, all_tasks):
                if isinstance(res, BaseException):
                    res = {"id": task["id"], "status": "failed", "outputs": {}, "steps": {}, "duration": None,
                           "cause": f"proses pekerja gagal: {type(res).__name__}: {res}"}
                if task.get("recap"):
                    _finish(recap_task["record"], res, dirs["state"], out, state_name="_rekap")
                    continue
                rec = records[task["id"]]
                _finish(rec, res, dirs["state"], out)
                failed += rec["status"] == "failed"
                bar.set_description_str(f"{failed} gagal", refresh=False)
                bar.update(1)
                finished += 1
                if abort_after and finished >= abort_after:
                    import signal

                    os.kill(os.getpid(), signal.SIGKILL)
            completed = True
        finally:
            ex.close(cancel=not completed)
            bar.close()
    recap_record = recap_task["record"] if recap_task else None
    if recap_record is not None and recap_record["status"] != "failed" and recap_task.get("table") is not None:
        _write_recap_xlsx(recap_task, out, recap_record, prepared)
    result = BatchResult(out=out, units=[records[ud.spec.id] for ud in prepared], recap=recap_record,
                         duration=round(time.perf_counter() - t_start, 3))
    _write_summary(result, prepared)
    _write_manifest(result, common, executor, jobs, fresh_kernels)
    if not quiet:
        print(summary_text(result))
    return result


def _plan_unit(ud: UnitData, out, dirs, declared, common, notebook, force, fresh, timeout, recycle):
    spec = ud.spec
    rec = {"id": spec.id, "unit": spec.unit, "status": None, "cause": ud.error, "cell": None,
           "respondents": ud.rows or None, "ikm": None, "mutu": None, "formats": list(spec.formats),
           "inputs": {"data": {"source": ud.source_name, "source_sha256": ud.source_sha256, "rows": ud.rows}},
           "outputs": {}, "duration_s": None, "log": f"_batch/logs/{spec.id}.log",
           "notebook": f"_batch/notebooks/{spec.id}.ipynb", "input_hash": None}
    if ud.error:
        rec["status"] = "failed"
        _remove_outputs(out, spec)
        write_atomic(out / rec["log"], f"unit: {spec.unit} (id {spec.id})\nGAGAL (data): {ud.error}\n")
        return rec, None
    blob = write_canonical(ud.frame)
    cache = dirs["data"] / f"{spec.id}.parquet"
    if not cache.exists() or cache.read_bytes() != blob:
        write_atomic(cache, blob)
    data_sha = hashlib.sha256(blob).hexdigest()  # = sha256sum of the cache file
    summary = _unit_summary(ud.frame, spec)
    rec.update(summary)
    rel = cache.relative_to(out).as_posix()
    params = check_parameters(notebook, _notebook_params(spec, declared, rel, ud.source_name, ud.source_sha256, out))
    files = _param_files_sha(params, out)
    params_sha = content_hash(_canon_json(params))
    input_hash = content_hash(_canon_json({**common, "params": params, "data": data_sha, "files": files,
                                           "formats": sorted(spec.formats)}))
    rec["inputs"].update({"sha256": data_sha, "cache": rel, "params": params, "params_sha256": params_sha,
                          "notebook_sha256": common["notebook"], "template_sha256": common["template"],
                          "kit": common["kit"], "files": files})
    rec["input_hash"] = input_hash
    outputs = {f: f"laporan/{spec.id}{_EXT[f]}" for f in spec.formats}
    state = _load_state(dirs["state"] / f"{spec.id}.json")
    if not force and _up_to_date(state, input_hash, spec.formats, out):
        rec.update(status="skipped", outputs={f: state["outputs"][f] for f in spec.formats},
                   duration_s=0.0, cause=None)
        return rec, None
    task = {"id": spec.id, "unit": spec.unit, "workdir": str(out), "notebook": str(notebook), "params": params,
            "formats": list(spec.formats), "outputs": outputs, "executed": rec["notebook"], "log": rec["log"],
            "timeout": spec.timeout or timeout, "fresh": fresh, "recycle": recycle}
    return rec, task


def _unit_summary(frame, spec) -> dict:
    from .indices import ikm_table
    from .survey import load_survey

    try:
        survey = load_survey(spec.params.get("survey"), legacy_weight=spec.params.get("legacy_weight"))
        it = ikm_table(frame, survey=survey, ci=None).iloc[0]
        return {"respondents": int(it["respondents"]), "ikm": round(float(it["ikm"]), 2), "mutu": it["mutu"]}
    except Exception:  # the notebook will report the problem
        return {}


def _remove_outputs(out: Path, spec) -> None:
    for ext in _EXT.values():
        (out / "laporan" / f"{spec.id}{ext}").unlink(missing_ok=True)


def _finish(rec, res, state_dir, out, state_name=None) -> None:
    rec["status"] = res["status"]
    rec["cause"] = res.get("cause")
    rec["cell"] = res.get("cell")
    rec["outputs"] = res.get("outputs", {})
    rec["duration_s"] = res.get("duration")
    rec["steps"] = res.get("steps", {})
    if rec["status"] == "failed" and state_name is None:
        for ext in _EXT.values():
            (out / "laporan" / f"{rec['id']}{ext}").unlink(missing_ok=True)
    _write_state(state_dir, rec, state_name)


def _write_state(state_dir, rec, name=None) -> None:
    state = {k: rec.get(k) for k in ("id", "status", "input_hash", "outputs")}
    write_atomic(Path(state_dir) / f"{name or rec['id']}.json", _canon_json(state))


# -- recap -------------------------------------------------------------------------------------
# -- recap -------------------------------------------------------------------------------------
def _plan_recap(prepared, records, out, dirs, common, force, fresh, timeout, recycle):
    nb = notebook_path(RECAP_NOTEBOOK)
    if not nb.exists():
        return None
    frames, rows, labels = [], [], {}
    names = [ud.spec.unit for ud in prepared]
    for ud in prepared:
        label = ud.spec.unit if names.count(ud.spec.unit) == 1 else f"{ud.spec.unit} ({ud.spec.id})"
        labels[ud.spec.id] = label
        rec = records[ud.spec.id]
        rows.append({"id": ud.spec.id, "unit": label, "population": ud.spec.params.get("population"),
                     "status": "data tidak sah" if ud.error else "ok", "cause": ud.error or ""})
        if ud.frame is not None:
            f = ud.frame.copy()
            f["unit"] = label
            f = f.drop(columns=[c for c in f.columns if c not in _RECAP_COLUMNS and not c.startswith("U")])
            frames.append(f)
        del rec
    record = {"id": "_rekap", "unit": "Rekapitulasi", "status": "failed", "cause": None, "outputs": {},
              "duration_s": None, "log": "_batch/logs/_rekap.log", "notebook": "_batch/notebooks/_rekap.ipynb"}
    if not frames:
        record["cause"] = "tidak ada unit dengan data sah."
        return {"run": False, "record": record, "table": None}
    data = pd.concat(frames, ignore_index=True)
    data.attrs = {"skmkit": {"source": "rekap", "columns": {}, "dropped_personal": []}}
    first = prepared[0].spec.params
    table = recap_table(data, population={labels[r["id"]]: r["population"] for r in rows if r["population"]},
                        survey=first.get("survey"))
    blob = write_canonical(data)
    write_atomic(dirs["data"] / "_rekap.parquet", blob) if not (dirs["data"] / "_rekap.parquet").exists() \
        or (dirs["data"] / "_rekap.parquet").read_bytes() != blob else None
    units_csv = pd.DataFrame(rows).to_csv(index=False).encode("utf-8")
    write_atomic(dirs["data"] / "_rekap_units.csv", units_csv)
    declared = set(notebook_parameters(nb))
    params = {"data": "_batch/data/_rekap.parquet", "units": "_batch/data/_rekap_units.csv",
              "institution": first.get("institution", ""), "period": first.get("period", ""),
              "survey": first.get("survey"), "legacy_weight": first.get("legacy_weight")}
    if isinstance(params["survey"], str) and os.path.isabs(params["survey"]):
        params["survey"] = os.path.relpath(params["survey"], out)
    params = {k: v for k, v in params.items() if k in declared and v is not None}
    data_sha, units_sha = hashlib.sha256(blob).hexdigest(), hashlib.sha256(units_csv).hexdigest()
    input_hash = content_hash(_canon_json({**common, "notebook": _file_sha(nb), "params": params,
                                           "data": data_sha, "units": units_sha}))
    record.update(input_hash=input_hash, inputs={"sha256": data_sha, "units_sha256": units_sha,
                                                 "notebook_sha256": _file_sha(nb)})
    wanted = [f for f in ("html", "pdf") if any(f in ud.spec.formats for ud in prepared)] or ["html"]
    outputs = {f: f"rekap_skm{_EXT[f]}" for f in wanted}
    xlsx_ok = (out / "rekap_skm.xlsx").is_file()
    state = _load_state(dirs["state"] / "_rekap.json")
    run = force or not xlsx_ok or not _up_to_date(state, input_hash, list(outputs), out)
    if not run:
        record.update(outputs=state["outputs"], duration_s=0.0)
    task = {"id": "_rekap", "recap": True, "unit": "Rekapitulasi", "workdir": str(out), "notebook": str(nb),
            "params": params, "formats": wanted, "outputs": outputs, "executed": record["notebook"],
            "log": record["log"], "timeout": timeout, "fresh": fresh, "recycle": recycle, "run": run,
            "record": record, "table": table}
    return task


_RECAP_COLUMNS = {"_row", "unit", "layanan", "tanggal", "jenis_kelamin", "usia", "pendidikan", "pekerjaan"}


def _write_recap_xlsx(recap_task, out, record, prepared) -> None:
    import hashlib

    first = prepared[0].spec.params
    blob = recap_xlsx(recap_task["table"], institution=first.get("institution", ""), period=first.get("period", ""))
    path = out / "rekap_skm.xlsx"
    if not path.exists() or path.read_bytes() != blob:
        write_atomic(path, blob)
    record["outputs"]["xlsx"] = {"path": "rekap_skm.xlsx", "sha256": hashlib.sha256(blob).hexdigest(),
                                 "bytes": len(blob)}


# -- summary and manifest ------------------------------------------------------------------------
def summary_frame(result: BatchResult) -> pd.DataFrame:
    """The summary table: one row per unit (and the recap)."""
    rows = []
    for i, u in enumerate(result.units, start=1):
        rows.append({"no": i, "id": u["id"], "unit": u["unit"], "status": u["status"],
                     "responden": u.get("respondents"), "ikm": u.get("ikm"), "mutu": u.get("mutu"),
                     "durasi_s": u.get("duration_s"), "sebab": u.get("cause") or "",
                     "berkas": " ".join(o["path"] for o in u.get("outputs", {}).values()), "log": u["log"]})
    return pd.DataFrame(rows)


def summary_text(result: BatchResult, max_rows: int = 60) -> str:
    """The summary as printed: a table (failed units always shown), then the totals."""
    from .fmt import number

    units = result.units
    shown = units if len(units) <= max_rows else [u for u in units if u["status"] == "failed"]
    header = ["No", "Unit", "Status", "Resp.", "IKM", "Mutu", "Durasi", "Keterangan"]
    rows = []
    for i, u in enumerate(units, start=1):
        if u not in shown:
            continue
        name = u["unit"] if len(u["unit"]) <= 44 else u["unit"][:43] + "\u2026"
        rows.append([str(i), name, STATUS_LABELS[u["status"]],
                     number(u["respondents"]) if u.get("respondents") else "-",
                     number(u["ikm"], 2) if u.get("ikm") is not None else "-", u.get("mutu") or "-",
                     f"{u['duration_s']:.1f} s" if u.get("duration_s") else "-",
                     (u.get("cause") or "")[:110]])
    widths = [max(len(h), *(len(r[j]) for r in rows)) if rows else len(h) for j, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    if len(shown) < len(units):
        lines.append(f"({len(units) - len(shown)} unit berhasil tidak ditampilkan; lihat ringkasan.csv)")
    n = {s: sum(u["status"] == s for u in units) for s in STATUS_LABELS}
    lines.append("")
    lines.append(f"{len(units)} unit: {n['ok']} dibuat, {n['skipped']} tidak berubah (dilewati), "
                 f"{n['failed']} gagal; {result.duration:.1f} detik.")
    if result.recap:
        r = result.recap
        what = {"ok": "dibuat", "skipped": "tidak berubah", "failed": f"GAGAL: {r.get('cause')}"}[r["status"]]
        files = ", ".join(o["path"] for o in r.get("outputs", {}).values()) or "rekap_skm"
        lines.append(f"Rekap: {files} {what}.")
    lines.append(f"Hasil: {result.out}  (ringkasan.csv, manifest.json, log per unit di _batch/logs/)")
    if result.failed:
        lines.append(f"GAGAL: {', '.join(u['id'] for u in result.failed)}. Lihat kolom Keterangan dan log-nya.")
    return "\n".join(lines)


def _write_summary(result: BatchResult, prepared) -> None:
    frame = summary_frame(result)
    write_atomic(result.out / "ringkasan.csv", frame.to_csv(index=False))
    write_atomic(result.out / "ringkasan.json",
                 json.dumps(frame.to_dict("records"), ensure_ascii=False, indent=1, default=_json_default))


def _write_manifest(result: BatchResult, common, executor, jobs, fresh) -> None:
    keep = ("id", "unit", "status", "cause", "cell", "respondents", "ikm", "mutu", "formats", "input_hash",
            "inputs", "outputs", "duration_s", "steps", "log", "notebook")
    manifest = {
        "skmkit": __version__, "kit": common["kit"], "versions": _versions(),
        "notebook": {"name": common["notebook_name"], "sha256": common["notebook"]},
        "template_sha256": common["template"],
        "executor": executor, "jobs": jobs or os.cpu_count(), "fresh_kernels": bool(fresh),
        "units": [{k: u.get(k) for k in keep} for u in result.units],
        "recap": result.recap and {k: result.recap.get(k) for k in keep if k in result.recap},
        "totals": {s: sum(u["status"] == s for u in result.units) for s in STATUS_LABELS},
        "duration_s": result.duration,
    }
    write_atomic(result.out / "manifest.json",
                 json.dumps(manifest, ensure_ascii=False, indent=1, default=_json_default) + "\n")
