"""The results site: every unit with both periods' IKM, links that resolve, no external resource; in Chromium
the table sorts and filters with no console error (a missing chromium fails under CI=true or
SKMKIT_REQUIRE_CHROMIUM=1)."""
from __future__ import annotations

import hashlib
import os
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest

import cdp
from skmkit import history as h
from skmkit import load_survey, read_responses, site
from skmkit.batch.summary import BatchResult
from skmkit.select import select_unit
from skmkit.synth import DEMO_UNITS, generate_responses

UNITS = [u for u in DEMO_UNITS if u[0] in ("dinsos", "dlh", "rsud")]


def _ikm_by_hand(df, keys) -> float:
    """25 x the mean over unsur of each unsur's mean of the filled answers (no unsur is blank here)."""
    return 25 * sum(pd.to_numeric(df[k]).mean() for k in keys) / len(keys)


@pytest.fixture(scope="module")
def built(tmp_path_factory, sample_df):
    out = tmp_path_factory.mktemp("situs")
    s = load_survey()
    p2 = read_responses_frame(generate_responses(UNITS, seed=15, start="2026-07-01", end="2026-12-31"), out)
    parts, expected, units = [], {}, []
    for uid, name, *_ in UNITS:
        one = select_unit(sample_df, name, "unit")
        two = select_unit(p2, name, "unit")
        parts.append(h.unit_rows(one, unit=name, period="Semester I 2026", period_start="2026-01-01", survey=s))
        parts.append(h.unit_rows(two, unit=name, period="Semester II 2026", period_start="2026-07-01", survey=s))
        expected[name] = (_ikm_by_hand(one, s.keys), _ikm_by_hand(two, s.keys))
        outputs = {}
        for fmt, suffix in (("html", ".html"), ("pdf", ".pdf"), ("xlsx", ".xlsx"), ("banner", "-banner.png")):
            path = out / "laporan" / f"{uid}{suffix}"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(f"{uid} {fmt}".encode())
            outputs[fmt] = {"path": f"laporan/{uid}{suffix}", "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                            "bytes": path.stat().st_size}
        units.append({"id": uid, "unit": name, "status": "ok", "outputs": outputs,
                      "inputs": {"params": {"institution": "Pemerintah Kota Sukamaju", "period": "Semester II 2026"}}})
    history = h.merge_history(h.empty_history(), pd.concat(parts, ignore_index=True))
    h.write_history(out, history)
    site.write_site(out, result=BatchResult(out=out, units=units), history=history)
    return out, expected, units


def read_responses_frame(frame, tmp):
    path = tmp / "periode2.csv"
    frame.to_csv(path, index=False)
    return read_responses(path)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.scripts, self.lang = [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key])
        if tag == "script":
            self.scripts.append(a)


def _parse(path: Path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def test_index_lists_every_unit_with_both_periods_ikm_and_its_change(built):
    out, expected, _ = built
    text = (out / "index.html").read_text(encoding="utf-8")
    assert "IKM Semester I 2026" in text and "IKM Semester II 2026" in text
    for name, (one, two) in expected.items():
        row = text[text.index(f">{name}</a>"):]
        row = row[:row.index("</tr>")]
        for v in (one, two):
            assert f"{v:.2f}".replace(".", ",") in row, (name, v)
        assert any(w in row for w in ("naik", "turun", "tidak berubah berarti"))


def test_every_link_is_relative_and_resolves_and_nothing_is_loaded_from_outside(built):
    out, _, units = built
    pages = [out / "index.html", out / "publikasi.html"] + [out / "unit" / f"{u['id']}.html" for u in units]
    for page in pages:
        p = _parse(page)
        assert p.lang == "id"
        assert all(not s.get("src") for s in p.scripts)  # inline only
        for link in p.links:
            url = urlparse(link)
            if url.scheme == "data":
                continue
            assert not url.scheme and not url.netloc and not link.startswith("/"), (page.name, link)
            if url.path:
                assert (page.parent / unquote(url.path)).resolve().is_file(), (page.name, link)
    index = (out / "index.html").read_text(encoding="utf-8")
    published = (out / "publikasi.html").read_text(encoding="utf-8")
    for u in units:
        for o in u["outputs"].values():
            assert f'href="{o["path"]}"' in index                          # linked from the index
            assert f'href="{o["path"]}"' in published and o["sha256"] in published  # and its hash published


def test_the_unit_page_shows_its_trend_and_the_change_per_unsur(built):
    out, expected, _ = built
    page = (out / "unit" / "dinsos.html").read_text(encoding="utf-8")
    one, two = expected["Dinas Sosial"]
    assert f"{one:.2f}".replace(".", ",") in page and f"{two:.2f}".replace(".", ",") in page
    assert "Perubahan per unsur" in page and "<title>Tren IKM Dinas Sosial" in page
    assert 'href="../laporan/dinsos.pdf"' in page


def _browser_or_skip():
    if cdp.chromium() is None:
        if cdp.required():
            pytest.fail("chromium tidak terpasang (CI): apt-get install chromium")
        pytest.skip("chromium not installed")


def test_in_chromium_links_resolve_the_table_sorts_and_filters_and_no_console_error(built):
    _browser_or_skip()
    out, expected, units = built
    shots = os.environ.get("SKMKIT_SITE_SCREENSHOTS")
    with cdp.Browser() as b:
        b.open((out / "index.html").as_uri())
        hrefs = b.js("Array.from(document.links).map(a => a.href)")
        assert len(hrefs) >= len(units) * 5
        b.open((out / "publikasi.html").as_uri())
        hrefs += b.js("Array.from(document.links).map(a => a.href)")
        b.open((out / "index.html").as_uri())
        for href in hrefs:
            url = urlparse(href)
            assert url.scheme == "file" and Path(unquote(url.path)).is_file(), href
        col = b.js("Array.from(document.querySelectorAll('#unit thead th')).findIndex(th => "
                   "th.textContent.includes('Semester II 2026'))")
        assert col > 0
        values = ("Array.from(document.querySelectorAll('#unit tbody tr')).map(r => "
                  f"parseFloat(r.cells[{col}].dataset.v))")
        b.js(f"document.querySelectorAll('#unit thead th')[{col}].querySelector('button').click()")
        up = b.js(values)
        assert up == sorted(up) and len(up) == len(units)
        b.js(f"document.querySelectorAll('#unit thead th')[{col}].querySelector('button').click()")
        assert b.js(values) == sorted(up, reverse=True)
        assert b.js(f"document.querySelectorAll('#unit thead th')[{col}].getAttribute('aria-sort')") == "descending"
        b.js("const i = document.getElementById('cari'); i.value = 'sosial'; "
             "i.dispatchEvent(new Event('input'))")
        shown = b.js("Array.from(document.querySelectorAll('#unit tbody tr')).filter(r => !r.hidden)"
                     ".map(r => r.cells[0].textContent)")
        assert shown == ["Dinas Sosial"]
        if shots:
            b.js("const i = document.getElementById('cari'); i.value = ''; i.dispatchEvent(new Event('input'))")
            b.screenshot(Path(shots) / "situs-index.png")
        for u in units:
            b.open((out / "unit" / f"{u['id']}.html").as_uri())
            for href in b.js("Array.from(document.links).map(a => a.href)"):
                assert Path(unquote(urlparse(href).path)).is_file(), href
        if shots:
            b.open((out / "unit" / "dinsos.html").as_uri())
            b.screenshot(Path(shots) / "situs-unit.png")
        assert b.errors == []


def test_without_javascript_the_table_is_complete_and_the_search_box_stays_hidden(built):
    out, expected, _ = built
    text = (out / "index.html").read_text(encoding="utf-8")
    assert "<p id=cari-wrap class=noprint hidden>" in text
    assert text.count("<tr><td><a href=\"unit/") == len(expected)
