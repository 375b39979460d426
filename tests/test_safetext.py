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


def test_csv_text_reads_back_what_csv_safe_protected():
    import io

    from skmkit.safetext import csv_safe_frame, csv_text_frame

    t = pd.DataFrame({"unit": ["=HYPERLINK(\"x\")", "'kutip", "-lambat", "Dinas"], "n": [1, -2, 3, 4]})
    written = csv_safe_frame(t).to_csv(index=False)
    assert "\n=" not in written and ",-lambat" not in written
    back = csv_text_frame(pd.read_csv(io.StringIO(written)))
    assert back.equals(t)  # "'kutip" (an apostrophe typed by a user) is kept as typed


def test_drawable_keeps_what_the_fonts_have_and_squares_the_rest():
    from fontTools.ttLib import TTFont

    from skmkit.exporters import FONT_DIR
    from skmkit.safetext import MISSING_GLYPH, drawable

    cmap = TTFont(FONT_DIR / "DejaVuSans.ttf").getBestCmap()
    text = "Cikâwung \u2013 \u2265 76,61 \U0001F44D\U0001F3FD \u4e2d \u2764\ufe0f\n"
    out = drawable(text)
    assert all(ord(c) in cmap or c == "\n" for c in out)
    # thumbs up with skin tone is one square, the CJK character one, the heart + selector one
    assert out == "Cikâwung \u2013 \u2265 76,61 " + MISSING_GLYPH + " " + MISSING_GLYPH + " " \
        + (MISSING_GLYPH if 0x2764 not in cmap else "\u2764") + "\n"
