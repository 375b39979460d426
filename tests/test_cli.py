"""The command line: thin, Indonesian, examples in every help, no tracebacks on bad input."""
import json
import subprocess
import sys

import pandas as pd
import pytest

from skmkit import cli

KEYS = [f"U{i}" for i in range(1, 10)]


def run(*args):
    return subprocess.run([sys.executable, "-m", "skmkit", *map(str, args)], capture_output=True, text=True)


def test_ikm_json_shape_and_values(tmp_path, capsys):
    rows = [[4] * 9 + ["A"], [2] * 9 + ["A"], [3] * 9 + ["B"]]
    path = tmp_path / "d.csv"
    pd.DataFrame(rows, columns=KEYS + ["Jenis Layanan"]).to_csv(path, index=False)
    assert cli.main(["ikm", str(path), "--by", "Jenis Layanan", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"groups", "method"}
    a, b = out["groups"]
    assert set(a) == {"group", "respondents", "unsur", "ikm", "mutu", "kinerja", "ci95", "unsur_dinilai", "weight",
                      "weight_label"}
    assert a["weight_label"] == "1/9 (tepat)" and a["weight"] == pytest.approx(1 / 9)
    assert a["group"] == {"Jenis Layanan": "A"} and b["group"] == {"Jenis Layanan": "B"}
    assert a["respondents"] == 2 and a["ikm"] == pytest.approx(75.0) and a["mutu"] == "C"
    assert b["ikm"] == pytest.approx(75.0)
    assert set(a["unsur"]["U1"]) >= {"nrr", "filled", "converted", "mutu"}
    assert a["unsur"]["U1"]["nrr"] == pytest.approx(3.0) and a["unsur"]["U1"]["filled"] == 2
    lo, hi = a["ci95"]
    assert lo <= 75.0 <= hi
    assert out["method"]["weight"] == pytest.approx(1 / 9)


def test_ikm_json_ungrouped_group_is_empty(sample_path, capsys):
    assert cli.main(["ikm", str(sample_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["groups"][0]["group"] == {} and out["groups"][0]["respondents"] == 2435


def test_ikm_table_is_indonesian(sample_path, capsys):
    assert cli.main(["ikm", str(sample_path), "--by", "Unit Layanan"]) == 0
    out = capsys.readouterr().out
    assert "Dinas Sosial" in out and "IKM" in out and "1/9 (tepat)" in out


def test_validate_exit_codes(tmp_path, sample_path):
    assert run("validate", sample_path).returncode == 0
    bad = tmp_path / "bad.csv"
    pd.DataFrame([[7] * 9], columns=KEYS).to_csv(bad, index=False)
    r = run("validate", bad)
    assert r.returncode == 1
    assert "bad.csv baris 2" in r.stdout and "Traceback" not in r.stdout + r.stderr


@pytest.mark.parametrize("args", [
    ["ikm", "tidak-ada.csv"],
    ["ikm", "{sample}", "--by", "Kolom Tidak Ada"],
    ["ikm", "{sample}", "--by", "Nama"],
    ["sample-size", "0"],
])
def test_bad_input_never_prints_a_traceback(args, sample_path):
    r = run(*[a.replace("{sample}", str(sample_path)) for a in args])
    assert r.returncode != 0
    assert "Traceback" not in r.stderr and r.stderr.strip()


def test_sample_size(capsys):
    assert cli.main(["sample-size", "1000"]) == 0
    out = capsys.readouterr().out
    assert "Krejcie-Morgan: 278" in out and "Slovin (e = 5%): 286" in out


def test_demo_data_reproduces_bundled_sample(tmp_path, sample_path):
    assert cli.main(["demo-data", "--out", str(tmp_path)]) == 0
    assert (tmp_path / sample_path.name).read_bytes() == sample_path.read_bytes()


def test_every_command_has_help_with_examples():
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    assert len(sub.choices) >= 5
    for name, p in sub.choices.items():
        assert p.epilog and p.epilog.startswith("Contoh:"), name
        assert f"skmkit {name}" in p.epilog, name


def test_python_m_and_version():
    r = run("--version")
    assert r.returncode == 0 and "skmkit" in r.stdout


# -- each command calls its library function with keyword arguments of the same names --------------
class _Called(Exception):
    pass


def _capture(monkeypatch, module, name):
    """Replace ``module.name`` by a recorder; return the dict that receives its call."""
    import importlib

    seen = {}

    def record(*args, **kwargs):
        seen.update(args=args, kwargs=kwargs)
        raise _Called

    monkeypatch.setattr(importlib.import_module(module), name, record)
    return seen


@pytest.mark.parametrize("argv, module, name, args, kwargs", [
    (["report", "d.csv", "--unit", "Dinas Sosial", "--out", "o", "--period", "Semester I 2026",
      "--population", "4000", "--head-name", "Dra. Siti", "--period-start", "2026-01-01",
      "--notebook", "laporan_saya.ipynb"],
     "skmkit.report", "render_report", ("d.csv",),
     {"unit": "Dinas Sosial", "by": None, "params": None, "out": "o", "formats": ("html", "pdf"),
      "engine": "weasyprint", "period": "Semester I 2026", "population": "4000", "head_name": "Dra. Siti",
      "period_start": "2026-01-01", "notebook": "laporan_saya.ipynb"}),
    (["banner", "d.csv", "--period", "S1", "--out", "o", "--logo", "l.png", "--head-title", "Kepala"],
     "skmkit.banner", "write_banner", ("d.csv",),
     {"unit": None, "by": None, "out": "o", "format": "png,pdf", "service": None, "sheet": None, "period": "S1",
      "logo": "l.png", "head_title": "Kepala"}),
    (["workbook", "d.csv", "--out", "o", "--institution", "Kota", "--rtl", "rtl.yml"],
     "skmkit.workbook", "write_workbook", ("d.csv",),
     {"unit": None, "by": None, "out": "o", "sheet": None, "institution": "Kota", "rtl": "rtl.yml"}),
    (["batch", "--params", "p/", "--out", "o", "--jobs", "2", "--force", "--timeout", "30"],
     "skmkit.batch", "batch", ("p/",),
     {"data": None, "by": None, "out": "o", "formats": None, "jobs": 2, "force": True, "executor": "local",
      "scheduler": None, "fresh_kernels": False, "timeout": 30.0, "recycle": 25, "recap": True, "notebook": None}),
    (["ikm", "d.csv", "--by", "Unit Layanan", "--population", "10"], "skmkit.ikm_json", "ikm_report", ("d.csv",),
     {"by": "Unit Layanan", "survey": None, "sheet": None, "header_row": None, "population": "10",
      "legacy_weight": None, "ci": "analytic"}),
    (["validate", "d.csv", "--sheet", "Form", "--period-start", "2026-01-01", "--period-end", "2026-06-30"],
     "skmkit.validate", "validate_file", ("d.csv",),
     {"survey": None, "sheet": "Form", "header_row": None, "period_start": "2026-01-01",
      "period_end": "2026-06-30"}),
    (["demo", "--out", "o"], "skmkit.batch", "demo", (), {"out": "o", "jobs": None}),
    (["riwayat-impor", "t.csv", "--out", "o"], "skmkit.history", "import_results", ("t.csv",),
     {"out": "o", "survey": None}),
])
def test_cli_calls_the_library_with_the_same_keyword_names(monkeypatch, argv, module, name, args, kwargs):
    seen = _capture(monkeypatch, module, name)
    with pytest.raises(_Called):
        cli.main(argv)
    assert seen["args"] == args
    # every schema flag of the command is passed by its own name (None when not given)
    assert {k: v for k, v in seen["kwargs"].items() if v is not None or k in kwargs} == kwargs
    flags = {"report": cli.REPORT_FLAGS, "banner": cli.BANNER_FLAGS, "workbook": cli.WORKBOOK_FLAGS,
             "ikm": cli.IKM_FLAGS, "validate": cli.VALIDATE_FLAGS}.get(argv[0], [])
    assert set(flags) <= set(seen["kwargs"])


def test_every_schema_parameter_is_a_report_flag_with_its_own_name():
    from skmkit import schema as params

    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    dests = {a.dest for a in sub.choices["report"]._actions}
    expected = {n for n, p in params.SCHEMA.items() if not p.auto and n != "units"}
    assert expected <= dests


def test_riwayat_impor_adds_old_results_to_the_history(tmp_path, capsys):
    table = tmp_path / "lama.csv"
    table.write_text("periode,awal,unit,ikm\nSemester II 2025,2025-07-01,Dinas Sosial,\"82,4\"\n"
                     "Semester I 2025,2025-01-01,Dinas Sosial,80\n", encoding="utf-8")
    assert cli.main(["riwayat-impor", str(table), "--out", str(tmp_path / "o")]) == 0
    assert "2 periode, 1 unit (2 hasil dari laporan lama)" in capsys.readouterr().out
    assert (tmp_path / "o" / "riwayat_skm.csv").is_file()
