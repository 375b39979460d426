"""The respondent profile: one counting rule for the report, the banner and the workbook."""
from __future__ import annotations

import pandas as pd
import pytest

from skmkit import profile
from skmkit.errors import ParameterError


def test_counts_follow_the_kit_order_keep_known_zeros_and_count_blanks_last():
    data = pd.DataFrame({"pendidikan": ["SMA", "S1 lain", "SMA", None, "  ", "SD", "S1 lain", "Pesantren"]})
    t = profile.profile_counts(data, "pendidikan")
    # known categories in order (zero kept), then others by count (ties by name), then blanks
    assert t["kategori"].tolist() == ["SD", "SMP", "SMA", "D1-D3", "D4/S1", "S2", "S3", "S1 lain", "Pesantren",
                                      "Tidak diisi"]
    assert t["jumlah"].tolist() == [1, 0, 2, 0, 0, 0, 0, 2, 1, 2]
    assert t["persen"].sum() == pytest.approx(1.0)
    assert t["persen"].iloc[2] == pytest.approx(2 / 8)


def test_ages_are_counted_in_groups():
    data = pd.DataFrame({"usia": [17, 20, 21, 30, 31, 60, 61, None, "tidak tahu"]})
    t = profile.profile_counts(data, "usia").set_index("kategori")["jumlah"]
    assert t.to_dict() == {"\u2264 20": 2, "21\u201330": 2, "31\u201340": 1, "41\u201350": 0, "51\u201360": 1,
                           "> 60": 1, "Tidak diisi": 2}


def test_usia_groups():
    assert [profile.usia_group(a) for a in (17, 20, 21, 30, 31, 60, 61, None)] == [
        "\u2264 20", "\u2264 20", "21\u201330", "21\u201330", "31\u201340", "51\u201360", "> 60", None]


def test_counts_on_the_sample_match_a_hand_count(sample_df):
    unit = sample_df[sample_df["unit"] == "Dinas Sosial"]
    t = profile.profile_counts(unit, "jenis_kelamin").set_index("kategori")["jumlah"]
    assert t["L"] == (unit["jenis_kelamin"] == "L").sum()
    assert t["P"] == (unit["jenis_kelamin"] == "P").sum()
    assert t.sum() == len(unit)


def test_respondents_are_rows_with_at_least_one_answer():
    data = pd.DataFrame({"U1": [4, None, None], "U2": [None, 3, None]})
    assert profile.respondent_rows(data, ["U1", "U2"]).index.tolist() == [0, 1]
    with pytest.raises(ParameterError):
        profile.respondent_rows(data.iloc[[2]], ["U1", "U2"])
    with pytest.raises(ParameterError, match="U3"):
        profile.respondent_rows(data, ["U1", "U3"])


def test_a_missing_field_gives_an_empty_table():
    assert profile.profile_counts(pd.DataFrame({"x": [1]}), "pendidikan").empty


def test_input_is_not_modified():
    data = pd.DataFrame({"usia": [20, None], "jenis_kelamin": ["L", None]})
    before = data.copy()
    profile.profile_counts(data, "usia")
    profile.profile_counts(data, "jenis_kelamin")
    pd.testing.assert_frame_equal(data, before)
