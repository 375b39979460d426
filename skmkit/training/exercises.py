"""The workshop's exercises: each one's question, its answer computed by skmkit, its known mistakes.

No answer is stored: ``expected`` and each mistake's value are computed from
the bundled workshop data when a check runs, so they follow the kit.
"""
from __future__ import annotations

import math

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import pandas as pd

from ..fmt import number
from ..survey import load_survey, normalize
from .data import TYPO, data_path, workshop_unit

__all__ = ["Exercise", "EXERCISES"]


@lru_cache(maxsize=1)
def _clean_data() -> pd.DataFrame:
    from ..validate import read_responses

    return read_responses(data_path("bersih"))


@lru_cache(maxsize=1)
def _raw_validation():
    from ..validate import validate_file

    return validate_file(data_path("mentah"))


def _read_raw(kind: str = "mentah") -> pd.DataFrame:
    """A workshop file as a table, as it stands in the file (headers and labels)."""
    from ..read import read_table

    return read_table(data_path(kind))


def _raw_table() -> pd.DataFrame:
    return _read_raw("mentah")


def _summary(**kwargs) -> dict:
    from ..indices import summarize

    return summarize(_clean_data(), ci=None, **kwargs)


def _lowest_unsur(n: int) -> list[str]:
    """Lowest NRR first, ties by the survey's unsur order (the RTL rule)."""
    from ..indices import unsur_table

    t = unsur_table(_clean_data())
    return t.sort_values("nrr", kind="stable")["unsur"].head(n).tolist()


def _lowest_layanan() -> str:
    from ..indices import ikm_table

    t = ikm_table(_clean_data(), by="layanan", ci=None)
    return str(t.sort_values(["ikm", "layanan"], kind="stable")["layanan"].iloc[0])


def _adequacy():
    from ..sampling import sample_adequacy

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
    from ..indices import unsur_table
    from ..survey import round_half_up

    t = unsur_table(_clean_data()).sort_values("nrr", kind="stable")
    shown = {round_half_up(v, 2) for v in t["nrr"].head(n)}
    return tuple(k for k, v in zip(t["unsur"].iloc[n:], t["nrr"].iloc[n:]) if round_half_up(v, 2) in shown)


def _near_tie_hint(answer) -> str:
    from ..indices import unsur_table

    t = unsur_table(_clean_data()).set_index("unsur")["nrr"]
    lowest = _lowest_unsur(1)[0]
    key = str(answer).strip().upper()
    return (f"NRR {key} ({number(t[key], 4)}) dan {lowest} ({number(t[lowest], 4)}) sama-sama "
            f"{number(t[key], 2)} bila dibulatkan 2 desimal. Urutan ditentukan angka penuhnya: urutkan kolom nrr "
            f"tanpa pembulatan, mis. tabel_unsur.sort_values('nrr').")


def _ikm_rounded_nrr() -> tuple[float, ...]:
    """The common mistake: each NRR rounded to 2 decimals (half-up, or pandas' ``round``) before the IKM."""
    from ..survey import round_half_up

    keys = load_survey().keys
    nrr = _clean_data()[keys].sum() / _clean_data()[keys].count()
    return (float(nrr.map(lambda v: round_half_up(v, 2)).mean() * 25), float(nrr.round(2).mean() * 25))


def _raw_row_meanings() -> dict[int, list[str]]:
    """What a row count other than the raw file's own means, worked out from the data: {count: [meanings]}."""
    raw = _raw_table()
    columns = _raw_validation().columns
    empty = raw[[columns[k] for k in load_survey().keys]].isna().all(axis=1)
    dups = raw.duplicated()
    meanings: dict[int, list[str]] = {}
    for count, meaning in [
        (len(raw) - int(dups.sum()), "baris tanpa kiriman ganda"),
        (len(raw) - int(empty.sum()), "baris tanpa kiriman kosong (tanpa satu pun jawaban unsur)"),
        (len(raw) - int((dups | empty).sum()), "responden sesudah data dibersihkan (kiriman ganda dan kiriman "
                                               "kosong dibuang, seperti di Sesi 2)"),
    ]:
        if count != len(raw):
            meanings.setdefault(count, []).append(meaning)
    return meanings


def _raw_rows_hint(answer) -> str:
    count = int(float(answer))
    meaning = " atau ".join(_raw_row_meanings().get(count, ["baris yang sudah dikurangi"]))
    return (f"{count} adalah jumlah {meaning}. Yang diminta semua baris jawaban di berkas mentah apa adanya, "
            f"termasuk baris yang bermasalah (membersihkannya baru di Sesi 2): len(mentah).")


def _typo_row() -> int:
    return next(p.row for p in _raw_validation().errors if p.value == TYPO)


def _nrr_u3_rounded_hint(answer) -> str:
    """Rounded NRR U3: say which other unsur the rounded value cannot be told from."""
    from ..indices import unsur_table
    from ..survey import round_half_up

    value = float(answer)
    digits = len(repr(value).partition(".")[2].rstrip("0"))
    t = unsur_table(_clean_data()).set_index("unsur")["nrr"]
    same = [k for k, v in t.items() if k != "U3" and round_half_up(v, digits) == round_half_up(value, digits)]
    also = (f" Dibulatkan, {number(value, digits)} juga NRR {', '.join(same)}: angka yang dibulatkan tidak lagi "
            f"membedakan unsur-unsur itu (lihat Sesi 5)." if same else "")
    return (f"hampir: {number(value, digits)} adalah NRR U3 yang sudah dibulatkan. Latihan ini meminta angka penuh: "
            f"simpan langsung hasil hitungannya, jumlah['U3'] / terisi['U3'].{also}")


def _ikm_respondent_mean() -> float:
    """The common mistake: the mean of each respondent's mean score, x 25."""
    keys = load_survey().keys
    return float(_clean_data()[keys].mean(axis=1).mean() * 25)


def _ikm_pooled_mean() -> float:
    """Another common mistake: the mean of every filled answer at once, x 25 (unsur with fewer answers weigh less)."""
    keys = load_survey().keys
    return float(_clean_data()[keys].stack().mean() * 25)


def _highest_unsur(n: int) -> list[str]:
    """The RTL turned around: the highest NRR."""
    from ..indices import unsur_table

    t = unsur_table(_clean_data())
    return t.sort_values("nrr", kind="stable", ascending=False)["unsur"].head(n).tolist()


def _best_city_unit() -> str:
    from .. import sample_data_path
    from ..indices import recap
    from ..validate import read_responses

    table = recap(read_responses(sample_data_path()), by="unit")
    return str(table.loc[table["peringkat"] == 1, "unit"].iloc[0])


def _hand_out(non_return: float) -> int:
    from ..sampling import to_hand_out

    return to_hand_out(_adequacy().minimum, non_return)


def _slovin() -> int:
    from ..sampling import slovin

    return slovin(workshop_unit()["population"])


def _moe_no_fpc() -> float:
    from ..sampling import margin_of_error

    return margin_of_error(len(_clean_data()))


@dataclass(frozen=True)
class Exercise:
    """One workshop exercise.

    ``expected`` computes the right answer with skmkit when the check runs;
    ``mistakes`` pairs known wrong answers (also computed) with a targeted hint:
    ``(value, hint)``, where ``value()`` may return a tuple (any of them is that
    mistake) and ``hint`` may be a function of the answer. A number answer
    matches a mistake when it is that value written with the answer's own
    decimals (``86.31`` for 86.3112).

    What counts as the same answer, per kind: a number is the exact value
    (floating-point noise aside), or rounded half-up to ``decimals`` where the
    exercise asks for that many; a number in quotes is text, not a number. A
    text (a key, a letter, a label) is the exact spelling, since code uses it
    as written (``df["U3"]``); its case or spaces wrong get their own hint.
    ``rounded_hint`` replaces the hint for an exact-value exercise answered
    rounded. ``key_answer`` marks answers that are unsur keys (an unsur's name
    gets its own hint); ``fallback`` is what :func:`lanjut` hands on when the
    answer is not right (default: ``expected``).
    """

    name: str
    question: str
    expected: Callable[[], object]
    kind: str  # "number", "integer", "text", "bool", "keys", "table"
    hint: str
    decimals: int | None = None  # number: None = the exact value; n = also rounded half-up to n decimals
    mistakes: tuple = ()
    rounded_hint: Callable[[object], str] | None = None
    key_answer: bool = False
    fallback: Callable[[], object] | None = None


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
             mistakes=((lambda: len(_raw_table()) + 1,
                        lambda answer: f"{int(float(answer))} adalah jumlah baris berkas termasuk baris judul, "
                                       f"atau nomor baris terakhir di spreadsheet (judul = baris 1). Judul bukan "
                                       f"jawaban: len(mentah)."),
                       (lambda: tuple(_raw_row_meanings()), _raw_rows_hint))),
    # Sesi 2
    Exercise("jumlah_galat", "Jumlah galat (bukan peringatan) pada berkas mentah",
             lambda: len(_raw_validation().errors), "integer",
             "hitung len(v.errors); peringatan (v.warnings) tidak termasuk.",
             mistakes=((lambda: len(_raw_validation().problems), "itu galat + peringatan; hitung galat saja."),)),
    Exercise("baris_salah_ketik", f"Baris spreadsheet yang berisi salah ketik '{TYPO}'",
             lambda: _typo_row(), "integer",
             "baca pesan galat: 'baris N' adalah nomor baris seperti di spreadsheet (judul = baris 1).",
             mistakes=((lambda: _typo_row() + 2,
                        "tabel dari skmkit.read_table sudah bernomor seperti spreadsheet (indeksnya bernama "
                        "'baris', judul = baris 1): jangan menambah 2 lagi. Nomor di pesan galat juga sudah "
                        "nomor spreadsheet."),
                       (lambda: _typo_row() - 2,
                        "itu posisi baris yang dihitung mulai 0 tanpa judul (mis. sesudah .reset_index()). "
                        "Nomor baris spreadsheet ada di pesan galat dan di indeks tabel (bernama 'baris')."),
                       (lambda: _typo_row() - 1,
                        "itu urutan responden (mulai 1, tanpa judul). Di spreadsheet baris 1 adalah judul, jadi "
                        "nomor barisnya satu lebih besar; lihat pesan galat atau indeks tabel ('baris')."))),
    Exercise("jumlah_kembar", "Jumlah baris kiriman ganda (kembar dengan baris sebelumnya)",
             lambda: int(_raw_table().duplicated().sum()), "integer",
             "pakai mentah.duplicated().sum(): baris yang sama persis dengan baris sebelumnya.",
             mistakes=((lambda: int(_raw_table().duplicated(keep=False).sum()),
                        "keep=False menghitung kedua salinan; yang dibuang hanya salinan keduanya."),)),
    Exercise("data_bersih", "Tabel mentah yang sudah diperbaiki, tanpa data pribadi",
             lambda: _clean_data(), "table", "", fallback=lambda: _read_raw("bersih")),
    # Sesi 3
    Exercise("nrr_u3", "NRR unsur U3 (Waktu Penyelesaian), angka penuh tanpa pembulatan", lambda: _u3(), "number",
             "NRR = jumlah nilai U3 / jumlah jawaban U3 yang terisi: df['U3'].sum() / df['U3'].count().",
             rounded_hint=_nrr_u3_rounded_hint,
             mistakes=((lambda: _u3(divide_by_rows=True),
                        "Anda membagi dengan jumlah responden. Jawaban kosong bukan nol: bagi dengan "
                        "jumlah jawaban terisi, df['U3'].count()."),
                       (lambda: _u3() * 25, "itu nilai konversi (NRR x 25); NRR sendiri antara 1 dan 4."))),
    Exercise("ikm", "IKM unit (skala 25-100), angka penuh tanpa pembulatan", lambda: _summary()["ikm"], "number",
             "IKM = jumlah (NRR x 1/9) untuk sembilan unsur, lalu x 25.",
             mistakes=((lambda: _summary()["ikm_raw"], "itu IKM skala 1-4; kalikan 25."),
                       (lambda: _ikm_rounded_nrr(),
                        "Anda membulatkan NRR tiap unsur dulu (2 desimal), baru menjumlahkannya, sehingga IKM "
                        "bergeser. Hitung dengan angka penuh: jumlahkan nrr_tertimbang apa adanya, lalu x 25; "
                        "bulatkan hanya saat menampilkan."),
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
                        "(kosong tidak dihitung), baru dijumlah dengan bobot."),
                       (lambda: _ikm_pooled_mean(),
                        "Anda merata-ratakan semua jawaban sekaligus. Unsur dengan lebih sedikit jawaban terisi "
                        "jadi berbobot lebih kecil; padahal tiap unsur berbobot sama, 1/9. Hitung dulu NRR per "
                        "unsur (jumlah nilai / jawaban terisi), lalu IKM = jumlah NRR x 1/9 x 25."))),
    Exercise("ikm_bobot_0111", "IKM bila memakai bobot lama 0,111, angka penuh tanpa pembulatan",
             lambda: _summary(survey=load_survey(legacy_weight=0.111))["ikm"], "number",
             "ganti 1/9 dengan 0.111: nrr.sum() * 0.111 * 25.",
             mistakes=((lambda: _summary()["ikm"], "itu IKM dengan bobot tepat 1/9; ganti bobotnya 0.111."),
                       (lambda: _summary(survey=load_survey(legacy_weight=0.11))["ikm"],
                        "Anda memakai bobot 0,11 (dua angka 1); latihan ini memakai bobot lama 0,111 "
                        "(tiga angka 1)."),
                       (lambda: _summary(survey=load_survey(legacy_weight=0.111))["ikm_raw"],
                        "itu IKM skala 1-4: bobotnya sudah 0,111, tetapi belum dikalikan 25."))),
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
             lambda: _adequacy().shortfall, "integer", "kekurangan = sampel minimum - jumlah responden (0 bila cukup).",
             mistakes=((lambda: _adequacy().minimum - len(_raw_table()),
                        lambda answer: f"Anda memakai {len(_raw_table())} responden, jumlah baris berkas mentah: "
                                       f"berkas itu masih berisi kiriman ganda dan kiriman kosong. Responden valid "
                                       f"adalah baris data bersih: n = len(df)."),
                       (lambda: -_adequacy().shortfall,
                        "terbalik: kekurangan = sampel minimum - jumlah responden, bukan sebaliknya."))),
    Exercise("moe_persen", "Batas galat (margin of error) dalam persen, 2 desimal, dengan koreksi populasi",
             lambda: _adequacy().margin_of_error * 100, "number",
             "MoE = 1,96 x akar(0,25 / n) x akar((N - n) / (N - 1)), dalam persen; atau "
             "skmkit.margin_of_error(n, N) * 100.", decimals=2,
             mistakes=((lambda: _adequacy().margin_of_error, "itu pecahan; kalikan 100 untuk persen."),
                       (lambda: _moe_no_fpc() * 100, "sertakan populasi N agar koreksi populasi terbatas dipakai."))),
    Exercise("kuesioner_dibagikan", "Kuesioner yang dibagikan bila 20% diperkirakan tidak kembali",
             lambda: _hand_out(0.2), "integer",
             "kuesioner dibagikan = sampel minimum / (1 - 0,2), dibulatkan ke atas (math.ceil), agar yang kembali "
             "tetap mencapai minimum; atau skmkit.sampling.to_hand_out(S, 0.2).",
             mistakes=((lambda: round(_adequacy().minimum * 1.2),
                        "itu sampel minimum x 1,2; bagilah dengan (1 - 0,2): 80% yang kembali harus mencapai minimum."),
                       (lambda: _adequacy().minimum,
                        "itu sampel minimum; sebagian kuesioner tidak kembali, jadi bagikan lebih banyak."),
                       (lambda: math.floor(_adequacy().minimum / 0.8),
                        "hampir: bulatkan ke atas (math.ceil); dibulatkan ke bawah, yang kembali belum mencapai "
                        "minimum."))),
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
             "Contoh bentuk jawaban: ['U1', 'U2', 'U3'].", key_answer=True,
             mistakes=((lambda: _highest_unsur(3),
                        "itu tiga unsur dengan NRR tertinggi. Prioritas RTL adalah yang terendah, yang paling perlu "
                        "diperbaiki: urutkan NRR dari kecil (sort_values() tanpa ascending=False)."),)),
]}
