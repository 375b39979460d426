"""The two editions of the workshop notebooks, from one source.

``"peserta"`` drops cells tagged ``solusi`` or ``pelatih`` and closes the
source of cells tagged ``pembahasan`` (the discussion under an exercise,
whose code would show the answer before the participant tries); ``"pelatih"``
drops cells tagged ``latihan`` (the blank the solution replaces).
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["EDITIONS", "notebooks_dir", "method_path", "workshop_notebooks", "edition", "make_editions"]

#: Tag -> the edition that drops cells carrying it.
_DROPPED = {"peserta": {"solusi", "pelatih"}, "pelatih": {"latihan"}}
#: Tag -> the edition that shows such cells with their source closed (JupyterLab's ``jupyter.source_hidden``).
_CLOSED = {"peserta": {"pembahasan"}, "pelatih": set()}
EDITIONS = tuple(_DROPPED)


def notebooks_dir() -> Path:
    """Folder of the workshop notebooks shipped with skmkit."""
    return Path(str(resources.files("skmkit").joinpath("notebooks", "pelatihan")))


def method_path() -> Path:
    """The method document (``docs/metode.md``, Indonesian), shipped beside the workshop notebooks.

    :func:`make_editions` copies it into each edition's folder, where the
    notebooks link to it.
    """
    return notebooks_dir() / "metode.md"


def workshop_notebooks(source=None) -> list[Path]:
    """The workshop notebooks in session order (``01_*.ipynb`` ... ``06_*.ipynb``)."""
    folder = Path(source) if source else notebooks_dir()
    found = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if not found:
        from ..errors import SkmError

        raise SkmError(f"{folder}: tidak ada notebook pelatihan (01_*.ipynb ...). "
                       "Perbaikan: pasang ulang skmkit atau sebut folder sumber yang benar.")
    return found


def edition(nb, kind: str):
    """Return a new notebook for one edition; the input is not modified.

    ``"peserta"`` drops cells tagged ``solusi`` or ``pelatih`` and closes
    the source of cells tagged ``pembahasan`` (JupyterLab shows a bar to
    click; the cell still runs); ``"pelatih"`` drops cells tagged ``latihan``
    (the blank the solution replaces). Outputs and execution counts are
    cleared; cell ids are kept.
    """
    import copy

    if kind not in _DROPPED:
        raise ValueError(f"edisi harus salah satu dari {', '.join(EDITIONS)}, bukan {kind!r}")
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if not _DROPPED[kind] & set(c.get("metadata", {}).get("tags", []))]
    for cell in out.cells:
        if _CLOSED[kind] & set(cell.get("metadata", {}).get("tags", [])):
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    out.metadata["skmkit"] = {"edisi": kind}
    return out


def make_editions(out, *, source=None, force: bool = False) -> dict[str, list[Path]]:
    """Write the participant and trainer editions of the workshop notebooks.

    Parameters
    ----------
    out : str or Path
        Destination: ``out/peserta/`` and ``out/pelatih/`` are written, each
        with the notebooks and the method document ``metode.md`` they link to.
    source : str or Path, optional
        Folder of the source notebooks; default the ones shipped with skmkit.

    force : bool
        Overwrite notebooks that differ from the new edition (a participant's
        work, for instance). Without it such files stop the command before
        anything is written.

    Returns
    -------
    dict
        ``{"peserta": [paths], "pelatih": [paths]}``. The same sources give
        byte-identical files.

    Raises
    ------
    SkmError
        When a destination notebook exists with other content and ``force``
        is false.
    """
    import nbformat

    from ..errors import SkmError
    from ..files import write_atomic

    out = Path(out)
    planned: list[tuple[str, Path, str]] = []
    for path in workshop_notebooks(source):
        nb = nbformat.read(str(path), as_version=4)
        for kind in EDITIONS:
            text = nbformat.writes(edition(nb, kind))
            planned.append((kind, out / kind / path.name, text if text.endswith("\n") else text + "\n"))
    changed = [p for _, p, text in planned if p.exists() and p.read_text(encoding="utf-8") != text]
    if changed and not force:
        raise SkmError(f"{len(changed)} notebook di {out} sudah ada dan isinya berbeda (mis. {changed[0]}); "
                       "mungkin berisi pekerjaan peserta. Perbaikan: pakai folder lain, atau --force untuk menimpa.")
    written: dict[str, list[Path]] = {kind: [] for kind in EDITIONS}
    for kind, dest, text in planned:
        written[kind].append(write_atomic(dest, text))
    method = method_path().read_bytes()  # the kit's document, not a participant's work: always refreshed
    for kind in EDITIONS:
        write_atomic(out / kind / method_path().name, method)
    return written
