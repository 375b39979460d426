"""The Bimtek workshop: bundled exercise data, exercise checks and the two editions.

Three parts, used by the six notebooks in ``notebooks/pelatihan/``:

- **Workshop data** (``skmkit/data/pelatihan/``): one unit's raw form export
  with deliberate problems (a typo label, an out-of-scale answer, an empty
  submission, a duplicate submission, blanks, odd spacing), the same export
  cleaned, and the unit's facts (``unit.yml``). :func:`write_workshop_data`
  makes them deterministically from :func:`skmkit.synth.generate_responses`,
  so the cleaned file holds exactly the bundled city sample's rows for that
  unit.
- **Checks**: :func:`check` compares a participant's answer with skmkit's own
  result computed at check time (never a stored number) and :func:`cek`
  prints the verdict in Indonesian ("benar" / "belum benar" with a hint). A
  blank answer (``...`` or ``None``) is "belum benar", never an exception.
  Known mistakes (blanks counted as zero, kinerja for mutu, a name for a
  key, a near-tie read from rounded numbers, ...) get their own hint.
  :func:`siapkan`, called by every notebook's setup cell, turns a
  ``NameError`` from a cell (``mutu = B`` without quotes) into a hint
  (:mod:`skmkit.hints`); :func:`lanjut` gives the next cells a right table
  when the participant's is not right yet.
- **Editions**: :func:`make_editions` writes the participant edition (cells
  tagged ``solusi`` and ``pelatih`` removed) and the trainer edition (cells
  tagged ``latihan`` removed, solutions kept) from the same notebooks.
"""
from __future__ import annotations

import math
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from numbers import Number
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .fmt import number
from .hints import Unquoted
from .survey import load_survey, normalize

__all__ = [
    "WORKSHOP_UNIT", "TYPO", "OUT_OF_SCALE", "EDITIONS", "data_path", "workshop_unit", "write_workshop_data",
    "Exercise", "EXERCISES", "CheckResult", "check", "cek", "rekap", "lanjut", "siapkan", "output_dir", "show",
    "notebooks_dir", "workshop_notebooks", "edition", "make_editions", "method_path",
]

#: The unit of the workshop data (one of the bundled city's units).
WORKSHOP_UNIT = "Puskesmas Melati"
#: The typo planted in the raw export (the correct label is "Sangat sesuai").
TYPO = "Sangat sesuia"
#: An out-of-scale number typed into a label column (its true answer is unknown).
OUT_OF_SCALE = "5"

_FILES = {
    "mentah": "skm_puskesmas_melati_mentah.csv",
    "bersih": "skm_puskesmas_melati_bersih.csv",
    "unit": "unit.yml",
}
_PERSONAL = ["Nama", "No HP"]

# -- the workshop data ---------------------------------------------------------------


def data_path(kind: str = "mentah") -> Path:
    """Path of a bundled workshop file.

    Parameters
    ----------
    kind : {"mentah", "bersih", "unit"}
        ``"mentah"``: the raw export with deliberate problems (notebooks 1-2);
        ``"bersih"``: the cleaned export (notebooks 3-6); ``"unit"``: the
        unit's facts (name, population, period).

    Examples
    --------
    >>> data_path("bersih").name
    'skm_puskesmas_melati_bersih.csv'
    """
    if kind not in _FILES:
        raise ValueError(f"kind harus salah satu dari {', '.join(_FILES)}, bukan {kind!r}")
    return Path(str(resources.files("skmkit").joinpath("data", "pelatihan", _FILES[kind])))


@lru_cache(maxsize=1)
def workshop_unit() -> dict:
    """The workshop unit's facts: ``unit``, ``institution``, ``period``, ``population``, ...

    Examples
    --------
    >>> workshop_unit()["population"]
    3000
    """
    import yaml

    return yaml.safe_load(data_path("unit").read_text(encoding="utf-8"))


def _workshop_frames(seed: int = 14) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Build (raw, clean, unit facts) for the workshop unit."""
    from .synth import DEMO_UNITS, generate_responses

    unit = next(u for u in DEMO_UNITS if u[1] == WORKSHOP_UNIT)
    pooled = generate_responses(seed=seed)
    rows = pooled[pooled["Unit Layanan"] == WORKSHOP_UNIT].drop(columns="Unit Layanan")
    rows = rows.reset_index(drop=True)
    clean = rows.drop(columns=_PERSONAL)

    survey = load_survey()
    header = {}
    for h in rows.columns:
        for u in survey.unsur:
            if u.question and normalize(h) == normalize(u.question):
                header[u.key] = h
    raw = rows.copy()
    u1, u3, u9 = header["U1"], header["U3"], header["U9"]
    # A typo label in U1, on the first "Sangat sesuai" after the first twenty rows.
    typo_at = int(raw.index[(raw.index >= 20) & (raw[u1] == "Sangat sesuai")][0])
    raw.loc[typo_at, u1] = TYPO
    # An out-of-scale "5" typed into a U3 cell the respondent left blank.
    blank_u3 = raw.index[raw[u3].fillna("").astype(str).str.strip() == ""]
    raw.loc[int(blank_u3[0]), u3] = OUT_OF_SCALE
    # Odd case and spacing: still a valid answer (normalised on reading).
    odd_at = int(raw.index[(raw.index >= 60) & (raw[u9] == "Sangat Baik")][0])
    raw.loc[odd_at, u9] = "  sangat baik "
    # A submission sent twice and an empty submission.
    dup_at, empty_at = 40, 100
    empty = raw.iloc[[empty_at]].copy()
    empty[[header[k] for k in survey.keys]] = ""
    empty["Saran/Masukan"] = ""
    raw = pd.concat([raw.iloc[:dup_at + 1], raw.iloc[[dup_at]], raw.iloc[dup_at + 1:empty_at],
                     empty, raw.iloc[empty_at:]], ignore_index=True)
    facts = {
        "unit": WORKSHOP_UNIT,
        "institution": "Pemerintah Kota Sukamaju",
        "period": "Semester I 2026",
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "population": int(unit[4]),
        "head": "dr. Ratna Kusumawati",
        "head_title": "Kepala Puskesmas Melati",
    }
    return raw, clean, facts


def write_workshop_data(out, *, seed: int = 14) -> list[Path]:
    """Write the workshop files (raw export, cleaned export, ``unit.yml``) into ``out``.

    The bundled files were made by this function; the tests check that they
    still are.

    Returns
    -------
    list of Path
        The three paths written.
    """
    import yaml

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    raw, clean, facts = _workshop_frames(seed)
    paths = [out / _FILES["mentah"], out / _FILES["bersih"], out / _FILES["unit"]]
    raw.to_csv(paths[0], index=False, lineterminator="\n")
    clean.to_csv(paths[1], index=False, lineterminator="\n")
    paths[2].write_text(yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return paths


def output_dir(folder="hasil") -> Path:
    """The folder a workshop notebook writes into (created if needed).

    A relative ``folder`` is taken from the current directory, which in
    JupyterLab is the notebook's own folder: ``hasil/`` lands beside the
    notebook wherever the participant's copy is (``bimtek/peserta/`` inside a
    source checkout included). Only the kit's own source notebooks
    (:func:`notebooks_dir`, a trainer running them in the repository) write to
    a temporary folder instead, so the repository is never written to.
    """
    folder = Path(folder)
    if not folder.is_absolute():
        here = Path.cwd().resolve()
        in_sources = here.is_relative_to(notebooks_dir().resolve())
        folder = (Path(tempfile.gettempdir()) / "skmkit-pelatihan" / folder) if in_sources else here / folder
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def show(ax):
    """Return a chart as an image Jupyter displays (the kit's deterministic PNG).

    skmkit's charts draw on figures outside pyplot, so they are never shown
    by themselves; ``training.show(skmkit.charts.plot_unsur(df))`` shows one.
    """
    from IPython.display import Image

    from .theme import png_bytes

    return Image(data=png_bytes(ax))


# -- checks ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _clean_data() -> pd.DataFrame:
    from .read import read_responses

    return read_responses(data_path("bersih"))


@lru_cache(maxsize=1)
def _raw_validation():
    from .validate import validate_file

    return validate_file(data_path("mentah"))


def _read_raw(kind: str = "mentah") -> pd.DataFrame:
    """A workshop file as a table, as it stands in the file (headers and labels)."""
    from .read import read_table

    return read_table(data_path(kind))


def _raw_table() -> pd.DataFrame:
    return _read_raw("mentah")


def _summary(**kwargs) -> dict:
    from .indices import summarize

    return summarize(_clean_data(), ci=None, **kwargs)


def _lowest_unsur(n: int) -> list[str]:
    """Lowest NRR first, ties by the survey's unsur order (the RTL rule)."""
    from .indices import unsur_table

    t = unsur_table(_clean_data())
    return t.sort_values("nrr", kind="stable")["unsur"].head(n).tolist()


def _lowest_layanan() -> str:
    from .indices import ikm_table

    t = ikm_table(_clean_data(), by="layanan", ci=None)
    return str(t.sort_values(["ikm", "layanan"], kind="stable")["layanan"].iloc[0])


def _adequacy():
    from .sampling import sample_adequacy

    return sample_adequacy(len(_clean_data()), workshop_unit()["population"])


def _key_of(word: str) -> str:
    return next(u.key for u in load_survey().unsur if word in u.name.lower())


def _u3(divide_by_rows: bool = False) -> float:
    col = _clean_data()["U3"]
    return float(col.sum() / (len(col) if divide_by_rows else col.count()))


def _ikm_blanks_as_zero() -> float:
    """The common mistake: each unsur's total divided by all respondents (a blank counted as 0)."""
    keys = load_survey().keys
    data = _clean_data()
    return float((data[keys].sum() / len(data)).mean() * 25)


def _kinerja_labels() -> tuple[str, ...]:
    """The kinerja words of every band ("Sangat baik", "Baik", ...): mistaken for the mutu letter."""
    return tuple(b.kinerja for b in load_survey().bands)


def _near_ties(n: int = 1) -> tuple[str, ...]:
    """Unsur outside the lowest ``n`` whose NRR, rounded to 2 decimals, equals one inside them."""
    from .indices import unsur_table
    from .survey import round_half_up

    t = unsur_table(_clean_data()).sort_values("nrr", kind="stable")
    shown = {round_half_up(v, 2) for v in t["nrr"].head(n)}
    return tuple(k for k, v in zip(t["unsur"].iloc[n:], t["nrr"].iloc[n:]) if round_half_up(v, 2) in shown)


def _near_tie_hint(answer) -> str:
    from .indices import unsur_table

    t = unsur_table(_clean_data()).set_index("unsur")["nrr"]
    lowest = _lowest_unsur(1)[0]
    key = str(answer).strip().upper()
    return (f"NRR {key} ({number(t[key], 4)}) dan {lowest} ({number(t[lowest], 4)}) sama-sama "
            f"{number(t[key], 2)} bila dibulatkan 2 desimal. Urutan ditentukan angka penuhnya: urutkan kolom nrr "
            f"tanpa pembulatan, mis. tabel_unsur.sort_values('nrr').")


def _ikm_respondent_mean() -> float:
    """The common mistake: the mean of each respondent's mean score, x 25."""
    keys = load_survey().keys
    return float(_clean_data()[keys].mean(axis=1).mean() * 25)


def _best_city_unit() -> str:
    from . import sample_data_path
    from .indices import recap
    from .read import read_responses

    table = recap(read_responses(sample_data_path()), by="unit")
    return str(table.loc[table["peringkat"] == 1, "unit"].iloc[0])


def _slovin() -> int:
    from .sampling import slovin

    return slovin(workshop_unit()["population"])


def _moe_no_fpc() -> float:
    from .sampling import margin_of_error

    return margin_of_error(len(_clean_data()))


@dataclass(frozen=True)
class Exercise:
    """One workshop exercise.

    ``expected`` computes the right answer with skmkit when the check runs;
    ``mistakes`` pairs known wrong answers (also computed) with a targeted hint:
    ``(value, hint)`` or ``(value, hint, tolerance)``, where ``value()`` may
    return a tuple of texts (any of them is that mistake) and ``hint`` may be
    a function of the answer. ``key_answer`` marks answers that are unsur keys
    (an unsur's name gets its own hint); ``fallback`` is what :func:`lanjut`
    hands on when the answer is not right (default: ``expected``).
    """

    name: str
    question: str
    expected: Callable[[], object]
    kind: str  # "number", "integer", "text", "bool", "keys", "table"
    hint: str
    tolerance: float = 0.0
    mistakes: tuple = ()
    key_answer: bool = False
    fallback: Callable[[], object] | None = None


_NRR_TOL = 0.005 + 1e-9  # exact, or rounded to 2 decimals


EXERCISES: dict[str, Exercise] = {e.name: e for e in [
    # Sesi 1
    Exercise("kunci_pertanyaan_9", "Kunci unsur untuk pertanyaan nomor 9 (penanganan pengaduan)",
             lambda: _key_of("pengaduan"), "text",
             "lihat tabel unsur: pertanyaan 9 menanyakan pengaduan, dan pengaduan adalah unsur ke-8 "
             "di PermenPANRB 14/2017. Urutan kuesioner tidak sama dengan urutan unsur.",
             mistakes=((lambda: "U9", "U9 adalah Sarana dan prasarana. Cocokkan menurut isi pertanyaan, "
                                     "bukan nomor urutnya."),), key_answer=True),
    Exercise("skor_cukup_mahal", "Skor jawaban 'Cukup mahal' pada unsur Biaya/Tarif",
             lambda: load_survey().answer_map("U4")[normalize("Cukup mahal")], "integer",
             "pilihan a/b/c/d bernilai 1/2/3/4; untuk U4 urutannya Sangat mahal, Cukup mahal, Murah, Gratis."),
    Exercise("jumlah_baris_mentah", "Jumlah baris jawaban di berkas mentah",
             lambda: len(_raw_table()), "integer",
             "pakai len(mentah). Baris judul (baris 1 di spreadsheet) tidak dihitung.",
             mistakes=((lambda: len(_raw_table()) + 1, "baris judul jangan ikut dihitung."),)),
    # Sesi 2
    Exercise("jumlah_galat", "Jumlah galat (bukan peringatan) pada berkas mentah",
             lambda: len(_raw_validation().errors), "integer",
             "hitung len(v.errors); peringatan (v.warnings) tidak termasuk.",
             mistakes=((lambda: len(_raw_validation().problems), "itu galat + peringatan; hitung galat saja."),)),
    Exercise("baris_salah_ketik", f"Baris spreadsheet yang berisi salah ketik '{TYPO}'",
             lambda: next(p.row for p in _raw_validation().errors if p.value == TYPO), "integer",
             "baca pesan galat: 'baris N' adalah nomor baris seperti di spreadsheet (judul = baris 1).",
             mistakes=((lambda: next(p.row for p in _raw_validation().errors if p.value == TYPO) - 2,
                        "itu indeks pandas (mulai 0, tanpa judul); nomor baris spreadsheet = indeks + 2."),)),
    Exercise("jumlah_kembar", "Jumlah baris kiriman ganda (kembar dengan baris sebelumnya)",
             lambda: int(_raw_table().duplicated().sum()), "integer",
             "pakai mentah.duplicated().sum(): baris yang sama persis dengan baris sebelumnya.",
             mistakes=((lambda: int(_raw_table().duplicated(keep=False).sum()),
                        "keep=False menghitung kedua salinan; yang dibuang hanya salinan keduanya."),)),
    Exercise("data_bersih", "Tabel mentah yang sudah diperbaiki, tanpa data pribadi",
             lambda: _clean_data(), "table", "", fallback=lambda: _read_raw("bersih")),
    # Sesi 3
    Exercise("nrr_u3", "NRR unsur U3 (Waktu Penyelesaian)", lambda: _u3(), "number",
             "NRR = jumlah nilai U3 / jumlah jawaban U3 yang terisi: df['U3'].sum() / df['U3'].count().",
             tolerance=_NRR_TOL,
             mistakes=((lambda: _u3(divide_by_rows=True),
                        "Anda membagi dengan jumlah responden. Jawaban kosong bukan nol: bagi dengan "
                        "jumlah jawaban terisi, df['U3'].count()."),
                       (lambda: _u3() * 25, "itu nilai konversi (NRR x 25); NRR sendiri antara 1 dan 4."))),
    Exercise("ikm", "IKM unit (skala 25-100)", lambda: _summary()["ikm"], "number",
             "IKM = jumlah (NRR x 1/9) untuk sembilan unsur, lalu x 25.", tolerance=0.005 + 1e-9,
             mistakes=((lambda: _summary()["ikm_raw"], "itu IKM skala 1-4; kalikan 25."),
                       (lambda: _ikm_blanks_as_zero(),
                        "Anda menghitung jawaban kosong sebagai nol: jumlah nilai tiap unsur dibagi jumlah "
                        "responden. Kosong bukan nol: NRR tiap unsur = jumlah nilai / jumlah jawaban terisi "
                        "(count(), bukan len()), lalu IKM = jumlah NRR x 1/9 x 25."),
                       (lambda: _summary(survey=load_survey(legacy_weight=0.111))["ikm"],
                        "Anda memakai bobot 0,111. Pakai bobot tepat 1/9."),
                       (lambda: _summary(survey=load_survey(legacy_weight=0.11))["ikm"],
                        "Anda memakai bobot 0,11. Pakai bobot tepat 1/9."),
                       (lambda: _ikm_respondent_mean(),
                        "Anda merata-ratakan nilai per responden. Hitung dulu NRR per unsur "
                        "(kosong tidak dihitung), baru dijumlah dengan bobot."))),
    Exercise("ikm_bobot_0111", "IKM bila memakai bobot lama 0,111",
             lambda: _summary(survey=load_survey(legacy_weight=0.111))["ikm"], "number",
             "ganti 1/9 dengan 0.111: nrr.sum() * 0.111 * 25.", tolerance=0.005 + 1e-9,
             mistakes=((lambda: _summary()["ikm"], "itu IKM dengan bobot tepat 1/9; ganti bobotnya 0.111."),)),
    Exercise("mutu", "Mutu pelayanan (huruf A/B/C/D) untuk IKM unit", lambda: _summary()["mutu"], "text",
             "IKM dibulatkan 2 desimal lalu dibandingkan dengan batas bawah: >= 88,31 A; >= 76,61 B; "
             ">= 65,00 C; selain itu D.",
             mistakes=((_kinerja_labels, lambda answer: f"'{answer.strip()}' adalah kinerja unit, bukan mutu. Mutu "
                                                        "ditulis sebagai satu huruf: A, B, C, atau D (kolom 'mutu' "
                                                        "pada tabel di atas), dalam tanda kutip."),)),
    # Sesi 4
    Exercise("sampel_minimum", "Sampel minimum Krejcie-Morgan untuk populasi unit",
             lambda: _adequacy().minimum, "integer",
             "S = 3,841 N 0,25 / (0,0025 (N - 1) + 3,841 x 0,25), dibulatkan setengah ke atas; "
             "atau skmkit.krejcie_morgan(N).",
             mistakes=((lambda: _slovin(), "itu rumus Slovin; yang diminta Krejcie-Morgan."),)),
    Exercise("sampel_cukup", "Apakah jumlah responden sudah memenuhi sampel minimum? (True/False)",
             lambda: bool(_adequacy().adequate), "bool",
             "bandingkan jumlah responden (baris data bersih) dengan sampel minimum: n >= S ?"),
    Exercise("kekurangan_sampel", "Berapa responden lagi yang dibutuhkan?",
             lambda: _adequacy().shortfall, "integer", "kekurangan = sampel minimum - jumlah responden (0 bila cukup)."),
    Exercise("moe_persen", "Margin of error (persen) dengan koreksi populasi",
             lambda: _adequacy().margin_of_error * 100, "number",
             "skmkit.margin_of_error(n, N) memberi pecahan; kalikan 100 untuk persen.", tolerance=_NRR_TOL,
             mistakes=((lambda: _adequacy().margin_of_error, "itu pecahan; kalikan 100 untuk persen.", 0.0005),
                       (lambda: _moe_no_fpc() * 100, "sertakan populasi N agar koreksi populasi terbatas dipakai."),
                       (lambda: _adequacy().margin_of_error * 100,
                        "hampir, tetapi terlalu kasar: tulis dengan 2 desimal, atau langsung hasil hitungannya "
                        "(skmkit.margin_of_error(n, N) * 100).", 0.1))),
    # Sesi 5
    Exercise("unsur_terendah", "Kunci unsur dengan NRR terendah", lambda: _lowest_unsur(1)[0], "text",
             "urutkan tabel unsur menurut kolom nrr dari kecil ke besar dan ambil baris pertama.",
             mistakes=((lambda: _lowest_unsur(9)[-1], "itu unsur tertinggi; urutkan dari yang terkecil."),
                       (_near_ties, _near_tie_hint)), key_answer=True),
    Exercise("layanan_terendah", "Jenis layanan dengan IKM terendah", lambda: _lowest_layanan(), "text",
             "hitung skmkit.ikm_table(df, by='layanan') dan cari baris dengan ikm terkecil."),
    # Sesi 6
    Exercise("unit_terbaik", "Unit dengan IKM tertinggi di data contoh Kota Sukamaju", lambda: _best_city_unit(),
             "text", "cari unit dengan ikm terbesar di rekap, mis. rekap.sort_values('ikm', ascending=False); "
             "baris gabungan semua responden bukan unit.",
             mistakes=((lambda: "Gabungan (semua responden)", "baris terakhir rekap adalah gabungan semua "
                                                               "responden, bukan unit."),)),
    Exercise("prioritas_rtl", "Tiga unsur prioritas RTL (NRR terendah dulu)", lambda: _lowest_unsur(3), "keys",
             "tiga unsur dengan NRR terendah, urut dari yang terendah; bila sama, ikuti urutan unsur. "
             "Contoh bentuk jawaban: ['U1', 'U2', 'U3'].", key_answer=True),
]}


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
    from .validate import validate_table

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


def siapkan() -> None:
    """Set up a workshop notebook: a ``NameError`` in a cell becomes an Indonesian hint.

    ``mutu = B`` (a letter without quotes) prints a hint instead of a
    traceback, leaves ``mutu`` holding the unquoted answer so the check cell
    says the same, and the notebook runs on. A check cell run before its
    exercise cell says which cell to run first. Outside IPython it does
    nothing. See :mod:`skmkit.hints`.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        from . import hints

        hints.install(shell, _on_name_error)


_CHECK_CALL = re.compile(r"\bcek\(\s*[\"']([A-Za-z0-9_]+)[\"']\s*,\s*([A-Za-z_]\w*)\s*\)")


def _on_name_error(exc: NameError) -> bool:
    """Print a hint for a NameError typed in a cell; False leaves it to Python (see :mod:`skmkit.hints`)."""
    from IPython import get_ipython

    from . import hints

    where = hints.typed_in_cell(exc)
    if where is None:
        return False
    name, line = where
    mark = "\N{HEAVY MULTIPLICATION X}"
    call = _CHECK_CALL.search(line)
    if call and call.group(2) == name and call.group(1) in EXERCISES:
        _PROGRESS[call.group(1)] = False
        print(f"{mark} Latihan '{call.group(1)}': belum benar: variabel `{name}` belum ada, karena sel latihannya "
              f"belum dijalankan atau berhenti di tengah. Jalankan dulu sel latihan di atas (yang berisi "
              f"`{name} = ...`), lalu jalankan sel cek ini lagi.")
        return True
    print(f"{mark} {hints.name_hint(name, line)}")
    assigned = hints.simple_assignment(line)
    if assigned and assigned[1] == name:  # `mutu = B`: the check cell below gives the same hint
        get_ipython().user_ns[assigned[0]] = Unquoted(name)
    return True


def rekap() -> None:
    """Print how many exercises checked in this session are right."""
    if not _PROGRESS:
        print("Belum ada latihan yang dicek.")
        return
    right = [n for n, ok in _PROGRESS.items() if ok]
    print(f"{len(right)} dari {len(_PROGRESS)} latihan benar.")
    for name, ok in _PROGRESS.items():
        print(f"  {'benar' if ok else 'belum benar'}: {name}")


# -- editions ----------------------------------------------------------------------------

#: Tag -> the edition that drops cells carrying it.
_DROPPED = {"peserta": {"solusi", "pelatih"}, "pelatih": {"latihan"}}
EDITIONS = tuple(_DROPPED)


def notebooks_dir() -> Path:
    """Folder of the workshop notebooks shipped with skmkit."""
    return Path(str(resources.files("skmkit").joinpath("notebooks", "pelatihan")))


def method_path() -> Path:
    """The method document (``docs/metode.md``, Indonesian), shipped beside the workshop notebooks.

    :func:`make_editions` copies it into each edition's folder, where the
    notebooks link to it.
    """
    return notebooks_dir() / "metode.md"


def workshop_notebooks(source=None) -> list[Path]:
    """The workshop notebooks in session order (``01_*.ipynb`` ... ``06_*.ipynb``)."""
    folder = Path(source) if source else notebooks_dir()
    found = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if not found:
        from .errors import SkmError

        raise SkmError(f"{folder}: tidak ada notebook pelatihan (01_*.ipynb ...). "
                       "Perbaikan: pasang ulang skmkit atau sebut folder sumber yang benar.")
    return found


def edition(nb, kind: str):
    """Return a new notebook for one edition; the input is not modified.

    ``"peserta"`` drops cells tagged ``solusi`` or ``pelatih``; ``"pelatih"``
    drops cells tagged ``latihan`` (the blank the solution replaces). Outputs
    and execution counts are cleared; cell ids are kept.
    """
    import copy

    if kind not in _DROPPED:
        raise ValueError(f"edisi harus salah satu dari {', '.join(EDITIONS)}, bukan {kind!r}")
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if not _DROPPED[kind] & set(c.get("metadata", {}).get("tags", []))]
    for cell in out.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    out.metadata["skmkit"] = {"edisi": kind}
    return out


def make_editions(out, *, source=None, force: bool = False) -> dict[str, list[Path]]:
    """Write the participant and trainer editions of the workshop notebooks.

    Parameters
    ----------
    out : str or Path
        Destination: ``out/peserta/`` and ``out/pelatih/`` are written, each
        with the notebooks and the method document ``metode.md`` they link to.
    source : str or Path, optional
        Folder of the source notebooks; default the ones shipped with skmkit.

    force : bool
        Overwrite notebooks that differ from the new edition (a participant's
        work, for instance). Without it such files stop the command before
        anything is written.

    Returns
    -------
    dict
        ``{"peserta": [paths], "pelatih": [paths]}``. The same sources give
        byte-identical files.

    Raises
    ------
    SkmError
        When a destination notebook exists with other content and ``force``
        is false.
    """
    import nbformat

    from .errors import SkmError
    from .report import write_atomic

    out = Path(out)
    planned: list[tuple[str, Path, str]] = []
    for path in workshop_notebooks(source):
        nb = nbformat.read(str(path), as_version=4)
        for kind in EDITIONS:
            text = nbformat.writes(edition(nb, kind))
            planned.append((kind, out / kind / path.name, text if text.endswith("\n") else text + "\n"))
    changed = [p for _, p, text in planned if p.exists() and p.read_text(encoding="utf-8") != text]
    if changed and not force:
        raise SkmError(f"{len(changed)} notebook di {out} sudah ada dan isinya berbeda (mis. {changed[0]}); "
                       "mungkin berisi pekerjaan peserta. Perbaikan: pakai folder lain, atau --force untuk menimpa.")
    written: dict[str, list[Path]] = {kind: [] for kind in EDITIONS}
    for kind, dest, text in planned:
        written[kind].append(write_atomic(dest, text))
    method = method_path().read_bytes()  # the kit's document, not a participant's work: always refreshed
    for kind in EDITIONS:
        write_atomic(out / kind / method_path().name, method)
    return written
