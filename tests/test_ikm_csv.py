"""`skmkit ikm` on a large plain CSV without pandas: the same JSON as the general path, or the general path.

The fast path (:mod:`skmkit.ikm_csv`) serves files of 8 MB and more
(``ikm_json.FAST_BYTES``); here the threshold is set to 0 so that every office
file of the reading rules goes through it, and each result (or refusal) is
compared with the general path's.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from skmkit import ikm_csv as fast
from skmkit import ikm_json
from skmkit.errors import SkmError
from skmkit.ikm_json import ikm_report
from skmkit.survey import load_survey

DATA = Path(__file__).parent / "data"
KEYS = [f"U{i}" for i in range(1, 10)]


def _both(monkeypatch, path, **kw):
    """(general path's result or error text, fast path's result or error text, whether the fast path served)."""
    def run():
        try:
            return json.dumps(ikm_report(path, **kw), ensure_ascii=False, indent=1, allow_nan=False)
        except SkmError as exc:
            return f"{type(exc).__name__}: {exc}"

    monkeypatch.setattr(ikm_json, "FAST_BYTES", 1 << 62)
    general = run()
    monkeypatch.setattr(ikm_json, "FAST_BYTES", 0)
    numbers = fast.ikm_csv(path, by=kw.get("by"), survey=load_survey(), source=Path(path).name)
    served = numbers is not None and numbers.sha256() is not None
    return general, run(), served


def test_the_na_cells_are_pandas_own():
    from pandas._libs.parsers import STR_NA_VALUES

    assert set(fast.NA_VALUES) == set(STR_NA_VALUES)


OFFICE = sorted([*DATA.glob("berkas_kantor/*.csv"), *DATA.glob("berkas_kantor/*.txt"),
                 *DATA.glob("berkas_bermasalah/*.csv")])


@pytest.mark.parametrize("by", [None, "unit", "layanan", "Jenis Kelamin"])
@pytest.mark.parametrize("path", OFFICE, ids=lambda p: p.name)
def test_every_office_file_gives_the_general_paths_json_or_refusal(monkeypatch, path, by):
    general, got, _ = _both(monkeypatch, path, by=by)
    assert got == general


@pytest.mark.parametrize("kw", [{}, {"by": "Unit Layanan"}, {"by": "unit", "ci": None}, {"by": "layanan"},
                                {"by": "unit", "population": 500}, {"by": "unit", "legacy_weight": 0.111}])
def test_the_sample_goes_the_fast_path_with_the_same_bytes(monkeypatch, sample_path, kw):
    general, got, served = _both(monkeypatch, sample_path, **kw)
    assert served and got == general


def _answers(n, seed=3):
    import numpy as np

    rng = np.random.default_rng(seed)
    return rng.integers(1, 5, size=(n, 9))


def _write(path, rows, header, text=None):
    pd.DataFrame(rows, columns=header).to_csv(path, index=False)
    if text is not None:
        path.write_text(text(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


HEADER = ["Timestamp", "Unit Layanan", "Jenis Layanan", "Saran"] + KEYS


def _rows(n=60, units=("Dinas A", "Dinas B", "Kecamatan C")):
    a = _answers(n)
    return [[f"2026-01-{i % 28 + 1:02d} 08:00:{i % 60:02d}", units[i % len(units)], "Layanan X", "ok"]
            + a[i].tolist() for i in range(n)]


CASES = {
    # served: plain, labels, blanks, a blank unit, a unit nobody answered for, a newline in a quoted suggestion
    "plain": (lambda rows: rows, None, True),
    "labels": (lambda rows: [r[:4] + [load_survey().get(k).labels[v - 1] for k, v in zip(KEYS, r[4:])]
                             for r in rows], None, True),
    "blank answers": (lambda rows: [r[:4] + [None if (i + j) % 7 == 0 else v for j, v in enumerate(r[4:])]
                                    for i, r in enumerate(rows)], None, True),
    "blank unit": (lambda rows: [r[:1] + [None if i % 9 == 0 else r[1]] + r[2:] for i, r in enumerate(rows)],
                   None, True),
    "unit without answers": (lambda rows: rows + [["2026-02-01 08:00:00", "UPT Kosong", "L", "x"] + [None] * 9],
                             None, True),
    "newline in a suggestion": (lambda rows: [r[:3] + ["baris satu\nbaris dua"] + r[4:] for r in rows], None, None),
    "NA written in a cell": (lambda rows: [r[:4] + ["NA"] + r[5:] if i == 3 else r for i, r in enumerate(rows)],
                             None, True),
    # the general path's: a totals row, names typed two ways, personal data, a bad answer, title rows,
    # a delimiter at the end of each row, Windows-1252 bytes, 4.0 written for 4
    "totals row": (lambda rows: rows + [["JUMLAH", None, None, None] + [100] * 9], None, False),
    "names typed two ways": (lambda rows: rows + [rows[0][:1] + ["dinas a "] + rows[0][2:]], None,
                             {None: True, "Unit Layanan": False}),  # merged and said there, when grouped by them
    "personal data in the unit": (lambda rows: rows + [rows[0][:1] + ["Bu Siti 0812-7777-3141"] + rows[0][2:]],
                                  None, False),
    "unknown answer": (lambda rows: rows + [rows[0][:4] + [7] + rows[0][5:]], None, False),
    "answer 4.0 after the first rows": (lambda rows: rows + [rows[0][:4] + ["4.0"] + rows[0][5:]], None, False),
    "answer 4.0 from the start": (lambda rows: [r[:4] + ["4.0"] + r[5:] for r in rows], None, True),
    "title rows": (lambda rows: rows, lambda t: "Rekap SKM 2026\n\n" + t, False),
    "a delimiter at the end of every line": (lambda rows: rows, lambda t: t.replace("\n", ",\n"), True),
    "a delimiter at the end of each data row": (lambda rows: rows, lambda t: t.replace("\n", ",\n").replace(
        ",\n", "\n", 1), False),
    "blank row": (lambda rows: rows[:5] + [[None] * 13] + rows[5:], None, False),
}


@pytest.mark.parametrize("case", list(CASES))
def test_files_the_fast_path_serves_or_leaves(monkeypatch, tmp_path, case):
    change, text, serves = CASES[case]
    path = _write(tmp_path / "x.csv", change(_rows()), HEADER, text)
    for by in (None, "Unit Layanan"):
        general, got, served = _both(monkeypatch, path, by=by)
        assert got == general
        expected = serves.get(by) if isinstance(serves, dict) else serves
        if expected is not None:
            assert served is expected, (case, by)


def test_windows_1252_bytes_after_the_head_go_the_general_path(monkeypatch, tmp_path):
    rows = _rows(2000)
    rows[-1][3] = "Pelayanan sangat baik \u2013 terima kasih"
    path = tmp_path / "w.csv"
    pd.DataFrame(rows, columns=HEADER).to_csv(path, index=False, encoding="cp1252")
    general, got, served = _both(monkeypatch, path, by="unit")
    assert not served and got == general


def test_numbers_by_hand(monkeypatch, tmp_path):
    """Unit A: U1..U9 = 4 and 2 (IKM 75); unit B: 3 everywhere but U4 blank (IKM 75 from 8 unsur)."""
    rows = [["2026-01-02 08:00:00", "A", "L", ""] + [4] * 9, ["2026-01-02 09:00:00", "A", "L", ""] + [2] * 9,
            ["2026-01-03 08:00:00", "B", "L", ""] + [3, 3, 3, None, 3, 3, 3, 3, 3]]
    path = _write(tmp_path / "h.csv", rows, HEADER)
    monkeypatch.setattr(ikm_json, "FAST_BYTES", 0)
    assert fast.ikm_csv(path, by="unit", survey=load_survey(), source="h.csv") is not None
    got = {g["group"]["unit"]: g for g in ikm_report(path, by="unit")["groups"]}
    assert got["A"]["ikm"] == pytest.approx(75.0) and got["A"]["respondents"] == 2
    assert got["A"]["unsur"]["U1"]["nrr"] == pytest.approx(3.0) and got["A"]["unsur"]["U1"]["filled"] == 2
    assert got["B"]["ikm"] == pytest.approx(3 * 8 / 8 * 25) and got["B"]["unsur_dinilai"] == [k for k in KEYS
                                                                                              if k != "U4"]
    assert got["B"]["weight_label"] == "1/8 (tepat; 8 dari 9 unsur dijawab)"


def test_ikm_on_a_plain_csv_does_not_import_pandas(sample_path):
    script = ("import sys, io, contextlib\n"
              "import skmkit.ikm_json as f\n"
              "f.FAST_BYTES = 0\n"
              "from skmkit.cli import main\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              f"    assert main(['ikm', {str(sample_path)!r}, '--by', 'unit', '--json']) == 0\n"
              "print('pandas' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_blocks_cut_inside_quoted_line_breaks_are_read_again_whole(monkeypatch, tmp_path):
    rows = _rows(3000)
    for i, r in enumerate(rows):
        r[3] = "antre lama,\nloket " + ",".join(["x"] * (i % 20))  # commas after the break: a row's width
    path = _write(tmp_path / "q.csv", rows, HEADER)
    monkeypatch.setattr(fast, "_BLOCK", {"block_size": 4096})  # many blocks, many cut inside a quoted value
    general, got, served = _both(monkeypatch, path, by="unit")
    assert got == general and served
