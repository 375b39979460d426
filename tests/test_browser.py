"""PDF without Pango: WeasyPrint's library load made to fail, a fake browser that prints the PDF.

No real browser runs here: the "browser" is a small Python script that does what
Edge and Chrome do with ``--print-to-pdf=FILE URL`` (reads the page, writes a PDF)
and records its arguments.
"""
from __future__ import annotations

import importlib.abc
import json
import os
import sys
from pathlib import Path

import pytest

from skmkit import browser, report, training
from skmkit import exporters as render
from skmkit.browser import PdfUnavailableError

HTML = "<html><head><title>Uji</title></head><body><h1>BAB I</h1><p>IKM 87,28</p></body></html>"
FAKE = """#!{python}
# A stand-in for msedge/chrome: --print-to-pdf=OUT FILE_URL -> a PDF holding the page's text.
import json, sys
from pathlib import Path
from urllib.parse import unquote, urlparse
args = sys.argv[1:]
Path({log!r}).write_text(json.dumps(args))
out = next(a.split("=", 1)[1] for a in args if a.startswith("--print-to-pdf="))
page = Path(unquote(urlparse(args[-1]).path)).read_text(encoding="utf-8")
Path(out).write_bytes(b"%PDF-1.4\\n% fake browser\\n" + page.encode("utf-8") + b"\\n%%EOF\\n")
"""


class _NoPango(importlib.abc.MetaPathFinder):
    """Importing weasyprint fails as it does on Windows without GTK: OSError from cffi's dlopen."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libgobject-2.0-0': error 0x7e")
        return None


@pytest.fixture
def no_pango(monkeypatch):
    for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])


@pytest.fixture
def empty_path(monkeypatch, tmp_path):
    """No browser on PATH and no standard install path (a Linux machine without one)."""
    bare = tmp_path / "bare-bin"
    bare.mkdir()
    monkeypatch.setenv("PATH", str(bare))
    monkeypatch.setattr(browser.platform, "system", lambda: "Linux")
    return bare


def _fake_browser(folder: Path, name: str) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    exe, log = folder / name, folder / f"{name}.args.json"
    exe.write_text(FAKE.format(python=sys.executable, log=str(log)), encoding="utf-8")
    exe.chmod(0o755)
    return exe, log


def test_weasyprint_problem_names_the_failed_library_load(no_pango):
    assert "libgobject" in browser.weasyprint_problem()


def test_weasyprint_loads_here_so_the_default_path_is_unchanged():
    assert browser.weasyprint_problem() is None
    assert render.html_to_pdf(HTML)[:5] == b"%PDF-"


def test_without_pango_the_pdf_is_printed_by_a_browser_on_path(no_pango, empty_path, capsys):
    _, log = _fake_browser(empty_path, "msedge")
    pdf = render.html_to_pdf(HTML)
    assert pdf.startswith(b"%PDF-1.4\n% fake browser") and b"IKM 87,28" in pdf  # the page the kit wrote
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["WeasyPrint tidak dapat memuat pustaka Pango; PDF dicetak dengan peramban msedge."]
    args = json.loads(log.read_text())
    assert "--headless" in args and args[-1].startswith("file://")
    assert any(a.startswith("--print-to-pdf=") for a in args) and "--no-pdf-header-footer" in args


def test_edge_at_its_standard_windows_install_path_is_found(no_pango, empty_path, monkeypatch, tmp_path):
    program_files = tmp_path / "Program Files (x86)"
    exe, log = _fake_browser(program_files / "Microsoft" / "Edge" / "Application", "msedge.exe")
    monkeypatch.setattr(browser.platform, "system", lambda: "Windows")
    monkeypatch.setenv("ProgramFiles(x86)", str(program_files))
    monkeypatch.delenv("ProgramFiles", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    assert browser.find_browser() == exe
    assert b"IKM 87,28" in render.html_to_pdf(HTML)
    assert log.exists()


def test_standard_install_paths_per_system():
    env = {"ProgramFiles": r"C:\Program Files", "ProgramFiles(x86)": r"C:\Program Files (x86)",
           "LOCALAPPDATA": r"C:\Users\andi\AppData\Local"}
    windows = [str(p).replace("\\", "/") for p in browser.browser_candidates(system="Windows", environ=env)]
    assert windows[0] == "C:/Program Files (x86)/Microsoft/Edge/Application/msedge.exe"
    assert "C:/Program Files/Google/Chrome/Application/chrome.exe" in windows
    assert "C:/Users/andi/AppData/Local/Google/Chrome/Application/chrome.exe" in windows
    mac = [str(p) for p in browser.browser_candidates(system="Darwin")]
    assert mac[0] == "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"
    assert "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome" in mac
    assert browser.browser_candidates(system="Linux") == []


def test_the_chromium_engine_by_name_uses_the_same_lookup(empty_path):
    _fake_browser(empty_path, "google-chrome")
    assert b"IKM 87,28" in render.html_to_pdf(HTML, engine="chromium")


def test_without_pango_and_without_a_browser_the_user_is_told_to_print_the_html(no_pango, empty_path):
    with pytest.raises(PdfUnavailableError, match=r"Ctrl\+P") as info:
        render.html_to_pdf(HTML)
    message = str(info.value)
    assert "\n" not in message and "WeasyPrint" in message and "libgobject" in message


def test_a_browser_that_writes_nothing_is_a_one_line_error(empty_path):
    exe = empty_path / "chromium"
    exe.write_text(f"#!{sys.executable}\nimport sys; print('gagal', file=sys.stderr); sys.exit(3)\n")
    exe.chmod(0o755)
    with pytest.raises(PdfUnavailableError, match="tidak menghasilkan PDF"):
        browser.print_to_pdf(HTML, exe)


def test_report_without_any_pdf_engine_writes_the_html_to_print(no_pango, empty_path, tmp_path):
    out = tmp_path / "laporan"
    with pytest.raises(PdfUnavailableError) as info:
        report.render_report(training.data_path("bersih"), unit=training.WORKSHOP_UNIT,
                             params={"population": 3000}, out=out, formats=("pdf",))
    page = out / "puskesmas-melati.html"
    assert page.is_file() and "<html" in page.read_text(encoding="utf-8")[:2000].lower()
    assert str(page) in str(info.value) and "cetak ke PDF" in str(info.value)
    assert not (out / "puskesmas-melati.pdf").exists()


@pytest.mark.skipif(os.name == "nt", reason="the fake browser is a POSIX script")
def test_report_without_pango_gets_its_pdf_from_the_browser(no_pango, empty_path, tmp_path):
    _fake_browser(empty_path, "msedge")
    out = tmp_path / "laporan"
    result = report.render_report(training.data_path("bersih"), unit=training.WORKSHOP_UNIT,
                                  params={"population": 3000}, out=out, formats=("pdf",))
    pdf = result.outputs["pdf"].read_bytes()
    assert pdf.startswith(b"%PDF-1.4\n% fake browser") and b"Puskesmas Melati" in pdf


# ------------------------------------------------------------------ a real browser (Debian's chromium)
# One report, printed once by WeasyPrint and once by chromium (two passes: the contents' page numbers), per module.
import html as _html  # noqa: E402
import io  # noqa: E402
import re  # noqa: E402
import unicodedata  # noqa: E402
from collections import Counter  # noqa: E402
from types import SimpleNamespace  # noqa: E402

import cdp  # noqa: E402
from pypdf import PdfReader  # noqa: E402


INSTITUTION = "Pemerintah Kabupaten Contoh"


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The workshop unit's report: its HTML, WeasyPrint's PDF and chromium's PDF of the same HTML."""
    if cdp.chromium() is None:
        if cdp.required():
            pytest.fail("chromium tidak terpasang (CI): apt-get install chromium")
        pytest.skip("chromium not installed")
    out = tmp_path_factory.mktemp("browser-pdf")
    result = report.render_report(training.data_path("bersih"), unit=training.WORKSHOP_UNIT,
                                  params={"population": 3000, "institution": INSTITUTION}, out=out,
                                  formats=("html", "pdf"))
    html = result.outputs["html"].read_text(encoding="utf-8")
    chrome = browser.print_to_pdf(html, cdp.chromium())
    return SimpleNamespace(html=html, weasy=PdfReader(result.outputs["pdf"]), chrome=PdfReader(io.BytesIO(chrome)),
                           chrome_bytes=chrome)


def _chars(text: str) -> Counter:
    return Counter(re.sub(r"[\s\u2010]", "", re.sub(r"\.{3,}", "", text)))


def _pages(reader) -> list[str]:
    """Each page's text, ligatures (WeasyPrint's "ﬁ") written as their letters."""
    return [unicodedata.normalize("NFKC", page.extract_text() or "") for page in reader.pages]


def test_chromium_prints_weasyprints_pages_with_the_cover_alone_on_page_1(printed):
    chrome = printed.chrome
    w, c = _pages(printed.weasy), _pages(chrome)
    assert len(w) > 10 and len(c) == len(w)  # was one more: the cover spilled a blank page
    assert float(chrome.pages[0].mediabox.width) == pytest.approx(595.3, abs=1)  # A4
    assert float(chrome.pages[0].mediabox.height) == pytest.approx(841.9, abs=1)
    assert training.WORKSHOP_UNIT.upper() in c[0] and "Halaman" not in c[0] and "KATA PENGANTAR" not in c[0]
    for n, (wp, cp) in enumerate(zip(w, c), start=1):  # the same characters on every page: the same breaks
        # Counted, not read in order: the two producers' text runs split and order words differently. Without
        # the hyphens WeasyPrint adds (U+2010, Indonesian hyphenation; a browser on Linux has no dictionary) and
        # the contents' leader dots (text in WeasyPrint, a dotted line in a browser).
        assert _chars(wp) == _chars(cp), f"halaman {n}"


def test_chromium_pages_carry_the_running_header_and_both_footers(printed):
    institution = INSTITUTION.upper()  # the cover writes it in capitals, and WeasyPrint's footer copies the cover
    pages = _pages(printed.chrome)
    chapter = None
    for n, text in enumerate(pages[1:], start=2):
        assert f"Laporan Hasil SKM — {training.WORKSHOP_UNIT.upper()}" in text, n
        assert f"Halaman {n} dari {len(pages)}" in text, n
        assert institution in text, n
        heads = re.findall(r"^(KATA PENGANTAR|DAFTAR ISI|BAB [IV]+ [A-Z ]+|LAMPIRAN|Kolofon)$", text, re.M)
        chapter = heads[0].upper() if heads else chapter  # a page without a chapter heading keeps the last
        assert text.upper().count(chapter) >= (2 if heads else 1), (n, chapter)  # the header names it too


def test_chromium_contents_have_the_pages_where_the_headings_are(printed):
    toc = printed.html.split('<ol class="toc-list">')[1].split("</ol>")[0]
    entries = [(ident, _html.unescape(label)) for ident, label in re.findall(r'<a href="#(s\d+)">(.*?)</a>', toc)]
    page = next(i for i, t in enumerate(_pages(printed.chrome)) if "DAFTAR ISI" in t and "KATA PENGANTAR" in t)

    def numbers(text):
        return [int(re.search(re.escape(label) + r"[\s.]*(\d+)", text).group(1)) for _, label in entries]

    chrome, weasy = numbers(_pages(printed.chrome)[page]), numbers(_pages(printed.weasy)[page])
    where = browser.heading_pages(printed.chrome_bytes)  # the pages the browser put the headings on
    assert len(entries) > 10 and chrome == weasy == [where[ident] for ident, _ in entries]
    assert chrome == sorted(chrome) and chrome[0] == 2  # Kata Pengantar follows the cover


def test_chromium_draws_with_the_fonts_the_html_carries(printed):
    assert printed.html.count("@font-face") >= 5 and "data:font/woff2;base64," in printed.html
    fonts = set()
    for page in printed.chrome.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    # the embedded faces are named SKMSans/SKMMono (tools/web_fonts.py): no system font was used
    assert {"SKMSans", "SKMSans-Bold", "SKMMono"} <= fonts and all(f.startswith(("SKMSans", "SKMMono")) for f in fonts)
