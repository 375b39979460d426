"""Text that stays text in CSV files: OWASP's leading apostrophe, numbers untouched."""
import pandas as pd
import pytest

from skmkit.safetext import csv_safe, csv_safe_frame, looks_like_formula

INJECTED = '=HYPERLINK("http://x","klik")'


@pytest.mark.parametrize("text", ["=1+1", "+62 812", "-lambat", "@petugas", "\tx", "\rx", INJECTED])
def test_formula_starts_are_prefixed(text):
    assert looks_like_formula(text) and csv_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Dinas Sosial", " =x", "'=x", "", 3, -1.5, None])
def test_other_values_are_unchanged(value):
    assert not looks_like_formula(value) and csv_safe(value) == value


def test_csv_safe_frame_keeps_numbers_and_does_not_change_the_input():
    t = pd.DataFrame({"unit": [INJECTED, "Dinas Sosial"], "ikm": [-1.5, 80.0], "=x": ["a", "b"]})
    before = t.copy()
    text = csv_safe_frame(t).to_csv(index=False)
    assert text.splitlines() == ["unit,ikm,'=x", "\"'=HYPERLINK(\"\"http://x\"\",\"\"klik\"\")\",-1.5,a",
                                 "Dinas Sosial,80.0,b"]
    assert t.equals(before)
