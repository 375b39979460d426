"""The results site: a static ``index.html`` and a page per unit, in a batch's output folder.

What the public and PEKPPP evaluators read: every unit with its IKM, mutu,
respondents and change since the last period, links to each of its files, the
institution's IKM over time, and the publication list with SHA-256 hashes.

Self-contained and static: relative links only (the folder can be copied to
any web host or a USB stick), no CDN or external script, readable without
JavaScript (a small inline script sorts and filters the table), Indonesian,
``lang="id"``, text alternatives for the charts, dark text on light ground,
printable. Same inputs, same bytes: no timestamps, no random ids.

- :func:`write_site` writes ``index.html``, ``unit/<id>.html``, ``publikasi.html``
  and ``publikasi.json`` (the publication list it keeps over batches);
- :func:`index_html`, :func:`unit_html` and :func:`publications_html` build the pages (strings).
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from . import compare
from .files import file_sha256, write_atomic
from .fmt import number
from .history import IKM_ROW, institution_trend, period_table
from .html import escape as e
from .survey import load_survey, name_key

__all__ = ["write_site", "index_html", "unit_html", "publications_html", "FILE_LABELS", "PUBLICATION_LOG"]

#: Link text per output format of a unit (any other format is shown by its name).
FILE_LABELS = {"html": "HTML", "pdf": "PDF", "docx": "Word", "xlsx": "XLSX", "banner": "Banner"}
#: The publication list kept across batches in the output folder.
PUBLICATION_LOG = "publikasi.json"

_CSS = """
:root{--ink:#1b1b1b;--muted:#4a4a4a;--line:#c9ced6;--navy:#0b3d6b;--bg:#ffffff;--alt:#f3f5f8}
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",Arial,sans-serif;color:var(--ink);background:var(--bg);margin:0 auto;
max-width:72rem;padding:1rem 1.25rem 3rem;line-height:1.45;font-size:15px}
h1{color:var(--navy);font-size:1.6rem;margin:.5rem 0 .25rem}h2{color:var(--navy);font-size:1.2rem;margin-top:2rem}
p.lead{color:var(--muted);margin-top:0}
a{color:#0a4a8a}a:focus{outline:3px solid #f0b400}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}
caption{text-align:left;font-weight:bold;padding:.25rem 0;color:var(--navy)}
th,td{border:1px solid var(--line);padding:.3rem .45rem;vertical-align:top;text-align:left}
th{background:#e6ebf2}tbody tr:nth-child(even){background:var(--alt)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.m{display:inline-block;min-width:1.4em;text-align:center;font-weight:bold;border-radius:3px;padding:0 .2em}
.m-A{background:#d7efe1;color:#0f4d2d}.m-B{background:#d9e7f5;color:#173f66}
.m-C{background:#fbedc2;color:#5c4300}.m-D{background:#f6d5d1;color:#7a1d12}
.up{color:#0f5a33}.down{color:#8f1d10}.same,.na{color:var(--muted)}
.files a{margin-right:.5em;white-space:nowrap}
th button{font:inherit;font-weight:bold;background:none;border:0;padding:0;cursor:pointer;color:inherit;text-align:inherit}
th[aria-sort=ascending] button::after{content:" \\25b2"}th[aria-sort=descending] button::after{content:" \\25bc"}
#cari{font:inherit;padding:.3rem .5rem;width:min(24rem,100%);border:1px solid #767676}
svg{max-width:100%;height:auto}svg text{font-family:"DejaVu Sans",Arial,sans-serif;font-size:11px;fill:#1b1b1b}
.hash{font-family:"DejaVu Sans Mono",monospace;font-size:.75rem;word-break:break-all}
footer{margin-top:2rem;color:var(--muted);font-size:.85rem}
@media print{body{max-width:none;font-size:10pt}a{color:inherit;text-decoration:none}#cari,.noprint{display:none}
tr{break-inside:avoid}thead{display:table-header-group}}
""".strip()

# Sorts the units table by a column (numbers by their data-v value) and filters it by unit name.
_SCRIPT = """
(function(){var t=document.getElementById("unit");if(!t)return;var b=t.tBodies[0];
var f=document.getElementById("cari-wrap");f.hidden=false;
document.getElementById("cari").addEventListener("input",function(ev){var q=ev.target.value.toLowerCase();
Array.prototype.forEach.call(b.rows,function(r){r.hidden=r.cells[0].textContent.toLowerCase().indexOf(q)<0;});});
Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){if(th.dataset.sort===undefined)return;
var btn=document.createElement("button");btn.type="button";btn.textContent=th.textContent;th.textContent="";
th.appendChild(btn);btn.addEventListener("click",function(){var asc=th.getAttribute("aria-sort")!=="ascending";
Array.prototype.forEach.call(t.tHead.rows[0].cells,function(c){c.removeAttribute("aria-sort");});
th.setAttribute("aria-sort",asc?"ascending":"descending");var num=th.dataset.sort==="n";
var rows=Array.prototype.slice.call(b.rows);rows.sort(function(x,y){var a=x.cells[i].dataset.v,c=y.cells[i].dataset.v;
if(num){a=a===""?-Infinity:+a;c=c===""?-Infinity:+c;return asc?a-c:c-a;}
a=x.cells[i].textContent;c=y.cells[i].textContent;return asc?a.localeCompare(c,"id"):c.localeCompare(a,"id");});
rows.forEach(function(r){b.appendChild(r);});});});})();
""".strip()

_VERDICT_CLASS = {compare.UP: "up", compare.DOWN: "down", compare.SAME: "same", compare.UNTESTABLE: "na"}


def _page(title: str, body: str, *, script: bool = False) -> str:
    js = f"<script>{_SCRIPT}</script>" if script else ""
    return ("<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{e(title)}</title>\n<link rel=\"icon\" href=\"data:,\">\n<style>{_CSS}</style>\n</head>\n"
            f"<body>\n{body}\n{js}\n</body>\n</html>\n")


def _mutu(m) -> str:
    return f'<span class="m m-{e(m)}">{e(m)}</span>' if isinstance(m, str) and m else "\u2013"


def _verdict(v, diff=None) -> str:
    if not v:
        return "\u2013"
    sign = "+" if diff is not None and diff >= 0 else "\u2212"
    d = "" if diff is None or diff != diff else f" ({sign}{number(abs(diff), 2)})"
    return f'<span class="{_VERDICT_CLASS[v]}">{compare.ARROWS[v]} {e(v)}{e(d)}</span>'


def _svg_trend(points, title: str, survey) -> str:
    """An inline SVG line of IKM over periods, with a title and a text description for screen readers."""
    if not points:
        return ""
    w, h, left, right, top, bottom = 640, 220, 44, 16, 18, 42
    lo_scale, hi_scale = survey.scale_min * survey.conversion, survey.scale_max * survey.conversion
    values = [p["ikm"] for p in points]
    lo = max(lo_scale, (min(values) // 5) * 5 - 10)
    hi = hi_scale
    n = len(points)
    xs = [left + (w - left - right) * (i + 0.5) / n for i in range(n)]
    ys = [top + (h - top - bottom) * (hi - v) / (hi - lo) for v in values]
    desc = "; ".join(f"{p['period']}: {number(p['ikm'], 2)}" for p in points)
    parts = [f'<svg viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img">',
             f"<title>{e(title)}: {e(desc)}</title>"]
    for tick in range(int(lo), int(hi) + 1, 5 if hi - lo <= 40 else 10):
        y = top + (h - top - bottom) * (hi - tick) / (hi - lo)
        parts.append(f'<line x1="{left}" x2="{w - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dde2e8"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    parts.append('<polyline fill="none" stroke="#0b3d6b" stroke-width="2" points="'
                 + " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys)) + '"/>')
    for x, y, p in zip(xs, ys, points):
        label = p["period"] if len(p["period"]) <= 18 else p["period"][:17] + "\u2026"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#0b3d6b"/>'
                     f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle">{number(p["ikm"], 2)}</text>'
                     f'<text x="{x:.1f}" y="{h - bottom + 16}" text-anchor="middle">{e(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _files(outputs: dict, prefix: str) -> str:
    return " ".join(f'<a href="{e(prefix + o["path"])}">{e(FILE_LABELS.get(fmt, fmt.upper()))}</a>'
                    for fmt, o in outputs.items())


def _publication_log(out: Path, result, period: str) -> list[dict]:
    """The publication list: every file of every batch, by period, with its SHA-256 (kept in publikasi.json)."""
    path = out / PUBLICATION_LOG
    try:
        log = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    except ValueError:
        log = []
    fresh = []
    for u in result.units + ([result.recap] if result.recap else []):
        for fmt, o in (u.get("outputs") or {}).items():
            if o and o.get("sha256"):
                fresh.append({"period": period, "unit": u["unit"], "format": fmt, "path": o["path"],
                              "sha256": o["sha256"], "bytes": o.get("bytes")})
    keys = {(x["period"], x["path"]) for x in fresh}
    return [x for x in log if (x["period"], x["path"]) not in keys] + fresh


def _facts(history: pd.DataFrame) -> tuple[list[str], dict, dict]:
    """From the history, once: the periods in order, each unit's trend points (period_table rows, oldest
    first) and each unit's NRR and SE per unsur per period."""
    table = period_table(history)
    periods = (table[["period_start", "period"]].drop_duplicates()
               .sort_values(["period_start", "period"], kind="stable")["period"].tolist())
    points: dict = {}
    for r in table.to_dict("records"):
        points.setdefault(r["unit_key"], []).append(r)
    unsur: dict = {}
    rows = history[history["unsur"] != IKM_ROW]
    for key, period, u, nrr, se in zip(rows["unit_key"], rows["period"], rows["unsur"], rows["nrr"], rows["se"]):
        unsur.setdefault(key, {}).setdefault(period, {})[u] = {"nrr": nrr, "se": None if se != se else se}
    return periods, points, unsur


_ORDER = {compare.UP: 2, compare.SAME: 1, compare.UNTESTABLE: 0, compare.DOWN: -1}


def index_html(*, institution: str, units: list[dict], history: pd.DataFrame, survey=None, facts=None) -> str:
    """The index page: the units table (units by periods), the institution's trend, links to the unit pages
    and the publication list. ``facts``: :func:`_facts` of ``history`` when the caller has them."""
    survey = load_survey(survey)
    periods, points, _ = facts or _facts(history)
    last = periods[-1] if periods else ""
    rows = []
    for u in units:
        mine = {p["period"]: p for p in points.get(name_key(u["unit"]), [])}
        cur = mine.get(last)
        cells = [f'<td><a href="unit/{e(u["id"])}.html">{e(u["unit"])}</a></td>']
        for period in periods:
            v = mine.get(period)
            cells.append("<td class=num>\u2013</td>" if v is None else
                         f'<td class=num data-v="{v["ikm"]:.4f}">{number(v["ikm"], 2)} {_mutu(v["mutu"])}</td>')
        n = None if cur is None else cur["n"]
        cells.append(f'<td class=num data-v="{"" if n is None else n}">{"" if n is None else number(n)}</td>')
        verdict = "" if cur is None else cur["verdict"]
        cells.append(f'<td data-v="{_ORDER.get(verdict, "")}">'
                     f'{_verdict(verdict, None if cur is None else cur["diff"])}</td>')
        cells.append(f'<td class="files">{_files(u.get("outputs") or {}, "")}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = (["<th data-sort=\"t\" scope=col>Unit layanan</th>"]
            + [f'<th class=num data-sort="n" scope=col>IKM {e(p)}</th>' for p in periods]
            + ['<th class=num data-sort="n" scope=col>Responden</th>',
               '<th data-sort="n" scope=col>Perubahan</th>', "<th scope=col>Berkas</th>"])
    trend = institution_trend(history, survey=survey).to_dict("records")
    trend_rows = "".join(f"<tr><td>{e(p['period'])}</td><td class=num>{number(p['ikm'], 2)}</td>"
                         f"<td>{_mutu(p['mutu'])}</td><td class=num>{number(p['units'])}</td></tr>" for p in trend)
    latest = [ps[-1] for ps in points.values() if ps and ps[-1]["period"] == last]
    rose = sum(p["verdict"] == compare.UP for p in latest)
    fell = sum(p["verdict"] == compare.DOWN for p in latest)
    moved = (f"<p>Dibandingkan periode sebelumnya, IKM {number(rose)} unit naik dan {number(fell)} unit "
             "turun melebihi ketidakpastiannya (selang kepercayaan 95% selisihnya tidak memuat nol); selisih unit "
             "lain masih dalam batas ketidakpastian (tidak berubah berarti) atau tidak dapat diuji.</p>"
             if len(periods) > 1 else "")
    title = f"Hasil Survei Kepuasan Masyarakat {institution}".strip()
    body = (f"<header><h1>{e(title)}</h1><p class=lead>Indeks Kepuasan Masyarakat (IKM) tiap unit layanan menurut "
            f"PermenPANRB Nomor 14 Tahun 2017; periode terakhir: {e(last)}.</p>"
            '<p class=noprint><a href="#tren">Tren instansi</a> \u00b7 <a href="publikasi.html">Daftar publikasi '
            "dan sidik SHA-256</a> \u00b7 <a href=\"riwayat_skm.csv\">Riwayat hasil (CSV)</a></p></header>\n<main>\n"
            "<h2 id=unit-layanan>IKM unit layanan</h2>\n"
            "<p>Mutu pelayanan: A sangat baik, B baik, C kurang baik, D tidak baik. Perubahan: \u25b2 naik, "
            "\u25bc turun (melebihi ketidakpastian), \u25cf tidak berubah berarti, \u2013 tidak dapat diuji.</p>\n"
            '<p id=cari-wrap class=noprint hidden><label for=cari>Cari unit: </label>'
            '<input id=cari type=search autocomplete=off></p>\n'
            f'<table id=unit><caption>IKM, mutu dan berkas tiap unit ({number(len(units))} unit)</caption>'
            f"<thead><tr>{''.join(head)}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>\n"
            + moved
            + "<h2 id=tren>IKM instansi dari periode ke periode</h2>\n"
            "<p>IKM instansi di sini adalah rata-rata IKM unit (tiap unit dihitung sekali).</p>\n"
            + _svg_trend(trend, "Tren rata-rata IKM unit", survey)
            + "<table><caption>Rata-rata IKM unit per periode</caption><thead><tr><th>Periode</th>"
              "<th class=num>Rata-rata IKM</th><th>Mutu</th><th class=num>Unit</th></tr></thead><tbody>"
            + trend_rows + "</tbody></table>\n</main>\n"
            + "<footer>Dibuat dengan skmkit dari riwayat hasil <a href=\"riwayat_skm.csv\">riwayat_skm.csv</a>; "
              "<a href=\"publikasi.html\">daftar publikasi</a>.</footer>")
    return _page(title, body, script=True)


def publications_html(*, institution: str, publications: list[dict], periods: list[str], out: Path) -> str:
    """The publication list: what was published in which period, with SHA-256, as proof of publication."""
    pubs = "".join(
        f"<tr><td>{e(x['period'])}</td><td>{e(x['unit'])}</td><td>{_pub_link(x, out)}</td>"
        f"<td class=hash>{e(x['sha256'])}</td></tr>" for x in sorted(
            publications, key=lambda x: (periods.index(x["period"]) if x["period"] in periods else -1, x["path"])))
    title = f"Daftar publikasi hasil SKM {institution}".strip()
    body = ('<p class=noprint><a href="index.html">\u2190 Hasil semua unit</a></p>'
            f"<header><h1>{e(title)}</h1></header><main>"
            "<p>Berkas yang diterbitkan tiap periode dengan sidik SHA-256 sebagai bukti publikasi: berkas yang "
            "diunduh dapat diperiksa dengan <code>sha256sum</code>. Berkas periode lama yang telah diganti tidak "
            "lagi ditautkan; sidiknya tetap dicatat.</p>"
            "<table><caption>Publikasi hasil SKM</caption><thead><tr><th>Periode</th><th>Unit</th><th>Berkas</th>"
            "<th>SHA-256</th></tr></thead><tbody>" + pubs + "</tbody></table></main>")
    return _page(title, body)


def _pub_link(x: dict, out: Path) -> str:
    path = out / x["path"]
    if path.is_file() and file_sha256(path) == x["sha256"]:
        return f'<a href="{e(x["path"])}">{e(x["path"])}</a>'
    return f"{e(x['path'])} (diganti)"


def unit_html(*, institution: str, unit: dict, points: list[dict], unsur: dict, survey=None) -> str:
    """A unit's page: its IKM over the periods with each change judged, the per-unsur change, its files.

    ``points``: the unit's :func:`skmkit.history.period_table` rows, oldest first; ``unsur``: period ->
    unsur key -> ``{nrr, se}``.
    """
    survey = load_survey(survey)
    rows = "".join(f"<tr><td>{e(p['period'])}</td><td class=num>{number(p['ikm'], 2)}</td><td>{_mutu(p['mutu'])}</td>"
                   f"<td class=num>{'' if p['n'] is None else number(p['n'])}</td>"
                   f"<td>{_verdict(p['verdict'], p['diff'])}</td></tr>" for p in points)
    unsur_part = ""
    if len(points) > 1:
        before, after = points[-2]["period"], points[-1]["period"]
        ch = compare.unsur_changes({"unsur": unsur.get(before, {})}, {"unsur": unsur.get(after, {})}, survey=survey)
        unsur_part = ("<h2>Perubahan per unsur</h2><table><caption>NRR per unsur: "
                      f"{e(before)} dan {e(after)}</caption><thead><tr><th>Unsur</th>"
                      "<th class=num>Sebelumnya</th><th class=num>Terakhir</th><th>Perubahan</th></tr></thead><tbody>"
                      + "".join(f"<tr><td>{e(c['nama'])} ({e(c['key'])})</td><td class=num>{_nrr(c['before'])}</td>"
                                f"<td class=num>{number(c['after'], 2)}</td><td>{_verdict(c['verdict'], c['diff'])}</td>"
                                "</tr>" for c in ch) + "</tbody></table>")
    files = _files(unit.get("outputs") or {}, "../")
    title = f"{unit['unit']} \u2014 Hasil SKM"
    body = (f'<p class=noprint><a href="../index.html">\u2190 Semua unit {e(institution)}</a></p>'
            f"<header><h1>{e(unit['unit'])}</h1><p class=lead>Indeks Kepuasan Masyarakat dari periode ke periode."
            "</p></header><main>"
            + (f"<p class=files>Berkas periode terakhir: {files}</p>" if files else "")
            + _svg_trend(points, f"Tren IKM {unit['unit']}", survey)
            + "<table><caption>IKM per periode</caption><thead><tr><th>Periode</th><th class=num>IKM</th><th>Mutu</th>"
              "<th class=num>Responden</th><th>Perubahan</th></tr></thead><tbody>" + rows + "</tbody></table>"
            + unsur_part + "</main>")
    return _page(title, body)


def _nrr(v) -> str:
    return "\u2013" if v is None else number(v, 2)


def write_site(out, *, result, history: pd.DataFrame, institution: str = "", survey=None) -> list[Path]:
    """Write ``index.html``, ``unit/<id>.html``, ``publikasi.html`` and ``publikasi.json`` into the output folder.

    Parameters
    ----------
    out : Path
        The batch's output folder.
    result : skmkit.batch.BatchResult
        The batch's units (id, unit, status, outputs with their SHA-256).
    history : pandas.DataFrame
        The results history (:func:`skmkit.history.read_history`).

    Returns
    -------
    list of Path
        The pages written.
    """
    out = Path(out)
    params = next((u.get("inputs", {}).get("params") or {} for u in result.units if u.get("inputs")), {})
    institution = institution or params.get("institution") or ""
    if survey is None and params.get("survey"):
        survey = out / params["survey"]
    survey = load_survey(survey)
    units = [u for u in result.units if u["status"] != "failed"]
    publications = _publication_log(out, result, params.get("period") or "")
    write_atomic(out / PUBLICATION_LOG, json.dumps(publications, ensure_ascii=False, indent=1) + "\n")
    facts = _facts(history)
    periods, points, unsur = facts
    pages = [out / "index.html", out / "publikasi.html"]
    _write(pages[0], index_html(institution=institution, units=units, history=history, survey=survey, facts=facts))
    _write(pages[1], publications_html(institution=institution, publications=publications, periods=periods, out=out))
    (out / "unit").mkdir(exist_ok=True)
    for u in units:
        page = out / "unit" / f"{u['id']}.html"
        key = name_key(u["unit"])
        _write(page, unit_html(institution=institution, unit=u, points=points.get(key, []), unsur=unsur.get(key, {}),
                               survey=survey))
        pages.append(page)
    return pages


def _write(path: Path, text: str) -> None:
    blob = text.encode("utf-8")
    if not path.is_file() or path.read_bytes() != blob:
        write_atomic(path, blob)
