"""The Excel entry sheet for paper questionnaires: one row per respondent, lists the sheet enforces.

Sheets:

``Isian``
    Row 1 holds the headers the kit reads back (profile headers, then one
    column per question in the paper's order, headed ``"<number>. <unsur
    name>"``, then saran); it is frozen and protected, the rows below are open
    for typing. Each column has a data-validation rule that refuses anything
    else, in Excel and LibreOffice alike: a dropdown of the unit names,
    layanan, jenis kelamin, pendidikan, pekerjaan and each question's labels,
    a date for the date, a whole number for usia.
``Petunjuk``
    How to fill it in.
``Daftar``
    The lists the dropdowns show (hidden, protected).

The bytes are deterministic (the kit's :class:`skmkit.xlsx.Book`).
"""
from __future__ import annotations

from datetime import datetime

from ..xlsx import STYLE, Book, col, print_setup
from .content import AGE_MAX, AGE_MIN, PRIVACY_NOTICE, Questionnaire

__all__ = ["entry_bytes", "entry_headers", "ENTRY_SHEET", "ENTRY_ROWS"]

ENTRY_SHEET = "Isian"
LISTS_SHEET = "Daftar"
#: Rows open for typing, each with the validation rules.
ENTRY_ROWS = 2000
#: Least column widths (characters) of the profile columns; a list column is as wide as its longest label.
_WIDTHS = {"unit": 20, "layanan": 20, "tanggal": 12, "jenis_kelamin": 11, "usia": 6, "pendidikan": 10,
           "pekerjaan": 10, "saran": 32}
_DATE_MIN, _DATE_MAX = datetime(2000, 1, 1), datetime(2099, 12, 31)


def entry_headers(q: Questionnaire) -> list[tuple[str, object]]:
    """The sheet's columns as ``(header, what)``: ``what`` a profile Field or a Question."""
    fields = [f for f in q.fields if f.kind != "note"]
    return ([(f.header, f) for f in fields] + [(f"{x.number}. {x.name}", x) for x in q.questions]
            + [(q.field("saran").header, q.field("saran"))])


def entry_bytes(q: Questionnaire, *, title: str) -> bytes:
    """The entry workbook as XLSX bytes."""
    book = Book(title=title)
    sheet = book.sheet(ENTRY_SHEET)
    guide = book.sheet("Petunjuk")
    lists = book.sheet(LISTS_SHEET)
    columns = entry_headers(q)
    open_cell = book.fmt({"locked": False, "valign": "top"})
    open_text = book.fmt({"locked": False, "valign": "top", "text_wrap": True})
    open_date = book.fmt({"locked": False, "num_format": "dd/mm/yyyy", "valign": "top"})
    head = {**STYLE["head"], "locked": True}
    last = ENTRY_ROWS  # 0-based last row index with rules (rows 2 .. ENTRY_ROWS + 1)
    list_col = 0
    for c, (header, what) in enumerate(columns):
        sheet.text(f"{col(c)}1", header, head)
        kind = getattr(what, "kind", "answer")
        options = ([label for _v, label in what.choices] if hasattr(what, "choices")
                   else [label for _s, label in what.options])
        # a chosen label fits its cell on one line (wrapped answers overprint in a row of default height)
        width = _WIDTHS.get(what.name, 8) if kind != "answer" else 8
        width = max(width, min(max((len(o) for o in options), default=0) + 2, 40))
        sheet.ws.set_column(c, c, width, open_date if kind == "date" else open_text if kind == "note" else open_cell)
        if options:
            lists.text(f"{col(list_col)}1", header, STYLE["bold"])
            for r, label in enumerate(options, start=2):
                lists.text(f"{col(list_col)}{r}", label)
            ref = f"={LISTS_SHEET}!${col(list_col)}$2:${col(list_col)}${len(options) + 1}"
            list_col += 1
            sheet.ws.data_validation(1, c, last, c, {
                "validate": "list", "source": ref, "ignore_blank": True,
                "input_title": header[:32], "input_message": "Pilih dari daftar."[:255],
                "error_title": "Isian tidak ada di daftar",
                "error_message": f"Pilih salah satu isian daftar kolom {header}."[:255], "error_type": "stop"})
        elif kind == "date":
            sheet.ws.data_validation(1, c, last, c, {
                "validate": "date", "criteria": "between", "minimum": _DATE_MIN, "maximum": _DATE_MAX,
                "input_title": "Tanggal", "input_message": "Tanggal pengisian, mis. 15/03/2026.",
                "error_title": "Bukan tanggal", "error_message": "Ketik tanggal, mis. 15/03/2026.",
                "error_type": "stop"})
        elif kind == "integer":
            sheet.ws.data_validation(1, c, last, c, {
                "validate": "integer", "criteria": "between", "minimum": AGE_MIN, "maximum": AGE_MAX,
                "input_title": "Usia", "input_message": f"Usia dalam tahun, {AGE_MIN} sampai {AGE_MAX}.",
                "error_title": "Usia tidak sah",
                "error_message": f"Ketik usia dalam tahun, bilangan bulat {AGE_MIN} sampai {AGE_MAX}.",
                "error_type": "stop"})
    sheet.ws.freeze_panes(1, 0)
    sheet.need(0, 48)
    sheet.ws.protect("", {"format_columns": True, "format_rows": True, "sort": True, "autofilter": True})
    print_setup(sheet, landscape=True, title_rows=(1, 1), header=title)
    lists.ws.protect("")
    lists.ws.hide()

    guide.columns([100])
    guide.text("A1", title, STYLE["title"])
    steps = [
        "Satu baris untuk satu kuesioner kertas. Baris 1 (judul kolom) terkunci: jangan diubah, "
        "skmkit membaca jawaban dari judul ini.",
        "Kolom jawaban mengikuti nomor pertanyaan di kuesioner kertas. Pilih jawaban dari daftar "
        "(klik sel, lalu panah di kanan sel); isian di luar daftar ditolak.",
        "Tanggal diketik sebagai tanggal (mis. 15/03/2026); usia dalam tahun, bilangan bulat.",
        "Pertanyaan yang tidak dijawab responden dibiarkan kosong (kosong bukan nol).",
        "Jangan menambah kolom nama, NIK, nomor telepon atau alamat. Saran disalin apa adanya, tanpa data pribadi.",
        "Sesudah selesai, simpan sebagai .xlsx lalu jalankan: skmkit validate <berkas>.xlsx, "
        "kemudian skmkit ikm <berkas>.xlsx.",
        PRIVACY_NOTICE,
    ]
    for r, step in enumerate(steps, start=3):
        guide.text(f"A{r}", f"{r - 2}. {step}" if r - 2 < len(steps) else step,
                   STYLE["note"] if r - 2 == len(steps) else STYLE["wrap"])
    guide.ws.protect("")
    print_setup(guide, header=title)
    return book.to_bytes()
