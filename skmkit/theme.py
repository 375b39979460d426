"""The one chart theme: colours, fonts, Indonesian labels and deterministic PNG.

Every chart in :mod:`skmkit.charts` draws inside :func:`theme` and every
figure leaves the kit through :func:`png_bytes`, so the same data give the
same bytes on every run (fixed DPI, DejaVu Sans bundled with matplotlib, no
dates or versions in the PNG metadata).
"""
from __future__ import annotations

import io
import math
from contextlib import contextmanager

import matplotlib
import numpy as np
from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.ticker import FuncFormatter, ScalarFormatter

from .fmt import number

__all__ = [
    "DPI", "FONT", "MUTU_COLORS", "MUTU_LIGHT", "SCORE_COLORS", "INK", "MUTED", "GRID", "ACCENT",
    "LABELS", "label", "header", "theme", "set_theme", "new_axes", "png_bytes", "encode_png", "number_formatter",
]

#: Fixed resolution of every PNG the kit writes.
DPI = 200
#: White margin around the drawing in every PNG, in inches (savefig's ``pad_inches``).
PAD = 0.08
FONT = "DejaVu Sans"

INK = "#1d2733"
MUTED = "#5b6b7b"
GRID = "#d5dde5"
ACCENT = "#0b3d6b"  # the report's navy

#: Bar colours by mutu pelayanan (A best).
MUTU_COLORS = {"A": "#1a7f4b", "B": "#2f6fae", "C": "#e0a100", "D": "#c0392b"}
#: Light tints of the same, for band backgrounds and table cells.
MUTU_LIGHT = {"A": "#e3f2e9", "B": "#e4edf7", "C": "#fbf1d6", "D": "#f7e1de"}
#: Answer scores 1..4 (red to green), for Likert bars.
SCORE_COLORS = ["#c0392b", "#f0a35e", "#7fb8da", "#1f6fae"]

#: Every Indonesian word a chart shows, from one place.
LABELS = {
    "unsur": "Unsur pelayanan",
    "nrr": "Nilai rata-rata (NRR)",
    "converted": "Nilai konversi",  # the chart adds "(NRR x <conversion>)" from the survey definition
    "ikm": "IKM",
    "ikm_line": "IKM unit",
    "respondents": "Jumlah responden",
    "percent": "Persentase jawaban",
    "layanan": "Jenis layanan",
    "period": "Periode",
    "unit": "Unit pelayanan",
    "mutu": "Mutu pelayanan",
    "units_count": "Jumlah unit",
    "score": "Nilai persepsi",
    "pooled": "Gabungan",
    "jenis_kelamin": "Jenis kelamin",
    "usia": "Kelompok usia",
    "pendidikan": "Pendidikan terakhir",
    "pekerjaan": "Pekerjaan utama",
    "L": "Laki-laki",
    "P": "Perempuan",
    "blank": "Tidak diisi",
    "band": "Batas mutu",
    "All": "Jumlah",  # pd.crosstab(..., margins=True)
    "count": "Jumlah",  # Series.value_counts()
    "proportion": "Proporsi",
    "mean": "Rata-rata",
}

_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9,
    "axes.labelcolor": INK,
    "axes.edgecolor": MUTED,
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "axes.grid": False,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "xtick.color": INK,
    "ytick.color": INK,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "text.color": INK,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "svg.hashsalt": "skmkit",
    "path.simplify": False,
    # unit names and periods are text, never mathematics: "$" is drawn as a dollar sign
    "text.parse_math": False,
}


def label(key: str) -> str:
    """The Indonesian label for a key (the key itself when none is defined)."""
    return LABELS.get(key, key)


def header(name) -> str:
    """A column name as a table header: the kit's Indonesian label, else the name made readable.

    Examples
    --------
    >>> header("jenis_kelamin"), header("L"), header("jumlah_responden"), header("Unit Layanan")
    ('Jenis kelamin', 'Laki-laki', 'Jumlah responden', 'Unit Layanan')
    """
    if isinstance(name, tuple):
        return " ".join(header(n) for n in name if str(n) != "")
    text = str(name)
    if text in LABELS:
        return LABELS[text]
    if text == text.lower() and text.replace("_", "").isalnum():  # a code-style name: jenis_kelamin
        text = text.replace("_", " ")
        return text[:1].upper() + text[1:]
    return text


@contextmanager
def theme():
    """Draw in the kit's look inside a ``with`` block (rcParams are restored after).

    Fonts (DejaVu Sans, bundled with matplotlib), sizes, colours of text,
    axes and grid are set while the block runs. Text takes its font when it
    is drawn onto the axes, so build the whole chart inside the block.

    Examples
    --------
    A chart of your own in the kit's look, with a numbered caption in the
    report:

    >>> from skmkit import sections as s
    >>> from skmkit.theme import ACCENT, new_axes, theme
    >>> with theme():
    ...     ax = new_axes(size=(6, 2.5))
    ...     bars = ax.bar(["Januari", "Februari"], [120, 95], color=ACCENT)
    ...     _ = ax.set_ylabel("Jumlah responden")
    >>> html = s.figure(ax, "Responden per bulan")
    >>> html.startswith('<figure class="chart">')
    True
    """
    with matplotlib.rc_context(_RC):
        yield


def set_theme() -> None:
    """Use the kit's look for every matplotlib figure from now on (``pyplot`` figures too).

    What :func:`theme` does for one block, for the rest of the session;
    :func:`skmkit.sections.kit_style` calls it for the report notebook.

    Examples
    --------
    >>> import matplotlib
    >>> set_theme()
    >>> matplotlib.rcParams["font.sans-serif"][0]
    'DejaVu Sans'
    """
    matplotlib.rcParams.update(_RC)


def new_axes(ax=None, *, size=(7.0, 3.6)):
    """Return ``ax``, or the axes of a new figure (no pyplot state, never shown).

    Parameters
    ----------
    ax : matplotlib Axes, optional
        Axes to draw on; returned as it is.
    size : (float, float)
        Width and height in inches of a new figure (the report's text is
        about 6.7 inches wide).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> with theme():
    ...     ax = new_axes(size=(5, 2))
    ...     lines = ax.plot([1, 2, 3], [80.5, 82.0, 84.25])
    >>> ax.get_figure().get_size_inches().tolist()
    [5.0, 2.0]
    """
    if ax is not None:
        return ax
    fig = Figure(figsize=size, dpi=DPI)
    # one Agg canvas for the figure's life: layout, label measuring and the drawing share its renderer,
    # so each text is measured once (a canvas made per step measures every text again)
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def number_formatter(digits: int = 0) -> FuncFormatter:
    """A tick formatter writing Indonesian numbers (``87,28``; ``1.250``)."""
    return FuncFormatter(lambda v, _pos: number(v, digits))


def _swap_separators(text: str) -> str:
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


@contextmanager
def _indonesian_ticks(fig):
    """Decimal commas on axes still using matplotlib's default tick labels (``3.25`` -> ``3,25``), while drawing."""
    changed = []
    for ax in fig.get_axes():
        for axis in (ax.xaxis, ax.yaxis):
            fmt = axis.get_major_formatter()
            if type(fmt) is ScalarFormatter:
                axis.set_major_formatter(FuncFormatter(lambda v, pos, f=fmt: _swap_separators(f(v, pos))))
                # the new formatter must see the ticks the old one was set up for
                axis.get_major_formatter().set_locs = fmt.set_locs
                changed.append((axis, fmt))
    try:
        yield
    finally:
        for axis, fmt in changed:
            axis.set_major_formatter(fmt)


@contextmanager
def _as_printed(fig):
    """The figure at :data:`DPI` on white while the block runs, as ``savefig(dpi=DPI, facecolor="white")`` sets it."""
    dpi, face = fig.dpi, fig.get_facecolor()
    if dpi != DPI:
        fig.dpi = DPI
    fig.set_facecolor("white")
    try:
        yield
    finally:
        fig.set_facecolor(face)
        if dpi != DPI:
            fig.dpi = dpi


@contextmanager
def _layout_held(fig):
    """Draw without running the figure's layout engine again (savefig's second draw does the same)."""
    engine = fig.get_layout_engine()
    if engine is None or isinstance(engine, PlaceHolderLayoutEngine):
        yield
        return
    fig.set_layout_engine("none")
    try:
        yield
    finally:
        fig.set_layout_engine(engine)


def _laid_out(fig):
    """Lay the figure out as savefig's first drawing does and measure its tight box (inches).

    None for a canvas that is not Agg's or a high-density screen's canvas (savefig then does
    both itself). A kit chart's layout is held already (:func:`skmkit.charts._fit_page`).
    """
    if type(fig.canvas) is FigureCanvasBase:  # a bare Figure(): Agg draws it (what savefig would switch to)
        FigureCanvasAgg(fig)
    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg) or canvas.device_pixel_ratio != 1:
        return None
    engine = fig.get_layout_engine()
    if fig.axes and engine is not None:  # as Figure.draw runs it
        try:
            engine.execute(fig)
        except ValueError:  # what Figure.draw lets pass too
            pass
    return fig.get_tightbbox(canvas.get_renderer())


def _cropped_rgba(fig, box) -> np.ndarray | None:
    """The figure drawn once and cropped to its tight ``box`` plus :data:`PAD`, as rows of RGBA pixels.

    What ``savefig(bbox_inches="tight")`` makes, without its second drawing: the figure is
    drawn once at its own size and the tight box cut out, white where the box passes the
    figure's edge. The cut starts on a whole pixel: where the box does not (the trend chart,
    an analyst's own chart), the drawing sits up to half a pixel from where savefig puts it
    (other anti-aliasing, the same picture); the report's and the recap's charts come out
    byte-identical. None when the cut would lose something: a drawing reaching past the
    figure's edge (savefig draws it in).
    """
    width, height = fig.get_size_inches()
    if box is None or box.x0 < 0 or box.y0 < 0 or box.x1 > width or box.y1 > height:
        return None
    canvas = fig.canvas
    with _layout_held(fig):
        canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    rows, cols = pixels.shape[:2]
    box = box.padded(PAD)
    w, h = int(box.width * DPI + 1e-8), int(box.height * DPI + 1e-8)  # savefig's size of the cropped figure
    left = math.floor(box.x0 * DPI + 0.5)
    top = math.floor(rows - box.y0 * DPI - h + 0.5)
    out = np.full((h, w, 4), 255, dtype=np.uint8)
    x0, y0, x1, y1 = max(left, 0), max(top, 0), min(left + w, cols), min(top + h, rows)
    out[y0 - top:y1 - top, x0 - left:x1 - left] = pixels[y0:y1, x0:x1]
    return out


def _saved_rgba(fig, box) -> np.ndarray:
    """``savefig`` cropped to the tight ``box`` plus :data:`PAD` (measured by savefig when None), raw RGBA."""
    buf = io.BytesIO()
    if box is not None:  # laid out and measured already (_laid_out): savefig would do both again
        with _layout_held(fig):
            fig.savefig(buf, format="rgba", dpi=DPI, bbox_inches=box.padded(PAD), facecolor="white")
        renderer = fig.canvas.renderer  # the canvas keeps the renderer of its last drawing: its size
        return np.frombuffer(buf.getvalue(), dtype=np.uint8).reshape(int(renderer.height), int(renderer.width), 4)
    from PIL import Image

    # another backend's canvas: savefig switches to Agg for the PNG only, so its size comes with the PNG
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", pad_inches=PAD, facecolor="white",
                metadata={"Software": None})
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGBA"))


def png_bytes(fig_or_ax) -> bytes:
    """Render a figure (or an axes' figure) to deterministic PNG bytes.

    Fixed DPI, tight bounding box with a :data:`PAD` margin, opaque RGB, and
    no text metadata (no ``Software`` chunk carrying a version, no dates).
    The figure is drawn once (:func:`_cropped_rgba`) and its pixels encoded
    once; what ``savefig(bbox_inches="tight")`` would give, faster.
    """
    fig = fig_or_ax if isinstance(fig_or_ax, Figure) else fig_or_ax.get_figure(root=True)
    with theme(), _indonesian_ticks(fig), _as_printed(fig):
        box = _laid_out(fig)
        rgba = _cropped_rgba(fig, box)
        if rgba is None:
            rgba = _saved_rgba(fig, box)
    return encode_png(rgba)


def encode_png(rgba, dpi: int = DPI) -> bytes:
    """Rows of RGBA pixels (a drawing on an opaque background) as deterministic, opaque RGB PNG bytes.

    The alpha channel is dropped (as Pillow's RGBA -> RGB conversion does): smaller, and PDF
    viewers draw no soft-mask halo (WeasyPrint embeds an RGB PNG's data as it is, and splits an
    RGBA one into image and mask). No text metadata; the resolution is written.
    """
    from PIL import Image

    image = Image.fromarray(np.asarray(rgba)).convert("RGB")  # Pillow drops the alpha 7x faster than numpy
    out = io.BytesIO()
    # zlib level 6 without Pillow's `optimize` search: 1% larger, 0.1 s less per chart
    image.save(out, format="PNG", compress_level=6, dpi=(dpi, dpi))
    return out.getvalue()


# -- mutu colours by rank -------------------------------------------------------------
#: Colours of the bands by rank, best first; a definition with other letters or more bands gets them in order.
_BAND_COLORS = ("#1a7f4b", "#2f6fae", "#e0a100", "#c0392b")
_BAND_LIGHT = ("#e3f2e9", "#e4edf7", "#fbf1d6", "#f7e1de")
_BAND_TEXT = ("#14613a", "#1f4f80", "#7a5500", "#9c2a1f")
#: The colour of an unsur nobody answered (no mutu).
NO_MUTU = "#8895A7"


def _band_rank(mutu, survey) -> int | None:
    letters = list(survey.mutu_letters)
    if mutu not in letters:
        return None
    i = letters.index(mutu)
    # spread more (or fewer) bands over the four colours, best and worst kept at the ends
    return round(i * (len(_BAND_COLORS) - 1) / max(len(letters) - 1, 1))


def mutu_class(mutu, survey) -> str:
    """The stylesheet's class of a mutu letter, by the band's rank (``"mutu-r0"`` best): other letters, same look."""
    rank = _band_rank(mutu, survey)
    return "mutu-none" if rank is None else f"mutu-r{rank}"


def class_color(name: str | None, *, tint: str = "solid") -> str | None:
    """The colour of a stylesheet mutu class (``"mutu-r1"`` or ``"r1"``, :func:`mutu_class`); None for others."""
    rank = (name or "").removeprefix("mutu-")
    if not (rank.startswith("r") and rank[1:].isdigit() and int(rank[1:]) < len(_BAND_COLORS)):
        return None
    return {"solid": _BAND_COLORS, "light": _BAND_LIGHT, "text": _BAND_TEXT}[tint][int(rank[1:])]


def mutu_color(mutu, survey, *, tint: str = "solid") -> str:
    """The colour of a mutu letter of ``survey`` by the band's rank (``tint``: solid, light or text).

    The letters come from the survey definition, so a definition with other
    letters gets the same colours by rank; a blank mutu (an unsur nobody
    answered) is grey.
    """
    rank = _band_rank(mutu, survey)
    palette = {"solid": _BAND_COLORS, "light": _BAND_LIGHT, "text": _BAND_TEXT}[tint]
    if rank is None:
        return {"solid": NO_MUTU, "light": "#eeeeee", "text": INK}[tint]
    return palette[rank]


def text_on(color: str) -> str:
    """Ink or white, whichever reads on ``color`` (relative luminance, as WCAG weighs it)."""
    r, g, b = (int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return INK if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 else "white"
