"""Comparing periods and the RTL share: expected values worked out by hand from the method doc's rules."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from skmkit import compare, load_survey

Z = 1.959963984540054  # the 97.5 % normal quantile


def test_change_is_named_only_when_the_95_interval_of_the_difference_excludes_zero():
    # se of the difference = sqrt(1.2^2 + 0.9^2) = 1.5; half-width 1.96 x 1.5 = 2.94
    assert compare.change(80.0, 1.2, 83.0, 0.9)["verdict"] == "naik"         # 3.00 > 2.94
    assert compare.change(80.0, 1.2, 82.9, 0.9)["verdict"] == "tidak berubah berarti"  # 2.90 < 2.94
    assert compare.change(83.0, 1.2, 80.0, 0.9)["verdict"] == "turun"
    c = compare.change(80.0, 1.2, 83.0, 0.9)
    assert c["se"] == pytest.approx(1.5)
    assert (c["low"], c["high"]) == pytest.approx((3.0 - Z * 1.5, 3.0 + Z * 1.5))


def test_a_period_known_only_by_its_ikm_is_shown_but_not_judged():
    c = compare.change(84.1, None, 90.0, 0.5)
    assert c["verdict"] == "tidak dapat diuji"
    assert c["diff"] == pytest.approx(5.9)
    assert compare.change(84.1, float("nan"), 90.0, 0.5)["verdict"] == "tidak dapat diuji"


def test_unsur_se_is_the_sd_of_the_filled_answers_over_root_n_with_the_population_correction():
    s = load_survey()
    k1, k2 = s.keys[0], s.keys[1]
    data = pd.DataFrame({k: [4, 4, 4, 4, 4] for k in s.keys})
    data[k1] = [1, 2, 3, 4, None]          # filled: 1, 2, 3, 4: mean 2.5, sd^2 = 5/3
    data[k2] = [4, None, None, None, None]  # one answer: no SE
    se = compare.unsur_se(data, survey=s)
    assert se[k1] == pytest.approx(math.sqrt(5 / 3 / 4))
    assert se[k2] is None
    assert se[s.keys[2]] == 0.0
    with_n = compare.unsur_se(data, survey=s, population=10)
    assert with_n[k1] == pytest.approx(math.sqrt(5 / 3 / 4 * (10 - 4) / (10 - 1)))


def test_follow_up_share_is_selesai_over_all_items_with_berjalan_beside_it():
    items = [{"status": "selesai"}, {"status": "Selesai"}, {"status": "berjalan"}, {"status": "belum"}, {}]
    r = compare.follow_up_share(items)
    assert (r["items"], r["selesai"], r["berjalan"], r["belum"]) == (5, 2, 1, 1)
    assert r["share"] == pytest.approx(40.0)
    assert r["text"] == "40,0% selesai (2 dari 5 butir; 1 berjalan)"


def test_an_rtl_with_no_status_is_belum_dilaporkan_never_zero_percent():
    r = compare.follow_up_share([{"program": "Tambah loket"}, {"program": "Kipas angin"}])
    assert r["share"] is None and r["text"] == "belum dilaporkan"
    assert compare.follow_up_share([])["text"] == "belum dilaporkan"


def test_trend_points_put_typed_periods_first_let_the_history_win_and_judge_each_step():
    typed = [{"period": "Semester I 2025", "ikm": 80.0}, {"period": "Semester II 2025", "ikm": 81.0}]
    history = [{"period": "Semester II 2025", "ikm": 82.0, "se": 0.5, "unsur": {}}]
    current = {"period": "Semester I 2026", "ikm": 86.0, "se": 0.5, "unsur": {}}
    pts = compare.trend_points(typed=typed, history=history, current=current)
    assert [p["period"] for p in pts] == ["Semester I 2025", "Semester II 2025", "Semester I 2026"]
    assert pts[1]["ikm"] == 82.0                                 # the history's value, not the typed one
    assert pts[0]["change"] is None
    assert pts[1]["change"]["verdict"] == "tidak dapat diuji"    # typed 2025-I has no SE
    assert pts[2]["change"]["verdict"] == "naik"                 # 4.0 > 1.96 x sqrt(0.5) = 1.39
    assert compare.trend_points(current=current) == []           # nothing to compare: no trend


def test_unsur_changes_follow_the_survey_order_and_judge_each_nrr():
    s = load_survey()
    a, b = s.keys[0], s.keys[1]
    before = {"unsur": {a: {"nrr": 3.0, "se": 0.03}, b: {"nrr": 3.0, "se": None}}}
    after = {"unsur": {b: {"nrr": 3.5, "se": 0.03}, a: {"nrr": 3.05, "se": 0.04}}}
    ch = compare.unsur_changes(before, after, survey=s)
    assert [c["key"] for c in ch] == [a, b]
    assert ch[0]["verdict"] == "tidak berubah berarti"   # 0.05 < 1.96 x 0.05 = 0.098
    assert ch[1]["verdict"] == "tidak dapat diuji"
