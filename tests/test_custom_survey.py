"""Survey facts come from the survey definition: a custom one (ten unsur, reworded labels) gives outputs
that agree with each other and with `skmkit ikm --json`, with no "nine", "1/9" or "x 25" left over."""
from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
import yaml
from matplotlib.text import Text
from openpyxl import load_workbook

import skmkit
from skmkit import banner, report, workbook
from skmkit.ikm_json import ikm_report
from skmkit.recap_report import recap_table

KEYS = [f"U{i}" for i in range(1, 11)]
LABELS = ["Sangat kurang", "Kurang", "Memadai", "Sangat memadai"]  # one reworded scale for all ten


@pytest.fixture(scope="module")
def custom(tmp_path_factory):
    folder = tmp_path_factory.mktemp("custom")
    default = yaml.safe_load((skmkit.survey.resources.files("skmkit") / "data" / "survey.yml").read_text())
    default["id"], default["name"] = "skm-uji-10", "SKM uji sepuluh unsur"
    for u in default["unsur"]:
        u["labels"] = LABELS
    default["unsur"].append({"key": "U10", "name": "Keamanan dan Keselamatan",
                             "question": "Bagaimana pendapat Saudara tentang keamanan di unit ini?", "labels": LABELS})
    default["order"] = KEYS
    default["questions"] = default["questions"] + ["U10"]  # the questionnaire asks it last
    survey = folder / "survei10.yml"
    survey.write_text(yaml.safe_dump(default, allow_unicode=True, sort_keys=False), encoding="utf-8")
    rng = np.random.default_rng(10)
    rows = []
    for unit, n, p in (("Puskesmas Uji", 30, [0.05, 0.15, 0.5, 0.3]), ("Kecamatan Uji", 20, [0.2, 0.3, 0.3, 0.2])):
        for _ in range(n):
            rows.append([unit, "L"] + [LABELS[int(rng.choice(4, p=p))] for _ in KEYS])
    raw = pd.DataFrame(rows, columns=["Unit Layanan", "Jenis Kelamin"] + KEYS)
    data = folder / "data10.csv"
    raw.to_csv(data, index=False)
    return {"survey": survey, "data": data, "raw": raw, "folder": folder}


def _by_hand(raw: pd.DataFrame, unit: str) -> float:
    scores = raw[raw["Unit Layanan"] == unit][KEYS].apply(lambda c: c.map({l: i + 1 for i, l in enumerate(LABELS)}))
    return float(scores.mean().mean() * 25)  # weight 1/10, no blanks


def _indo(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def test_ikm_json_uses_ten_unsur(custom):
    r = ikm_report(custom["data"], by="Unit Layanan", survey=custom["survey"])
    got = {g["group"]["Unit Layanan"]: g for g in r["groups"]}
    assert got["Puskesmas Uji"]["ikm"] == pytest.approx(_by_hand(custom["raw"], "Puskesmas Uji"))
    assert len(got["Puskesmas Uji"]["unsur"]) == 10
    assert r["method"]["weight"] == pytest.approx(0.1) and r["method"]["weight_label"] == "1/10 (tepat)"


@pytest.mark.slow
def test_report_banner_workbook_and_recap_agree(custom):
    unit = "Puskesmas Uji"
    ikm = _by_hand(custom["raw"], unit)
    # the report
    out = report.render_report(custom["data"], unit=unit, out=custom["folder"] / "laporan", formats=("html",),
                               survey=str(custom["survey"]), period="Semester I 2026")
    text = re.sub(r"<[^>]+>", " ", out.outputs["html"].read_text(encoding="utf-8"))
    text = re.sub(r"\s+", " ", text)
    assert _indo(ikm) in text
    assert "10 unsur" in text and "1/10 (tepat)" in text and "Keamanan dan Keselamatan" in text
    assert "1/9" not in text and "sembilan" not in text.lower()
    # the banner: IKM, ten unsur boxes, the formula with the survey's weight
    df = skmkit.select_unit(skmkit.read_responses(custom["data"], survey=skmkit.load_survey(custom["survey"])), unit)
    fig = banner.banner_figure(df, unit=unit, period="Semester I 2026", survey=skmkit.load_survey(custom["survey"]))
    texts = {t.get_gid(): t.get_text() for t in fig.findobj(Text) if t.get_gid()}
    assert texts["ikm"] == _indo(ikm)
    assert {g for g in texts if g.startswith("unsur-")} == {f"unsur-{k}" for k in KEYS}
    drawn = " ".join(t.get_text() for t in fig.findobj(Text))
    assert "bobot tiap unsur 1/10 (tepat)" in drawn and "1/9" not in drawn
    # the workbook: the weight cell and skmkit's own IKM
    blob = workbook.workbook_bytes(df, unit=unit, survey=skmkit.load_survey(custom["survey"]))
    ws = load_workbook(io.BytesIO(blob))["NRR"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    check_row = cells["Pemeriksaan: IKM menurut skmkit"].row
    assert ws[f"G{check_row}"].value == pytest.approx(ikm)
    assert [ws[f"B{r}"].value for r in range(1, ws.max_row + 1) if re.fullmatch(r"U\d+", str(ws[f"B{r}"].value))] == KEYS
    # the recap
    all_rows = skmkit.read_responses(custom["data"], survey=skmkit.load_survey(custom["survey"]))
    table = recap_table(all_rows, survey=custom["survey"]).set_index("unit")
    assert table.loc[unit, "ikm"] == pytest.approx(ikm)
    assert table.loc["Kecamatan Uji", "ikm"] == pytest.approx(_by_hand(custom["raw"], "Kecamatan Uji"))
