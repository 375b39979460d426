"""The notebook pipeline, one named step per function, read top to bottom:

check parameters -> parameterise -> execute (papermill) -> keep the executed
notebook -> check cell errors -> export HTML (nbconvert, kit template) ->
export PDF (WeasyPrint, from that same HTML) -> export Word (DOCX, from that
same HTML) -> write outputs atomically.

:func:`render_notebook` chains the steps for any kit notebook (the unit report
``laporan_skm.ipynb``, the recap ``rekap_skm.ipynb``); it is the only chain:
:func:`render_report` (``skmkit report``), the batch's worker and its recap
call it. Tests and notebooks call each step alone.
"""
from __future__ import annotations

import ast
import gc
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .quickimport import skip_iri_grammar

skip_iri_grammar()  # before nbformat imports jsonschema (see skmkit/quickimport.py)

import nbformat  # noqa: E402

from . import schema
from .browser import PdfUnavailableError
from .errors import ParameterError, ReportError
from .files import output_dir, slugify, write_atomic
from .fmt import number
from .prepared import PreparedUnit, prepare_unit
from .workbook import workbook_bytes
from .yamltext import safe_load

__all__ = [
    "REPORT_NOTEBOOK", "RECAP_NOTEBOOK", "notebook_path", "notebook_parameters", "check_parameters",
    "parameterize", "execute", "check_cell_errors", "user_cell_index", "stable_notebook", "export_html",
    "export_pdf", "export_docx", "load_params", "render_notebook", "Rendered", "render_report", "ReportResult",
    "with_annex_workbook",
]

REPORT_NOTEBOOK = "laporan_skm.ipynb"
RECAP_NOTEBOOK = "rekap_skm.ipynb"
#: Output formats a notebook renders to (the batch's unit formats add banner and xlsx to these).
NOTEBOOK_FORMATS = ("html", "pdf", "docx")


def notebook_path(name: str = REPORT_NOTEBOOK) -> Path:
    """Path of a kit notebook (``laporan_skm.ipynb``, ``rekap_skm.ipynb``, ...)."""
    return Path(str(resources.files("skmkit").joinpath("notebooks", name)))


def notebook_parameters(notebook) -> dict:
    """The parameters a notebook declares: name -> {default, help, required}.

    ``required`` comes from the schema (:mod:`skmkit.schema`), not from the
    notebook's comments.
    """
    import papermill

    declared = papermill.inspect_notebook(str(notebook))
    required = set(schema.required_of(declared))
    return {name: {"default": p["default"], "help": p.get("help", ""), "required": name in required}
            for name, p in declared.items()}


def check_parameters(notebook, params: dict, *, where: str | None = None) -> dict:
    """Check parameters against the notebook's declared names and the schema, before any kernel starts.

    Returns the normalised values (:func:`skmkit.schema.check`).

    Raises
    ------
    ParameterError
        One line per problem, naming the notebook (or ``where``) and the parameter.
    """
    declared = notebook_parameters(notebook)
    return schema.check(params, where=where or Path(notebook).name, known=[*declared, *sorted(schema.EXPORT_KEYS)],
                        required=schema.required_of(declared))


def _is_text(default: str) -> bool:
    """Whether a parameter's stored default (its source text) is a string literal."""
    try:
        return isinstance(ast.literal_eval(default), str)
    except (ValueError, SyntaxError):
        return False


def parameterize(notebook, params: dict):
    """Return the notebook with an ``injected-parameters`` cell (papermill's own)."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    # Every declared parameter is injected: the stored defaults show the bundled sample for a hand run,
    # and must never reach a report ("" for a text parameter, None for the rest, when not given).
    blank = {k: "" if _is_text(d["default"]) else None for k, d in notebook_parameters(notebook).items()}
    nb = parameterize_notebook(load_notebook_node(str(notebook)), {**blank, **params}, report_mode=False)
    for cell in nb.cells:  # papermill gives its cell a random id; outputs must not vary
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    return nb


#: ipykernel warns on every start that local TCP is unencrypted, and jupyter_client
#: 8 interrupts the kernel before shutting it down, which ipykernel 7 logs as
#: "ERROR | KeyboardInterrupt caught in kernel" after every report. Both alarmed
#: users; cell errors reach them through the notebook, not this log.
_QUIET_KERNEL = ["--IPKernelApp.log_level=CRITICAL"]


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


_exporters = threading.local()


def export_html(nb, *, title=None) -> str:
    """Export an executed notebook to one self-contained HTML file (kit template).

    One exporter per thread: its template loads once (the batch renders many).
    """
    exporter = getattr(_exporters, "html", None)
    if exporter is None:
        from .exporters import SkmHTMLExporter  # nbconvert: not needed to plan a batch

        exporter = _exporters.html = SkmHTMLExporter()
    with _relaxed_gc():
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}} if title else None)
    return body


def export_pdf(html: str, *, engine: str = "weasyprint") -> bytes:
    """Render the report HTML to PDF (WeasyPrint by default; same look as the HTML)."""
    from .exporters import html_to_pdf

    with _relaxed_gc():
        return html_to_pdf(html, engine=engine)


def export_docx(html: str, *, reference_doc=None) -> bytes:
    """Write the report HTML as the Word edition (:func:`skmkit.word.html_to_docx`)."""
    from .word import html_to_docx

    with _relaxed_gc():
        return html_to_docx(html, reference_doc=reference_doc)


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
        loaded = safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{path}: YAML tidak valid ({str(exc).splitlines()[0]}).") from None
    if not isinstance(loaded, dict):
        raise ParameterError(f"{path}: isi harus pemetaan 'nama: nilai' (mis. period: Semester I 2026).")
    return loaded


@dataclass
class Rendered:
    """What :func:`render_notebook` made: the executed notebook, the files written and each step's seconds."""

    notebook: object
    outputs: dict = field(default_factory=dict)
    blobs: dict = field(default_factory=dict)
    steps: dict = field(default_factory=dict)


def render_notebook(notebook, params: dict, *, workdir, executed, unit: str, formats=NOTEBOOK_FORMATS,
                    outputs: dict | None = None, km=None, timeout=600, engine: str = "weasyprint",
                    reference_doc=None) -> Rendered:
    """The one pipeline: parameterise, execute, keep, check, export HTML, PDF and Word, write atomically.

    Parameters
    ----------
    notebook : path
        A kit notebook (or an analyst's copy).
    params : dict
        Checked parameters (:func:`check_parameters`), file paths relative to ``workdir``.
    workdir : path
        The kernel's working directory.
    executed : path
        Where the executed notebook is kept (also when a cell fails).
    unit : str
        Named in a :class:`ReportError`. The document's title comes from the
        notebook itself (:func:`skmkit.html.title_marker`), as it does when
        the notebook is exported by hand.
    formats : sequence of {"html", "pdf", "docx"}
        What to make (``Rendered.blobs``).
    outputs : dict, optional
        Format -> path to write atomically (``Rendered.outputs``).
    km : jupyter_client KernelManager, optional
        A running kernel to reuse (the batch's warm kernels).
    reference_doc : path, optional
        The office's reference ``.docx`` for the Word edition (default: the kit's).

    Raises
    ------
    ReportError
        A cell failed: unit, cell and error; the executed notebook is kept.
    """
    steps: dict[str, float] = {}
    t = time.perf_counter()
    nb = parameterize(notebook, params)
    nb = execute(nb, output=executed, cwd=workdir, km=km, timeout=timeout, save_each_cell=False)
    nb = stable_notebook(nb)
    write_atomic(executed, nbformat.writes(nb) + "\n")
    steps["eksekusi"] = round(time.perf_counter() - t, 3)
    check_cell_errors(nb, unit=unit, notebook=Path(notebook).name, output=executed)
    result = Rendered(notebook=nb, steps=steps)
    t = time.perf_counter()
    html = export_html(nb)
    steps["html"] = round(time.perf_counter() - t, 3)
    result.blobs["html"] = html.encode("utf-8")
    if "pdf" in formats:
        t = time.perf_counter()
        try:
            result.blobs["pdf"] = export_pdf(html, engine=engine)
        except PdfUnavailableError as exc:  # no PDF engine here: leave the HTML to print from a browser
            pdf_path = (outputs or {}).get("pdf")
            if pdf_path is None:
                raise
            kept = write_atomic(Path(pdf_path).with_suffix(".html"), result.blobs["html"])
            raise PdfUnavailableError(f"{exc} Berkas HTML: {kept}") from None
        steps["pdf"] = round(time.perf_counter() - t, 3)
    if "docx" in formats:
        t = time.perf_counter()
        result.blobs["docx"] = export_docx(html, reference_doc=reference_doc)
        steps["docx"] = round(time.perf_counter() - t, 3)
    for fmt, path in (outputs or {}).items():
        result.outputs[fmt] = write_atomic(path, result.blobs[fmt])
    return result


def with_annex_workbook(formats, unit: PreparedUnit) -> list:
    """The unit's formats, with its workbook when its report leaves each respondent's scores to it.

    A report of a unit over the annex limit (:attr:`PreparedUnit.annex_in_report`) says
    that the workbook's Tabulasi sheet holds the scores: ``skmkit report`` and the
    batch make that workbook, named as the report is (``<name>.xlsx``).
    """
    formats = list(formats)
    if not unit.annex_in_report and "xlsx" not in formats and set(NOTEBOOK_FORMATS) & set(formats):
        formats.append("xlsx")
    return formats


def annex_workbook_note(unit: PreparedUnit) -> str:
    """Why a report's workbook was written although not asked for (one Indonesian line)."""
    return (f"buku kerja XLSX ikut ditulis: unit ini punya {number(unit.summary['respondents'])} responden, "
            f"lebih dari batas lampiran {number(unit.annex_limit)} (annex_limit), jadi Lampiran 4 laporan "
            "merujuk ke lembar Tabulasi buku kerja ini untuk nilai tiap responden.")


@dataclass
class ReportResult:
    """What :func:`render_report` wrote for one unit (``notes``: why a file not asked for was written)."""

    unit: str
    slug: str
    notebook: Path
    outputs: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)


def render_report(data, *, unit=None, by=None, params=None, out="outputs", formats=("html", "pdf"),
                  notebook=None, km=None, timeout=600, slug=None, engine="weasyprint", reference_doc=None,
                  **parameters) -> ReportResult:
    """Render one unit's report: executed notebook, HTML, PDF and (asked for) the Word edition.

    Parameters
    ----------
    data : str or Path
        The survey file: one unit's, or a pooled file with ``unit``.
    unit : str, optional
        The unit's name, looked up in ``by`` or else in the recognised unit
        column (case and spacing do not matter). A pooled file without it is
        refused with the list of its units.
    by : str, optional
        The unit column of a pooled file, as its header stands.
    params : dict or path, optional
        Further notebook parameters, or a YAML file holding them. Relative
        file paths inside (``survey``, ``previous`` data, ``logo``) are read
        relative to the YAML file; those given as arguments (flags),
        relative to the current folder.
    out : str or Path
        Output folder: ``<slug>.ipynb``, ``<slug>.html``, ``<slug>.pdf``, ``<slug>.docx``; and
        ``<slug>.xlsx`` for a unit over ``annex_limit``, whose report sends readers to that
        workbook (:func:`with_annex_workbook`; ``ReportResult.notes`` says why).
    formats : sequence of {"html", "pdf", "docx"}
    notebook : path, optional
        Another report notebook (default ``laporan_skm.ipynb``).
    km : jupyter_client KernelManager, optional
        A running kernel to reuse.
    slug : str, optional
        Output file name stem (default: the unit name slugified).
    engine : {"weasyprint", "chromium"}
        PDF engine.
    reference_doc : path, optional
        The office's reference ``.docx`` (kop surat, fonts, margins) for the
        Word edition, or ``params``' ``reference_doc`` key (relative to that
        file); default: the kit's (:func:`skmkit.word.reference_document`).
    **parameters
        Notebook parameters by name (``period``, ``population``, ``head_name``,
        ...: see :data:`skmkit.schema.SCHEMA`); they override ``params``.

    Returns
    -------
    ReportResult

    Raises
    ------
    ParameterError
        Unknown, missing or bad parameters, a missing file, a unit not in the
        file, or a bad format, before any kernel starts.
    ReportError
        A notebook cell failed: unit, cell and error; the executed notebook
        is kept (papermill's banner marks the failing cell).

    Examples
    --------
    >>> from skmkit import sample_data_path
    >>> r = render_report(sample_data_path(), unit="Dinas Sosial", period="Semester I 2026",
    ...                   population=4000, out="laporan")  # doctest: +SKIP
    >>> sorted(r.outputs)  # doctest: +SKIP
    ['html', 'pdf']
    """
    formats = tuple(formats)
    bad = sorted(set(formats) - set(NOTEBOOK_FORMATS))
    if bad or not formats:
        raise ParameterError(f"format '{', '.join(bad) or '(kosong)'}' tidak dikenal. Perbaikan: pakai satu atau "
                             f"lebih dari {', '.join(NOTEBOOK_FORMATS)}, dipisah koma (mis. html,pdf,docx).")
    notebook = Path(notebook) if notebook else notebook_path()
    base = Path(params).parent if isinstance(params, (str, Path)) else Path.cwd()
    where = Path(params).name if isinstance(params, (str, Path)) else "parameter"
    values = load_params(params)
    given = {k: v for k, v in {**parameters, "reference_doc": reference_doc}.items() if v is not None}
    values.update(given)
    values.update(data=str(Path(data).resolve()) if data is not None else values.get("data"))
    values.update({k: v for k, v in (("unit", unit), ("by", by)) if v is not None})
    values = check_parameters(notebook, values, where=where)
    # a file named in ``params`` is read from that file's folder; one given here (a flag) from the current one
    values = {**schema.resolve_paths({k: v for k, v in values.items() if k not in given}, base, where=where),
              **schema.resolve_paths({k: v for k, v in values.items() if k in given}, Path.cwd(), where="argumen")}
    exports = {k: values.pop(k) for k in schema.EXPORT_KEYS if k in values}  # the exporters', not the kernel's
    out = output_dir(out)
    prepared = _prepare(values, out, where)  # as the kernel will: the name, the annex, the workbook
    name = prepared.unit
    if values.get("unit") is not None:
        values["unit"] = name
    slug = slugify(slug or name)
    executed = out / f"{slug}.ipynb"
    rendered = render_notebook(notebook, schema.relative_paths(values, out), workdir=out, executed=executed,
                               formats=formats, outputs={f: out / f"{slug}.{f}" for f in formats}, unit=name,
                               km=km, timeout=timeout, engine=engine, **exports)
    result = ReportResult(unit=name, slug=slug, notebook=executed, outputs=rendered.outputs)
    if "xlsx" in with_annex_workbook(formats, prepared):  # the report sends readers to it
        result.outputs["xlsx"] = write_atomic(out / f"{slug}.xlsx", workbook_bytes(prepared))
        result.notes.append(annex_workbook_note(prepared))
    return result


def _prepare(values: dict, workdir: Path, where: str) -> PreparedUnit:
    """The unit as the report's kernel, started in ``workdir``, prepares it from these parameters."""
    given = {k: v for k, v in schema.relative_paths(values, workdir).items() if k in schema.SCHEMA}
    return prepare_unit(**given, workdir=workdir, where=where)
