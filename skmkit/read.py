"""Reading survey responses as offices and form tools save them.

:func:`read_table` returns the respondents' table as the file holds it: the
right sheet, the header row found under any title rows, and only the data rows
(blank rows and totals rows such as JUMLAH, NRR or IKM left out), each row
numbered as the spreadsheet shows it. It reads CSV and text exports (``,`` ``;``
tab or ``|``; UTF-8 with or without BOM, UTF-16 "Unicode text", Windows-1252;
a delimiter at the end of every row), Excel ``.xlsx``/``.xlsm`` (hidden sheets
skipped, hidden or filtered rows read and named in a warning, merged cells filled, formulas without a stored value refused) and
LibreOffice ``.ods``. :func:`skmkit.validate.read_responses` recognises and validates it into the
canonical table; :func:`read_canonical` reads the batch's canonical cache back. The input file is only ever opened for reading.
"""
from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import Problem
from .header import (_HEAD_ROWS, SUMMARY_ROW, _above, _csv_head, _decode_head, _encoding, _fail, _filled,
                     _find_header, _header_names, _header_score, _letter, _note, _sniff_delimiter, _Uncached)
from .survey import load_survey
from .xlsx_range import used_range

__all__ = ["read_table", "read_canonical", "SUMMARY_ROW"]

_EXCEL = {".xlsx", ".xlsm"}
_OLD_EXCEL = {".xls", ".xlsb"}
#: Extra columns accepted past the header (a delimiter at the end of each row, unnamed columns).
_SLACK = 8


def _rows_text(rows) -> str:
    """Spreadsheet rows as ranges: [5, 6, 7, 9] -> '5-7, 9'."""
    rows = sorted(int(r) for r in rows)
    parts, start = [], None
    for i, r in enumerate(rows):
        if start is None:
            start = r
        if i + 1 == len(rows) or rows[i + 1] != r + 1:
            parts.append(str(start) if start == r else f"{start}-{r}")
            start = None
    return ", ".join(parts[:12]) + (f" dan {len(parts) - 12} rentang lagi" if len(parts) > 12 else "")


def _read_csv(path, header_row, survey) -> tuple[pd.DataFrame, list[Problem]]:
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    if not head.strip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n"):
        _fail(path, "berkas kosong.", "isi berkas dengan baris judul dan jawaban responden.", "empty")
    for encoding in _encoding(head):
        text = _decode_head(head, encoding)
        if text is None:
            continue
        text = text.lstrip("\ufeff")
        sep = _sniff_delimiter(text)
        records, ends = _csv_head(path, text, sep, max(_HEAD_ROWS, (header_row or 0) + 1))
        h = (header_row - 1) if header_row else _find_header(records, survey)
        if h >= len(records):
            _fail(path, f"baris judul {header_row} melewati isi berkas.", "sebut nomor baris judul yang benar "
                  "dengan --header-row.", "header-row")
        names = _header_names(records, h)
        # Rows may be wider than the header (a delimiter at the end of each row, unnamed columns):
        # as wide as the first rows are, and wider once if a later row needs it.
        widest = max((len(r) for r in records[h + 1:]), default=len(names))
        frame = None
        for extra in (max(0, widest - len(names)), max(0, widest - len(names)) + _SLACK):
            slack = [f"\0{i}" for i in range(extra)]
            try:
                frame = pd.read_csv(path, sep=sep, engine="c", encoding=encoding, header=None,
                                    names=names + slack, skiprows=ends[h], skip_blank_lines=False, index_col=False)
                break
            except UnicodeDecodeError:
                break
            except (pd.errors.ParserError, ValueError) as exc:
                if extra > max(0, widest - len(names)) or "Expected" not in str(exc):
                    _fail(path, f"CSV tidak bisa dibaca ({str(exc).strip()}).",
                          "periksa tanda kutip dan jumlah kolom pada baris tersebut.", "unreadable")
        if frame is None:
            continue
        frame.index = pd.RangeIndex(h + 2, h + 2 + len(frame), name="baris")
        notes = []
        if h > 0:
            notes.append(_note(path, f"judul kolom dibaca dari baris {h + 1}; {_above(h)} di atasnya (judul "
                                     "laporan) tidak dihitung.", "header-row"))
        if encoding.startswith("utf-16"):
            notes.append(_note(path, "berkas dibaca sebagai teks Unicode (UTF-16) dari Excel.", "encoding"))
        elif encoding == "cp1252":
            notes.append(_note(path, "berkas dibaca dengan pengodean Windows-1252.", "encoding"))
        extra = [c for c in slack if frame[c].notna().any()]
        frame = frame.drop(columns=[c for c in slack if c not in extra])
        if extra:
            frame = frame.rename(columns={c: f"(kolom {_letter(len(names) + slack.index(c))})" for c in extra})
        return frame, notes
    _fail(path, "pengodean teks tidak dikenal (bukan UTF-8, UTF-16 maupun Windows-1252).",
          "simpan ulang berkas sebagai CSV UTF-8.", "encoding")


# -- spreadsheets -------------------------------------------------------------------
def _pick_sheet(path, names: list[str], hidden: set[str], sheet, heads, survey) -> tuple[str, list[Problem]]:
    """The sheet to read: the one asked for, else the one visible sheet holding answers.

    Several visible sheets holding answers (one sheet per unit) are refused,
    naming them: the kit never reads the first of them quietly.
    """
    notes = []
    if sheet is not None:
        if isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 0 <= sheet < len(names):
                _fail(path, f"sheet nomor {sheet} tidak ada (berkas punya {len(names)} sheet).",
                      "sebut nama sheet yang benar dengan --sheet.", "sheet")
            return names[sheet], notes
        wanted = {str(sheet).strip().casefold(): None}
        for n in names:
            if n.strip().casefold() in wanted:
                return n, notes
        _fail(path, f"sheet '{sheet}' tidak ada.",
              f"sebut nama sheet yang benar dengan --sheet: {', '.join(repr(n) for n in names)}.", "sheet")
    visible = [n for n in names if n not in hidden]
    if not visible:
        _fail(path, "semua sheet tersembunyi.", "tampilkan sheet data (Unhide) atau sebut dengan --sheet.", "sheet")
    answering = [n for n in visible if _holds_answers(heads(n), survey)] if len(visible) > 1 else []
    if len(answering) > 1:
        shown = ", ".join(repr(n) for n in answering)
        _fail(path, f"berkas memuat {len(answering)} sheet berisi jawaban ({shown}); skmkit tidak memilih salah "
                    "satunya diam-diam.", f"sebut sheet yang dibaca dengan --sheet (mis. --sheet {answering[0]!r}; di "
                    "units.yml kunci 'sheet' per unit), atau satukan jawabannya dalam satu sheet dengan kolom unit.",
              "several-sheets")
    chosen = answering[0] if answering else next(
        (n for n in visible if max((_header_score(r, survey) for r in heads(n)), default=0) >= 3), visible[0])
    skipped_hidden = [n for n in names[:names.index(chosen)] if n in hidden]
    if skipped_hidden:
        notes.append(_note(path, f"sheet tersembunyi {', '.join(repr(n) for n in skipped_hidden)} dilewati; "
                                 f"dibaca sheet '{chosen}'.", "hidden-sheet"))
    if chosen != visible[0]:
        passed = ", ".join(repr(n) for n in visible[:visible.index(chosen)])
        notes.append(_note(path, f"sheet {passed} tidak berisi jawaban responden; dibaca sheet '{chosen}'.",
                           "sheet"))
    return chosen, notes


def _holds_answers(rows: list[list], survey) -> bool:
    """Whether the first rows of a sheet hold respondents' answers (not only a recap of them).

    A header row with three or more recognised headers, and under it a row
    (not a totals row) with a filled unsur cell, whose filled unsur cells are
    all answers: whole numbers on the survey's scale or text (a recap sheet
    holds NRR such as 3.25 or totals such as 105).
    """
    scores = [_header_score(r, survey) for r in rows]
    if not scores or max(scores) < 3:
        return False
    h = scores.index(max(scores))
    cols = [j for j, v in enumerate(rows[h]) if isinstance(v, str) and len(v) < 400
            and any(kind in ("unsur", "question") for kind, _ in survey.header_candidates(v))]
    lo, hi = survey.scale_min, survey.scale_max
    for r in rows[h + 1:]:
        first = next((v for v in r if _filled(v)), None)
        if first is None or (isinstance(first, str) and re.match(SUMMARY_ROW, first.strip(), re.IGNORECASE)):
            continue
        cells = [r[j] for j in cols if j < len(r) and _filled(r[j])]
        whole = [v for v in cells if isinstance(v, str) or (isinstance(v, (int, float)) and not isinstance(v, bool)
                                                            and math.isfinite(v) and v == int(v) and lo <= v <= hi)]
        if cells and len(whole) == len(cells):
            return True
    return False


def _xlsx_grid(path, sheet, survey):
    """Cells of the chosen sheet (values as saved), its merged ranges and notes."""
    import openpyxl

    source = used_range(path)  # a format down to row 1,048,576 is not read cell by cell
    try:
        wb = openpyxl.load_workbook(source, data_only=True)
    except Exception as exc:  # zip/xml errors from a broken or mislabelled file
        _fail(path, f"Excel tidak bisa dibaca ({type(exc).__name__}).",
              "simpan ulang sebagai .xlsx atau ekspor sebagai CSV.", "unreadable")
    names = wb.sheetnames
    hidden = {ws.title for ws in wb.worksheets if ws.sheet_state != "visible"}
    heads = lambda n: [list(r) for r in wb[n].iter_rows(max_row=_HEAD_ROWS, values_only=True)]  # noqa: E731
    name, notes = _pick_sheet(path, names, hidden, sheet, heads, survey)
    ws = wb[name]
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    merged = [(r.min_row - 1, r.max_row - 1, r.min_col - 1, r.max_col - 1) for r in ws.merged_cells.ranges]
    hidden_rows = {r for r, dim in ws.row_dimensions.items() if dim.hidden}  # hidden by hand or by a filter
    if _has_formulas(source):
        formulas = openpyxl.load_workbook(source, data_only=False)[name]
        for row in formulas.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("=") and c.row - 1 < len(grid) \
                        and grid[c.row - 1][c.column - 1] is None:
                    grid[c.row - 1][c.column - 1] = _Uncached(c.value)
    return grid, merged, name, notes, hidden_rows


def _has_formulas(path) -> bool:
    with zipfile.ZipFile(path) as z:
        return any(re.search(rb"<f[ >/]", z.read(n)) for n in z.namelist()
                   if n.startswith("xl/worksheets/") and n.endswith(".xml"))


def _ods_grid(path, sheet, survey):
    """Cells of the chosen sheet of a LibreOffice .ods file (odfpy)."""
    try:
        import odf  # noqa: F401  (Linux only: it ships no wheel for offline laptops)
    except ImportError:
        _fail(path, "berkas .ods butuh paket odfpy, yang tidak terpasang di sini.",
              "simpan ulang dari LibreOffice sebagai .xlsx atau CSV, atau pasang odfpy (pip install odfpy).",
              "unreadable")
    from odf import teletype
    from odf.namespaces import OFFICENS, TABLENS
    from odf.opendocument import load
    from odf.style import Style, TableProperties
    from odf.table import Table

    try:
        doc = load(str(path))
    except Exception as exc:
        _fail(path, f"ODS tidak bisa dibaca ({type(exc).__name__}).", "simpan ulang sebagai .ods atau .xlsx.",
              "unreadable")
    hidden_styles = set()
    for st in doc.automaticstyles.getElementsByType(Style):
        for tp in st.getElementsByType(TableProperties):
            if tp.getAttribute("display") == "false":
                hidden_styles.add(st.getAttribute("name"))
    tables = doc.spreadsheet.getElementsByType(Table)
    names = [t.getAttribute("name") for t in tables]
    hidden = {t.getAttribute("name") for t in tables if t.getAttribute("stylename") in hidden_styles}

    def cells(table, max_rows=None):
        grid, merged, pending, hidden_rows = [], [], 0, set()
        for row in _walk(table, TABLENS, {"table-row"}):
            values, spans = [], []
            for cell in row.childNodes:
                if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                    continue
                rep = int(cell.attributes.get((TABLENS, "number-columns-repeated"), 1))
                value = _ods_value(cell, OFFICENS, TABLENS, teletype)
                if cell.qname[1] == "table-cell":
                    cs = int(cell.attributes.get((TABLENS, "number-columns-spanned"), 1))
                    rs = int(cell.attributes.get((TABLENS, "number-rows-spanned"), 1))
                    if cs > 1 or rs > 1:
                        spans.append((len(values), cs, rs))
                if value is None and rep > 1:
                    values.extend([None] * min(rep, 1024))
                else:
                    values.extend([value] * rep)
            while values and values[-1] is None:
                values.pop()
            rep = int(row.attributes.get((TABLENS, "number-rows-repeated"), 1))
            if not values:
                pending += rep
                continue
            grid.extend([[]] * pending)
            pending = 0
            # "collapse": hidden by hand; "filter": left out by a filter
            concealed = row.attributes.get((TABLENS, "visibility"), "visible") != "visible"
            for _ in range(rep):
                r0 = len(grid)
                grid.append(list(values))
                merged += [(r0, r0 + rs - 1, c0, c0 + cs - 1) for c0, cs, rs in spans]
                if concealed:
                    hidden_rows.add(r0 + 1)
            if max_rows and len(grid) >= max_rows:
                break
        return grid, merged, hidden_rows

    heads = lambda n: cells(tables[names.index(n)], _HEAD_ROWS)[0]  # noqa: E731
    name, notes = _pick_sheet(path, names, hidden, sheet, heads, survey)
    grid, merged, hidden_rows = cells(tables[names.index(name)])
    return grid, merged, name, notes, hidden_rows


def _walk(node, ns, local):
    for child in node.childNodes:
        if child.qname and child.qname[0] == ns and child.qname[1] in local:
            yield child
        elif child.qname and child.qname[0] == ns and child.qname[1] in ("table-rows", "table-row-group",
                                                                         "table-header-rows"):
            yield from _walk(child, ns, local)


def _ods_value(cell, OFFICENS, TABLENS, teletype):
    kind = cell.attributes.get((OFFICENS, "value-type"))
    if kind in ("float", "percentage", "currency"):
        return float(cell.attributes.get((OFFICENS, "value")))
    if kind == "date":
        return pd.Timestamp(cell.attributes.get((OFFICENS, "date-value"))).to_pydatetime()
    if kind == "boolean":
        return cell.attributes.get((OFFICENS, "boolean-value")) == "true"
    text = teletype.extractText(cell) if cell.childNodes else ""
    if not text and (TABLENS, "formula") in cell.attributes:
        return _Uncached(cell.attributes[(TABLENS, "formula")])
    return text or None


def _grid_frame(path, grid, merged, header_row, survey) -> tuple[pd.DataFrame, list[Problem]]:
    """The respondents' table of a sheet: header found, merged cells filled."""
    if not any(any(_filled(v) for v in r) for r in grid):
        _fail(path, "sheet ini kosong.", "sebut sheet yang berisi jawaban dengan --sheet.", "empty")
    width = max((len(r) for r in grid), default=0)
    grid = [list(r) + [None] * (width - len(r)) for r in grid]
    filled_ranges = []
    for r0, r1, c0, c1 in merged:
        value = grid[r0][c0] if r0 < len(grid) else None
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    grid[r][c] = value
        if r1 > r0 and _filled(value):
            filled_ranges.append((r0, r1, c0, c1))
    h = (header_row - 1) if header_row else _find_header(grid[:_HEAD_ROWS], survey)
    if h >= len(grid):
        _fail(path, f"baris judul {header_row} melewati isi sheet.",
              "sebut nomor baris judul yang benar dengan --header-row.", "header-row")
    names = _header_names(grid, h)
    frame = pd.DataFrame(grid[h + 1:], columns=names, dtype=object)
    frame.index = pd.RangeIndex(h + 2, h + 2 + len(frame), name="baris")
    notes = []
    if h > 0:
        notes.append(_note(path, f"judul kolom dibaca dari baris {h + 1}; {_above(h)} di atasnya (judul laporan) "
                                 "tidak dihitung.", "header-row"))
    frame.attrs["_merged"] = [(r0 + 1, r1 + 1, names[c0]) for r0, r1, c0, c1 in filled_ranges
                              if r1 > h and c0 == c1 and c0 < len(names)]
    return frame, notes


# -- the data rows ------------------------------------------------------------------
def _data_rows(path, frame: pd.DataFrame, notes: list[Problem]) -> pd.DataFrame:
    """Drop blank columns, blank rows and totals rows; say what was dropped."""
    blank_cols = [c for c in frame.columns if c.startswith("(kolom ") and frame[c].isna().all()]
    frame = frame.drop(columns=blank_cols)
    present = frame.notna().to_numpy().copy()
    for j, c in enumerate(frame.columns):
        col = frame[c]
        if col.dtype == object:  # sheets: cells as saved (small); CSV gives NaN for an empty field
            present[:, j] &= col.map(_filled).to_numpy(dtype=bool)
    any_cell = present.any(axis=1)
    # a frame whose columns were all blank has no first filled cell (argmax of nothing)
    first = np.where(any_cell, present.argmax(axis=1), -1) if present.shape[1] else np.full(len(frame), -1)
    summary = np.zeros(len(frame), dtype=bool)
    for j, c in enumerate(frame.columns):
        rows = np.flatnonzero(first == j)
        if not len(rows):
            continue
        values = frame[c].iloc[rows]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        if values.dtype == object:
            values = values.map(lambda v: v if isinstance(v, str) else "")
        values = values.astype("str")
        # only cells that do not start with a digit can be a label (skips a million timestamps cheaply)
        maybe = ~values.str.slice(0, 1).isin(list("0123456789")).to_numpy(dtype=bool)
        if not maybe.any():
            continue
        rows, values = rows[maybe], values[maybe]
        hit = values.str.match(SUMMARY_ROW, case=False).to_numpy(dtype=bool, na_value=False)
        summary[rows[hit]] = True
    rownum = frame.index.to_numpy()
    if summary.any():
        labels = sorted({str(frame.iat[i, first[i]]).strip().upper() for i in np.flatnonzero(summary)})[:6]
        notes.append(_note(path, f"baris {_rows_text(rownum[summary])} dibaca sebagai baris jumlah/rekap "
                                 f"({', '.join(labels)}) dan tidak dihitung.", "summary-rows"))
    keep = any_cell & ~summary
    out = frame if keep.all() else frame[keep]  # no copy of a million rows when nothing is dropped
    merged = frame.attrs.get("_merged", [])
    out.attrs = {}
    kept = set(out.index) if merged else set()
    for r0, r1, col in merged:
        rows = [r for r in range(r0 + 1, r1 + 1) if r in kept]
        if rows:
            notes.append(_note(path, f"sel gabungan (merge) baris {r0}-{r1}: {len(rows)} baris di bawah sel "
                                     f"teratas diisi dengan nilainya '{frame.at[r0, col] if r0 in frame.index else ''}'.",
                               "merged-cells", column=col))
    where = [(r, c, v) for c in out.columns if out[c].dtype == object
             for r, v in out[c].items() if isinstance(v, _Uncached)]
    if where:
        r, c, v = where[0]
        _fail(path, f"{len(where)} sel berisi rumus yang nilainya belum tersimpan (mis. '{v}'); nilai itu "
                    "tidak bisa dibaca.", "buka berkas di Excel atau LibreOffice lalu simpan ulang (nilai rumus "
                    "tersimpan saat menyimpan), atau tulis nilainya langsung.", "uncached-formula",
              row=int(r), column=c)
    return out


def read_table(path, *, sheet=None, header_row=None, survey=None) -> pd.DataFrame:
    """Read a survey file into a raw DataFrame: the respondents' rows, headers as they stand.

    Parameters
    ----------
    path : str or Path
        ``.csv``/``.txt``/``.tsv`` (``,`` ``;`` tab or ``|``; UTF-8 with or
        without BOM, UTF-16, or Windows-1252), ``.xlsx``/``.xlsm`` or ``.ods``.
    sheet : str or int, optional
        Sheet name (or 0-based index); default the visible sheet that holds
        answers (else the first visible sheet with unsur columns, else the first
        visible sheet). Hidden sheets are skipped; several visible sheets
        holding answers are refused, naming them.
    header_row : int, optional
        The header's row number as the spreadsheet shows it (1 = first row);
        default found: the row whose cells the survey definition recognises.
    survey : SurveyDefinition or path, optional
        Used to recognise the header row. Default PermenPANRB 14/2017.

    Returns
    -------
    pandas.DataFrame
        Index ``baris``: each row's number as the spreadsheet shows it. Blank
        rows and totals rows (JUMLAH, NRR, IKM ...) are left out; merged cells
        are filled from their top cell. ``attrs["skmkit_read"]`` holds the sheet
        read, the header row and one :class:`~skmkit.errors.Problem` (a warning)
        per thing reading did.

    Raises
    ------
    ValidationError
        When the file is missing, empty or unreadable, or holds formulas
        without stored values.
    """
    p = Path(path)
    if not p.exists():
        _fail(p, f"berkas tidak ditemukan di folder {p.absolute().parent}.", "periksa nama berkas dan foldernya "
              "(path relatif dibaca dari folder kerja: di Jupyter, folder notebook).", "missing-file")
    if p.is_dir():
        _fail(p, "ini folder, bukan berkas.", "sebut berkas .csv, .xlsx atau .ods di dalamnya.", "missing-file")
    if header_row is not None and (isinstance(header_row, bool) or int(header_row) < 1):
        _fail(p, f"--header-row {header_row} tidak valid.", "tulis nomor baris judul seperti di spreadsheet "
              "(1 = baris pertama).", "header-row")
    header_row = int(header_row) if header_row is not None else None
    survey = load_survey(survey)
    suffix = p.suffix.lower()
    sheet_name, hidden_rows = None, set()
    if suffix in _OLD_EXCEL:
        _fail(p, f"format {suffix} (Excel lama) tidak dibaca.", "simpan ulang sebagai .xlsx atau CSV.", "unreadable")
    if suffix in _EXCEL or suffix == ".ods":
        grid, merged, sheet_name, notes, hidden_rows = (_xlsx_grid if suffix in _EXCEL else _ods_grid)(p, sheet, survey)
        frame, more = _grid_frame(p, grid, merged, header_row, survey)
        notes += more
    else:
        frame, notes = _read_csv(p, header_row, survey)
    frame = _data_rows(p, frame, notes)
    if suffix in _EXCEL or suffix == ".ods":
        frame = frame.infer_objects()
        _hidden_rows_note(p, frame, hidden_rows, notes)
    if frame.shape[1] == 0 or len(frame) == 0:
        _fail(p, "berkas tidak berisi jawaban responden.",
              "pastikan ada baris judul kolom dan di bawahnya jawaban responden (atau sebut --header-row).",
              "empty")
    frame.attrs["skmkit_read"] = {"sheet": sheet_name, "notes": notes}
    return frame


def _hidden_rows_note(path, frame: pd.DataFrame, hidden_rows: set, notes: list[Problem]) -> None:
    """Say which answer rows the sheet hides (by hand or by a filter): they are read and counted.

    Excel's SUM counts hidden rows too, but an office may have hidden rows to
    leave respondents out: the kit cannot know, so it counts them (deleting a
    row is the way to leave it out) and says which rows, with both fixes.
    """
    rows = sorted(set(frame.index) & set(hidden_rows))
    if rows:
        notes.append(_note(path, f"{len(rows)} baris jawaban tersembunyi di spreadsheet (Hide atau filter): "
                                 f"baris {_rows_text(rows)}; baris itu tetap dibaca dan dihitung.", "hidden-rows",
                           fix="bila baris itu memang tidak boleh dihitung, hapus barisnya (Delete Row) lalu "
                               "simpan; bila boleh, tampilkan lagi (Unhide, hapus filter) atau biarkan."))


def read_canonical(path) -> pd.DataFrame:
    """Read a canonical table written by the batch (Parquet; ``attrs`` kept)."""
    p = Path(path)
    if not p.exists():
        _fail(p, "berkas tidak ditemukan.", "periksa nama dan lokasi berkas.", "missing-file")
    df = pd.read_parquet(p)
    if "skmkit" not in df.attrs or "_row" not in df.columns:
        _fail(p, "berkas Parquet ini bukan tabel kanonik skmkit.",
              "pakai CSV/XLSX ekspor formulir; Parquet hanya untuk cache batch.", "unreadable")
    return df
