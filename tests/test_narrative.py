"""Generated prose and the RTL: worked on small hand-made summaries."""
from __future__ import annotations

import pytest

import skmkit
from skmkit import narrative, sections
from skmkit.errors import ParameterError
from skmkit.compare import change

NAMES = {"U1": "Persyaratan", "U2": "Sistem, Mekanisme, dan Prosedur", "U3": "Waktu Penyelesaian",
         "U4": "Biaya/Tarif", "U5": "Produk Spesifikasi Jenis Pelayanan", "U6": "Kompetensi Pelaksana",
         "U7": "Perilaku Pelaksana", "U8": "Penanganan Pengaduan, Saran dan Masukan", "U9": "Sarana dan prasarana"}


def _mutu(conv):
    return "A" if conv >= 88.31 else "B" if conv >= 76.61 else "C" if conv >= 65 else "D"


def summary(nrr: dict) -> dict:
    unsur = {k: {"nama": NAMES[k], "nrr": v, "converted": v * 25, "mutu": _mutu(v * 25), "kinerja": ""}
             for k, v in nrr.items()}
    ikm = sum(nrr.values()) / 9 * 25
    # the method doc's bands; an unsur in the two lower ones (C, D) goes into the RTL
    method = {"bands": [{"mutu": m, "kinerja": k, "min": lo} for m, k, lo in (
        ("A", "Sangat baik", 88.31), ("B", "Baik", 76.61), ("C", "Kurang baik", 65.0), ("D", "Tidak baik", 25.0))],
        "weak_mutu": ["C", "D"]}
    return {"unsur": unsur, "ikm": ikm, "mutu": _mutu(ikm), "kinerja": "Baik", "respondents": 120,
            "ci95": [ikm - 1, ikm + 1], "method": method}


# U3 and U8 tie at 3.00 (lowest): the survey order breaks the tie; U9 = 2.5 is D.
NRR = {"U1": 3.6, "U2": 3.4, "U3": 3.0, "U4": 3.8, "U5": 3.5, "U6": 3.55, "U7": 3.7, "U8": 3.0, "U9": 2.5}


def test_ranked_lowest_first_ties_in_survey_order():
    assert [u["key"] for u in narrative.ranked_unsur(summary(NRR))][:4] == ["U9", "U3", "U8", "U2"]


def test_default_rtl_three_lowest_plus_every_c_or_d():
    nrr = dict(NRR, U5=3.05)  # 76.25 -> C, fourth lowest
    rows = narrative.rtl_entries(summary(nrr), waktu="TW III\u2013IV 2026", pj="Kepala Unit")
    assert [r["key"] for r in rows] == ["U9", "U3", "U8", "U5"]
    assert [r["no"] for r in rows] == [1, 2, 3, 4]
    assert rows[0]["program"] == skmkit.load_survey().get("U9").program and rows[0]["pj"] == "Kepala Unit"


def test_given_rtl_by_key_or_name_and_unknown_refused():
    rows = narrative.rtl_entries(summary(NRR), [{"unsur": "u3", "program": "Loket tambahan"},
                                                {"unsur": "Biaya/Tarif", "program": "Tarif diumumkan",
                                                 "waktu": "TW IV", "pj": "Kasubag"}], waktu="TW III", pj="Kepala")
    assert [(r["key"], r["waktu"], r["pj"]) for r in rows] == [("U3", "TW III", "Kepala"), ("U4", "TW IV", "Kasubag")]
    with pytest.raises(ParameterError, match="U10"):
        narrative.rtl_entries(summary(NRR), [{"unsur": "U10", "program": "x"}])


def test_weakest_strongest_sentences():
    text = " ".join(narrative.weakest_strongest(summary(NRR)))
    assert "terendah adalah Sarana dan prasarana (U9) dengan NRR 2,50 (nilai konversi 62,50, mutu D)" in text
    assert "tertinggi adalah Biaya/Tarif (U4) dengan NRR 3,80" in text
    assert "Sarana dan prasarana (mutu D)" in text and "Waktu Penyelesaian (mutu C)" in text


def test_conclusions_follow_from_numbers():
    s = summary({k: 3.6 for k in NAMES})  # IKM 90,00, all A
    lines = narrative.conclusions(s, unit="Unit X", period="Semester I 2026")
    assert lines[0] == ("Indeks Kepuasan Masyarakat (IKM) Unit X pada Semester I 2026 adalah 90,00 dengan mutu "
                        "pelayanan A (Baik), dihitung dari 120 responden.")
    assert "9 unsur bermutu A" in lines[2]


def test_trend_sentence():
    pts = [{"period": "2025", "ikm": 80.0}, {"period": "2026", "ikm": 78.555}]
    # 80,00 - 78,56 as printed: 1,44 (not the unrounded 1,445)
    assert narrative.trend_sentence(pts) == "Dibandingkan 2025 (IKM 80,00), IKM 2026 (78,56) turun 1,44 poin."
    assert narrative.trend_sentence(pts[:1]) == ""


def test_trend_sentence_names_a_rise_or_fall_only_beyond_the_uncertainty():
    a, b = {"period": "S1", "ikm": 80.0, "se": 1.0}, {"period": "S2", "ikm": 82.0, "se": 1.0}
    b["change"] = change(a["ikm"], a["se"], b["ikm"], b["se"])  # 2.0 < 1.96 x sqrt(2) = 2.77
    assert narrative.trend_sentence([a, b]).endswith(
        "lebih tinggi 2,00 poin, masih dalam batas ketidakpastian (tidak berubah berarti).")
    c = {"period": "S2", "ikm": 84.0, "se": 1.0}
    c["change"] = change(a["ikm"], a["se"], c["ikm"], c["se"])
    assert narrative.trend_sentence([a, c]).endswith("naik 4,00 poin.")


def test_follow_up_window():
    assert narrative.next_quarters("2026-03-31") == "TW II\u2013III 2026"
    assert narrative.next_quarters("2026-09-30") == "TW IV 2026"
    assert narrative.next_quarters("2026-12-31") == "TW I\u2013II 2027"


def test_saran_summary_themes_escaped_and_masked():
    texts = ["Antrian terlalu lama.", "Antrian terlalu lama.", "Toilet kotor", "<script>x()</script> hubungi 081234567890",
             None, "-", "Terima kasih, pertahankan"]
    themes = narrative.saran_summary(texts)
    assert themes[0] == {"tema": "Waktu dan antrean", "jumlah": 2, "kutipan": ["Antrian terlalu lama."]}
    other = next(t for t in themes if t["tema"] == "Lainnya")
    assert other["kutipan"] == ["&lt;script&gt;x()&lt;/script&gt; hubungi [nomor disamarkan]"]
    assert {t["tema"] for t in themes} == {"Waktu dan antrean", "Sarana dan prasarana", "Lainnya", "Apresiasi"}


def test_mask_personal():
    assert narrative.mask_personal("wa +62 812-3456-7890 atau a.b@mail.go.id") == \
        "wa [nomor disamarkan] atau [surel disamarkan]"


def test_html_blocks_escape_user_text(sample_df):
    df = sample_df[sample_df["unit"] == "Dinas Sosial"].copy()
    r = sections.prepare(df, unit="<i>Unit</i>", institution="A & B", head_title="Kepala")
    assert "&lt;I&gt;UNIT&lt;/I&gt;" in sections.cover(r) and "<i>" not in sections.cover(r).lower()
    assert "A &amp; B" in sections.cover(r)


def test_legacy_weight_is_said_in_the_report(tmp_path):
    path = tmp_path / "lama.csv"
    path.write_text(",".join(f"U{i}" for i in range(1, 10)) + "\n" + ",".join(["4"] * 9) + "\n", encoding="utf-8")
    r = sections.prepare(path, legacy_weight=0.111)
    # the method doc: with weight 0.111 an all-4 survey scores 4 x 9 x 0.111 x 25 = 99.90, not 100
    assert "99,90" in sections.result(r)
    assert "Dihitung dengan bobot 0,111 (bobot lama spreadsheet) per unsur" in sections.result(r)
    assert "0,111 (bobot lama spreadsheet)" in sections.unsur(r) and "0,111" in sections.colophon(r)
    exact = sections.prepare(path)
    assert "100,00" in sections.result(exact) and "1/9 (tepat)" in sections.unsur(exact)
