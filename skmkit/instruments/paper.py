"""The printable questionnaire: one A4 HTML document per unit, printed to PDF by the kit's engine.

The page shows the unit and its period, the layanan to tick, the profile
questions, every question in the questionnaire's order with its labelled
boxes, the saran box, the privacy notice and, when a form address is given, a
QR code to the online form (an SVG drawn by segno: the same address gives the
same bytes). The look follows the report (``skmkit/templates/skm/skm.css``:
the navy, the rules, the kit's fonts); the PDF goes through
:func:`skmkit.exporters.html_to_pdf`, which embeds the kit's fonts and writes no
date.
"""
from __future__ import annotations

import segno

from ..html import escape
from .content import PRIVACY_NOTICE, Questionnaire

__all__ = ["questionnaire_html", "qr_svg", "document"]

_CSS = """
@page { size: A4; margin: 14mm 15mm 14mm 15mm;
        @bottom-left { content: string(unit); font: 7pt "SKM Sans", "DejaVu Sans", sans-serif; color: #5b6b7b; }
        @bottom-right { content: "Halaman " counter(page) " dari " counter(pages);
                        font: 7pt "SKM Sans", "DejaVu Sans", sans-serif; color: #5b6b7b; } }
html { font-family: "SKM Sans", "DejaVu Sans", Arial, sans-serif; font-size: 9pt; color: #1d2733; line-height: 1.35; }
body { margin: 0; }
main { max-width: 180mm; margin: 0 auto; }
@media screen { html { background: #eef1f4; } main { background: #fff; padding: 10mm 12mm; margin: 6mm auto; } }
.doc { break-after: page; }
.doc:last-child { break-after: auto; }
header.q { display: flex; align-items: center; gap: 5mm; border-top: 6mm solid #0b3d6b; padding-top: 3mm;
           border-bottom: 1pt solid #0b3d6b; padding-bottom: 2.5mm; margin-bottom: 3mm; }
header.q .t { flex: 1; }
header.q .inst { font-size: 8.5pt; font-weight: bold; letter-spacing: 0.06em; color: #0b3d6b; text-transform: uppercase; }
header.q h1 { font-size: 13pt; margin: 1mm 0; color: #0b3d6b; letter-spacing: 0.02em; }
header.q .unit { font-size: 11pt; font-weight: bold; }
header.q .unit.named { string-set: unit content(); }
header.q .period { font-size: 8.5pt; color: #5b6b7b; }
.qr { width: 24mm; text-align: center; font-size: 6.5pt; color: #5b6b7b; }
.qr svg { width: 24mm; height: 24mm; display: block; }
p.intro { margin: 0 0 2.5mm; text-align: justify; }
h2 { font-size: 10pt; color: #0b3d6b; margin: 3mm 0 1.5mm; padding-bottom: 0.8mm; border-bottom: 0.5pt solid #b8c2cc;
     break-after: avoid; }
table.profile { width: 100%; border-collapse: collapse; }
table.profile th { text-align: left; font-weight: normal; color: #1d2733; width: 28mm; padding: 1mm 2mm 1mm 0;
                   vertical-align: top; }
table.profile td { padding: 1mm 0; }
.opt { display: inline-block; margin: 0 4mm 0.8mm 0; white-space: nowrap; }
.box { display: inline-block; width: 3.2mm; height: 3.2mm; border: 0.7pt solid #1d2733; vertical-align: -0.6mm;
       margin-right: 1.2mm; background: #fff; }
.line { display: inline-block; border-bottom: 0.6pt solid #1d2733; min-width: 40mm; height: 4mm; }
.line.short { min-width: 14mm; }
ol.questions { list-style: none; padding: 0; margin: 0; }
ol.questions li { break-inside: avoid; padding: 1.6mm 0 1.8mm; border-bottom: 0.4pt solid #dde3e9; }
.qtext { font-weight: bold; }
.qtext .n { display: inline-block; min-width: 6mm; color: #0b3d6b; }
.qtext .u { font-weight: normal; color: #5b6b7b; font-size: 7.5pt; }
table.options { width: 100%; border-collapse: collapse; margin-top: 1.2mm; table-layout: fixed; }
table.options td { border: 0.6pt solid #b8c2cc; padding: 1.2mm 1.5mm; vertical-align: top; font-size: 8.5pt; }
table.options .letter { font-weight: bold; color: #0b3d6b; margin-right: 1mm; }
.saran { border: 0.7pt solid #1d2733; height: 26mm; margin-top: 1mm; }
.notice { margin-top: 3mm; padding: 2mm 3mm; background: #e8eef4; border-left: 2pt solid #0b3d6b; font-size: 7.5pt;
          text-align: justify; break-inside: avoid; }
.thanks { text-align: center; font-weight: bold; color: #0b3d6b; margin-top: 2.5mm; }
section.plan h2 { font-size: 12pt; }
table.plan { width: 100%; border-collapse: collapse; font-size: 8.5pt; }
table.plan th { background: #0b3d6b; color: #fff; padding: 1.5mm; text-align: center; font-weight: bold; }
table.plan td { border-bottom: 0.5pt solid #b8c2cc; padding: 1.3mm 1.5mm; }
table.plan td.num { text-align: right; font-variant-numeric: tabular-nums; }
p.small { font-size: 7.5pt; color: #5b6b7b; margin-top: 2mm; text-align: justify; }
"""


def qr_svg(url: str) -> str:
    """An inline SVG QR code of ``url`` (segno, error correction M, no XML declaration): deterministic."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=1, border=2, omitsize=True)


def _options(choices) -> str:
    return "".join(f'<span class="opt"><span class="box"></span>{escape(label)}</span>' for _v, label in choices)


def questionnaire_html(q: Questionnaire, *, unit: str | None = None, period: str = "", institution: str = "",
                       form_url: str | None = None) -> str:
    """One unit's questionnaire as an HTML section (``<section class="doc">``)."""
    letters = q.survey.letters
    qr = ""
    if form_url:
        qr = f'<div class="qr">{qr_svg(form_url)}Isi secara daring:<br>pindai kode ini</div>'
    name = (f'<div class="unit named">{escape(unit)}</div>' if unit
            else '<div class="unit">Unit layanan: <span class="line"></span></div>')
    head = (f'<header class="q"><div class="t"><div class="inst">{escape(institution)}</div>'
            f'<h1>KUESIONER SURVEI KEPUASAN MASYARAKAT</h1>{name}'
            f'<div class="period">{escape(period)}</div></div>{qr}</header>')
    intro = ('<p class="intro">Dalam rangka meningkatkan kualitas pelayanan publik, kami mohon kesediaan Saudara '
             'mengisi kuesioner ini. Beri tanda centang (\u2713) pada satu kotak jawaban yang paling sesuai untuk '
             'setiap pertanyaan. Kuesioner ini tanpa nama.</p>')
    rows = []
    for f in q.fields:
        if f.kind in ("note", "unit"):
            continue
        if f.choices:
            cell = _options(f.choices)
        elif f.kind == "date":
            cell = '<span class="line short"></span> / <span class="line short"></span> / <span class="line short"></span>'
        elif f.kind == "integer":
            cell = '<span class="line short"></span> tahun'
        else:
            cell = '<span class="line" style="min-width: 120mm"></span>'
        rows.append(f"<tr><th>{escape(f.header)}</th><td>{cell}</td></tr>")
    profile = f'<h2>Data responden</h2><table class="profile">{"".join(rows)}</table>'
    items = []
    for x in q.questions:
        cells = "".join(
            f'<td><span class="box"></span><span class="letter">{escape(letters[i]) if i < len(letters) else score}.'
            f'</span>{escape(label)}</td>' for i, (score, label) in enumerate(x.options))
        items.append(f'<li><div class="qtext"><span class="n">{x.number}.</span>{escape(x.text)} '
                     f'<span class="u">({escape(x.name)})</span></div>'
                     f'<table class="options"><tr>{cells}</tr></table></li>')
    answers = f'<h2>Pendapat Saudara tentang pelayanan</h2><ol class="questions">{"".join(items)}</ol>'
    saran = f'<h2>{escape(q.field("saran").header)}</h2><div class="saran"></div>'
    notice = f'<div class="notice"><b>Pelindungan data pribadi.</b> {escape(PRIVACY_NOTICE)}</div>'
    thanks = '<div class="thanks">Terima kasih atas partisipasi Saudara.</div>'
    return f'<section class="doc">{head}{intro}{profile}{answers}{saran}{notice}{thanks}</section>'


def document(sections: list[str], *, title: str) -> str:
    """A whole HTML document holding these sections, with the questionnaire stylesheet inline."""
    return (f'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<style>{_CSS}</style></head><body><main>{"".join(sections)}</main></body></html>\n')
