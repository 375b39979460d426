"""The result of `skmkit ikm` as terminal text: aligned columns, Indonesian numbers, the unsur left out said."""
from __future__ import annotations

from .fmt import number
from .nrr import unsur_note

__all__ = ["ikm_text"]


def _grid(header: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    def fmt(r):
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
    line = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(header), line] + [fmt(r) for r in rows])


def ikm_text(result: dict) -> str:
    """Format :func:`skmkit.ikm_json.ikm_report` output as text tables (values rounded for display).

    An unsur nobody answered shows "-" and the IKM says what it was computed
    from ("dihitung dari 8 unsur; U4 ... tidak dijawab"); groups with no answer
    at all are listed as not computed.
    """
    method = result["method"]
    out = []
    groups = result["groups"]
    keys = method["unsur"]
    if len(groups) > 1:
        col = next(iter(groups[0]["group"]))
        rows = [[g["group"][col], number(g["respondents"]), number(g["ikm"], 2), g["mutu"], g["kinerja"],
                 f"{number(g['ci95'][0], 2)} - {number(g['ci95'][1], 2)}" if g["ci95"][0] is not None else "-"]
                + [number(g["unsur"][k]["nrr"], 2) for k in keys]
                for g in groups]
        out.append(_grid([col, "Responden", "IKM", "Mutu", "Kinerja", "SK 95%"] + keys, rows,
                         right={1, 2, 5} | set(range(6, 6 + len(keys)))))
        for g in groups:
            note = _coverage(g, keys, method)
            if note:
                out.append(f"{g['group'][col]}: IKM {note}.")
    else:
        g = groups[0]
        rows = [[k, u["nama"] if "nama" in u else k, number(u["filled"]), number(u["nrr"], 2),
                 number(u["converted"], 2), u["mutu"] or "-"] for k, u in g["unsur"].items()]
        out.append(_grid(["Unsur", "Nama", "Terisi", "NRR", "Konversi", "Mutu"], rows, right={2, 3, 4}))
        ci = (f" (selang kepercayaan 95%: {number(g['ci95'][0], 2)} - {number(g['ci95'][1], 2)})"
              if g["ci95"][0] is not None else "")
        note = _coverage(g, keys, method)
        out.append(f"\nIKM = {number(g['ikm'], 2)}{ci}, mutu {g['mutu']} ({g['kinerja']}), "
                   f"{number(g['respondents'])} responden" + (f"; {note}" if note else "") + ".")
    for skipped in result.get("tidak_dihitung", []):
        (col, value), = skipped["group"].items()
        out.append(f"{col} '{value}': IKM tidak dihitung ({skipped['alasan']}).")
    weight = method["weight_label"]
    if any(len(g.get("unsur_dinilai", keys)) < len(keys) for g in groups) and not method.get("legacy_weight"):
        weight = f"1/X untuk X unsur yang dijawab ({weight} bila semua dijawab)"
    out.append(f"Bobot {weight}; pembulatan {method['rounding']}.")
    return "\n".join(out)


def _coverage(g: dict, keys, method) -> str:
    """"dihitung dari 8 unsur; U4 (Biaya/Tarif) tidak dijawab ..." for a group with an unsur left out."""
    return unsur_note(g.get("unsur_dinilai", keys), {k: g["unsur"][k].get("nama", k) for k in keys})
