"""Write the problem files of this folder (run: python buat_berkas.py).

Files a new user brings that the kit must read right or refuse in one line,
never half-read (issue 20): a workbook with one sheet per unit, personal data
typed where a unit name belongs, respondents' names under "Responden" and
formula-like cells, YAML parameter files with nested aliases, emoji in names
and saran, and a unit with one respondent whose answers tie. The answers come
from one seeded generator (no skmkit code is used here); the tests work the
expected numbers out from these files' raw cells.
"""
from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
KEYS = [f"U{i}" for i in range(1, 10)]
FIXED = datetime(2026, 1, 1)
HEAD = ["Timestamp", "Unit Layanan", "Jenis Kelamin", "Pendidikan"] + KEYS + ["Saran"]

#: Personal data planted in the files: the tests search every output for these strings.
PLANTED = {
    "phone": "0812-7777-3141",
    "email": "siti.rahma77@contoh.id",
    "nik": "3201234567890124",
    "name": "Sutrisno Wibowokarto",
}
#: Cells a spreadsheet would read as formulas.
FORMULAS = ['=HYPERLINK("http://contoh.invalid","klik")', "+6281277773141", "-lambat sekali", "@SUM(A1:A9)"]


def answers(n: int, seed: int) -> list[list[int]]:
    rng = random.Random(seed)
    return [[rng.choice([2, 3, 3, 4, 4]) for _ in KEYS] for _ in range(n)]


def stamps(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    t, out = datetime(2026, 1, 5, 8, 0, 0), []
    for _ in range(n):
        t += timedelta(minutes=rng.randint(30, 3000))
        out.append(t.strftime("%Y-%m-%d %H:%M:%S"))
    return out


def write_csv(name: str, rows: list[list]):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(["" if v is None else v for v in r] for r in rows)
    (HERE / name).write_bytes(buf.getvalue().encode("utf-8"))


def _wb():
    wb = openpyxl.Workbook()
    wb.properties.created = wb.properties.modified = FIXED
    return wb


def _save(wb, name):
    wb.properties.created = wb.properties.modified = FIXED
    wb.save(HERE / name)


def _sheet_rows(ws, unit, n, seed):
    ws.append(HEAD)
    for t, a in zip(stamps(n, seed), answers(n, seed)):
        ws.append([t, unit, "L", "SMA"] + a + [""])


def sheet_per_unit():
    """One sheet per unit (the unit's name as the sheet name, no unit column): three units, 12/9/7 rows."""
    wb = _wb()
    wb.active.title = "Dinas Sosial"
    for i, (title, n) in enumerate([("Dinas Sosial", 12), ("Puskesmas Melati", 9), ("Kecamatan Timur", 7)]):
        ws = wb.active if i == 0 else wb.create_sheet(title)
        ws.append(["Timestamp", "Jenis Kelamin", "Pendidikan"] + KEYS)
        for t, a in zip(stamps(n, 10 + i), answers(n, 10 + i)):
            ws.append([t, "P", "D4/S1"] + a)
    _save(wb, "sheet_per_unit.xlsx")


def data_dan_rekap():
    """A data sheet and a recap sheet (NRR per unsur, decimals, JUMLAH/IKM rows): the data sheet is the one."""
    wb = _wb()
    ws = wb.active
    ws.title = "Data"
    rows = answers(15, 21)
    ws.append(["Timestamp", "Jenis Kelamin"] + KEYS)
    for t, a in zip(stamps(15, 21), rows):
        ws.append([t, "L"] + a)
    rekap = wb.create_sheet("Rekap")
    rekap.append(["Keterangan"] + KEYS)
    rekap.append(["JUMLAH"] + [sum(r[j] for r in rows) for j in range(9)])
    rekap.append(["Rata-rata"] + [round(sum(r[j] for r in rows) / 15, 2) for j in range(9)])
    rekap.append(["Unit Layanan"] + [round(sum(r[j] for r in rows) / 15, 2) for j in range(9)])
    _save(wb, "data_dan_rekap.xlsx")


def pribadi_di_kolom_unit():
    """Personal data typed into the unit column by three respondents (rows 5, 9 and 14)."""
    n = 16
    rows = [HEAD]
    for i, (t, a) in enumerate(zip(stamps(n, 31), answers(n, 31))):
        unit = "Dinas Sosial" if i % 2 else "Puskesmas Melati"
        rows.append([t, unit, "P", "SMA"] + a + [""])
    rows[4][1] = f"Bu Siti {PLANTED['phone']}"
    rows[8][1] = PLANTED["email"]
    rows[13][1] = f"NIK {PLANTED['nik']}"
    write_csv("pribadi_di_kolom_unit.csv", rows)


def responden_dan_rumus():
    """Respondents' names under "Responden", formula-like unit names and saran, personal data in saran.

    Two units ("Dinas Sosial" and a unit named like a formula), 10 rows each.
    """
    head = ["Timestamp", "Responden", "Unit Layanan", "Jenis Kelamin"] + KEYS + ["Saran"]
    rows = [head]
    names = ["Agus Salim", "Dewi Lestari", PLANTED["name"], "Rina Marlina", "Bambang Sutejo"]
    for i, (t, a) in enumerate(zip(stamps(20, 41), answers(20, 41))):
        unit = "Dinas Sosial" if i < 10 else FORMULAS[0]
        saran = FORMULAS[1 + i % 3] if i % 4 == 0 else ""
        if i == 3:
            saran = f"hubungi saya {PLANTED['phone']} atau {PLANTED['email']}"
        rows.append([t, names[i % len(names)], unit, "L" if i % 2 else "P"] + a + [saran])
    write_csv("responden_dan_rumus.csv", rows)


def _bomb(levels=9, width=9) -> str:
    lines = ["a: &a [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*{'a' if i == 1 else f'l{i - 1}'}"] * width) + "]")
    return "\n".join(lines) + "\n"


def yaml_bom():
    """Billion laughs as report parameters and as a batch's units.yml."""
    (HERE / "params_bom.yml").write_text("period: Semester I 2026\n" + _bomb(), encoding="utf-8")
    (HERE / "units_bom.yml").write_text(_bomb() + "units:\n- id: dinsos\n  unit: Dinas Sosial\n", encoding="utf-8")


def emoji():
    """An emoji in a unit name and in saran (characters the kit's fonts do not have)."""
    rows = [HEAD]
    for i, (t, a) in enumerate(zip(stamps(8, 51), answers(8, 51))):
        saran = ["Pelayanan cepat 👍", "Ramah sekali 😊🙏", "", "Antre lama 😡"][i % 4]
        rows.append([t, "Puskesmas Melati 🌼", "P", "SMA"] + a + [saran])
    write_csv("emoji.csv", rows)


def satu_responden():
    """One respondent: U2, U6 and U7 tie at the top (4), U1 and U8 tie at the bottom (2)."""
    write_csv("satu_responden.csv", [HEAD, ["2026-02-03 09:15:00", "Kelurahan Sukamaju", "L", "SMA",
                                            2, 4, 3, 3, 3, 4, 4, 2, 3, "Tambah kursi tunggu"]])


if __name__ == "__main__":
    sheet_per_unit()
    data_dan_rekap()
    pribadi_di_kolom_unit()
    responden_dan_rumus()
    yaml_bom()
    emoji()
    satu_responden()
