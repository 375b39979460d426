"""Reading survey responses: CSV (any delimiter, UTF-8 or Windows-1252), Excel,
and online-form exports.

:func:`read_table` returns the raw table exactly as the file holds it;
:func:`skmkit.validate.read_responses` recognises and validates it into the
canonical table. :func:`read_canonical` reads the batch's canonical cache back.
The input file is only ever opened for reading.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from .errors import Problem, ValidationError

__all__ = ["read_table", "read_canonical"]

_EXCEL = {".xlsx", ".xlsm", ".xls"}



def _fail(path, message, fix, code):
    raise ValidationError([Problem(message=message, fix=fix, file=Path(path).name, code=code)])


def _sniff_delimiter(sample: str) -> str:
    header = sample.splitlines()[0] if sample else ""
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        try:
            return csv.Sniffer().sniff(sample[:65536], delimiters=",;\t").delimiter
        except csv.Error:
            return ","
    return best


def _read_csv(path) -> pd.DataFrame:
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        _fail(path, "berkas kosong.", "isi berkas dengan baris judul dan jawaban responden.", "empty")
    sep = _sniff_delimiter(head.decode("utf-8", "ignore").lstrip("\ufeff"))
    # UTF-8 (with or without BOM) first, then Windows-1252 (Excel's "CSV" on Windows).
    # pandas' C parser reads the file itself and infers numbers; measured faster here
    # than the pyarrow engine and than decoding the bytes first.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return pd.read_csv(path, sep=sep, engine="c", encoding=encoding)
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, ValueError) as exc:
            _fail(path, f"CSV tidak bisa dibaca ({str(exc).strip()}).",
                  "periksa tanda kutip dan jumlah kolom pada baris tersebut.", "unreadable")
    _fail(path, "pengodean teks tidak dikenal (bukan UTF-8 maupun Windows-1252).",
          "simpan ulang berkas sebagai CSV UTF-8.", "encoding")


def _read_excel(path, sheet) -> pd.DataFrame:
    try:
        return pd.read_excel(path, sheet_name=0 if sheet is None else sheet, engine="openpyxl")
    except ValueError as exc:
        if sheet is not None and "not found" in str(exc).lower():
            _fail(path, f"sheet '{sheet}' tidak ada.", "sebut nama sheet yang benar dengan --sheet.", "sheet")
        _fail(path, f"Excel tidak bisa dibaca ({exc}).", "simpan ulang sebagai .xlsx.", "unreadable")
    except Exception as exc:  # zip/xml errors from a broken or mislabelled file
        _fail(path, f"Excel tidak bisa dibaca ({type(exc).__name__}).",
              "simpan ulang sebagai .xlsx atau ekspor sebagai CSV.", "unreadable")


def read_table(path, *, sheet=None) -> pd.DataFrame:
    """Read a survey file into a raw DataFrame, headers as they stand.

    Parameters
    ----------
    path : str or Path
        ``.csv``/``.txt``/``.tsv`` (``,`` ``;`` or tab; UTF-8 with or without
        BOM, or Windows-1252) or ``.xlsx``.
    sheet : str or int, optional
        Excel sheet name or index; default the first sheet.

    Raises
    ------
    ValidationError
        When the file is missing, empty or unreadable.
    """
    p = Path(path)
    if not p.exists():
        _fail(p, "berkas tidak ditemukan.", "periksa nama dan lokasi berkas.", "missing-file")
    if p.is_dir():
        _fail(p, "ini folder, bukan berkas data.", "sebut berkas .csv atau .xlsx di dalamnya.", "not-a-file")
    if p.suffix.lower() in _EXCEL:
        df = _read_excel(p, sheet)
    else:
        df = _read_csv(p)
    df.columns = [str(c).strip() for c in df.columns]
    if df.shape[1] == 0 or len(df) == 0:
        _fail(p, "berkas tidak berisi jawaban responden.",
              "pastikan baris 1 adalah judul kolom dan baris berikutnya jawaban.", "empty")
    return df



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
