"""The words of the unit report: what is weakest, what follows, what to do.

Everything here is computed from the numbers (never typed by hand), in
Bahasa Indonesia, and returned as plain text or small records; HTML is made
in :mod:`skmkit.sections`. Free text from respondents is only ever returned
escaped (:func:`saran_summary`), with phone numbers and e-mail addresses masked.

Examples
--------
>>> from skmkit import read_responses, sample_data_path, select_unit, summarize
>>> df = select_unit(read_responses(sample_data_path()), "Dinas Perhubungan", "Unit Layanan")
>>> [u["key"] for u in ranked_unsur(summarize(df))[:3]]
['U9', 'U3', 'U8']
"""
from __future__ import annotations

import html
import re
from datetime import date

from .errors import ParameterError
from .fmt import join_list, number
from .privacy import mask_personal  # masking lives in privacy.py; kept importable here
from .survey import load_survey, round_half_up

__all__ = [
    "ranked_unsur", "strongest_unsur", "weakest_strongest", "rtl_entries", "conclusions", "recommendations",
    "trend_sentence", "saran_summary", "SARAN_THEMES", "mask_personal",
    "next_quarters",
]


#: Themes of free-text saran: (theme, regular expression on lower-case text).
SARAN_THEMES = (
    ("Waktu dan antrean", r"antri|antre|lama|cepat|waktu|jam buka|tepat waktu|loket"),
    ("Sarana dan prasarana", r"parkir|toilet|ruang tunggu|kipas|\bac\b|kursi|fasilitas|sarana|gedung|bersih"),
    ("Penanganan pengaduan", r"pengaduan|keluhan|komplain|tindak lanjut"),
    ("Informasi dan persyaratan", r"informasi|persyaratan|syarat|papan|pengumuman"),
    ("Layanan daring", r"online|daring|aplikasi|website|laman|internet"),
    ("Perilaku petugas", r"ramah|sopan|judes|petugas|pegawai|membantu"),
    ("Biaya", r"biaya|tarif|pungli|bayar|mahal"),
    ("Prosedur", r"prosedur|alur|berbelit|ribet|rumit"),
    ("Apresiasi", r"terima kasih|pertahankan|sudah baik|puas|mantap"),
)

_ROMAN = ["I", "II", "III", "IV"]


# ------------------------------------------------------------------ dates
def next_quarters(end) -> str:
    """The follow-up window after a survey period ending on ``end``: two quarters later.

    >>> next_quarters("2026-06-30"), next_quarters("2026-12-31")
    ('TW III\u2013IV 2026', 'TW I\u2013II 2027')
    """
    if not end:
        return "Triwulan berikutnya"
    d = end if isinstance(end, date) else date.fromisoformat(str(end)[:10])
    q = (d.month - 1) // 3 + 1  # quarter the survey ended in
    first, year = (q + 1, d.year) if q < 4 else (1, d.year + 1)
    last = min(first + 1, 4)
    if last == first:
        return f"TW {_ROMAN[first - 1]} {year}"
    return f"TW {_ROMAN[first - 1]}\u2013{_ROMAN[last - 1]} {year}"


# ------------------------------------------------------------ the unsur
def ranked_unsur(summary: dict) -> list[dict]:
    """Unsur from lowest to highest NRR; ties keep the survey's order.

    Each item: ``key``, ``nama``, ``nrr``, ``converted``, ``mutu``, ``kinerja``.
    """
    items = [{"key": k, **v} for k, v in summary["unsur"].items()
             if v["nrr"] is not None]  # an unsur nobody answered has no NRR (skm-method.md)
    order = {item["key"]: i for i, item in enumerate(items)}
    return sorted(items, key=lambda u: (u["nrr"], order[u["key"]]))


def strongest_unsur(ranked: list[dict]) -> dict:
    """The strongest unsur: the highest NRR, ties by the survey's order (the RTL's rule, skm-method.md).

    BAB IV and BAB V both name this one, so a tie never gives two answers.
    """
    top = max(u["nrr"] for u in ranked)
    return next(u for u in ranked if u["nrr"] == top)  # ranked keeps the survey's order within a tie


def _weak_mutu(summary: dict) -> tuple:
    """The mutu letters that send an unsur into the RTL (the survey definition's lower bands)."""
    return tuple(summary["method"]["weak_mutu"])


def _u(u: dict) -> str:
    return f"{u['nama']} ({u['key']})"


def weakest_strongest(summary: dict) -> list[str]:
    """Sentences naming the weakest and strongest unsur with their values."""
    ranked = ranked_unsur(summary)
    low, high = ranked[0], strongest_unsur(ranked)
    ikm = summary["ikm"]
    out = [
        f"Unsur dengan nilai terendah adalah {_u(low)} dengan NRR {number(low['nrr'], 2)} "
        f"(nilai konversi {number(low['converted'], 2)}, mutu {low['mutu']}), diikuti "
        + join_list(f"{u['nama']} ({number(u['nrr'], 2)})" for u in ranked[1:3]) + ".",
        f"Unsur dengan nilai tertinggi adalah {_u(high)} dengan NRR {number(high['nrr'], 2)} "
        f"(nilai konversi {number(high['converted'], 2)}, mutu {high['mutu']}).",
    ]
    below = [u for u in ranked if u["converted"] < ikm]
    if below:
        out.append(f"Sebanyak {len(below)} dari {len(ranked)} unsur bernilai di bawah IKM unit "
                   f"({number(ikm, 2)}): {join_list(u['nama'] for u in below)}.")
    letters = _weak_mutu(summary)
    weak = [u for u in ranked if u["mutu"] in letters]
    if weak:
        out.append(f"Unsur bermutu {' atau '.join(letters)} yang perlu perbaikan segera: "
                   + join_list(f"{u['nama']} (mutu {u['mutu']})" for u in weak) + ".")
    else:
        out.append(f"Tidak ada unsur yang bermutu {' atau '.join(letters)}.")
    return out


def rtl_entries(summary: dict, rtl=None, *, survey=None, waktu="", pj="") -> list[dict]:
    """The RTL rows: given entries, or defaults for the 3 lowest unsur and every C/D unsur.

    Parameters
    ----------
    summary : dict
        :func:`skmkit.summarize` of the unit.
    rtl : list of dict, optional
        ``{unsur, program, waktu, pj}``; ``unsur`` is a key (``"U3"``) or a name.
    waktu, pj : str
        Defaults for generated rows (the follow-up window, the person in charge).

    Returns
    -------
    list of dict
        ``no``, ``key``, ``nama``, ``nrr``, ``mutu``, ``program``, ``waktu``, ``pj``.

    Raises
    ------
    ParameterError
        An entry whose unsur is not in the survey.
    """
    unsur = summary["unsur"]
    if rtl:
        by_name = {v["nama"].lower(): k for k, v in unsur.items()}
        rows = []
        for i, entry in enumerate(rtl, 1):
            ref = str(entry.get("unsur", "")).strip()
            key = ref.upper() if ref.upper() in unsur else by_name.get(ref.lower())
            if key is None:
                raise ParameterError(f"rtl baris {i}: unsur '{ref}' tidak dikenal. "
                                     f"Perbaikan: pakai kunci {', '.join(unsur)} atau nama unsur.")
            rows.append({"key": key, "program": str(entry.get("program", "")),
                         "waktu": str(entry.get("waktu", waktu)), "pj": str(entry.get("pj", pj))})
    else:
        ranked = ranked_unsur(summary)
        chosen = ranked[:3] + [u for u in ranked[3:] if u["mutu"] in _weak_mutu(summary)]
        programs = {u.key: u.program for u in load_survey(survey).unsur}  # the definition's default programmes
        rows = [{"key": u["key"], "program": programs.get(u["key"]) or f"Perbaikan unsur {u['nama']}",
                 "waktu": waktu, "pj": pj} for u in chosen]
    return [{"no": i, "nama": unsur[r["key"]]["nama"], "nrr": unsur[r["key"]]["nrr"],
             "mutu": unsur[r["key"]]["mutu"], **r} for i, r in enumerate(rows, 1)]


# ------------------------------------------------------------------ trend
def trend_sentence(points: list[dict]) -> str:
    """One sentence comparing the last period with the one before (``period``, ``ikm``)."""
    if len(points) < 2:
        return ""
    prev, last = points[-2], points[-1]
    # the difference of the values as printed, so the sentence adds up for the reader
    diff = round_half_up(float(last["ikm"]), 2) - round_half_up(float(prev["ikm"]), 2)
    verdict = (last.get("change") or {}).get("verdict")
    if abs(diff) < 0.005:
        move = "tetap"
    elif verdict in (None, "naik", "turun"):
        move = f"{'naik' if diff > 0 else 'turun'} {number(abs(diff), 2)} poin"
    else:  # a difference within the uncertainty is not called a rise or a fall (method doc, Comparing periods)
        side = f"{'lebih tinggi' if diff > 0 else 'lebih rendah'} {number(abs(diff), 2)} poin"
        move = (f"{side}, masih dalam batas ketidakpastian (tidak berubah berarti)" if verdict == "tidak berubah berarti"
                else f"{side}; perubahannya tidak dapat diuji karena periode itu hanya diketahui IKM-nya")
    return (f"Dibandingkan {prev['period']} (IKM {number(prev['ikm'], 2)}), IKM {last['period']} "
            f"({number(last['ikm'], 2)}) {move}.")


# ------------------------------------------------------------ conclusions
def conclusions(summary: dict, *, unit: str, period: str, adequacy=None, trend=None) -> list[str]:
    """BAB V conclusion sentences, each following from a number in the report."""
    ranked = ranked_unsur(summary)
    counts = {m: sum(u["mutu"] == m for u in ranked) for m in (b["mutu"] for b in summary["method"]["bands"])}
    per = f" pada {period}" if period else ""
    out = [f"Indeks Kepuasan Masyarakat (IKM) {unit}{per} adalah {number(summary['ikm'], 2)} dengan "
           f"mutu pelayanan {summary['mutu']} ({summary['kinerja']}), dihitung dari "
           f"{number(summary['respondents'])} responden."]
    if summary.get("catatan_unsur"):
        out.append(f"IKM ini {summary['catatan_unsur']}.")
    ci = summary.get("ci95")
    if ci and ci[0] is not None and ci[0] == ci[0]:
        out.append(f"Dengan tingkat kepercayaan 95%, IKM berada pada rentang {number(ci[0], 2)} "
                   f"sampai {number(ci[1], 2)}.")
    elif ci:
        out.append(f"Rentang kepercayaan 95% IKM tidak dapat dihitung dari {number(summary['respondents'])} "
                   "responden.")
    spread = ", ".join(f"{n} unsur bermutu {m}" for m, n in counts.items() if n)
    out.append(f"Dari {len(ranked)} unsur pelayanan, {spread}.")
    high = strongest_unsur(ranked)
    out.append(f"Unsur terendah adalah {ranked[0]['nama']} (NRR {number(ranked[0]['nrr'], 2)}) dan unsur "
               f"tertinggi adalah {high['nama']} (NRR {number(high['nrr'], 2)}).")
    if adequacy is not None and adequacy.adequate is not None:
        out.append("Jumlah responden memenuhi ukuran sampel minimum." if adequacy.adequate else
                   f"Jumlah responden belum memenuhi ukuran sampel minimum (kurang "
                   f"{number(adequacy.shortfall)} responden); hasil perlu dibaca dengan hati-hati.")
    if trend:
        out.append(trend)
    return out


def recommendations(summary: dict, rtl: list[dict], themes: list[dict]) -> list[str]:
    """BAB V saran: follow the RTL, discuss it publicly, answer the most frequent saran."""
    out = [f"Melaksanakan rencana tindak lanjut untuk unsur {join_list(r['nama'] for r in rtl)} "
           "sesuai jadwal dan memantau hasilnya pada survei berikutnya."]
    letters = _weak_mutu(summary)
    weak = [u for u in ranked_unsur(summary) if u["mutu"] in letters]
    if weak:
        out.append(f"Memprioritaskan anggaran dan perhatian pimpinan pada unsur bermutu {' atau '.join(letters)}: "
                   + join_list(u["nama"] for u in weak) + ".")
    out.append("Membahas hasil survei dan rencana tindak lanjut dalam Forum Konsultasi Publik "
               "bersama perwakilan pengguna layanan.")
    concerns = [t for t in themes if t["tema"] not in ("Apresiasi", "Lainnya")]
    if concerns:
        out.append("Menindaklanjuti masukan yang paling sering disampaikan masyarakat: "
                   + join_list(t["tema"].lower() for t in concerns[:3]) + ".")
    out.append("Mempublikasikan hasil IKM melalui papan pengumuman, laman resmi dan media sosial unit.")
    out.append("Melaksanakan survei kepuasan masyarakat secara berkala untuk menilai dampak perbaikan.")
    return out


# ------------------------------------------------------------ free text
def saran_summary(texts, *, quotes: int = 2, max_chars: int = 200) -> list[dict]:
    """The most frequent themes of free-text saran, with a few quotes, escaped.

    Parameters
    ----------
    texts : iterable of str
        Saran/masukan in row order (blanks and "-" are skipped).
    quotes : int
        Quotes per theme: the most frequent distinct wordings (ties by first
        appearance), masked (:func:`mask_personal`), shortened and HTML-escaped.

    Returns
    -------
    list of dict
        ``tema``, ``jumlah`` (saran mentioning it), ``kutipan`` (escaped
        strings), most frequent first; a saran can count for several themes.
    """
    cleaned = [str(t).strip() for t in texts if t is not None and t == t and str(t).strip()
               and str(t).strip() not in {"-", ".", "tidak ada", "Tidak ada"}]
    themes = []
    for name, pattern in SARAN_THEMES + (("Lainnya", None),):
        if pattern is None:
            matched = [t for t in cleaned if not any(re.search(p, t.lower()) for _, p in SARAN_THEMES)]
        else:
            matched = [t for t in cleaned if re.search(pattern, t.lower())]
        if not matched:
            continue
        freq: dict[str, int] = {}
        for t in matched:
            freq[t] = freq.get(t, 0) + 1
        top = sorted(freq, key=lambda t: -freq[t])[:quotes]  # sorted() is stable: ties by first seen
        short = [t if len(t) <= max_chars else t[:max_chars].rsplit(" ", 1)[0] + " \u2026" for t in top]
        themes.append({"tema": name, "jumlah": len(matched),
                       "kutipan": [html.escape(mask_personal(t)) for t in short]})
    order = {name: i for i, (name, _) in enumerate(SARAN_THEMES + (("Lainnya", None),))}
    return sorted(themes, key=lambda t: (-t["jumlah"], order[t["tema"]]))
