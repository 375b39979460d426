"""Issue 21's must-show: two batches of the sample for two periods into one output folder.

The second period's data come from the kit's synthetic generator. The history holds both periods; each
unit report shows both IKMs and the per-unsur change; Dinas Sosial's report and the recap show the
tindak lanjut share from the sample parameter file; the recap shows both periods; index.html lists
every unit with both IKMs and every relative link resolves.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest
import yaml

from skmkit import history as h
from skmkit import load_survey, read_responses, sample_data_path
from skmkit.batch import batch
from skmkit.select import select_unit
from skmkit.synth import write_demo_period

pytestmark = pytest.mark.slow
KEEP = {"dinsos", "dlh"}


def _subset(units_file: Path, dest: Path) -> Path:
    doc = yaml.safe_load(units_file.read_text(encoding="utf-8"))
    doc["units"] = [u for u in doc["units"] if u["id"] in KEEP]
    doc["defaults"]["data"] = str((units_file.parent / doc["defaults"]["data"]).resolve())
    dest.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dest


def _ikm(path, unit) -> float:
    """25 x the mean over unsur of each unsur's mean filled answer (no unsur is left blank by a whole unit)."""
    s = load_survey()
    df = select_unit(read_responses(path), unit, "unit")
    return 25 * sum(pd.to_numeric(df[k]).mean() for k in s.keys) / len(s.keys)


def _text(v: float) -> str:
    return f"{v:.2f}".replace(".", ",")


@pytest.fixture(scope="module")
def two_periods(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("periode")
    out = tmp / "out"
    p1 = _subset(sample_data_path().parent / "units.yml", tmp / "units-1.yml")
    r1 = batch(p1, out=out, formats="html", jobs=2, progress=False, quiet=True)
    data2, units2 = write_demo_period(tmp / "p2")
    p2 = _subset(units2, tmp / "units-2.yml")
    r2 = batch(p2, out=out, formats="html", jobs=2, progress=False, quiet=True)
    assert r1.exit_code == 0 and r2.exit_code == 0, (r1.units, r2.units)
    names = {u["id"]: u["unit"] for u in r2.units}
    expected = {uid: (_ikm(sample_data_path(), name), _ikm(data2, name)) for uid, name in names.items()}
    return out, names, expected


def test_the_history_holds_both_periods_for_every_unit(two_periods):
    out, names, expected = two_periods
    got = h.read_history(out)
    top = got[got["unsur"] == h.IKM_ROW]
    for uid, name in names.items():
        mine = top[top["unit"] == name].sort_values("period_start")
        assert mine["period"].tolist() == ["Semester I 2026", "Semester II 2026"]
        assert mine["ikm"].tolist() == pytest.approx(list(expected[uid]))
    assert len(pd.read_csv(out / "riwayat_skm.csv")) == len(got)


def test_each_report_shows_both_ikms_and_the_change_per_unsur(two_periods):
    out, names, expected = two_periods
    for uid in names:
        page = (out / "laporan" / f"{uid}.html").read_text(encoding="utf-8")
        trend = page[page.index("<caption>IKM per periode"):]
        trend = trend[:trend.index("</table>")]
        assert _text(expected[uid][0]) in trend and _text(expected[uid][1]) in trend
        changes = page[page.index("<caption>Perubahan NRR per unsur"):]
        changes = changes[:changes.index("</table>")]
        assert changes.count("<tr>") == 1 + len(load_survey().keys)
        assert re.search(r"naik|turun|tidak berubah berarti", changes)


def test_the_tindak_lanjut_share_is_in_the_report_and_the_recap(two_periods):
    out, _, _ = two_periods
    # the sample file: 3 items, 1 selesai, 1 berjalan -> 1/3 = 33,3 %
    assert "33,3% selesai (1 dari 3 butir; 1 berjalan)" in (out / "laporan" / "dinsos.html").read_text(encoding="utf-8")
    recap = (out / "rekap_skm.html").read_text(encoding="utf-8")
    assert "33,3% selesai (1 dari 3 butir; 1 berjalan)" in recap and "belum dilaporkan" in recap


def test_the_recap_shows_both_periods(two_periods):
    out, names, expected = two_periods
    recap = (out / "rekap_skm.html").read_text(encoding="utf-8")
    part = recap[recap.index("<caption>IKM unit layanan per periode"):]
    part = part[:part.index("</table>")]
    assert "Semester I 2026" in part and "Semester II 2026" in part
    for uid in names:
        assert _text(expected[uid][0]) in part and _text(expected[uid][1]) in part
        # each mutu letter in the class the stylesheet colours by the band's rank (A best = r0), as every
        # other mutu of the kit: a class named by the letter (mutu-B) had no colour, white on white
        for v in expected[uid]:
            letter = next(m for m, low in (("A", 88.31), ("B", 76.61), ("C", 65.00), ("D", 25.0))
                          if round(v + 1e-9, 2) >= low)
            assert f'{_text(v)} <span class="mutu mutu-r{"ABCD".index(letter)}">{letter}</span>' in part


def test_the_index_lists_every_unit_with_both_ikms_and_every_link_resolves(two_periods):
    out, names, expected = two_periods
    index = (out / "index.html").read_text(encoding="utf-8")
    for uid, name in names.items():
        row = index[index.index(f'<a href="unit/{uid}.html">{name}</a>'):]
        row = row[:row.index("</tr>")]
        assert _text(expected[uid][0]) in row and _text(expected[uid][1]) in row
        assert f'href="laporan/{uid}.html"' in row
    for page in [out / "index.html", out / "publikasi.html", *sorted((out / "unit").glob("*.html"))]:
        for link in re.findall(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8")):
            url = urlparse(link)
            if url.scheme == "data" or not url.path:
                continue
            assert not url.scheme and not link.startswith("/")
            assert (page.parent / unquote(url.path)).is_file(), (page.name, link)


def test_the_same_dates_under_another_period_name_are_refused(two_periods, tmp_path):
    """An analyst types "Semester 1 2026" for the semester the history holds as "Semester I 2026": each unit
    fails with the name to use, the others' files and the history stay as they were (no second period)."""
    import shutil

    out = tmp_path / "out"
    shutil.copytree(two_periods[0], out)
    history = (out / "riwayat_skm.csv").read_bytes()
    doc = yaml.safe_load((sample_data_path().parent / "units.yml").read_text(encoding="utf-8"))
    assert doc["defaults"]["period"] == "Semester I 2026"
    p = _subset(sample_data_path().parent / "units.yml", tmp_path / "units.yml")
    p.write_text(p.read_text(encoding="utf-8").replace("Semester I 2026", "Semester 1 2026"), encoding="utf-8")
    r = batch(p, out=out, formats="html", jobs=1, progress=False, quiet=True)
    assert r.exit_code != 0 and {u["id"] for u in r.units} == KEEP
    for u in r.units:
        assert u["status"] == "failed"
        assert "'Semester 1 2026'" in u["cause"] and "tulis period: Semester I 2026" in u["cause"]
    assert (out / "riwayat_skm.csv").read_bytes() == history
