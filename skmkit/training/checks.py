"""Checking an answer: :func:`check` (the verdict), :func:`cek` (printed), :func:`lanjut`, :func:`hasil_latihan`.

An answer is compared with skmkit's own result computed at check time; a
blank (``...``, ``None``) or wrongly shaped answer is "belum benar" with a
hint, never an exception; a known mistake gets its own hint.

What counts as the same answer (see :class:`~skmkit.training.exercises.Exercise`):
a number is the exact value, or rounded half-up to the decimals an exercise
asks for; a number in quotes is text; a text is its exact spelling, since
code uses it as written. Before a number is matched with a known mistake it
is tested against the right value rounded or cut at the answer's own
decimals ("86.31" is 86,3163 cut, "7" is 6,52 rounded), so an almost-right
answer is told so rather than sent after a mistake it only resembles.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Number

import numpy as np
import pandas as pd

from ..fmt import number
from ..hints import _TRUTH, Unquoted
from ..survey import load_survey, normalize, round_half_up
from .data import _PERSONAL
from .exercises import EXERCISES, Exercise

__all__ = ["CheckResult", "check", "cek", "lanjut", "hasil_latihan"]


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


def _number_text_hint(answer: str) -> str:
    """The hint for a number written as text (``"2"``, ``"87,52"``)."""
    text = answer.strip().replace(" ", "")
    if "," in text:  # "87,52" or "1.250,5"
        text = text.replace(".", "").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return f"jawaban harus berupa angka, bukan teks '{answer}'."
    shown = int(value) if value.is_integer() else value
    return (f"jawaban angka ditulis tanpa tanda kutip, dengan titik sebagai tanda desimal: {shown}, "
            f"bukan teks {answer!r}.")


def _as_number(answer) -> float:
    if isinstance(answer, (bool, np.bool_)):
        raise _NotAnAnswer("jawaban harus berupa angka, bukan True/False.")
    if isinstance(answer, str):  # a number in quotes is text: Python cannot compute with it
        raise _NotAnAnswer(_number_text_hint(answer))
    if isinstance(answer, (pd.Series, np.ndarray)) and answer.size == 1:  # df[["U3"]].sum() / ...
        return _as_number(answer.reshape(-1)[0] if isinstance(answer, np.ndarray) else answer.iloc[0])
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray, list, tuple, dict)):
        raise _NotAnAnswer("jawaban harus satu angka, bukan tabel atau daftar.")
    if isinstance(answer, Number):
        return float(answer)
    raise _NotAnAnswer(f"jawaban harus berupa angka, bukan {type(answer).__name__}.")


def _as_keys(answer) -> list:
    if isinstance(answer, str):
        raise _NotAnAnswer("jawaban harus berupa daftar kunci, mis. ['U1', 'U2', 'U3'].")
    if isinstance(answer, pd.DataFrame):
        if "unsur" not in answer:
            raise _NotAnAnswer("tabel jawaban tidak punya kolom 'unsur'; berikan daftar kunci.")
        answer = answer["unsur"]
    try:
        keys = list(answer)
    except TypeError:
        raise _NotAnAnswer("jawaban harus berupa daftar kunci, mis. ['U1', 'U2', 'U3'].") from None
    if not all(isinstance(k, str) for k in keys):
        raise _NotAnAnswer("setiap kunci ditulis sebagai teks dalam tanda kutip, mis. ['U1', 'U2', 'U3'].")
    return keys


def _decimals_written(value: float) -> int:
    """How many decimals ``value`` carries as Python writes it (``7`` -> 0, ``86.31`` -> 2, computed -> 15+)."""
    text = repr(float(value))
    if "e" in text or "n" in text:  # 1e-05, inf, nan
        return 17
    _, _, frac = text.partition(".")
    return 0 if frac in ("", "0") else len(frac)


def _same(a: float, b: float) -> bool:
    """Equal up to floating-point noise (another correct order of the same sums)."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def _truncated(value: float, digits: int) -> float:
    scale = 10 ** digits
    return math.copysign(math.floor(abs(value) * scale + 1e-9) / scale, value)


def _as_written(candidate: float, answer: float, written: int) -> bool:
    """Whether ``answer`` is ``candidate`` written with the answer's own decimals (a whole number: exactly)."""
    return _same(answer, candidate) or (0 < written < 10 and abs(answer - candidate) <= 0.5 * 10 ** -written + 1e-12)


def _mistakes(ex: Exercise):
    """``(candidates, hint)`` for each known mistake of an exercise."""
    for fn, hint in ex.mistakes:
        value = fn()
        yield (value if isinstance(value, tuple) else (value,)), hint


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


def _spelling_hint(ex: Exercise, answer) -> str:
    """The hint for a text answer right but for its case or spaces (code uses a text as written)."""
    if ex.key_answer:
        return ("hampir: kunci unsur ditulis persis seperti di kolom 'unsur' (huruf U besar, tanpa spasi), "
                "karena kode Python membedakan huruf besar dan kecil: df[\"u3\"] tidak sama dengan df[\"U3\"].")
    return (f"hampir: tulis teksnya persis seperti di tabel, dengan huruf besar/kecil yang sama dan tanpa spasi "
            f"tambahan. Python membedakannya: {answer!r} tidak akan cocok dengan teks di tabel.")


def _compare_number(ex: Exercise, answer) -> tuple[bool, str | None]:
    """Exact (or, where the exercise asks for ``decimals``, rounded half-up to them); else diagnose."""
    expected = float(ex.expected())
    value = _as_number(answer)
    if not math.isfinite(value):
        return False, None
    if _same(value, expected) or (ex.decimals is not None and _same(value, round_half_up(expected, ex.decimals))):
        return True, None
    written = _decimals_written(value)
    shown = number(value, written) if written < 10 else None
    if written < 10 and _same(value, round_half_up(expected, written)):
        if ex.decimals is not None:
            return False, (f"hampir, tetapi {shown} dibulatkan terlalu kasar: tulis dengan {ex.decimals} desimal, "
                           f"atau simpan langsung hasil hitungannya.")
        return False, _hint(ex.rounded_hint, answer) if ex.rounded_hint else (
            f"hampir: {shown} adalah hasilnya yang sudah dibulatkan. Latihan ini meminta angka penuh: simpan "
            f"langsung hasil hitungan di variabelnya, jangan diketik ulang. Bulatkan hanya saat menampilkan.")
    if written < 10 and _same(value, _truncated(expected, written)):
        cut = f"dipotong pada {written} desimal" if written else "dipotong menjadi bilangan bulat"
        return False, (f"hampir: {shown} adalah hasilnya yang {cut}, bukan dibulatkan setengah ke atas "
                       f"(bila angka sesudahnya 5 atau lebih, angka terakhir naik satu). "
                       + ("Latihan ini meminta angka penuh: simpan langsung hasil hitungannya."
                          if ex.decimals is None else f"Tulis dengan {ex.decimals} desimal, dibulatkan."))
    for candidates, hint in _mistakes(ex):
        if any(_as_written(float(c), value, written) for c in candidates):
            return False, _hint(hint, answer)
    return False, None


def _compare(ex: Exercise, answer) -> tuple[bool, str | None]:
    """Return (ok, targeted hint or None)."""
    if ex.kind == "table":
        return _compare_table(answer, ex.expected())
    if ex.key_answer and (hint := _name_for_key(answer)):
        return False, hint
    if ex.kind == "number":
        return _compare_number(ex, answer)
    expected = ex.expected()
    if ex.kind == "integer":
        value = _as_number(answer)
        if not math.isfinite(value) or value != int(value):
            raise _NotAnAnswer("jawaban harus bilangan bulat.")
        if int(value) == int(expected):
            return True, None
        return False, next((_hint(hint, answer) for candidates, hint in _mistakes(ex)
                            if int(value) in {int(c) for c in candidates}), None)
    if ex.kind == "bool":
        if isinstance(answer, str) and normalize(answer) in _TRUTH:
            raise _NotAnAnswer(f"{answer!r} dalam tanda kutip adalah teks. Nilai benar/salah ditulis True atau "
                               f"False: huruf besar di awal, tanpa tanda kutip.")
        if not isinstance(answer, (bool, np.bool_)):
            raise _NotAnAnswer("jawaban harus True atau False (huruf besar di awal, tanpa tanda kutip).")
        return bool(answer) == bool(expected), None
    if ex.kind == "text":
        if not isinstance(answer, str):
            raise _NotAnAnswer("jawaban harus berupa teks dalam tanda kutip, mis. \"teks\".")
        if answer == expected:
            return True, None
        mistake = next((_hint(hint, answer) for candidates, hint in _mistakes(ex)
                        if normalize(answer) in {normalize(c) for c in candidates}), None)
        if mistake:
            return False, mistake
        if normalize(answer) == normalize(expected):
            return False, _spelling_hint(ex, answer)
        return False, None
    if ex.kind == "keys":
        keys = _as_keys(answer)
        want = [str(k) for k in expected]
        if keys == want:
            return True, None
        if sorted(normalize(k) for k in keys) == sorted(normalize(k) for k in want):
            if [normalize(k) for k in keys] == [normalize(k) for k in want]:
                return False, _spelling_hint(ex, answer)
            return False, "unsurnya sudah tepat, tetapi urutannya belum: mulai dari NRR terendah."
        given = sorted(normalize(k) for k in keys)
        return False, next((_hint(hint, answer) for candidates, hint in _mistakes(ex)
                            if any(given == sorted(normalize(str(k)) for k in c) for c in candidates)), None)
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
    >>> check("kunci_pertanyaan_9", "U8").message
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


def hasil_latihan() -> None:
    """Print how many exercises checked in this session are right."""
    if not _PROGRESS:
        print("Belum ada latihan yang dicek.")
        return
    right = [n for n, ok in _PROGRESS.items() if ok]
    print(f"{len(right)} dari {len(_PROGRESS)} latihan benar.")
    for name, ok in _PROGRESS.items():
        print(f"  {'benar' if ok else 'belum benar'}: {name}")
