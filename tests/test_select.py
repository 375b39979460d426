"""One unit selection for every command: names typed by hand match, pooled files are never published whole."""
from __future__ import annotations

import pandas as pd
import pytest

import skmkit
from skmkit import select
from skmkit.errors import ParameterError

HEADER = ["Unit Layanan"] + [f"U{i}" for i in range(1, 10)]


@pytest.fixture()
def typed(tmp_path):
    """40 rows: one unit typed three ways (20 + 10 + 10 rows), another unit 5 rows."""
    rows = ([["Dinas Sosial"] + [4] * 9] * 20 + [["dinas sosial "] + [3] * 9] * 10
            + [["DINAS  SOSIAL"] + [2] * 9] * 10 + [["Dinas Perhubungan"] + [1] * 9] * 5)
    path = tmp_path / "kota.csv"
    pd.DataFrame(rows, columns=HEADER).to_csv(path, index=False)
    return path


def test_spellings_of_one_unit_are_one_unit(typed):
    df = skmkit.read_responses(typed)
    rows, name = select.unit_rows(df, unit="DINAS sosial")
    assert len(rows) == 40 and name == "Dinas Sosial"  # the most frequent spelling is shown
    assert select.unit_names(df, "unit") == ["Dinas Perhubungan", "Dinas Sosial"]


def test_report_numbers_match_ikm_by_for_a_unit_typed_differently(typed):
    rows, _ = skmkit.load_unit(typed, unit="  dinas   SOSIAL")
    # by hand: 20 respondents all 4, 10 all 3, 10 all 2 -> NRR 3.25 for every unsur -> IKM 81.25
    assert skmkit.summarize(rows, ci=None)["ikm"] == pytest.approx((20 * 4 + 10 * 3 + 10 * 2) / 40 * 25)


def test_a_unit_named_without_by_is_looked_up_in_the_unit_column(sample_path):
    rows, name = skmkit.load_unit(sample_path, unit="Dinas Sosial")
    raw = pd.read_csv(sample_path, dtype=str)
    assert len(rows) == (raw["Unit Layanan"] == "Dinas Sosial").sum() == 160
    assert name == "Dinas Sosial"


def test_a_pooled_file_without_a_unit_is_refused_with_the_list(sample_path):
    with pytest.raises(ParameterError) as info:
        skmkit.load_unit(sample_path)
    message = str(info.value)
    assert "12 unit" in message and "--unit" in message and "Dinas Sosial" in message
    assert len(message.splitlines()) == 1


def test_an_unknown_unit_lists_the_units(typed):
    with pytest.raises(ParameterError, match="Dinas Perhubungan"):
        skmkit.load_unit(typed, unit="Dinas Kesehatan")


def test_a_file_without_a_unit_column_is_the_unit(tmp_path):
    path = tmp_path / "puskesmas_melati.csv"
    pd.DataFrame([[4] * 9, [3] * 9], columns=HEADER[1:]).to_csv(path, index=False)
    rows, name = skmkit.load_unit(path)
    assert len(rows) == 2 and name == "puskesmas_melati"
    rows, name = skmkit.load_unit(path, unit="Puskesmas Melati")
    assert len(rows) == 2 and name == "Puskesmas Melati"


def test_by_names_a_column_in_any_spelling(typed):
    df = skmkit.read_responses(typed)
    assert select.resolve_column(df, "unit layanan") == "unit"
    assert len(select.select_unit(df, "Dinas Perhubungan", "UNIT LAYANAN")) == 5
    with pytest.raises(ParameterError, match="tidak ada"):
        select.resolve_column(df, "Kolom Lain")


def test_selection_does_not_modify_the_table(typed):
    df = skmkit.read_responses(typed)
    before = df.copy()
    select.unit_rows(df, unit="dinas sosial")
    pd.testing.assert_frame_equal(df, before)


@pytest.mark.parametrize("asked, hint", [("Dinas Sosal", " (mungkin maksudnya 'Dinas Sosial')"),
                                         ("dinas perhubungn", " (mungkin maksudnya 'Dinas Perhubungan')"),
                                         ("Dinas", "")])
def test_a_mistyped_unit_is_refused_with_the_close_name_as_a_hint(typed, asked, hint):
    df = skmkit.read_responses(typed)
    with pytest.raises(ParameterError) as info:
        select.unit_rows(df, unit=asked)
    [line] = str(info.value).splitlines()
    assert f"unit '{asked}' tidak ada di kolom 'Unit Layanan'{hint}. Perbaikan:" in line
