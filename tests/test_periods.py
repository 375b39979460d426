"""Periods from answer dates: ISO dates are never read day-first."""
import json

import pandas as pd
import pytest

from skmkit import ParameterError, cli
from skmkit.periods import parse_dates, survey_period, with_period

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


def test_google_forms_gmt7_is_the_clock_time_as_written():
    # GMT+7 was read as UTC-7 (POSIX sign): 14 hours off, sometimes another day.
    d = parse_dates(pd.Series(["2026/01/02 8:16:46 PM GMT+7", "2026/01/31 11:59:00 PM GMT+07:00",
                               "2026-01-02 08:00 WIB"]))
    assert d.tolist() == [pd.Timestamp("2026-01-02 20:16:46"), pd.Timestamp("2026-01-31 23:59:00"),
                          pd.Timestamp("2026-01-02 08:00")]


def test_excel_serial_numbers_as_numbers_or_text():
    # 46024 days after 1899-12-30 is 2026-01-02 (Excel's 1900 date system); .5 is noon.
    assert parse_dates(pd.Series([46024, 46024.5])).tolist() == [pd.Timestamp("2026-01-02"),
                                                                 pd.Timestamp("2026-01-02 12:00")]
    assert parse_dates(pd.Series(["46024", ""])).iloc[0] == pd.Timestamp("2026-01-02")
    assert parse_dates(pd.Series([3])).isna().all()  # a small number is not a date


def test_day_first_unless_the_column_can_only_be_month_first():
    assert parse_dates(pd.Series(["02/01/2026", "13/01/2026"])).dt.month.tolist() == [1, 1]
    # a US-locale sheet: 1/13/2026 cannot be day-first, so 1/2/2026 is 2 January too
    assert parse_dates(pd.Series(["1/13/2026", "1/2/2026"])).dt.day.tolist() == [13, 2]
    assert parse_dates(pd.Series(["2 Januari 2026", "5 Agustus 2026"])).dt.month.tolist() == [1, 8]


def test_datetimes_pass_through_and_cells_mix():
    from datetime import datetime

    mixed = pd.Series([datetime(2026, 3, 4, 9, 0), 46024, "05/06/2026", None], dtype=object)
    assert parse_dates(mixed).tolist()[:3] == [pd.Timestamp("2026-03-04 09:00"), pd.Timestamp("2026-01-02"),
                                               pd.Timestamp("2026-06-05")]
    assert parse_dates(pd.to_datetime(pd.Series(["2026-01-02"]))).iloc[0] == pd.Timestamp("2026-01-02")


def test_canonical_tanggal_is_a_date_column(tmp_path):
    from skmkit import read_responses

    path = tmp_path / "d.csv"
    pd.DataFrame([["2026/01/02 8:16:46 PM GMT+7"] + [4] * 9], columns=["Timestamp"] + KEYS).to_csv(path, index=False)
    df = read_responses(path)
    assert df["tanggal"].dt.hour.iloc[0] == 20


def test_iso_zones_mixed_with_plain_stamps_keep_the_clock_time():
    d = parse_dates(pd.Series(["2026-01-02T08:00:00Z", "2026-01-02 09:00:00", "2026-01-02T10:00:00+07:00"]))
    assert d.dt.hour.tolist() == [8, 9, 10]


def test_indonesian_locale_weekday_and_dotted_time():
    d = parse_dates(pd.Series(["Senin, 2 Januari 2026", "02/01/2026 20.16.46"]))
    assert d.tolist() == [pd.Timestamp("2026-01-02"), pd.Timestamp("2026-01-02 20:16:46")]


# -- a period's name against its dates ------------------------------------------------------------------
@pytest.mark.parametrize("name, first, last", [
    ("Semester I 2026", "2026-01-01", "2026-06-30"),
    ("Semester 2 2026", "2026-07-01", "2026-12-31"),
    ("SKM Semester II/2026", "2026-07-01", "2026-12-31"),
    ("TW 3 Tahun 2026", "2026-07-01", "2026-09-30"),
    ("Triwulan IV 2026", "2026-10-01", "2026-12-31"),
    ("Tahun 2025", "2025-01-01", "2025-12-31"),
    ("Februari 2028", "2028-02-01", "2028-02-29"),
])
def test_a_calendar_name_stands_for_its_months(name, first, last):
    from skmkit.period_names import implied_range

    lo, hi, _ = implied_range(name)
    assert (lo.isoformat(), hi.isoformat()) == (first, last)


@pytest.mark.parametrize("name", ["Survei kedua", "Semester I dan II 2026", "Januari - Juni 2026",
                                  "Semester I 2025/2026", "Semster I 2026"])
def test_other_names_are_not_read(name):
    from skmkit.period_names import implied_range

    assert implied_range(name) is None


def test_a_units_file_copied_with_the_old_name_is_refused():
    """Semester II's dates under last semester's name: the message gives the name the dates stand for."""
    from skmkit import schema

    with pytest.raises(ParameterError) as info:
        schema.check({"period": "Semester I 2026", "period_start": "2026-07-01", "period_end": "2026-12-31"})
    [line] = str(info.value).splitlines()
    assert "1 Januari 2026 s.d. 30 Juni 2026" in line and "period: Semester II 2026" in line
    # a survey running a little past its semester is that semester's
    assert schema.check({"period": "Semester I 2026", "period_start": "2026-01-05",
                         "period_end": "2026-07-15"})["period"] == "Semester I 2026"
    with pytest.raises(ParameterError, match=r"Triwulan V tidak ada \(I-IV\)"):
        schema.check({"period": "Triwulan V 2026"})


def test_without_declared_dates_the_answers_dates_must_fit_the_name():
    rows = pd.DataFrame({"tanggal": ["2026-07-02 08:00:00", "2026-09-30 10:00:00", "2026-12-20 09:00:00"]})
    with pytest.raises(ParameterError) as info:
        survey_period(rows, name="Semester I 2026", source="s2.csv")
    assert str(info.value).startswith("s2.csv: period 'Semester I 2026'")
    assert "jawaban dalam berkas bertanggal 2 Juli 2026 s.d. 20 Desember 2026" in str(info.value)
    assert survey_period(rows, name="Semester II 2026")[1].first_answer == "2026-07-02"
