"""The terminal tables of `skmkit ikm`: numbers rounded for display only, in Indonesian."""
from __future__ import annotations

import re

import pandas as pd

from skmkit.ikm_json import ikm_report
from skmkit.terminal import ikm_text

KEYS = [f"U{i}" for i in range(1, 10)]


def test_one_group_lists_each_unsur_and_the_ikm(tmp_path):
    path = tmp_path / "d.csv"
    pd.DataFrame([[4] * 9, [3] * 9, [3] * 9], columns=KEYS).to_csv(path, index=False)
    text = ikm_text(ikm_report(path))
    # by hand: NRR 10/3 = 3,33 for every unsur; IKM 10/3 x 25 = 83,33, mutu B
    assert len(re.findall(r"\b3,33\b", text)) == 9 and len(re.findall(r"\b83,33\b", text)) == 10
    assert "IKM = 83,33" in text and "mutu B (Baik)" in text and "3 responden" in text
    assert "Bobot 1/9 (tepat)" in text


def test_groups_are_rows(tmp_path):
    path = tmp_path / "d.csv"
    rows = [["A"] + [4] * 9, ["B"] + [1] * 9]
    pd.DataFrame(rows, columns=["Unit"] + KEYS).to_csv(path, index=False)
    lines = ikm_text(ikm_report(path, by="Unit", ci=None)).splitlines()
    assert lines[0].split()[:3] == ["Unit", "Responden", "IKM"]
    assert lines[2].split()[:5] == ["A", "1", "100,00", "A", "Sangat"]
    assert lines[3].split()[:4] == ["B", "1", "25,00", "D"]
