"""The publication banner: its drawn text and its PDF text say the unit's result.

Expected numbers are worked out by hand (the five-respondent table shared with
the workbook tests) or recomputed here from the raw scores.
"""
import io
from decimal import ROUND_HALF_UP, Decimal

import pypdf
import pytest
from matplotlib.image import AxesImage
from matplotlib.text import Text

import skmkit
from skmkit import cli
from skmkit.banner import BANNER_TITLE, THANKS, banner_figure, banner_pdf, banner_png, write_banner
from skmkit.errors import ParameterError

from test_workbook import HAND_ROWS, KEYS, write_hand

HEAD = {"head_name": "Dra. Siti Rahmawati, M.Si.", "head_title": "Kepala Dinas Uji Kota Uji"}


def idn(value, digits=2):
    """Indonesian number, rounded half-up, written independently of skmkit.fmt."""
    q = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    whole, _, frac = f"{q:.{digits}f}".partition(".")
    whole = f"{int(whole):,}".replace(",", ".")
    return whole + ("," + frac if digits else "")


def texts(fig) -> dict:
    """gid -> list of drawn strings."""
    out = {}
    for t in fig.findobj(Text):
        if t.get_gid():
            out.setdefault(t.get_gid(), []).append(t.get_text())
    return out


def all_text(fig) -> str:
    return " ".join(t.get_text() for t in fig.findobj(Text))


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    path = write_hand(tmp_path_factory.mktemp("b") / "dinas_uji.csv")
    data = skmkit.read_responses(path)
    fig = banner_figure(data, unit="Dinas Uji", period="Triwulan I 2026", institution="Pemerintah Kota Uji", **HEAD)
    return {"path": path, "data": data, "fig": fig, "t": texts(fig)}


@pytest.fixture(scope="module")
def sample(sample_df):
    unit = "Dinas Sosial"
    data = skmkit.select_unit(sample_df, unit, "Unit Layanan")
    kw = dict(unit=unit, period="Semester I 2026", institution="Pemerintah Kota Sukamaju", **HEAD)
    return {"data": data, "kw": kw, "pdf": banner_pdf(data, **kw), "png": banner_png(data, **kw)}


# -- what the banner says -----------------------------------------------------------------
def test_standard_form_is_all_there(hand):
    t = hand["t"]
    assert t["title"] == [BANNER_TITLE] == ["INDEKS KEPUASAN MASYARAKAT (IKM)"]
    assert t["unit"] == ["DINAS UJI"] and t["period"] == ["Periode Triwulan I 2026"]
    assert t["institution"] == ["PEMERINTAH KOTA UJI"]
    assert " ".join(t["thanks"]) == THANKS and "Terima kasih" in THANKS
    assert t["head-name"] == [HEAD["head_name"]] and t["head-title"] == [HEAD["head_title"]]
    assert t["dates"] == ["5 Januari 2026 s.d. 28 Maret 2026"]  # the answer dates, written as the report writes them


def test_numbers_match_the_hand_worked_result(hand):
    t = hand["t"]
    # NRR by hand: 3.2 3.4 2.75 4.0 3.2 3.6 4.0 2.4 2.6 -> IKM 29.15 / 9 x 25 = 80.97 (B, Baik).
    assert t["ikm"] == ["80,97"] and t["mutu"] == ["B"] and t["kinerja"] == ["BAIK"]
    expected = {"U1": "80,00", "U2": "85,00", "U3": "68,75", "U4": "100,00", "U5": "80,00", "U6": "90,00",
                "U7": "100,00", "U8": "60,00", "U9": "65,00"}
    assert {k: t[f"unsur-{k}"][0] for k in KEYS} == expected
    assert t["respondents"] == ["5"]
    assert t["sex-L"] == ["2 (40,0%)"] and t["sex-P"] == ["3 (60,0%)"]
    edu = {k[4:]: v[0] for k, v in t.items() if k.startswith("edu-")}
    assert edu == {"SD": "1", "SMP": "0", "SMA": "2", "D1-D3": "0", "D4/S1": "1", "S2": "1", "S3": "0"}


def test_unsur_names_are_shown(hand):
    drawn = all_text(hand["fig"])
    for name in ("Persyaratan", "Biaya/Tarif", "Kompetensi Pelaksana", "Sarana dan prasarana"):
        assert name in drawn


def test_personal_data_never_drawn(hand):
    drawn = all_text(hand["fig"])
    for row in HAND_ROWS:
        assert row[1] not in drawn and row[2] not in drawn


def test_sample_unit_matches_scores_computed_here(sample):
    data = sample["data"]
    scores = data[KEYS]
    nrr = scores.sum() / scores.count()
    ikm = nrr.mean() * 25
    t = texts(banner_figure(data, **sample["kw"]))
    assert t["ikm"] == [idn(ikm)]
    assert {k: t[f"unsur-{k}"][0] for k in KEYS} == {k: idn(nrr[k] * 25) for k in KEYS}
    assert t["respondents"] == [idn(len(data), 0)]
    counts = data["jenis_kelamin"].value_counts()
    assert t["sex-L"][0].startswith(f"{counts['L']} (") and t["sex-P"][0].startswith(f"{counts['P']} (")


def test_pdf_text_carries_the_result(sample):
    data = sample["data"]
    scores = data[KEYS]
    ikm = (scores.sum() / scores.count()).mean() * 25
    reader = pypdf.PdfReader(io.BytesIO(sample["pdf"]))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait in points
    text = " ".join(reader.pages[0].extract_text().split())
    for expected in (BANNER_TITLE, "DINAS SOSIAL", "Periode Semester I 2026", idn(ikm), "MUTU PELAYANAN",
                     HEAD["head_name"], HEAD["head_title"], "Terima kasih", f"{len(data)} responden"):
        assert expected in text, expected


def test_png_is_a4_at_150_dpi(sample):
    from PIL import Image

    image = Image.open(io.BytesIO(sample["png"]))
    assert image.size[0] == 1240 and abs(image.size[1] - 1754) <= 1
    assert "Software" not in image.info


def test_png_is_opaque_rgb_with_the_pixels_matplotlib_draws(sample):
    """The page is white under everything: the PNG drops the alpha and keeps every pixel of the drawing."""
    import numpy as np
    from PIL import Image

    buf = io.BytesIO()
    banner_figure(sample["data"], **sample["kw"]).savefig(buf, format="png", dpi=150)  # matplotlib's RGBA PNG
    drawn = np.asarray(Image.open(buf))
    image = Image.open(io.BytesIO(sample["png"]))
    assert image.mode == "RGB" and (drawn[..., 3] == 255).all()
    assert (np.asarray(image) == drawn[..., :3]).all()


def test_bytes_are_identical_across_runs(sample):
    assert banner_png(sample["data"], **sample["kw"]) == sample["png"]
    assert banner_pdf(sample["data"], **sample["kw"]) == sample["pdf"]
    assert b"CreationDate" not in sample["pdf"] and b"Producer" not in sample["pdf"]


def test_cache_draws_a_unit_once_and_keys_by_content(sample, tmp_path, monkeypatch):
    """The batch's banner cache: the same prepared unit is drawn once; another unit is not served its PNG."""
    import dataclasses

    from skmkit import banner as banner_module
    from skmkit.prepared import prepare_unit

    unit = prepare_unit(sample["data"], **sample["kw"])
    monkeypatch.setenv(banner_module.CACHE_ENV, str(tmp_path))
    first = banner_png(unit)
    assert first == sample["png"]  # cached or not, the same bytes
    assert len(list(tmp_path.glob("banner-*.png"))) == 1

    def no_drawing(*_a, **_k):
        raise AssertionError("drawn again")

    monkeypatch.setattr(banner_module, "banner_figure", no_drawing)
    assert banner_png(unit) == first  # read back, not drawn
    other = dataclasses.replace(unit, unit="Dinas Lain")
    with pytest.raises(AssertionError, match="drawn again"):
        banner_png(other)  # another content: another key, drawn


def test_population_states_the_krejcie_morgan_minimum(hand):
    fig = banner_figure(hand["data"], unit="Dinas Uji", period="Triwulan I 2026", population=100)
    notes = texts(fig)["population"]
    assert "Sampel minimum 80" in " ".join(notes) and "belum tercapai" in " ".join(notes)  # 100 -> 80 (Krejcie-Morgan table)


def test_logo_is_drawn_and_a_missing_logo_is_a_clear_error(hand, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 20), (200, 16, 46)).save(logo)
    fig = banner_figure(hand["data"], unit="Dinas Uji", period="P", logo=logo)
    (image,) = fig.findobj(AxesImage)
    assert image.get_array().shape[:2] == (20, 40)
    with pytest.raises(ParameterError, match="tidak-ada.png"):
        banner_figure(hand["data"], unit="Dinas Uji", period="P", logo=tmp_path / "tidak-ada.png")


def test_long_unit_name_wraps_inside_the_page(hand):
    name = "Unit Pelaksana Teknis Daerah Pusat Kesehatan Masyarakat Kecamatan Sukamaju Selatan Kota Sukamaju"
    fig = banner_figure(hand["data"], unit=name, period="P")
    lines = texts(fig)["unit"]
    assert 1 < len(lines) <= 2 and " ".join(lines) == name.upper()
    renderer = fig.canvas.get_renderer()
    for t in fig.findobj(Text):
        if t.get_text():
            box = t.get_window_extent(renderer)
            assert box.x0 >= 0 and box.x1 <= fig.bbox.width + 0.5, t.get_text()


def test_input_frame_is_not_changed(hand):
    before = hand["data"].copy()
    banner_figure(hand["data"], unit="Dinas Uji", period="P")
    assert hand["data"].equals(before)


# -- files and command line ------------------------------------------------------------------
def test_write_banner_writes_named_files(hand, tmp_path):
    written = write_banner(hand["path"], period="Triwulan I 2026", out=tmp_path, format="png")
    assert written == {"png": tmp_path / "dinas-uji-banner.png"}  # the unit name comes from the file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dinas-uji-banner.png"]
    with pytest.raises(ParameterError, match="svg"):
        write_banner(hand["path"], period="P", out=tmp_path, format="png,svg")


def test_cli_calls_write_banner_with_the_same_names(monkeypatch, tmp_path, capsys):
    seen = {}

    def fake(data, **kwargs):
        seen.update(data=data, **kwargs)
        return {"png": tmp_path / "x-banner.png"}

    monkeypatch.setattr("skmkit.banner.write_banner", fake)
    assert cli.main(["banner", "d.csv", "--unit", "Dinas Sosial", "--by", "Unit Layanan", "--period", "Semester I 2026",
                     "--head-name", "A", "--head-title", "B", "--logo", "l.png", "--out", str(tmp_path),
                     "--format", "png"]) == 0
    assert seen == {**{name: None for name in cli.BANNER_FLAGS}, "data": "d.csv", "unit": "Dinas Sosial",
                    "by": "Unit Layanan", "period": "Semester I 2026", "out": str(tmp_path), "format": "png",
                    "head_name": "A", "head_title": "B", "service": None, "logo": "l.png"}
    assert "ditulis:" in capsys.readouterr().out
