"""The index, checked against hand-worked values from the method doc."""
import numpy as np
import pandas as pd
import pytest

from skmkit import ikm_table, load_survey, recap, summarize, unsur_table

KEYS = [f"U{i}" for i in range(1, 10)]
# The method doc's worked check: totals per unsur over 29 respondents.
TOTALS = [105, 101, 100, 116, 102, 105, 106, 105, 115]


def worked_example() -> pd.DataFrame:
    """29 respondents whose column totals are TOTALS (each answer 3 or 4)."""
    cols = {}
    for key, total in zip(KEYS, TOTALS):
        fours = total - 3 * 29
        cols[key] = [4.0] * fours + [3.0] * (29 - fours)
    return pd.DataFrame(cols)


def test_worked_example_exact_weight():
    res = summarize(worked_example())
    assert res["ikm"] == pytest.approx(955 / (29 * 9) * 25)
    assert round(res["ikm"], 4) == 91.4751
    assert res["mutu"] == "A" and res["kinerja"] == "Sangat baik"
    assert res["respondents"] == 29
    assert res["unsur"]["U4"]["nrr"] == pytest.approx(116 / 29)
    assert res["unsur"]["U4"]["converted"] == pytest.approx(116 / 29 * 25)


@pytest.mark.parametrize("weight,shown", [(0.111, 91.38), (0.11, 90.56)])
def test_worked_example_legacy_weights(weight, shown):
    res = summarize(worked_example(), survey=load_survey(legacy_weight=weight))
    assert res["ikm"] == pytest.approx(955 / 29 * weight * 25)
    assert round(res["ikm"], 2) == shown
    assert "bobot lama" in res["method"]["weight_label"]


def test_all_four_is_100_and_all_one_is_25():
    top = pd.DataFrame({k: [4.0] * 7 for k in KEYS})
    low = pd.DataFrame({k: [1.0] * 7 for k in KEYS})
    assert summarize(top)["ikm"] == pytest.approx(100.0)
    assert summarize(top)["mutu"] == "A"
    assert summarize(low)["ikm"] == pytest.approx(25.0)
    assert summarize(low)["mutu"] == "D"
    # With the old spreadsheet weight an all-4 survey does not reach 100.
    assert summarize(top, survey=load_survey(legacy_weight=0.111))["ikm"] == pytest.approx(99.9)


def test_blank_is_not_zero():
    df = pd.DataFrame({k: [4.0, 4.0, 4.0, 2.0] for k in KEYS})
    df.loc[3, "U1"] = np.nan  # one blank in U1: its NRR is 12/3, not 12/4
    df.loc[0, "U2"] = np.nan
    t = unsur_table(df).set_index("unsur")
    assert t.loc["U1", "filled"] == 3 and t.loc["U1", "nrr"] == pytest.approx(4.0)
    assert t.loc["U2", "nrr"] == pytest.approx((4 + 4 + 2) / 3)
    expected = (4.0 + 10 / 3 + 7 * 14 / 4) / 9 * 25
    assert summarize(df)["ikm"] == pytest.approx(expected)
    assert summarize(df)["respondents"] == 4


def test_row_with_no_answers_is_not_a_respondent():
    df = pd.DataFrame({k: [3.0, np.nan] for k in KEYS})
    assert summarize(df)["respondents"] == 1


def test_unsur_bands_and_display_order():
    df = worked_example()
    t = unsur_table(df)
    assert t["unsur"].tolist() == KEYS
    assert t["nama"].iloc[8] == "Sarana dan prasarana"
    # U3: 100/29 = 3.448 -> 86.21 -> B; U4: 116/29 = 4 -> 100 -> A.
    assert t.set_index("unsur").loc["U3", "mutu"] == "B"
    assert t.set_index("unsur").loc["U4", "mutu"] == "A"
    assert t["nrr_weighted"].sum() * 25 == pytest.approx(955 / 261 * 25)


def test_grouping_pools_respondents_per_group():
    df = pd.DataFrame({k: [4.0, 4.0, 2.0] for k in KEYS})
    df["layanan"] = ["A", "A", "B"]
    t = ikm_table(df, by="layanan").set_index("layanan")
    assert t.loc["A", "ikm"] == pytest.approx(100.0)
    assert t.loc["B", "ikm"] == pytest.approx(50.0)
    assert t.loc["A", "respondents"] == 2


def test_recap_pooled_versus_mean_are_labelled():
    # Unit X: 3 respondents all 4 (IKM 100); unit Y: 1 respondent all 2 (IKM 50).
    df = pd.DataFrame({k: [4.0, 4.0, 4.0, 2.0] for k in KEYS})
    df["unit"] = ["X", "X", "X", "Y"]
    pooled = recap(df, method="pooled")
    mean = recap(df, method="mean")
    assert pooled["unit"].tolist() == ["X", "Y", "Gabungan (semua responden)"]
    assert pooled["ikm"].iloc[-1] == pytest.approx((4 + 4 + 4 + 2) / 4 * 25)  # 87.5
    assert mean["unit"].iloc[-1] == "Rata-rata IKM unit"
    assert mean["ikm"].iloc[-1] == pytest.approx((100 + 50) / 2)
    assert pooled["peringkat"].tolist()[:2] == [1, 2]


def test_interval_contains_ikm_and_fpc_narrows_it(sample_df):
    plain = ikm_table(sample_df, by="unit")
    fpc = ikm_table(sample_df, by="unit", population={u: 400 for u in plain["unit"]})
    assert (plain["ci_low"] < plain["ikm"]).all() and (plain["ikm"] < plain["ci_high"]).all()
    assert (fpc["moe"] <= plain["moe"]).all()
    # A census (n = N) has no sampling error.
    one = sample_df[sample_df["unit"] == "Dinas Sosial"]
    census = ikm_table(one, population=len(one))
    assert census["moe"].iloc[0] == pytest.approx(0.0)


def test_analytic_interval_agrees_with_bootstrap(sample_df):
    one = sample_df[sample_df["unit"] == "RSUD Kota Sukamaju"]
    a = ikm_table(one, ci="analytic").iloc[0]
    b = ikm_table(one, ci="bootstrap", n_boot=400).iloc[0]
    assert b["ci_high"] - b["ci_low"] == pytest.approx(a["ci_high"] - a["ci_low"], rel=0.2)
    assert ikm_table(one, ci="bootstrap", n_boot=50)["ci_low"].iloc[0] == \
        ikm_table(one, ci="bootstrap", n_boot=50)["ci_low"].iloc[0]  # seeded


def test_analytic_variance_by_hand():
    # No blanks: the delta variance equals the variance of per-respondent means / n.
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.integers(1, 5, size=(40, 9)).astype(float), columns=KEYS)
    row_mean = df.mean(axis=1)
    se = row_mean.std(ddof=1) / np.sqrt(40) * 25
    t = ikm_table(df).iloc[0]
    assert t["moe"] == pytest.approx(1.959963984540054 * se)


def test_inputs_are_not_mutated(sample_df):
    before = sample_df.copy()
    unsur_table(sample_df, by="unit")
    ikm_table(sample_df, by=["unit", "layanan"], ci="bootstrap", n_boot=20)
    recap(sample_df)
    pd.testing.assert_frame_equal(sample_df, before)


# -- an unsur nobody answered (skm-method.md, "An unsur nobody answered") ------------------------
def method_doc_example() -> pd.DataFrame:
    """40 respondents, U4 blank for all, the other eight NRR summing to 27.0."""
    nrr = {"U1": 3.5, "U2": 3.25, "U3": 3.0, "U5": 3.5, "U6": 3.5, "U7": 3.75, "U8": 3.0, "U9": 3.5}
    assert sum(nrr.values()) == 27.0
    cols = {}
    for k in KEYS:
        if k == "U4":
            cols[k] = [np.nan] * 40
        else:  # 40 answers of 3 and 4 (or 3 only) with mean nrr[k]
            fours = round((nrr[k] - 3) * 40)
            cols[k] = [4.0] * fours + [3.0] * (40 - fours)
    return pd.DataFrame(cols)


def test_unsur_nobody_answered_weighs_1_over_x():
    res = summarize(method_doc_example())
    assert res["ikm"] == pytest.approx(27.0 / 8 * 25) == 84.375  # not 27.0 / 9 x 25 = 75.00
    assert res["mutu"] == "B"
    assert res["unsur"]["U4"]["nrr"] is None and res["unsur"]["U4"]["mutu"] is None
    assert res["unsur"]["U1"]["nrr_weighted"] == pytest.approx(3.5 / 8)
    assert res["unsur_dinilai"] == [k for k in KEYS if k != "U4"] and res["unsur_tidak_dijawab"] == ["U4"]
    assert res["catatan_unsur"].startswith("dihitung dari 8 unsur; U4 (Biaya/Tarif) tidak dijawab")
    assert res["ci95"][0] < res["ikm"] < res["ci95"][1]
    boot = summarize(method_doc_example(), ci="bootstrap")
    assert boot["ci95"][0] <= boot["ikm"] <= boot["ci95"][1]
    assert summarize(worked_example())["catatan_unsur"] == ""


def test_legacy_weight_with_an_unsur_left_out_scales_the_same_way():
    res = summarize(method_doc_example(), survey=load_survey(legacy_weight=0.111))
    assert res["ikm"] == pytest.approx(27.0 * 0.111 * 9 / 8 * 25)


def test_group_without_any_answer_is_named_and_not_ranked():
    df = method_doc_example()
    df["unit"] = "A"
    empty = pd.DataFrame({"unit": ["B", "B"], **{k: [np.nan, np.nan] for k in KEYS}})
    both = pd.concat([df, empty], ignore_index=True)
    t = ikm_table(both, by="unit")
    assert t["unit"].tolist() == ["A"] and t.attrs["tanpa_jawaban"] == ["B"]
    assert t["unsur_dinilai"].iloc[0] == tuple(k for k in KEYS if k != "U4")
    r = recap(both)
    assert r.attrs["tidak_direkap"] == ["B"] and "B" not in r["unit"].tolist()
    from skmkit import SkmError

    with pytest.raises(SkmError, match="tidak ada satu pun jawaban unsur"):
        summarize(empty)


def test_every_output_states_the_unsur_left_out(tmp_path):
    """Report BAB III, conclusions, banner footnote and text output say it next to the IKM."""
    from skmkit import narrative, sections
    from skmkit.banner import banner_figure
    from skmkit.terminal import ikm_text

    df = method_doc_example()
    path = tmp_path / "gratis.csv"
    df.assign(Unit="Puskesmas").to_csv(path, index=False)
    r = sections.prepare(str(path), unit="Puskesmas", period="Semester I 2026")
    assert "dihitung dari 8 unsur" in sections.result(r) and "dihitung dari 8 unsur" in sections.unsur(r)
    assert "bobot tiap unsur 1/8 (tepat; 8 dari 9 unsur dijawab)" in sections.unsur(r)
    assert any("dihitung dari 8 unsur" in s for s in narrative.conclusions(r.summary, unit="Puskesmas", period=""))
    assert [u["key"] for u in narrative.ranked_unsur(r.summary)] == \
        sorted((k for k in KEYS if k != "U4"), key=lambda k: (r.summary["unsur"][k]["nrr"], KEYS.index(k)))
    fig = banner_figure(r)
    texts = {t.get_gid(): t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_gid())}
    assert texts["catatan-unsur"] == "dari 8 unsur" and "U4 (Biaya/Tarif)" in texts["catatan-unsur-kaki"]
    assert "1/8 (tepat; 8 dari 9 unsur dijawab)" in texts["bobot"] and "1/X" not in texts["bobot"]
    from skmkit.ikm_json import ikm_report

    text = ikm_text(ikm_report(path))
    assert "IKM = 84,38" in text and "dihitung dari 8 unsur; U4 (Biaya/Tarif)" in text
