"""The one parameter schema: the notebook, the CLI, units.yml and the batch check values the same way."""
from __future__ import annotations

import argparse
import datetime
import json

import pytest
import yaml

from skmkit import report
from skmkit import schema as params
from skmkit.errors import ParameterError


def _message(values, **kw):
    with pytest.raises(ParameterError) as info:
        params.check(values, **kw)
    return str(info.value)


def test_values_are_normalised():
    v = params.check({"population": "4000", "period_start": datetime.date(2026, 1, 1),
                      "period_end": "2026-06-30", "legacy_weight": "0,111", "period": 2026, "head_name": " "})
    assert v == {"population": 4000, "period_start": "2026-01-01", "period_end": "2026-06-30",
                 "legacy_weight": 0.111, "period": "2026", "head_name": None}


@pytest.mark.parametrize("values, words", [
    ({"population": 1.25}, "1250 tanpa titik ribuan"),          # `population = 1.250` in a notebook
    ({"population": "1.250"}, "titik ribuan"),
    ({"population": True}, "bukan ya/tidak"),
    ({"population": 1e12}, "melebihi"),
    ({"population": 0}, ">= 1"),
    ({"population": -3}, ">= 1"),
    ({"period": ["Semester I", "2026"]}, "bukan daftar"),
    ({"institution": {"nama": "Kota"}}, "bukan pemetaan"),
    ({"previous": [{"period": "2025", "ikm": "banyak"}]}, "bukan angka"),
    ({"previous": [{"period": "2025", "ikm": 250}]}, "di luar 25-100"),
    ({"previous": [{"ikm": 80}]}, "{period, ikm}"),
    ({"period_start": "2026-07-01", "period_end": "2026-01-31"}, "sebelum period_start"),
    ({"period_start": "2026-01-01", "period_end": "kemarin"}, "YYYY-MM-DD"),
    ({"legacy_weight": 0.2}, "0.111, 0.11"),
])
def test_bad_values_get_one_line_each(values, words):
    message = _message(values, where="dinsos.yml")
    assert words in message and message.startswith("dinsos.yml: ")
    assert len(message.splitlines()) == 1


def test_every_problem_is_listed_and_unknown_names_refused():
    message = _message({"population": "x", "period_end": "kemarin", "warna": "biru"}, known=["population",
                                                                                          "period_end"])
    # four problems: the unknown name, two values, and period_end given without period_start
    assert len(message.splitlines()) == 4 and "warna" in message and "tanpa period_start" in message


def test_required_parameters():
    assert "data" in _message({}, required=["data"])


def test_paths_resolve_against_their_file_and_become_relative_to_the_kernel(tmp_path):
    (tmp_path / "data.csv").write_text("x")
    (tmp_path / "lalu.csv").write_text("x")
    v = params.resolve_paths({"data": "data.csv", "previous": [{"period": "2025", "data": "lalu.csv"}],
                              "period": "S1"}, tmp_path)
    assert v["data"] == str(tmp_path / "data.csv") and v["previous"][0]["data"] == str(tmp_path / "lalu.csv")
    rel = params.relative_paths(v, tmp_path / "out" / "x")
    assert rel["data"] == "../../data.csv" and rel["previous"][0]["data"] == "../../lalu.csv"
    with pytest.raises(ParameterError, match="folder"):
        params.resolve_paths({"data": "."}, tmp_path)
    with pytest.raises(ParameterError, match="tidak ditemukan"):
        params.resolve_paths({"logo": "logo.png"}, tmp_path)


def test_path_keys_come_from_the_schema():
    assert set(params.PATH_KEYS) == {"data", "survey", "logo", "previous", "rtl", "follow_up", "history", "units",
                                     "prepared", "reference_doc"}
    assert params.AUTO_KEYS == {"source_name", "source_sha256", "history", "prepared"}
    assert params.EXPORT_KEYS == {"reference_doc"}  # the Word edition's, never the notebook's


def test_the_report_notebook_declares_exactly_the_schema_parameters():
    declared = report.notebook_parameters(report.notebook_path())
    expected = {n for n, p in params.SCHEMA.items() if n != "units" and not p.export}
    assert set(declared) == expected
    assert [n for n, d in declared.items() if d["required"]] == ["data"]
    recap = report.notebook_parameters(report.notebook_path(report.RECAP_NOTEBOOK))
    assert set(recap) <= set(params.SCHEMA)


def test_collect_takes_only_schema_names_from_a_namespace():
    ns = {"data": "x.csv", "period": "S1", "r": object(), "__name__": "__main__"}
    assert params.collect(ns) == {"data": "x.csv", "period": "S1"}


def test_cli_flags_derive_from_the_schema():
    parser = argparse.ArgumentParser()
    params.add_arguments(parser, ["period", "head_name", "population"], required=("period",))
    a = parser.parse_args(["--period", "S1", "--head-name", "Dra. Siti"])
    assert params.cli_values(a, ["period", "head_name", "population"]) == {"period": "S1", "head_name": "Dra. Siti",
                                                                         "population": None}


def test_yaml_dates_without_quotes_are_accepted(tmp_path):
    loaded = yaml.safe_load("period_start: 2026-01-01\nperiod_end: 2026-06-30\n")
    assert params.check(loaded) == {"period_start": "2026-01-01", "period_end": "2026-06-30"}
    json.dumps(params.check(loaded))  # plain values, fit for the manifest


@pytest.mark.parametrize("typed, names, fix", [
    ("2026-06-31", "tanggal 31 tidak ada di Juni 2026 (30 hari)", "2026-06-30"),
    ("2026-02-29", "tanggal 29 tidak ada di Februari 2026 (28 hari)", "2026-02-28"),
    ("2026-13-01", "bulan 13 tidak ada", "tahun dulu lalu bulan"),
    ("30-06-2026", "tertulis hari dulu", "2026-06-30"),
    ("30/06/2026", "tertulis hari dulu", "2026-06-30"),
    ("2026-6-30", "dua angka", "2026-06-30"),
    ("akhir Juni", "bukan tanggal", "YYYY-MM-DD"),
])
def test_a_mistyped_period_date_gets_one_line_naming_that_mistake(typed, names, fix):
    """The analyst gave both dates and mistyped one: one line, about that date; never "diisi tanpa"."""
    with pytest.raises(ParameterError) as info:
        params.check({"period_start": "2026-01-01", "period_end": typed})
    [line] = str(info.value).splitlines()
    assert f"'period_end' bernilai '{typed}'" in line and names in line and fix in line.split("Perbaikan:")[1]
    assert "diisi tanpa" not in line


def test_one_period_date_without_the_other_is_named():
    with pytest.raises(ParameterError, match="period_start diisi tanpa period_end"):
        params.check({"period_start": "2026-01-01"})
    with pytest.raises(ParameterError, match="period_end diisi tanpa period_start"):
        params.check({"period_start": " ", "period_end": "2026-06-30"})
