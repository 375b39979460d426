"""The Bimtek workshop: bundled exercise data, exercise checks and the two editions.

Used by the six notebooks in ``notebooks/pelatihan/``; one module per concept:
:mod:`.data`, :mod:`.exercises`, :mod:`.checks`, :mod:`.notebook`, :mod:`.editions`.

- **Workshop data** (``skmkit/data/pelatihan/``): one unit's raw form export
  with deliberate problems (a typo label, an out-of-scale answer, an empty
  submission, a duplicate submission, blanks, odd spacing), the same export
  cleaned, and the unit's facts (``unit.yml``). :func:`write_workshop_data`
  makes them deterministically from :func:`skmkit.synth.generate_responses`,
  so the cleaned file holds exactly the bundled city sample's rows for that
  unit.
- **Checks**: :func:`check` compares a participant's answer with skmkit's own
  result computed at check time (never a stored number) and :func:`cek`
  prints the verdict in Indonesian ("benar" / "belum benar" with a hint). A
  blank answer (``...`` or ``None``) is "belum benar", never an exception.
  Known mistakes (blanks counted as zero, kinerja for mutu, a name for a
  key, a near-tie read from rounded numbers, ...) get their own hint.
  :func:`siapkan`, called by every notebook's setup cell, turns a
  ``NameError`` from a cell (``mutu = B`` without quotes) into a hint
  (:mod:`skmkit.hints`); :func:`lanjut` gives the next cells a right table
  when the participant's is not right yet.
- **Editions**: :func:`make_editions` writes the participant edition (cells
  tagged ``solusi`` and ``pelatih`` removed) and the trainer edition (cells
  tagged ``latihan`` removed, solutions kept) from the same notebooks.
"""
from __future__ import annotations

from .checks import CheckResult, cek, check, hasil_latihan, lanjut
from .data import OUT_OF_SCALE, TYPO, WORKSHOP_UNIT, data_path, workshop_unit, write_workshop_data
from .editions import EDITIONS, edition, make_editions, method_path, notebooks_dir, workshop_notebooks
from .exercises import EXERCISES, Exercise
from .notebook import display_number, output_dir, show, siapkan

__all__ = [
    "WORKSHOP_UNIT", "TYPO", "OUT_OF_SCALE", "EDITIONS", "data_path", "workshop_unit", "write_workshop_data",
    "Exercise", "EXERCISES", "CheckResult", "check", "cek", "hasil_latihan", "lanjut", "siapkan", "output_dir", "show",
    "display_number", "notebooks_dir", "workshop_notebooks", "edition", "make_editions", "method_path",
]
