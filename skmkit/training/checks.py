"""Checking an answer: :func:`check` (the verdict), :func:`cek` (printed), :func:`lanjut`, :func:`rekap`.

An answer is compared with skmkit's own result computed at check time; a
blank (``...``, ``None``) or wrongly shaped answer is "belum benar" with a
hint, never an exception; a known mistake gets its own hint.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Number

import numpy as np
import pandas as pd

from ..hints import Unquoted
from ..survey import load_survey, normalize
from .data import _PERSONAL
from .exercises import EXERCISES, Exercise

__all__ = ["CheckResult", "check", "cek", "lanjut", "rekap"]


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one answer: ``ok`` and an Indonesian message."""

    name: str
    ok: bool
    message: str

    def __str__(self) -> str:
        return self.message


class _NotAnAnswer(ValueError):
    """The answer has the wrong shape; the message says which shape is wanted."""


def _is_blank(answer) -> bool:
    return answer is None or answer is Ellipsis or (isinstance(answer, str) and not answer.strip())


def _as_number(answer) -> float:
    if isinstance(answer, (bool, np.bool_)):
        raise _NotAnAnswer("jawaban harus berupa angka, bukan True/False.")
    if isinstance(answer, str):
        text = answer.strip().replace(" ", "")
        if "," in text:  # "87,52" or "1.250,5"
            text = text.replace(".", "").replace(",", ".")
        try:
            return float(text)
        except ValueError:
            raise _NotAnAnswer(f"jawaban harus berupa angka, bukan teks '{answer}'.") from None
    if isinstance(answer, (pd.Series, np.ndarray)) and answer.size == 1:  # df[["U3"]].sum() / ...
        return _as_number(answer.reshape(-1)[0] if isinstance(answer, np.ndarray) else answer.iloc[0])
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray, list, tuple, dict)):
        raise _NotAnAnswer("jawaban harus satu angka, bukan tabel atau daftar.")
    if isinstance(answer, Number):
        return float(answer)
    raise _NotAnAnswer(f"jawaban harus berupa angka, bukan {type(answer).__name__}.")


def _as_keys(answer) -> list[str]:
    if isinstance(answer, str):
        raise _NotAnAnswer("jawaban harus berupa daftar kunci, mis. ['U1', 'U2', 'U3'].")
    if isinstance(answer, pd.DataFrame):
        if "unsur" not in answer:
            raise _NotAnAnswer("tabel jawaban tidak punya kolom 'unsur'; berikan daftar kunci.")
        answer = answer["unsur"]
    try:
        return [str(x).strip().upper() for x in list(answer)]
    except TypeError:
        raise _NotAnAnswer("jawaban harus berupa daftar kunci, mis. ['U1', 'U2', 'U3'].") from None


def _mistakes(ex: Exercise):
    """``(candidates, hint, tolerance)`` for each known mistake of an exercise."""
    for entry in ex.mistakes:
        fn, hint, tolerance = (*entry, ex.tolerance) if len(entry) == 2 else entry
        value = fn()
        yield (value if isinstance(value, tuple) else (value,)), hint, tolerance


def _hint(hint, answer) -> str:
    return hint(answer) if callable(hint) else hint


def _name_for_key(answer) -> str | None:
    """The hint for an unsur's name given where its key (U1..U9) is asked, else ``None``."""
    for value in ([answer] if isinstance(answer, str) else list(answer) if isinstance(answer, (list, tuple)) else []):
        if not isinstance(value, str):
            continue
        unsur = next((u for u in load_survey().unsur if normalize(value) == normalize(u.name)), None)
        if unsur is not None:
            return (f"'{value.strip()}' adalah nama unsur; yang diminta kuncinya (kolom 'unsur': U1 sampai U9), "
                    f"dalam tanda kutip. Kunci {unsur.name} adalah \"{unsur.key}\".")
    return None


def _compare(ex: Exercise, answer) -> tuple[bool, str | None]:
    """Return (ok, targeted hint or None)."""
    expected = ex.expected()
    if ex.kind == "table":
        return _compare_table(answer, expected)
    if ex.key_answer and (hint := _name_for_key(answer)):
        return False, hint
    if ex.kind == "number":
        value = _as_number(answer)
        if math.isfinite(value) and abs(value - float(expected)) <= ex.tolerance:
            return True, None
        for candidates, hint, tolerance in _mistakes(ex):
            if math.isfinite(value) and any(abs(value - float(c)) <= tolerance for c in candidates):
                return False, _hint(hint, answer)
        return False, None
    if ex.kind == "integer":
        value = _as_number(answer)
        if not math.isfinite(value) or value != int(value):
            raise _NotAnAnswer("jawaban harus bilangan bulat.")
        if int(value) == int(expected):
            return True, None
        return False, next((_hint(hint, answer) for candidates, hint, _ in _mistakes(ex)
                            if int(value) in {int(c) for c in candidates}), None)
    if ex.kind == "bool":
        if not isinstance(answer, (bool, np.bool_)):
            raise _NotAnAnswer("jawaban harus True atau False (tanpa tanda kutip).")
        return bool(answer) == bool(expected), None
    if ex.kind == "text":
        if not isinstance(answer, str):
            raise _NotAnAnswer("jawaban harus berupa teks dalam tanda kutip, mis. \"teks\".")
        if normalize(answer) == normalize(expected):
            return True, None
        return False, next((_hint(hint, answer) for candidates, hint, _ in _mistakes(ex)
                            if normalize(answer) in {normalize(c) for c in candidates}), None)
    if ex.kind == "keys":
        keys = _as_keys(answer)
        if keys == [str(k).upper() for k in expected]:
            return True, None
        if sorted(keys) == sorted(str(k).upper() for k in expected):
            return False, "unsurnya sudah tepat, tetapi urutannya belum: mulai dari NRR terendah."
        return False, None
    raise ValueError(f"jenis latihan tidak dikenal: {ex.kind}")


def _compare_table(answer, clean: pd.DataFrame) -> tuple[bool, str | None]:
    from ..validate import validate_table

    if not isinstance(answer, pd.DataFrame):
        raise _NotAnAnswer("jawaban harus berupa tabel pandas (DataFrame).")
    personal = [c for c in answer.columns if normalize(c) in {normalize(p) for p in _PERSONAL}]
    if personal:
        return False, f"kolom data pribadi masih ada: {', '.join(personal)}. Hapus dengan .drop(columns=[...])."
    v = validate_table(answer, source="jawaban")
    if v.errors:
        return False, f"masih ada {len(v.errors)} galat, mis.: {v.errors[0].line()}"
    if v.data.drop(columns="_row").duplicated().any():
        return False, "masih ada kiriman ganda; buang dengan .drop_duplicates()."
    keys = load_survey().keys
    if v.data[keys].isna().all(axis=1).any():
        return False, "masih ada baris tanpa jawaban unsur sama sekali; buang baris itu."
    if len(v.data) != len(clean):
        return False, f"jumlah baris {len(v.data)}, seharusnya {len(clean)}: periksa baris yang dibuang."
    got, want = v.data[keys].to_numpy(), clean[keys].to_numpy()
    same = (got == want) | (np.isnan(got) & np.isnan(want))
    if not same.all():
        r, c = np.argwhere(~same)[0]
        return False, (f"nilai {keys[c]} pada baris ke-{r + 1} berbeda dari data bersih. Jangan menebak jawaban "
                       f"yang tidak diketahui: kosongkan saja.")
    return True, None


def check(name: str, answer) -> CheckResult:
    """Check an answer against skmkit's own result, computed now.

    Parameters
    ----------
    name : str
        The exercise (a key of :data:`EXERCISES`).
    answer
        The participant's answer; ``...`` or ``None`` means "not filled in yet".

    Returns
    -------
    CheckResult
        ``ok`` and a message starting with "benar" or "belum benar".

    Examples
    --------
    >>> check("kunci_pertanyaan_9", ...).ok
    False
    >>> check("kunci_pertanyaan_9", "u8").message
    'benar (Kunci unsur untuk pertanyaan nomor 9 (penanganan pengaduan)).'
    """
    try:
        ex = EXERCISES[name]
    except KeyError:
        raise KeyError(f"latihan '{name}' tidak ada; pilihan: {', '.join(EXERCISES)}") from None
    if isinstance(answer, Unquoted):
        return CheckResult(name, False, f"belum benar: {answer.hint}")
    if _is_blank(answer):
        return CheckResult(name, False, "belum benar: jawaban belum diisi. Ganti `...` dengan jawaban Anda, "
                                        "jalankan selnya, lalu jalankan sel cek ini lagi.")
    try:
        ok, hint = _compare(ex, answer)
    except _NotAnAnswer as exc:
        return CheckResult(name, False, f"belum benar: {exc}")
    if ok:
        return CheckResult(name, True, f"benar ({ex.question.rstrip('?')}).")
    return CheckResult(name, False, f"belum benar. Petunjuk: {hint or ex.hint}")


_PROGRESS: dict[str, bool] = {}


def cek(nama: str, jawaban) -> None:
    """Print whether an exercise answer is right ("benar") or not yet ("belum benar").

    The notebook form of :func:`check`; it never raises for a wrong or blank
    answer.
    """
    result = check(nama, jawaban)
    _PROGRESS[nama] = result.ok
    mark = "\N{HEAVY CHECK MARK}" if result.ok else "\N{HEAVY MULTIPLICATION X}"
    print(f"{mark} Latihan '{nama}': {result.message}")


def lanjut(nama: str, jawaban):
    """The participant's answer when it is right, else the kit's own, so the next cells can go on.

    A notebook cell that builds on an exercise (notebook 2 saves the cleaned
    table) calls this instead of repeating the exercise's solution, which
    would show the answer before the participant has found it.

    Examples
    --------
    >>> lanjut("skor_cukup_mahal", 2)
    2
    """
    result = check(nama, jawaban)
    _PROGRESS[nama] = result.ok
    if result.ok:
        return jawaban
    ex = EXERCISES[nama]
    print(f"Latihan '{nama}' belum benar, jadi sel berikut memakai hasil skmkit. Kembali ke latihan itu nanti.")
    return (ex.fallback or ex.expected)()


def rekap() -> None:
    """Print how many exercises checked in this session are right."""
    if not _PROGRESS:
        print("Belum ada latihan yang dicek.")
        return
    right = [n for n, ok in _PROGRESS.items() if ok]
    print(f"{len(right)} dari {len(_PROGRESS)} latihan benar.")
    for name, ok in _PROGRESS.items():
        print(f"  {'benar' if ok else 'belum benar'}: {name}")
