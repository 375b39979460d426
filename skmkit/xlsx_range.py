"""The used range of an Excel workbook: what openpyxl reads, without the formatted empty rows.

A format applied down whole columns (borders, a number format, a fill) leaves
empty styled cells such as ``<c r="A1048576" s="3"/>`` to the sheet's last row.
openpyxl builds a cell object for each of them: a sheet with 40 answers and a
format down to row 1,048,576 took 67-80 s to read. :func:`used_range` returns
the workbook with every large sheet cut after its last row holding a value, in
memory; the input file is only read. Everything openpyxl reads from such a
sheet stays as it was: the values, their types, merged ranges (kept from the
sheet's tail), hidden sheets and formulas (a formula is a value here, so a
formula without a stored value is kept and refused as before).
"""
from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

__all__ = ["used_range"]

#: Sheets whose XML is at most this large are read as they are (cutting them saves nothing).
LARGE_SHEET = 4 << 20
_CHUNK = 1 << 22
#: What makes a cell hold something: a stored value (``</v>``), an inline string (``<is>``) or a formula
#: (``<f>...</f>``, or ``<f .../>`` for a shared one). Three needles, each one scan of the sheet (not
#: ``</c>``: openpyxl writes a formatted blank as ``<c r="A3" s="1"></c>``).
_VALUE = (b"</v>", b"<is>", b"<f")
_OVERLAP = 16


def _cut_points(stream) -> tuple[int, int, int, bytes] | None:
    """Where to cut one sheet's XML: (end of the ``<sheetData>`` tag, offset of the last value, formula or
    inline string, start of ``</sheetData>``, the bytes from there to the end); None when the sheet is read
    as it stands (no rows, or a prefixed namespace such as ``<x:sheetData>``)."""
    pos, prev, last, data_start, data_end, tail = 0, b"", -1, -1, -1, []
    while chunk := stream.read(_CHUNK):
        if data_end >= 0:
            tail.append(chunk)
            continue
        buf, base = prev + chunk, pos - len(prev)
        if data_start < 0:
            if b"<sheetData/>" in buf:
                return None  # no rows at all
            at = buf.find(b"<sheetData>")
            if at >= 0:
                data_start = base + at + len(b"<sheetData>")
        stop = buf.find(b"</sheetData>")
        area = buf if stop < 0 else buf[:stop]
        hit = max(area.rfind(v) for v in _VALUE)
        if hit >= 0 and base + hit > last:
            last = base + hit
        if stop >= 0:
            data_end = base + stop
            tail.append(buf[stop:])
        prev, pos = buf[-_OVERLAP:], pos + len(chunk)
    if data_start < 0 or data_end < 0:
        return None
    return data_start, last, data_end, b"".join(tail)


def _cut_sheet(z: zipfile.ZipFile, name: str) -> bytes | None:
    with z.open(name) as fh:
        points = _cut_points(fh)
    if points is None:
        return None
    data_start, last, data_end, tail = points
    if data_end - max(last, data_start) < _CHUNK:
        return None  # the values go on (nearly) to the last row: nothing worth cutting
    with z.open(name) as fh:
        if last < 0:
            head, end = fh.read(data_start), data_start
        else:
            head = fh.read(last)
            while (end := head.find(b"</row>", last)) < 0:
                more = fh.read(_CHUNK)
                if not more:
                    return None
                head += more
            end += len(b"</row>")
    return head[:end] + tail


def used_range(path) -> Path | io.BytesIO:
    """The workbook as openpyxl should read it: ``path`` itself, or an in-memory copy whose large
    sheets end at their last row holding a value.

    Parameters
    ----------
    path : str or Path
        An ``.xlsx``/``.xlsm`` file; it is only read.

    Returns
    -------
    Path or io.BytesIO
        ``path`` when no sheet is larger than :data:`LARGE_SHEET` or none has formatted empty rows
        after its values; else a copy in memory, the other parts of the workbook unchanged.
    """
    path = Path(path)
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return path  # openpyxl says what is wrong with it
    with z:
        large = [i.filename for i in z.infolist() if i.filename.startswith("xl/worksheets/")
                 and i.filename.endswith(".xml") and i.file_size > LARGE_SHEET]
        cut = {n: body for n in large if (body := _cut_sheet(z, n)) is not None}
        if not cut:
            return path
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as w:
            for info in z.infolist():
                if info.filename in cut:
                    w.writestr(info.filename, cut[info.filename])
                else:
                    with z.open(info) as src, w.open(info.filename, "w") as dst:
                        shutil.copyfileobj(src, dst)
    out.seek(0)
    return out
