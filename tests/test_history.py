"""The results history: rows worked out by hand, replace/add by period, schema versions, the pre-kit import."""
from __future__ import annotations

import math
import statistics

import pandas as pd
import pytest

from skmkit import history as h
from skmkit import load_survey
from skmkit.errors import ParameterError


def _answers(survey):
    """Five respondents, no blank: respondent i answers (i mod 4) + 1 to every unsur but the first."""
    k = survey.keys
    rows = []
    for i, first in enumerate([4, 3, 4, 2, 4]):
        rows.append({k[0]: first, **{u: (i % 4) + 1 for u in k[1:]}})
    return pd.DataFrame(rows)


def test_unit_rows_hold_the_ikm_its_se_and_each_unsur_worked_out_by_hand():
    s = load_survey()
    data = _answers(s)
    rows = h.unit_rows(data, unit="Dinas Sosial", period="Semester I 2026", period_start="2026-01-01", survey=s)
    top = rows[rows["unsur"] == h.IKM_ROW].iloc[0]
    # per respondent the mean answer over the unsur; the IKM is 25 x the mean of those (no blanks)
    per = [(r[s.keys[0]] + sum(r[u] for u in s.keys[1:])) / len(s.keys) for r in data.to_dict("records")]
    assert top["ikm"] == pytest.approx(25 * statistics.mean(per))
    assert top["se"] == pytest.approx(25 * statistics.stdev(per) / math.sqrt(5))
    assert top["n"] == 5 and top["unit_key"] == "dinas sosial" and top["survey"] == s.id
    first = rows[rows["unsur"] == s.keys[0]].iloc[0]
    assert first["nrr"] == pytest.approx(17 / 5)
    assert first["se"] == pytest.approx(statistics.stdev([4, 3, 4, 2, 4]) / math.sqrt(5))
    assert list(rows["unsur"]) == [h.IKM_ROW] + s.keys
    assert not {"nama", "no_hp", "saran", "tanggal"} & set(rows.columns)  # results only, no respondent's data


def _row(period, start, unit, ikm, se=0.5):
    return {"schema_version": h.SCHEMA_VERSION, "period": period, "period_start": start, "period_end": "",
            "unit": unit, "unit_key": unit.lower(), "unsur": h.IKM_ROW, "n": 100, "nrr": ikm / 25, "ikm": ikm,
            "se": se, "ci_low": None, "ci_high": None, "mutu": "B", "survey": "x", "source": "kit"}


def test_the_same_period_again_replaces_it_and_another_period_adds_to_it(tmp_path):
    first = pd.DataFrame([_row("Semester I 2026", "2026-01-01", "Dinas Sosial", 80.0),
                          _row("Semester I 2026", "2026-01-01", "RSUD", 85.0)])
    h.write_history(tmp_path, h.merge_history(h.read_history(tmp_path), first))
    again = pd.DataFrame([_row("Semester I 2026", "2026-01-01", "Dinas Sosial", 81.0)])
    h.write_history(tmp_path, h.merge_history(h.read_history(tmp_path), again))
    later = pd.DataFrame([_row("Semester II 2026", "2026-07-01", "Dinas Sosial", 84.0)])
    h.write_history(tmp_path, h.merge_history(h.read_history(tmp_path), later))
    got = h.read_history(tmp_path)
    assert sorted(zip(got["period"], got["unit"], got["ikm"])) == [
        ("Semester I 2026", "Dinas Sosial", 81.0), ("Semester I 2026", "RSUD", 85.0),
        ("Semester II 2026", "Dinas Sosial", 84.0)]
    csv = pd.read_csv(tmp_path / "riwayat_skm.csv")
    assert len(csv) == 3 and list(csv.columns) == h.COLUMNS
    earlier = h.earlier_periods(got, "  DINAS  sosial ", period="Semester II 2026", period_start="2026-07-01")
    assert [(p["period"], p["ikm"], p["se"]) for p in earlier] == [("Semester I 2026", 81.0, 0.5)]


def test_a_history_of_a_newer_version_is_refused_with_what_to_do(tmp_path):
    newer = pd.DataFrame([{**_row("S1", "2026-01-01", "A", 80.0), "schema_version": h.SCHEMA_VERSION + 1}])
    newer.to_parquet(tmp_path / "riwayat_skm.parquet", index=False)
    with pytest.raises(ParameterError, match="lebih baru.*perbarui skmkit"):
        h.read_history(tmp_path)
    pd.DataFrame({"unit": ["A"], "ikm": [80]}).to_parquet(tmp_path / "riwayat_skm.parquet", index=False)
    with pytest.raises(ParameterError, match="bukan riwayat.*riwayat-impor"):
        h.read_history(tmp_path)


def test_a_history_missing_a_later_column_still_reads(tmp_path):
    old = pd.DataFrame([_row("S1", "2026-01-01", "A", 80.0)]).drop(columns=["source", "ci_low"])
    old.to_parquet(tmp_path / "riwayat_skm.parquet", index=False)
    got = h.read_history(tmp_path)
    assert list(got.columns) == h.COLUMNS and got["ikm"].tolist() == [80.0]


def test_pre_kit_results_are_imported_with_unit_names_matched_and_no_se(tmp_path):
    s = load_survey()
    kit = pd.DataFrame([_row("Semester I 2026", "2026-01-01", "Dinas Sosial", 86.0)])
    kit["unit_key"] = "dinas sosial"
    h.write_history(tmp_path, kit)
    table = tmp_path / "lama.csv"
    table.write_text(f"Periode,Awal,Unit,IKM,{s.keys[0]}\nSemester II 2025,2025-07-01,  DINAS   SOSIAL ,\"82,4\",3.3\n",
                     encoding="utf-8")
    got = h.import_results(table, out=tmp_path, survey=s)
    old = got[got["period"] == "Semester II 2025"]
    assert set(old["unit"]) == {"Dinas Sosial"}              # the kit's spelling, matched by name_key
    top = old[old["unsur"] == h.IKM_ROW].iloc[0]
    assert top["ikm"] == pytest.approx(82.4) and math.isnan(top["se"]) and top["mutu"] == "B"
    assert old[old["unsur"] == s.keys[0]]["nrr"].tolist() == [3.3]
    pts = h.period_table(got)
    assert pts[pts["period"] == "Semester I 2026"]["verdict"].tolist() == ["tidak dapat diuji"]


def test_a_bad_value_in_the_import_names_file_row_column_and_fix(tmp_path):
    table = tmp_path / "lama.csv"
    table.write_text("periode,awal,unit,ikm\nSemester II 2025,2025-07-01,Dinas Sosial,8.24\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"lama.csv baris 2, kolom ikm: '8.24' bukan angka 25-100\. Perbaikan"):
        h.import_results(table, out=tmp_path)
    assert not (tmp_path / "riwayat_skm.parquet").exists()
