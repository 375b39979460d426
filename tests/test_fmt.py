"""Indonesian formatting, written out by hand here."""
from __future__ import annotations

import datetime

import pandas as pd

from skmkit import fmt


def test_numbers_and_percentages():
    assert fmt.number(1250) == "1.250" and fmt.number(87.275, 2) == "87,28" and fmt.number(88.305, 2) == "88,31"
    assert fmt.number(-1234.5, 1) == "-1.234,5" and fmt.number(None) == "-" and fmt.number(float("nan")) == "-"
    assert fmt.percent(0.2575) == "25,8%" and fmt.percent(1) == "100,0%"


def test_dates_in_every_form_the_kit_meets():
    for value in ("2026-06-30", datetime.date(2026, 6, 30), datetime.datetime(2026, 6, 30, 8, 15),
                  pd.Timestamp("2026-06-30 08:15")):
        assert fmt.tanggal(value) == "30 Juni 2026"
    assert fmt.tanggal("") == "" and fmt.tanggal(None) == "" and fmt.tanggal(pd.NaT) == ""
    assert fmt.period_text("2026-01-01", "2026-06-30") == "1 Januari 2026 s.d. 30 Juni 2026"
    assert fmt.period_text("2026-01-01", None) == ""
    assert len(fmt.MONTHS) == 12 and fmt.MONTHS[7] == "Agustus"


def test_counts_in_words():
    assert [fmt.words(n) for n in (0, 1, 9, 10, 11, 12, 19, 20, 21, 99)] == [
        "nol", "satu", "sembilan", "sepuluh", "sebelas", "dua belas", "sembilan belas", "dua puluh",
        "dua puluh satu", "sembilan puluh sembilan"]
    assert fmt.words(1250) == "1.250"
