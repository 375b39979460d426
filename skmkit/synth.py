"""Realistic synthetic survey data, seeded: for the bundled sample, tests and benchmarks.

The data look like an online-form export of a city government: a timestamp,
personal data (name, phone; dropped on reading), unit, jenis layanan, the
profile, the nine questions in the questionnaire's order (sarana before
pengaduan) answered with labels, and a free-text saran.
"""
from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .survey import load_survey

__all__ = ["DEMO_UNITS", "generate_responses", "write_demo_data", "write_demo_period"]

#: (id, name, services, respondents, population, quality) of the demo city.
DEMO_UNITS = [
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", ["KTP-el", "Kartu Keluarga", "Akta Kelahiran"], 380, 42000, 0.55),
    ("dpmptsp", "Dinas Penanaman Modal dan PTSP", ["Perizinan Berusaha", "PBG", "Izin Reklame"], 300, 9000, 0.75),
    ("rsud", "RSUD Kota Sukamaju", ["Rawat Jalan", "Rawat Inap", "IGD"], 360, 25000, 0.20),
    ("puskesmas-melati", "Puskesmas Melati", ["Poli Umum", "KIA", "Imunisasi"], 210, 3000, 0.45),
    ("puskesmas-kenanga", "Puskesmas Kenanga", ["Poli Umum", "Poli Gigi", "Laboratorium"], 150, 2500, 0.05),
    ("dishub", "Dinas Perhubungan", ["Uji KIR", "Izin Trayek"], 190, 1800, -0.15),
    ("dinsos", "Dinas Sosial", ["Rekomendasi Bansos", "DTKS"], 160, 4000, 0.30),
    ("disnaker", "Dinas Tenaga Kerja", ["Kartu Kuning (AK-1)", "Pelatihan Kerja"], 140, 1200, 0.35),
    ("dlh", "Dinas Lingkungan Hidup", ["Persetujuan Lingkungan", "Pengaduan Lingkungan"], 85, 600, -0.40),
    ("bapenda", "Badan Pendapatan Daerah", ["PBB-P2", "BPHTB"], 230, 15000, 0.40),
    ("kec-utara", "Kecamatan Sukamaju Utara", ["Surat Keterangan", "Legalisasi"], 120, 5000, 0.60),
    ("kec-selatan", "Kecamatan Sukamaju Selatan", ["Surat Keterangan", "Legalisasi"], 110, 4500, 0.10),
]

# Unsur tendencies seen in published SKM reports: waiting time and sarana
# weaker, courtesy and fees (often free) stronger.
_UNSUR_SHIFT = {"U1": 0.15, "U2": 0.05, "U3": -0.35, "U4": 0.55, "U5": 0.1,
                "U6": 0.2, "U7": 0.3, "U8": -0.25, "U9": -0.3}
_QUESTION_ORDER = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8"]
_SARAN = [
    "Antrian terlalu lama, mohon ditambah loket.",
    "Pelayanan sudah baik, pertahankan.",
    "Petugas ramah dan membantu.",
    "Ruang tunggu panas, perlu tambahan kipas atau AC.",
    "Informasi persyaratan agar dipasang lebih jelas.",
    "Parkir sempit dan kurang tertib.",
    "Mohon layanan online dipermudah.",
    "Waktu penyelesaian perlu dipercepat.",
    "Toilet kurang bersih.",
    "Kotak pengaduan tidak jelas tindak lanjutnya.",
    "Terima kasih, prosesnya cepat.",
    "Jam buka loket agar tepat waktu.",
]
_FIRST = ["Agus", "Siti", "Budi", "Dewi", "Rudi", "Wati", "Andi", "Rina", "Joko", "Sri", "Eko", "Ani", "Hadi", "Lina"]
_LAST = ["Santoso", "Wulandari", "Pratama", "Lestari", "Saputra", "Handayani", "Nugroho", "Rahmawati", "Hidayat"]
_EDU = (["SD", "SMP", "SMA/SMK", "D1-D3", "D4/S1", "S2", "S3"], [0.10, 0.15, 0.38, 0.12, 0.20, 0.04, 0.01])
_JOB = (["PNS", "TNI", "POLRI", "Swasta", "Wirausaha", "Lainnya"], [0.10, 0.02, 0.02, 0.33, 0.28, 0.25])


def _answers(rng, n, quality, keys, unit_shift):
    """Ordinal answers 1-4 from a latent normal per respondent and unsur."""
    person = rng.normal(0.0, 0.55, size=(n, 1))
    shift = np.array([_UNSUR_SHIFT.get(k, 0.0) + unit_shift.get(k, 0.0) for k in keys])
    latent = 0.95 + quality + shift + person + rng.normal(0.0, 0.6, size=(n, len(keys)))
    return np.digitize(latent, [-0.9, 0.0, 1.25]) + 1


def generate_responses(units=None, *, seed: int = 14, start="2026-01-02", end="2026-06-30",
                       blank_rate: float = 0.012, labels: bool = True, personal: bool = True,
                       survey=None) -> pd.DataFrame:
    """Generate a form export for several units.

    Parameters
    ----------
    units : list of tuples, optional
        ``(id, name, services, respondents, population, quality)``; default
        :data:`DEMO_UNITS`. ``quality`` shifts all answers (0 = average).
    seed : int
        The same seed gives the same rows.
    labels : bool
        Answers as the survey's labels (a form export) or as scores 1-4.
    personal : bool
        Include name and phone columns (which skmkit must drop).

    Examples
    --------
    >>> df = generate_responses(seed=1)
    >>> df["Unit Layanan"].nunique()
    12
    """
    survey = load_survey(survey)
    units = DEMO_UNITS if units is None else units
    rng = np.random.default_rng(seed)
    t0, t1 = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(hours=16)
    parts = []
    for uid, name, services, n, _pop, quality in units:
        urng = np.random.default_rng([seed, zlib.crc32(uid.encode())])  # own stream per unit
        unit_shift = {k: urng.normal(0, 0.25) for k in survey.keys}
        scores = _answers(urng, n, quality, survey.keys, unit_shift)
        secs = np.sort(urng.integers(0, int((t1 - t0).total_seconds()), size=n))
        stamps = t0 + pd.to_timedelta(secs, unit="s")
        hours = 7 + (secs % (9 * 3600)) // 3600
        stamps = stamps.normalize() + pd.to_timedelta(hours * 3600 + secs % 3600, unit="s")
        frame = {
            "Cap waktu": stamps.strftime("%Y-%m-%d %H:%M:%S"),
        }
        if personal:
            frame["Nama"] = [f"{_FIRST[i % len(_FIRST)]} {_LAST[j % len(_LAST)]}"
                             for i, j in zip(urng.integers(0, 99, n), urng.integers(0, 99, n))]
            frame["No HP"] = [f"08{x:010d}" for x in urng.integers(1_000_000_000, 9_999_999_999, n)]
        frame["Unit Layanan"] = name
        frame["Jenis Layanan"] = urng.choice(services, size=n)
        frame["Jenis Kelamin"] = urng.choice(["Laki-laki", "Perempuan"], size=n, p=[0.47, 0.53])
        frame["Usia"] = np.clip(urng.normal(38, 12, n).round(), 17, 80).astype(int)
        frame["Pendidikan"] = urng.choice(_EDU[0], size=n, p=_EDU[1])
        frame["Pekerjaan"] = urng.choice(_JOB[0], size=n, p=_JOB[1])
        df = pd.DataFrame(frame)
        for number, key in enumerate(_QUESTION_ORDER, start=1):
            col = scores[:, survey.keys.index(key)]
            u = survey.get(key)
            values = np.array(u.labels, dtype=object)[col - 1] if labels else col.astype(object)
            values = np.where(urng.random(n) < blank_rate, "" if labels else None, values)
            df[f"{number}. {u.question}"] = values
        saran = np.array(_SARAN, dtype=object)[urng.integers(0, len(_SARAN), n)]
        df["Saran/Masukan"] = np.where(urng.random(n) < 0.45, saran, "")
        parts.append(df)
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values("Cap waktu", kind="stable").reset_index(drop=True)


def write_demo_data(out, *, seed: int = 14) -> list[Path]:
    """Write the demo city's pooled form export and its units file into ``out``.

    Returns the paths written: ``skm_kota_sukamaju_2026s1.csv`` and ``units.yml``.
    """
    import yaml

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    data = out / "skm_kota_sukamaju_2026s1.csv"
    generate_responses(seed=seed).to_csv(data, index=False, lineterminator="\n")
    units = {
        "defaults": {
            "data": data.name,
            "by": "Unit Layanan",
            "institution": "Pemerintah Kota Sukamaju",
            "period": "Semester I 2026",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
        },
        "units": [{"id": uid, "unit": name, "population": pop} for uid, name, _s, _n, pop, _q in DEMO_UNITS],
    }
    units_path = out / "units.yml"
    units_path.write_text(yaml.safe_dump(units, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return [data, units_path]


def write_demo_period(out, *, period="Semester II 2026", start="2026-07-01", end="2026-12-31", seed=15,
                      change=0.15) -> list[Path]:
    """Write a later period of the demo city (a second batch into the same output folder).

    The units are :data:`DEMO_UNITS` with their quality shifted by ``change``
    (alternating up and down, so some units rise and some fall), answered by
    :func:`generate_responses` with its own ``seed``. The units file names the
    bundled tindak lanjut sample for Dinas Sosial (``follow_up``).

    Returns the paths written: the CSV and ``units.yml``.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    units = [(uid, name, services, n, pop, q + (change if i % 2 == 0 else -change))
             for i, (uid, name, services, n, pop, q) in enumerate(DEMO_UNITS)]
    data = out / f"skm_kota_sukamaju_{start[:4]}_{start[5:7]}.csv"
    generate_responses(units, seed=seed, start=start, end=end).to_csv(data, index=False, lineterminator="\n")
    follow_up = Path(__file__).resolve().parent / "data" / "sample" / "tindak_lanjut" / "dinsos.yml"
    doc = {
        "defaults": {"data": data.name, "by": "Unit Layanan", "institution": "Pemerintah Kota Sukamaju",
                     "period": period, "period_start": start, "period_end": end},
        "units": [{"id": uid, "unit": name, "population": pop, **({"follow_up": str(follow_up)} if uid == "dinsos" else {})}
                  for uid, name, _s, _n, pop, _q in units],
    }
    units_path = out / "units.yml"
    units_path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return [data, units_path]
