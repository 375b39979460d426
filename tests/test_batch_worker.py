"""The batch worker's deadline covers every step of a unit, not only notebook cells."""
from __future__ import annotations

import time

import pytest

from skmkit.batch import worker


def test_deadline_interrupts_work_that_is_not_a_notebook_cell():
    t = time.perf_counter()
    with pytest.raises(worker.UnitTimeout):
        with worker._deadline(0.3):
            while True:  # a PDF or XLSX step that runs on and on
                sum(range(1000))
    assert time.perf_counter() - t < 5


def test_deadline_leaves_fast_work_alone_and_clears_the_alarm():
    with worker._deadline(5):
        x = sum(range(1000))
    time.sleep(0.05)
    assert x == 499500


def test_a_timeout_is_named_as_such():
    assert worker._cause_of(worker.UnitTimeout("x"), 30) == "melebihi batas waktu 30 detik."
