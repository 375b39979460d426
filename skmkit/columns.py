"""Recognising columns: each header to an unsur, a profile column, personal data or itself (no pandas).

Headers are matched through the survey definition, never by position; an
answer text is matched to a score here too (:func:`_answer`). Used by
:mod:`skmkit.validate` and by the pandas-free ``skmkit ikm`` on a large CSV
(:mod:`skmkit.ikm_csv`).
"""
from __future__ import annotations

import re

from .errors import Problem
from .survey import SurveyDefinition, normalize

__all__ = ["match_columns", "KOBO_SYSTEM", "XLSFORM_METADATA"]

#: Columns KoboToolbox adds to every export (its formpack exporter's fixed fields, in CSV and XLS, labels or
#: XML names) and to API/JSON downloads (``meta/...``, ``formhub/uuid``, ...): bookkeeping of the server, not
#: answers. Dropped without a message: ``_id`` (digits) and ``_uuid`` would otherwise read as an ID or phone
#: number, and ``_submitted_by`` (the Kobo account) and ``_notes`` never belong in a report.
KOBO_SYSTEM = frozenset({
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
    "__version__", "_version_", "_tags", "_index", "meta/instanceID", "meta/rootUuid", "meta/deprecatedID",
    "formhub/uuid", "_xform_id_string", "_attachments", "_geolocation",
})
#: The XLSForm metadata the kit's form records (``skmkit kuesioner``): when the form was opened and sent.
#: Dropped too; metadata that names a person or a device (``username``, ``phonenumber``, ``deviceid``) is
#: not listed here and goes through the personal-data checks like any other column.
XLSFORM_METADATA = ("start", "end")
_SYSTEM = KOBO_SYSTEM | set(XLSFORM_METADATA)


def match_columns(headers, survey: SurveyDefinition, source: str | None = None,
                  decide=None) -> tuple[dict, list[str], list[Problem]]:
    """Map each header to an unsur key, a profile name, ``None`` (dropped) or itself.

    ``None`` marks personal data (also listed in ``personal_headers``) and the
    columns a form server adds (:data:`KOBO_SYSTEM`, :data:`XLSFORM_METADATA`).
    Headers are recognised through the survey definition
    (:meth:`~skmkit.survey.SurveyDefinition.header_candidates`): keys, names,
    question texts, short headers, and headers numbered by question (P8 =
    question 8 = U9 by default). A header with two meanings ("Waktu": U3 or the
    date) takes the meaning left over, else ``decide(header, key, profile)`` (the
    caller looks at the column's values) returns the key, the profile name or
    ``None``; without a decision it is an error listing both meanings.

    Returns ``(mapping, personal_headers, problems)``; problems include one
    warning saying how headers numbered by question were mapped.
    """
    mapping, personal, problems = {}, [], []
    taken: dict[str, str] = {}
    numbered: list[tuple[str, str]] = []
    cands = {h: survey.header_candidates(h) for h in headers}
    # unambiguous headers first, so that an ambiguous one can take the meaning left over
    order = sorted(headers, key=lambda h: len({k for k, _ in cands[h]}) > 1)
    for h in order:
        if str(h).strip() in _SYSTEM:  # the form server's columns: not data, not a problem
            mapping[h] = None
            continue
        options = cands[h]
        unsur = [(k, n) for k, n in options if k in ("unsur", "question")]
        prof = [n for k, n in options if k == "profile"]
        if unsur and prof:
            key, profile = unsur[0][1], prof[0]
            if key in taken:  # the unsur already has its column: the profile is left
                choice = profile
            elif profile in mapping.values():
                choice = key
            else:
                choice = decide(h, key, profile) if decide else None
            if choice is None:
                problems.append(Problem(
                    message=f"judul kolom ini bisa berarti {unsur[0][1]} ({survey.get(unsur[0][1]).name}) "
                            f"atau kolom {prof[0]}; isinya tidak memastikan yang mana.",
                    fix=f"ganti judulnya menjadi '{unsur[0][1]}' atau '{prof[0].replace('_', ' ').title()}'.",
                    file=source, column=h, code="ambiguous-header"))
                mapping[h] = h
                continue
            options = [("unsur", choice)] if choice == unsur[0][1] else [("profile", choice)]
            unsur = unsur if choice == unsur[0][1] else []
        if unsur:
            kind, key = unsur[0]
            if key in taken:
                problems.append(Problem(
                    message=f"kolom ini dan kolom '{taken[key]}' sama-sama dikenali sebagai {key} "
                            f"({survey.get(key).name}).",
                    fix="hapus atau ganti nama salah satu kolom.", file=source, column=h, code="duplicate-unsur"))
            else:
                taken[key] = h
                mapping[h] = key
                if kind == "question":
                    numbered.append((h, key))
            continue
        kind, name = options[0] if options else (None, None)
        if kind == "profile" and name not in mapping.values():
            mapping[h] = name
            continue
        n = normalize(h)
        if n in survey.personal or any(n.startswith(p + " ") for p in survey.personal if p in {"nama", "nomor hp", "no hp", "email", "alamat", "nik"}):
            personal.append(h)
            mapping[h] = None
            continue
        mapping[h] = h
    mapping = {h: mapping[h] for h in headers if h in mapping}  # the file's column order
    if numbered:
        problems.append(Problem(
            message="judul kolom bernomor pertanyaan dipetakan menurut urutan kuesioner: "
                    + ", ".join(f"{h} = {k}" for h, k in numbered)
                    + (" (pertanyaan 8 = sarana, 9 = pengaduan)" if survey.questions else "") + ".",
            fix="bila nomor di berkas mengikuti nomor unsur, ganti judulnya menjadi U1..U9.",
            file=source, severity="warning", code="question-numbers"))
    missing = [k for k in survey.keys if k not in taken]
    for i, k in enumerate(missing):
        u = survey.get(k)
        listed = ("; kolom yang ada: " + ", ".join(repr(str(h)[:40]) for h in headers[:30])) if i == 0 else ""
        problems.append(Problem(
            message=f"tidak ada kolom untuk {k} ({u.name}).",
            fix=f"beri judul kolom '{k}', '{u.name}', atau teks pertanyaannya (atau sebut baris judul dengan "
                f"--header-row){listed}.", file=source, code="missing-unsur"))
    return mapping, personal, problems


#: An answer written as a number: "4", "4.0", "4,0", " 4 ".
_NUMBER = re.compile(r"^\s*([+-]?\d+)(?:[.,]0*)?\s*$")
#: An answer written as option number and label: "3. Sangat sesuai", "4 - Sangat sesuai", "(4) Baik".
_NUMBERED_LABEL = re.compile(r"^\s*\(?(\d+)\s*[.):\-]?\s*\)?\s*([^\d\s].*)$")


def _answer(text: str, amap: dict, lo: int, hi: int):
    """Score of one answer text; ``(score, None)`` or ``(None, reason)``."""
    m = _NUMBER.match(text)
    if m:
        v = int(m.group(1))
        return (v, None) if lo <= v <= hi else (None, "range")
    m = _NUMBERED_LABEL.match(text)
    if m:
        number, label = int(m.group(1)), amap.get(normalize(m.group(2)))
        if label is not None:
            if number == label:
                return label, None
            return None, f"angka {number} tetapi label '{m.group(2).strip()}' bernilai {label}"
    s = amap.get(normalize(text))
    return (s, None) if s is not None else (None, "unknown")
