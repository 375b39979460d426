"""The units of a batch: read ``units.yml`` (or CSV), check it, split the data once.

A units file holds ``defaults`` shared by every unit and a list of ``units``::

    defaults:
      data: skm_kota_sukamaju_2026s1.csv   # relative to this file
      by: Unit Layanan
      institution: Pemerintah Kota Sukamaju
      period: Semester I 2026
      formats: [html, pdf]
    units:
    - id: dinsos
      unit: Dinas Sosial
      population: 4000

Every key is a parameter of the report notebook (checked by the one schema,
:mod:`skmkit.schema`) or one of :data:`BATCH_KEYS`.
:func:`load_units` checks the whole file before anything runs and raises one
:class:`~skmkit.errors.ParameterError` listing every problem (unit and key).

:func:`split_units` reads each data file ONCE in the driver, validates it,
splits it per unit and writes each unit's rows as a canonical Parquet file
(read back by :func:`skmkit.read_responses`; units chosen by the kit's one rule,
:func:`skmkit.select.unit_rows`), so no notebook re-reads a pooled
export. A unit whose rows fail validation is marked failed with its cause; the
others go on.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import schema
from ..errors import ParameterError, SkmError
from ..files import file_sha256, slugify
from ..privacy import personal_content, personal_header, personal_names
from ..read import read_table
from ..report import NOTEBOOK_FORMATS, notebook_parameters
from ..select import unit_names, unit_rows
from ..survey import load_survey, normalize, name_key
from ..validate import match_columns, validate_table
from ..yamltext import safe_load

__all__ = ["BATCH_KEYS", "FORMATS", "UnitSpec", "UnitData", "load_units", "units_from_column",
           "split_units", "write_canonical", "CANONICAL_SUFFIX"]

#: Keys the batch itself reads (besides the notebook's parameters).
BATCH_KEYS = {"id", "formats", "timeout", "sheet", "header_row"}
#: Output formats of one unit.
FORMATS = (*NOTEBOOK_FORMATS, "banner", "xlsx")
#: Suffix of the canonical per-unit data files (Parquet with skmkit metadata).
CANONICAL_SUFFIX = ".parquet"

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True)
class UnitSpec:
    """One unit of a batch, checked: its id, name, data file and parameters."""

    id: str
    unit: str
    data: Path
    by: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    timeout: float | None = None  # seconds for this unit (else the batch's --timeout)
    formats: tuple = ("html", "pdf")
    params: dict = field(default_factory=dict)  # notebook parameters other than data/unit/by


@dataclass
class UnitData:
    """A unit's rows after the driver's single read: the canonical slice or the cause it failed."""

    spec: UnitSpec
    frame: pd.DataFrame | None = None
    source_name: str = ""
    source_sha256: str = ""
    error: str | None = None
    rows: int = 0


def _units_file(params) -> Path:
    p = Path(params)
    if p.is_dir():
        for name in ("units.yml", "units.yaml", "units.csv"):
            if (p / name).exists():
                return p / name
        raise ParameterError(f"{p}: tidak ada units.yml atau units.csv di folder ini. "
                             "Perbaikan: buat params/units.yml (lihat skmkit/data/sample/units.yml).")
    if not p.exists():
        raise ParameterError(f"{p}: berkas daftar unit tidak ditemukan. Perbaikan: periksa --params.")
    return p


def _read_entries(path: Path) -> tuple[dict, list[dict]]:
    """Return ``(defaults, units)`` from a YAML or CSV units file."""
    if path.suffix.lower() == ".csv":
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        table.columns = [str(c).strip() for c in table.columns]
        units = [{k: v.strip() for k, v in row.items() if str(v).strip() != ""} for row in table.to_dict("records")]
        return {}, units
    import yaml

    try:
        doc = safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path.name}: YAML tidak bisa dibaca ({exc}).") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("units"), list):
        raise ParameterError(f"{path.name}: harus berisi 'units:' (daftar unit) dan boleh 'defaults:'. "
                             "Perbaikan: lihat skmkit/data/sample/units.yml.")
    extra = sorted(set(doc) - {"defaults", "units"})
    if extra:
        raise ParameterError(f"{path.name}: kunci tingkat atas tidak dikenal: {', '.join(extra)}. "
                             "Perbaikan: hanya 'defaults' dan 'units'.")
    defaults = doc.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise ParameterError(f"{path.name}: 'defaults' harus berupa pasangan kunci: nilai.")
    return defaults, doc["units"]


def _formats(value) -> tuple:
    items = value.split(",") if isinstance(value, str) else list(value or [])
    return tuple(dict.fromkeys(str(v).strip().lower() for v in items if str(v).strip()))


def load_units(params, *, notebook, data=None, by=None, formats=None) -> list[UnitSpec]:
    """Read and check a units file; return the units, in file order.

    Parameters
    ----------
    params : str or Path
        A folder holding ``units.yml`` / ``units.csv``, or the file itself.
    notebook : Path
        The report notebook, whose parameters are the allowed keys.
    data, by : optional
        Override every unit's data file and unit column.
    formats : sequence, optional
        Override the formats of every unit.

    Raises
    ------
    ParameterError
        One line per problem, each naming the unit and the key: an unknown key,
        a missing data file, a duplicate id, a bad population or format.
    """
    path = _units_file(params)
    defaults, entries = _read_entries(path)
    allowed = set(notebook_parameters(notebook)) | BATCH_KEYS | schema.EXPORT_KEYS
    problems: list[str] = []
    where = path.name

    for key in sorted(set(defaults) - allowed):
        problems.append(f"{where}: defaults: kunci '{key}' tidak dikenal. "
                        f"Perbaikan: pakai salah satu dari {', '.join(sorted(allowed))}.")
    for key in sorted(set(defaults) & schema.AUTO_KEYS):
        problems.append(f"{where}: defaults: kunci '{key}' diisi otomatis oleh batch; hapus.")
    specs, seen = [], {}
    for n, entry in enumerate(entries, start=1):
        label = f"{where}: unit ke-{n}"
        if not isinstance(entry, dict):
            problems.append(f"{label}: harus berupa pasangan kunci: nilai (id, unit, population, ...).")
            continue
        name = str(entry.get("unit") or "").strip()
        uid = str(entry.get("id") or (slugify(name) if name else "")).strip()
        label = f"{where}: unit '{uid or name or n}'"
        for key in sorted(set(entry) - allowed):
            problems.append(f"{label}: kunci '{key}' tidak dikenal. "
                            f"Perbaikan: pakai salah satu dari {', '.join(sorted(allowed))}.")
        for key in sorted(set(entry) & schema.AUTO_KEYS):
            problems.append(f"{label}: kunci '{key}' diisi otomatis oleh batch; hapus.")
        if not name:
            problems.append(f"{label}: kunci 'unit' (nama unit) wajib diisi.")
            continue
        if not _ID.match(uid):
            problems.append(f"{label}: kunci 'id' '{uid}' tidak sah. Perbaikan: huruf kecil, angka, '-', '_' "
                            "atau '.', mis. 'puskesmas-melati'.")
        elif uid in seen:
            problems.append(f"{label}: kunci 'id' '{uid}' ganda (juga unit ke-{seen[uid]}). "
                            "Perbaikan: beri id yang unik.")
        else:
            seen[uid] = n
        merged = {**defaults, **{k: v for k, v in entry.items() if k in allowed}}
        if data is not None:
            merged["data"] = str(data)
        if by is not None:
            merged["by"] = by
        merged.pop("id", None)
        spec, errs = _check_unit(uid, name, merged, path.parent, label, formats)
        problems += errs
        if spec is not None:
            specs.append(spec)
    if not entries:
        problems.append(f"{where}: daftar 'units' kosong.")
    if problems:
        raise ParameterError("\n".join(problems))
    return specs


def _check_unit(uid, name, merged, base: Path, label, formats):
    """One unit's merged entry checked by the schema; returns ``(spec, problems)``."""
    problems = []
    merged = dict(merged)
    merged.pop("unit", None)
    fmt = _formats(formats if formats is not None else merged.pop("formats", ("html", "pdf")))
    merged.pop("formats", None)
    bad = [f for f in fmt if f not in FORMATS]
    if bad or not fmt:
        problems.append(f"{label}: kunci 'formats' berisi {', '.join(bad) or '(kosong)'}. "
                        f"Perbaikan: pilih dari {', '.join(FORMATS)}.")
    timeout = merged.pop("timeout", None)
    if merged.get("data") in (None, ""):
        problems.append(f"{label}: kunci 'data' (berkas data survei) belum diisi, juga tidak di defaults.")
    try:
        merged = schema.resolve_paths(schema.check(merged, where=label), base, where=label)
    except ParameterError as exc:
        problems += str(exc).splitlines()
    if timeout not in (None, ""):
        try:
            timeout = float(timeout)
            if not timeout > 0:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(f"{label}: kunci 'timeout' bernilai '{timeout}'. Perbaikan: detik, bilangan > 0.")
    else:
        timeout = None
    if problems:
        return None, problems
    data = merged.pop("data")
    by = merged.pop("by", None) or None
    # where the data sit in the file: read once by the driver, not by the notebook (it reads the canonical slice)
    sheet, header_row = merged.pop("sheet", None), merged.pop("header_row", None)
    return UnitSpec(id=uid, unit=name, data=Path(data), by=by, sheet=sheet, header_row=header_row, formats=fmt,
                    timeout=timeout, params=merged), []


def units_from_column(data, by: str, *, notebook, params=None, formats=None) -> list[UnitSpec]:
    """One unit per value of a column of a pooled file (``skmkit batch DATA --by COLUMN``).

    With ``params`` (a units file), its defaults apply to every unit and its
    unit entries, matched by ``unit`` name, add per-unit parameters (e.g. the
    population); an entry whose unit is not in the data is an error.
    """
    data = Path(data)
    if not data.is_file():
        raise ParameterError(f"{data}: berkas data tidak ditemukan. Perbaikan: periksa jalur DATA.")
    extra = {}
    defaults = {}
    if params is not None:
        listed = load_units(params, notebook=notebook, data=data, by=by, formats=formats)
        extra = {s.unit: s for s in listed}
        defaults = _read_entries(_units_file(params))[0]
    raw = read_table(data, sheet=defaults.get("sheet"), header_row=defaults.get("header_row"),
                     survey=defaults.get("survey"))
    column = by if by in raw.columns else None
    if column is None:
        mapping = match_columns(list(raw.columns), load_survey(defaults.get("survey")))[0]
        column = next((h for h, c in mapping.items() if c == by or normalize(h) == normalize(by)), None)
    if column is None:
        raise ParameterError(f"{data.name}: kolom '{by}' tidak ada. Perbaikan: pakai salah satu judul kolom: "
                             + ", ".join(repr(str(h)[:40]) for h in raw.columns))
    if personal_header(column, load_survey(defaults.get("survey"))) or personal_content(raw[column]):
        raise ParameterError(f"{data.name}: kolom '{column}' berisi data pribadi dan tidak dipakai. "
                             "Perbaikan: kelompokkan menurut kolom unit.")
    typed = personal_names(raw[column])
    if typed.any():  # the same rule as validation: personal data never becomes a unit, an id or a file name
        rows = ", ".join(str(r) for r in raw.index[typed][:8]) + (" ..." if typed.sum() > 8 else "")
        raise ParameterError(f"{data.name}: {int(typed.sum())} sel di kolom '{column}' berisi data pribadi (nomor "
                             f"telepon, surel, NIK atau akun), bukan nama unit (baris {rows}). Perbaikan: tulis nama "
                             "unit di sel itu dan hapus data pribadi dari kolom ini.")
    names = unit_names(raw, column)  # one name per unit, spellings typed by hand merged
    keys = {name_key(n): n for n in names}
    extra = {keys.get(name_key(u), u): spec for u, spec in extra.items()}
    missing = sorted(set(extra) - set(names))
    if missing:
        from ..select import did_you_mean

        shown = ", ".join(f"'{m}'{did_you_mean(m, names)}" for m in missing)
        raise ParameterError(f"{data.name}: unit di daftar unit tidak ada di kolom '{by}': {shown}. "
                             f"Perbaikan: samakan nama unit; nilai yang ada: {', '.join(names[:30])}.")
    specs, slugs = [], {}
    base = _units_file(params).parent if params is not None else data.parent
    for name in names:
        if name in extra:
            specs.append(extra[name])
            continue
        uid = slugify(name)
        if uid in slugs:
            raise ParameterError(f"{data.name}: unit '{name}' dan '{slugs[uid]}' sama-sama menjadi id '{uid}'. "
                                 "Perbaikan: bedakan namanya, atau pakai daftar unit dengan id.")
        slugs[uid] = name
        merged = {k: v for k, v in defaults.items() if k not in ("id", "unit")}
        merged.update(data=str(data.resolve()), by=by)
        spec, errs = _check_unit(uid, name, merged, base, f"{data.name}: unit '{name}'", formats)
        if errs:
            raise ParameterError("\n".join(errs))
        specs.append(spec)
    if not specs:
        raise ParameterError(f"{data.name}: kolom '{by}' kosong; tidak ada unit.")
    return specs


def _survey_for(spec: UnitSpec):
    return load_survey(spec.params.get("survey"))


def split_units(specs: list[UnitSpec]) -> list[UnitData]:
    """Read each data file once, validate it, and split it into the units' canonical rows.

    A unit fails (``error`` set, others go on) when its file cannot be read,
    has a file-level error (a missing unsur column), when it has no rows, or
    when one of its rows holds an answer that is not recognised.
    """
    groups: dict[tuple, list[UnitSpec]] = {}
    for spec in specs:
        period = (spec.params.get("period_start"), spec.params.get("period_end"))
        period = period if all(period) else None
        key = (str(spec.data), spec.sheet, spec.header_row, spec.params.get("survey"), period)
        groups.setdefault(key, []).append(spec)
    out: dict[str, UnitData] = {}
    for (path, sheet, header_row, _survey, period), members in groups.items():
        name = Path(path).name
        try:
            raw = read_table(path, sheet=sheet, header_row=header_row, survey=_survey_for(members[0]))
            sha = file_sha256(path)
            v = validate_table(raw, survey=_survey_for(members[0]), source=name, period=period)
        except SkmError as exc:
            for spec in members:
                out[spec.id] = UnitData(spec, error=_first_line(exc), source_name=name)
            continue
        v.data.attrs["skmkit"]["sha256"] = sha
        file_errors = [p for p in v.errors if p.row is None and p.code != "unknown-answer"]
        bad_rows = _invalid_rows(raw, v, _survey_for(members[0]).keys)
        row_problems: dict[int, list] = {}
        for p in v.errors:
            if p.row is not None:
                row_problems.setdefault(p.row, []).append(p)
        for spec in members:
            ud = UnitData(spec, source_name=name, source_sha256=sha)
            out[spec.id] = ud
            if file_errors:
                ud.error = file_errors[0].line() + (f" (+{len(file_errors) - 1} galat lain)" if len(file_errors) > 1 else "")
                continue
            try:
                rows, _ = unit_rows(v.data, unit=spec.unit, by=spec.by)
                rows.attrs = {"skmkit": dict(v.data.attrs["skmkit"])}
                rows = rows.reset_index(drop=True)
            except SkmError as exc:
                ud.error = _first_line(exc)
                continue
            bad = sorted(set(rows["_row"]) & bad_rows)
            if bad:
                first = next((p for r in bad for p in row_problems.get(r, [])), None)
                cause = first.line() if first else f"{name} baris {bad[0]}: jawaban tidak dikenali."
                ud.error = f"{len(bad)} baris berisi jawaban tidak sah; pertama: {cause}"
                continue
            ud.frame, ud.rows = rows, len(rows)
    return [out[s.id] for s in specs]


def _invalid_rows(raw: pd.DataFrame, v, keys) -> set[int]:
    """Spreadsheet rows holding an answer that validation could not score (``keys``: the definition's unsur)."""
    bad = pd.Series(False, index=raw.index)
    keys = set(keys)
    for canon, header in v.columns.items():
        if canon in v.data.columns and header in raw.columns and canon in keys:
            given = raw[header].notna() & (raw[header].astype(str).str.strip() != "")
            bad |= given.to_numpy() & v.data[canon].isna().to_numpy()
    return set(int(r) for r in v.data.loc[bad.to_numpy(), "_row"])


def _first_line(exc) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def write_canonical(frame: pd.DataFrame) -> bytes:
    """Serialise one unit's canonical rows to Parquet bytes (deterministic; attrs kept)."""
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False, engine="pyarrow", compression="zstd")
    return buf.getvalue()

