"""The recap table: units ranked by IKM, the two totals labelled, the sample check; worked by hand."""
from __future__ import annotations

import pandas as pd
import pytest

from skmkit.recap_report import recap_table

KEYS = [f"U{i}" for i in range(1, 10)]


def _data():
    rows = []
    for unit, score, n in (("Alfa", 4, 3), ("Beta", 2, 1), ("Gama", 3, 2)):
        rows += [{"unit": unit, "_row": len(rows) + 2, **{k: float(score) for k in KEYS}} for _ in range(n)]
    frame = pd.DataFrame(rows)
    frame.attrs = {"skmkit": {"source": "uji", "columns": {}, "dropped_personal": []}}
    return frame


def test_ranking_totals_and_sample_check():
    t = recap_table(_data(), population={"Alfa": 10, "Gama": 1000})
    units = t[t["peringkat"].notna()]
    assert units["unit"].tolist() == ["Alfa", "Gama", "Beta"]
    assert units["ikm"].tolist() == pytest.approx([100.0, 75.0, 50.0])
    pooled, mean = t.iloc[-2], t.iloc[-1]
    assert pooled["unit"].startswith("Gabungan") and mean["unit"].startswith("Rata-rata")
    assert pooled["ikm"] == pytest.approx((3 * 4 + 1 * 2 + 2 * 3) / 6 * 25)  # all respondents pooled
    assert mean["ikm"] == pytest.approx((100 + 75 + 50) / 3)                 # each unit counted once
    by_unit = t.set_index("unit")
    # Krejcie-Morgan minimum: N=10 -> 10; N=1000 -> 278 (method doc table)
    assert by_unit.loc["Alfa", "sampel_minimum"] == 10 and not by_unit.loc["Alfa", "cukup"]
    assert by_unit.loc["Gama", "sampel_minimum"] == 278 and pd.isna(by_unit.loc["Beta", "cukup"])
