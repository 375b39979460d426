"""Property: a valid survey rewritten the ways exports differ gives the same IKM per unit, or a refusal.

Hypothesis draws a small pooled survey (units, answers with a few blanks),
computes each unit's IKM by hand (the method doc: NRR over filled answers,
1/X over the unsur answered), then writes the same answers the ways offices
and form tools write them: delimiter, quoting, BOM and encoding, a delimiter
at the end of each row, blank lines and columns, spacing and case of labels
and unit names, letters or labels or numbers, column order, title rows, totals
rows, question-numbered headers, xlsx instead of csv. skmkit must give the
hand IKM for every unit, or refuse through :class:`SkmError`: never a
traceback, never a different number.
"""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from skmkit import SkmError
from skmkit.ikm_json import ikm_report

from method_labels import LABELS  # skm-method.md, "Answers"

KEYS = [f"U{i}" for i in range(1, 10)]
NAMES = {"U1": "Persyaratan", "U2": "Sistem, Mekanisme, dan Prosedur", "U3": "Waktu Penyelesaian",
         "U4": "Biaya/Tarif", "U5": "Produk Spesifikasi Jenis Pelayanan", "U6": "Kompetensi Pelaksana",
         "U7": "Perilaku Pelaksana", "U8": "Penanganan Pengaduan, Saran dan Masukan", "U9": "Sarana dan prasarana"}
QUESTION = {k: i for i, k in enumerate(["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8"], 1)}
UNITS = ["Dinas Sosial", "UPT Puskesmas 2", "Kecamatan Barat"]


def hand_ikm(rows):
    nrr = []
    for j in range(9):
        vals = [r[j] for r in rows if r[j] is not None]
        if vals:
            nrr.append(sum(vals) / len(vals))
    return sum(nrr) / len(nrr) * 25 if nrr else None


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


answer = st.one_of(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.none())
respondent = st.tuples(st.sampled_from(UNITS), st.lists(answer, min_size=9, max_size=9))
survey = st.lists(respondent, min_size=3, max_size=30)

rewrite = st.fixed_dictionaries({
    "format": st.sampled_from(["csv", "csv", "xlsx"]),
    "sep": st.sampled_from([",", ";", "\t"]),
    "quoting": st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]),
    "encoding": st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    "trailing": st.booleans(),
    "blank_lines": st.lists(st.integers(0, 40), max_size=3),
    "blank_column": st.one_of(st.none(), st.integers(0, 10)),
    "answers": st.sampled_from(["number", "letter", "label", "mixed"]),
    "case": st.sampled_from(["same", "upper", "lower", "spaces"]),
    "unit_spelling": st.booleans(),
    "headers": st.sampled_from(["key", "name", "question-number", "spaced-key"]),
    "order": st.randoms(use_true_random=False),
    "title": st.integers(0, 2),
    "totals": st.booleans(),
})


def _answer(key, v, how, case, i):
    if v is None:
        return ""
    if how == "mixed":
        how = ["number", "letter", "label"][i % 3]
    text = str(v) if how == "number" else "abcd"[v - 1] if how == "letter" else LABELS[key][v - 1]
    if case == "upper":
        text = text.upper()
    elif case == "lower":
        text = text.lower()
    elif case == "spaces":
        text = f"  {text} "
    return text


def _header(key, how):
    return {"key": key, "name": NAMES[key], "question-number": f"P{QUESTION[key]}",
            "spaced-key": f"U {key[1:]}"}[how]


def _unit(name, respell, i):
    if not respell:
        return name
    return [name, name.upper(), f" {name}  ", name.replace(" ", "  ").lower()][i % 4]


def build(rows, rw):
    """The table as an export writes it: a list of rows of cells (text or numbers)."""
    header = ["Unit Layanan"] + [_header(k, rw["headers"]) for k in KEYS]
    table = []
    for i, (unit, ans) in enumerate(rows):
        cells = [_unit(unit, rw["unit_spelling"], i)]
        cells += [_answer(k, v, rw["answers"], rw["case"], i + j) for j, (k, v) in enumerate(zip(KEYS, ans))]
        if rw["answers"] == "number" and rw["format"] == "xlsx":
            cells = [cells[0]] + [int(c) if c.strip() else None for c in cells[1:]]
        table.append(cells)
    order = list(range(len(header)))
    rw["order"].shuffle(order)
    header = [header[j] for j in order]
    table = [[r[j] for j in order] for r in table]
    if rw["totals"]:
        sums = {k: sum(a[j] for _, a in rows if a[j] is not None) for j, k in enumerate(KEYS)}
        total = ["" for _ in header]
        for j, h in enumerate(header):
            for k in KEYS:
                if h == _header(k, rw["headers"]):
                    total[j] = sums[k]
        total[0] = "JUMLAH"
        table.append(total)
    if rw["blank_column"] is not None:
        at = min(rw["blank_column"], len(header))
        header.insert(at, "")
        table = [r[:at] + [""] + r[at:] for r in table]
    for at in sorted(rw["blank_lines"], reverse=True):
        if 0 < at < len(table):
            table.insert(at, [])
    title = [["LAPORAN SURVEI KEPUASAN MASYARAKAT"], ["Semester I 2026"]][:rw["title"]]
    if title:
        title.append([])
    return title, header, table


def write(path, title, header, table, rw):
    if rw["format"] == "xlsx":
        wb = openpyxl.Workbook()
        ws = wb.active
        for r in title + [header] + table:
            ws.append([None if c == "" else c for c in r])
        wb.save(path)
        return
    lines = []
    for i, r in enumerate(title + [header] + table):
        one = io.StringIO()
        csv.writer(one, delimiter=rw["sep"], quoting=rw["quoting"], lineterminator="").writerow(r)
        line = one.getvalue() if r else ""
        if rw["trailing"] and r and i > len(title):  # data rows end with the delimiter
            line += rw["sep"]
        lines.append(line)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(rw["encoding"]))


@settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(rows=survey, rw=rewrite)
def test_rewritten_exports_give_the_same_ikm_or_a_refusal(tmp_path, rows, rw):
    expected = {}
    for unit in UNITS:
        part = [a for u, a in rows if u == unit]
        if part and hand_ikm(part) is not None:
            expected[_key(unit)] = hand_ikm(part)
    title, header, table = build(rows, rw)
    path = tmp_path / ("data.xlsx" if rw["format"] == "xlsx" else "data.csv")
    write(path, title, header, table, rw)
    try:
        result = ikm_report(path, by="Unit Layanan", ci=None)
    except SkmError as exc:
        event(f"refused: {str(exc).splitlines()[0][:80]}")
        return  # a refusal with the kit's own message is allowed; a traceback or a wrong number is not
    event("read")
    got = {_key(g["group"]["Unit Layanan"]): g["ikm"] for g in result["groups"]}
    assert got == pytest.approx(expected)


def test_the_plain_original_is_read_exactly(tmp_path):
    rows = [("Dinas Sosial", [4, 3, 3, None, 4, 3, 2, 1, 4]), ("Dinas Sosial", [3, 3, 2, None, 4, 4, 3, 2, 3])]
    rw = {"format": "csv", "sep": ",", "quoting": csv.QUOTE_MINIMAL, "encoding": "utf-8", "trailing": False,
          "blank_lines": [], "blank_column": None, "answers": "number", "case": "same", "unit_spelling": False,
          "headers": "key", "order": __import__("random").Random(0), "title": 0, "totals": False}
    title, header, table = build(rows, rw)
    write(tmp_path / "d.csv", title, header, table, rw)
    [g] = ikm_report(tmp_path / "d.csv", by="Unit Layanan", ci=None)["groups"]
    # eight unsur answered: (3.5 + 3 + 2.5 + 4 + 3.5 + 2.5 + 1.5 + 3.5) / 8 x 25
    assert g["ikm"] == pytest.approx(24.0 / 8 * 25)


# -- sheets: every sheet that holds answers is read, or the file is refused ----------------------------
extras = st.lists(st.sampled_from(["petunjuk", "rekap", "kosong"]), max_size=3, unique=True)


def _extra_sheet(wb, kind, rows):
    ws = wb.create_sheet({"petunjuk": "Petunjuk", "rekap": "Rekap", "kosong": "Sheet kosong"}[kind])
    if kind == "petunjuk":
        ws.append(["Isi satu baris per responden; nilai 1-4 atau a-d."])
    elif kind == "rekap":  # NRR per unsur: decimals, and a JUMLAH row
        ws.append(["Keterangan"] + KEYS)
        filled = [[a[j] for _, a in rows if a[j] is not None] for j in range(9)]
        ws.append(["JUMLAH"] + [sum(f) for f in filled])
        ws.append(["Rata-rata"] + [round(sum(f) / len(f), 2) + 0.001 if f else None for f in filled])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(rows=survey, per_unit=st.booleans(), extra=extras, order=st.randoms(use_true_random=False))
def test_answer_sheets_are_read_together_or_refused(tmp_path, rows, per_unit, extra, order):
    """One sheet with a unit column, or one sheet per unit; instruction, recap and empty sheets around them."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    units = [u for u in UNITS if any(x == u for x, _ in rows)]
    kinds = ([("unit", u) for u in units] if per_unit else [("all", None)]) + [("extra", k) for k in extra]
    order.shuffle(kinds)
    for kind, what in kinds:
        if kind == "extra":
            _extra_sheet(wb, what, rows)
            continue
        ws = wb.create_sheet(what or "Data")
        ws.append(([] if per_unit else ["Unit Layanan"]) + KEYS)
        for unit, ans in rows:
            if what is None or unit == what:
                ws.append(([] if per_unit else [unit]) + list(ans))
    path = tmp_path / "data.xlsx"
    wb.save(path)
    answered = {u for u, a in rows if any(v is not None for v in a)}
    try:
        result = ikm_report(path, by=None if per_unit else "Unit Layanan", ci=None)
    except SkmError as exc:
        event("refused")
        if per_unit and len(answered) > 1:
            assert "sheet" in str(exc)  # the refusal names the sheets, not another problem
        else:  # one answer sheet among instructions, recap and empty sheets: no reason to refuse
            assert not answered or (per_unit and len(units) > len(answered)), str(exc)
        return
    # read: it must hold every answered unit, never one sheet of several quietly
    assert not (per_unit and len(answered) > 1), "several answer sheets, one read quietly"
    event("read")
    expected = {u: hand_ikm([a for x, a in rows if x == u]) for u in answered}
    if per_unit:
        [g] = result["groups"]
        assert g["ikm"] == pytest.approx(next(iter(expected.values())))
    else:
        got = {g["group"]["Unit Layanan"]: g["ikm"] for g in result["groups"]}
        assert got == pytest.approx(expected)
    if per_unit:
        for unit in answered:  # a named sheet is read alone
            [g] = ikm_report(path, sheet=unit, ci=None)["groups"]
            assert g["ikm"] == pytest.approx(expected[unit])


# -- the grouping column: personal data never becomes a group ------------------------------------------
personal_value = st.one_of(
    st.builds(lambda n, d: f"{n} 08{d[:2]}-{d[2:6]}-{d[6:10]}", st.sampled_from(["Bu Siti", "Pak Budi", "Rina"]),
              st.text("0123456789", min_size=10, max_size=10)),
    st.builds(lambda u, h: f"{u}@{h}.id", st.sampled_from(["siti.rahma", "budi77", "r_marlina"]),
              st.sampled_from(["contoh", "mail"])),
    st.builds(lambda d: f"NIK {d}", st.text("0123456789", min_size=16, max_size=16)),
    st.builds(lambda d: f"+62 8{d[:2]} {d[2:6]} {d[6:10]}", st.text("0123456789", min_size=10, max_size=10)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(rows=survey, typed=st.lists(st.tuples(st.integers(0, 29), personal_value), max_size=3))
def test_personal_data_in_the_unit_column_is_refused_never_grouped(tmp_path, rows, typed):
    table = [[u] + ["" if v is None else v for v in a] for u, a in rows]
    planted = []
    for at, value in typed:
        if at < len(table):
            table[at][0] = value
            planted.append(value)
    path = tmp_path / "data.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["Unit Layanan"] + KEYS] + table)
    try:
        result = ikm_report(path, by="Unit Layanan", ci=None)
    except SkmError as exc:
        event("refused")
        assert planted, f"clean file refused: {exc}"
        assert not any(p in str(exc) for p in planted)
        assert "data pribadi" in str(exc)
        return
    event("read")
    assert not planted, "personal data became a group"
    expected = {}
    for unit in UNITS:
        part = [a for u, a in rows if u == unit]
        if part and hand_ikm(part) is not None:
            expected[unit] = hand_ikm(part)
    assert {g["group"]["Unit Layanan"]: g["ikm"] for g in result["groups"]} == pytest.approx(expected)
