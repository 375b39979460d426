"""The auditable Excel workbook of one unit: scores in, live formulas out.

An auditor or a PEKPPP evaluator opens ``<unit>.xlsx`` and checks every number
in Excel itself: the per-unsur totals, NRR, weighted NRR, converted values, the
IKM and the mutu are formulas over the per-respondent scoring sheet, not pasted
values. Every formula also carries the value skmkit computed for it (its
cached result), so pandas, R, previews and Excel's Protected View show the
numbers too; Excel and LibreOffice recalculate on open. The sheets:

``Tabulasi``
    One row per respondent: profile fields and the unsur scores (blank = not
    answered, never zero). Categories are written in one spelling per
    category (:func:`canonical_categories`), so the sheet's ``COUNTIF``, which
    ignores case, counts what the kit counts.
``NRR``
    Per unsur ``SUM``/``COUNT``, NRR, weighted NRR, converted value and mutu;
    the IKM, its mutu and kinerja; the weight, the conversion and the band
    table the formulas use; skmkit's own IKM as a cross-check.
``Layanan``
    NRR, IKM and mutu per jenis layanan (``SUMPRODUCT`` over the rows whose
    service equals the name in column A), when the data name the service.
``Profil``
    Respondent counts per jenis kelamin, pendidikan, pekerjaan and jenis
    layanan (``COUNTIF`` over the scoring sheet).
``RTL``
    The follow-up plan: the three lowest unsur by NRR (ties by unsur order)
    and every unsur in mutu C or D.
``Saran``
    The free-text saran/masukan, always stored as text (a saran starting with
    ``=`` never becomes a formula), phone numbers and e-mail addresses masked.
``Keterangan``
    Source file, its SHA-256, the method and what was left out.

Only an explicit list of columns is written: names, phone numbers and any
other column the reader did not recognise never reach the workbook. Every
sheet is set up to print on A4 as is (:mod:`skmkit.xlsx`). The bytes are
deterministic (fixed document dates and zip entry dates).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import schema
from .files import output_dir, slugify, write_atomic
from .narrative import mask_personal, ranked_unsur
from .prepared import as_prepared, prepare_unit
from .profile import BLANK, canonical_rows, profile_counts, usia_criteria
from .xlsx import STYLE, Book, col, print_setup, xl_sum

__all__ = ["workbook_bytes", "write_workbook"]

_PROFILE_TITLES = {"jenis_kelamin": "Jenis Kelamin", "usia": "Kelompok Usia", "pendidikan": "Pendidikan Terakhir",
                   "pekerjaan": "Pekerjaan Utama", "layanan": "Jenis Layanan"}
_SEX_LABELS = {"L": "Laki-laki (L)", "P": "Perempuan (P)"}
#: Profile columns whose values are categories (grouped ignoring case and spacing).

#: Number formats. Excel shows them with the reader's locale separators, so an
#: Indonesian Excel shows 87,28 and 1.250.
FMT_SCORE = "0"
FMT_COUNT = "#,##0"
FMT_NRR = "0.00"
FMT_WEIGHTED = "0.0000"
FMT_VALUE = "0.00"
FMT_PERCENT = "0.0%"
FMT_DATE = "dd/mm/yyyy hh:mm"

#: What a formula shows for an unsur nobody answered (never 0, never "nan").
NOT_ANSWERED = "tidak dijawab"
_DASH = "-"

#: Fixed document date written into docProps/core.xml and every zip entry.

_BOX, _HEAD, _NOTE, _WRAP = STYLE["box"], STYLE["head"], STYLE["note"], STYLE["wrap"]
_BOLD, _SUB, _KEY, _TITLE = STYLE["bold"], STYLE["sub"], STYLE["key"], STYLE["title"]
_CENTER = {**_BOX, "align": "center"}


# -- what goes in ---------------------------------------------------------------
def _counts(rows: pd.DataFrame, column: str) -> list[tuple[str, int]]:
    """Categories of a profile column with their counts, by the kit's one rule
    (:func:`skmkit.profile.profile_counts`) over one spelling per category; blanks get
    their own formula row."""
    t = profile_counts(canonical_rows(rows[[column]]) if column in rows.columns else rows, column)
    return [(c, int(n)) for c, n in zip(t["kategori"], t["jumlah"]) if c != BLANK]


def _blank(v) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v))


def _score(v):
    return int(v) if float(v).is_integer() else float(v)


def _is_number(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _values(rows: pd.DataFrame, survey, weight: float) -> dict:
    """Every number the NRR sheet's formulas give, computed as the formulas compute them.

    Sums are exact sums rounded once (what a spreadsheet's ``SUM`` gives for
    these few terms); products and quotients are the same IEEE operations in
    the same order as in the formulas.
    """
    conv = float(survey.conversion)
    unsur = {}
    for key in survey.keys:
        scores = [_score(v) for v in rows[key] if not _blank(v)]
        total, filled = xl_sum(scores), len(scores)
        unsur[key] = {"total": int(total) if float(total).is_integer() else total, "filled": filled,
                      "nrr": total / filled if filled else None}
    answered = [k for k in survey.keys if unsur[k]["filled"]]
    weight = float(weight)  # the prepared unit's weight: 1/X over the unsur answered, or the legacy one scaled
    for u in unsur.values():
        if u["nrr"] is not None:
            u["weighted"], u["converted"] = u["nrr"] * weight, u["nrr"] * conv
            u["band"] = survey.band(u["converted"])
    raw = xl_sum(u["weighted"] for u in unsur.values() if u["nrr"] is not None)
    return {"unsur": unsur, "weight": weight, "conv": conv, "raw": raw, "ikm": raw * conv,
            "band": survey.band(raw * conv), "answered": answered, "respondents": len(rows)}


# -- the sheets ---------------------------------------------------------------------
_TAB_FIELDS = [  # canonical column, header, width
    ("tanggal", "Tanggal", 17),
    ("layanan", "Jenis Layanan", 24),
    ("jenis_kelamin", "JK", 5),
    ("usia", "Usia", 6),
    ("pendidikan", "Pendidikan", 11),
    ("pekerjaan", "Pekerjaan", 12),
]
_TAB_FIRST = 5  # header row of the scoring table


def _header(sh, row, titles, widths=None):
    if widths:
        sh.columns(widths)
    for i, title in enumerate(titles):
        sh.text(f"{col(i)}{row}", title, _HEAD)


def _title(sh, lines, span):
    for i, line in enumerate(lines, start=1):
        sh.text(f"A{i}", line, _TITLE if i == 1 else {**_BOLD, **_WRAP}, span=span)


def _sheet_tabulasi(book, rows, survey, heading, header_text):
    sh = book.sheet("Tabulasi")
    fields = [f for f in _TAB_FIELDS if f[0] in rows.columns]
    keys = survey.keys
    titles = ["No", "Baris data"] + [f[1] for f in fields] + keys + ["Unsur terisi"]
    _header(sh, _TAB_FIRST, titles, [5, 8] + [f[2] for f in fields] + [6] * len(keys) + [9])
    _title(sh, [f"TABULASI NILAI PER RESPONDEN - {heading[0]}", *heading[1:]], len(titles))
    sh.text("A4", "Nilai 1-4 per unsur; sel kosong = tidak dijawab (bukan nol). "
                  + ", ".join(f"{k} = {survey.names[k]}" for k in keys), _NOTE, span=len(titles))
    first = _TAB_FIRST + 1
    last = first + len(rows) - 1
    kcol = {k: col(2 + len(fields) + i) for i, k in enumerate(keys)}
    fcol = {f[0]: col(2 + i) for i, f in enumerate(fields)}
    count_col = col(2 + len(fields) + len(keys))
    score_style = {**_CENTER, "num_format": FMT_SCORE}
    filled = []
    for i, rec in enumerate(rows.to_dict("records")):
        r = first + i
        sh.number(f"A{r}", i + 1, {**_BOX, "num_format": FMT_SCORE})
        sh.number(f"B{r}", None if _blank(rec.get("_row")) else int(rec["_row"]), {**_BOX, "num_format": FMT_SCORE})
        for name, _, _ in fields:
            v, ref = rec.get(name), f"{fcol[name]}{r}"
            if _blank(v):
                sh.number(ref, None, _BOX)
            elif name == "tanggal":
                when = pd.Timestamp(v).to_pydatetime().replace(microsecond=0, tzinfo=None)
                sh.datetime(ref, when, {**_BOX, "num_format": FMT_DATE})
            elif name == "usia" and _is_number(v):
                sh.number(ref, _score(v), {**_BOX, "num_format": FMT_SCORE})
            else:
                sh.text(ref, v, _BOX)
        n = 0
        for k in keys:
            v = rec[k]
            sh.number(f"{kcol[k]}{r}", None if _blank(v) else _score(v), score_style)
            n += not _blank(v)
        sh.formula(f"{count_col}{r}", f"=COUNT({kcol[keys[0]]}{r}:{kcol[keys[-1]]}{r})", n, {**score_style, **_KEY})
        filled.append(n)
    sh.ws.freeze_panes(f"C{first}")
    sh.ws.autofilter(f"A{_TAB_FIRST}:{count_col}{last}")
    print_setup(sh, landscape=True, title_rows=(_TAB_FIRST, _TAB_FIRST), header=header_text)
    return {"first": first, "last": last, "keys": kcol, "fields": fcol, "count": count_col}


def _sheet_nrr(book, tab, survey, summary, v, heading, header_text, weight_label=""):
    sh = book.sheet("NRR")
    titles = ["No", "Unsur", "Nama unsur", "Jumlah nilai", "Jumlah terisi", "NRR", "NRR tertimbang",
              "Nilai konversi", "Mutu", "Kinerja"]
    head = 7
    _header(sh, head, titles, [5, 7, 38, 11, 10, 9, 11, 11, 7, 13])
    _title(sh, [f"NILAI RATA-RATA (NRR) PER UNSUR DAN IKM - {heading[0]}", *heading[1:]], len(titles))
    first, last = tab["first"], tab["last"]
    n_keys = len(survey.keys)
    rows_first, rows_last = head + 1, head + n_keys

    # Parameters the formulas use: label A:C, value D, note E:J.
    sh.text("A4", "Bobot per unsur", _BOLD, span=3)
    if survey.legacy_weight:
        sh.number("D4", v["weight"], {**_KEY, **_BOX, "num_format": "0.0000"})
        sh.text("E4", f"{weight_label}: hanya untuk mencocokkan laporan lama, bukan 1/jumlah unsur",
                _NOTE, span=6)
    else:
        sh.formula("D4", f"=1/COUNT(F{rows_first}:F{rows_last})", v["weight"],
                   {**_KEY, **_BOX, "num_format": FMT_WEIGHTED})
        rule = f" ({survey.regulation})" if survey.regulation else ""
        sh.text("E4", f"1/jumlah unsur yang dijawab{rule}; di sini {weight_label}", _NOTE, span=6)
    sh.text("A5", "Konversi", _BOLD, span=3)
    sh.number("D5", v["conv"], {**_KEY, **_BOX, "num_format": "0"})
    sh.text("E5", "nilai konversi = NRR x konversi; IKM = jumlah NRR tertimbang x konversi", _NOTE, span=6)

    bands = sorted(survey.bands, key=lambda b: b.min)
    band_head = rows_last + 10
    b_first, b_last = band_head + 1, band_head + len(bands)
    lo = f"$H${b_first}:$H${b_last}"
    mutu_rng, kin_rng = f"$I${b_first}:$I${b_last}", f"$J${b_first}:$J${b_last}"
    num = lambda fmt, **extra: {**_BOX, "num_format": fmt, **extra}  # noqa: E731
    for i, key in enumerate(survey.keys):
        r, u = head + 1 + i, v["unsur"][key]
        rng = f"Tabulasi!{tab['keys'][key]}{first}:{tab['keys'][key]}{last}"
        ok = u["nrr"] is not None
        sh.number(f"A{r}", i + 1, _BOX)
        sh.text(f"B{r}", key, _BOX)
        sh.text(f"C{r}", survey.names[key], {**_BOX, **_WRAP})
        sh.formula(f"D{r}", f"=SUM({rng})", u["total"], num(FMT_COUNT))
        sh.formula(f"E{r}", f"=COUNT({rng})", u["filled"], num(FMT_COUNT))
        sh.formula(f"F{r}", f'=IF(E{r}>0,D{r}/E{r},"{NOT_ANSWERED}")', u["nrr"] if ok else NOT_ANSWERED,
                   num(FMT_NRR))
        sh.formula(f"G{r}", f'=IF(E{r}>0,F{r}*$D$4,"{_DASH}")', u["weighted"] if ok else _DASH, num(FMT_WEIGHTED))
        sh.formula(f"H{r}", f'=IF(E{r}>0,F{r}*$D$5,"{_DASH}")', u["converted"] if ok else _DASH, num(FMT_VALUE))
        sh.formula(f"I{r}", f'=IF(E{r}>0,LOOKUP(ROUND(H{r},2),{lo},{mutu_rng}),"{_DASH}")',
                   u["band"].mutu if ok else _DASH, _CENTER)
        sh.formula(f"J{r}", f'=IF(E{r}>0,LOOKUP(ROUND(H{r},2),{lo},{kin_rng}),"{_DASH}")',
                   u["band"].kinerja if ok else _DASH, _BOX)

    r = rows_last + 1
    sh.text(f"A{r}", "Jumlah NRR tertimbang (IKM skala 1-4)", {**_BOLD, **_SUB, **_BOX}, span=6)
    sh.formula(f"G{r}", f"=SUM(G{rows_first}:G{rows_last})", v["raw"],
               {**_BOLD, **_SUB, **_BOX, "num_format": FMT_WEIGHTED})
    raw = f"G{r}"

    r += 2
    cells = {}
    for name, label in [("respondents", "Jumlah responden"), ("ikm", "IKM (jumlah NRR tertimbang x konversi)"),
                        ("mutu", "Mutu pelayanan"), ("kinerja", "Kinerja unit pelayanan")]:
        sh.text(f"A{r}", label, {**_BOLD, **_BOX}, span=6)
        cells[name] = f"G{r}"
        r += 1
    counted = f'Tabulasi!{tab["count"]}{first}:{tab["count"]}{last}'
    sh.formula(cells["respondents"], f'=COUNTIF({counted},">0")', v["respondents"], num(FMT_COUNT, bold=True))
    sh.formula(cells["ikm"], f"={raw}*$D$5", v["ikm"],
               num(FMT_VALUE, bold=True, font_size=14, font_color="#1F4E79", **_SUB))
    sh.need(int(cells["ikm"][1:]) - 1, 21)
    sh.formula(cells["mutu"], f"=LOOKUP(ROUND({cells['ikm']},2),{lo},{mutu_rng})", v["band"].mutu,
               {**_CENTER, **_BOLD})
    sh.formula(cells["kinerja"], f"=LOOKUP(ROUND({cells['ikm']},2),{lo},{kin_rng})", v["band"].kinerja,
               {**_BOX, **_BOLD})

    # skmkit's own number as a cross-check an auditor can see.
    sh.text(f"A{r}", "Pemeriksaan: IKM menurut skmkit", _NOTE, span=6)
    sh.number(f"G{r}", float(summary["ikm"]), {**_NOTE, "num_format": FMT_VALUE})
    agree = abs(v["ikm"] - float(summary["ikm"])) < 0.000001
    sh.formula(f"H{r}", f'=IF(ABS({cells["ikm"]}-G{r})<0.000001,"cocok","BERBEDA")',
               "cocok" if agree else "BERBEDA", _NOTE)

    # The band table the LOOKUPs read (ascending lower bounds).
    sh.text(f"A{band_head - 1}", "Tabel mutu: nilai dibulatkan 2 desimal lalu dibandingkan dengan batas bawah",
            {**_BOLD, **_WRAP}, span=len(titles))
    for c, t in zip("HIJ", ["Batas bawah", "Mutu", "Kinerja"]):
        sh.text(f"{c}{band_head}", t, _HEAD)
    for i, b in enumerate(bands):
        rr = b_first + i
        sh.number(f"H{rr}", float(b.min), num(FMT_VALUE))
        sh.text(f"I{rr}", b.mutu, _CENTER)
        sh.text(f"J{rr}", b.kinerja, _BOX)
    sh.text(f"A{b_last + 2}", "Semua angka di atas adalah rumus Excel atas sheet Tabulasi; pembulatan hanya untuk "
                              "tampilan. Sel kosong pada Tabulasi tidak dihitung sebagai nol.", _NOTE, span=len(titles))
    sh.ws.freeze_panes(f"A{head + 1}")
    print_setup(sh, landscape=True, header=header_text, one_page=True)
    return {"rows": {k: head + 1 + i for i, k in enumerate(survey.keys)}, **cells,
            "bands": (f"NRR!{lo}", f"NRR!{mutu_rng}")}


def _sheet_layanan(book, rows, tab, nrr, survey, v, heading, header_text):
    """IKM per jenis layanan, pooled over that service's respondents, as formulas."""
    services = [s for s, n in _counts(rows, "layanan") if n]
    if "layanan" not in tab["fields"] or not services:
        return
    sh = book.sheet("Layanan")
    keys = survey.keys
    titles = ["Jenis layanan", "Responden", *keys, "IKM", "Mutu"]
    _header(sh, 6, titles, [26, 10] + [7] * len(keys) + [9, 7])
    _title(sh, [f"NRR DAN IKM PER JENIS LAYANAN - {heading[0]}", *heading[1:]], len(titles))
    weight = ("bobot lama x konversi (sheet NRR)" if survey.legacy_weight
              else "rata-rata NRR unsur yang dijawab x konversi (sheet NRR)")
    sh.text("A4", "NRR = jumlah nilai unsur / jumlah jawaban terisi, hanya responden jenis layanan itu; "
                  f"IKM = {weight}.", _NOTE, span=len(titles))
    first, last = tab["first"], tab["last"]
    lcol = tab["fields"]["layanan"]
    lay = f"Tabulasi!${lcol}${first}:${lcol}${last}"
    lo, mutu_rng = nrr["bands"]
    nrr_fmt = {**_BOX, "num_format": FMT_NRR}
    for i, service in enumerate(services):
        r = 7 + i
        part = rows[rows["layanan"] == service]
        sh.text(f"A{r}", service, {**_BOX, **_WRAP})
        match = f"({lay}=$A{r})"  # the service named in column A; "=" ignores case, as the kit's grouping
        sh.formula(f"B{r}", f"=SUMPRODUCT({match}*1)", len(part), {**_BOX, "num_format": FMT_COUNT})
        nrrs = []
        for j, key in enumerate(keys):
            c = tab["keys"][key]
            rng = f"Tabulasi!${c}${first}:${c}${last}"
            scores = [_score(x) for x in part[key] if not _blank(x)]
            value = xl_sum(scores) / len(scores) if scores else _DASH
            nrrs.append(value)
            filled = f"SUMPRODUCT({match}*ISNUMBER({rng}))"
            sh.formula(f"{col(2 + j)}{r}", f'=IF({filled}>0,SUMPRODUCT({match}*{rng})/{filled},"{_DASH}")', value,
                       nrr_fmt)
        span = f"{col(2)}{r}:{col(1 + len(keys))}{r}"
        answered = [x for x in nrrs if x != _DASH]
        if survey.legacy_weight:
            formula, ikm = f"=SUM({span})*NRR!$D$4*NRR!$D$5", xl_sum(answered) * v["weight"] * v["conv"]
        else:
            formula, ikm = f"=SUM({span})/COUNT({span})*NRR!$D$5", xl_sum(answered) / len(answered) * v["conv"]
        ikm_ref = f"{col(2 + len(keys))}{r}"
        sh.formula(ikm_ref, formula, ikm, {**_BOX, **_BOLD, "num_format": FMT_VALUE})
        sh.formula(f"{col(3 + len(keys))}{r}", f"=LOOKUP(ROUND({ikm_ref},2),{lo},{mutu_rng})", survey.band(ikm).mutu,
                   _CENTER)
    print_setup(sh, landscape=True, title_rows=(6, 6), header=header_text)


def _criterion(value: str) -> str:
    """A COUNTIF criterion that matches exactly this text (wildcards and quotes escaped)."""
    v = value.replace("~", "~~").replace("*", "~*").replace("?", "~?").replace('"', '""')
    return "=" + v


def _sheet_profil(book, rows, tab, nrr, heading, header_text):
    sh = book.sheet("Profil")
    sh.columns([34, 12, 12])
    _title(sh, [f"PROFIL RESPONDEN - {heading[0]}", *heading[1:]], 3)
    first, last = tab["first"], tab["last"]
    n = len(rows)
    resp = f"NRR!{nrr['respondents']}"
    count_fmt, pct_fmt = {**_BOX, "num_format": FMT_COUNT}, {**_BOX, "num_format": FMT_PERCENT}
    r = 5
    for column, title in _PROFILE_TITLES.items():
        if column not in tab["fields"]:
            continue
        c = tab["fields"][column]
        rng = f"Tabulasi!${c}${first}:${c}${last}"
        for cc, t in zip("ABC", [title, "Jumlah", "Persentase"]):
            sh.text(f"{cc}{r}", t, _HEAD)
        r += 1
        top, counts, shares = r, [], []
        if column == "usia":  # age groups by the kit's one rule (profile.usia_criteria), as COUNTIFS
            groups = dict(usia_criteria())
            cats = [(g, k) for g, k in _counts(rows, column) if g in groups]
        else:
            cats = _counts(rows, column)
        for value, k in cats:
            label = _SEX_LABELS.get(value, value) if column == "jenis_kelamin" else value
            sh.text(f"A{r}", label, {**_BOX, **_WRAP})
            if column == "usia":
                tests = ",".join(f'{rng},"{op}{bound}"' for op, bound in groups[value])
                sh.formula(f"B{r}", f"=COUNTIFS({tests})", k, count_fmt)
            else:
                sh.formula(f"B{r}", f'=COUNTIF({rng},"{_criterion(value)}")', k, count_fmt)
            sh.formula(f"C{r}", f"=IF({resp}>0,B{r}/{resp},0)", k / n, pct_fmt)
            counts.append(k)
            shares.append(k / n)
            r += 1
        blank = n - int(xl_sum(counts))
        sh.text(f"A{r}", "Tidak diisi", {**_BOX, **_NOTE})
        sh.formula(f"B{r}", f"={resp}-SUM(B{top}:B{r - 1})", blank, count_fmt)
        sh.formula(f"C{r}", f"=IF({resp}>0,B{r}/{resp},0)", blank / n, pct_fmt)
        counts.append(blank)
        shares.append(blank / n)
        r += 1
        sh.text(f"A{r}", "Jumlah", {**_BOLD, **_SUB, **_BOX})
        sh.formula(f"B{r}", f"=SUM(B{top}:B{r - 1})", int(xl_sum(counts)), {**count_fmt, **_BOLD, **_SUB})
        sh.formula(f"C{r}", f"=SUM(C{top}:C{r - 1})", xl_sum(shares), {**pct_fmt, **_BOLD, **_SUB})
        r += 2
    print_setup(sh, header=header_text)


def _sheet_rtl(book, summary, nrr, v, rtl, survey, heading, header_text):
    sh = book.sheet("RTL")
    titles = ["No", "Prioritas Unsur", "Nilai konversi", "Mutu", "Alasan", "Program/Kegiatan", "Waktu",
              "Penanggung Jawab"]
    _header(sh, 6, titles, [5, 30, 12, 7, 14, 52, 16, 20])
    _title(sh, [f"RENCANA TINDAK LANJUT (RTL) - {heading[0]}", *heading[1:]], len(titles))
    weak = " atau ".join(survey.weak_mutu)
    sh.text("A4", "Prioritas: tiga unsur dengan NRR terendah (bila sama, menurut urutan unsur) dan setiap "
                  f"unsur bermutu {weak}. Dibahas dalam Forum Konsultasi Publik.", _NOTE, span=len(titles))
    lowest = [u["key"] for u in ranked_unsur(summary)[:3]]
    wrap = {**_BOX, **_WRAP}
    for i, entry in enumerate(rtl):
        r = 7 + i
        key = entry["key"]
        src, u = nrr["rows"][key], v["unsur"][key]
        reason = []
        if key in lowest:
            reason.append("3 terendah")
        if entry["mutu"] in survey.weak_mutu:
            reason.append(f"mutu {entry['mutu']}")
        sh.number(f"A{r}", entry["no"], wrap)
        sh.text(f"B{r}", f"{key} {entry['nama']}", wrap)
        ok = u["nrr"] is not None
        sh.formula(f"C{r}", f"=NRR!H{src}", u["converted"] if ok else _DASH, {**wrap, "num_format": FMT_VALUE})
        sh.formula(f"D{r}", f"=NRR!I{src}", u["band"].mutu if ok else _DASH, {**_CENTER, "valign": "top"})
        sh.text(f"E{r}", "; ".join(reason) or "pilihan unit", wrap)
        sh.text(f"F{r}", entry["program"], wrap)
        sh.text(f"G{r}", entry["waktu"], wrap)
        sh.text(f"H{r}", entry["pj"], wrap)
    print_setup(sh, landscape=True, title_rows=(6, 6), header=header_text)


def _sheet_saran(book, rows, heading, header_text):
    sh = book.sheet("Saran")
    has_service = "layanan" in rows.columns
    titles = ["No", "Jenis Layanan", "Saran/Masukan"] if has_service else ["No", "Saran/Masukan"]
    _header(sh, 6, titles, [6, 24, 80] if has_service else [6, 104])
    _title(sh, [f"SARAN DAN MASUKAN RESPONDEN - {heading[0]}", *heading[1:]], len(titles))
    sh.text("A4", "Ditulis apa adanya sebagai teks; nomor telepon, alamat surel dan NIK disamarkan. No = nomor "
                  "responden di sheet Tabulasi.", _NOTE, span=len(titles))
    wrap = {**_BOX, **_WRAP}
    r = 7
    if "saran" in rows.columns:
        for i, rec in enumerate(rows.to_dict("records")):
            text = rec.get("saran")
            if _blank(text) or not str(text).strip():
                continue
            sh.number(f"A{r}", i + 1, wrap)
            c = "B"
            if has_service:
                service = rec.get("layanan")
                sh.text(f"B{r}", "" if _blank(service) else service, wrap)
                c = "C"
            sh.text(f"{c}{r}", mask_personal(str(text).strip()), wrap)
            r += 1
    if r == 7:
        sh.text("A7", "Tidak ada saran/masukan tertulis.", _NOTE, span=len(titles))
    print_setup(sh, title_rows=(6, 6), header=header_text)


def _sheet_keterangan(book, r, rows, heading, header_text):
    from . import __version__

    sh = book.sheet("Keterangan")
    sh.columns([30, 80])
    _title(sh, [f"KETERANGAN - {heading[0]}", *heading[1:]], 2)
    data, survey = r.data, r.survey
    meta = data.attrs.get("skmkit", {})
    method = survey.method()
    dropped = meta.get("dropped_personal") or []
    period = [r.fieldwork.text() or "-"] + ([f"jawaban pertama dan terakhir {r.fieldwork.answers_text()}"]
                                            if r.fieldwork.declared and r.fieldwork.answers_text() else [])
    items = [
        ("Berkas data", r.source_name),
        ("SHA-256 berkas data", r.source_sha256),
        ("Periode survei", "; ".join(period + r.fieldwork.notes())),
        ("Baris data unit ini", f"{len(data)}"),
        ("Responden (menjawab minimal satu unsur)", f"{len(rows)}"),
        ("Baris tanpa jawaban unsur (tidak dihitung)", f"{len(data) - len(rows)}"),
        ("Definisi survei", method["name"] + ("" if survey.source == "bawaan" else f" (berkas {survey.source})")),
        ("Bobot per unsur", r.weight_label),
        ("Pembulatan", "hanya untuk tampilan: 2 desimal, setengah ke atas; mutu dari nilai yang dibulatkan "
                       "2 desimal"),
        ("Kategori", "jenis layanan, jenis kelamin, pendidikan dan pekerjaan yang hanya berbeda huruf besar/kecil "
                     "atau spasi dihitung sebagai satu kategori (ditulis dengan ejaan terbanyak)"),
        ("Data pribadi", "tidak dimuat" + (f" (kolom dibuang saat membaca: {', '.join(dropped)})" if dropped
                                           else "") + "; nomor telepon, surel dan NIK dalam saran disamarkan"),
        ("Dibuat dengan", f"skmkit {__version__}"),
    ]
    for i, (k, value) in enumerate(items):
        sh.text(f"A{5 + i}", k, {**_BOLD, **_BOX, **_WRAP})
        sh.text(f"B{5 + i}", value, {**_BOX, **_WRAP})
    print_setup(sh, header=header_text)


# -- public ------------------------------------------------------------------------------
def workbook_bytes(unit, /, **params) -> bytes:
    """Build one unit's auditable workbook and return the XLSX bytes.

    Parameters
    ----------
    unit : PreparedUnit or DataFrame
        The unit (:func:`skmkit.prepared.prepare_unit`): its rows, weight,
        period, RTL (with its penanggung jawab) and profile come from it; the
        sheets' formulas recompute what it holds, and their cached values are
        its numbers. One unit's canonical rows are prepared first, with ``params``.
    **params
        Report parameters (``unit``, ``period``, ``rtl``, ``institution``, ...) for rows.

    Returns
    -------
    bytes
        The XLSX file; byte-identical for the same unit.

    Examples
    --------
    >>> from skmkit import sample_data_path
    >>> from skmkit.prepared import prepare_unit
    >>> workbook_bytes(prepare_unit(sample_data_path(), unit="Dinas Sosial", period="Semester I 2026"))[:2]
    b'PK'
    """
    r = as_prepared(unit, **params)
    survey = r.survey
    rows = canonical_rows(r.people)
    if "_row" in rows.columns:
        rows = rows.sort_values("_row", kind="stable")
    summary = r.summary
    values = _values(rows, survey, summary["weight"])
    heading = [str(r.unit).upper(), " - ".join(x for x in (str(r.institution), str(r.period)) if x)]
    heading = [h for h in heading if h] or ["UNIT"]
    header_text = " | ".join(x for x in (f"SKM {r.unit}", str(r.period)) if x)

    book = Book(title=f"SKM {r.unit} {r.period}".strip())
    tab = _sheet_tabulasi(book, rows, survey, heading, header_text)
    nrr = _sheet_nrr(book, tab, survey, summary, values, heading, header_text, r.weight_label)
    _sheet_layanan(book, rows, tab, nrr, survey, values, heading, header_text)
    _sheet_profil(book, rows, tab, nrr, heading, header_text)
    _sheet_rtl(book, summary, nrr, values, r.rtl, survey, heading, header_text)
    _sheet_saran(book, rows, heading, header_text)
    _sheet_keterangan(book, r, rows, heading, header_text)
    return book.to_bytes()


def write_workbook(data, *, out="outputs", **params) -> Path:
    """Prepare one unit from a survey file and write ``<out>/<slug>.xlsx`` atomically.

    Parameters
    ----------
    data : str or Path
        The survey file (one unit's, or a pooled file with ``unit``).
    out : str or Path
        Output folder.
    **params
        The report parameters (:mod:`skmkit.schema`): ``unit``, ``by``,
        ``period``, ``rtl`` (a list or a YAML/CSV file), ``head_title``, ...

    Returns
    -------
    pathlib.Path
        The written workbook.
    """
    values = schema.resolve_paths({"data": data, **params}, Path.cwd(), where="workbook")
    r = prepare_unit(**values, where="workbook")
    return write_atomic(output_dir(out) / f"{slugify(r.unit)}.xlsx", workbook_bytes(r))
