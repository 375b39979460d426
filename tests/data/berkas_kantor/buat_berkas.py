"""Write the office-shaped survey files of this folder (run: python buat_berkas.py).

Each file is written the way an office spreadsheet, LibreOffice, Excel's
"Save as" or a Google Forms export produces it: title rows, merged cells,
totals rows, a hidden sheet, hidden and filtered rows, a delimiter at the end of every row, UTF-16
"Unicode text", Windows-1252, .ods, formulas without stored values, Excel
serial dates in a CSV, day-first dates, P1..P9 headers, short headers, numbers
written "4.0" and "3. Sangat sesuai" in label columns. The answers come from
one seeded generator (no skmkit code is used here); the tests work the
expected numbers out from these files' raw cells.
"""
from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

HERE = Path(__file__).parent
KEYS = [f"U{i}" for i in range(1, 10)]
# The regulation's labels, score 1..4 (skm-method.md, "Answers").
LABELS = {
    "U1": ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
    "U2": ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
    "U3": ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
    "U4": ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
    "U5": ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
    "U6": ["Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"],
    "U7": ["Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"],
    "U8": ["Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"],
    "U9": ["Buruk", "Cukup", "Baik", "Sangat Baik"],
}
QUESTION_ORDER = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8"]  # P8 = sarana, P9 = pengaduan
FIXED = datetime(2026, 1, 1)


def answers(n: int, seed: int, skew: int = 0) -> list[list[int]]:
    """``n`` respondents x 9 unsur, scores 1-4 (mostly 3 and 4), U8 and U9 deliberately apart."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        row = [min(4, max(1, rng.choice([2, 3, 3, 3, 4, 4]) + skew)) for _ in KEYS]
        row[7] = min(4, max(1, rng.choice([1, 2, 2, 3]) + skew))   # U8 pengaduan: low
        row[8] = min(4, max(1, rng.choice([3, 4, 4, 4]) + skew))   # U9 sarana: high
        out.append(row)
    return out


def stamps(n: int, seed: int) -> list[datetime]:
    rng = random.Random(seed)
    t, out = datetime(2026, 1, 2, 8, 0, 0), []
    for _ in range(n):
        t += timedelta(minutes=rng.randint(30, 4000), seconds=rng.randint(0, 59))
        out.append(t)
    return out


def write_csv(name: str, rows: list[list], *, sep=",", encoding="utf-8", trailing="", newline="\r\n"):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator=newline)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    text = buf.getvalue()
    if trailing:
        lines = text.split(newline)
        text = newline.join(line + trailing if i > 0 and line else line for i, line in enumerate(lines))
    (HERE / name).write_bytes(text.encode(encoding))


def _wb():
    wb = openpyxl.Workbook()
    wb.properties.created = wb.properties.modified = FIXED
    return wb


def _save(wb, name):
    wb.properties.created = wb.properties.modified = FIXED
    wb.save(HERE / name)


def title_block(ws, width: int, lines: list[str]):
    """Title rows merged across the table, as offices put above the header."""
    for i, text in enumerate(lines, 1):
        ws.cell(i, 1, text).font = Font(bold=True, size=14 if i == 1 else 11)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)


# -- the cases ------------------------------------------------------------------------
def akhir_baris_koma():
    """Every data row ends with the delimiter (pandas took the first column as the index)."""
    rows = [["No", "Unit Layanan"] + KEYS]
    for i, a in enumerate(answers(24, 1), 1):
        rows.append([i, "Dinas Sosial"] + a)
    write_csv("akhir_baris_koma.csv", rows, trailing=",")


def akhir_baris_titik_koma_semua():
    """Header and data rows end with ';' (Excel on an Indonesian Windows: ';' separator)."""
    rows = [["No", "Unit Layanan"] + KEYS]
    for i, a in enumerate(answers(18, 2), 1):
        rows.append([i, "Kecamatan Barat"] + a)
    buf = ";\r\n".join(";".join(str(v) for v in r) for r in rows) + ";\r\n"
    (HERE / "akhir_baris_titik_koma.csv").write_bytes(buf.encode("cp1252"))


def unsur_tidak_dijawab():
    """A free service: the cost question skipped by every respondent of one unit."""
    rows = [["Cap waktu", "Unit Layanan"] + KEYS]
    t = stamps(60, 3)
    for i, a in enumerate(answers(30, 3)):
        rows.append([t[i].strftime("%Y-%m-%d %H:%M:%S"), "Puskesmas Sukamaju"] + a[:3] + [None] + a[4:])
    for i, a in enumerate(answers(30, 4)):
        rows.append([t[30 + i].strftime("%Y-%m-%d %H:%M:%S"), "Dinas Kependudukan"] + a)
    write_csv("unsur_tidak_dijawab.csv", rows)


def unit_tanpa_jawaban():
    """One unit whose rows hold no answer at all."""
    rows = [["Unit Layanan", "Jenis Kelamin"] + KEYS]
    for a in answers(20, 5):
        rows.append(["Dinas Pendidikan", "P"] + a)
    for _ in range(6):
        rows.append(["Kantor Camat Timur", "L"] + [None] * 9)
    write_csv("unit_tanpa_jawaban.csv", rows)


def nama_unit_diketik():
    """Unit names typed by hand: spaces and case differ."""
    spell = ["Dinas Sosial", "Dinas Sosial", "dinas sosial", "DINAS  SOSIAL", " Dinas Sosial ", "Dinas Sosial"]
    rows = [["Unit Layanan"] + KEYS]
    for i, a in enumerate(answers(40, 6)):
        rows.append([spell[i % len(spell)]] + a)
    for a in answers(20, 7):
        rows.append(["Dinas Perhubungan"] + a)
    write_csv("nama_unit_diketik.csv", rows)


def sheet_tersembunyi():
    """The first sheet (last year's data, all 1) hidden; the data on the first visible sheet."""
    wb = _wb()
    old = wb.active
    old.title = "2025"
    old.append(KEYS)
    for _ in range(10):
        old.append([1] * 9)
    old.sheet_state = "hidden"
    ws = wb.create_sheet("2026")
    ws.append(["Unit"] + KEYS)
    for a in answers(25, 8):
        ws.append(["UPT Pasar"] + a)
    _save(wb, "sheet_tersembunyi.xlsx")


def judul_gabung():
    """Merged title rows above the header, a blank row, then the table."""
    wb = _wb()
    ws = wb.active
    ws.title = "SKM"
    width = 12
    title_block(ws, width, ["REKAPITULASI SURVEI KEPUASAN MASYARAKAT", "DINAS KESEHATAN KOTA SUKAMAJU",
                            "SEMESTER I TAHUN 2026"])
    ws.append([])
    ws.append(["No", "Jenis Kelamin", "Pendidikan"] + [f"U{i}" for i in range(1, 10)])
    for i, a in enumerate(answers(33, 9), 1):
        ws.append([i, "L" if i % 2 else "P", "SMA"] + a)
    _save(wb, "judul_gabung.xlsx")


def baris_jumlah():
    """Totals rows under the data: JUMLAH, NRR, NRR TERTIMBANG, IKM (values, as pasted)."""
    wb = _wb()
    ws = wb.active
    ws.title = "Tabulasi"
    title_block(ws, 11, ["TABULASI SKM UPT PUSKESMAS"])
    ws.append(["No", "Responden"] + KEYS)
    data = answers(40, 10)
    for i, a in enumerate(data, 1):
        ws.append([i, f"R{i:02d}"] + a)
    sums = [sum(r[j] for r in data) for j in range(9)]
    nrr = [s / len(data) for s in sums]
    ws.append(["JUMLAH", None] + sums)
    ws.append(["NRR", None] + [round(x, 3) for x in nrr])
    ws.append(["NRR TERTIMBANG", None] + [round(x * 0.111, 3) for x in nrr])
    ws.append(["IKM", None, round(sum(nrr) / 9 * 25, 2)])
    ws.merge_cells(start_row=ws.max_row - 3, start_column=1, end_row=ws.max_row - 3, end_column=2)
    _save(wb, "baris_jumlah.xlsx")


def subtotal_per_unit():
    """Unit blocks each closed by a 'Jumlah <unit>' row, then a grand total."""
    wb = _wb()
    ws = wb.active
    ws.append(["Unit", "No"] + KEYS)
    for unit, seed in (("Kelurahan Satu", 11), ("Kelurahan Dua", 12)):
        data = answers(15, seed)
        for i, a in enumerate(data, 1):
            ws.append([unit, i] + a)
        ws.append([f"Jumlah {unit}", None] + [sum(r[j] for r in data) for j in range(9)])
    ws.append(["TOTAL", None] + [0] * 9)
    _save(wb, "subtotal_per_unit.xlsx")


def sel_unit_gabung():
    """The unit column merged down over each unit's rows."""
    wb = _wb()
    ws = wb.active
    ws.append(["No", "Unit Layanan", "Jenis Layanan"] + KEYS)
    row = 2
    for unit, n, seed in (("Dinas Sosial", 39, 13), ("Dinas Perizinan", 21, 14)):
        for i, a in enumerate(answers(n, seed)):
            ws.append([row - 1, unit if i == 0 else None, "Rekomendasi"] + a)
        ws.merge_cells(start_row=row, start_column=2, end_row=row + n - 1, end_column=2)
        row += n
    _save(wb, "sel_unit_gabung.xlsx")


def rumus_tanpa_nilai():
    """Answers written as formulas by a script: no value stored (never opened in Excel)."""
    wb = _wb()
    ws = wb.active
    ws.append(KEYS)
    for _ in range(9):
        ws.append(["=2+2"] * 9)
    _save(wb, "rumus_tanpa_nilai.xlsx")


def google_forms():
    """A Google Forms export: GMT+7 timestamps with AM/PM, question headers, labels."""
    header = ["Timestamp", "Nama", "Unit Layanan"] + [f"P{i}" for i in range(1, 10)] + ["Saran"]
    rows = [header]
    t = stamps(36, 15)
    for i, a in enumerate(answers(36, 15)):
        by_key = dict(zip(KEYS, a))
        stamp = f"{t[i]:%Y/%m/%d} {t[i].hour % 12 or 12}:{t[i]:%M:%S} {'PM' if t[i].hour >= 12 else 'AM'} GMT+7"
        rows.append([stamp, f"Warga {i}", "Samsat"] + [LABELS[k][by_key[k] - 1] for k in QUESTION_ORDER] + [""])
    write_csv("google_forms_gmt7.csv", rows)


def tanggal_serial_excel():
    """Dates as Excel serial numbers in a CSV (a date column formatted as General)."""
    rows = [["Tanggal", "Unit"] + KEYS]
    t = stamps(30, 16)
    for i, a in enumerate(answers(30, 16)):
        serial = (t[i] - datetime(1899, 12, 30)).days
        rows.append([serial, "Bapenda"] + a)
    write_csv("tanggal_serial_excel.csv", rows)


def tanggal_hari_dulu():
    """Day-first dates (02/01/2026 = 2 January), ';' separated as Indonesian Excel saves."""
    rows = [["Tanggal Survei", "Unit"] + KEYS]
    t = stamps(30, 17)
    for i, a in enumerate(answers(30, 17)):
        rows.append([t[i].strftime("%d/%m/%Y"), "Disdukcapil"] + a)
    write_csv("tanggal_hari_dulu.csv", rows, sep=";")


def label_angka():
    """'4.0' and '4,0' in label columns (numbers pasted as text) and 'd. Sangat sesuai'."""
    rows = [["Unit"] + KEYS]
    for i, a in enumerate(answers(20, 18)):
        cells = []
        for j, (k, v) in enumerate(zip(KEYS, a)):
            form = (i + j) % 4
            cells.append(f"{v}.0" if form == 0 else f"{v},0" if form == 1 else
                         f"{'abcd'[v - 1]}. {LABELS[k][v - 1]}" if form == 2 else LABELS[k][v - 1].upper())
        rows.append(["Dinas Koperasi"] + cells)
    write_csv("label_angka.csv", rows, sep=";")


def label_bertentangan():
    """'3. Sangat sesuai': the number says 3, the label 4: refused, both named."""
    rows = [["Unit"] + KEYS]
    for a in answers(5, 19):
        rows.append(["Dinas Koperasi"] + [f"{v}. {LABELS[k][v - 1]}" for k, v in zip(KEYS, a)])
    rows.append(["Dinas Koperasi", "3. Sangat sesuai"] + [f"{v}. {LABELS[k][v - 1]}" for k, v in zip(KEYS[1:], [3] * 8)])
    write_csv("label_bertentangan.csv", rows)


def unicode_text():
    """Excel's 'Unicode Text (*.txt)': UTF-16 LE with BOM, tab separated."""
    rows = [["Unit Layanan", "Saran"] + KEYS]
    for i, a in enumerate(answers(22, 20)):
        rows.append(["Dinas Pariwisata", "Antrean café lama" if i == 0 else ""] + a)
    write_csv("teks_unicode.txt", rows, sep="\t", encoding="utf-16")


def windows_1252():
    """A CSV saved by Excel on Windows (cp1252) with accents in the text."""
    rows = [["Unit Layanan", "Saran/Masukan"] + KEYS]
    for i, a in enumerate(answers(21, 21)):
        rows.append(["Dinas Pariwisata", "Pelayanan café déjà bagus" if i % 3 == 0 else ""] + a)
    write_csv("windows_1252.csv", rows, encoding="cp1252")


def judul_pendek():
    """One short header per unsur; 'Waktu' is U3, the date is in 'Tanggal'."""
    short = ["Persyaratan", "Prosedur", "Waktu", "Biaya", "Produk", "Kompetensi", "Perilaku", "Pengaduan",
             "Sarana"]
    rows = [["Tanggal", "Unit"] + short]
    t = stamps(26, 22)
    for i, a in enumerate(answers(26, 22)):
        rows.append([t[i].strftime("%Y-%m-%d"), "Kantor Pertanahan"] + a)
    write_csv("judul_pendek.csv", rows)


def waktu_tanggal():
    """'Waktu' holding the timestamp, the unsur under their names: decided by the values."""
    names = ["Persyaratan", "Sistem, Mekanisme, dan Prosedur", "Waktu Penyelesaian", "Biaya/Tarif",
             "Produk Spesifikasi Jenis Pelayanan", "Kompetensi Pelaksana", "Perilaku Pelaksana",
             "Penanganan Pengaduan, Saran dan Masukan", "Sarana dan prasarana"]
    rows = [["Waktu", "Unit"] + names]
    t = stamps(24, 23)
    for i, a in enumerate(answers(24, 23)):
        rows.append([t[i].strftime("%d/%m/%Y %H:%M"), "Kantor Pos"] + a)
    write_csv("waktu_tanggal.csv", rows)


def dua_baris_judul():
    """A two-row header: 'Unsur Pelayanan' merged over U1..U9, No/Nama merged down."""
    wb = _wb()
    ws = wb.active
    title_block(ws, 11, ["HASIL SKM BAGIAN UMUM"])
    ws.append(["No", "Nama", "Unsur Pelayanan"] + [None] * 8)
    ws.append([None, None] + [f"U{i}" for i in range(1, 10)])
    ws.merge_cells("C2:K2")
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    for i, a in enumerate(answers(28, 24), 1):
        ws.append([i, f"Responden {i}"] + a)
    _save(wb, "dua_baris_judul.xlsx")


def petunjuk_dulu():
    """A visible instructions sheet first, the data on the second sheet."""
    wb = _wb()
    ws = wb.active
    ws.title = "Petunjuk"
    ws.append(["Petunjuk pengisian: isi satu baris per responden."])
    ws.append(["Nilai 1 = tidak baik, 4 = sangat baik."])
    data = wb.create_sheet("Data")
    data.append(["Unit"] + KEYS)
    for a in answers(19, 25):
        data.append(["RSUD"] + a)
    _save(wb, "petunjuk_dulu.xlsx")


def baris_kosong():
    """Blank lines between respondents and at the end; a blank column between blocks."""
    rows = [["Unit", "", *KEYS]]
    for i, a in enumerate(answers(23, 26)):
        rows.append(["Dinas Pertanian", ""] + a)
        if i % 7 == 6:
            rows.append([])
    rows += [[], []]
    write_csv("baris_kosong.csv", rows)


def libreoffice_ods():
    """A LibreOffice .ods: a hidden sheet first, a merged title, a JUMLAH row."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableProperties
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    hidden = Style(name="taHidden", family="table")
    hidden.addElement(TableProperties(display="false"))
    doc.automaticstyles.addElement(hidden)

    def cell(v):
        if v is None:
            return TableCell()
        if isinstance(v, (int, float)):
            c = TableCell(valuetype="float", value=v)
            c.addElement(P(text=str(v)))
            return c
        c = TableCell(valuetype="string")
        c.addElement(P(text=str(v)))
        return c

    old = Table(name="Lama", stylename="taHidden")
    for r in [KEYS] + [[1] * 9] * 5:
        tr = TableRow()
        for v in r:
            tr.addElement(cell(v))
        old.addElement(tr)
    doc.spreadsheet.addElement(old)
    t = Table(name="SKM 2026")
    tr = TableRow()
    title = cell("HASIL SURVEI KEPUASAN MASYARAKAT DINAS LINGKUNGAN HIDUP")
    title.setAttribute("numbercolumnsspanned", "10")
    tr.addElement(title)
    for _ in range(9):
        tr.addElement(CoveredTableCell())
    t.addElement(tr)
    data = answers(27, 27)
    for r in [["Unit Layanan"] + KEYS] + [["DLH"] + a for a in data] + \
             [["JUMLAH"] + [sum(x[j] for x in data) for j in range(9)]]:
        tr = TableRow()
        for v in r:
            tr.addElement(cell(v))
        t.addElement(tr)
    doc.spreadsheet.addElement(t)
    doc.save(str(HERE / "libreoffice.ods"))


def baris_tersembunyi():
    """Rows hidden in the sheet: an autofilter left rows 5-8 out, row 12 hidden by hand (both still data)."""
    wb = _wb()
    ws = wb.active
    ws.title = "SKM"
    ws.append(["No", "Unit Layanan"] + KEYS)
    for i, a in enumerate(answers(20, 31), 1):
        ws.append([i, "Dinas Sosial"] + a)
    ws.auto_filter.ref = "A1:K21"
    for r in (5, 6, 7, 8, 12):
        ws.row_dimensions[r].hidden = True
    _save(wb, "baris_tersembunyi.xlsx")


def baris_tersembunyi_ods():
    """The same in LibreOffice: rows 3-4 left out by a filter, row 9 hidden by hand (collapse)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    t = Table(name="SKM")

    def row(values, visibility=None):
        tr = TableRow(visibility=visibility) if visibility else TableRow()
        for v in values:
            c = TableCell(valuetype="float", value=v) if isinstance(v, int) else TableCell(valuetype="string")
            c.addElement(P(text=str(v)))
            tr.addElement(c)
        t.addElement(tr)

    row(["Unit Layanan"] + KEYS)
    for i, a in enumerate(answers(12, 32), 2):
        row(["DLH"] + a, "filter" if i in (3, 4) else "collapse" if i == 9 else None)
    doc.spreadsheet.addElement(t)
    doc.save(str(HERE / "baris_tersembunyi.ods"))


CASES = [akhir_baris_koma, akhir_baris_titik_koma_semua, unsur_tidak_dijawab, unit_tanpa_jawaban,
         nama_unit_diketik, sheet_tersembunyi, judul_gabung, baris_jumlah, subtotal_per_unit, sel_unit_gabung,
         rumus_tanpa_nilai, google_forms, tanggal_serial_excel, tanggal_hari_dulu, label_angka,
         label_bertentangan, unicode_text, windows_1252, judul_pendek, waktu_tanggal, dua_baris_judul,
         petunjuk_dulu, baris_kosong, libreoffice_ods, baris_tersembunyi, baris_tersembunyi_ods]

if __name__ == "__main__":
    for case in CASES:
        case()
    print(f"{len(CASES)} berkas ditulis di {HERE}")
