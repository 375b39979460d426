"""Planning a batch: which units run, from which inputs, and whether they changed.

Each unit's inputs are hashed (its data slice, parameters and the files they
name, the notebook, the template, the kit's code and fonts); a unit whose hash
and outputs match its last good state is skipped. The recap's inputs are
planned the same way. State lives in ``OUT/_batch/state/<id>.json``.
"""
from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import __version__
from .. import schema
from ..errors import ParameterError, SkmError
from ..files import content_hash, file_sha256, write_atomic
from ..prepared import PreparedUnit, checked_params, prepare_unit
from ..survey import load_survey, round_half_up
from ..recap_report import Rekap, recap_table, recap_xlsx
from ..report import (NOTEBOOK_FORMATS, RECAP_NOTEBOOK, check_parameters, notebook_parameters, notebook_path,
                      with_annex_workbook)
from ..safetext import csv_safe_frame
from ..history import HISTORY_NAME
from .periods import follow_up_text
from .units import UnitData, load_units, units_from_column, write_canonical

__all__ = ["kit_fingerprint", "template_sha", "canon_json", "unit_specs", "plan_unit", "plan_recap", "finish",
           "write_state", "remove_partials", "write_recap_xlsx", "OUTPUT_SUFFIX"]

_RECAP_COLUMNS = {"_row", "unit", "layanan", "tanggal", "jenis_kelamin", "usia", "pendidikan", "pekerjaan"}
#: Output file suffix per format (the banner named as ``skmkit banner`` names it).
OUTPUT_SUFFIX = {"html": ".html", "pdf": ".pdf", "docx": ".docx", "banner": "-banner.png", "xlsx": ".xlsx"}


def _tree_sha(root: Path, suffixes=None) -> str:
    parts = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and (suffixes is None or p.suffix in suffixes):
            parts += [p.relative_to(root).as_posix(), p.read_bytes()]
    return content_hash(*parts)


@lru_cache(maxsize=1)
def kit_fingerprint() -> str:
    """The kit's version and a hash of its code (every module, subpackages included),
    survey definitions and fonts."""
    root = Path(__file__).resolve().parents[1]
    code = _tree_sha(root, {".py"})
    data = _tree_sha(root / "data", {".yml", ".yaml", ".json", ".ttf"}) if (root / "data").exists() else ""
    return f"{__version__}+{content_hash(code, data)[:16]}"


def template_sha() -> str:
    """A hash of the report template (HTML, CSS): a template change rebuilds every unit."""
    return _tree_sha(Path(__file__).resolve().parents[1] / "templates")


def json_default(v):
    """JSON for numpy scalars and paths."""
    if hasattr(v, "item"):
        return v.item()
    if isinstance(v, Path):
        return str(v)
    return str(v)


def canon_json(obj) -> str:
    """Canonical JSON (sorted keys): what input hashes are computed over."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, default=json_default)


def remove_partials(out: Path) -> int:
    """Delete half-written files (``.<name>.*.part``) an interrupted batch left behind."""
    n = 0
    for p in out.rglob(".*.part"):
        p.unlink(missing_ok=True)
        n += 1
    return n


def unit_specs(params, data, by, notebook, formats, reference_doc=None):
    """The batch's units; ``reference_doc`` (``--reference-doc``, checked) overrides each unit's."""
    fmts = None if formats is None else (formats.split(",") if isinstance(formats, str) else list(formats))
    if data is not None and by:
        specs = units_from_column(data, by, notebook=notebook, params=params, formats=fmts)
    elif data is not None and params is None:
        raise ParameterError("DATA butuh --by KOLOM (satu laporan per nilai kolom) atau --params daftar unit.")
    else:
        specs = load_units(params if params is not None else "params", notebook=notebook, data=data, formats=fmts)
    if reference_doc is not None:
        specs = [replace(s, params={**s.params, "reference_doc": str(reference_doc)}) for s in specs]
    return specs


def _notebook_params(spec, declared: set, data_rel: str, source_name: str, source_sha: str, workdir: Path) -> dict:
    p = schema.relative_paths({k: v for k, v in spec.params.items() if k in declared}, workdir)
    p.update(data=data_rel, unit=spec.unit)
    if spec.by and "by" in declared:  # the slice holds only this unit; earlier periods' pooled files need it
        p["by"] = spec.by
    auto = {"source_name": source_name, "source_sha256": source_sha}
    p.update({k: v for k, v in auto.items() if k in declared})
    return p


def _param_files_sha(params: dict, workdir: Path) -> dict:
    """The hashes of the files the parameters name (not the prepared unit: the batch makes it from the inputs,
    and a unit prepared twice in one process pickles to other bytes)."""
    out = {}
    for key in (k for k in schema.PATH_KEYS if k != "prepared"):
        v = params.get(key)
        if isinstance(v, str) and v and (workdir / v).is_file():
            out[key] = file_sha256(workdir / v)
        elif key == "previous" and isinstance(v, list):
            for n, i in enumerate(v):
                if isinstance(i, dict) and i.get("data") and (workdir / i["data"]).is_file():
                    out[f"previous[{n}]"] = file_sha256(workdir / i["data"])
    return out


def load_state(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def up_to_date(state, input_hash, formats, workdir: Path) -> bool:
    if not state or state.get("status") != "ok" or state.get("input_hash") != input_hash:
        return False
    outs = state.get("outputs", {})
    for fmt in formats:
        o = outs.get(fmt)
        if not o or not (workdir / o["path"]).is_file() or file_sha256(workdir / o["path"]) != o["sha256"]:
            return False
    return True


def plan_unit(ud: UnitData, out, dirs, declared, common, notebook, force, fresh, timeout, recycle):
    """Prepare one unit and plan its task: ``(record, task or None, prepared unit or None)``."""
    spec = ud.spec
    rec = {"id": spec.id, "unit": spec.unit, "status": None, "cause": ud.error, "cell": None,
           "respondents": ud.rows or None, "ikm": None, "mutu": None, "formats": list(spec.formats),
           "inputs": {"data": {"source": ud.source_name, "source_sha256": ud.source_sha256, "rows": ud.rows}},
           "outputs": {}, "duration_s": None, "log": f"_batch/logs/{spec.id}.log",
           "notebook": f"_batch/notebooks/{spec.id}.ipynb", "input_hash": None}
    if ud.error:
        rec["status"] = "failed"
        _remove_outputs(out, spec)
        write_atomic(out / rec["log"], f"unit: {spec.unit} (id {spec.id})\nGAGAL (data): {ud.error}\n")
        return rec, None, None
    blob = write_canonical(ud.frame)
    cache = dirs["data"] / f"{spec.id}.parquet"
    if not cache.exists() or cache.read_bytes() != blob:
        write_atomic(cache, blob)
    data_sha = hashlib.sha256(blob).hexdigest()  # = sha256sum of the cache file
    rel = cache.relative_to(out).as_posix()
    params = check_parameters(notebook, _notebook_params(spec, declared, rel, ud.source_name, ud.source_sha256, out))
    try:  # the unit's facts, prepared once here; the kernel, the banner and the workbook read them
        unit = _prepare(ud.frame, params, declared, out)
    except SkmError as exc:
        rec.update(status="failed", cause=str(exc).splitlines()[0])
        _remove_outputs(out, spec)
        write_atomic(out / rec["log"], f"unit: {spec.unit} (id {spec.id})\nGAGAL (parameter/data): {exc}\n")
        return rec, None, None
    s = unit.summary
    formats = with_annex_workbook(spec.formats, unit)
    rec.update(respondents=s["respondents"], ikm=round_half_up(s["ikm"], 2), mutu=s["mutu"], formats=formats)
    if "prepared" in declared:
        params["prepared"] = unit.save(dirs["data"] / f"{spec.id}.unit.pkl").relative_to(out).as_posix()
    exports = schema.relative_paths({k: spec.params[k] for k in schema.EXPORT_KEYS if spec.params.get(k)}, out)
    files = _param_files_sha({**params, **exports}, out)  # a changed reference document re-renders the unit
    params_sha = content_hash(canon_json(params))
    input_hash = content_hash(canon_json({**common, "params": params, "data": data_sha, "files": files,
                                           "formats": sorted(formats)}))
    rec["inputs"].update({"sha256": data_sha, "cache": rel, "params": params, "params_sha256": params_sha,
                          "notebook_sha256": common["notebook"], "template_sha256": common["template"],
                          "kit": common["kit"], "files": files})
    rec["input_hash"] = input_hash
    outputs = {f: f"laporan/{spec.id}{OUTPUT_SUFFIX[f]}" for f in formats}
    state = load_state(dirs["state"] / f"{spec.id}.json")
    if not force and up_to_date(state, input_hash, formats, out):
        rec.update(status="skipped", outputs={f: state["outputs"][f] for f in formats},
                   duration_s=0.0, cause=None)
        return rec, None, unit
    task = {"id": spec.id, "unit": spec.unit, "workdir": str(out), "notebook": str(notebook), "params": params,
            "formats": list(formats), "outputs": outputs, "executed": rec["notebook"], "log": rec["log"],
            "timeout": spec.timeout or timeout, "fresh": fresh, "recycle": recycle, "exports": exports}
    return rec, task, unit


def _prepare(frame, params: dict, declared, workdir: Path) -> PreparedUnit:
    """The unit as its kernel would prepare it: every declared parameter, blanks as the kernel gets them."""
    values = {k: v for k, v in params.items() if k != "prepared"}
    blank = {k: None for k in declared if k in schema.SCHEMA and k != "prepared"}
    return prepare_unit(**{**blank, **values, "data": frame}, params=checked_params({**blank, **values}),
                        workdir=workdir, where=f"unit '{values.get('unit')}'")


def _remove_outputs(out: Path, spec) -> None:
    for ext in OUTPUT_SUFFIX.values():
        (out / "laporan" / f"{spec.id}{ext}").unlink(missing_ok=True)


def finish(rec, res, state_dir, out, state_name=None) -> None:
    rec["status"] = res["status"]
    rec["cause"] = res.get("cause")
    rec["cell"] = res.get("cell")
    rec["outputs"] = res.get("outputs", {})
    rec["duration_s"] = res.get("duration")
    rec["steps"] = res.get("steps", {})
    if rec["status"] == "failed" and state_name is None:
        for ext in OUTPUT_SUFFIX.values():
            (out / "laporan" / f"{rec['id']}{ext}").unlink(missing_ok=True)
    write_state(state_dir, rec, state_name)


def write_state(state_dir, rec, name=None) -> None:
    state = {k: rec.get(k) for k in ("id", "status", "input_hash", "outputs")}
    write_atomic(Path(state_dir) / f"{name or rec['id']}.json", canon_json(state))


def plan_recap(prepared, records, units, out, dirs, common, force, fresh, timeout, recycle):
    """Plan the recap over the prepared units (``units``: id -> PreparedUnit): its table renders them."""
    nb = notebook_path(RECAP_NOTEBOOK)
    if not nb.exists():
        return None
    frames, rows, recapped = [], [], []
    names = [ud.spec.unit for ud in prepared]
    first = prepared[0].spec.params
    survey = load_survey(schema.resolve_paths({"survey": first.get("survey")}, out)["survey"],
                         legacy_weight=first.get("legacy_weight"))
    for ud in prepared:
        label = ud.spec.unit if names.count(ud.spec.unit) == 1 else f"{ud.spec.unit} ({ud.spec.id})"
        unit = units.get(ud.spec.id)
        cause = ud.error or ("" if unit is not None else records[ud.spec.id].get("cause") or "")
        status = "ok" if unit is not None else "data tidak sah"
        if unit is not None and (unit.survey.id, unit.survey.keys) != (survey.id, survey.keys):
            # another instrument: its answers are not pooled with these (skm-method.md)
            status, cause, unit = "definisi survei lain", f"diukur dengan '{unit.survey.name}', bukan " \
                                                          f"'{survey.name}'; tidak digabung dalam rekap", None
        rows.append({"id": ud.spec.id, "unit": label, "population": ud.spec.params.get("population"),
                     "status": status, "cause": cause, "tindak_lanjut": follow_up_text(ud)})
        if unit is not None:
            recapped.append(replace(unit, unit=label))
            f = unit.data.copy()
            f["unit"] = label
            frames.append(f.drop(columns=[c for c in f.columns if c not in _RECAP_COLUMNS and c not in unit.survey.keys]))
    record = {"id": "_rekap", "unit": "Rekapitulasi", "status": "failed", "cause": None, "outputs": {},
              "duration_s": None, "log": "_batch/logs/_rekap.log", "notebook": "_batch/notebooks/_rekap.ipynb"}
    if not frames:
        record["cause"] = "tidak ada unit dengan data sah."
        return {"run": False, "record": record, "table": None}
    data = pd.concat(frames, ignore_index=True)
    data.attrs = {"skmkit": {"source": "rekap", "columns": {}, "dropped_personal": []}}
    table = recap_table(recapped, survey=survey)
    blob = write_canonical(data)
    write_atomic(dirs["data"] / "_rekap.parquet", blob) if not (dirs["data"] / "_rekap.parquet").exists() \
        or (dirs["data"] / "_rekap.parquet").read_bytes() != blob else None
    units_csv = csv_safe_frame(pd.DataFrame(rows)).to_csv(index=False).encode("utf-8")
    write_atomic(dirs["data"] / "_rekap_units.csv", units_csv)
    declared = set(notebook_parameters(nb))
    params = {"data": "_batch/data/_rekap.parquet", "units": "_batch/data/_rekap_units.csv",
              "institution": first.get("institution", ""), "period": first.get("period", ""),
              "survey": first.get("survey"), "legacy_weight": first.get("legacy_weight"),
              "history": str(dirs["data"] / f"{HISTORY_NAME}.parquet")}
    params = schema.relative_paths(params, out)
    params = {k: v for k, v in params.items() if k in declared and v is not None}
    if "prepared" in declared:  # the recap notebook renders the table made here from the prepared units
        rk = Rekap(data, pd.DataFrame(rows), table, survey, first.get("institution") or "", first.get("period") or "")
        params["prepared"] = write_atomic(dirs["data"] / "_rekap.pkl", pickle.dumps(rk, protocol=5)) \
            .relative_to(out).as_posix()
    data_sha, units_sha = hashlib.sha256(blob).hexdigest(), hashlib.sha256(units_csv).hexdigest()
    history = dirs["data"] / f"{HISTORY_NAME}.parquet"
    exports = schema.relative_paths({k: first[k] for k in schema.EXPORT_KEYS if first.get(k)}, out)  # reference_doc
    input_hash = content_hash(canon_json({**common, "notebook": file_sha256(nb), "params": params,
                                           "data": data_sha, "units": units_sha,
                                           "history": file_sha256(history) if history.is_file() else "",
                                           **({"files": _param_files_sha(exports, out)} if exports else {})}))
    record.update(input_hash=input_hash, inputs={"sha256": data_sha, "units_sha256": units_sha,
                                                 "notebook_sha256": file_sha256(nb)})
    wanted = [f for f in NOTEBOOK_FORMATS if any(f in ud.spec.formats for ud in prepared)] or ["html"]
    outputs = {f: f"rekap_skm{OUTPUT_SUFFIX[f]}" for f in wanted}
    xlsx_ok = (out / "rekap_skm.xlsx").is_file()
    state = load_state(dirs["state"] / "_rekap.json")
    run = force or not xlsx_ok or not up_to_date(state, input_hash, list(outputs), out)
    if not run:
        record.update(outputs=state["outputs"], duration_s=0.0)
    task = {"id": "_rekap", "recap": True, "unit": "Rekapitulasi", "workdir": str(out), "notebook": str(nb),
            "params": params, "formats": wanted, "outputs": outputs, "executed": record["notebook"],
            "log": record["log"], "timeout": timeout, "fresh": fresh, "recycle": recycle, "run": run,
            "record": record, "table": table, "survey": survey, "exports": exports}
    return task


def write_recap_xlsx(recap_task, out, record, prepared) -> None:
    first = prepared[0].spec.params
    blob = recap_xlsx(recap_task["table"], institution=first.get("institution", ""), period=first.get("period", ""),
                      survey=recap_task["survey"])
    path = out / "rekap_skm.xlsx"
    if not path.exists() or path.read_bytes() != blob:
        write_atomic(path, blob)
    record["outputs"]["xlsx"] = {"path": "rekap_skm.xlsx", "sha256": hashlib.sha256(blob).hexdigest(),
                                 "bytes": len(blob)}


