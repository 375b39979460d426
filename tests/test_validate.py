"""Bad input: one clear line per problem naming file, row, column and value, and a fix."""
import pandas as pd
import pytest

from skmkit import ValidationError, read_responses, validate_file

KEYS = [f"U{i}" for i in range(1, 10)]


def _csv(path, rows, columns=KEYS):
    pd.DataFrame(rows, columns=columns).to_csv(path, index=False)
    return path


def test_value_outside_scale(tmp_path):
    path = _csv(tmp_path / "skor.csv", [[4] * 9, [3, 3, 5, 3, 3, 3, 3, 3, 3]])
    v = validate_file(path)
    assert not v.ok
    [p] = v.errors
    assert (p.file, p.row, p.column, p.value) == ("skor.csv", 3, "U3", 5)
    line = p.line()
    assert "skor.csv" in line and "baris 3" in line and "'U3'" in line and "'5'" in line and "Perbaikan" in line


def test_unknown_label_names_row_column_value(tmp_path):
    rows = [["Sesuai"] + ["3"] * 8, ["Lumayan"] + ["3"] * 8]
    v = validate_file(_csv(tmp_path / "label.csv", rows, ["Persyaratan"] + KEYS[1:]))
    [p] = v.errors
    assert (p.row, p.column, p.value) == (3, "Persyaratan", "Lumayan")
    assert "Sangat sesuai" in p.fix  # tells which labels are accepted


def test_missing_unsur_column(tmp_path):
    v = validate_file(_csv(tmp_path / "kurang.csv", [[3] * 8], KEYS[:8]))
    [p] = v.errors
    assert "U9" in p.message and "Sarana dan prasarana" in p.message and p.file == "kurang.csv"


def test_same_unsur_twice(tmp_path):
    v = validate_file(_csv(tmp_path / "dobel.csv", [[3] * 10], KEYS + ["Sarana dan Prasarana"]))
    assert any(p.code == "duplicate-unsur" for p in v.errors)


def test_empty_unreadable_and_missing_files(tmp_path):
    (tmp_path / "kosong.csv").write_text("")
    (tmp_path / "judul.csv").write_text(",".join(KEYS) + "\n")
    (tmp_path / "rusak.xlsx").write_bytes(b"this is not a zip file")
    for name, code in [("kosong.csv", "empty"), ("judul.csv", "empty"), ("rusak.xlsx", "unreadable"),
                       ("tidak-ada.csv", "missing-file")]:
        v = validate_file(tmp_path / name)
        assert not v.ok and v.errors[0].code == code and v.errors[0].file == name
        with pytest.raises(ValidationError):
            read_responses(tmp_path / name)


def test_many_errors_are_capped_then_counted(tmp_path):
    rows = [[9] * 9 for _ in range(60)]
    with pytest.raises(ValidationError) as info:
        read_responses(_csv(tmp_path / "banyak.csv", rows))
    lines = str(info.value).splitlines()
    assert len(lines) == 21 and "masalah lain" in lines[-1]


def test_warnings_do_not_stop(tmp_path):
    rows = [["2026-01-05", 4, 4, 4, 4, 4, 4, 4, 4, 4],       # same value everywhere
            ["2026-01-06", 3, None, 2, 3, 3, 3, 3, 3, 3],     # a blank
            ["2026-01-06", 3, None, 2, 3, 3, 3, 3, 3, 3],     # duplicate submission
            ["2026-02-01", 3, 2, 2, 3, 3, 2, 3, 3, 4],
            ["2026-03-01", 2, 2, 2, 3, 3, 3, 3, 1, 4],
            ["2025-12-01", 3, 2, 2, 3, 3, 3, 3, 3, 4]]        # outside the period: 1 of 6, left out and counted
    v = validate_file(_csv(tmp_path / "w.csv", rows, ["Tanggal"] + KEYS), period=("2026-01-01", "2026-06-30"))
    assert v.ok
    codes = {p.code for p in v.warnings}
    assert codes == {"straight-line", "blank", "duplicate", "out-of-period"}
    assert any("1 jawaban bertanggal di luar periode survei 1 Januari 2026 s.d. 30 Juni 2026, tidak dihitung" in p.message
               for p in v.warnings)
    dup = next(p for p in v.warnings if p.code == "duplicate")
    assert "baris 4" in dup.message
    out = next(p for p in v.warnings if p.code == "out-of-period")
    assert "baris 7" in out.message


def test_a_file_mostly_outside_its_period_is_refused_with_its_dates(tmp_path):
    """skm-method.md: more than a fifth of the dated answers outside the period: the file or the period is wrong."""
    rows = [["2025-07-0%d" % d, 3, 3, 3, 3, 3, 3, 3, 3, 3] for d in range(1, 4)] + [
        ["2026-01-05", 4, 4, 4, 4, 4, 4, 4, 4, 3], ["", 3, 3, 3, 3, 3, 3, 3, 3, 2]]
    path = _csv(tmp_path / "lama.csv", rows, ["Tanggal"] + KEYS)
    v = validate_file(path, period_start="2026-01-01", period_end="2026-06-30")
    assert not v.ok
    (err,) = [p for p in v.errors if p.code == "period-mismatch"]
    assert "3 dari 4 jawaban" in err.message and "1 Juli 2025 s.d. 5 Januari 2026" in err.message
    assert any(p.code == "undated" and "1 jawaban tanpa tanggal" in p.message for p in v.warnings)
    half = validate_file(path, period_start="2026-01-01")
    assert not half.ok and "period_start diisi tanpa pasangannya" in half.errors[0].message


def test_sample_data_is_clean(sample_path):
    assert validate_file(sample_path).ok


def test_question_numbers_follow_the_questionnaire(tmp_path):
    # P8 asks about sarana (U9), P9 about pengaduan (U8); U8/U9 headers follow the keys.
    header = [f"P{i}" for i in range(1, 10)]
    v = validate_file(_csv(tmp_path / "p.csv", [[1, 1, 1, 1, 1, 1, 1, 2, 3]], header))
    assert v.ok and v.data["U9"].iloc[0] == 2 and v.data["U8"].iloc[0] == 3
    note = next(p for p in v.warnings if p.code == "question-numbers")
    assert "P8 = U9" in note.message and "P9 = U8" in note.message
    v = validate_file(_csv(tmp_path / "u.csv", [[1, 1, 1, 1, 1, 1, 1, 2, 3]], KEYS))
    assert v.data["U8"].iloc[0] == 2 and not any(p.code == "question-numbers" for p in v.warnings)


def test_ambiguous_short_header_decided_by_values_or_refused(tmp_path):
    names = ["Persyaratan", "Prosedur", "Waktu", "Biaya", "Produk", "Kompetensi", "Perilaku", "Pengaduan", "Sarana"]
    v = validate_file(_csv(tmp_path / "a.csv", [[4] * 9, [3] * 9], names))
    assert v.ok and v.columns["U3"] == "Waktu"
    rows = [["x"] * 1 + [4] * 8, ["y"] + [3] * 8]
    v = validate_file(_csv(tmp_path / "b.csv", rows, ["Waktu"] + names[:2] + names[3:]))
    [p] = [p for p in v.errors if p.code == "ambiguous-header"]
    assert p.column == "Waktu" and "U3" in p.message and "tanggal" in p.message


def test_label_columns_with_numbers_and_numbered_labels(tmp_path):
    rows = [["4.0", "4,0", "d. Sangat cepat", "4 - Gratis"] + ["4"] * 5,
            ["Sangat sesuai", "3. Sangat mudah"] + ["3"] * 7]
    v = validate_file(_csv(tmp_path / "l.csv", rows))
    assert v.data.loc[0, KEYS].tolist() == [4.0] * 9
    [p] = v.errors
    assert (p.row, p.column, p.code) == (3, "U2", "conflicting-answer")


def test_merge_spellings_shows_the_most_frequent():
    from skmkit.validate import merge_spellings
    from skmkit.survey import name_key

    s, merged = merge_spellings(pd.Series(["dinas sosial", "Dinas Sosial", "Dinas Sosial ", "Dinas Sosial", None,
                                           "UPT 1", "UPT 2"]))
    assert s.fillna("-").tolist() == ["Dinas Sosial"] * 4 + ["-", "UPT 1", "UPT 2"]
    assert [sp for sp, _ in merged["Dinas Sosial"]] == ["dinas sosial", "Dinas Sosial", "Dinas Sosial "]
    assert name_key("  DINAS\tSosial ") == "dinas sosial"


def test_rows_are_numbered_as_the_spreadsheet_shows_them(tmp_path):
    path = tmp_path / "judul.csv"
    path.write_text("LAPORAN SKM\n\n" + ",".join(KEYS) + "\n" + ",".join(["4"] * 9) + "\n\n"
                    + ",".join(["4"] * 8 + ["9"]) + "\n")
    v = validate_file(path)
    [p] = v.errors
    assert (p.row, p.column, p.value) == (6, "U9", 9)


def test_blank_unit_cells_are_said(tmp_path):
    # a merged unit cell saved as CSV keeps its value only in the first row
    v = validate_file(_csv(tmp_path / "m.csv", [["Dinas A"] + [3] * 9, [None] + [4] * 9], ["Unit"] + KEYS))
    [p] = [p for p in v.warnings if p.code == "blank-group"]
    assert p.column == "Unit" and "baris 3" in p.message
