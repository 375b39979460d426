"""Recognising columns and validating answers.

Columns are matched to an unsur by key, name or question text (never by
position); answers are numbers, letters or labels. Every problem names the
file, the spreadsheet row (header = row 1), the column and the value.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from . import columns
from .columns import _answer
from .errors import Problem, ValidationError, format_problems
from .files import file_sha256
from .fmt import tanggal
from .periods import MAX_OUTSIDE, parse_dates
from .privacy import mask_value, personal_names, protect
from .read import read_canonical, read_table
from .survey import SurveyDefinition, load_survey, name_key, normalize

__all__ = ["Validation", "validate_file", "validate_table", "match_columns", "merge_spellings", "read_responses"]

#: Per column, at most this many cell problems are listed; the rest are summed.
_CELL_PROBLEMS_PER_COLUMN = 25

_SEX = {"l": "L", "laki laki": "L", "laki": "L", "pria": "L", "male": "L", "lk": "L",
        "p": "P", "perempuan": "P", "wanita": "P", "female": "P", "pr": "P"}
_EDU = {
    "sd": "SD", "sd sederajat": "SD", "tidak sekolah": "SD", "sd mi": "SD",
    "smp": "SMP", "sltp": "SMP", "smp sederajat": "SMP", "smp mts": "SMP",
    "sma": "SMA", "slta": "SMA", "smk": "SMA", "sma smk": "SMA", "sma sederajat": "SMA",
    "sma smk ma": "SMA", "slta sederajat": "SMA", "ma": "SMA",
    "d1": "D1-D3", "d2": "D1-D3", "d3": "D1-D3", "d1 d3": "D1-D3", "diploma": "D1-D3",
    "d1 d2 d3": "D1-D3",
    "d4": "D4/S1", "s1": "D4/S1", "d4 s1": "D4/S1", "sarjana": "D4/S1", "s1 d4": "D4/S1",
    "s2": "S2", "magister": "S2", "s3": "S3", "doktor": "S3",
}
_JOB = {"pns": "PNS", "asn": "PNS", "tni": "TNI", "polri": "POLRI", "swasta": "Swasta",
        "pegawai swasta": "Swasta", "karyawan swasta": "Swasta", "wirausaha": "Wirausaha",
        "wiraswasta": "Wirausaha", "pengusaha": "Wirausaha", "lainnya": "Lainnya", "lain lain": "Lainnya"}
_CANON = {"jenis_kelamin": _SEX, "pendidikan": _EDU, "pekerjaan": _JOB}


@dataclass
class Validation:
    """What validation found: the canonical data (when usable) and the problems."""

    source: str
    data: pd.DataFrame | None
    problems: list[Problem] = field(default_factory=list)
    columns: dict = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def summary(self) -> str:
        """One line per problem (errors first), capped, in Indonesian."""
        return format_problems(self.errors + self.warnings)

    def raise_for_errors(self) -> None:
        if self.errors:
            raise ValidationError(self.problems)


def match_columns(headers, survey: SurveyDefinition, source: str | None = None,
                  values=None) -> tuple[dict, list[str], list[Problem]]:
    """Map each header to an unsur key, a profile name, ``None`` (personal data) or itself.

    See :func:`skmkit.columns.match_columns`; a header with two meanings
    ("Waktu": U3 or the date) is decided by its column in ``values`` (a
    DataFrame): answers make it the unsur, dates the date.
    """
    return columns.match_columns(headers, survey, source,
                                 decide=lambda h, key, profile: _decide(h, key, profile, survey, values))


def _decide(header, key, profile, survey, values):
    """The meaning of a header that is both an unsur and a profile alias, from its values."""
    if values is None or header not in getattr(values, "columns", ()):
        return None
    col = values[header]
    col = col[col.notna()]
    if not len(col):
        return None
    scores, _ = _scores(col, key, survey, header, "", np.arange(len(col)))
    if np.isfinite(scores).mean() >= 0.9:
        return key
    if profile == "tanggal" and parse_dates(col).notna().mean() >= 0.9:
        return profile
    return None


def _scores(col: pd.Series, key: str, survey: SurveyDefinition, header: str, source: str, rows=None):
    """Convert one answer column to float scores; return (scores, problems).

    Numbers 1-4 (also written "4.0" or "4,0"), letters and labels (any case
    and spacing, "d. Sangat sesuai", "4 - Sangat sesuai"). An answer whose
    number and label disagree ("3. Sangat sesuai") is an error naming both.
    ``rows``: the spreadsheet row of each value (default header = row 1).
    """
    problems: list[Problem] = []
    rows = np.arange(2, len(col) + 2) if rows is None else np.asarray(rows)
    lo, hi = survey.scale_min, survey.scale_max
    reasons: dict[int, str] = {}
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        values = col.to_numpy(dtype="float64", na_value=np.nan)
        bad = ~np.isnan(values) & ((values < lo) | (values > hi) | (values != np.floor(values)))
        scores = np.where(bad, np.nan, values)
        bad_idx = np.flatnonzero(bad)
        raw_bad = col.to_numpy()[bad_idx] if len(bad_idx) else []
    else:
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        amap = survey.answer_map(key)
        table = np.full(len(uniques) + 1, np.nan)
        unknown = np.zeros(len(uniques) + 1, dtype=bool)
        why = [""] * (len(uniques) + 1)
        for i, u in enumerate(uniques):
            if u is None or (isinstance(u, float) and u != u):
                continue
            if isinstance(u, (int, float, np.integer, np.floating)) and not isinstance(u, bool):
                ok = float(u) == int(u) and lo <= int(u) <= hi
                table[i], unknown[i] = (int(u), False) if ok else (np.nan, True)
                continue
            text = str(u)
            if not text.strip():
                continue
            score, reason = _answer(text, amap, lo, hi)
            if score is None:
                unknown[i], why[i] = True, reason
            else:
                table[i] = score
        scores = table[codes]  # code -1 picks the trailing NaN
        bad = unknown[codes]
        bad_idx = np.flatnonzero(bad)
        raw_bad = col.to_numpy()[bad_idx] if len(bad_idx) else []
        reasons = {int(i): why[codes[i]] for i in bad_idx[:_CELL_PROBLEMS_PER_COLUMN]}
    u = survey.get(key)
    labels = ", ".join(f"{s}/{survey.letters[i]}/{lab}" for i, (s, lab) in
                       enumerate(zip(range(lo, hi + 1), u.labels)))
    for j, (i, v) in enumerate(zip(bad_idx, raw_bad)):
        if j == _CELL_PROBLEMS_PER_COLUMN:
            problems.append(Problem(
                message=f"dan {len(bad_idx) - j} jawaban lain di kolom ini juga tidak dikenali.",
                fix="perbaiki semua sel yang serupa.", file=source, column=header,
                code="unknown-answer"))
            break
        reason = reasons.get(int(i), "")
        if reason not in ("", "range", "unknown"):
            problems.append(Problem(
                message=f"jawaban untuk {key} ({u.name}) bertentangan: {reason}.",
                fix=f"pakai satu cara: angka {lo}-{hi}, huruf, atau label ({labels}).",
                file=source, row=int(rows[i]), column=header, value=v, code="conflicting-answer"))
            continue
        problems.append(Problem(
            message=f"jawaban untuk {key} ({u.name}) tidak dikenali.",
            fix=f"isi dengan angka {lo}-{hi}, huruf, atau label: {labels}; kosongkan bila tidak dijawab.",
            file=source, row=int(rows[i]), column=header, value=mask_value(v), code="unknown-answer"))
    return scores, problems


def _canon_profile(col: pd.Series, mapping: dict) -> pd.Series:
    codes, uniques = pd.factorize(col)
    out = [mapping.get(normalize(u), str(u).strip()) for u in uniques]
    values = np.array(out + [None], dtype=object)
    return pd.Series(values[codes], dtype=object)  # positional (RangeIndex), object as the base table had


def _rows(rownum, limit=8) -> str:
    """Spreadsheet row numbers for a message: '5, 9, 12 dan 3 lagi'."""
    rows = [str(int(i)) for i in rownum[:limit]]
    more = f" dan {len(rownum) - limit} lagi" if len(rownum) > limit else ""
    return ", ".join(rows) + more


#: Canonical columns whose values name a group (merged when typed differently).
_GROUP_COLUMNS = ("unit", "layanan", "periode")


def merge_spellings(col: pd.Series) -> tuple[pd.Series, dict[str, list[tuple[str, int]]]]:
    """One value for names typed differently (spaces, case), shown as the most frequent spelling.

    Values are matched by :func:`skmkit.survey.name_key` (outer spaces removed,
    inner runs collapsed, case ignored). The value shown is the most frequent
    spelling (ties: the first in the file), with its white space folded.

    Returns
    -------
    (pandas.Series, dict)
        The new column (object dtype; blanks as None) and, per merged name, the
        spellings and their row counts.

    Examples
    --------
    >>> s, merged = merge_spellings(pd.Series(["Dinas Sosial", "dinas sosial ", "Dinas Sosial", "DINAS  SOSIAL"]))
    >>> s.unique().tolist(), len(merged["Dinas Sosial"])
    (['Dinas Sosial'], 3)
    """
    if col.dtype == "str":  # read from a CSV: most naming columns need no change at all (no codes needed)
        names = [u for u in col.unique() if isinstance(u, str)]
        keys = {name_key(u) for u in names}
        if len(keys) == len(names) and "" not in keys and all(" ".join(u.split()) == u for u in names):
            return col, {}  # every name distinct and already as shown: the column itself
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    shown = np.empty(len(uniques), dtype=object)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    groups: dict[str, list[int]] = {}
    for i, u in enumerate(uniques):
        groups.setdefault(name_key(u), []).append(i)
    merged = {}
    for key, idx in groups.items():
        if not key:
            continue  # white space only: a blank
        best = max(idx, key=lambda i: (counts[i], -i))
        name = " ".join(str(uniques[best]).split())
        shown[idx] = name
        if len(idx) > 1:
            merged[name] = [(str(uniques[i]), int(counts[i])) for i in idx]
    codes = np.where(codes >= 0, codes, -1)
    codes[codes >= 0] = np.where(pd.isna(shown), -1, np.arange(len(shown)))[codes[codes >= 0]]
    # one Arrow take, not a million Python strings (the canonical text dtype, as read_csv gives it)
    taken = pa.array([x if isinstance(x, str) else "" for x in shown], type=pa.large_string()).take(
        pa.array(codes, mask=codes < 0, type=pa.int64()))
    return pd.Series(pd.array(taken, dtype="str"), index=col.index), merged


def _personal_in_names(typed: pd.Series, col: pd.Series, header, source, rownum):
    """Refuse personal data typed into a naming column; the values are blanked so they never name a group.

    Returns the column, the flags of the refused rows and the problems.
    """
    flags = personal_names(typed)
    if not flags.any():
        return col, flags, []
    rows = np.flatnonzero(flags)
    problem = Problem(
        message=f"{len(rows)} sel berisi data pribadi (nomor telepon, surel, NIK atau akun) di kolom nama ini "
                f"(baris {_rows(rownum[rows])}); nilai itu tidak dijadikan nama unit/kelompok maupun nama berkas.",
        fix="tulis nama unit/layanan di sel itu dan hapus nama, nomor telepon, surel atau NIK responden "
            "dari kolom ini.", file=source, column=header, code="personal-in-name")
    return col.where(~flags, None), flags, [problem]


def validate_table(raw: pd.DataFrame, *, survey=None, source: str = "data", period=None) -> Validation:
    """Recognise columns, convert answers to scores and check the data.

    Parameters
    ----------
    raw : pandas.DataFrame
        The table as read (:func:`skmkit.read_table`: headers as they stand,
        the index holding spreadsheet rows); it is not modified. A table with
        another index is numbered as if its header were row 1.
    survey : SurveyDefinition or path, optional
    source : str
        File name used in problem messages.
    period : tuple of two dates, optional
        Start and end of the survey period for the date check.
    """
    survey = load_survey(survey)
    rownum = (raw.index.to_numpy(dtype="int64") if raw.index.name == "baris"
              else np.arange(2, len(raw) + 2, dtype="int64"))
    problems = list(raw.attrs.get("skmkit_read", {}).get("notes", []))
    mapping, personal, found = match_columns(list(raw.columns), survey, source, values=raw)
    problems += found
    typed = raw  # as read: a naming column is checked for personal data before masking
    raw, mapping, personal, found = protect(raw, mapping, personal, survey=survey, source=source)
    problems += found
    out: dict[str, object] = {"_row": rownum}
    for h, canon in mapping.items():
        if canon is None:
            continue
        col = raw[h]
        if canon in survey.keys:
            scores, probs = _scores(col, canon, survey, h, source, rownum)
            out[canon] = scores
            problems += probs
        elif canon in _CANON:
            out[canon] = _canon_profile(col, _CANON[canon])
        elif canon == "usia":
            out[canon] = pd.to_numeric(col, errors="coerce").to_numpy()
        elif canon == "tanggal":
            dates = parse_dates(col.reset_index(drop=True))
            out[canon] = dates.to_numpy()
            unread = np.flatnonzero(dates.isna().to_numpy() & col.notna().to_numpy())
            if len(unread):
                problems.append(Problem(
                    message=f"{len(unread)} tanggal tidak terbaca (baris {_rows(rownum[unread])}); baris itu tidak "
                            "masuk pengelompokan per periode.", fix="tulis tanggal sebagai YYYY-MM-DD atau "
                            "DD/MM/YYYY.", file=source, column=h, value=col.iloc[unread[0]], severity="warning",
                    code="unreadable-date"))
        elif (canon in _GROUP_COLUMNS or canon == h) and (col.dtype == object or pd.api.types.is_string_dtype(col)):
            refused = np.zeros(len(col), dtype=bool)
            if canon in _GROUP_COLUMNS:
                col, refused, found = _personal_in_names(typed[h], col, h, source, rownum)
                problems += found
            values, merged = merge_spellings(col)
            out[canon] = values.array
            blank = np.flatnonzero(values.isna().to_numpy() & ~refused)
            if canon in _GROUP_COLUMNS and len(blank) and len(blank) < len(values):
                problems.append(Problem(
                    message=f"{len(blank)} baris tanpa nilai di kolom ini (baris {_rows(rownum[blank])}); bila "
                            "dikelompokkan menurut kolom ini, baris itu menjadi kelompok '(kosong)'.",
                    fix="isi nilainya (isi sel yang digabung/merge di Excel tidak ikut tersalin ke CSV).",
                    file=source, column=h, severity="warning", code="blank-group"))
            for name, spellings in merged.items():
                problems.append(Problem(
                    message=f"ejaan {', '.join(repr(sp) + f' ({n} baris)' for sp, n in spellings)} dianggap satu "
                            f"nilai: '{name}'.", fix="seragamkan penulisan bila memang berbeda.",
                    file=source, column=h, severity="warning", code="merged-spellings"))
        else:
            out[canon] = col.array  # no copy or dtype conversion
    data = pd.DataFrame(out, index=pd.RangeIndex(len(raw)), copy=False)
    keys = [k for k in survey.keys if k in data]
    ordered = ["_row"] + [c for c in data.columns if c not in keys and c != "_row"] + keys
    data = data[ordered]
    if keys:
        scores = np.column_stack([out[k] for k in keys])  # the arrays just made, one copy
        problems += _warnings(data, scores, keys, survey, source, mapping, period, rownum)
    canon_to_header = {v: k for k, v in mapping.items() if v is not None}
    data.attrs["skmkit"] = {"source": source, "columns": canon_to_header,
                            "dropped_personal": personal}
    return Validation(source=source, data=data, problems=problems, columns=canon_to_header)


def _warnings(data, scores, keys, survey, source, mapping, period, rownum) -> list[Problem]:
    warn: list[Problem] = []
    header = {v: k for k, v in mapping.items() if v}
    filled = ~np.isnan(scores)
    empty = np.flatnonzero(~filled.any(axis=1))
    if len(empty):
        warn.append(Problem(
            message=f"{len(empty)} baris tanpa jawaban unsur sama sekali (baris {_rows(rownum[empty])}); tidak dihitung.",
            fix="hapus baris kosong atau lengkapi jawabannya.", file=source, severity="warning",
            code="empty-row"))
    blanks = {k: int((~filled[:, j]).sum()) - len(empty) for j, k in enumerate(keys)}
    blanks = {k: n for k, n in blanks.items() if n > 0}
    if blanks:
        warn.append(Problem(
            message=f"{sum(blanks.values())} jawaban kosong ("
                    + ", ".join(f"{k}: {n}" for k, n in blanks.items())
                    + "); NRR tiap unsur dibagi jumlah jawaban terisi (kosong bukan nol).",
            fix="biarkan bila responden memang tidak menjawab.", file=source,
            severity="warning", code="blank"))
    # every unsur equal to the first, so every one answered (a NaN makes the comparison False)
    same = np.flatnonzero((scores == scores[:, :1]).all(axis=1))
    if len(same):
        warn.append(Problem(
            message=f"{len(same)} responden memberi nilai sama untuk semua unsur (baris {_rows(rownum[same])}).",
            fix="periksa apakah kuesioner diisi dengan sungguh-sungguh.", file=source,
            severity="warning", code="straight-line"))
    # A double submission repeats the whole row, timestamp included: look only
    # among rows whose timestamp repeats (cheap on a million rows).
    candidates = np.zeros(0, bool)
    if "tanggal" in data:
        # first the rows whose timestamp repeats (few when answers carry the time), then among them
        # the rows whose timestamp and answers repeat
        stamp = data["tanggal"].to_numpy()
        stamp = stamp.view(np.int64) if stamp.dtype.kind == "M" else pd.factorize(stamp)[0].astype(np.int64)
        repeats = np.flatnonzero(pd.Series(stamp).duplicated(keep=False).to_numpy())
        stamp = pd.factorize(stamp[repeats])[0].astype(np.int64)  # small codes: room for the answers
        # answers packed in base 8 (exact in float64: < 2**53 for up to 17 unsur)
        sub = scores[repeats]
        answers = (np.where(~np.isnan(sub), sub, 0.0) @ (8.0 ** np.arange(len(keys)))).astype(np.int64)
        candidates = np.zeros(len(data), bool)
        candidates[repeats] = pd.Series(stamp * (8 ** len(keys)) + answers).duplicated(keep=False).to_numpy()
    if candidates.any():
        subset = [c for c in data.columns if c != "_row"]
        dup_idx = np.flatnonzero(candidates)[data[candidates].duplicated(subset=subset, keep="first").to_numpy()]
    else:
        dup_idx = np.zeros(0, dtype=int)
    if len(dup_idx):
        warn.append(Problem(
            message=f"{len(dup_idx)} baris kembar dengan baris sebelumnya (baris {_rows(rownum[dup_idx])}); mungkin terkirim dua kali.",
            fix="hapus kiriman ganda bila memang sama.", file=source, severity="warning", code="duplicate"))
    if period is not None and "tanggal" in data:  # skm-method.md, "Periode survei"
        dates = data["tanggal"]
        start, end = (pd.Timestamp(period[0]), pd.Timestamp(period[1]) + pd.Timedelta(days=1))
        dated = dates.notna().to_numpy()
        outside = np.flatnonzero(dated & ((dates < start) | (dates >= end)).to_numpy())
        shown = f"{tanggal(period[0])} s.d. {tanggal(period[1])}"
        if len(outside) > MAX_OUTSIDE * dated.sum():
            warn.append(Problem(
                message=f"{len(outside)} dari {int(dated.sum())} jawaban bertanggal di luar periode survei {shown}; "
                        f"jawaban dalam berkas bertanggal {tanggal(dates[dated].min())} s.d. "
                        f"{tanggal(dates[dated].max())}.",
                fix="periksa period_start/period_end atau berkasnya (berkas periode lain?).", file=source,
                column=header.get("tanggal"), severity="error", code="period-mismatch"))
        elif len(outside):
            warn.append(Problem(
                message=f"{len(outside)} jawaban bertanggal di luar periode survei {shown}, tidak dihitung "
                        f"(baris {_rows(rownum[outside])}).",
                fix="periksa tanggal atau periode survei.", file=source, column=header.get("tanggal"),
                severity="warning", code="out-of-period"))
        undated = int((~dated).sum())
        if undated:
            warn.append(Problem(message=f"{undated} jawaban tanpa tanggal, dihitung.", file=source,
                                column=header.get("tanggal"), severity="warning", code="undated"))
    return warn


def validate_file(path, *, survey=None, sheet=None, header_row=None, period=None, period_start=None,
                  period_end=None) -> Validation:
    """Read a survey file and validate it; never raises for bad data.

    Returns a :class:`Validation` whose ``problems`` hold every error and
    warning (an unreadable file gives one error and ``data=None``): first
    one line per thing reading did (header row found, hidden sheet skipped,
    totals rows left out, merged cells filled), then the column and answer
    checks.

    Parameters
    ----------
    path : str or Path
        The survey file (see :func:`skmkit.read_table`).
    survey : SurveyDefinition or path, optional
    sheet : str or int, optional
        Sheet name (or 0-based index); default the visible sheet holding answers (several: refused).
    header_row : int, optional
        Row of the column headers as the spreadsheet shows it; default found.
    period : tuple of two dates, optional
        Survey period for the date check (or ``period_start`` and ``period_end``,
        given together): answers outside it are counted as left out; more than
        a fifth of the dated answers outside it is an error.

    Examples
    --------
    >>> from skmkit import sample_data_path
    >>> v = validate_file(sample_data_path())
    >>> v.ok
    True
    """
    name = Path(path).name
    if period_start or period_end:
        if not (period_start and period_end):
            given = "period_start" if period_start else "period_end"
            return Validation(source=name, data=None, problems=[Problem(
                message=f"{given} diisi tanpa pasangannya.", fix="isi period_start dan period_end bersama, "
                "atau kosongkan keduanya.", file=name, code="period-half")])
        period = (period_start, period_end)
    # The file's SHA-256 on the second core while it is read (hashlib lets go of the GIL).
    with ThreadPoolExecutor(max_workers=1) as pool:
        sha = pool.submit(file_sha256, path) if Path(path).is_file() else None
        try:
            raw = read_table(path, sheet=sheet, header_row=header_row, survey=survey)
        except ValidationError as exc:
            return Validation(source=name, data=None, problems=list(exc.problems))
        result = validate_table(raw, survey=survey, source=name, period=period)
        result.data.attrs["skmkit"]["sha256"] = sha.result() if sha else file_sha256(path)
    return result


def read_responses(path, *, survey=None, sheet=None, header_row=None, period=None, strict=True) -> pd.DataFrame:
    """Read, recognise and validate a survey file; return the canonical table.

    Parameters
    ----------
    path : str or Path
        The survey file (see :func:`read_table`).
    survey : SurveyDefinition or path, optional
        Default PermenPANRB 14/2017.
    sheet : str or int, optional
        Excel/ODS sheet (default: the first visible one).
    header_row : int, optional
        Row of the column headers as the spreadsheet shows it (default: found).
    period : tuple of two dates, optional
        Survey period; answers dated outside it give a warning.
    strict : bool
        Raise :class:`ValidationError` on errors (default). With ``False``,
        rows with errors are kept with blanks where answers were invalid.

    Returns
    -------
    pandas.DataFrame
        One row per respondent: ``_row`` (spreadsheet row), profile columns
        (``unit``, ``layanan``, ``tanggal``, ``jenis_kelamin``, ``usia``,
        ``pendidikan``, ``pekerjaan``, ``saran``, ...), the unsur keys as scores
        (float, NaN = blank), and any other columns under their own header.
        Personal data columns are dropped. ``df.attrs["skmkit"]`` holds the
        source name, its SHA-256, the header mapping and the warnings.

    Examples
    --------
    >>> from skmkit import sample_data_path
    >>> df = read_responses(sample_data_path())
    >>> df[["U1", "U9"]].max().tolist()
    [4.0, 4.0]
    """
    if str(path).endswith(".parquet"):  # a batch's canonical per-unit cache, validated by the driver
        return read_canonical(path)
    result = validate_file(path, survey=survey, sheet=sheet, header_row=header_row, period=period)
    if strict and not result.ok:
        raise ValidationError(result.problems)
    return result.data
