"""Charts of the SKM report and recap, one shape for all.

Every function is ``plot_<what>(data, *, ..., ax=None, **kwargs) -> Axes``:
it draws on ``ax`` (or on a new figure), never shows or saves; the kit theme
(:mod:`skmkit.theme`) gives fonts, colours and Indonesian labels, and
:func:`skmkit.theme.png_bytes` turns a figure into deterministic PNG bytes.

``data`` is the canonical response table of :func:`skmkit.read_responses`
unless said otherwise; tables already computed (:func:`skmkit.unsur_table`,
:func:`skmkit.recap`) are accepted where noted.

Examples
--------
>>> from skmkit import read_responses, sample_data_path, select_unit
>>> df = select_unit(read_responses(sample_data_path()), "Dinas Sosial", "Unit Layanan")
>>> ax = plot_unsur(df)
>>> len(ax.containers[0]), ax.get_xticklabels()[0].get_text()
(9, 'Persyaratan')
"""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from .fmt import exact, number, percent
from .indices import ikm_table, summarize, unsur_table
from .profile import profile_counts
from .survey import load_survey
from .theme import (ACCENT, GRID, INK, MUTED, SCORE_COLORS, label, mutu_color, text_on,
                    new_axes, number_formatter, theme)

__all__ = [
    "plot_unsur", "plot_answers", "plot_profile", "plot_layanan", "plot_trend", "plot_ranking",
    "plot_unsur_heatmap", "plot_mutu_distribution", "answer_shares",
]

#: Profile fields the report shows, in order.
#: Text colours on the light mutu tints (readable contrast).




def _ikm_ticks(ax, survey, axis="x"):
    """Ticks every 10 points up to the scale's top (no tick beyond 100)."""
    lo, hi = survey.scale_min * survey.conversion, survey.scale_max * survey.conversion
    ticks = np.arange(np.ceil(lo / 10) * 10, hi + 0.001, 10)
    (ax.set_xticks if axis == "x" else ax.set_yticks)(ticks)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def _one_line(text: str, width: int) -> str:
    """``text`` on one line of at most ``width`` characters, cut at a word with "…" (a grid's row label)."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    return textwrap.shorten(text, width, placeholder=" \u2026") if " " in text[:width] else text[:width - 1] + "\u2026"


def _grid_labels(names, ranks=None) -> list[str]:
    """A grid's row labels, one line each (its rows are one height): a long name cut with "…", after the
    unit's rank where the rows are a recap's ("5. Dinas Pemberdayaan Perempuan, Perlind…", the rank the
    ranking chart and table give with the whole name). Without ranks, names that would read the same once
    cut are written whole, wrapped."""
    if ranks is not None:
        return [_one_line(f"{r}. {u}", 48) for r, u in zip(ranks, names)]
    cut = [_one_line(u, 48) for u in names]
    return cut if len(set(cut)) == len(cut) else [_wrap(u, 40) for u in names]


#: Inches a label line of 8 pt takes (matplotlib's 1.2 line spacing), and a bar row's pitch.
_LINE_IN, _ROW_IN = 8 * 1.2 / 72, 0.26


def _row_slots(labels) -> np.ndarray:
    """Each bar row's height in rows of :data:`_ROW_IN`: one for a one-line label, more for a wrapped one,
    so that no two labels overlap however many units are ranked."""
    lines = np.array([str(t).count("\n") + 1 for t in labels])
    return np.maximum(1.0, (lines * _LINE_IN + 0.06) / _ROW_IN)


def _is_responses(data, survey) -> bool:
    return all(k in data.columns for k in survey.keys)


def _band_edges(survey, scale: float = 1.0):
    """Lower bounds of every band but the lowest, as (value, mutu) on a scale."""
    return [(b.min / survey.conversion * scale, b.mutu) for b in survey.bands[:-1]]


def _clear_line(ax, texts, bars, level, colors) -> None:
    """Move value labels the horizontal line at ``level`` would cross into their bar's top (white text).

    Where a label does not fit inside its bar it goes just above the line.
    Positions are measured on the drawn figure (window extents), so font
    size and figure size are accounted for.
    """
    fig = ax.get_figure(root=True)
    canvas = fig.canvas if hasattr(fig.canvas, "get_renderer") else FigureCanvasAgg(fig)  # a bare Figure: Agg
    renderer = canvas.get_renderer()
    to_data = ax.transData.inverted()
    for text, rect, color in zip(texts, bars, colors):
        box = text.get_window_extent(renderer)
        y0, y1 = to_data.transform([(0, box.y0), (0, box.y1)])[:, 1]
        pad = (y1 - y0) * 0.25
        if not (y0 - pad <= level <= y1 + pad):
            continue
        top = rect.get_height()
        if top - (y1 - y0) - 2 * pad > ax.get_ylim()[0]:  # fits inside the bar
            text.set_y(top - pad)
            text.set_va("top")
            text.set_color(text_on(color))
        else:
            text.set_y(level + pad * 2)


def _fit_page(ax, made: bool, passes: int = 1) -> None:
    """A chart the kit made keeps its labels inside its own size (constrained layout), so it prints at
    its own width: a figure 6.6 inches wide fills the 170 mm text width and its 8 pt text prints at 8 pt.

    The layout is then held: labels measured after this (_clear_line, _bar_labels) stay put, and
    the PNG (:func:`skmkit.theme.png_bytes`) draws the figure as laid out here, without a layout
    pass of its own. ``passes=2`` for a legend outside the axes, centred on them: it moves with
    the axes, so the first pass has not yet seen where it ends (the second is the pass saving the
    figure used to run; a third brings the answers legend's bottom edge to a whole pixel, within
    1/5000 px, so the PNG's crop is savefig's pixel for pixel)."""
    if made:
        fig = ax.get_figure(root=True)
        fig.set_layout_engine("constrained", h_pad=0.02, w_pad=0.02)
        for _ in range(passes):
            fig.get_layout_engine().execute(fig)
        fig.set_layout_engine("none")


def _bar_labels(ax, bars, texts, colors, lo) -> list:
    """Value labels of horizontal bars at the end of their bar, inside it (text colour for the bar),
    or just past the end where the bar is too short to hold the label. The axis then needs no room
    past the scale's top, and no label sits over a band edge or a summary line."""
    fig = ax.get_figure(root=True)
    canvas = fig.canvas if hasattr(fig.canvas, "get_renderer") else FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    to_data = ax.transData.inverted()
    out = []
    for rect, text, color in zip(bars, texts, colors):
        end, mid = rect.get_width(), rect.get_y() + rect.get_height() / 2
        label = ax.text(end, mid, text, va="center", ha="right", fontsize=8, zorder=5, color=text_on(color),
                        gid="value")
        box = label.get_window_extent(renderer)
        x0, x1 = to_data.transform([(box.x0, 0), (box.x1, 0)])[:, 0]
        pad = (x1 - x0) / max(len(text), 1) * 0.6  # about half a character
        if end - (x1 - x0) - 2 * pad > lo:
            label.set_x(end - pad)
        else:
            label.set(x=end + pad, ha="left", color=INK)
        out.append(label)
    return out


def _shade_bands(ax, survey, *, value="nrr", orientation="h", lo=None, hi=None):
    """Light band backgrounds (D..A) with thin edge lines and letters at the margin."""
    factor = 1.0 if value == "nrr" else survey.conversion
    lows = [b.min / survey.conversion * factor for b in survey.bands]
    highs = [survey.scale_max * factor] + lows[:-1]
    lows[-1] = survey.scale_min * factor
    span = ax.axhspan if orientation == "h" else ax.axvspan
    line = ax.axhline if orientation == "h" else ax.axvline
    for b, low, high in zip(survey.bands, lows, highs):
        span(low, high, color=mutu_color(b.mutu, survey, tint="light"), zorder=0, lw=0)
    for value_, _mutu in _band_edges(survey, factor):
        line(value_, color=MUTED, lw=0.6, ls=(0, (2, 2)), zorder=1)


# ----------------------------------------------------------------- per unsur
def plot_unsur(data, *, survey=None, value="nrr", ikm=None, ax=None, **kwargs):
    """NRR (or converted value) per unsur as bars coloured by mutu, with the IKM line.

    Parameters
    ----------
    data : DataFrame
        Canonical responses, or an :func:`skmkit.unsur_table` of one group.
    survey : SurveyDefinition or path, optional
    value : {"nrr", "converted"}
        Bar height: the unsur's NRR (1-4) or its converted value (NRR x 25).
    ikm : float, optional
        The IKM (25-100) for the reference line. Default: computed from
        ``data`` by :func:`skmkit.summarize` when it holds responses; required
        with a table (a chart never computes an IKM of its own).
    ax : matplotlib Axes, optional
    **kwargs
        Passed to ``Axes.bar``.

    Returns
    -------
    matplotlib Axes
        One bar per unsur in survey order (``ax.patches`` from the first),
        x tick labels the unsur names (wrapped), bar heights the unrounded values.
    """
    survey = load_survey(survey)
    table = unsur_table(data, survey=survey) if _is_responses(data, survey) else data
    table = table.set_index("unsur").loc[[k for k in survey.keys if k in set(table["unsur"])]].reset_index()
    if ikm is None:
        if not _is_responses(data, survey):
            raise ValueError("plot_unsur: beri ikm=... bersama tabel unsur (mis. ikm=r.summary['ikm']).")
        ikm = summarize(data, survey=survey, ci=None)["ikm"]
    factor = 1.0 if value == "nrr" else survey.conversion
    with theme():
        made = ax is None
        ax = new_axes(ax, size=(6.6, 3.5))
        _shade_bands(ax, survey, value=value)
        x = np.arange(len(table))
        heights = table[value].to_numpy(dtype=float)
        colors = [mutu_color(m, survey) for m in table["mutu"]]
        bars = ax.bar(x, heights, width=0.62, color=colors, zorder=2, **kwargs)
        level = ikm / survey.conversion * factor
        ax.axhline(level, color=INK, lw=1.1, ls="--", zorder=4, gid="ikm")
        ax.set_xticks(x, [_wrap(n, 11) for n in table["nama"]], fontsize=7.2)
        lo, hi = survey.scale_min * factor, survey.scale_max * factor
        ax.set_ylim(lo, hi + 0.08 * (hi - lo))
        ax.set_xlim(-0.5, len(table) - 0.5)
        values = [ax.text(rect.get_x() + rect.get_width() / 2, h + 0.012 * factor * 3, number(h, 2), ha="center",
                          va="bottom", fontsize=8, color=INK, zorder=3, gid="value")
                  for rect, h in zip(bars, heights)]
        ax.yaxis.set_major_formatter(number_formatter(1 if value == "nrr" else 0))
        ax.set_ylabel(label(value) + (f" (NRR \u00d7 {exact(survey.conversion)})" if value == "converted" else ""))
        # the IKM line is named in the legend (one row over the chart), so no label box sits among the bars
        handles = [Patch(color=mutu_color(b.mutu, survey), label=f"{b.mutu} ({b.kinerja})") for b in survey.bands]
        handles.append(Line2D([], [], color=INK, lw=1.1, ls="--", label=f"{label('ikm_line')} {number(ikm, 2)}"))
        ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.01), ncol=len(handles),
                  fontsize=7.5, frameon=False, handlelength=1.4, columnspacing=1.2, borderaxespad=0.2)
        ax.tick_params(axis="x", length=0, pad=3)
        _fit_page(ax, made)
        _clear_line(ax, values, bars, level, colors)
    return ax


def _score_colors(n: int) -> list[str]:
    """``n`` answer colours, lowest score first: the four of the theme, spread over a longer scale."""
    if n == len(SCORE_COLORS):
        return list(SCORE_COLORS)
    from matplotlib.colors import LinearSegmentedColormap, to_hex

    ramp = LinearSegmentedColormap.from_list("skor", SCORE_COLORS)
    return [to_hex(ramp(i / max(n - 1, 1))) for i in range(n)]


def answer_shares(data, *, survey=None) -> pd.DataFrame:
    """Share of each score per unsur (rows: unsur keys in order; columns: scores).

    Blank answers are left out of the denominator, as in the NRR.
    """
    survey = load_survey(survey)
    scores = list(range(survey.scale_min, survey.scale_max + 1))
    rows = {}
    for key in survey.keys:
        col = data[key].dropna()
        counts = col.value_counts().reindex(scores, fill_value=0)
        rows[key] = counts / counts.sum() if counts.sum() else counts.astype(float)
    out = pd.DataFrame(rows).T
    out.columns = scores
    return out


def plot_answers(data, *, survey=None, kind="stacked", ax=None, **kwargs):
    """The answer distribution per unsur as 100% Likert bars.

    Parameters
    ----------
    data : DataFrame
        Canonical responses.
    kind : {"stacked", "diverging"}
        Stacked 0-100%, or diverging around the scale's middle (low answers
        to the left of zero, high answers to the right).

    Returns
    -------
    matplotlib Axes
        One bar container per score (lowest first); y tick labels are the unsur
        names; legend entries are the answer labels from the survey definition
        (shared labels when all unsur share them, else "<letter> = <score>
        (<the bands' nilai persepsi words>)", e.g. "a = 1 (Tidak baik)").
    """
    survey = load_survey(survey)
    shares = answer_shares(data, survey=survey)
    scores = list(shares.columns)
    all_labels = {u.labels for u in survey.unsur if u.labels}
    persepsi = {b.persepsi: b.kinerja for b in survey.bands}
    if len(all_labels) == 1:
        legend = list(next(iter(all_labels)))
    else:  # labels differ per unsur: the letter, the score and the band's words for it
        legend = [f"{survey.letters[i]} = {s}" + (f" ({persepsi[s]})" if s in persepsi else "")
                  if i < len(survey.letters) else str(s) for i, s in enumerate(scores)]
    colors = _score_colors(len(scores))
    with theme():
        made = ax is None
        ax = new_axes(ax, size=(6.6, 3.4))
        y = np.arange(len(shares))[::-1]
        names = [_wrap(survey.get(k).name, 30) for k in shares.index]
        if kind == "diverging":
            half = len(scores) // 2
            left = -shares[scores[:half]].sum(axis=1).to_numpy()
        else:
            left = np.zeros(len(shares))
        for i, s in enumerate(scores):
            w = shares[s].to_numpy() * 100
            bars = ax.barh(y, w, left=left * (100 if kind == "diverging" else 1), height=0.66,
                           color=colors[i], label=legend[i], edgecolor="white", linewidth=0.5, **kwargs)
            for rect, v in zip(bars, w):
                if v >= 6:
                    ax.text(rect.get_x() + rect.get_width() / 2, rect.get_y() + rect.get_height() / 2,
                            number(v, 0), ha="center", va="center", fontsize=7,
                            color="white" if i in (0, len(scores) - 1) else INK)
            left = left + (shares[s].to_numpy() if kind == "diverging" else w)
        ax.set_yticks(y, names, fontsize=7.5)
        if kind == "diverging":
            ax.axvline(0, color=INK, lw=0.8)
            ax.set_xlim(-100, 100)
            # shares on both sides of zero are percentages of answers: 50 to the left is 50%, not -50%
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(abs(v), 0)))
        else:
            ax.set_xlim(0, 100)
            ax.xaxis.set_major_formatter(number_formatter(0))
        ax.set_xlabel(label("percent") + " (%)")
        # centred under the figure, not under the axes: the unsur names push the axes right, and a legend as
        # wide as the axes, centred on them, ran past the figure's right edge (clipped in the PNG)
        fig = ax.get_figure(root=True)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=len(scores), title=label("score"),
                  bbox_transform=blended_transform_factory(fig.transFigure, ax.transAxes),
                  alignment="left", fontsize=7.5, title_fontsize=7.5, frameon=False)
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        _fit_page(ax, made, passes=3)  # the legend hangs below the axes (see _fit_page)
    return ax


# ---------------------------------------------------------------- profile
def plot_profile(data, *, field="jenis_kelamin", ax=None, **kwargs):
    """Respondents by one characteristic as horizontal bars with count and percent.

    Parameters
    ----------
    data : DataFrame
        Canonical responses.
    field : {"jenis_kelamin", "usia", "pendidikan", "pekerjaan", "layanan"}

    Returns
    -------
    matplotlib Axes
        One bar per category (top to bottom in :func:`skmkit.profile.profile_counts` order);
        bar widths are counts.
    """
    table = profile_counts(data, field)
    with theme():
        made = ax is None
        # one width and one text size for every characteristic: the four print side by side at their own size
        ax = new_axes(ax, size=(3.15, 0.42 + 0.17 * max(len(table), 2)))
        y = np.arange(len(table))[::-1]
        bars = ax.barh(y, table["jumlah"], height=0.7, color=kwargs.pop("color", ACCENT), **kwargs)
        top = max(int(table["jumlah"].max()), 1)
        for rect, n, p in zip(bars, table["jumlah"], table["persen"]):
            ax.text(rect.get_width() + top * 0.02, rect.get_y() + rect.get_height() / 2,
                    f"{number(n)} ({percent(p)})", va="center", fontsize=7)
        ax.set_yticks(y, [_wrap(label(c), 22) for c in table["kategori"]], fontsize=7.5)
        ax.set_xlim(0, top * 1.45)
        ax.xaxis.set_major_formatter(number_formatter(0))
        ax.set_title(label(field), fontsize=9, y=1.0)  # nothing above the axes: a fixed place, not measured at each draw
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_xticks([])
        ax.spines["bottom"].set_visible(False)
        _fit_page(ax, made)
    return ax


# -------------------------------------------------------------- per layanan
def plot_layanan(data, *, survey=None, by="layanan", ax=None, **kwargs):
    """IKM per jenis layanan as horizontal bars coloured by mutu, with n per bar.

    ``data``: canonical responses, or an :func:`skmkit.ikm_table` by ``by``.
    Bars are in descending IKM order (highest at the top); widths are the IKM.
    """
    survey = load_survey(survey)
    table = ikm_table(data, survey=survey, by=by, ci=None) if _is_responses(data, survey) else data
    table = table.sort_values(["ikm", by], ascending=[True, False]).reset_index(drop=True)
    with theme():
        made = ax is None
        ax = new_axes(ax, size=(6.6, 0.75 + 0.32 * max(len(table), 2)))
        _shade_bands(ax, survey, value="converted", orientation="v")
        y = np.arange(len(table))
        colors = [mutu_color(m, survey) for m in table["mutu"]]
        bars = ax.barh(y, table["ikm"], height=0.6, color=colors, zorder=2, **kwargs)
        ax.set_yticks(y, [_wrap(v, 28) for v in table[by]], fontsize=8)
        ax.set_ylim(-0.6, len(table) - 0.4)
        lo = survey.scale_min * survey.conversion
        ax.set_xlim(lo, survey.scale_max * survey.conversion)  # the scale's top: no axis past 100
        _ikm_ticks(ax, survey)
        ax.xaxis.set_major_formatter(number_formatter(0))
        ax.set_xlabel(label("ikm"))
        ax.tick_params(axis="y", length=0)
        _fit_page(ax, made)
        _bar_labels(ax, bars, [f"{number(v, 2)} ({m}) \u00b7 n = {number(n)}" for v, m, n
                               in zip(table["ikm"], table["mutu"], table["respondents"])], colors, lo)
    return ax


# ------------------------------------------------------------------ trend
def plot_trend(data, *, survey=None, ax=None, **kwargs):
    """The IKM over periods as a line with markers coloured by mutu.

    ``data``: a DataFrame or list of dicts with ``period`` and ``ikm``, in
    chronological order (the order given is kept).
    """
    survey = load_survey(survey)
    table = pd.DataFrame(list(data) if not isinstance(data, pd.DataFrame) else data).reset_index(drop=True)
    values = table["ikm"].astype(float).to_numpy()
    with theme():
        made = ax is None
        ax = new_axes(ax, size=(6.6, 2.8))
        _shade_bands(ax, survey, value="converted")
        x = np.arange(len(table))
        ax.plot(x, values, color=ACCENT, lw=1.6, zorder=3, **kwargs)
        labels = []
        for xi, v in zip(x, values):
            m = survey.band(v).mutu
            ax.scatter([xi], [v], s=36, color=mutu_color(m, survey), edgecolor="white", zorder=4)
            labels.append(ax.annotate(f"{number(v, 2)} ({m})", (xi, v), textcoords="offset points", xytext=(0, 7),
                                      ha="center", fontsize=7.5, zorder=5))
        # many periods: narrower slots, "Semester II 2026" on two lines
        ax.set_xticks(x, [_wrap(p, 16 if len(table) <= 5 else 9) for p in table["period"]], fontsize=7.5)
        lo = max(survey.scale_min * survey.conversion, np.floor(values.min() / 5) * 5 - 10)
        ax.set_ylim(lo, survey.scale_max * survey.conversion)
        ax.set_xlim(-0.5, len(table) - 0.5)
        ax.yaxis.set_major_formatter(number_formatter(0))
        ax.set_ylabel(label("ikm"))
        _fit_page(ax, made)
        # the axis, and the bands filling it, end where the first and the last point's labels end, not half
        # a period past the points; laid out again for the new limits
        margin = _trend_margin(ax, labels, len(table))
        ax.set_xlim(-margin, len(table) - 1 + margin)
        _fit_page(ax, made)
    return ax


def _trend_margin(ax, labels, n: int) -> float:
    """Room on the x axis past the first and the last period, in periods: half the widest point label and a
    little more, so that no label crosses the y axis or runs past the axis' end (at most half a period)."""
    if n < 2:
        return 0.5
    fig = ax.get_figure(root=True)
    renderer = (fig.canvas if hasattr(fig.canvas, "get_renderer") else FigureCanvasAgg(fig)).get_renderer()
    half = max(t.get_window_extent(renderer).width for t in labels) / 2 + 0.05 * fig.dpi  # pixels
    width = ax.get_window_extent(renderer).width
    # m periods of width / (n - 1 + 2m) pixels each hold `half`: m = half (n - 1) / (width - 2 half)
    return min(0.5, half * (n - 1) / max(width - 2 * half, 1.0))


# ------------------------------------------------------------ recap charts
def _units(data, by):
    """Rows of real units of a recap (drop the pooled/mean summary row)."""
    table = data.copy()
    if "peringkat" in table.columns:
        table = table[table["peringkat"].notna()]
    return table.reset_index(drop=True)


def _summary_row(data):
    if "peringkat" in data.columns:
        rest = data[data["peringkat"].isna()]
        if len(rest):
            return rest.iloc[0]
    return None


def plot_ranking(data, *, survey=None, by="unit", ax=None, **kwargs):
    """Units ranked by IKM: horizontal bars coloured by mutu, best at the top.

    ``data``: a :func:`skmkit.recap` (or :func:`skmkit.ikm_table` by unit).
    The recap's summary row (``peringkat`` empty) becomes a vertical line.
    Bar widths are the IKM; y tick labels "<rank>. <unit>".
    """
    survey = load_survey(survey)
    table = _units(data, by).sort_values(["ikm", by], ascending=[False, True]).reset_index(drop=True)
    summary = _summary_row(data)
    labels = [f"{i + 1}. {_wrap(u, 40)}" for i, u in enumerate(table[by])]
    slots = _row_slots(labels)  # a wrapped name gets a taller row: 40 long names never overlap
    height = float(slots.sum())
    with theme():
        made = ax is None
        ax = new_axes(ax, size=(6.6, 0.8 + _ROW_IN * max(height, 2)))
        _shade_bands(ax, survey, value="converted", orientation="v")
        # row centres from the top; with one-line labels only, n-1 ... 0 as before
        y = height - 0.5 - (np.cumsum(slots) - slots / 2)
        colors = [mutu_color(m, survey) for m in table["mutu"]]
        bars = ax.barh(y, table["ikm"], height=0.66, zorder=2, color=colors, **kwargs)
        ax.set_yticks(y, labels, fontsize=8)
        lo = survey.scale_min * survey.conversion
        ax.set_xlim(lo, survey.scale_max * survey.conversion)  # the scale's top: no axis past 100
        ax.set_ylim(-0.6, height + 0.4)
        if summary is not None:
            # under the bars (seen between them, never across a value label); it stops under its label,
            # which sits above the top bar and ends at the line
            top = height - 0.4
            ax.vlines(summary["ikm"], -0.6, top, color=INK, lw=1.0, ls="--", zorder=1.5, gid="summary")
            ax.text(summary["ikm"], top + 0.08, f"{_wrap(summary[by], 40)}: {number(summary['ikm'], 2)}",
                    ha="right", va="bottom", fontsize=8, fontweight="bold", zorder=5, gid="summary-label")
        _ikm_ticks(ax, survey)
        ax.xaxis.set_major_formatter(number_formatter(0))
        ax.set_xlabel(label("ikm"))
        ax.tick_params(axis="y", length=0)
        _fit_page(ax, made)
        _bar_labels(ax, bars, [f"{number(v, 2)} ({m})" for v, m in zip(table["ikm"], table["mutu"])], colors, lo)
    return ax


def plot_unsur_heatmap(data, *, survey=None, by="unit", ax=None, **kwargs):
    """NRR of every unsur in every unit: a grid coloured by the unsur's mutu.

    ``data``: a :func:`skmkit.recap` (unit rows, unsur key columns holding
    NRR) or an :func:`skmkit.unsur_table` by unit (tidy). Rows keep the
    recap's order (its rank); columns are the unsur in survey order.
    Returns the Axes; ``ax.images[0].get_array()`` holds the NRR grid.
    """
    survey = load_survey(survey)
    if "unsur" in data.columns and "nrr" in data.columns:
        grid = data.pivot_table(index=by, columns="unsur", values="nrr", sort=False)
    else:
        units = _units(data, by)
        grid = units.set_index(by)[[k for k in survey.keys if k in units.columns]]
    grid = grid[[k for k in survey.keys if k in grid.columns]].astype(float)
    ranks = None
    if "peringkat" in data.columns and "unsur" not in data.columns:  # a recap: rows in rank order
        ranks = _units(data, by)["peringkat"].astype(int).tolist()
    values = grid.to_numpy()
    bands = sorted(survey.bands, key=lambda b: b.min)
    edges = [survey.scale_min - 1] + [b.min / survey.conversion for b in bands[1:]] + [survey.scale_max + 1]
    cmap = ListedColormap([mutu_color(b.mutu, survey, tint="light") for b in bands])
    with theme():
        made = ax is None
        labels = _grid_labels(grid.index, ranks)
        pitch = max(0.24, max(t.count("\n") + 1 for t in labels) * _LINE_IN + 0.05) if labels else 0.24
        ax = new_axes(ax, size=(6.6, 1.0 + pitch * max(len(grid), 2)))
        ax.imshow(values, cmap=cmap, norm=BoundaryNorm(edges, cmap.N), aspect="auto", interpolation="nearest",
                  **kwargs)
        for (i, j), v in np.ndenumerate(values):
            m = survey.band(v * survey.conversion).mutu if v == v else ""
            ax.text(j, i, number(v, 2), ha="center", va="center", fontsize=7.5,
                    color=mutu_color(m, survey, tint="text") if m else INK,
                    fontweight="bold" if m in survey.weak_mutu else "normal")
        # the keys head the columns (a figure caption names them): names at a readable size do not fit a cell
        ax.set_xticks(np.arange(grid.shape[1]), list(grid.columns), fontsize=8, fontweight="bold")
        ax.xaxis.tick_top()
        ax.set_yticks(np.arange(grid.shape[0]), labels, fontsize=8)
        ax.set_xticks(np.arange(-0.5, grid.shape[1]), minor=True)
        ax.set_yticks(np.arange(-0.5, grid.shape[0]), minor=True)
        ax.grid(which="minor", color="white", lw=1.5)
        ax.tick_params(which="both", length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        handles = [Patch(facecolor=mutu_color(b.mutu, survey, tint="light"), edgecolor=GRID, label=f"{b.mutu} ({b.kinerja})")
                   for b in survey.bands]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=len(handles),
                  title=f"{label('mutu')} unsur (NRR \u00d7 {number(survey.conversion)})", title_fontsize=7.5,
                  fontsize=7.5, frameon=False)
        _fit_page(ax, made, passes=2)  # the legend hangs below the axes
    return ax


def plot_mutu_distribution(data, *, survey=None, ax=None, **kwargs):
    """Number of units per mutu (A..D), bars coloured by mutu with counts on top.

    ``data``: a :func:`skmkit.recap` or any table with a ``mutu`` column (one
    row per unit; the recap's summary row is ignored). Bars run A, B, C, D.
    """
    survey = load_survey(survey)
    table = _units(data, None)
    letters = [b.mutu for b in survey.bands]
    counts = table["mutu"].value_counts().reindex(letters, fill_value=0)
    with theme():
        ax = new_axes(ax, size=(4.2, 2.8))
        x = np.arange(len(letters))
        bars = ax.bar(x, counts.to_numpy(), width=0.6, color=[mutu_color(m, survey) for m in letters],
                      **kwargs)
        for rect, n in zip(bars, counts.to_numpy()):
            ax.text(rect.get_x() + rect.get_width() / 2, rect.get_height() + 0.05, number(n), ha="center",
                    va="bottom", fontsize=8, fontweight="bold")
        ax.set_xticks(x, [f"{b.mutu}\n{b.kinerja}" for b in survey.bands], fontsize=7.5)
        ax.set_ylim(0, max(int(counts.max()), 1) * 1.2 + 0.5)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(label("units_count"))
    return ax
