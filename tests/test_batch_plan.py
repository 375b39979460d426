"""Planning a batch: what counts as the kit's code, and canonical hashing."""
from __future__ import annotations

from skmkit.batch import plan


def test_code_hash_covers_subpackages(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "sub" / "b.py").write_text("y = 1\n")
    (tmp_path / "sub" / "notes.txt").write_text("not code")
    before = plan._tree_sha(tmp_path, {".py"})
    (tmp_path / "sub" / "notes.txt").write_text("still not code")
    assert plan._tree_sha(tmp_path, {".py"}) == before
    (tmp_path / "sub" / "b.py").write_text("y = 2\n")
    assert plan._tree_sha(tmp_path, {".py"}) != before


def test_kit_fingerprint_names_the_version_and_is_stable():
    fp = plan.kit_fingerprint()
    assert fp.startswith("0.1.0+") and len(fp.split("+")[1]) == 16
    plan.kit_fingerprint.cache_clear()
    assert plan.kit_fingerprint() == fp


def test_canonical_json_sorts_keys():
    assert plan.canon_json({"b": 1, "a": [1, 2]}) == plan.canon_json({"a": [1, 2], "b": 1}) == '{"a": [1, 2], "b": 1}'


def test_summary_csv_keeps_formula_like_unit_names_as_text(tmp_path):
    import csv

    from skmkit.batch.summary import BatchResult, write_summary

    name = '=HYPERLINK("http://x","klik")'
    record = {"id": "x", "unit": name, "status": "failed", "respondents": None, "ikm": None, "mutu": None,
              "duration_s": None, "cause": "+62 sebab", "outputs": {}, "log": "_batch/logs/x.log"}
    write_summary(BatchResult(out=tmp_path, units=[record]), prepared=[])
    rows = list(csv.DictReader((tmp_path / "ringkasan.csv").open(encoding="utf-8")))
    assert rows[0]["unit"] == "'" + name          # a spreadsheet shows it as text, never a live formula
    assert rows[0]["sebab"] == "'+62 sebab"


def test_units_file_can_say_where_the_header_is(tmp_path):
    import openpyxl
    import yaml

    from skmkit.batch.units import load_units, split_units
    from skmkit.report import notebook_path

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["REKAP SKM KOTA"])
    ws.append([])
    ws.append(["Unit Layanan"] + [f"U{i}" for i in range(1, 10)])
    for unit, score in (("Dinas A", 4), ("Dinas A", 2), ("Dinas B", 3)):
        ws.append([unit] + [score] * 9)
    wb.save(tmp_path / "kota.xlsx")
    (tmp_path / "units.yml").write_text(yaml.safe_dump({
        "defaults": {"data": "kota.xlsx", "by": "Unit Layanan", "header_row": 3},
        "units": [{"id": "a", "unit": "Dinas A"}, {"id": "b", "unit": "dinas b"}]}), encoding="utf-8")
    specs = load_units(tmp_path, notebook=notebook_path())
    assert [s.header_row for s in specs] == [3, 3] and "header_row" not in specs[0].params
    a, b = split_units(specs)
    assert (a.rows, b.rows) == (2, 1) and a.error is None
    assert a.frame["_row"].tolist() == [4, 5]  # rows as the spreadsheet shows them


def test_a_unit_planned_twice_in_one_process_hashes_the_same(tmp_path):
    """The Python API run twice (a notebook, a script) skips what did not change: the prepared unit's pickle,
    which differs between two preparations in one process, is not an input."""
    import yaml

    from skmkit import sample_data_path
    from skmkit.batch import _folders
    from skmkit.batch.units import load_units, split_units
    from skmkit.report import notebook_parameters, notebook_path

    (tmp_path / "units.yml").write_text(yaml.safe_dump({
        "defaults": {"data": str(sample_data_path()), "by": "Unit Layanan", "period": "Semester I 2026"},
        "units": [{"id": "dinsos", "unit": "Dinas Sosial"}]}), encoding="utf-8")
    nb = notebook_path()
    declared = set(notebook_parameters(nb))
    assert "prepared" in declared  # the kit's notebook takes the unit the driver prepared
    out = tmp_path / "out"
    out.mkdir()
    dirs = _folders(out)
    hashes = []
    for _ in range(2):
        [ud] = split_units(load_units(tmp_path / "units.yml", notebook=nb))
        rec, task, _unit = plan.plan_unit(ud, out, dirs, declared, {"kit": "k", "notebook": "n", "template": "t"}, nb,
                                             False, False, 60, 25)
        assert task is not None and task["params"]["prepared"]
        hashes.append(rec["input_hash"])
    assert hashes[0] == hashes[1]
