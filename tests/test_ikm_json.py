"""`ikm_report`: the JSON shape of `skmkit ikm`, by any column or a period, numbers by hand."""
from __future__ import annotations

import pandas as pd
import pytest

from skmkit.ikm_json import ikm_report

KEYS = [f"U{i}" for i in range(1, 10)]


@pytest.fixture()
def dated(tmp_path):
    rows = [["2026-01-15", "Dinas A"] + [4] * 9, ["2026-02-03", "dinas a "] + [2] * 9,
            ["2026-04-20", "Dinas B"] + [3] * 9]
    path = tmp_path / "d.csv"
    pd.DataFrame(rows, columns=["Tanggal", "Unit Layanan"] + KEYS).to_csv(path, index=False)
    return path


def test_by_a_header_a_canonical_name_or_a_period(dated):
    by_header = ikm_report(dated, by="Unit Layanan", ci=None)
    by_canon = ikm_report(dated, by="unit", ci=None)
    assert [g["ikm"] for g in by_header["groups"]] == [g["ikm"] for g in by_canon["groups"]]
    got = {g["group"]["Unit Layanan"]: g for g in by_header["groups"]}
    assert set(got) == {"Dinas A", "Dinas B"}  # "dinas a " is the same unit
    assert got["Dinas A"]["ikm"] == pytest.approx((4 + 2) / 2 * 25) and got["Dinas A"]["respondents"] == 2
    tw = {g["group"]["triwulan"]: g["ikm"] for g in ikm_report(dated, by="triwulan", ci=None)["groups"]}
    assert list(tw.values()) == pytest.approx([75.0, 75.0])


def test_whole_file_has_one_group_and_the_method(dated):
    r = ikm_report(dated, ci=None)
    assert r["groups"][0]["group"] == {} and r["groups"][0]["ikm"] == pytest.approx((4 + 2 + 3) / 3 * 25)
    assert r["method"]["source"] == "d.csv" and len(r["method"]["sha256"]) == 64
