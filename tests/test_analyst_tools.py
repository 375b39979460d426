"""What an analyst adds to the report: s.table, s.figure on any chart, kit_style; and the recap's mean row."""
from __future__ import annotations

import re

import matplotlib
import numpy as np
import pandas as pd
import pytest

import skmkit

from skmkit import sections as s
from skmkit.recap_report import recap_ranking_html, recap_table, recap_xlsx

matplotlib.use("Agg")


def _cells(html: str) -> list[list[str]]:
    body = html.split("<tbody>")[1]
    return [re.findall(r"<t[dh](?: [^>]*)?>(.*?)</t[dh]>", row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)]


def test_table_numbers_headers_and_caption():
    df = pd.DataFrame({"jenis_kelamin": ["L", "P"], "jumlah_responden": [1250, 86], "ikm": [87.275, np.nan],
                       "tanggal": pd.to_datetime(["2026-06-30", "2026-01-02"])})
    before = df.copy()
    html = s.table(df, "Responden menurut jenis kelamin")
    pd.testing.assert_frame_equal(df, before)  # the input is not changed
    assert "<caption>Responden menurut jenis kelamin</caption>" in html
    head = re.findall(r"<th(?: [^>]*)?>(.*?)</th>", html.split("<thead>")[1].split("</thead>")[0])
    assert head == ["Jenis kelamin", "Jumlah responden", "IKM", "Tanggal"]
    # 1250 -> 1.250, 87.275 -> 87,28 (half up), blank -> en dash, dates in Indonesian, codes as words
    assert _cells(html) == [["Laki-laki", "1.250", "87,28", "30 Juni 2026"],
                            ["Perempuan", "86", "\u2013", "2 Januari 2026"]]
    assert '<th class=num>Jumlah responden</th>' in html and "<td class=num>1.250</td>" in html


def test_table_index_digits_and_escaping():
    df = pd.DataFrame({"nrr": [3.4567, 3.0]}, index=pd.Index(["<Poli> A", "B"], name="layanan"))
    html = s.table(df, digits={"nrr": 3})
    assert "<caption>" not in html  # no caption, no number
    assert _cells(html) == [["&lt;Poli&gt; A", "3,457"], ["B", "3,000"]]
    assert re.findall(r"<th(?: [^>]*)?>(.*?)</th>", html)[:2] == ["Jenis layanan", "Nilai rata-rata (NRR)"]
    # the plain 0..n-1 index is left out
    assert len(_cells(s.table(pd.DataFrame({"a": [1]})))[0]) == 1


def test_table_of_value_counts():
    counts = pd.Series(["L", "P", "L"], name="jenis_kelamin").value_counts()
    html = s.table(counts)
    assert re.findall(r"<th(?: [^>]*)?>(.*?)</th>", html) == ["Jenis kelamin", "Jumlah"]
    assert _cells(html) == [["Laki-laki", "2"], ["Perempuan", "1"]]  # the codes as words, in the index too


def test_table_max_rows_says_how_many():
    html = s.table(pd.DataFrame({"n": range(100)}), max_rows=60)
    assert len(_cells(html)) == 60 and "Ditampilkan 60 dari 100 baris" in html


def test_figure_takes_pyplot_figures_and_closes_them():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    html = s.figure(fig, "Grafik <uji>")
    assert html.startswith('<figure class="chart"><img src="data:image/png;base64,')
    assert html.endswith("<figcaption>Grafik &lt;uji&gt;</figcaption></figure>")
    assert not plt.fignum_exists(fig.number)  # Jupyter will not show it again, uncaptioned


@pytest.mark.parametrize("inches", [(6.6, 3.5), (6.6, 11.2), (3.0, 14.0)])
def test_figure_prints_at_its_own_width_and_never_taller_than_a_page_holds(inches):
    """A chart prints at its own width (at most the 170 mm text width), and one taller than 210 mm (a recap's
    ranking of 40 units) narrower, so that it fits one A4 page (253 mm of text) with its heading and caption."""
    import base64
    import struct

    from skmkit.theme import DPI, new_axes

    ax = new_axes(size=inches)
    ax.barh(range(40), range(40))
    html = s.figure(ax, "Peringkat")
    png = base64.b64decode(re.search(r'base64,([^"]+)"', html).group(1))
    w, h = struct.unpack(">II", png[16:24])
    printed = float(re.search(r'style="width:([\d.]+)mm"', html).group(1))
    own = min(w / DPI * 25.4, 170.0)
    if own * h / w <= 210:
        assert printed == pytest.approx(own, abs=0.05)
    else:
        assert printed < own and printed * h / w == pytest.approx(210, abs=0.1)


def test_plain_figure_html_takes_its_title_as_caption():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([1, 2], [3.25, 3.5])
    ax.set_title("Tren", loc="left")
    html = s._figure_html(fig)
    assert "<figcaption>Tren</figcaption>" in html
    assert ax._left_title.get_visible()  # the figure is left as it was


def test_png_ticks_use_decimal_commas():
    from matplotlib.figure import Figure
    from matplotlib.ticker import ScalarFormatter

    from skmkit.theme import _indonesian_ticks, png_bytes

    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([0, 1], [3.1, 3.3])
    png_bytes(fig)
    assert type(ax.yaxis.get_major_formatter()) is ScalarFormatter  # restored after drawing
    with _indonesian_ticks(fig):
        fmt = ax.yaxis.get_major_formatter()
        fmt.set_locs([3.1, 3.15, 3.2])
        assert [fmt(v, i) for i, v in enumerate([3.1, 3.15, 3.2])] == ["3,10", "3,15", "3,20"]


def test_kit_style_outside_ipython_sets_the_theme_only():
    with matplotlib.rc_context():  # leave the other tests' rcParams alone
        s.kit_style()
        assert matplotlib.rcParams["font.sans-serif"][0] == "DejaVu Sans"
        assert matplotlib.rcParams["axes.titlelocation"] == "left"


# -- the recap's mean row ----------------------------------------------------------------------------------------
@pytest.fixture()
def two_units():
    # unit X: 2 respondents all 4 -> IKM 100; unit Y: 1 respondent all 2 -> IKM 50 (3 respondents in all)
    rows = [{"_row": i + 2, "unit": u, **{f"U{k}": v for k in range(1, 10)}}
            for i, (u, v) in enumerate([("X", 4.0), ("X", 4.0), ("Y", 2.0)])]
    df = pd.DataFrame(rows)
    df.attrs["skmkit"] = {"source": "t", "columns": {}}
    return df


def test_recap_mean_row_counts_no_pooled_respondents(two_units):
    t = recap_table(two_units)
    assert t["unit"].tolist()[-2:] == ["Gabungan (semua responden)", "Rata-rata IKM unit"]
    assert t["respondents"].tolist()[:3] == [2, 1, 3] and pd.isna(t["respondents"].iloc[-1])
    assert t["ikm"].iloc[-1] == pytest.approx((100 + 50) / 2)
    rows = _cells(recap_ranking_html(type("R", (), {"table": t, "survey": skmkit.load_survey()})()))
    assert rows[-2][1:4] == ["Gabungan (semua responden)", "3", "83,33"]
    assert rows[-1][1:4] == ["Rata-rata IKM unit", "\u2013", "75,00"]
    assert recap_xlsx(t).startswith(b"PK")


@pytest.mark.parametrize("module", ["skmkit.theme", "skmkit.sections"])
def test_docstring_examples_run(module):
    """The examples the guide points to (theme, new_axes, set_theme, header, figure, table) run as written."""
    import doctest
    import importlib

    with matplotlib.rc_context():
        result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 5 and result.failed == 0
