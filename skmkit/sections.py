"""The blocks of the unit report, as HTML the kit template prints.

The notebook ``laporan_skm.ipynb`` calls :func:`prepare` once, then one
function per block (``cover(r)``, ``unsur(r)``, ``rtl(r)``, ...). Each block
returns :class:`Html`, which Jupyter shows as HTML. Every value that came
from a user or a respondent is escaped here; numbers are Indonesian
(:func:`skmkit.number`).

What an analyst adds takes the same look: :func:`figure` captions any
matplotlib chart ("Gambar n."), :func:`table` turns a DataFrame into a
numbered kit table ("Tabel n."), and :func:`kit_style` makes charts and
DataFrames shown without them look like the kit's too.
"""
from __future__ import annotations

import base64
import numbers
import re
import struct
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from . import charts, compare, narrative
from . import schema
from .fmt import exact, join_list, number, percent, tanggal
from .html import escape as e
from .html import Html, document_title, titled
from .html import table as _table
from .logo import logo_bytes
from .prepared import PreparedUnit, prepare_unit
from .theme import DPI, header, label, mutu_class, png_bytes, set_theme

__all__ = [
    "Html", "Laporan", "prepare", "title", "figure", "table", "kit_style", "cover", "foreword", "toc",
    "legal_basis", "survey_facts", "sample", "profile",
    "unsur", "result", "layanan", "analysis", "rtl", "trend", "changes", "follow_up", "conclusions",
    "recommendations",
    "signature", "questionnaire", "scoring", "saran", "banner", "colophon", "note",
]



#: The report's data: the prepared unit (:mod:`skmkit.prepared`); the old name stays for analysts' notebooks.
Laporan = PreparedUnit


def prepare(data=None, **params) -> PreparedUnit:
    """The unit the report shows, prepared once (:func:`skmkit.prepared.prepare_unit`).

    The notebook's first cell: ``r = s.prepare(**schema.collect(globals()))``.
    In a batch the driver has prepared the unit already (``prepared``), and
    it is loaded instead of read again.
    """
    return prepare_unit(data, **params)


# ------------------------------------------------------------- helpers
def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def _figure_of(fig_or_ax):
    return fig_or_ax if isinstance(fig_or_ax, Figure) else fig_or_ax.get_figure(root=True)


def _close_pyplot(fig) -> None:
    """Close ``fig`` in pyplot (if pyplot made it), so Jupyter does not show it a second time uncaptioned."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)  # a figure pyplot does not know is left alone


#: The tallest a figure prints: with a heading and two lines of text above and its caption under it, it fits
#: one A4 page (253 mm of text height).
_FIGURE_MAX_HEIGHT_MM = 210.0


def figure(ax, caption: str, *, width_mm: float | None = None) -> Html:
    """A chart as an embedded PNG with a numbered caption ("Gambar n. <caption>").

    Any matplotlib chart works: the Axes of a kit chart
    (:mod:`skmkit.charts`), Axes of your own (:func:`skmkit.theme.new_axes`),
    or a ``pyplot`` figure. The numbers follow the charts' order in the
    report, counted by the stylesheet, so inserting a chart renumbers the
    ones after it. A ``pyplot`` figure is closed, so the notebook does not
    show it a second time without its caption.

    Parameters
    ----------
    ax : matplotlib Axes or Figure
        The chart; the whole figure it belongs to is drawn.
    caption : str
        The caption after "Gambar n.", e.g. ``"Responden per bulan"``.
    width_mm : float, optional
        Printed width; default the figure's own width, at most 170 mm, and
        narrower for a figure that would print taller than 210 mm.

    Returns
    -------
    Html
        ``<figure class="chart">`` with the PNG (deterministic bytes,
        :func:`skmkit.theme.png_bytes`) and its ``<figcaption>``.

    Examples
    --------
    A kit chart, and a chart of your own drawn in the kit's theme:

    >>> from skmkit import charts, read_responses, sample_data_path, select_unit
    >>> from skmkit import sections as s
    >>> from skmkit.theme import ACCENT, new_axes, theme
    >>> df = select_unit(read_responses(sample_data_path()), "Dinas Sosial", "Unit Layanan")
    >>> html = s.figure(charts.plot_unsur(df), "Nilai rata-rata (NRR) per unsur pelayanan")
    >>> with theme():
    ...     ax = new_axes(size=(6, 2.5))
    ...     counts = df["layanan"].value_counts()
    ...     bars = ax.barh(counts.index, counts.to_numpy(), color=ACCENT)
    >>> html = s.figure(ax, "Responden per jenis layanan")
    >>> "<figcaption>Responden per jenis layanan</figcaption>" in html
    True
    """
    fig = _figure_of(ax)
    png = png_bytes(fig)
    _close_pyplot(fig)
    w, h = _png_size(png)
    mm = width_mm or min(w / DPI * 25.4, 170.0)
    # a chart taller than a page (a recap's ranking of 40 units) prints smaller, with its caption on its page
    mm = min(mm, _FIGURE_MAX_HEIGHT_MM * w / h)
    data = base64.b64encode(png).decode("ascii")
    return Html(f'<figure class="chart"><img src="data:image/png;base64,{data}" alt="{e(caption)}" '
                f'style="width:{mm:.1f}mm"><figcaption>{e(caption)}</figcaption></figure>')


def _cell(value, digits: int) -> tuple[str, bool]:
    """One DataFrame value as Indonesian text; True when it is a number (right-aligned)."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return "\u2013", False
    if isinstance(value, (bool, np.bool_)):
        return ("ya" if value else "tidak"), False
    if isinstance(value, numbers.Integral):
        return number(value), True
    if isinstance(value, numbers.Real):
        return number(value, digits), True
    if isinstance(value, (pd.Timestamp, date)):
        return e(tanggal(value)), False
    return e(str(value)), False


def table(df, caption: str = "", *, digits: int | dict = 2, index: bool | None = None, labels=None,
          max_rows: int | None = None) -> Html:
    """A DataFrame as a table in the kit's look: Indonesian numbers and headers, numbered caption.

    Parameters
    ----------
    df : DataFrame or Series
        What to show; it is not changed.
    caption : str
        The caption after "Tabel n."; without one the table is not numbered.
    digits : int or dict
        Decimals of non-integer numbers: one for all, or per column name
        (``{"ikm": 2, "nrr": 3}``; columns not named get 2).
    index : bool, optional
        Show the index as the first column; default when it is not the plain
        0, 1, 2, ... row numbering.
    labels : dict, optional
        Headers for column names, over the kit's own (``jenis_kelamin`` ->
        "Jenis kelamin", ``L`` -> "Laki-laki"; others: ``jumlah_responden``
        -> "Jumlah responden").
    max_rows : int, optional
        Show only the first rows and say how many there are.

    Returns
    -------
    Html
        The table; integers as ``1.250``, other numbers as ``87,28``, blanks
        as "\u2013", dates as ``30 Juni 2026``; the ``jenis_kelamin`` codes
        as "Laki-laki"/"Perempuan".

    Examples
    --------
    >>> import pandas as pd
    >>> from skmkit import sections as s
    >>> df = pd.DataFrame({"layanan": ["Bansos", "Rehabilitasi"], "jumlah": [1250, 86],
    ...                    "ikm": [87.275, 80.5]})
    >>> html = s.table(df, "IKM per jenis layanan")
    >>> "<caption>IKM per jenis layanan</caption>" in html, "1.250" in html, "87,28" in html
    (True, True, True)
    >>> "<th>Jenis layanan</th>" in html, "<th class=num>Jumlah</th>" in html
    (True, True)
    """
    frame = df.to_frame() if isinstance(df, pd.Series) else df
    labels = dict(labels or {})
    total = len(frame)
    if max_rows is not None and total > max_rows:
        frame = frame.iloc[:max_rows]
    if index is None:
        index = not (isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0 and frame.index.step == 1
                     and frame.index.name is None)
    columns = list(frame.columns)
    codes = [c == "jenis_kelamin" for c in columns]
    places = [digits.get(c, 2) if isinstance(digits, dict) else digits for c in columns]
    head = [labels.get(c, header(c)) for c in columns]
    rows, numeric_cells = [], [[] for _ in columns]
    for key, values in zip(frame.index, frame.itertuples(index=False, name=None)):
        cells = []
        for j, v in enumerate(values):
            if codes[j] and isinstance(v, str):
                v = header(v)
            text, is_num = _cell(v, places[j])
            cells.append(text)
            numeric_cells[j].append(is_num)
        if index:
            if frame.index.name == "jenis_kelamin" and isinstance(key, str):
                key = header(key)
            cells.insert(0, _cell(key, 2)[0] if not isinstance(key, tuple) else e(" / ".join(map(str, key))))
        rows.append(cells)
    numeric = [j for j, flags in enumerate(numeric_cells) if flags and all(flags)]
    if index:
        names = [n for n in frame.index.names if n is not None]
        head.insert(0, " / ".join(labels.get(n, header(n)) for n in names))
        if frame.columns.name is not None and not names:
            head[0] = labels.get(frame.columns.name, header(frame.columns.name))
        numeric = [j + 1 for j in numeric]
    out = _table([e(h) for h in head], rows, caption=caption, numeric=numeric, keep=len(rows) <= 25)
    if len(frame) < total:
        out += (f'<p class="table-note">Ditampilkan {number(len(frame))} dari {number(total)} baris; '
                "s.table(df) menampilkan semuanya.</p>")
    return Html(out)


def _title_artists(fig):
    """The title Text artists of a figure that hold text: its suptitle, else its one axes' titles."""
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text():
        return [sup]
    axes = fig.get_axes()
    if len(axes) != 1:
        return []
    ax = axes[0]
    return [t for t in (ax._left_title, ax.title, ax._right_title) if t.get_text()]


def _figure_html(fig):
    """IPython's HTML for a matplotlib figure: the figure as :func:`figure` makes it, captioned by its title.

    The caption is the figure's suptitle, else its one axes' title, shown
    as the caption instead of inside the image.
    """
    titles = _title_artists(fig)
    caption = " ".join(t.get_text() for t in titles)
    for t in titles:
        t.set_visible(False)
    try:
        png = png_bytes(fig)
    finally:
        for t in titles:
            t.set_visible(True)
    w, _ = _png_size(png)
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure class="chart"><img src="data:image/png;base64,{data}" alt="{e(caption or "grafik")}" '
            f'style="width:{min(w / DPI * 25.4, 170.0):.1f}mm"><figcaption>{e(caption)}</figcaption></figure>')


def kit_style() -> None:
    """Show what the analyst adds to the report notebook in the kit's look.

    After this call (the report notebook makes it before the cover):

    - matplotlib charts are drawn in the kit theme (:func:`skmkit.theme.set_theme`);
    - a chart a cell shows (``plt.show()``, or a figure as the cell's value)
      becomes a numbered "Gambar n." whose caption is the figure's title;
    - a DataFrame or Series a cell shows becomes a kit table (Indonesian
      numbers and headers; :func:`table`, at most 60 rows), unnumbered: give
      it a caption with ``s.table(df, "judul")``.

    ``print()`` output needs nothing: the kit exporter prints it as it is.
    Outside IPython only the theme is set.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - ipykernel depends on IPython
        get_ipython = lambda: None  # noqa: E731
    shell = get_ipython()
    if shell is not None:
        # Start the inline backend now: starting it (on first use of pyplot) drops every Figure formatter.
        shell.run_line_magic("matplotlib", "inline")
    set_theme()
    if shell is None:
        return
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, lambda df: str(table(df, max_rows=60)))
    formatter.for_type(pd.Series, lambda sr: str(table(sr, max_rows=60)))
    formatter.for_type(Figure, _figure_html)




def _mutu(m: str, survey) -> str:
    if not isinstance(m, str):  # an unsur nobody answered
        return "\u2013"
    return f'<span class="mutu {mutu_class(m, survey)}">{e(m)}</span>'


def _p(sentences) -> str:
    return "".join(f"<p>{e(s)}</p>" for s in sentences)


def note(text: str, kind: str = "info") -> Html:
    """A highlighted note (``kind``: "info" or "warning")."""
    return Html(f'<div class="note note-{kind}">{e(text)}</div>')


def _year(r: Laporan) -> str:
    return r.period_end[:4] if r.period_end else ""


# ------------------------------------------------------------ front matter
def title(r: Laporan) -> str:
    """The report's title: ``"Laporan Hasil SKM \u2014 <unit> \u2014 <period>"`` (HTML and PDF Title)."""
    return document_title(r.unit, r.period)


def cover(r: Laporan) -> Html:
    """The cover page: title, unit, period, institution and year.

    Its output carries the report's :func:`title` in its metadata, which the
    kit exporter uses as the HTML title and the PDF's Title.
    """
    logo = ""
    if r.logo:
        mime, raw = logo_bytes(r.logo)  # scaled down when larger than the cover needs
        data = base64.b64encode(raw).decode("ascii")
        logo = f'<img class="cover-logo" src="data:{mime};base64,{data}" alt="logo">'
    return titled(
        f'<section class="cover">{logo}'
        f'<div class="cover-top" data-name="{e(r.institution)}">{e(r.institution.upper())}</div>'
        '<div class="cover-title"><div class="kicker">LAPORAN HASIL</div>'
        '<h1 class="title">SURVEI KEPUASAN MASYARAKAT</h1>'
        f'<div class="cover-unit" data-name="{e(r.unit)}">{e(r.unit.upper())}</div>'
        f'<div class="cover-period">{e(r.period)}</div></div>'
        '<div class="cover-result"><div class="label">Indeks Kepuasan Masyarakat</div>'
        f'<div class="value">{number(r.summary["ikm"], 2)}</div>'
        f'<div class="mutu-line">Mutu pelayanan {e(r.summary["mutu"])} \u00b7 {e(r.summary["kinerja"])}</div></div>'
        f'<div class="cover-bottom">{_based_on(r)}{e(_year(r))}</div>'
        '</section>', title(r))


def _based_on(r: Laporan) -> str:
    return f"Berdasarkan {e(r.survey.regulation)}<br>" if r.survey.regulation else ""


def foreword(r: Laporan) -> Html:
    """Kata Pengantar with the unit head's signature block."""
    per = f" {e(r.period)}" if r.period else ""
    rule = f" Survei ini dilaksanakan sesuai {e(r.survey.regulation_title)}." if r.survey.regulation_title else ""
    text = (f"<p>Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa atas tersusunnya Laporan Hasil Survei "
            f"Kepuasan Masyarakat (SKM) {e(r.unit)}{per}.{rule}</p>"
            "<p>Hasil survei ini menjadi bahan evaluasi dan dasar perbaikan kualitas pelayanan. Kami "
            "menyampaikan terima kasih kepada seluruh masyarakat pengguna layanan yang telah meluangkan waktu "
            "mengisi kuesioner, serta kepada semua pihak yang membantu pelaksanaan survei.</p>")
    return Html(f'<section class="foreword"><h1 class="unnumbered">KATA PENGANTAR</h1>{text}{signature(r)}</section>')


def toc() -> Html:
    """The table of contents; the kit exporter fills it from the headings."""
    return Html('<nav class="toc"><h1 class="unnumbered toc-title">DAFTAR ISI</h1></nav>')


#: A blank to fill in by hand, where a signature-block value is not given.
_BLANK = "\u2026" * 14


def signature(r: Laporan) -> Html:
    """The signature block: place and date, title, space to sign, name, NIP.

    A value not given leaves a dotted blank to fill in by hand (place, name, NIP),
    never a guess.
    """
    place = e(r.location) if r.location else _BLANK
    when = tanggal(r.report_date) if r.report_date else _BLANK
    name = e(r.head_name) if r.head_name else _BLANK
    nip = e(r.head_nip) if r.head_nip else _BLANK
    return Html(f'<div class="signature"><div>{place}, {e(when)}</div><div>{e(r.head_title)},</div>'
                f'<div class="sign-space"></div><div class="sign-name">{name}</div>'
                f'<div class="sign-nip">NIP. {nip}</div></div>')


# ---------------------------------------------------------------- BAB I
def legal_basis(r: Laporan) -> Html:
    """BAB I "Dasar Hukum": the laws the survey definition names, numbered."""
    items = list(r.survey.legal_basis) or ([r.survey.regulation_title] if r.survey.regulation_title else [])
    if not items:
        return Html(_p(["Definisi survei tidak menyebut dasar hukum."]))
    return Html('<ol class="legal">' + "".join(f"<li>{e(x)}{';' if i < len(items) else '.'}</li>"
                                             for i, x in enumerate(items, 1)) + "</ol>")


# --------------------------------------------------------------- BAB II
def survey_facts(r: Laporan) -> Html:
    """BAB II facts: who, how, where, when, how many."""
    rows = [("Unit pelayanan", e(r.unit)), ("Instansi", e(r.institution or "-")),
            ("Periode survei", e(r.period or "-")), ("Waktu pengumpulan data", e(r.fieldwork.text() or "-"))]
    if r.fieldwork.declared and r.fieldwork.answers_text():
        rows.append(("Tanggal jawaban pertama dan terakhir", e(r.fieldwork.answers_text())))
    rows += [("Catatan tanggal", e("; ".join(r.fieldwork.notes())))] if r.fieldwork.notes() else []
    rows += [
            ("Metode", "Kuesioner (cetak/daring) diisi sendiri oleh pengguna layanan"),
            ("Instrumen", e(r.survey.name) + f" \u2014 {len(r.survey.unsur)} unsur, skala "
                                              f"{r.survey.scale_min}\u2013{r.survey.scale_max}"),
            ("Jumlah responden", f"{number(r.summary['respondents'])} orang")]
    return Html(_facts(rows))


def sample(r: Laporan) -> Html:
    """Population N, the Krejcie-Morgan minimum, the achieved sample and a warning when short."""
    a = r.adequacy
    if a.population is None:
        return Html(_p(["Populasi (N) tidak diisi, sehingga ukuran sampel minimum tidak dapat dihitung."])
                    + str(note(a.message, "warning")))
    rows = [["Populasi pengguna layanan (N)", number(a.population)],
            [f"Sampel minimum ({e(a.method)}, tingkat kepercayaan 95%, galat 5%)", number(a.minimum)],
            ["Responden yang diperoleh (n)", number(a.respondents)],
            ["Batas galat (proporsi, dengan koreksi populasi)", percent(a.margin_of_error)]]
    text = _p([f"Jumlah responden ditentukan dengan tabel Krejcie dan Morgan (1970). Dengan populasi "
               f"{number(a.population)} orang, sampel minimum adalah {number(a.minimum)} responden."])
    return Html(text + _table(["Uraian", "Nilai"], rows, cls="compact", numeric=(1,),
                              caption="Penentuan jumlah responden")
                + str(note(a.message, "info" if a.adequate else "warning")))


# -------------------------------------------------------------- BAB III
def profile(r: Laporan) -> Html:
    """Respondents by characteristic (count and %), one table plus small charts."""
    fields = list(r.profile)
    if not fields:
        return Html(_p(["Data tidak memuat karakteristik responden (jenis kelamin, usia, pendidikan, "
                        "pekerjaan, jenis layanan)."]))
    rows = []
    for f in fields:
        t = r.profile[f]
        for i, (k, n, p) in enumerate(zip(t["kategori"], t["jumlah"], t["persen"])):
            head = f'<th rowspan="{len(t)}">{e(label(f) if f != "layanan" else "Jenis layanan")}</th>' \
                if i == 0 else ""
            rows.append(f"<tr>{head}<td>{e(label(k))}</td><td class=num>{number(n)}</td>"
                        f"<td class=num>{percent(p)}</td></tr>")
    table = ('<table class="profile"><caption>Karakteristik responden</caption><thead><tr><th>Karakteristik'
             '</th><th>Kategori</th><th class=num>Jumlah</th><th class=num>Persentase</th></tr></thead>'
             f'<tbody>{"".join(rows)}</tbody></table>')
    people = r.people
    grid = "".join(str(figure(charts.plot_profile(people, field=f), f"Responden menurut {label(f).lower()}"))
                   for f in fields if f in ("jenis_kelamin", "usia", "pendidikan", "pekerjaan"))
    return Html(table + f'<div class="figure-grid">{grid}</div>')


def unsur(r: Laporan) -> Html:
    """The per-unsur table: total, filled answers, NRR, weighted NRR, converted value, mutu."""
    rows = [[str(i), e(row.unsur), e(row.nama), number(row.total), number(row.filled), number(row.nrr, 2),
             number(row.nrr_weighted, 3), number(row.converted, 2), _mutu(row.mutu, r.survey)]
            for i, row in enumerate(r.unsur.itertuples(), 1)]
    s = r.summary
    raw, conv, ikm = r.ikm_formula
    foot = [[("Jumlah NRR tertimbang (IKM sebelum konversi)", ' colspan="6"'), (raw, " class=num"),
             ("", ""), ("", "")],
            [(f"IKM = {raw} \u00d7 {conv}", ' colspan="7"'), (f"<b>{ikm}</b>", " class=num"), (_mutu(s["mutu"], r.survey), "")]]
    return Html(_table(["No", "Kode", "Unsur pelayanan", "Jumlah nilai", "Jawaban terisi", "NRR",
                        "NRR tertimbang", "Nilai konversi", "Mutu"], rows, total=foot, cls="unsur",
                       numeric=(3, 4, 5, 6, 7), caption="Nilai per unsur pelayanan")
                + f'<p class="table-note">NRR = jumlah nilai \u00f7 jawaban terisi; bobot tiap unsur '
                  f'{e(r.weight_label)}; nilai konversi = NRR \u00d7 {conv}. Jawaban kosong tidak dihitung.'
                  + (f' IKM {e(s["catatan_unsur"])}.' if s.get("catatan_unsur") else "") + '</p>')


def result(r: Laporan) -> Html:
    """The unit's IKM, mutu and kinerja with its 95% interval, as a highlighted box."""
    s = r.summary
    ci = s.get("ci95") or [None, None]
    band = "".join(f"<tr><td>{_mutu(b.mutu, r.survey)}</td><td>{e(b.kinerja)}</td><td class=num>{number(b.min, 2)}</td></tr>"
                   for b in r.survey.bands)
    interval = (f"Interval kepercayaan 95%: {number(ci[0], 2)} \u2013 {number(ci[1], 2)} "
                f"(\u00b1 {number(s.get('moe'), 2)} poin; {e(s.get('ci_method') or '')})"
                if ci[0] is not None and ci[0] == ci[0]
                else f"Interval kepercayaan 95% tidak dapat dihitung dari {number(s['respondents'])} responden.")
    legacy = (f'<div class="legacy">Dihitung dengan bobot {e(r.weight_label)} per unsur, bukan bobot tepat, agar '
              "sebanding dengan laporan lama.</div>" if r.survey.legacy_weight else "")
    return Html(
        f'<div class="result mutu-box-{mutu_class(s["mutu"], r.survey)}"><div class="result-main"><div class="label">IKM {e(r.unit)}'
        f'</div><div class="value">{number(s["ikm"], 2)}</div><div class="mutu-line">Mutu pelayanan '
        f'<b>{e(s["mutu"])}</b> ({e(s["kinerja"])})</div></div><div class="result-side">'
        f'<div>{number(s["respondents"])} responden</div><div>{interval}</div>{legacy}'
        + (f'<div class="legacy">IKM {e(s["catatan_unsur"])}.</div>' if s.get("catatan_unsur") else "") +
        f'<table class="bands"><thead><tr><th>Mutu</th><th>Kinerja</th><th class=num>IKM \u2265</th></tr></thead>'
        f'<tbody>{band}</tbody></table></div></div>')


def layanan(r: Laporan) -> Html:
    """IKM per jenis layanan: table and chart (pooled over that service's respondents)."""
    if r.layanan is None or len(r.layanan) == 0:
        return Html(_p(["Data tidak memuat jenis layanan."]))
    t = r.layanan.sort_values("ikm", ascending=False)
    rows = [[str(i), e(str(row.layanan)), number(row.respondents), number(row.ikm, 2), _mutu(row.mutu, r.survey),
             e(row.kinerja)] for i, row in enumerate(t.itertuples(), 1)]
    small = [str(row.layanan) for row in t.itertuples() if row.respondents < 30]
    warn = str(note("Jenis layanan dengan kurang dari 30 responden: " + join_list(small)
                    + ". Nilainya kurang stabil.", "warning")) if small else ""
    return Html(_table(["No", "Jenis layanan", "Responden", "IKM", "Mutu", "Kinerja"], rows, numeric=(2, 3),
                       caption="IKM per jenis layanan")
                + str(figure(charts.plot_layanan(t, survey=r.survey), "IKM per jenis layanan")) + warn)


# --------------------------------------------------------------- BAB IV
def analysis(r: Laporan) -> Html:
    """The weakest and strongest unsur, in generated sentences."""
    return Html(_p(narrative.weakest_strongest(r.summary)))


def rtl(r: Laporan) -> Html:
    """The Rencana Tindak Lanjut table."""
    rows = [[str(x["no"]), f"{e(x['nama'])} ({e(x['key'])})<br><small>NRR {number(x['nrr'], 2)}, "
             f"mutu {e(x['mutu'])}</small>", e(x["program"]), e(x["waktu"]), e(x["pj"])] for x in r.rtl]
    return Html(_table(["No", "Prioritas unsur", "Program/Kegiatan", "Waktu", "Penanggung jawab"], rows,
                       cls="rtl", caption="Rencana tindak lanjut (RTL)"))


def trend(r: Laporan) -> Html:
    """The IKM against earlier periods (chart and sentence), or a note when none are given."""
    if not r.trend:
        return Html(_p(["Data IKM periode sebelumnya tidak disertakan, sehingga tren belum dapat disajikan."]))
    rows = [[e(p["period"]), number(p["ikm"], 2), _mutu(r.survey.band(p["ikm"]).mutu, r.survey),
             _verdict(p.get("change"))] for p in r.trend]
    return Html(_p([narrative.trend_sentence(r.trend)])
                + _table(["Periode", "IKM", "Mutu", "Perubahan dari periode sebelumnya"], rows, cls="compact",
                         numeric=(1,), caption="IKM per periode")
                + str(figure(charts.plot_trend(r.trend, survey=r.survey), "Tren IKM")))


def _verdict(c) -> str:
    """A change as the report prints it: arrow, verdict and the difference (or "–" for the first period)."""
    if not c:
        return "\u2013"
    sign = "+" if (c["diff"] or 0) >= 0 else "\u2212"
    diff = "" if c["diff"] is None else f" ({sign}{number(abs(c['diff']), 2)})"
    return f"{compare.ARROWS[c['verdict']]} {e(c['verdict'])}{e(diff)}"


def changes(r: Laporan) -> Html:
    """Each unsur's NRR against the last earlier period, judged by the method doc's rule."""
    if not r.changes:
        return Html(_p(["Perubahan per unsur belum dapat disajikan karena tidak ada periode sebelumnya."]))
    before = r.trend[-2]["period"]
    rows = [[f"{e(c['nama'])} ({e(c['key'])})", "\u2013" if c["before"] is None else number(c["before"], 2),
             number(c["after"], 2), _verdict(c)] for c in r.changes]
    return Html(_p([f"Perubahan NRR per unsur dibandingkan {before}. Disebut naik atau turun hanya bila selang "
                    "kepercayaan 95% selisihnya tidak memuat nol; selain itu tidak berubah berarti. Periode yang "
                    "hanya diketahui IKM-nya tidak dapat diuji."])
                + _table(["Unsur", f"NRR {e(before)}", f"NRR {e(r.trend[-1]['period'])}", "Perubahan"], rows,
                         cls="compact", numeric=(1, 2), caption="Perubahan NRR per unsur"))


def follow_up(r: Laporan) -> Html:
    """The last period's RTL with its status (selesai / berjalan / belum) and the share carried out."""
    if not r.follow_up:
        return Html(_p(["Status tindak lanjut RTL periode sebelumnya belum dilaporkan."]))
    rows = [[str(i), e(str(x.get("unsur", ""))), e(str(x.get("program", ""))),
             e(str(x.get("status") or "belum dilaporkan").lower()), e(str(x.get("catatan", "")))]
            for i, x in enumerate(r.follow_up, 1)]
    return Html(_p([f"Tindak lanjut RTL periode sebelumnya: {r.follow_up_share['text']}."])
                + _table(["No", "Unsur", "Program/Kegiatan", "Status", "Catatan"], rows, cls="rtl",
                         caption="Tindak lanjut RTL periode sebelumnya"))


# ---------------------------------------------------------------- BAB V
def conclusions(r: Laporan) -> Html:
    """Numbered conclusion sentences that follow from the numbers."""
    items = narrative.conclusions(r.summary, unit=r.unit, period=r.period, adequacy=r.adequacy,
                                  trend=narrative.trend_sentence(r.trend))
    return Html("<ol>" + "".join(f"<li>{e(s)}</li>" for s in items) + "</ol>")


def recommendations(r: Laporan) -> Html:
    """Numbered saran (recommendations) for the unit."""
    items = narrative.recommendations(r.summary, r.rtl, r.themes)
    return Html("<ol>" + "".join(f"<li>{e(s)}</li>" for s in items) + "</ol>")


# -------------------------------------------------------------- lampiran
def questionnaire(r: Laporan) -> Html:
    """The questionnaire as respondents saw it: the definition's question order, options with scores."""
    items = []
    for i, key in enumerate(r.survey.questions or r.survey.keys, 1):
        u = r.survey.get(key)
        opts = "".join(f"<li><span class=opt>{e(r.survey.letters[j])}.</span> {e(lbl)} "
                       f"<span class=score>(nilai {r.survey.scale_min + j})</span></li>"
                       for j, lbl in enumerate(u.labels))
        items.append(f'<li><div class="q">{e(u.question)}</div><div class="q-unsur">Unsur {e(u.key)}: '
                     f'{e(u.name)}</div><ol class="options">{opts}</ol></li>')
    return Html('<ol class="questionnaire">' + "".join(items) + "</ol>")


#: Respondents per block of the scoring table; two blocks side by side fill an A4 page.
_SCORING_ROWS = 60


def scoring(r: Laporan) -> Html:
    """The per-respondent scoring table (no personal data: only the data row and the scores).

    Printed for a unit of at most ``r.annex_limit`` respondents
    (:data:`skmkit.prepared.ANNEX_LIMIT`); for a larger unit the report says
    how many respondents there are and that the workbook's Tabulasi sheet holds
    their scores. The per-unsur totals are printed either way.

    Drawn as blocks of pre-formatted, right-aligned text with a header bar and
    zebra rows, two blocks side by side per page: the look of a table at a
    fraction of the PDF layout time of a 3,000-cell HTML table (WeasyPrint,
    360 respondents: 9.6 s for the whole report with the table, 2.6 s without
    it; the blocks add well under a second).
    """
    keys = r.survey.keys
    s = r.summary["unsur"]
    totals = [("Jumlah nilai", "total", 0), ("Jawaban terisi", "filled", 0), ("NRR", "nrr", 2),
              ("NRR tertimbang", "nrr_weighted", 3)]
    foot = [[label] + [number(s[k][field], digits) for k in keys] for label, field, digits in totals]
    summary = _table(["Uraian"] + keys, foot, cls="scoring-total", numeric=range(1, len(keys) + 1),
                     caption="Jumlah nilai, jawaban terisi, NRR dan NRR tertimbang per unsur (semua responden)")
    if not r.annex_in_report:
        n = r.summary["respondents"]
        return Html(f'<p class="table-note annex-elsewhere">Nilai tiap responden ({number(n)} responden) tidak '
                    f'dicetak di laporan ini: laporan mencetaknya untuk unit dengan paling banyak '
                    f'{number(r.annex_limit)} responden. Nilai tiap responden ada di lembar \u201cTabulasi\u201d '
                    'buku kerja Excel (XLSX) unit ini, bersama rumus NRR dan IKM-nya; jumlahnya per unsur di '
                    'bawah ini.</p>' + summary)
    widths = [4, 6] + [4] * len(keys)

    def line(cells) -> str:
        return "".join(str(c).rjust(w) for c, w in zip(cells, widths))

    scores = r.data[keys].to_numpy(dtype=float)
    data_rows = r.data["_row"].astype(int).tolist() if "_row" in r.data else [""] * len(r.data)
    lines = [line([i, data_rows[i - 1]] + [int(v) if v == v else "\u2013" for v in values])
             for i, values in enumerate(scores, 1)]
    header = e(line(["No", "Baris"] + keys))
    blocks = [f'<div class="scoring-block"><pre class="head">{header}</pre>'
              f'<pre>{e(chr(10).join(lines[i:i + _SCORING_ROWS]))}</pre></div>'
              for i in range(0, len(lines), _SCORING_ROWS)]
    # Pairs of blocks side by side (inline blocks: CSS columns cost WeasyPrint seconds).
    blocks = "".join('<div class="scoring-row">' + "".join(blocks[i:i + 2]) + "</div>"
                     for i in range(0, len(blocks), 2))
    return Html(f'<p class="table-note">Nilai jawaban tiap responden ({r.survey.scale_min}\u2013{r.survey.scale_max}); '
                '\u201c\u2013\u201d = tidak dijawab. Baris = nomor baris pada berkas sumber (judul = baris 1). '
                'Nama, nomor telepon dan data pribadi lain tidak dimuat.</p>'
                f'<div class="scoring">{blocks}</div>{summary}')


def saran(r: Laporan) -> Html:
    """A summary of the free-text saran/masukan: frequent themes and a few quotes (escaped)."""
    total = int(r.data["saran"].notna().sum()) if "saran" in r.data.columns else 0
    if not r.themes:
        return Html(_p(["Tidak ada saran atau masukan tertulis dari responden."]))
    rows = [[str(i), e(t["tema"]), number(t["jumlah"]),
             "".join(f"<div class=quote>\u201c{q}\u201d</div>" for q in t["kutipan"])]  # quotes already escaped
            for i, t in enumerate(r.themes, 1)]
    return Html(_p([f"Sebanyak {number(total)} responden menuliskan saran atau masukan. Tabel berikut merangkum "
                    "tema yang paling sering muncul (satu saran dapat memuat lebih dari satu tema) beserta contoh "
                    "kutipan."])
                + _table(["No", "Tema", "Jumlah", "Contoh kutipan"], rows, numeric=(2,), cls="saran", keep=False,
                         caption="Ringkasan saran dan masukan"))


def banner(r: Laporan) -> Html:
    """The publication banner the unit posts (:mod:`skmkit.banner`), embedded as an image."""
    from .banner import banner_png

    s = r.summary
    png = banner_png(r)
    alt = (f"Banner publikasi IKM {r.unit} {r.period}: IKM {number(s['ikm'], 2)}, mutu {s['mutu']} "
           f"({s['kinerja']}), {number(s['respondents'])} responden")
    data = base64.b64encode(png).decode("ascii")
    return Html(f'<figure class="chart banner-page"><img src="data:image/png;base64,{data}" alt="{e(alt)}" '
                f'style="width:150mm"><figcaption>Banner publikasi hasil SKM</figcaption></figure>')


def colophon(r: Laporan, *, version: str | None = None) -> Html:
    """The last page: kit version, input hash, parameters and method; no render time."""
    from . import __version__

    m = r.survey.method()
    params = [(_param_label(k), e(_plain(v, key=k))) for k, v in r.params.items()
              if v not in (None, "", [], {})]  # only what was set
    rows = [("Perangkat", f"skmkit {e(version or __version__)}"), ("Berkas data", e(r.source_name)),
            ("SHA-256 data", f"<code>{e(r.source_sha256)}</code>"),
            ("Definisi survei", e(m["name"]) + ("" if r.survey.source == "bawaan" else
                                                 f" (berkas {e(r.survey.source)})")),
            ("Periode survei", e("; ".join([r.fieldwork.text() or "-"] + (
                [f"jawaban pertama dan terakhir {r.fieldwork.answers_text()}"] if r.fieldwork.declared
                and r.fieldwork.answers_text() else []) + r.fieldwork.notes()))),
            ("Bobot unsur", e(r.weight_label)), ("Konversi", f"NRR \u00d7 {exact(m['conversion'])}"),
            ("Pembulatan", e(m["rounding"])),
            ("Batas mutu", ", ".join(f"{e(b['mutu'])} \u2265 {number(b['min'], 2)}" for b in m["bands"])),
            ("Interval kepercayaan", e(r.summary.get("ci_method") or "-")),
            ("Data pribadi", "kolom data pribadi dibuang saat membaca data; tidak ada dalam laporan")]
    return Html(f'<section class="colophon"><h2 class="unnumbered">Kolofon</h2>{_facts(rows)}'
                f'<h3>Parameter laporan</h3>{_facts(params, cls="facts params")}'
                '<p class="table-note">Laporan ini dibuat otomatis dari data survei; berkas yang sama dengan '
                'parameter yang sama selalu menghasilkan laporan yang identik.</p></section>')


#: A facts table's label of up to this many characters stays on one line (its column is as wide as the
#: longest such label: "Tanggal jawaban pertama dan terakhir", 36, is 68 mm in bold); a longer one wraps.
_LABEL_ONE_LINE = 40


def _facts(rows, *, cls: str = "facts") -> str:
    """A two-column table of (label, value HTML) rows: labels plain text, escaped here, on one line where
    they fit (:data:`_LABEL_ONE_LINE`) so that the values wrap instead."""
    body = "".join(f'<tr><th{" class=wrap" if len(k) > _LABEL_ONE_LINE else ""}>{e(k)}</th><td>{v}</td></tr>'
                   for k, v in rows)
    return f'<table class="{cls}"><tbody>{body}</tbody></table>'


def _param_label(key) -> str:
    """A parameter named in Indonesian: the head of its schema help text ("berkas data survei (...)" ->
    "Berkas data survei"); a key the schema does not know stays as it is."""
    p = schema.SCHEMA.get(str(key))
    if p is None:
        return str(key)
    head = re.split(r" \(|, mis\.|: | YYYY| \d", p.help, maxsplit=1)[0].strip()
    return head[:1].upper() + head[1:]


def _plain(v, key=None) -> str:
    if v is None:
        return "\u2013"
    if isinstance(v, (list, tuple)):
        return "; ".join(_plain(x, key) for x in v)
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_plain(x, k)}" for k, x in v.items())
    if key in schema.PATH_KEYS and isinstance(v, (str, Path)):  # the file, never its folder
        return Path(str(v)).name
    if key in schema.SCHEMA and schema.SCHEMA[key].kind == "date":
        return tanggal(v) or str(v)
    if key in schema.SCHEMA and schema.SCHEMA[key].kind == "count" and isinstance(v, int):
        return number(v)  # 42.000, as BAB II prints the population
    if key in schema.SCHEMA and schema.SCHEMA[key].kind == "weight" and isinstance(v, float):
        return str(v).replace(".", ",")  # 0,111, as the weight is written in the text
    return str(v)
