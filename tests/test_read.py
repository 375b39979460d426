"""Reading files: delimiters, encodings, Excel, form exports, personal data, untouched input."""
import hashlib

import pandas as pd
import pytest

from skmkit import ValidationError, load_survey, read_responses, summarize
from skmkit.files import file_sha256

KEYS = [f"U{i}" for i in range(1, 10)]
ROWS = [[4, 3, 3, 4, 3, 4, 4, 3, 3], [3, 3, 2, 4, 3, 3, 4, 2, 3], [4, 4, 3, 4, 4, 4, 4, 3, 4]]
# Hand computation: column totals 11, 10, 8, 12, 10, 11, 12, 8, 10 = 92 over 3 x 9 answers.
EXPECTED_IKM = 92 / 27 * 25


@pytest.mark.parametrize("sep", [",", ";", "\t"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_delimiters_and_encodings(tmp_path, sep, encoding):
    frame = pd.DataFrame(ROWS, columns=KEYS)
    frame["Saran"] = ["Pelayanan café bagus", "", "Antrian lama; mohon dipercepat"]
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False, sep=sep, encoding=encoding)
    df = read_responses(path)
    assert summarize(df)["ikm"] == pytest.approx(EXPECTED_IKM)
    assert df["saran"].iloc[0] == "Pelayanan café bagus"


def test_xlsx_first_and_named_sheet(tmp_path):
    path = tmp_path / "data.xlsx"
    with pd.ExcelWriter(path) as xw:
        pd.DataFrame([[1] * 9], columns=KEYS).to_excel(xw, sheet_name="Lain", index=False)
        pd.DataFrame(ROWS, columns=KEYS).to_excel(xw, sheet_name="Form Responses 1", index=False)
    # two sheets holding answers: never the first one quietly (issue 20), refused naming both
    with pytest.raises(ValidationError, match="2 sheet berisi jawaban \\('Lain', 'Form Responses 1'\\)"):
        read_responses(path)
    assert summarize(read_responses(path, sheet="Lain"))["ikm"] == pytest.approx(25.0)
    assert summarize(read_responses(path, sheet="Form Responses 1"))["ikm"] == pytest.approx(EXPECTED_IKM)
    with pytest.raises(ValidationError, match="sheet 'Tidak Ada'"):
        read_responses(path, sheet="Tidak Ada")


def test_form_export_with_question_headers_labels_and_personal_data(tmp_path):
    s = load_survey()
    order = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8"]  # questionnaire: sarana before pengaduan
    header = ["Timestamp", "Nama", "No HP", "Email"] + [f"{i}. {s.get(k).question}" for i, k in enumerate(order, 1)]
    rows = []
    for r in ROWS:
        by_key = dict(zip(KEYS, r))
        # labels in odd case and spacing, letters, and numbers mixed
        answers = [f"  {s.get(k).labels[by_key[k] - 1].upper()} " if j % 3 == 0 else
                   ("abcd"[by_key[k] - 1] if j % 3 == 1 else str(by_key[k])) for j, k in enumerate(order)]
        rows.append(["2026-02-01 10:00:00", "Rahasia Orang", "081234567890", "x@y.id"] + answers)
    path = tmp_path / "form.csv"
    pd.DataFrame(rows, columns=header).to_csv(path, index=False)
    df = read_responses(path)
    assert summarize(df)["ikm"] == pytest.approx(EXPECTED_IKM)
    assert df["U8"].tolist() == [r[7] for r in ROWS]  # pengaduan came as question 9
    assert df["U9"].tolist() == [r[8] for r in ROWS]
    text = df.to_csv()
    for secret in ("Rahasia Orang", "081234567890", "x@y.id"):
        assert secret not in text
    assert set(df.attrs["skmkit"]["dropped_personal"]) == {"Nama", "No HP", "Email"}


@pytest.mark.parametrize("header", [["U 1", "u2"], ["Unsur 1", "Unsur 2"], ["Persyaratan", "Sistem, Mekanisme, dan Prosedur"]])
def test_keys_and_names_in_any_case(tmp_path, header):
    full = header + KEYS[2:]
    path = tmp_path / "d.csv"
    pd.DataFrame(ROWS, columns=full)[list(reversed(full))].to_csv(path, index=False)
    assert summarize(read_responses(path))["ikm"] == pytest.approx(EXPECTED_IKM)


def test_input_file_is_never_modified(tmp_path, sample_path):
    path = tmp_path / "copy.csv"
    path.write_bytes(sample_path.read_bytes())
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    df = read_responses(path)
    assert file_sha256(path) == before == df.attrs["skmkit"]["sha256"]


def test_profile_columns_are_canonical(sample_df):
    assert set(sample_df["jenis_kelamin"].unique()) == {"L", "P"}
    assert set(sample_df["pendidikan"].unique()) <= {"SD", "SMP", "SMA", "D1-D3", "D4/S1", "S2", "S3"}
    assert sample_df["unit"].nunique() == 12
    assert "Nama" not in sample_df.columns and "No HP" not in sample_df.columns
