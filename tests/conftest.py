"""Shared fixtures: the bundled sample and small hand-made survey files."""
from __future__ import annotations

import pandas as pd
import pytest

import skmkit


@pytest.fixture(scope="session")
def sample_path():
    """The bundled pooled form export (12 units)."""
    return skmkit.sample_data_path()


@pytest.fixture(scope="session")
def sample_df(sample_path):
    """The bundled sample as the canonical table (do not mutate: copy first)."""
    return skmkit.read_responses(sample_path)


def write_csv(path, rows, header=None, sep=",", encoding="utf-8"):
    """Write rows (list of lists) with a header to a CSV file; return the path."""
    frame = pd.DataFrame(rows, columns=header or [f"U{i}" for i in range(1, 10)])
    frame.to_csv(path, index=False, sep=sep, encoding=encoding)
    return path
