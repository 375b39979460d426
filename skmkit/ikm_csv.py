"""``skmkit ikm`` on a large plain CSV without pandas: pyarrow's multithreaded reader and numpy sums.

The fast path of :func:`skmkit.ikm_json.ikm_report` (issue 22: a million
responses no slower than bare pandas). It reads only the columns the result
needs (the answers, the naming columns, the first column), each answer column
as small integers or as a dictionary of its distinct texts, and gives the sums
to :class:`skmkit.nrr.Sums`, the arithmetic the pandas path uses, so the
numbers are the same to the last digit.

It only serves a file it can read exactly as :func:`skmkit.read.read_table`
and :func:`skmkit.validate.validate_table` would, and returns ``None``
otherwise, so that the general path reads the file and says what it says
(every error and its row, column and value come from there). ``None`` when: the
file is small or not UTF-8 CSV; the header is not on the first line or a row
is wider or narrower than it; a header is ambiguous or an unsur is missing; a
row's first cell is blank or reads as a totals row (JUMLAH, IKM ...); an answer
is not one the survey definition knows; a naming column (unit, layanan,
periode) holds personal data, numbers only, or names typed two ways; ``by`` is
not a naming column; the interval is a bootstrap or the population differs per
group; no row holds an answer.
"""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv

from .columns import _answer, match_columns
from .errors import ValidationError
from .files import Hashing
from .header import _HEAD_ROWS, SUMMARY_ROW, _csv_head, _decode_head, _encoding, _find_header, _header_names, \
    _sniff_delimiter
from .nrr import Sums
from .privacy import _kind, mask_personal, personal_header
from .survey import name_key, normalize

__all__ = ["ikm_csv", "Numbers"]

#: The cells pandas' CSV reader reads as blank (``pandas._libs.parsers.STR_NA_VALUES``; a test compares them).
NA_VALUES = ("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
             "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null")
#: Naming columns: checked for personal data and spellings, and the only ``by`` this path groups by.
_GROUP_COLUMNS = ("unit", "layanan", "periode")
_MISSING_GROUP = "(kosong)"
#: A cell pandas would read as a number or a truth value (a column of only these is not text).
_NOT_TEXT = re.compile(r"^\s*[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity)\s*$|"
                       r"^(?:true|false)$", re.IGNORECASE)
_DIGITS = re.compile(r"^\d+$")
#: At most this many first cells that do not start with a digit are matched against the totals rows here.
_LABELS = 100_000
#: pyarrow's block size (its default; the tests make blocks small to cut quoted values).
_BLOCK: dict = {}


class Numbers:
    """What the JSON is made from: the sums, each group's value (``None``: not grouped), the groups refused."""

    def __init__(self, sums: Sums, groups, refused):
        self.sums, self.groups, self.refused = sums, groups, refused
        self.hashing = None

    def sha256(self) -> str | None:
        """The file's SHA-256 once hashed (on a second thread); ``None`` when it is not all UTF-8."""
        digest, utf8 = self.hashing.result()
        return digest if utf8 else None


def ikm_csv(path, *, by, survey, source: str, hashing: Hashing | None = None) -> Numbers | None:
    """The sums of a plain CSV grouped by ``by``, or ``None`` when the general path must read it.

    ``hashing``: the file's :class:`~skmkit.files.Hashing`, started by the
    caller while this module was imported; without it the file is hashed on a
    second thread once pyarrow has read it. :meth:`Numbers.sha256` waits for it.
    """
    p = Path(path)
    if p.suffix.lower() not in (".csv", ".txt", ".tsv") or not p.is_file():
        return None
    started = [hashing] if hashing is not None else []
    read = _read(p, by, survey, source, lambda: started or started.append(Hashing(p)))
    if read is None:
        return None
    numbers = _sums(*read, by, survey)
    if numbers is not None:
        numbers.hashing = started[0]
    return numbers


def _read(p: Path, by, survey, source, after_read):
    with open(p, "rb") as fh:
        head = fh.read(1 << 16)
    if _encoding(head)[0] != "utf-8-sig":
        return None
    text = _decode_head(head, "utf-8-sig")
    if text is None:
        return None
    text = text.lstrip("\ufeff")
    sep = _sniff_delimiter(text)
    try:
        records, ends = _csv_head(p, text, sep, _HEAD_ROWS)
    except ValidationError:
        return None
    if not records or _find_header(records, survey) != 0 or ends[0] != 1:
        return None  # title rows above the header: the general path says so
    names = _header_names(records, 0)
    if any(len(r) != len(names) for r in records[1:]) or len(set(names)) != len(names):
        return None  # a delimiter at the end of each row, unnamed columns
    mapping, _, problems = match_columns(names, survey, source)
    if any(pr.severity == "error" for pr in problems):
        return None
    canon_of = {h: c for h, c in mapping.items() if c is not None}
    answers = {c: h for h, c in canon_of.items() if c in survey.keys}
    naming = {c: h for h, c in canon_of.items() if c in _GROUP_COLUMNS}
    group = _resolve(by, canon_of) if by else None
    if by and group not in naming:
        return None
    first = names[0]
    dictionary = pa.dictionary(pa.int32(), pa.string())
    types = {h: dictionary for h in naming.values()}
    for key, h in answers.items():
        j = names.index(h)
        head_cells = [r[j] for r in records[1:] if r[j] not in NA_VALUES]
        types[h] = pa.int8() if all(_DIGITS.match(v) for v in head_cells) else dictionary
    types.setdefault(first, pa.string())
    read = dict(read_options=pcsv.ReadOptions(column_names=names, skip_rows=1, encoding="utf8", **_BLOCK),
                convert_options=pcsv.ConvertOptions(column_types=types, include_columns=list(types),
                                                    null_values=list(NA_VALUES), strings_can_be_null=True,
                                                    quoted_strings_can_be_null=True))
    try:
        try:
            table = pcsv.read_csv(p, parse_options=pcsv.ParseOptions(delimiter=sep), **read)
        except pa.ArrowInvalid as exc:
            if "newlines_in_values" not in str(exc):
                raise
            # a block was cut inside a quoted value holding a line break ("parser got out of sync with
            # chunker"): read again cutting blocks only between records (slower, so not always)
            table = pcsv.read_csv(p, parse_options=pcsv.ParseOptions(delimiter=sep, newlines_in_values=True), **read)
    except (pa.ArrowException, UnicodeError, ValueError):
        return None  # a row wider or narrower than the header, a number that is not one: the general path
    after_read()  # the file is in the page cache now: hashed while the rest is computed
    if table.num_rows == 0 or not _no_totals_row(table.column(first)):
        return None
    for canon, h in naming.items():
        names_in = _dictionary(table.column(h))
        if canon == group and not _plain_names(h, names_in, survey):
            return None
        if any(v is not None and mask_personal(v) != v for v in names_in):
            return None  # personal data typed where a name belongs: refused there, with the rows
    x = np.empty((table.num_rows, len(survey.keys)), order="F")  # laid out as the pandas path's matrix
    columns = [table.column(answers[key]) for key in survey.keys]
    with ThreadPoolExecutor(max_workers=2) as pool:  # numpy and Arrow let go of the GIL
        if not all(pool.map(lambda j: _scores(columns[j], survey.keys[j], survey, x[:, j]), range(len(columns)))):
            return None
    if group is None:
        return x, np.zeros(table.num_rows, dtype=np.intp), None
    col = table.column(naming[group]).unify_dictionaries()
    values = _dictionary(col)
    codes = _codes(col, len(values))
    return x, codes, values


def _resolve(by: str, canon_of: dict) -> str | None:
    """The canonical column ``by`` names, as :func:`skmkit.select.resolve_column` finds it."""
    columns = set(canon_of.values())
    if by in columns:
        return by
    if by in canon_of:
        return canon_of[by]
    pairs = [(normalize(h), c) for h, c in canon_of.items()] + [(normalize(c), c) for c in columns]
    found = {c for n, c in pairs if n == normalize(by)}
    return found.pop() if len(found) == 1 else None  # two columns spelled alike: the general path decides


def _dictionary(col: pa.ChunkedArray) -> list:
    """The distinct texts of a dictionary column (all chunks)."""
    col = col.unify_dictionaries()
    return col.chunk(0).dictionary.to_pylist() if col.num_chunks else []


def _codes(col: pa.ChunkedArray, blank: int, out=None) -> np.ndarray:
    """Each row's index into the (unified) dictionary; ``blank`` where the cell is blank."""
    return _integers([c.indices for c in col.chunks], blank, np.empty(len(col), np.intp) if out is None else out)


def _integers(chunks, blank, out: np.ndarray) -> np.ndarray:
    """Integer arrays written into ``out`` one after the other, ``blank`` where a cell is blank.

    Read from the Arrow buffers (``to_numpy`` and ``fill_null`` would import
    pandas for the blanks), a chunk at a time: no temporary of a million rows.
    """
    at = 0
    for c in chunks:
        validity, data = c.buffers()[:2]
        values = np.frombuffer(data, dtype=f"int{c.type.bit_width}", count=c.offset + len(c))[c.offset:]
        if c.null_count:
            bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), count=c.offset + len(c),
                                 bitorder="little")[c.offset:]
            values = np.where(bits.view(bool), values, blank)
        out[at:at + len(c)] = values
        at += len(c)
    return out


def _no_totals_row(col: pa.ChunkedArray) -> bool:
    """Every row's first cell is filled and none reads as a totals row (``read._data_rows``' rule)."""
    if col.null_count:
        return False  # a blank first cell: the row's first filled cell is elsewhere
    if pa.types.is_dictionary(col.type):
        return not any(re.match(SUMMARY_ROW, v, re.IGNORECASE) for v in _dictionary(col))
    if not pa.types.is_string(col.type):
        return True  # numbers: never a label
    labels = []
    for c in col.chunks:  # only a cell that does not start with a digit can be a label (a million timestamps)
        offsets = np.frombuffer(c.buffers()[1], dtype=np.int32, count=c.offset + len(c) + 1)[c.offset:]
        first = np.frombuffer(c.buffers()[2], dtype=np.uint8)[offsets[:-1]] if len(c) else np.zeros(0, np.uint8)
        rows = np.flatnonzero((first < ord("0")) | (first > ord("9")))
        if len(labels) + len(rows) > _LABELS:
            return False  # text in the first column: the general path looks at each
        labels += [c[int(i)].as_py() for i in rows]
    return not any(re.match(SUMMARY_ROW, v, re.IGNORECASE) for v in labels)


def _plain_names(header: str, names: list, survey) -> bool:
    """A naming column the general path keeps as it is: text, no personal data, each name spelled one way."""
    if personal_header(header, survey):
        return False
    texts = [v for v in names if v is not None]
    if not any(not _NOT_TEXT.match(v) for v in texts):
        return False  # numbers only: pandas reads a number column, not names
    keys = {name_key(v) for v in texts}
    if len(keys) != len(texts) or "" in keys or any(" ".join(v.split()) != v for v in texts):
        return False  # names typed two ways are merged there, and said
    return all(mask_personal(v) == v and _kind(v.strip()) is None for v in texts)


def _scores(col: pa.ChunkedArray, key: str, survey, out: np.ndarray) -> bool:
    """Write one answer column's scores into ``out`` (NaN = blank); False when an answer is not one the survey knows."""
    lo, hi = survey.scale_min, survey.scale_max
    if pa.types.is_integer(col.type):
        _integers([col.combine_chunks()], np.nan, out)  # one array: a few numpy calls, not one per block
        return not ((out < lo) | (out > hi)).any()
    col = col.unify_dictionaries()
    texts = _dictionary(col)
    amap = survey.answer_map(key)
    table = np.full(len(texts) + 1, np.nan)
    for i, text in enumerate(texts):
        if not text.strip():
            continue
        score, _ = _answer(text, amap, lo, hi)
        if score is None:
            return False
        table[i] = score
    np.take(table, _codes(pa.chunked_array([col.combine_chunks()]), len(texts)), out=out)
    return True


def _sums(x, codes, values, by, survey) -> Numbers | None:
    """:class:`skmkit.indices._Groups`' steps on arrays: groups sorted, empty groups refused."""
    answered = ~np.isnan(x).all(axis=1)
    if values is None:
        index, n = None, 1
    else:
        present = np.bincount(codes, minlength=len(values) + 1)
        order = sorted(i for i in range(len(values)) if present[i])
        index = [values[i] for i in sorted(order, key=lambda i: values[i])]
        rank = np.full(len(values) + 1, -1, dtype=np.intp)
        rank[sorted(order, key=lambda i: values[i])] = np.arange(len(index))
        if present[len(values)]:  # rows without a group value form their own group, last
            rank[len(values)] = len(index)
            index.append(_MISSING_GROUP)
        codes = rank[codes]
        n = len(index)
    size = np.bincount(codes[answered], minlength=n)
    empty = size == 0
    if empty.all():
        return None  # no answer at all: refused there, with its message
    refused = [v for v, e in zip(index, empty) if e] if index is not None else []
    if empty.any():
        codes = (np.cumsum(~empty) - 1)[codes]
        index = [v for v, e in zip(index, empty) if not e]
    sums = Sums(x if answered.all() else x[answered], codes[answered], len(index) if index else 1, survey)
    return Numbers(sums, index, refused)
