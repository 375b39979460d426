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
    "parameterize", "execute", "check_cell_errors", "export_html", "export_pdf",
    "write_atomic", "render_report", "ReportResult",
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
    return dict(params)


def parameterize(notebook, params: dict):
    """Return the notebook with an ``injected-parameters`` cell (papermill's own)."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    return parameterize_notebook(load_notebook_node(str(notebook)), params, report_mode=False)


def execute(nb, *, output=None, cwd=None, kernel_name="python3", timeout=600, km=None):
    """Execute a parameterised notebook with papermill; return the executed notebook.

    A cell error does not raise here: papermill marks the failing cell and the
    notebook (saved to ``output``) is returned for :func:`check_cell_errors`.
    ``km``: a running kernel manager to reuse (the batch's warm kernels).
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    kwargs = {"km": km} if km is not None else {}
    try:
        return papermill.execute_notebook(
            nb, str(output) if output else None, kernel_name=kernel_name, progress_bar=False,
            cwd=str(cwd) if cwd else None, execution_timeout=timeout, **kwargs)
    except PapermillExecutionError:
        if output and Path(output).exists():
            return nbformat.read(str(output), as_version=4)
        raise


def check_cell_errors(nb, *, unit: str, notebook: str = REPORT_NOTEBOOK, output=None) -> None:
    """Raise :class:`ReportError` naming the unit, cell and error of the first failed cell."""
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                raise ReportError(unit=unit, notebook=notebook, cell=index, ename=out.get("ename", ""),
                                  evalue=out.get("evalue", ""), output=str(output) if output else None)


def export_html(nb) -> str:
    """Export an executed notebook to one self-contained HTML file (kit template)."""
    from .render import SkmHTMLExporter

    body, _ = SkmHTMLExporter().from_notebook_node(nb)
    return body


def export_pdf(html: str) -> bytes:
    """Render the report HTML to PDF with WeasyPrint (same look as the HTML)."""
    from .render import html_to_pdf

    return html_to_pdf(html)


def write_atomic(path, data) -> Path:
    """Write bytes or text so the file appears whole or not at all (write, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
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


def render_report(data, *, unit=None, by=None, params=None, out="outputs", formats=("html", "pdf"),
                  notebook=None, km=None, timeout=600) -> ReportResult:
    """Render one unit's report: executed notebook, HTML and PDF.

    Parameters
    ----------
    data : str or Path
        The survey file: one unit's, or a pooled file with ``by`` and ``unit``.
    unit : str, optional
        The unit's name (the value of its ``by`` column in a pooled file).
    by : str, optional
        The unit column of a pooled file, as its header stands.
    params : dict, optional
        Further notebook parameters (institution, period, population, ...).
    out : str or Path
        Output folder: ``<slug>.ipynb``, ``<slug>.html``, ``<slug>.pdf``.
    formats : sequence of {"html", "pdf"}
    """
    notebook = Path(notebook) if notebook else notebook_path()
    params = dict(params or {})
    params["data"] = str(Path(data).resolve())
    if unit is not None:
        params["unit"] = unit
    if by is not None:
        params["by"] = by
    params = check_parameters(notebook, params)
    unit_name = params.get("unit") or Path(data).stem
    slug = slugify(params.get("slug") or unit_name) if "slug" not in params else params["slug"]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    executed_path = out / f"{slug}.ipynb"
    nb = parameterize(notebook, params)
    nb = execute(nb, output=executed_path, cwd=out, km=km, timeout=timeout)
    check_cell_errors(nb, unit=unit_name, notebook=notebook.name, output=executed_path)
    result = ReportResult(unit=unit_name, slug=slug, notebook=executed_path)
    html = export_html(nb) if {"html", "pdf"} & set(formats) else None
    if "html" in formats:
        result.outputs["html"] = write_atomic(out / f"{slug}.html", html)
    if "pdf" in formats:
        result.outputs["pdf"] = write_atomic(out / f"{slug}.pdf", export_pdf(html))
    return result
