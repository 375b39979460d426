"""Periods from answer dates: ISO dates are never read day-first."""
import json

import pandas as pd
import pytest

from skmkit import ParameterError, cli
from skmkit.periods import parse_dates, with_period

KEYS = [f"U{i}" for i in range(1, 10)]


def test_iso_dates_are_not_read_day_first():
    # 2026-01-12 read day-first would become 1 December.
    d = parse_dates(pd.Series(["2026-01-12 08:00:00", "2026/03/04 9:41:07", "12/01/2026", "bukan tanggal"]))
    assert [x.month if x == x else None for x in d] == [1, 3, 1, None]
    assert d.iloc[2].day == 12


def test_triwulan_semester_bulan_labels():
    df = pd.DataFrame({"tanggal": ["2026-03-31 23:59:00", "2026-04-01 00:00:00", "2026-12-05 10:00:00"]})
    assert with_period(df, "triwulan")["triwulan"].tolist() == ["2026 TW I", "2026 TW II", "2026 TW IV"]
    assert with_period(df, "semester")["semester"].tolist() == ["2026 Semester I", "2026 Semester I",
                                                                "2026 Semester II"]
    assert with_period(df, "bulan")["bulan"].tolist()[0] == "2026-03 Maret"
    assert "triwulan" not in df.columns  # a new frame, the input untouched


def test_period_needs_a_date_column():
    with pytest.raises(ParameterError, match="tanggal"):
        with_period(pd.DataFrame({"U1": [1]}), "triwulan")


def test_ikm_by_triwulan_pools_each_quarter(tmp_path, capsys):
    rows = [["2026-01-12 08:00:00"] + [4] * 9, ["2026-02-01 09:00:00"] + [2] * 9,
            ["2026-05-01 09:00:00"] + [3] * 9]
    path = tmp_path / "d.csv"
    pd.DataFrame(rows, columns=["Tanggal"] + KEYS).to_csv(path, index=False)
    assert cli.main(["ikm", str(path), "--by", "triwulan", "--json"]) == 0
    groups = json.loads(capsys.readouterr().out)["groups"]
    assert [g["group"]["triwulan"] for g in groups] == ["2026 TW I", "2026 TW II"]
    assert groups[0]["ikm"] == pytest.approx((4 + 2) / 2 * 25) and groups[0]["respondents"] == 2
    assert groups[1]["ikm"] == pytest.approx(75.0)
