"""Recognising columns and validating answers.

Columns are matched to an unsur by key, name or question text (never by
position); answers are numbers, letters or labels. Every problem names the
file, the spreadsheet row (header = row 1), the column and the value.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import Problem, ValidationError, format_problems
from .files import file_sha256
from .privacy import mask_value, protect
from .read import read_canonical, read_table
from .survey import SurveyDefinition, load_survey, normalize

__all__ = ["Validation", "validate_file", "validate_table", "match_columns", "read_responses"]

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


def _key_forms(u) -> set[str]:
    n = u.number
    forms = {normalize(u.key), normalize(u.name)}
    if n:
        forms |= {f"u{n}", f"u {n}", f"unsur {n}", f"unsur{n}", f"p{n}", f"q{n}"}
    if u.question:
        forms.add(normalize(u.question))
    return forms


def match_columns(headers, survey: SurveyDefinition, source: str | None = None) -> tuple[dict, list[str], list[Problem]]:
    """Map each header to an unsur key, a profile name, ``None`` (personal data) or itself.

    Returns ``(mapping, personal_headers, problems)``.
    """
    forms = {u.key: _key_forms(u) for u in survey.unsur}
    questions = {u.key: normalize(u.question) for u in survey.unsur if u.question}
    names = {u.key: normalize(u.name) for u in survey.unsur}
    mapping, personal, problems = {}, [], []
    taken: dict[str, str] = {}
    for h in headers:
        n = normalize(h)
        inner = normalize(h[h.find("[") + 1:h.rfind("]")]) if "[" in h and "]" in h else None
        key = None
        for k, fs in forms.items():
            if n in fs or (inner and inner in fs):
                key = k
                break
        if key is None:  # "U1 Persyaratan", "1. Persyaratan: ...", "... (U1)"
            for k, fs in forms.items():
                short = [f for f in fs if f.startswith(("u", "unsur")) and len(f) <= 8]
                if any(n.startswith(f + " ") or n.endswith(" " + f) for f in short):
                    key = k
                    break
        if key is None:
            for k in forms:
                if (questions.get(k) and questions[k] in n) or n.startswith(names[k] + " "):
                    key = k
                    break
        if key is not None:
            if key in taken:
                problems.append(Problem(
                    message=f"kolom ini dan kolom '{taken[key]}' sama-sama dikenali sebagai {key} "
                            f"({survey.get(key).name}).",
                    fix="hapus atau ganti nama salah satu kolom.", file=source, column=h, code="duplicate-unsur"))
            else:
                taken[key] = h
                mapping[h] = key
            continue
        prof = next((p for p, aliases in survey.profile.items() if n in aliases), None)
        if prof is not None and prof not in mapping.values():
            mapping[h] = prof
            continue
        if n in survey.personal or any(n.startswith(p + " ") for p in survey.personal if p in {"nama", "nomor hp", "no hp", "email", "alamat", "nik"}):
            personal.append(h)
            mapping[h] = None
            continue
        mapping[h] = h
    missing = [k for k in survey.keys if k not in taken]
    for k in missing:
        u = survey.get(k)
        problems.append(Problem(
            message=f"tidak ada kolom untuk {k} ({u.name}).",
            fix=f"beri judul kolom '{k}', '{u.name}', atau teks pertanyaannya; kolom yang ada: "
                + ", ".join(repr(str(h)[:40]) for h in headers),
            file=source, code="missing-unsur"))
    return mapping, personal, problems


def _scores(col: pd.Series, key: str, survey: SurveyDefinition, header: str, source: str):
    """Convert one answer column to float scores; return (scores, problems)."""
    problems: list[Problem] = []
    lo, hi = survey.scale_min, survey.scale_max
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
        for i, u in enumerate(uniques):
            text = "" if u is None else str(u)
            if not text.strip():
                continue
            s = amap.get(normalize(text))
            if s is None:
                unknown[i] = True
            else:
                table[i] = s
        scores = table[codes]  # code -1 picks the trailing NaN
        bad = unknown[codes]
        bad_idx = np.flatnonzero(bad)
        raw_bad = col.to_numpy()[bad_idx] if len(bad_idx) else []
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
        problems.append(Problem(
            message=f"jawaban untuk {key} ({u.name}) tidak dikenali.",
            fix=f"isi dengan angka {lo}-{hi}, huruf, atau label: {labels}; kosongkan bila tidak dijawab.",
            file=source, row=int(i) + 2, column=header, value=mask_value(v), code="unknown-answer"))
    return scores, problems


def _canon_profile(col: pd.Series, mapping: dict) -> pd.Series:
    codes, uniques = pd.factorize(col)
    out = [mapping.get(normalize(u), str(u).strip()) for u in uniques]
    values = np.array(out + [None], dtype=object)
    return pd.Series(values[codes], index=col.index, dtype=object)


def _rows(idx, limit=8) -> str:
    rows = [str(int(i) + 2) for i in idx[:limit]]
    more = f" dan {len(idx) - limit} lagi" if len(idx) > limit else ""
    return ", ".join(rows) + more


def validate_table(raw: pd.DataFrame, *, survey=None, source: str = "data", period=None) -> Validation:
    """Recognise columns, convert answers to scores and check the data.

    Parameters
    ----------
    raw : pandas.DataFrame
        The table as read (headers as they stand); it is not modified.
    survey : SurveyDefinition or path, optional
    source : str
        File name used in problem messages.
    period : tuple of two dates, optional
        Start and end of the survey period for the date check.
    """
    survey = load_survey(survey)
    mapping, personal, problems = match_columns(list(raw.columns), survey, source)
    raw, mapping, personal, found = protect(raw, mapping, personal, survey=survey, source=source)
    problems += found
    out: dict[str, object] = {"_row": np.arange(2, len(raw) + 2)}
    for h, canon in mapping.items():
        if canon is None:
            continue
        col = raw[h]
        if canon in survey.keys:
            scores, probs = _scores(col, canon, survey, h, source)
            out[canon] = scores
            problems += probs
        elif canon in _CANON:
            out[canon] = _canon_profile(col, _CANON[canon])
        elif canon == "usia":
            out[canon] = pd.to_numeric(col, errors="coerce")
        else:
            out[canon] = col.array  # no copy or dtype conversion
    data = pd.DataFrame(out, index=pd.RangeIndex(len(raw)), copy=False)
    keys = [k for k in survey.keys if k in data]
    ordered = ["_row"] + [c for c in data.columns if c not in keys and c != "_row"] + keys
    data = data[ordered]
    if keys:
        scores = np.column_stack([out[k] for k in keys])  # the arrays just made, one copy
        problems += _warnings(data, scores, keys, survey, source, mapping, period)
    canon_to_header = {v: k for k, v in mapping.items() if v is not None}
    data.attrs["skmkit"] = {"source": source, "columns": canon_to_header,
                            "dropped_personal": personal}
    return Validation(source=source, data=data, problems=problems, columns=canon_to_header)


def _warnings(data, scores, keys, survey, source, mapping, period) -> list[Problem]:
    warn: list[Problem] = []
    header = {v: k for k, v in mapping.items() if v}
    filled = ~np.isnan(scores)
    empty = np.flatnonzero(filled.sum(axis=1) == 0)
    if len(empty):
        warn.append(Problem(
            message=f"{len(empty)} baris tanpa jawaban unsur sama sekali (baris {_rows(empty)}); tidak dihitung.",
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
    # max == min only where every unsur is answered (a NaN makes the comparison False)
    same = np.flatnonzero(scores.max(axis=1) == scores.min(axis=1))
    if len(same):
        warn.append(Problem(
            message=f"{len(same)} responden memberi nilai sama untuk semua unsur (baris {_rows(same)}).",
            fix="periksa apakah kuesioner diisi dengan sungguh-sungguh.", file=source,
            severity="warning", code="straight-line"))
    # A double submission repeats the whole row, timestamp included: look only
    # among rows whose timestamp repeats (cheap on a million rows).
    candidates = np.zeros(0, bool)
    if "tanggal" in data:
        stamp = pd.factorize(data["tanggal"])[0].astype(np.int64)
        # answers packed in base 8 (exact in float64: < 2**53 for up to 17 unsur)
        answers = (np.where(filled, scores, 0.0) @ (8.0 ** np.arange(len(keys)))).astype(np.int64)
        candidates = pd.Series(stamp * (8 ** len(keys)) + answers).duplicated(keep=False).to_numpy()
    if candidates.any():
        subset = [c for c in data.columns if c != "_row"]
        dup_idx = np.flatnonzero(candidates)[data[candidates].duplicated(subset=subset, keep="first").to_numpy()]
    else:
        dup_idx = np.zeros(0, dtype=int)
    if len(dup_idx):
        warn.append(Problem(
            message=f"{len(dup_idx)} baris kembar dengan baris sebelumnya (baris {_rows(dup_idx)}); mungkin terkirim dua kali.",
            fix="hapus kiriman ganda bila memang sama.", file=source, severity="warning", code="duplicate"))
    if period is not None and "tanggal" in data:
        from .periods import parse_dates

        dates = parse_dates(data["tanggal"])
        start, end = (pd.Timestamp(period[0]), pd.Timestamp(period[1]) + pd.Timedelta(days=1))
        outside = np.flatnonzero(((dates < start) | (dates >= end)).to_numpy())
        if len(outside):
            warn.append(Problem(
                message=f"{len(outside)} jawaban bertanggal di luar periode survei "
                        f"{pd.Timestamp(period[0]).date()} s.d. {pd.Timestamp(period[1]).date()} (baris {_rows(outside)}).",
                fix="periksa tanggal atau periode survei.", file=source, column=header.get("tanggal"),
                severity="warning", code="out-of-period"))
    return warn


def validate_file(path, *, survey=None, sheet=None, period=None) -> Validation:
    """Read a survey file and validate it; never raises for bad data.

    Returns a :class:`Validation` whose ``problems`` hold every error and
    warning (an unreadable file gives one error and ``data=None``).

    Examples
    --------
    >>> from skmkit import sample_data_path
    >>> v = validate_file(sample_data_path())
    >>> v.ok
    True
    """
    name = Path(path).name
    try:
        raw = read_table(path, sheet=sheet)
    except ValidationError as exc:
        return Validation(source=name, data=None, problems=list(exc.problems))
    result = validate_table(raw, survey=survey, source=name, period=period)
    result.data.attrs["skmkit"]["sha256"] = file_sha256(path)
    return result


def read_responses(path, *, survey=None, sheet=None, period=None, strict=True) -> pd.DataFrame:
    """Read, recognise and validate a survey file; return the canonical table.

    Parameters
    ----------
    path : str or Path
        The survey file (see :func:`read_table`).
    survey : SurveyDefinition or path, optional
        Default PermenPANRB 14/2017.
    sheet : str or int, optional
        Excel sheet.
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
    result = validate_file(path, survey=survey, sheet=sheet, period=period)
    if strict and not result.ok:
        raise ValidationError(result.problems)
    return result.data
