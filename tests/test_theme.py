"""One theme: fixed font and DPI, Indonesian tick numbers, deterministic PNG bytes, rcParams restored."""
from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest
from PIL import Image

from skmkit import theme


def test_theme_is_a_with_block_that_restores_rcparams():
    before = dict(matplotlib.rcParams)
    with theme.theme():
        assert matplotlib.rcParams["font.sans-serif"][0] == theme.FONT
        assert matplotlib.rcParams["savefig.dpi"] == theme.DPI
    assert dict(matplotlib.rcParams) == before


def test_new_axes_draws_on_a_figure_of_its_own_and_reuses_a_given_axes():
    ax = theme.new_axes(size=(3, 2))
    assert ax.get_figure().get_size_inches().tolist() == [3, 2]
    assert theme.new_axes(ax) is ax


def test_number_formatter_is_indonesian():
    f = theme.number_formatter(2)
    assert f(1250.5, 0) == "1.250,50"


def test_png_bytes_are_deterministic_and_opaque():
    ax = theme.new_axes(size=(2, 1.5))
    ax.bar(["a", "b"], [1, 2])
    first, second = theme.png_bytes(ax), theme.png_bytes(ax)
    assert first == second
    image = Image.open(io.BytesIO(first))
    assert image.mode == "RGB" and b"Software" not in first


def test_labels():
    assert theme.label("L") == "Laki-laki" and theme.label("tidak ada") == "tidak ada"


def _savefig_pixels(fig) -> np.ndarray:
    """What matplotlib's own ``savefig(bbox_inches="tight")`` draws, as RGB rows: the reference."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=theme.DPI, bbox_inches="tight", pad_inches=theme.PAD, facecolor="white")
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


def _png_pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


@pytest.mark.parametrize("chart", ["unsur", "answers", "layanan", "profile", "trend"])
def test_png_bytes_draws_the_pixels_savefig_draws(chart, sample_df):
    """png_bytes draws once and crops (or, for a drawing past the figure's edge, lets savefig crop): the
    pixels of matplotlib's tight savefig either way, for the charts of the report."""
    from skmkit import charts

    df = sample_df[sample_df["unit"] == "Dinas Sosial"]
    make = {"unsur": lambda: charts.plot_unsur(df), "answers": lambda: charts.plot_answers(df),
            "layanan": lambda: charts.plot_layanan(df), "profile": lambda: charts.plot_profile(df, field="usia"),
            "trend": lambda: charts.plot_trend([{"period": "2025", "ikm": 78.2}, {"period": "2026", "ikm": 86.0}])}[chart]
    with theme.theme():
        expected = _savefig_pixels(make().get_figure())
    got = _png_pixels(theme.png_bytes(make()))
    assert got.shape == expected.shape and (got == expected).all()


def test_png_bytes_keeps_a_drawing_past_the_figure_edge():
    """Text placed beyond the figure is in the PNG (the tight box grows), not cut at the figure's edge."""
    def make():
        ax = theme.new_axes(size=(2, 1.5))
        ax.bar([0, 1], [1, 2])
        ax.set_xticks([])
        ax.set_yticks([])  # no tick numbers: savefig below does not write them with decimal commas
        ax.text(1.6, 0.5, "di luar gambar", transform=ax.transAxes)
        return ax

    with theme.theme():  # the text takes the kit's font size where it is made
        got = _png_pixels(theme.png_bytes(make()))
        expected = _savefig_pixels(make().get_figure())
    assert got.shape[1] > 2 * theme.DPI  # wider than the 2-inch figure
    assert got.shape == expected.shape and (got == expected).all()
