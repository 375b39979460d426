"""Lampiran 4: each respondent's scores printed up to the annex limit, else the count and where they are."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from skmkit import sample_data_path, sections
from skmkit.prepared import ANNEX_LIMIT, prepare_unit


@pytest.fixture(scope="module")
def dinsos():
    """Dinas Sosial of the bundled sample, counted from the file (not from the kit)."""
    raw = pd.read_csv(sample_data_path())
    return int((raw["Unit Layanan"] == "Dinas Sosial").sum())


def _rows(html: str) -> list[str]:
    """The data lines of the per-respondent blocks (header lines left out)."""
    return [line for pre in re.findall(r"<pre>(.*?)</pre>", html, re.S) for line in pre.splitlines()]


def test_up_to_the_limit_every_respondent_is_printed(dinsos):
    r = prepare_unit(sample_data_path(), unit="Dinas Sosial", annex_limit=dinsos)  # the limit itself: printed
    assert r.annex_in_report
    html = sections.scoring(r)
    assert len(_rows(html)) == dinsos
    assert "scoring-total" in html


def test_over_the_limit_the_report_says_how_many_and_where(dinsos):
    r = prepare_unit(sample_data_path(), unit="Dinas Sosial", annex_limit=dinsos - 1)
    assert not r.annex_in_report
    html = sections.scoring(r)
    assert _rows(html) == [] and "scoring-block" not in html
    text = re.sub(r"<[^>]+>", "", html)
    assert f"({dinsos} responden)" in text and f"paling banyak {dinsos - 1} responden" in text
    assert "Tabulasi" in text and "XLSX" in text
    assert "Jumlah nilai" in text  # the per-unsur totals stay in the report


def test_the_default_limit_is_stated_and_checked():
    r = prepare_unit(sample_data_path(), unit="Dinas Sosial")
    assert r.annex_limit == ANNEX_LIMIT == 400
    from skmkit.errors import ParameterError

    with pytest.raises(ParameterError, match="annex_limit"):
        prepare_unit(sample_data_path(), unit="Dinas Sosial", annex_limit="banyak")
