"""The publication banner of one unit: an A4 portrait infographic, PNG and PDF.

Units must publish their IKM (notice board, website, social media). The banner
follows the standard form units copy (see the method doc's Publication
section): the title "INDEKS KEPUASAN MASYARAKAT (IKM)", the unit and period,
the IKM large with its mutu and kinerja, the nine unsur with their converted
values, the respondents (count, by jenis kelamin, by pendidikan), the survey
period, a thank-you line to the public, and the unit head's name and position.

One drawing (:func:`banner_figure`) gives both files, so the PNG and the PDF
say the same thing. Fonts are matplotlib's bundled DejaVu Sans files, loaded by
path, so the bytes do not depend on the fonts a machine has installed; PNG and
PDF metadata carry no date or software version.
"""
from __future__ import annotations

import hashlib
import io
import os
import pickle
from functools import lru_cache
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, FancyBboxPatch, Polygon, Rectangle, Wedge
from matplotlib.textpath import TextToPath

from .errors import ParameterError, SkmError
from . import schema
from .files import output_dir, slugify, write_atomic
from .fmt import exact, number, percent
from .logo import logo_bytes
from .prepared import PreparedUnit, as_prepared, prepare_unit
from .profile import BLANK
from .sampling import krejcie_morgan
from .safetext import drawable
from .theme import ACCENT, INK, MUTED, encode_png, mutu_color

__all__ = ["banner_figure", "banner_png", "banner_pdf", "write_banner", "BANNER_TITLE", "THANKS"]

BANNER_TITLE = "INDEKS KEPUASAN MASYARAKAT (IKM)"
THANKS = ("Terima kasih atas partisipasi Bapak/Ibu/Saudara dalam Survei Kepuasan Masyarakat. "
          "Penilaian dan masukan Anda menjadi dasar perbaikan pelayanan kami.")

_NAVY = ACCENT
_NAVY_2 = "#2f6fae"
_GOLD = "#F2B134"
_INK = INK
_MUTED = MUTED
_PANEL = "#F2F6FA"
_TRACK = "#DDE5EE"
_SEX_COLORS = {"L": "#2f6fae", "P": "#E36F8E"}
_SEX_NAMES = {"L": "Laki-laki", "P": "Perempuan"}

#: A4 portrait in millimetres; the drawing uses millimetres from the top-left corner.
_W, _H = 210.0, 297.0
_MM = 72 / 25.4  # points per millimetre
_DPI = 150
_TEXT_TO_PATH = TextToPath()


# -- fonts and text fitting ----------------------------------------------------------
@lru_cache(maxsize=None)
def _font(weight: str = "regular") -> FontProperties:
    files = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf", "italic": "DejaVuSans-Oblique.ttf"}
    return FontProperties(fname=str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / files[weight]))


@lru_cache(maxsize=4096)
def _width_mm(text: str, size: float, weight: str = "regular") -> float:
    """The advance width of a text line in millimetres (FreeType layout, no rendering)."""
    if not text:
        return 0.0
    text = drawable(text)
    prop = _font(weight).copy()
    prop.set_size(size)
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath=False)
    return width / _MM


def _wrap(text: str, width_mm: float, size: float, weight: str = "regular") -> list[str]:
    lines, line = [], ""
    for word in str(text).split():
        trial = f"{line} {word}".strip()
        if line and _width_mm(trial, size, weight) > width_mm:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + ([line] if line else [])


def _fit(text: str, width_mm: float, size: float, weight: str = "regular", max_lines: int = 1,
         min_size: float = 6.0) -> tuple[list[str], float]:
    """Wrap text into at most ``max_lines`` lines of ``width_mm``, shrinking the size if needed."""
    while True:
        lines = _wrap(text, width_mm, size, weight)
        if (len(lines) <= max_lines and all(_width_mm(x, size, weight) <= width_mm for x in lines)) \
                or size <= min_size:
            return lines, size
        size = round(size - 0.5, 1)


class _Canvas:
    """Drawing helpers in millimetres from the top-left corner of the page."""

    def __init__(self, fig: Figure):
        self.ax = fig.add_axes((0, 0, 1, 1))
        self.ax.set_xlim(0, _W)
        self.ax.set_ylim(_H, 0)
        self.ax.set_axis_off()
        self.ax.set_gid("banner")

    def text(self, x, y, s, size=10, weight="regular", color=_INK, ha="left", va="baseline", gid=None, **kw):
        s = drawable(s)  # the kit's glyph for what its fonts lack, never matplotlib's "Glyph missing"
        t = self.ax.text(x, y, s, fontproperties=_font(weight), fontsize=size, color=color, ha=ha, va=va,
                         parse_math=False, **kw)  # "$" in a unit name is text, not mathematics
        if gid:
            t.set_gid(gid)
        return t

    def lines(self, x, y, lines, size, step, **kw):
        for i, line in enumerate(lines):
            self.text(x, y + i * step, line, size=size, **kw)

    def patch(self, patch):
        """Add a shape. The page's limits are fixed, so no data limits are tracked: ``add_artist``, not
        ``add_patch`` (which measures every shape's Bezier extents for autoscaling: a tenth of the banner)."""
        return self.ax.add_artist(patch)

    def rect(self, x, y, w, h, color, radius=0.0, **kw):
        if radius:
            patch = FancyBboxPatch((x + radius, y + radius), w - 2 * radius, h - 2 * radius,
                                   boxstyle=f"round,pad={radius}", linewidth=0, facecolor=color, **kw)
        else:
            patch = Rectangle((x, y), w, h, linewidth=0, facecolor=color, **kw)
        return self.patch(patch)


# -- what the banner says ---------------------------------------------------------------
def _survey_dates(fieldwork) -> tuple[str, str]:
    """The label and the dates: the declared period, else the answer dates said as such."""
    if fieldwork.declared:
        return "Periode survei", fieldwork.text()
    return "Tanggal jawaban", fieldwork.answers_text()


def _services(rows: pd.DataFrame, service) -> str:
    if service:
        return str(service)
    if "layanan" not in rows.columns:
        return ""
    names = rows["layanan"].dropna().astype(str).str.strip()
    names = [n for n in names.value_counts().index if n]
    return ", ".join(names) if 0 < len(names) <= 4 else ""


def _load_logo(logo):
    import matplotlib.image as mpimg

    mime, data = logo_bytes(logo)  # checked, and scaled down when larger than the page needs
    return mpimg.imread(io.BytesIO(data), format=mime.split("/")[1])


# -- the drawing -----------------------------------------------------------------------
def banner_figure(unit, /, *, service=None, **params) -> Figure:
    """Draw one unit's publication banner (A4 portrait) and return the figure.

    Parameters
    ----------
    unit : PreparedUnit or DataFrame
        The unit (:func:`skmkit.prepared.prepare_unit`): its name, period,
        institution, head, logo, population and every number come from it.
        One unit's canonical rows are prepared first, with ``params``.
    service : str, optional
        The service name(s); default the unit's jenis layanan when at most four.
    **params
        Report parameters (``unit``, ``period``, ``head_name``, ...) for rows.

    Returns
    -------
    matplotlib.figure.Figure
        Not attached to pyplot; texts carry gids (``"ikm"``, ``"mutu"``,
        ``"unsur-U1"``, ...) so tests can find them.

    Examples
    --------
    >>> from skmkit import sample_data_path
    >>> from skmkit.prepared import prepare_unit
    >>> fig = banner_figure(prepare_unit(sample_data_path(), unit="Dinas Sosial", period="Semester I 2026"))
    >>> [t.get_text() for t in fig.findobj(lambda a: getattr(a, "get_gid", lambda: None)() == "title")]
    ['INDEKS KEPUASAN MASYARAKAT (IKM)']
    """
    r = as_prepared(unit, **params)
    survey, result, rows = r.survey, r.summary, r.people
    image = _load_logo(r.logo) if r.logo else None

    fig = Figure(figsize=(_W / 25.4, _H / 25.4), dpi=_DPI, facecolor="white")
    FigureCanvasAgg(fig)
    c = _Canvas(fig)
    _draw_header(c, unit=r.unit, period=r.period, institution=r.institution, service=_services(rows, service),
                 image=image)
    _draw_result(c, result, survey, population=r.population)
    _draw_unsur(c, result, survey)
    _draw_respondents(c, r.profile, result, dates=_survey_dates(r.fieldwork), population=r.population)
    _draw_footer(c, r)
    return fig


def _draw_header(c: _Canvas, *, unit, period, institution, service, image):
    band = c.rect(0, 0, _W, 64, _NAVY)
    for (x, y, r) in ((196, 6, 30), (16, 62, 20), (178, 58, 12)):  # quiet decoration, clipped to the band
        circle = Circle((x, y), r, facecolor="white", alpha=0.05, linewidth=0)
        c.patch(circle)
        circle.set_clip_path(band)
    c.rect(0, 64, _W, 1.6, _GOLD)
    left = 8.0
    if image is not None:
        h, w = image.shape[:2]
        box = 34.0
        iw, ih = (box, box * h / w) if w >= h else (box * w / h, box)
        x0, y0 = 10 + (box - iw) / 2, 14 + (box - ih) / 2
        c.rect(7, 11, box + 6, box + 6, "white", radius=3)
        c.ax.imshow(image, extent=(x0, x0 + iw, y0 + ih, y0), interpolation="antialiased", zorder=3)
        c.ax.set_xlim(0, _W)
        c.ax.set_ylim(_H, 0)
        left = 50.0
    width = _W - left - 8
    mid = left + width / 2
    if institution:
        lines, size = _fit(str(institution).upper(), width, 10.5, "bold")
        c.text(mid, 14, lines[0], size=size, weight="bold", color=_GOLD, ha="center", gid="institution")
    lines, size = _fit(BANNER_TITLE, width, 23, "bold")
    c.text(mid, 27, lines[0], size=size, weight="bold", color="white", ha="center", gid="title")
    lines, size = _fit(str(unit).upper(), width, 16, "bold", max_lines=2, min_size=10)
    top = 39 if len(lines) == 1 else 36.5
    for i, line in enumerate(lines):
        c.text(mid, top + i * size / _MM * 1.2, line, size=size, weight="bold", color="white", ha="center",
               gid="unit")
    y = 52 if len(lines) == 1 else 54
    c.text(mid, y, f"Periode {period}" if period else "", size=12, color="#D5E3F0", ha="center", gid="period")
    if service:
        lines, size = _fit(f"Layanan: {service}", width, 9, max_lines=1, min_size=7)
        c.text(mid, y + 7, lines[0], size=size, color="#AFC6DB", ha="center", gid="service")


def _draw_result(c: _Canvas, result, survey, population=None):
    c.rect(8, 71, 194, 64, _PANEL, radius=3)
    ikm, mutu, kinerja = result["ikm"], result["mutu"], result["kinerja"]
    color = mutu_color(mutu, survey)
    # The ring: IKM out of 100.
    cx, cy, r = 46.0, 103.0, 27.0
    c.patch(Wedge((cx, cy), r, 0, 360, width=5.5, facecolor=_TRACK, linewidth=0))
    # y grows downward on this canvas, so angles run clockwise: start at 12 o'clock (270 deg).
    lo, hi = survey.index_range
    c.patch(Wedge((cx, cy), r, 270, 270 + 360 * ikm / hi, width=5.5, facecolor=color, linewidth=0))
    c.text(cx, cy - 8.5, "NILAI IKM", size=9, weight="bold", color=_MUTED, ha="center")
    c.text(cx, cy + 5.5, number(ikm, 2), size=31, weight="bold", color=_INK, ha="center", gid="ikm")
    c.text(cx, cy + 13, f"skala {number(lo)} s.d. {number(hi)}", size=7.5, color=_MUTED, ha="center")
    # The mutu badge and kinerja.
    c.text(86, 82, "MUTU PELAYANAN", size=10, weight="bold", color=_NAVY, gid="mutu-label")
    c.rect(86, 86, 34, 34, color, radius=3)
    c.text(103, 110.5, mutu, size=56, weight="bold", color="white", ha="center", gid="mutu")
    c.text(127, 92, "Kinerja unit pelayanan", size=9, color=_MUTED)
    lines, size = _fit(str(kinerja).upper(), 70, 20, "bold")
    c.text(127, 103, lines[0], size=size, weight="bold", color=color, gid="kinerja")
    c.text(127, 110.5, f"{number(result['respondents'])} responden", size=9.5, weight="bold", color=_INK)
    if population:
        minimum = krejcie_morgan(int(population))
        note = f"Sampel minimum {number(minimum)} dari populasi {number(population)} (Krejcie-Morgan)"
        if result["respondents"] < minimum:
            note += "; belum tercapai"
        lines, size = _fit(note, 72, 7, max_lines=2, min_size=5.5)
        c.lines(127, 115.2, lines, size, 3.1, color=_MUTED, gid="population")
    if result.get("catatan_unsur"):  # an unsur nobody answered: said next to the IKM (skm-method.md)
        c.text(cx, cy + 17.5, f"dari {len(result['unsur_dinilai'])} unsur", size=7, weight="bold", color=_INK,
               ha="center", gid="catatan-unsur")
    _draw_scale(c, ikm, survey, x0=86, x1=196, y=124)


def _draw_scale(c: _Canvas, ikm, survey, *, x0, x1, y):
    """The band scale 25-100 with a marker at the IKM."""
    lo, hi = survey.index_range
    span = x1 - x0

    def at(v):
        return x0 + span * (min(max(v, lo), hi) - lo) / (hi - lo)

    bands = sorted(survey.bands, key=lambda b: b.min)
    for i, b in enumerate(bands):
        start = at(b.min)
        end = at(bands[i + 1].min) if i + 1 < len(bands) else x1
        c.rect(start, y, end - start, 3.2, mutu_color(b.mutu, survey), alpha=0.9)
        c.text((start + end) / 2, y + 7.4, f"{b.mutu}  {number(b.min, 2)}", size=6.5, color=_MUTED, ha="center")
    m = at(ikm)
    c.patch(Polygon([(m - 1.8, y - 3.2), (m + 1.8, y - 3.2), (m, y - 0.3)],
                    closed=True, facecolor=_INK, linewidth=0))


def _draw_heading(c: _Canvas, y, title, note=""):
    c.rect(8, y - 4.2, 1.6, 5.2, _GOLD)
    c.text(12, y, title, size=11.5, weight="bold", color=_NAVY)
    if note:
        c.text(202, y, note, size=7.5, color=_MUTED, ha="right")


def _draw_unsur(c: _Canvas, result, survey):
    lo, hi = survey.index_range
    _draw_heading(c, 145, "NILAI PER UNSUR PELAYANAN",
                  f"nilai konversi = NRR \u00d7 {exact(survey.conversion)} (skala {number(lo)} s.d. {number(hi)})")
    rows = -(-len(survey.keys) // 3)
    w, gap = 62.0, 4.0
    h = min(20.0, (67.5 - 2.5 * (rows - 1)) / rows)  # nine unsur: three rows of 20 mm
    for i, key in enumerate(survey.keys):
        u = result["unsur"][key]
        x = 8 + (i % 3) * (w + gap)
        y = 150 + (i // 3) * (h + 2.5)
        color = mutu_color(u["mutu"], survey)
        c.rect(x, y, w, h, _PANEL, radius=1.8)
        c.rect(x, y + 1.2, 1.4, h - 2.4, color)
        c.text(x + 4.5, y + 5.2, key, size=7.5, weight="bold", color=color)
        lines, size = _fit(u["nama"], 34, 7.8, max_lines=2, min_size=6.5)
        c.lines(x + 4.5, y + 9.6, lines, size, 3.3, color=_INK)
        value = number(u["converted"], 2) if u["converted"] is not None else "-"
        c.text(x + w - 3, y + 9.5, value, size=15, weight="bold", color=_INK, ha="right", gid=f"unsur-{key}")
        c.text(x + w - 3, y + 14.5, f"mutu {u['mutu']}" if u["mutu"] else "tidak dijawab", size=7, weight="bold",
               color=color, ha="right")
        frac = (u["converted"] or 0) / hi
        c.rect(x + 4.5, y + h - 3.2, w - 7.5, 1.3, _TRACK)
        c.rect(x + 4.5, y + h - 3.2, (w - 7.5) * frac, 1.3, color)


def _counts(profile: dict, field) -> list[tuple[str, int]]:
    """The prepared unit's counts of one profile field (none when the field was not asked)."""
    t = profile.get(field)
    return [] if t is None else list(zip(t["kategori"], (int(n) for n in t["jumlah"])))


def _draw_respondents(c: _Canvas, profile, result, *, dates, population):
    _draw_heading(c, 225, "RESPONDEN")
    top = 230
    # Count and survey dates.
    c.rect(8, top, 56, 37, _PANEL, radius=2)
    c.text(36, top + 14, number(result["respondents"]), size=28, weight="bold", color=_NAVY, ha="center",
           gid="respondents")
    c.text(36, top + 20, "responden", size=9, color=_MUTED, ha="center")
    caption, dates = dates
    if dates:
        c.text(36, top + 27, caption, size=7, color=_MUTED, ha="center")
        lines, size = _fit(dates, 52, 7.5, "bold", max_lines=2, min_size=6)
        c.lines(36, top + 31, lines, size, 3.0, weight="bold", color=_INK, ha="center", gid="dates")

    # Jenis kelamin: a donut and its legend.
    sex = [(k, n) for k, n in _counts(profile, "jenis_kelamin") if n]
    if len(sex) == 1 and sex[0][0] == BLANK:  # nobody said: drawn as "tidak diisi" below
        sex = []
    c.text(70, top + 3, "Jenis kelamin", size=8.5, weight="bold", color=_INK)
    total = sum(n for _, n in sex)
    cx, cy, r = 84.0, top + 16.0, 10.0
    start = 270.0
    if total:
        for k, n in sex:
            sweep = 360 * n / total
            c.patch(Wedge((cx, cy), r, start, start + sweep, width=4.2,
                                 facecolor=_SEX_COLORS.get(k, "#8895A7"), edgecolor="white", linewidth=0.8))
            start += sweep
    for i, (k, n) in enumerate(sex):
        y = top + 30.5 + i * 4.0
        c.rect(70, y - 2.4, 2.6, 2.6, _SEX_COLORS.get(k, "#8895A7"))
        c.text(74, y, f"{_SEX_NAMES.get(k, k)}", size=7.5, color=_INK)
        c.text(128, y, f"{number(n)} ({percent(n / total)})", size=7.5, weight="bold", color=_INK, ha="right",
               gid=f"sex-{k}")
    if total:
        c.text(cx, cy + 1.2, number(total), size=8, weight="bold", color=_INK, ha="center")
    else:
        c.text(70, top + 12, "tidak diisi", size=7.5, color=_MUTED)

    # Pendidikan: horizontal bars.
    edu = _counts(profile, "pendidikan")
    if all(k == BLANK for k, _ in edu):
        edu = []
    c.text(136, top + 3, "Pendidikan", size=8.5, weight="bold", color=_INK)
    biggest = max([n for _, n in edu] + [1])
    step = min(4.6, 32 / max(len(edu), 1))
    for i, (k, n) in enumerate(edu):
        y = top + 8.5 + i * step
        lines, size = _fit(k, 14, 7, min_size=5.5)
        c.text(136, y, lines[0], size=size, color=_INK)
        c.rect(152, y - 2.5, 36 * n / biggest if n else 0.3, 2.7, _NAVY_2)
        c.text(202, y, number(n), size=7, weight="bold", color=_INK, ha="right", gid=f"edu-{k}")
    if not edu:
        c.text(136, top + 12, "tidak diisi", size=7.5, color=_MUTED)


def _draw_footer(c: _Canvas, r: PreparedUnit):
    c.rect(0, 272, _W, 12.5, "#FFF4DC")
    lines, size = _fit(THANKS, 186, 8.8, "italic", max_lines=2, min_size=7)
    c.lines(_W / 2, 277 - (len(lines) - 1) * 1.8, lines, size, 4.0, weight="italic", color=_NAVY, ha="center",
            gid="thanks")
    survey, note = r.survey, r.summary["catatan_unsur"]
    rule = f"Dihitung menurut {survey.regulation}; " if survey.regulation else ""
    lines, size = _fit(f"{rule}bobot tiap unsur {r.weight_label}", 108, 6.5, max_lines=1, min_size=5)
    c.text(8, 290, lines[0], size=size, color=_MUTED, gid="bobot")
    if note:  # an unsur nobody answered: said next to the IKM (skm-method.md)
        lines, size = _fit(f"IKM {note}", 108, 6.5, max_lines=1, min_size=5)
        c.text(8, 293.5, lines[0], size=size, color=_INK, gid="catatan-unsur-kaki")
    else:
        c.text(8, 293.5, f"IKM = jumlah (NRR tiap unsur \u00d7 bobot) \u00d7 {exact(survey.conversion)}", size=6.5,
               color=_MUTED)
    if r.head_title:
        lines, size = _fit(r.head_title, 90, 8.5, max_lines=1, min_size=6.5)
        c.text(202, 289.5 if r.head_name else 292, lines[0], size=size, color=_INK, ha="right", gid="head-title")
    if r.head_name:
        lines, size = _fit(r.head_name, 90, 9.5, "bold", max_lines=1, min_size=7)
        c.text(202, 294, lines[0], size=size, weight="bold", color=_INK, ha="right", gid="head-name")


# -- files -----------------------------------------------------------------------------
def _save(fig: Figure, fmt: str, dpi: int) -> bytes:
    buf = io.BytesIO()
    if fmt == "png":
        # raw pixels, one PNG encoding: opaque RGB (the page is white under everything)
        fig.savefig(buf, format="rgba", dpi=dpi)
        renderer = fig.canvas.renderer  # banner_figure's Agg canvas, at the size just drawn
        return encode_png(np.frombuffer(buf.getvalue(), dtype=np.uint8).reshape(
            int(renderer.height), int(renderer.width), 4), dpi)
    else:
        with matplotlib.rc_context({"pdf.fonttype": 42, "pdf.compression": 6}):
            fig.savefig(buf, format="pdf", metadata={"Creator": None, "Producer": None, "CreationDate": None})
    return buf.getvalue()


#: Environment variable naming a folder where :func:`banner_png` keeps the banners it draws, by content.
#: The batch sets it for a unit asking for the banner file: the report's kernel draws the banner once and
#: the worker writing ``<id>-banner.png`` takes the same PNG instead of drawing it again.
CACHE_ENV = "SKMKIT_BANNER_CACHE"


@lru_cache(maxsize=1)
def _code_key() -> bytes:
    """What the drawing depends on besides the unit: this module, the theme, the kit and matplotlib."""
    from . import __version__, theme

    h = hashlib.sha256(f"{__version__} {matplotlib.__version__}".encode())
    for module in (__file__, theme.__file__):
        h.update(Path(module).read_bytes())
    return h.digest()


def _cached(unit, service, dpi) -> Path | None:
    """The cache file of this banner (None without a cache folder, or for rows rather than a prepared unit)."""
    folder = os.environ.get(CACHE_ENV)
    if not folder or not isinstance(unit, PreparedUnit):
        return None
    try:
        content = pickle.dumps((unit, service, dpi), protocol=5)
    except Exception:  # a unit holding something unpicklable: drawn, not cached
        return None
    return Path(folder) / f"banner-{hashlib.sha256(_code_key() + content).hexdigest()}.png"


def banner_png(unit, /, *, service=None, dpi: int = _DPI, **params) -> bytes:
    """The banner as PNG bytes (A4 portrait, 1240 x 1753 px at the default 150 dpi: 297 mm is 1753.9 px, cut).

    Byte-identical for the same unit (no date or software version in the metadata).
    With a cache folder in ``$SKMKIT_BANNER_CACHE`` (the batch sets it), a
    prepared unit's banner is drawn once: it is kept there under the hash of
    everything it shows (the pickled unit, service and dpi, with the kit's
    drawing code) and read back for the same content.
    """
    path = None if params else _cached(unit, service, dpi)
    if path is not None and path.is_file():
        return path.read_bytes()
    png = _save(banner_figure(unit, service=service, **params), "png", dpi)
    if path is not None:
        try:
            write_atomic(path, png)
        except (OSError, SkmError):  # a cache only: the banner itself is made
            pass
    return png


def banner_pdf(unit, /, *, service=None, **params) -> bytes:
    """The banner as a one-page A4 portrait PDF (vector, text searchable).

    Byte-identical for the same unit (no creation date, producer or random ids).
    """
    return _save(banner_figure(unit, service=service, **params), "pdf", _DPI)


def write_banner(data, *, out="outputs", format=("png", "pdf"), service=None, **params) -> dict:
    """Prepare one unit from a survey file and write ``<slug>-banner.png``/``.pdf`` atomically.

    Parameters
    ----------
    data : str or Path
        The survey file (one unit's, or a pooled file with ``unit``).
    out : str or Path
        Output folder.
    format : sequence of {"png", "pdf"} or str
        ``"png,pdf"`` is accepted too.
    **params
        The report parameters (:mod:`skmkit.schema`): ``unit``, ``by``,
        ``period`` (required), ``institution``, ``head_name``, ...

    Returns
    -------
    dict
        Format -> written path.
    """
    formats = [f.strip().lower() for f in (format.split(",") if isinstance(format, str) else format) if f.strip()]
    unknown = sorted(set(formats) - {"png", "pdf"})
    if unknown or not formats:
        raise ParameterError(f"format banner tidak dikenal: {', '.join(unknown) or '(kosong)'}. "
                             "Perbaikan: pakai png, pdf atau png,pdf.")
    schema.check({"period": params.get("period")}, where="banner", required=["period"])
    values = schema.resolve_paths({"data": data, **params}, Path.cwd(), where="banner")
    r = prepare_unit(**values, where="banner")
    fig = banner_figure(r, service=service)
    out, slug = output_dir(out), slugify(r.unit)
    return {fmt: write_atomic(out / f"{slug}-banner.{fmt}", _save(fig, fmt, _DPI)) for fmt in formats}
