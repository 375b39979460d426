"""The workshop data: one unit's raw form export with planted problems, its cleaned twin, the unit's facts.

The files in ``skmkit/data/pelatihan/`` are made by :func:`write_workshop_data`
from :func:`skmkit.synth.generate_responses`, so the cleaned file holds exactly
the bundled city sample's rows for the workshop unit; a test checks that they
still are what the generator writes.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from ..survey import load_survey, normalize

__all__ = ["WORKSHOP_UNIT", "TYPO", "OUT_OF_SCALE", "data_path", "workshop_unit", "write_workshop_data"]

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
    from ..synth import DEMO_UNITS, generate_responses

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
