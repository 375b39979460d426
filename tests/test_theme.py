"""One theme: fixed font and DPI, Indonesian tick numbers, deterministic PNG bytes, rcParams restored."""
from __future__ import annotations

import io

import matplotlib
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
