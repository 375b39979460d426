"""What a batch reports: the summary (printed, ``ringkasan.csv``/``.json``) and ``manifest.json``."""
from __future__ import annotations

import json
import os
import sys

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import __version__
from ..files import write_atomic
from ..safetext import csv_safe_frame
from ..fmt import number
from .plan import json_default

__all__ = ["BatchResult", "STATUS_LABELS", "summary_frame", "summary_text", "write_summary", "write_manifest"]

#: Status as the summary shows it.
STATUS_LABELS = {"ok": "berhasil", "skipped": "tidak berubah", "failed": "GAGAL"}


@dataclass
class BatchResult:
    """What a batch did: one record per unit (dicts, as in the manifest) and the recap's."""

    out: Path
    units: list = field(default_factory=list)
    recap: dict | None = None
    duration: float = 0.0

    @property
    def failed(self) -> list:
        return [u for u in self.units if u["status"] == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or (self.recap or {}).get("status") == "failed" else 0



def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": sys.version.split()[0]}
    for name in ("pandas", "numpy", "matplotlib", "papermill", "nbclient", "nbconvert", "ipykernel",
                 "weasyprint", "pyarrow", "openpyxl", "xlsxwriter", "odfpy", "pillow"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def summary_frame(result: BatchResult) -> pd.DataFrame:
    """The summary table: one row per unit (and the recap)."""
    rows = []
    for i, u in enumerate(result.units, start=1):
        rows.append({"no": i, "id": u["id"], "unit": u["unit"], "status": u["status"],
                     "responden": u.get("respondents"), "ikm": u.get("ikm"), "mutu": u.get("mutu"),
                     "durasi_s": u.get("duration_s"), "sebab": u.get("cause") or "",
                     "berkas": " ".join(o["path"] for o in u.get("outputs", {}).values()), "log": u["log"]})
    return pd.DataFrame(rows)


def summary_text(result: BatchResult, max_rows: int = 60) -> str:
    """The summary as printed: a table (failed units always shown), then the totals."""
    units = result.units
    shown = units if len(units) <= max_rows else [u for u in units if u["status"] == "failed"]
    header = ["No", "Unit", "Status", "Resp.", "IKM", "Mutu", "Durasi", "Keterangan"]
    rows = []
    for i, u in enumerate(units, start=1):
        if u not in shown:
            continue
        name = u["unit"] if len(u["unit"]) <= 44 else u["unit"][:43] + "\u2026"
        rows.append([str(i), name, STATUS_LABELS[u["status"]],
                     number(u["respondents"]) if u.get("respondents") else "-",
                     number(u["ikm"], 2) if u.get("ikm") is not None else "-", u.get("mutu") or "-",
                     f"{number(u['duration_s'], 1)} dtk" if u.get("duration_s") else "-",  # 5,9 beside 88,49
                     (u.get("cause") or "")[:110]])
    widths = [max(len(h), *(len(r[j]) for r in rows)) if rows else len(h) for j, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    if len(shown) < len(units):
        lines.append(f"({len(units) - len(shown)} unit berhasil tidak ditampilkan; lihat ringkasan.csv)")
    n = {s: sum(u["status"] == s for u in units) for s in STATUS_LABELS}
    lines.append("")
    lines.append(f"{len(units)} unit: {n['ok']} dibuat, {n['skipped']} tidak berubah (dilewati), "
                 f"{n['failed']} gagal; {number(result.duration, 1)} detik.")
    if result.recap:
        r = result.recap
        what = {"ok": "dibuat", "skipped": "tidak berubah", "failed": f"GAGAL: {r.get('cause')}"}[r["status"]]
        files = ", ".join(o["path"] for o in r.get("outputs", {}).values()) or "rekap_skm"
        lines.append(f"Rekap: {files} {what}.")
    lines.append(f"Hasil: {result.out}  (ringkasan.csv, manifest.json, log per unit di _batch/logs/)")
    if result.failed:
        lines.append(f"GAGAL: {', '.join(u['id'] for u in result.failed)}. Lihat kolom Keterangan dan log-nya.")
    return "\n".join(lines)


def write_summary(result: BatchResult, prepared) -> None:
    frame = summary_frame(result)
    # a unit named like a formula ("=HYPERLINK(...)") stays text in a spreadsheet (OWASP CSV injection)
    write_atomic(result.out / "ringkasan.csv", csv_safe_frame(frame).to_csv(index=False))
    write_atomic(result.out / "ringkasan.json",
                 json.dumps(frame.to_dict("records"), ensure_ascii=False, indent=1, default=json_default))


def write_manifest(result: BatchResult, common, executor, jobs, fresh) -> None:
    keep = ("id", "unit", "status", "cause", "cell", "respondents", "ikm", "mutu", "formats", "input_hash",
            "inputs", "outputs", "duration_s", "steps", "log", "notebook")
    manifest = {
        "skmkit": __version__, "kit": common["kit"], "versions": _versions(),
        "notebook": {"name": common["notebook_name"], "sha256": common["notebook"]},
        "template_sha256": common["template"],
        "executor": executor, "jobs": jobs or os.cpu_count(), "fresh_kernels": bool(fresh),
        "units": [{k: u.get(k) for k in keep} for u in result.units],
        "recap": result.recap and {k: result.recap.get(k) for k in keep if k in result.recap},
        "totals": {s: sum(u["status"] == s for u in result.units) for s in STATUS_LABELS},
        "duration_s": result.duration,
    }
    write_atomic(result.out / "manifest.json",
                 json.dumps(manifest, ensure_ascii=False, indent=1, default=json_default) + "\n")
