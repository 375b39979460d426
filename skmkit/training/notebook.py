"""What a workshop notebook calls besides the checks: set-up, the output folder, showing a chart."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ..hints import Unquoted
from .checks import _PROGRESS
from .editions import notebooks_dir
from .exercises import EXERCISES

__all__ = ["siapkan", "output_dir", "show"]


def output_dir(folder="hasil") -> Path:
    """The folder a workshop notebook writes into (created if needed).

    A relative ``folder`` is taken from the current directory, which in
    JupyterLab is the notebook's own folder: ``hasil/`` lands beside the
    notebook wherever the participant's copy is (``bimtek/peserta/`` inside a
    source checkout included). Only the kit's own source notebooks
    (:func:`notebooks_dir`, a trainer running them in the repository) write to
    a temporary folder instead, so the repository is never written to.
    """
    folder = Path(folder)
    if not folder.is_absolute():
        here = Path.cwd().resolve()
        in_sources = here.is_relative_to(notebooks_dir().resolve())
        folder = (Path(tempfile.gettempdir()) / "skmkit-pelatihan" / folder) if in_sources else here / folder
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def show(ax):
    """Return a chart as an image Jupyter displays (the kit's deterministic PNG).

    skmkit's charts draw on figures outside pyplot, so they are never shown
    by themselves; ``training.show(skmkit.charts.plot_unsur(df))`` shows one.
    """
    from IPython.display import Image

    from ..theme import png_bytes

    return Image(data=png_bytes(ax))


def siapkan() -> None:
    """Set up a workshop notebook: a ``NameError`` in a cell becomes an Indonesian hint.

    ``mutu = B`` (a letter without quotes) prints a hint instead of a
    traceback, leaves ``mutu`` holding the unquoted answer so the check cell
    says the same, and the notebook runs on. A check cell run before its
    exercise cell says which cell to run first. Outside IPython it does
    nothing. See :mod:`skmkit.hints`.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        from .. import hints

        hints.install(shell, _on_name_error)


_CHECK_CALL = re.compile(r"\bcek\(\s*[\"']([A-Za-z0-9_]+)[\"']\s*,\s*([A-Za-z_]\w*)\s*\)")


def _on_name_error(exc: NameError) -> bool:
    """Print a hint for a NameError typed in a cell; False leaves it to Python (see :mod:`skmkit.hints`)."""
    from IPython import get_ipython

    from .. import hints

    where = hints.typed_in_cell(exc)
    if where is None:
        return False
    name, line = where
    mark = "\N{HEAVY MULTIPLICATION X}"
    call = _CHECK_CALL.search(line)
    if call and call.group(2) == name and call.group(1) in EXERCISES:
        _PROGRESS[call.group(1)] = False
        print(f"{mark} Latihan '{call.group(1)}': belum benar: variabel `{name}` belum ada, karena sel latihannya "
              f"belum dijalankan atau berhenti di tengah. Jalankan dulu sel latihan di atas (yang berisi "
              f"`{name} = ...`), lalu jalankan sel cek ini lagi.")
        return True
    print(f"{mark} {hints.name_hint(name, line)}")
    assigned = hints.simple_assignment(line)
    if assigned and assigned[1] == name:  # `mutu = B`: the check cell below gives the same hint
        get_ipython().user_ns[assigned[0]] = Unquoted(name)
    return True
