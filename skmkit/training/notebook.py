"""What a workshop notebook calls besides the checks: set-up, the output folder, showing a chart."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ..hints import Unquoted
from .checks import _PROGRESS
from .editions import notebooks_dir
from .exercises import EXERCISES

__all__ = ["siapkan", "output_dir", "show", "display_number"]

#: Decimals a table shows at most (the kit's reports show 2; a workshop compares unrounded values).
_TABLE_DECIMALS = 4


def display_number(value) -> str:
    """A float as pandas tables show it in the workshop: the kit's Indonesian style (:func:`skmkit.fmt.number`).

    A whole number has no decimals (``687.0`` -> ``687``), any other four
    (``3.302885`` -> ``3,3029``, ``3.75`` -> ``3,7500``), rounded half-up,
    so a table beside the kit's ``86,32`` speaks the same style and a column
    of NRR lines up.

    Examples
    --------
    >>> display_number(687.0), display_number(3.302885), display_number(1250.5), display_number(float("nan"))
    ('687', '3,3029', '1.250,5000', '-')
    """
    from ..fmt import number

    value = float(value)
    if value != value:
        return "-"
    if value in (float("inf"), float("-inf")) or abs(value) >= 1e15:  # no decimals to speak of: as Python writes it
        return str(value)
    return number(value, 0 if value.is_integer() else _TABLE_DECIMALS)


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
    """Set up a workshop notebook: Indonesian numbers in tables, a ``NameError`` in a cell as a hint.

    pandas shows floats the kit's way (:func:`display_number`: ``3,3029``,
    ``687``), so raw tables and the kit's sentences use one number style.

    ``mutu = B`` (a letter without quotes) prints a hint instead of a
    traceback, leaves ``mutu`` holding the unquoted answer so the check cell
    says the same, and the notebook runs on. A check cell run before its
    exercise cell says which cell to run first. Outside IPython it does
    nothing. See :mod:`skmkit.hints`.
    """
    import pandas as pd

    pd.set_option("display.float_format", display_number)
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
