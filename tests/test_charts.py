"""Charts are checked by their artists (heights, labels, colours), not pixels."""
from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import skmkit
from skmkit import charts
from skmkit.theme import MUTU_COLORS, png_bytes

# The nine unsur names as the method doc lists them (PermenPANRB 14/2017).
NAMES = ["Persyaratan", "Sistem, Mekanisme, dan Prosedur", "Waktu Penyelesaian", "Biaya/Tarif",
         "Produk Spesifikasi Jenis Pelayanan", "Kompetensi Pelaksana", "Perilaku Pelaksana",
         "Penanganan Pengaduan, Saran dan Masukan", "Sarana dan prasarana"]
KEYS = [f"U{i}" for i in range(1, 10)]


def _mutu(converted):
    v = round(converted + 1e-9, 2)
    return "A" if v >= 88.31 else "B" if v >= 76.61 else "C" if v >= 65.0 else "D"


@pytest.fixture(scope="module")
def unit_df(sample_df):
    return sample_df[sample_df["unit"] == "Dinas Perhubungan"].copy()


@pytest.fixture(scope="module")
def tiny():
    """Three respondents, worked by hand: U1 = (4+3+2)/3 = 3, U2 = (4+4)/2 = 4 (one blank), ..."""
    rows = [[4, 4, 1, 4, 3, 3, 3, 2, 3], [3, 4, 2, 4, 3, 3, 3, 2, 3], [2, None, 3, 4, 3, 3, 3, 2, 3]]
    return pd.DataFrame(rows, columns=KEYS, dtype="float64")


def test_plot_unsur_bar_heights_are_nrr_and_labels_are_names(tiny):
    ax = charts.plot_unsur(tiny)
    heights = [p.get_height() for p in ax.containers[0]]
    assert heights == pytest.approx([3.0, 4.0, 2.0, 4.0, 3.0, 3.0, 3.0, 2.0, 3.0])
    labels = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert labels == NAMES
    # colours by mutu: 3.0*25 = 75 -> C, 4*25 = 100 -> A, 2*25 = 50 -> D
    colors = [p.get_facecolor() for p in ax.containers[0]]
    from matplotlib.colors import to_rgba
    assert colors[0] == to_rgba(MUTU_COLORS["C"])
    assert colors[1] == to_rgba(MUTU_COLORS["A"])
    assert colors[2] == to_rgba(MUTU_COLORS["D"])
    # IKM line: mean of the NRR (27/9 = 3.0) on the NRR scale, named 75,00 in the legend
    levels = [line.get_ydata()[0] for line in ax.get_lines() if line.get_gid() == "ikm"]
    assert levels == pytest.approx([27 / 9])
    assert "IKM unit 75,00" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_unsur_on_sample_unit_matches_hand_nrr(unit_df):
    ax = charts.plot_unsur(unit_df, value="converted")
    expected = [unit_df[k].sum() / unit_df[k].notna().sum() * 25 for k in KEYS]
    assert [p.get_height() for p in ax.containers[0]] == pytest.approx(expected)
    # value labels use the Indonesian decimal comma
    assert any("," in t.get_text() for t in ax.texts)


def test_plot_answers_shares_and_survey_labels(tiny):
    ax = charts.plot_answers(tiny)
    assert len(ax.containers) == 4
    # U1 answers 4, 3, 2 -> one third each of scores 2, 3, 4; top row is U1
    u1 = [c.patches[0].get_width() for c in ax.containers]
    assert u1 == pytest.approx([0, 100 / 3, 100 / 3, 100 / 3])
    # U2 has one blank: two answers, both 4 -> 100% in score 4
    assert ax.containers[3].patches[1].get_width() == pytest.approx(100)
    names = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert names == NAMES  # set top (U1) to bottom (U9)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    # labels differ per unsur, so: letter = score (the regulation's nilai persepsi words)
    assert legend == ["a = 1 (Tidak baik)", "b = 2 (Kurang baik)", "c = 3 (Baik)", "d = 4 (Sangat baik)"]


def test_plot_answers_diverging_centres_on_the_middle(tiny):
    ax = charts.plot_answers(tiny, kind="diverging")
    first = ax.containers[0].patches[0]  # U1, score 1 (0%) starts left of zero
    assert first.get_x() == pytest.approx(-100 / 3)
    fmt = ax.xaxis.get_major_formatter()
    assert [fmt(v, 0) for v in (-50, 0, 75)] == ["50", "0", "75"]  # shares, never negative percentages


def test_profile_chart_bars_are_the_counts(unit_df):
    n_l = int((unit_df["jenis_kelamin"] == "L").sum())
    n_p = int((unit_df["jenis_kelamin"] == "P").sum())
    ax = charts.plot_profile(unit_df, field="jenis_kelamin")
    assert [p.get_width() for p in ax.containers[0]][:2] == [n_l, n_p]
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == ["Laki-laki", "Perempuan"]  # top down


def test_plot_layanan_widths_are_ikm_per_service(unit_df):
    ax = charts.plot_layanan(unit_df)
    expected = {}
    for name, g in unit_df.groupby("layanan"):
        expected[name] = np.mean([g[k].sum() / g[k].notna().sum() for k in KEYS]) * 25
    got = {t.get_text(): p.get_width() for t, p in zip(ax.get_yticklabels(), ax.containers[0])}
    assert got == pytest.approx(expected)


def test_plot_trend_keeps_order():
    ax = charts.plot_trend([{"period": "2024", "ikm": 80.0}, {"period": "2025", "ikm": 89.0}])
    line = ax.get_lines()[-1]
    assert list(line.get_ydata()) == [80.0, 89.0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024", "2025"]
    assert {t.get_text() for t in ax.texts} >= {"80,00 (B)", "89,00 (A)"}


@pytest.fixture(scope="module")
def rec(sample_df):
    return skmkit.recap(sample_df)


def _hand_ikm(sample_df):
    out = {}
    for unit, g in sample_df.groupby("unit"):
        out[unit] = np.mean([g[k].sum() / g[k].notna().sum() for k in KEYS]) * 25
    return out


def test_plot_ranking_best_on_top(sample_df, rec):
    ax = charts.plot_ranking(rec)
    hand = _hand_ikm(sample_df)
    order = sorted(hand, key=lambda u: -hand[u])
    labels = [t.get_text() for t in ax.get_yticklabels()]  # as set, top to bottom
    assert labels == [f"{i + 1}. {u}" for i, u in enumerate(order)]
    widths = [p.get_width() for p in ax.containers[0]]
    assert widths == pytest.approx([hand[u] for u in order])
    assert len(widths) == 12  # the pooled row is a line, not a bar


def test_plot_unsur_heatmap_grid(sample_df, rec):
    ax = charts.plot_unsur_heatmap(rec)
    grid = np.asarray(ax.images[0].get_array())
    assert grid.shape == (12, 9)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    # a recap's rows: "<rank>. <unit>", the ranks of the ranking chart
    assert [int(t.split(".")[0]) for t in labels] == list(range(1, 13))
    units = [t.split(". ", 1)[1] for t in labels]
    assert units == [t.get_text().split(". ", 1)[1] for t in charts.plot_ranking(rec).get_yticklabels()]
    i, j = units.index("Dinas Perhubungan"), 7  # U8
    g = sample_df[sample_df["unit"] == "Dinas Perhubungan"]["U8"]
    assert grid[i, j] == pytest.approx(g.sum() / g.notna().sum())
    # also from the tidy unsur table
    tidy = skmkit.unsur_table(sample_df, by="unit")
    ax2 = charts.plot_unsur_heatmap(tidy)
    assert np.asarray(ax2.images[0].get_array()).shape == (12, 9)


def test_plot_mutu_distribution_counts(sample_df, rec):
    ax = charts.plot_mutu_distribution(rec)
    hand = _hand_ikm(sample_df)
    expected = [sum(_mutu(v) == m for v in hand.values()) for m in "ABCD"]
    assert [p.get_height() for p in ax.containers[0]] == expected
    assert sum(expected) == 12


def test_charts_draw_on_given_axes_and_never_touch_pyplot(tiny):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = Figure()
    ax = fig.add_subplot()
    assert charts.plot_unsur(tiny, ax=ax) is ax
    charts.plot_answers(tiny)
    assert plt.get_fignums() == before


def test_png_is_deterministic(unit_df):
    a = png_bytes(charts.plot_unsur(unit_df))
    b = png_bytes(charts.plot_unsur(unit_df))
    assert hashlib.sha256(a).digest() == hashlib.sha256(b).digest()
    assert b"Software" not in a and b"Matplotlib" not in a


# -- labels stay readable: measured on the drawn figure (Agg window extents) ------------------------------------
def _extents(ax):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = ax.get_figure(root=True)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    return renderer


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.mark.parametrize("unit", ["Dinas Sosial", "Dinas Perhubungan", "RSUD Kota Sukamaju", "Puskesmas Kenanga"])
def test_plot_unsur_ikm_line_and_legend_leave_value_labels_clear(sample_df, unit):
    g = sample_df[sample_df["unit"] == unit]
    ax = charts.plot_unsur(g)
    renderer = _extents(ax)
    values = [t for t in ax.texts if t.get_gid() == "value"]
    hand = [g[k].sum() / g[k].notna().sum() for k in KEYS]
    # every bar keeps its value label, written with a decimal comma, over its own bar
    assert [t.get_text() for t in values] == [f"{v:.2f}".replace(".", ",") for v in np.round(np.array(hand) + 1e-9, 2)]
    for text, rect in zip(values, ax.containers[0]):
        assert rect.get_x() < text.get_position()[0] < rect.get_x() + rect.get_width()
    # the dashed IKM line (mean of the NRR) crosses no value label
    level = np.mean(hand)
    (line,) = [ln for ln in ax.get_lines() if ln.get_gid() == "ikm"]
    assert line.get_ydata()[0] == pytest.approx(level)
    y = ax.transData.transform((0, level))[1]
    boxes = [t.get_window_extent(renderer) for t in values]
    assert all(not (b.y0 <= y <= b.y1) for b in boxes), unit
    # no label box among the bars: the line is named in the legend, which overlaps no value label
    assert [t for t in ax.texts if t.get_gid() != "value"] == []
    legend = ax.get_legend().get_window_extent(renderer)
    assert not any(_overlap(legend, b) for b in boxes)
    assert any(_overlap(a, b) for a in boxes for b in boxes if a is not b) is False


def _inside(inner, outer, slack=0.0) -> bool:
    return (inner.x0 >= outer.x0 - slack and inner.y0 >= outer.y0 - slack and inner.x1 <= outer.x1 + slack
            and inner.y1 <= outer.y1 + slack)


@pytest.mark.parametrize("unit", ["Dinas Kependudukan dan Pencatatan Sipil", "Dinas Perhubungan", "Puskesmas Kenanga"])
@pytest.mark.parametrize("kind", ["stacked", "diverging"])
def test_plot_answers_legend_stays_inside_its_figure(sample_df, unit, kind):
    # the legend hangs under the axes, wider than they are: it once ran 1.4 px past the figure's right edge
    ax = charts.plot_answers(sample_df[sample_df["unit"] == unit], kind=kind)
    renderer = _extents(ax)
    fig = ax.get_figure(root=True)
    assert _inside(ax.get_legend().get_window_extent(renderer), fig.bbox)
    assert _inside(fig.get_tightbbox(renderer).transformed(fig.dpi_scale_trans), fig.bbox)


PERIODS = [("2024", 80.1), ("2025", 84.3), ("Semester I 2026", 86.0)]
MANY = [(f"Semester {'I' if i % 2 == 0 else 'II'} {2023 + i // 2}", v)
        for i, v in enumerate([72.5, 75.1, 77.9, 80.2, 79.4, 83.3, 88.6, 91.2])]


@pytest.mark.parametrize("points", [PERIODS[1:], PERIODS, MANY], ids=["2", "3", "8"])
def test_plot_trend_bands_end_with_the_axis_at_the_last_point(points):
    ax = charts.plot_trend([{"period": p, "ikm": v} for p, v in points])
    renderer = _extents(ax)
    axes = ax.get_window_extent(renderer)
    labels = [t.get_window_extent(renderer) for t in ax.texts]
    assert [t.get_text() for t in ax.texts] == [f"{v:.2f} ({_mutu(v)})".replace(".", ",") for _, v in points]
    # every point's label inside the axes (none across the y axis), and the axes end where the outer
    # labels end (at most 0.1 inch of band past them), not half a period past the last point
    assert all(axes.x0 <= b.x0 and b.x1 <= axes.x1 for b in labels)
    dpi = ax.get_figure(root=True).dpi
    assert labels[0].x0 - axes.x0 <= 0.1 * dpi and axes.x1 - labels[-1].x1 <= 0.1 * dpi
    # the bands fill the axes from side to side (they end with it)
    spans = [pt.get_window_extent(renderer) for pt in ax.patches if pt.get_zorder() == 0]
    assert spans and all(abs(b.x0 - axes.x0) < 1 and abs(b.x1 - axes.x1) < 1 for b in spans)
    ticks = [t.get_window_extent(renderer) for t in ax.get_xticklabels()]
    assert not any(_overlap(a, b) for a, b in zip(ticks, ticks[1:]))  # eight periods: names on two lines
    fig = ax.get_figure(root=True)
    assert _inside(fig.get_tightbbox(renderer).transformed(fig.dpi_scale_trans), fig.bbox)


def test_plot_unsur_label_moves_into_its_bar_when_the_line_crosses_it():
    # NRR 3,45 / 3,41 under an IKM line at 3,51 (the "Gambar 5"): an unsur table given directly
    nrr = [3.45, 3.41, 3.24, 3.73, 3.65, 3.68, 3.76, 3.39, 3.31]
    table = pd.DataFrame({"unsur": KEYS, "nama": NAMES, "nrr": nrr, "converted": [v * 25 for v in nrr],
                          "mutu": [_mutu(v * 25) for v in nrr]})
    ax = charts.plot_unsur(table, ikm=np.mean(nrr) * 25)  # a table comes with its IKM: no chart computes one
    renderer = _extents(ax)
    y = ax.transData.transform((0, np.mean(nrr)))[1]
    values = [t for t in ax.texts if t.get_gid() == "value"]
    for text, v in zip(values, nrr):
        box = text.get_window_extent(renderer)
        assert not (box.y0 <= y <= box.y1)
        if text.get_va() == "top":  # moved inside: below the bar's top, white on the bar
            assert text.get_position()[1] < v and text.get_color() == "white"
    assert sum(t.get_va() == "top" for t in values) >= 2  # 3,45 and 3,41 at least


def test_plot_ranking_summary_line_stops_under_its_label(rec):
    ax = charts.plot_ranking(rec)
    renderer = _extents(ax)
    (label,) = [t for t in ax.texts if t.get_gid() == "summary-label"]
    assert label.get_text() == "Gabungan (semua responden): " + f"{rec['ikm'].iloc[-1]:.2f}".replace(".", ",")
    (lines,) = [c for c in ax.collections if c.get_gid() == "summary"]
    (segment,) = lines.get_segments()
    top = ax.transData.transform(segment.max(axis=0))[1]
    box = label.get_window_extent(renderer)
    assert top <= box.y0  # the dashed line ends below the label: it does not cross it
    values = [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() != "summary-label"]
    assert not any(_overlap(box, b) for b in values)


LONG_NAMES = ["Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana",
              "Dinas Koperasi, Usaha Kecil dan Menengah, Perdagangan dan Perindustrian",
              "Satuan Polisi Pamong Praja dan Pemadam Kebakaran Kota Sukamaju"]


@pytest.fixture(scope="module")
def many_long(sample_df):
    """40 units, every other one with a name of two or three lines at the charts' wrap width."""
    frames = []
    for i in range(40):
        g = sample_df[sample_df["unit"] == sample_df["unit"].unique()[i % 12]].copy()
        g["unit"] = f"{LONG_NAMES[i % 3]} {i}" if i % 2 else f"Puskesmas {i}"
        frames.append(g)
    return skmkit.recap(pd.concat(frames, ignore_index=True))


def test_ranking_labels_never_overlap_with_many_long_names(many_long):
    ax = charts.plot_ranking(many_long)
    renderer = _extents(ax)
    boxes = [t.get_window_extent(renderer) for t in ax.get_yticklabels()]
    assert len(boxes) == 40 and max(t.get_text().count("\n") for t in ax.get_yticklabels()) == 2
    assert not [i for i in range(39) if _overlap(boxes[i], boxes[i + 1])]
    bars = [b.get_window_extent(renderer) for b in ax.containers[0]]
    for label, bar in zip(boxes, bars):  # each label beside its own bar
        assert bar.y0 <= (label.y0 + label.y1) / 2 <= bar.y1


def test_heatmap_rows_are_one_line_with_the_rank_and_cut_names_marked(many_long):
    ax = charts.plot_unsur_heatmap(many_long)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    ranked = [t.get_text().split(". ", 1) for t in charts.plot_ranking(many_long).get_yticklabels()]
    assert all("\n" not in t and len(t) <= 48 for t in labels)
    for label, (rank, name) in zip(labels, ranked):
        whole = f"{rank}. {' '.join(name.split())}"
        assert label == whole if len(whole) <= 48 else (label.endswith("\u2026") and
                                                      whole.startswith(label[:-1].rstrip()))
    assert len(set(labels)) == 40  # the ranks keep cut names apart
