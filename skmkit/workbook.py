"""The auditable Excel workbook of one unit: scores in, live formulas out.

An auditor or a PEKPPP evaluator opens ``<unit>.xlsx`` and checks every number
in Excel itself: the per-unsur totals, NRR, weighted NRR, converted values, the
IKM and the mutu are formulas over the per-respondent scoring sheet, not pasted
values. The sheets:

``Tabulasi``
    One row per respondent: profile fields and the unsur scores (blank = not
    answered, never zero).
``NRR``
    Per unsur ``SUM``/``COUNT``, NRR, weighted NRR, converted value and mutu;
    the IKM, its mutu and kinerja; the weight, the conversion and the band
    table the formulas use; skmkit's own IKM as a cross-check.
``Layanan``
    NRR, IKM and mutu per jenis layanan (``SUMIF`` over that service's rows),
    when the data name the service.
``Profil``
    Respondent counts per jenis kelamin, pendidikan, pekerjaan and jenis
    layanan (``COUNTIF`` over the scoring sheet).
``RTL``
    The follow-up plan: the three lowest unsur by NRR (ties by unsur order)
    and every unsur in mutu C or D.
``Saran``
    The free-text saran/masukan, always stored as text (a saran starting with
    ``=`` never becomes a formula), phone numbers and e-mail addresses masked.
``Keterangan``
    Source file, its SHA-256, the method and what was left out.

Only an explicit list of columns is written: names, phone numbers and any
other column the reader did not recognise never reach the workbook. The bytes
are deterministic (fixed document dates and zip entry dates).
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .api import load_unit
from .errors import ParameterError
from .indices import summarize
from .periods import parse_dates
from .narrative import mask_personal, next_quarters, ranked_unsur, rtl_entries
from .survey import load_survey
from .theme import PROFILE_ORDER

__all__ = ["workbook_bytes", "write_workbook", "respondent_rows", "profile_counts", "deterministic_xlsx"]

_PROFILE_TITLES = {"jenis_kelamin": "Jenis Kelamin", "pendidikan": "Pendidikan Terakhir",
                   "pekerjaan": "Pekerjaan Utama", "layanan": "Jenis Layanan"}
_SEX_LABELS = {"L": "Laki-laki (L)", "P": "Perempuan (P)"}

# -- look ----------------------------------------------------------------------
_DARK = "1F4E79"
_LIGHT = "DDEBF7"
_GREY = "F2F2F2"
_THIN = Side(style="thin", color="8EA9C1")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FONT = Font(name="Calibri", bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor=_DARK)
_SUB_FILL = PatternFill("solid", fgColor=_LIGHT)
_KEY_FILL = PatternFill("solid", fgColor=_GREY)
_TITLE_FONT = Font(name="Calibri", bold=True, size=14, color=_DARK)
_BOLD = Font(name="Calibri", bold=True)
_NOTE_FONT = Font(name="Calibri", italic=True, size=9, color="595959")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

#: Number formats. Excel shows them with the reader's locale separators, so an
#: Indonesian Excel shows 87,28 and 1.250.
FMT_SCORE = "0"
FMT_COUNT = "#,##0"
FMT_NRR = "0.00"
FMT_WEIGHTED = "0.0000"
FMT_VALUE = "0.00"
FMT_PERCENT = "0.0%"
FMT_DATE = "dd/mm/yyyy hh:mm"

#: Excel holds at most 32,767 characters in a cell; longer free text is cut.
_MAX_CELL_TEXT = 32000

#: Fixed document date written into docProps/core.xml and every zip entry.
_FIXED_W3CDTF = "2000-01-01T00:00:00Z"
_FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


# -- what goes in ---------------------------------------------------------------
def respondent_rows(data: pd.DataFrame, keys) -> pd.DataFrame:
    """The respondents who answered at least one unsur, as the index counts them.

    Shared with :mod:`skmkit.banner` so that both count the same people.

    Raises
    ------
    ParameterError
        When an unsur column is missing or nobody answered any unsur.
    """
    missing = [k for k in keys if k not in data.columns]
    if missing:
        raise ParameterError(f"kolom unsur tidak ada di data: {', '.join(missing)}. "
                             "Perbaikan: baca data dengan skmkit.read_responses.")
    rows = data[data[keys].notna().any(axis=1)]
    if rows.empty:
        raise ParameterError("tidak ada responden yang menjawab satu pun unsur. "
                             "Perbaikan: periksa berkas data unit ini.")
    return rows


def profile_counts(data: pd.DataFrame, column: str) -> list[tuple[str, int]]:
    """Respondent counts per category of a profile column, in the standard order.

    Known categories come first in :data:`PROFILE_ORDER` (zero counts kept),
    then any other value, most frequent first. Blanks are not counted.

    Examples
    --------
    >>> import pandas as pd
    >>> profile_counts(pd.DataFrame({"jenis_kelamin": ["P", "L", "P", None]}), "jenis_kelamin")
    [('L', 1), ('P', 2)]
    """
    if column not in data.columns:
        return []
    values = data[column].dropna().astype(str).str.strip()
    values = values[values != ""]
    counts = values.value_counts()
    known = PROFILE_ORDER.get(column, []) if column != "usia" else []
    out = [(k, int(counts.get(k, 0))) for k in known]
    others = sorted(((v, int(n)) for v, n in counts.items() if v not in known), key=lambda t: (-t[1], t[0]))
    return out + others


# -- writing cells ----------------------------------------------------------------
def _text(ws, ref, value, **style):
    """Write free text as a text cell, never a formula (``=``, ``+``, ``-``, ``@`` kept literal)."""
    cell = ws[ref]
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:_MAX_CELL_TEXT]
    cell.value = text
    cell.data_type = "s"
    if text[:1] in ("=", "+", "-", "@"):
        cell.quotePrefix = True  # stays text when a user edits the cell in Excel
    for k, v in style.items():
        setattr(cell, k, v)
    return cell


def _put(ws, ref, value, fmt=None, **style):
    """Write a number or a formula (formulas are built here, never from data text)."""
    cell = ws[ref]
    cell.value = value
    if fmt:
        cell.number_format = fmt
    for k, v in style.items():
        setattr(cell, k, v)
    return cell


def _is_number(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _header(ws, row, titles, widths=None):
    for i, title in enumerate(titles, start=1):
        _text(ws, f"{get_column_letter(i)}{row}", title, font=_HEAD_FONT, fill=_HEAD_FILL, alignment=_CENTER,
              border=_BOX)
    if widths:
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w


def _title(ws, lines):
    for i, line in enumerate(lines, start=1):
        _text(ws, f"A{i}", line, font=_TITLE_FONT if i == 1 else _BOLD)


def _print_setup(ws, *, landscape=False, title_rows=None, header=""):
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddHeader.center.text = header[:200].replace("&", "&&")  # Excel: header text at most 255 characters
    ws.oddHeader.center.size = 9
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = "Halaman &P dari &N"
    ws.oddFooter.right.size = 8


# -- the sheets ---------------------------------------------------------------------
_TAB_FIELDS = [  # canonical column, header, width
    ("tanggal", "Tanggal", 17),
    ("layanan", "Jenis Layanan", 24),
    ("jenis_kelamin", "JK", 5),
    ("usia", "Usia", 6),
    ("pendidikan", "Pendidikan", 11),
    ("pekerjaan", "Pekerjaan", 12),
]
_TAB_FIRST = 5  # header row of the scoring table


def _sheet_tabulasi(wb, rows, survey, heading, header_text):
    ws = wb.active
    ws.title = "Tabulasi"
    fields = [f for f in _TAB_FIELDS if f[0] in rows.columns]
    keys = survey.keys
    titles = ["No", "Baris data"] + [f[1] for f in fields] + keys + ["Unsur terisi"]
    widths = [5, 8] + [f[2] for f in fields] + [6] * len(keys) + [9]
    _title(ws, [f"TABULASI NILAI PER RESPONDEN - {heading[0]}", *heading[1:]])
    _text(ws, "A4", "Nilai 1-4 per unsur; sel kosong = tidak dijawab (bukan nol). "
                    + ", ".join(f"{k} = {survey.names[k]}" for k in keys), font=_NOTE_FONT)
    _header(ws, _TAB_FIRST, titles, widths)
    first = _TAB_FIRST + 1
    last = first + len(rows) - 1
    kcol = {k: get_column_letter(3 + len(fields) + i) for i, k in enumerate(keys)}
    fcol = {f[0]: get_column_letter(3 + i) for i, f in enumerate(fields)}
    count_col = get_column_letter(3 + len(fields) + len(keys))
    for i, rec in enumerate(rows.to_dict("records")):
        r = first + i
        _put(ws, f"A{r}", i + 1, FMT_SCORE, border=_BOX)
        _put(ws, f"B{r}", int(rec["_row"]) if "_row" in rec and rec["_row"] == rec["_row"] else None,
             FMT_SCORE, border=_BOX)
        for name, _, _ in fields:
            v = rec.get(name)
            ref = f"{fcol[name]}{r}"
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                _put(ws, ref, None, border=_BOX)
            elif name == "tanggal":
                _put(ws, ref, pd.Timestamp(v).to_pydatetime().replace(microsecond=0), FMT_DATE, border=_BOX)
            elif name == "usia" and _is_number(v):
                _put(ws, ref, int(float(v)) if float(v).is_integer() else float(v), FMT_SCORE, border=_BOX)
            else:
                _text(ws, ref, v, border=_BOX)
        for k in keys:
            v = rec[k]
            _put(ws, f"{kcol[k]}{r}", None if pd.isna(v) else (int(v) if float(v).is_integer() else float(v)),
                 FMT_SCORE, border=_BOX, alignment=Alignment(horizontal="center"))
        _put(ws, f"{count_col}{r}", f"=COUNT({kcol[keys[0]]}{r}:{kcol[keys[-1]]}{r})", FMT_SCORE,
             border=_BOX, fill=_KEY_FILL, alignment=Alignment(horizontal="center"))
    ws.freeze_panes = f"C{first}"
    ws.auto_filter.ref = f"A{_TAB_FIRST}:{count_col}{last}"
    _print_setup(ws, landscape=True, title_rows=f"{_TAB_FIRST}:{_TAB_FIRST}", header=header_text)
    return {"first": first, "last": last, "keys": kcol, "fields": fcol, "count": count_col}


def _sheet_nrr(wb, tab, survey, summary, heading, header_text):
    ws = wb.create_sheet("NRR")
    _title(ws, [f"NILAI RATA-RATA (NRR) PER UNSUR DAN IKM - {heading[0]}", *heading[1:]])
    first, last = tab["first"], tab["last"]

    # Parameters the formulas use.
    _text(ws, "A4", "Bobot per unsur", font=_BOLD)
    if survey.legacy_weight:
        _put(ws, "C4", float(survey.legacy_weight), "0.000", fill=_KEY_FILL, border=_BOX)
        _text(ws, "D4", "bobot lama spreadsheet (hanya untuk mencocokkan laporan lama; bukan 1/9 tepat)",
              font=_NOTE_FONT)
    else:
        _put(ws, "C4", f"=1/{len(survey.keys)}", FMT_WEIGHTED, fill=_KEY_FILL, border=_BOX)
        _text(ws, "D4", f"1/{len(survey.keys)} tepat (PermenPANRB 14/2017)", font=_NOTE_FONT)
    if summary.get("unsur_tidak_dijawab"):  # an unsur nobody answered: weight 1/X over the X answered
        answered = f'COUNTIF(E8:E{7 + len(survey.keys)},">0")'
        _put(ws, "C4", f"={survey.weight() * len(survey.keys)!r}/{answered}", FMT_WEIGHTED, fill=_KEY_FILL,
             border=_BOX)
        _text(ws, "D4", f"1/X untuk X unsur yang dijawab: IKM {summary['catatan_unsur']}", font=_NOTE_FONT)
    _text(ws, "A5", "Konversi", font=_BOLD)
    _put(ws, "C5", float(survey.conversion), "0", fill=_KEY_FILL, border=_BOX)
    _text(ws, "D5", "nilai konversi = NRR x konversi; IKM = jumlah NRR tertimbang x konversi", font=_NOTE_FONT)

    head = 7
    titles = ["No", "Unsur", "Nama unsur", "Jumlah nilai", "Jumlah terisi", "NRR", "NRR tertimbang",
              "Nilai konversi", "Mutu", "Kinerja"]
    _header(ws, head, titles, [5, 7, 36, 11, 10, 9, 11, 11, 7, 13])
    n_keys = len(survey.keys)
    bands = sorted(survey.bands, key=lambda b: b.min)
    band_head = head + n_keys + 10
    b_first, b_last = band_head + 1, band_head + len(bands)
    lo = f"$B${b_first}:$B${b_last}"
    mutu_rng, kin_rng = f"$C${b_first}:$C${b_last}", f"$D${b_first}:$D${b_last}"
    for i, key in enumerate(survey.keys):
        r = head + 1 + i
        col = tab["keys"][key]
        rng = f"Tabulasi!{col}{first}:{col}{last}"
        _put(ws, f"A{r}", i + 1, border=_BOX)
        _text(ws, f"B{r}", key, border=_BOX)
        _text(ws, f"C{r}", survey.names[key], border=_BOX, alignment=_WRAP)
        _put(ws, f"D{r}", f"=SUM({rng})", FMT_COUNT, border=_BOX)
        _put(ws, f"E{r}", f"=COUNT({rng})", FMT_COUNT, border=_BOX)
        _put(ws, f"F{r}", f'=IF(E{r}>0,D{r}/E{r},"")', FMT_NRR, border=_BOX)
        _put(ws, f"G{r}", f'=IF(E{r}>0,F{r}*$C$4,"")', FMT_WEIGHTED, border=_BOX)
        _put(ws, f"H{r}", f'=IF(E{r}>0,F{r}*$C$5,"")', FMT_VALUE, border=_BOX)
        _put(ws, f"I{r}", f'=IF(E{r}>0,LOOKUP(ROUND(H{r},2),{lo},{mutu_rng}),"")', border=_BOX,
             alignment=Alignment(horizontal="center"))
        _put(ws, f"J{r}", f'=IF(E{r}>0,LOOKUP(ROUND(H{r},2),{lo},{kin_rng}),"")', border=_BOX)
    rows_first, rows_last = head + 1, head + n_keys

    r = rows_last + 1
    _text(ws, f"A{r}", "Jumlah NRR tertimbang (IKM skala 1-4)", font=_BOLD, fill=_SUB_FILL, border=_BOX)
    ws.merge_cells(f"A{r}:F{r}")
    _put(ws, f"G{r}", f"=SUM(G{rows_first}:G{rows_last})", FMT_WEIGHTED, font=_BOLD, fill=_SUB_FILL, border=_BOX)
    raw = f"G{r}"

    r += 2
    cells = {}
    for name, label in [("respondents", "Jumlah responden"), ("ikm", "IKM (jumlah NRR tertimbang x konversi)"),
                        ("mutu", "Mutu pelayanan"), ("kinerja", "Kinerja unit pelayanan")]:
        _text(ws, f"A{r}", label, font=_BOLD, border=_BOX)
        ws.merge_cells(f"A{r}:F{r}")
        cells[name] = f"G{r}"
        r += 1
    counted = f'Tabulasi!{tab["count"]}{first}:{tab["count"]}{last}'
    _put(ws, cells["respondents"], f'=COUNTIF({counted},">0")', FMT_COUNT, font=_BOLD, border=_BOX)
    _put(ws, cells["ikm"], f"={raw}*$C$5", FMT_VALUE, font=Font(name="Calibri", bold=True, size=14, color=_DARK),
         border=_BOX, fill=_SUB_FILL)
    _put(ws, cells["mutu"], f"=LOOKUP(ROUND({cells['ikm']},2),{lo},{mutu_rng})", font=_BOLD, border=_BOX,
         alignment=Alignment(horizontal="center"))
    _put(ws, cells["kinerja"], f"=LOOKUP(ROUND({cells['ikm']},2),{lo},{kin_rng})", font=_BOLD, border=_BOX)

    # skmkit's own number as a cross-check an auditor can see.
    _text(ws, f"A{r}", "Pemeriksaan: IKM menurut skmkit", font=_NOTE_FONT)
    ws.merge_cells(f"A{r}:F{r}")
    _put(ws, f"G{r}", float(summary["ikm"]), FMT_VALUE, font=_NOTE_FONT)
    _put(ws, f"H{r}", f'=IF(ABS({cells["ikm"]}-G{r})<0.000001,"cocok","BERBEDA")', font=_NOTE_FONT)

    # The band table the LOOKUPs read (ascending lower bounds).
    _text(ws, f"A{band_head - 1}", "Tabel mutu: nilai dibulatkan 2 desimal lalu dibandingkan dengan batas bawah",
          font=_BOLD)
    for c, t in zip("BCD", ["Batas bawah", "Mutu", "Kinerja"]):
        _text(ws, f"{c}{band_head}", t, font=_HEAD_FONT, fill=_HEAD_FILL, alignment=_CENTER, border=_BOX)
    for i, b in enumerate(bands):
        rr = b_first + i
        _put(ws, f"B{rr}", float(b.min), FMT_VALUE, border=_BOX)
        _text(ws, f"C{rr}", b.mutu, border=_BOX, alignment=Alignment(horizontal="center"))
        _text(ws, f"D{rr}", b.kinerja, border=_BOX)
    _text(ws, f"A{b_last + 2}", "Semua angka di atas adalah rumus Excel atas sheet Tabulasi; pembulatan hanya "
                                 "untuk tampilan. Sel kosong pada Tabulasi tidak dihitung sebagai nol.",
          font=_NOTE_FONT)
    ws.freeze_panes = f"A{head + 1}"
    _print_setup(ws, landscape=True, header=header_text)
    return {"rows": {k: head + 1 + i for i, k in enumerate(survey.keys)}, **cells,
            "bands": (f"NRR!{lo}", f"NRR!{mutu_rng}")}


def _sheet_layanan(wb, rows, tab, nrr, survey, heading, header_text):
    """IKM per jenis layanan, pooled over that service's respondents, as formulas."""
    services = [v for v, n in profile_counts(rows, "layanan") if n]
    if "layanan" not in tab["fields"] or not services:
        return
    ws = wb.create_sheet("Layanan")
    _title(ws, [f"NRR DAN IKM PER JENIS LAYANAN - {heading[0]}", *heading[1:]])
    _text(ws, "A4", "NRR = jumlah nilai unsur / jumlah jawaban terisi, hanya responden jenis layanan itu; "
                    "IKM = jumlah NRR x bobot x konversi (sheet NRR).", font=_NOTE_FONT)
    keys = survey.keys
    titles = ["Jenis layanan", "Responden", *keys, "IKM", "Mutu"]
    _header(ws, 6, titles, [26, 10] + [7] * len(keys) + [9, 7])
    first, last = tab["first"], tab["last"]
    lcol = tab["fields"]["layanan"]
    lay = f"Tabulasi!${lcol}${first}:${lcol}${last}"
    lo, mutu_rng = nrr["bands"]
    for i, service in enumerate(services):
        r = 7 + i
        quoted = service.replace('"', '""')
        _text(ws, f"A{r}", service, border=_BOX, alignment=_WRAP)
        _put(ws, f"B{r}", f'=COUNTIF({lay},"{_criterion(service)}")', FMT_COUNT, border=_BOX)
        for j, key in enumerate(keys):
            col = tab["keys"][key]
            rng = f"Tabulasi!${col}${first}:${col}${last}"
            filled = f'SUMPRODUCT(({lay}="{quoted}")*ISNUMBER({rng}))'
            _put(ws, f"{get_column_letter(3 + j)}{r}",
                 f'=IF({filled}>0,SUMIF({lay},"{_criterion(service)}",{rng})/{filled},"")', FMT_NRR, border=_BOX)
        first_nrr, last_nrr = get_column_letter(3), get_column_letter(2 + len(keys))
        ikm = f"{get_column_letter(3 + len(keys))}{r}"
        _put(ws, ikm, f"=SUM({first_nrr}{r}:{last_nrr}{r})*NRR!$C$4*NRR!$C$5", FMT_VALUE, border=_BOX, font=_BOLD)
        _put(ws, f"{get_column_letter(4 + len(keys))}{r}", f"=LOOKUP(ROUND({ikm},2),{lo},{mutu_rng})", border=_BOX,
             alignment=Alignment(horizontal="center"))
    _print_setup(ws, landscape=True, title_rows="6:6", header=header_text)


def _sheet_profil(wb, rows, tab, nrr, heading, header_text):
    ws = wb.create_sheet("Profil")
    _title(ws, [f"PROFIL RESPONDEN - {heading[0]}", *heading[1:]])
    for c, w in zip("ABC", [34, 12, 12]):
        ws.column_dimensions[c].width = w
    first, last = tab["first"], tab["last"]
    r = 5
    for column, title in _PROFILE_TITLES.items():
        if column not in tab["fields"]:
            continue
        col = tab["fields"][column]
        rng = f"Tabulasi!${col}${first}:${col}${last}"
        for c, t in zip("ABC", [title, "Jumlah", "Persentase"]):
            _text(ws, f"{c}{r}", t, font=_HEAD_FONT, fill=_HEAD_FILL, alignment=_CENTER, border=_BOX)
        r += 1
        top = r
        for value, _n in profile_counts(rows, column):
            label = _SEX_LABELS.get(value, value) if column == "jenis_kelamin" else value
            _text(ws, f"A{r}", label, border=_BOX)
            _put(ws, f"B{r}", f'=COUNTIF({rng},"{_criterion(value)}")', FMT_COUNT, border=_BOX)
            _put(ws, f"C{r}", f"=IF(NRR!{nrr['respondents']}>0,B{r}/NRR!{nrr['respondents']},0)", FMT_PERCENT,
                 border=_BOX)
            r += 1
        _text(ws, f"A{r}", "Tidak diisi", border=_BOX, font=_NOTE_FONT)
        _put(ws, f"B{r}", f"=NRR!{nrr['respondents']}-SUM(B{top}:B{r - 1})", FMT_COUNT, border=_BOX)
        _put(ws, f"C{r}", f"=IF(NRR!{nrr['respondents']}>0,B{r}/NRR!{nrr['respondents']},0)", FMT_PERCENT,
             border=_BOX)
        r += 1
        _text(ws, f"A{r}", "Jumlah", font=_BOLD, fill=_SUB_FILL, border=_BOX)
        _put(ws, f"B{r}", f"=SUM(B{top}:B{r - 1})", FMT_COUNT, font=_BOLD, fill=_SUB_FILL, border=_BOX)
        _put(ws, f"C{r}", f"=SUM(C{top}:C{r - 1})", FMT_PERCENT, font=_BOLD, fill=_SUB_FILL, border=_BOX)
        r += 2
    _print_setup(ws, header=header_text)


def _criterion(value: str) -> str:
    """A COUNTIF criterion that matches exactly this text (wildcards and quotes escaped)."""
    v = value.replace("~", "~~").replace("*", "~*").replace("?", "~?").replace('"', '""')
    return "=" + v


def _sheet_rtl(wb, summary, nrr, rtl, waktu, heading, header_text):
    ws = wb.create_sheet("RTL")
    _title(ws, [f"RENCANA TINDAK LANJUT (RTL) - {heading[0]}", *heading[1:]])
    _text(ws, "A4", "Prioritas: tiga unsur dengan NRR terendah (bila sama, menurut urutan unsur) dan setiap "
                    "unsur bermutu C atau D. Dibahas dalam Forum Konsultasi Publik.", font=_NOTE_FONT)
    titles = ["No", "Prioritas Unsur", "Nilai konversi", "Mutu", "Alasan", "Program/Kegiatan", "Waktu",
              "Penanggung Jawab"]
    _header(ws, 6, titles, [5, 30, 11, 7, 14, 52, 16, 20])
    lowest = [u["key"] for u in ranked_unsur(summary)[:3]]
    for i, entry in enumerate(rtl_entries(summary, rtl, waktu=waktu)):
        r = 7 + i
        key = entry["key"]
        src = nrr["rows"][key]
        reason = []
        if key in lowest:
            reason.append("3 terendah")
        if entry["mutu"] in ("C", "D"):
            reason.append(f"mutu {entry['mutu']}")
        _put(ws, f"A{r}", entry["no"], border=_BOX, alignment=_WRAP)
        _text(ws, f"B{r}", f"{key} {entry['nama']}", border=_BOX, alignment=_WRAP)
        _put(ws, f"C{r}", f"=NRR!H{src}", FMT_VALUE, border=_BOX, alignment=_WRAP)
        _put(ws, f"D{r}", f"=NRR!I{src}", border=_BOX, alignment=_CENTER)
        _text(ws, f"E{r}", "; ".join(reason) or "pilihan unit", border=_BOX, alignment=_WRAP)
        _text(ws, f"F{r}", entry["program"], border=_BOX, alignment=_WRAP)
        _text(ws, f"G{r}", entry["waktu"], border=_BOX, alignment=_WRAP)
        _text(ws, f"H{r}", entry["pj"], border=_BOX, alignment=_WRAP)
    _print_setup(ws, landscape=True, title_rows="6:6", header=header_text)


def _sheet_saran(wb, rows, heading, header_text):
    ws = wb.create_sheet("Saran")
    _title(ws, [f"SARAN DAN MASUKAN RESPONDEN - {heading[0]}", *heading[1:]])
    _text(ws, "A4", "Ditulis apa adanya sebagai teks; nomor telepon, alamat surel dan NIK disamarkan. No = nomor "
                    "responden di sheet Tabulasi.", font=_NOTE_FONT)
    has_service = "layanan" in rows.columns
    titles = ["No", "Jenis Layanan", "Saran/Masukan"] if has_service else ["No", "Saran/Masukan"]
    _header(ws, 6, titles, [6, 24, 80] if has_service else [6, 100])
    r = 7
    if "saran" in rows.columns:
        for i, rec in enumerate(rows.to_dict("records")):
            text = rec.get("saran")
            if text is None or (not isinstance(text, str) and pd.isna(text)) or not str(text).strip():
                continue
            _put(ws, f"A{r}", i + 1, border=_BOX, alignment=_WRAP)
            col = "B"
            if has_service:
                service = rec.get("layanan")
                _text(ws, f"B{r}", "" if service is None or service != service else service, border=_BOX,
                      alignment=_WRAP)
                col = "C"
            _text(ws, f"{col}{r}", mask_personal(str(text).strip()), border=_BOX, alignment=_WRAP)
            r += 1
    if r == 7:
        _text(ws, "A7", "Tidak ada saran/masukan tertulis.", font=_NOTE_FONT)
    _print_setup(ws, title_rows="6:6", header=header_text)


def _sheet_keterangan(wb, data, rows, survey, heading, header_text):
    from . import __version__

    ws = wb.create_sheet("Keterangan")
    _title(ws, [f"KETERANGAN - {heading[0]}", *heading[1:]])
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 80
    meta = data.attrs.get("skmkit", {})
    method = survey.method()
    dropped = meta.get("dropped_personal") or []
    items = [
        ("Berkas data", meta.get("source", "")),
        ("SHA-256 berkas data", meta.get("sha256") or ""),
        ("Baris data unit ini", f"{len(data)}"),
        ("Responden (menjawab minimal satu unsur)", f"{len(rows)}"),
        ("Baris tanpa jawaban unsur (tidak dihitung)", f"{len(data) - len(rows)}"),
        ("Definisi survei", f"{method['name']} ({survey.source})"),
        ("Bobot per unsur", method["weight_label"]),
        ("Pembulatan", "hanya untuk tampilan: 2 desimal, setengah ke atas; mutu dari nilai yang dibulatkan "
                       "2 desimal"),
        ("Data pribadi", "tidak dimuat" + (f" (kolom dibuang saat membaca: {', '.join(dropped)})" if dropped
                                           else "") + "; nomor telepon, surel dan NIK dalam saran disamarkan"),
        ("Dibuat dengan", f"skmkit {__version__}"),
    ]
    for i, (k, v) in enumerate(items):
        _text(ws, f"A{5 + i}", k, font=_BOLD, border=_BOX, alignment=_WRAP)
        _text(ws, f"B{5 + i}", v, border=_BOX, alignment=_WRAP)
    _print_setup(ws, header=header_text)


# -- deterministic bytes ---------------------------------------------------------------
def deterministic_xlsx(raw: bytes) -> bytes:
    """Rewrite the XLSX zip with fixed document dates and fixed entry dates."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = body.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                              rf"\g<1>{_FIXED_W3CDTF}\g<3>", text)
                body = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            dst.writestr(entry, body, compresslevel=6)
    return out.getvalue()


# -- public ------------------------------------------------------------------------------
def workbook_bytes(data: pd.DataFrame, *, unit: str, period: str = "", survey=None, rtl=None,
                   institution: str = "") -> bytes:
    """Build one unit's auditable workbook and return the XLSX bytes.

    Parameters
    ----------
    data : pandas.DataFrame
        The canonical table of ONE unit (:func:`skmkit.read_responses`, then
        :func:`skmkit.select_unit` for a pooled file).
    unit : str
        The unit's name, for the titles.
    period : str, optional
        The survey period as it is published (``"Semester I 2026"``).
    survey : SurveyDefinition or path, optional
        Default PermenPANRB 14/2017 (a legacy weight is written as such).
    rtl : list of dict, optional
        The unit's follow-up plan as the report takes it
        (:func:`skmkit.narrative.rtl_entries`): ``[{"unsur": "U3", "program":
        ..., "waktu": "TW III 2026", "pj": ...}]``. Without it: the three
        lowest unsur and every unsur in mutu C or D, with default programs.
    institution : str, optional
        The local government or agency (``"Pemerintah Kota Sukamaju"``).

    Returns
    -------
    bytes
        The XLSX file; byte-identical for the same inputs.

    Examples
    --------
    >>> from skmkit import read_responses, sample_data_path, select_unit
    >>> df = select_unit(read_responses(sample_data_path()), "Dinas Sosial", "Unit Layanan")
    >>> workbook_bytes(df, unit="Dinas Sosial", period="Semester I 2026")[:2]
    b'PK'
    """
    survey = load_survey(survey)
    rows = respondent_rows(data, survey.keys)
    if "_row" in rows.columns:
        rows = rows.sort_values("_row", kind="stable")
    summary = summarize(rows, survey=survey, ci=None)
    last_date = parse_dates(rows["tanggal"]).max() if "tanggal" in rows.columns else None
    waktu = next_quarters(None if last_date is None or pd.isna(last_date) else last_date.date())
    heading = [str(unit).upper(), " - ".join(x for x in (str(institution), str(period)) if x)]
    heading = [h for h in heading if h] or ["UNIT"]
    header_text = " | ".join(x for x in (f"SKM {unit}", str(period)) if x)

    wb = Workbook()
    tab = _sheet_tabulasi(wb, rows, survey, heading, header_text)
    nrr = _sheet_nrr(wb, tab, survey, summary, heading, header_text)
    _sheet_layanan(wb, rows, tab, nrr, survey, heading, header_text)
    _sheet_profil(wb, rows, tab, nrr, heading, header_text)
    _sheet_rtl(wb, summary, nrr, rtl, waktu, heading, header_text)
    _sheet_saran(wb, rows, heading, header_text)
    _sheet_keterangan(wb, data, rows, survey, heading, header_text)
    wb.properties.creator = "skmkit"
    wb.properties.lastModifiedBy = "skmkit"
    wb.properties.title = f"SKM {unit} {period}".strip()
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_xlsx(buf.getvalue())


def write_workbook(data, *, unit=None, by=None, out="outputs", period="", survey=None, rtl=None,
                   institution="", sheet=None) -> Path:
    """Read a survey file, select one unit and write ``<out>/<slug>.xlsx`` atomically.

    Parameters
    ----------
    data : str or Path
        The survey file (one unit's, or a pooled file with ``unit``).
    unit : str, optional
        The unit (a value of the ``by`` column). Without it the file must hold
        one unit (or no unit column).
    by : str, optional
        The unit column's header as it stands in the file; default the column
        recognised as the unit column.
    out : str or Path
        Output folder.

    Returns
    -------
    pathlib.Path
        The written workbook.
    """
    from .report import slugify, write_atomic

    survey = load_survey(survey)
    frame, name = load_unit(data, unit=unit, by=by, survey=survey, sheet=sheet)
    body = workbook_bytes(frame, unit=name, period=period, survey=survey, rtl=rtl, institution=institution)
    return write_atomic(Path(out) / f"{slugify(name)}.xlsx", body)


