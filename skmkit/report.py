"""The unit report pipeline, one named step per function, read top to bottom:

load parameters -> check them -> parameterise -> execute (papermill) ->
check cell errors -> export HTML (nbconvert, kit template) -> export PDF
(WeasyPrint, from that same HTML) -> write outputs atomically.

Tests, notebooks and the batch call each step alone; :func:`render_report`
chains them for one unit.
"""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import nbformat

from .errors import ParameterError, ReportError

__all__ = [
    "REPORT_NOTEBOOK", "notebook_path", "slugify", "notebook_parameters", "check_parameters",
    "parameterize", "execute", "check_cell_errors", "user_cell_index", "stable_notebook", "export_html",
    "export_pdf", "write_atomic", "load_params", "render_report", "ReportResult",
]

REPORT_NOTEBOOK = "laporan_skm.ipynb"
#: A parameter whose comment contains this word must be given.
REQUIRED_MARK = "wajib"


def notebook_path(name: str = REPORT_NOTEBOOK) -> Path:
    """Path of a kit notebook (``laporan_skm.ipynb``, ``rekap_skm.ipynb``, ...)."""
    return Path(str(resources.files("skmkit").joinpath("notebooks", name)))


def slugify(text: str) -> str:
    """A file-name slug: ``"Dinas Kesehatan (UPT)"`` -> ``"dinas-kesehatan-upt"``."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "unit"


def notebook_parameters(notebook) -> dict:
    """The parameters a notebook declares: name -> {default, help, required}."""
    import papermill

    declared = papermill.inspect_notebook(str(notebook))
    return {name: {"default": p["default"], "help": p.get("help", ""),
                   "required": REQUIRED_MARK in (p.get("help") or "").lower()}
            for name, p in declared.items()}


def check_parameters(notebook, params: dict) -> dict:
    """Refuse unknown or missing parameters before any kernel starts.

    Raises
    ------
    ParameterError
        Naming the parameter and the notebook.
    """
    declared = notebook_parameters(notebook)
    name = Path(notebook).name
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise ParameterError(f"{name}: parameter tidak dikenal: {', '.join(unknown)}. "
                             f"Perbaikan: pakai salah satu dari {', '.join(declared)}.")
    missing = [k for k, d in declared.items() if d["required"] and params.get(k) in (None, "")]
    if missing:
        raise ParameterError(f"{name}: parameter wajib belum diisi: {', '.join(missing)}.")
    _check_values(name, params)
    return dict(params)


def _check_values(name: str, params: dict) -> None:
    """Values of the well-known parameters, checked before a kernel starts."""
    from datetime import date

    for key in ("period_start", "period_end", "report_date"):
        value = params.get(key)
        if value not in (None, ""):
            try:
                date.fromisoformat(str(value)[:10])
            except ValueError:
                raise ParameterError(f"{name}: {key} '{value}' bukan tanggal. Perbaikan: tulis YYYY-MM-DD, "
                                     "mis. 2026-06-30.") from None
    population = params.get("population")
    if population not in (None, ""):
        try:
            ok = float(population) == int(float(population)) and int(float(population)) > 0
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise ParameterError(f"{name}: population '{population}' harus bilangan bulat positif "
                                 "(jumlah pengguna layanan dalam periode).")
    weight = params.get("legacy_weight")
    if weight not in (None, "") and str(weight).strip() not in ("0.111", "0.11"):
        raise ParameterError(f"{name}: legacy_weight '{weight}' tidak dikenal. Perbaikan: 0.111, 0.11 atau kosong.")


def parameterize(notebook, params: dict):
    """Return the notebook with an ``injected-parameters`` cell (papermill's own)."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = parameterize_notebook(load_notebook_node(str(notebook)), params, report_mode=False)
    for cell in nb.cells:  # papermill gives its cell a random id; outputs must not vary
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    return nb


#: ipykernel warns on every start that local TCP is unencrypted; the kernel is
#: ours and on this machine, and the warning alarmed workshop participants.
_QUIET_KERNEL = ["--IPKernelApp.log_level=ERROR"]


def execute(nb, *, output=None, cwd=None, kernel_name="python3", timeout=600, km=None, save_each_cell=True):
    """Execute a parameterised notebook with papermill; return the executed notebook.

    A cell error does not raise here: papermill marks the failing cell and the
    notebook (saved to ``output``) is returned for :func:`check_cell_errors`.
    ``km``: a running kernel manager to reuse (the batch's warm kernels).
    ``save_each_cell=False`` writes ``output`` once at the end (or on error)
    instead of after every cell (about 2 s per report saved in the batch).
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    kwargs = {"km": km} if km is not None else {"extra_arguments": _QUIET_KERNEL}
    try:
        return papermill.execute_notebook(
            nb, str(output) if output else None, kernel_name=kernel_name, progress_bar=False,
            cwd=str(cwd) if cwd else None, execution_timeout=timeout,
            request_save_on_cell_execute=save_each_cell, **kwargs)
    except PapermillExecutionError:
        if output and Path(output).exists():
            return nbformat.read(str(output), as_version=4)
        raise


#: Cells papermill adds to a notebook (not the user's): parameters and error banners.
_PAPERMILL_TAGS = {"injected-parameters", "papermill-error-cell-tag"}


def _is_papermill_cell(cell) -> bool:
    return bool(_PAPERMILL_TAGS & set(cell.get("metadata", {}).get("tags", [])))


def user_cell_index(nb, index: int) -> int:
    """The index in the user's notebook of cell ``index`` of an executed notebook.

    Papermill's injected-parameters cell and error banners are not counted.
    """
    return sum(1 for c in nb.cells[:index] if not _is_papermill_cell(c))


def check_cell_errors(nb, *, unit: str, notebook: str = REPORT_NOTEBOOK, output=None) -> None:
    """Raise :class:`ReportError` naming the unit, cell and error of the first failed cell.

    ``cell`` counts cells of the user's notebook (from 0), as the analyst
    sees them in Jupyter: papermill's injected cells are not counted.
    """
    for index, cell in enumerate(nb.cells):
        if _is_papermill_cell(cell):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                raise ReportError(unit=unit, notebook=notebook, cell=user_cell_index(nb, index),
                                  ename=out.get("ename", ""), evalue=_ANSI.sub("", out.get("evalue", "")),
                                  output=str(output) if output else None)


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_VOLATILE = ("start_time", "end_time", "duration", "input_path", "output_path")


def stable_notebook(nb):
    """Return a copy of an executed notebook without run times or absolute paths.

    Papermill records start/end times and the input/output paths; the copy
    drops them, so the same inputs give the same ``.ipynb`` bytes.
    """
    import copy

    nb = copy.deepcopy(nb)
    pm = nb.metadata.get("papermill", {})
    for key in _VOLATILE:
        pm.pop(key, None)
    for i, cell in enumerate(nb.cells):
        if _is_papermill_cell(cell) and "injected-parameters" not in cell.metadata.get("tags", []):
            cell["id"] = f"papermill-{i:02d}"  # error banners get random ids
        cpm = cell.get("metadata", {}).get("papermill")
        if cpm is not None:
            for key in _VOLATILE:
                cpm.pop(key, None)
        cell.get("metadata", {}).pop("execution", None)
    return nb


def export_html(nb, *, title=None) -> str:
    """Export an executed notebook to one self-contained HTML file (kit template)."""
    from .render import SkmHTMLExporter

    resources = {"metadata": {"name": title}} if title else None
    body, _ = SkmHTMLExporter().from_notebook_node(nb, resources=resources)
    return body


def export_pdf(html: str, *, engine: str = "weasyprint") -> bytes:
    """Render the report HTML to PDF (WeasyPrint by default; same look as the HTML)."""
    from .render import html_to_pdf

    return html_to_pdf(html, engine=engine)


def _unwritable(folder, exc: OSError) -> ParameterError:
    blocker = next((p for p in (Path(folder), *Path(folder).parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        return ParameterError(f"folder keluaran '{folder}': '{blocker}' adalah berkas, bukan folder. "
                              "Perbaikan: pilih folder lain (atau nama baru) dengan --out.")
    return ParameterError(f"folder keluaran '{folder}' tidak bisa ditulisi ({exc.strerror or type(exc).__name__}). "
                          "Perbaikan: pilih folder yang bisa ditulisi dengan --out.")


def output_dir(out) -> Path:
    """The output folder, created when missing; one clear error when it is a file or read-only.

    Raises
    ------
    ParameterError
        When ``out`` is a file, lies under a file, or cannot be written.
    """
    path = Path(out)
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".skmkit-", suffix=".part", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise _unwritable(out, exc) from None
    return path


def write_atomic(path, data) -> Path:
    """Write bytes or text so the file appears whole or not at all (write, then rename)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:  # a file where the folder should be, a read-only folder
        raise _unwritable(path.parent, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; reports are for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@dataclass
class ReportResult:
    """What :func:`render_report` wrote for one unit."""

    unit: str
    slug: str
    notebook: Path
    outputs: dict = field(default_factory=dict)


def load_params(params) -> dict:
    """Notebook parameters from a dict or a YAML file (a mapping of name -> value).

    Raises
    ------
    ParameterError
        When the file is missing, is not YAML, or is not a mapping.
    """
    if params is None:
        return {}
    if isinstance(params, dict):
        return dict(params)
    import yaml

    path = Path(params)
    if not path.is_file():
        raise ParameterError(f"{path}: berkas parameter tidak ada. Perbaikan: periksa path --params.")
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: YAML tidak valid ({str(exc).splitlines()[0]}).") from None
    if not isinstance(loaded, dict):
        raise ParameterError(f"{path}: isi harus pemetaan 'nama: nilai' (mis. period: Semester I 2026).")
    return loaded


def _relative_inputs(params: dict, workdir: Path, base: Path) -> dict:
    """Input paths made relative to the kernel's working directory (no absolute paths in outputs)."""
    def rel(value):
        p = Path(str(value))
        p = p if p.is_absolute() else (base / p)
        if not p.exists():
            raise ParameterError(f"berkas '{value}' tidak ada. Perbaikan: periksa path-nya.")
        if p.is_dir():
            raise ParameterError(f"'{value}' adalah folder, bukan berkas. Perbaikan: sebut berkas di dalamnya.")
        return os.path.relpath(p.resolve(), workdir.resolve())

    out = dict(params)
    for key in ("data", "survey", "logo"):
        if out.get(key):
            out[key] = rel(out[key])
    for key in ("previous", "rtl"):
        value = out.get(key)
        if isinstance(value, str) and value:
            out[key] = rel(value)
        elif key == "previous" and isinstance(value, list):
            out[key] = [dict(item, data=rel(item["data"])) if isinstance(item, dict) and item.get("data")
                        else item for item in value]
    return out


def _check_unit(params: dict, base: Path) -> None:
    """The unit exists in its pooled file (a clear error before a kernel starts)."""
    from .api import select_unit
    from .read import read_responses
    from .survey import load_survey

    survey = params.get("survey")
    if survey and not Path(str(survey)).is_absolute():
        survey = base / str(survey)
    data = read_responses(params["data"], survey=load_survey(survey, legacy_weight=params.get("legacy_weight")))
    select_unit(data, params["unit"], params["by"])


def render_report(data, *, unit=None, by=None, params=None, out="outputs", formats=("html", "pdf"),
                  notebook=None, km=None, timeout=600, slug=None, engine="weasyprint") -> ReportResult:
    """Render one unit's report: executed notebook, HTML and PDF.

    Parameters
    ----------
    data : str or Path
        The survey file: one unit's, or a pooled file with ``by`` and ``unit``.
    unit : str, optional
        The unit's name (the value of its ``by`` column in a pooled file).
    by : str, optional
        The unit column of a pooled file, as its header stands.
    params : dict or path, optional
        Further notebook parameters (institution, period, population, ...),
        or a YAML file holding them. Relative file paths inside (``survey``,
        ``previous`` data) are read relative to the YAML file.
    out : str or Path
        Output folder: ``<slug>.ipynb``, ``<slug>.html``, ``<slug>.pdf``.
    formats : sequence of {"html", "pdf"}
    notebook : path, optional
        Another report notebook (default ``laporan_skm.ipynb``).
    km : jupyter_client KernelManager, optional
        A running kernel to reuse.
    slug : str, optional
        Output file name stem (default: the unit name slugified).
    engine : {"weasyprint", "chromium"}
        PDF engine.

    Returns
    -------
    ReportResult

    Raises
    ------
    ParameterError
        Unknown or missing parameters, a missing file, or a bad format,
        before any kernel starts.
    ReportError
        A notebook cell failed: unit, cell and error; the executed notebook
        is kept (papermill's banner marks the failing cell).

    Examples
    --------
    >>> from skmkit import sample_data_path
    >>> r = render_report(sample_data_path(), unit="Dinas Sosial", by="Unit Layanan",
    ...                   params={"period": "Semester I 2026", "population": 4000},
    ...                   out="laporan")  # doctest: +SKIP
    >>> sorted(r.outputs)  # doctest: +SKIP
    ['html', 'pdf']
    """
    formats = tuple(formats)
    bad = sorted(set(formats) - {"html", "pdf"})
    if bad:
        raise ParameterError(f"format '{', '.join(bad)}' tidak dikenal. Perbaikan: pakai html, pdf.")
    notebook = Path(notebook) if notebook else notebook_path()
    base = Path(params).parent if isinstance(params, (str, Path)) else Path.cwd()
    params = load_params(params)
    params["data"] = str(Path(data).resolve())
    if unit is not None:
        params["unit"] = unit
    if by is not None:
        params["by"] = by
    if params.get("by") and params.get("unit") in (None, ""):
        raise ParameterError(f"--by {params['by']} butuh --unit NILAI (unit mana yang dilaporkan).")
    params = check_parameters(notebook, params)
    if params.get("by"):
        _check_unit(params, base)
    unit_name = str(params.get("unit") or Path(data).stem)
    slug = slugify(slug or unit_name)
    out = output_dir(out)
    params = _relative_inputs(params, out, base)
    executed_path = out / f"{slug}.ipynb"
    nb = parameterize(notebook, params)
    nb = execute(nb, output=executed_path, cwd=out, km=km, timeout=timeout)
    nb = stable_notebook(nb)
    write_atomic(executed_path, nbformat.writes(nb) + "\n")
    check_cell_errors(nb, unit=unit_name, notebook=notebook.name, output=executed_path)
    result = ReportResult(unit=unit_name, slug=slug, notebook=executed_path)
    title = " \u2014 ".join(x for x in ("Laporan Hasil SKM", unit_name, str(params.get("period") or "")) if x)
    html = export_html(nb, title=title)
    if "html" in formats:
        result.outputs["html"] = write_atomic(out / f"{slug}.html", html)
    if "pdf" in formats:
        result.outputs["pdf"] = write_atomic(out / f"{slug}.pdf", export_pdf(html, engine=engine))
    return result
