"""The seeded generator behind the bundled sample."""
from __future__ import annotations

import pandas as pd

import skmkit
from skmkit import synth


def test_same_seed_same_rows_and_another_seed_others():
    a = synth.generate_responses(seed=14)
    assert a.equals(synth.generate_responses(seed=14))
    assert not a.equals(synth.generate_responses(seed=15))


def test_the_bundled_sample_is_what_the_generator_writes(tmp_path):
    written = synth.write_demo_data(tmp_path)
    sample = skmkit.sample_data_path()
    same = [p for p in written if p.name == sample.name]
    assert same and same[0].read_bytes() == sample.read_bytes()


def test_generated_rows_read_and_validate_cleanly(tmp_path):
    path = tmp_path / "x.csv"
    synth.generate_responses(seed=3).to_csv(path, index=False)
    v = skmkit.validate_file(path)
    assert v.ok
    assert v.data["unit"].nunique() == len(synth.DEMO_UNITS)
    assert isinstance(v.data, pd.DataFrame)
