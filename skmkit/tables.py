"""Display tables: Indonesian-formatted text and DataFrames for terminals and reports."""
from __future__ import annotations

from .fmt import number

__all__ = ["ikm_text"]


def _grid(header: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    def fmt(r):
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
    line = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(header), line] + [fmt(r) for r in rows])


def ikm_text(result: dict) -> str:
    """Format :func:`skmkit.api.ikm_report` output as text tables (values rounded for display)."""
    method = result["method"]
    out = []
    groups = result["groups"]
    if len(groups) > 1:
        col = next(iter(groups[0]["group"]))
        rows = [[g["group"][col], number(g["respondents"]), number(g["ikm"], 2), g["mutu"], g["kinerja"],
                 f"{number(g['ci95'][0], 2)} - {number(g['ci95'][1], 2)}" if g["ci95"][0] is not None else "-"]
                + [number(g["unsur"][k]["nrr"], 2) for k in method["unsur"]]
                for g in groups]
        out.append(_grid([col, "Responden", "IKM", "Mutu", "Kinerja", "SK 95%"] + method["unsur"], rows,
                         right={1, 2, 5} | set(range(6, 6 + len(method["unsur"])))))
    else:
        g = groups[0]
        rows = [[k, u["nama"] if "nama" in u else k, number(u["filled"]), number(u["nrr"], 2),
                 number(u["converted"], 2), u["mutu"]] for k, u in g["unsur"].items()]
        out.append(_grid(["Unsur", "Nama", "Terisi", "NRR", "Konversi", "Mutu"], rows, right={2, 3, 4}))
        ci = (f" (selang kepercayaan 95%: {number(g['ci95'][0], 2)} - {number(g['ci95'][1], 2)})"
              if g["ci95"][0] is not None else "")
        out.append(f"\nIKM = {number(g['ikm'], 2)}{ci}, mutu {g['mutu']} ({g['kinerja']}), "
                   f"{number(g['respondents'])} responden.")
    out.append(f"Bobot {method['weight_label']}; pembulatan {method['rounding']}.")
    return "\n".join(out)
