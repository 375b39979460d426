"""The survey definition: the nine unsur, labels, weights, bands by lower bound."""
import pytest

from skmkit import SurveyDefinitionError, load_survey
from skmkit.survey import normalize, round_half_up


def test_default_is_permenpanrb_14_2017():
    s = load_survey()
    assert s.keys == [f"U{i}" for i in range(1, 10)]
    assert s.get("U8").name == "Penanganan Pengaduan, Saran dan Masukan"
    assert s.get("U9").name == "Sarana dan prasarana"
    assert s.get("U4").labels == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")
    assert s.weight() == 1 / 9


@pytest.mark.parametrize("value,mutu", [
    (100, "A"), (88.31, "A"), (88.305, "A"), (88.30, "B"), (88.3049, "B"),
    (76.61, "B"), (76.60, "C"), (76.605, "B"), (65.00, "C"), (64.995, "C"), (64.99, "D"), (25, "D"),
])
def test_bands_by_lower_bound_after_rounding(value, mutu):
    assert load_survey().band(value).mutu == mutu


def test_kinerja_words():
    s = load_survey()
    assert [s.band(v).kinerja for v in (90, 80, 70, 50)] == ["Sangat baik", "Baik", "Kurang baik", "Tidak baik"]


def test_round_half_up_not_bankers():
    assert round_half_up(91.475, 2) == 91.48
    assert round_half_up(2.675, 2) == 2.68  # float repr 2.67499.. still rounds as written
    assert round_half_up(0.5, 0) == 1.0


def test_normalize_headers():
    assert normalize(" 8. Bagaimana pendapat Saudara tentang kualitas Sarana dan Prasarana? ") == \
        "bagaimana pendapat saudara tentang kualitas sarana dan prasarana"
    assert normalize("Biaya/Tarif") == "biaya tarif"


def test_legacy_weight_only_known_values():
    assert load_survey(legacy_weight=0.111).weight() == 0.111
    with pytest.raises(SurveyDefinitionError):
        load_survey(legacy_weight=0.1)


def test_custom_definition_reorders_and_relabels(tmp_path):
    text = (load_survey.__globals__["_default_text"]()
            .replace("order: [U1, U2, U3, U4, U5, U6, U7, U8, U9]", "order: [U1, U2, U3, U4, U5, U6, U7, U9, U8]")
            .replace("labels: [Sangat mahal, Cukup mahal, Murah, Gratis]", "labels: [Sangat mahal, Mahal, Tidak mahal, Gratis]"))
    path = tmp_path / "survey.yml"
    path.write_text(text, encoding="utf-8")
    s = load_survey(path)
    assert s.keys[-2:] == ["U9", "U8"]
    assert s.answer_map("U4")["tidak mahal"] == 3


def test_broken_definition_is_a_clear_error(tmp_path):
    path = tmp_path / "survey.yml"
    path.write_text("unsur: [{key: U1, name: X, labels: [a, b]}]\nbands: []\n", encoding="utf-8")
    with pytest.raises(SurveyDefinitionError, match="label"):
        load_survey(path)
    with pytest.raises(SurveyDefinitionError, match="tidak ada"):
        load_survey(tmp_path / "nope.yml")
