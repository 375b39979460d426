"""The header row of a sheet and the first lines of a CSV: encoding, delimiter, header (no pandas).

Shared by :mod:`skmkit.read` (every file) and :mod:`skmkit.ikm_csv` (``skmkit ikm``
on a large plain CSV, which never imports pandas). The rules are the office-files
issue's: the header is the row whose cells the survey definition recognises,
under any title rows; a blank cell under a filled group header takes that header.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from pathlib import Path

from .errors import Problem, ValidationError

#: Rows looked at when searching for the header row.
_HEAD_ROWS = 50

#: The first filled cell of a totals row under the data (JUMLAH, NRR, NRR TERTIMBANG, IKM ...),
#: matched without regard to case (RE2 syntax too, so that pandas runs it in Arrow).
SUMMARY_ROW = (
    r"^[^A-Za-z0-9]*(?:[0-9]+[^A-Za-z0-9]+)?(?:"
    # a label that may go on ("Jumlah Kelurahan Satu", "IKM Unit Pelayanan", "NRR Tertimbang")
    r"(?:jumlah|total|sub.?total|grand.?total|rata.?rata|rerata|rata2|nrr|ikm|indeks +kepuasan|"
    r"nilai +(?:rata|ikm|indeks|konversi|tertimbang|per +unsur|unsur|akhir|persepsi|interval)|"
    r"skor +(?:total|rata))(?:[^A-Za-z0-9]|$)"
    # a label that stands alone (a respondent may be called "Mutu ...")
    r"|(?:mutu(?: +pelayanan)?|kinerja(?: +unit(?: +pelayanan)?)?|bobot(?: +unsur)?)[^A-Za-z0-9]*$|n *=)")


def _fail(path, message, fix, code, **where):
    raise ValidationError([Problem(message=message, fix=fix, file=Path(path).name, code=code, **where)])


def _note(path, message, code, **where) -> Problem:
    """What reading did, said once (a warning: it does not stop the computation)."""
    return Problem(message=message, file=Path(path).name, severity="warning", code=code, **where)


class _Uncached:
    """A formula cell saved without its value (a file written by a script, never opened in Excel)."""

    def __init__(self, formula):
        self.formula = str(formula)

    def __repr__(self):
        return self.formula


def _letter(i: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 -> A, 26 -> AA)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _above(h: int) -> str:
    """The rows above a header found at 0-based index ``h``: 'baris 1' or 'baris 1-3'."""
    return "baris 1" if h == 1 else f"baris 1-{h}"


# -- the header row ---------------------------------------------------------------
def _filled(v) -> bool:
    if v is None:
        return False
    if isinstance(v, float) and v != v:
        return False
    return not (isinstance(v, str) and not v.strip())


def _header_score(row, survey) -> int:
    """How many cells of a row are headers the survey definition knows."""
    n = 0
    for v in row:
        if isinstance(v, str) and re.search(r"[A-Za-z]", v) and len(v) < 400 and survey.header_candidates(v):
            n += 1
    return n


def _find_header(rows: list[list], survey) -> int:
    """The 0-based index of the header row among the first rows of a sheet.

    The row with the most headers the survey definition recognises (unsur keys,
    names, questions, short headers, profile and personal columns); when none is
    recognised, the first row as wide as the table (a title row fills one cell).
    """
    scores = [_header_score(r, survey) for r in rows]
    if scores and max(scores) >= 2:
        return scores.index(max(scores))
    widths = [sum(_filled(v) for v in r) for r in rows]
    widest = max(widths, default=0)
    return next((i for i, w in enumerate(widths) if w and w >= 0.8 * widest), 0)


def _header_names(rows: list[list], h: int) -> list[str]:
    """Header names of row ``h``; a blank cell under a filled group header takes that header."""
    header = list(rows[h])
    above = rows[h - 1] if h > 0 else []
    if sum(_filled(v) for v in above) >= 2:  # a two-row header, not a title
        header = [a if not _filled(v) and j < len(above) and _filled(a := above[j]) else v
                  for j, v in enumerate(header)]
    names, seen = [], Counter()
    for j, v in enumerate(header):
        if _filled(v):
            name = str(v.formula if isinstance(v, _Uncached) else v).strip()
            if isinstance(v, float) and v == int(v):
                name = str(int(v))
        else:
            name = f"(kolom {_letter(j)})"
        seen[name] += 1
        names.append(name if seen[name] == 1 else f"{name}.{seen[name] - 1}")
    return names


# -- CSV and text exports ------------------------------------------------------------
def _encoding(head: bytes) -> list[str]:
    """Encodings to try, best first, from the file's first bytes."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return ["utf-16"]
    if head.startswith(codecs.BOM_UTF8):
        return ["utf-8-sig"]
    if head.count(b"\x00") > len(head) // 4:  # UTF-16 without a BOM
        even, odd = head[0::2].count(b"\x00"), head[1::2].count(b"\x00")
        return ["utf-16-le" if odd > even else "utf-16-be"]
    return ["utf-8-sig", "cp1252"]


def _decode_head(head: bytes, encoding: str) -> str | None:
    try:
        return codecs.getincrementaldecoder(encoding)().decode(head, final=False)
    except UnicodeDecodeError:
        return None


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most rows of one width."""
    lines = text.splitlines()[:_HEAD_ROWS + 20]
    best, best_score = ",", (0, 0)
    for d in (",", ";", "\t", "|"):
        try:
            widths = [len(r) for r in csv.reader(lines, delimiter=d) if any(c.strip() for c in r)]
        except csv.Error:
            continue
        widths = [w for w in widths if w > 1]
        if not widths:
            continue
        width, freq = Counter(widths).most_common(1)[0]
        if (freq, width) > best_score:
            best, best_score = d, (freq, width)
    return best


def _csv_head(path, text: str, sep: str, need: int = _HEAD_ROWS) -> tuple[list[list], list[int]]:
    """The first records of the text and the physical line each ends on."""
    lines = text.splitlines(keepends=True)
    if len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut mid-way
    reader = csv.reader(io.StringIO("".join(lines[:need * 4])), delimiter=sep)
    records, ends = [], []
    try:
        for rec in reader:
            records.append(rec)
            ends.append(reader.line_num)
            if len(records) >= need:
                break
    except csv.Error as exc:
        _fail(path, f"CSV tidak bisa dibaca ({exc}).", "periksa tanda kutip pada baris judul.", "unreadable")
    return records, ends
