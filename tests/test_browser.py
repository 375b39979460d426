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
