"""PDF through an installed web browser: Microsoft Edge, Google Chrome or Chromium.

WeasyPrint (the kit's PDF engine) needs the Pango libraries, which pip does
not install on Windows. Every Windows laptop has Microsoft Edge, and Edge,
Chrome and Chromium print a page to PDF headless. :func:`find_browser` looks
for one on ``PATH`` and at the standard install paths of Windows and macOS;
:func:`print_to_pdf` prints an HTML string with it; :func:`weasyprint_problem`
says whether WeasyPrint's libraries load. :func:`skmkit.exporters.html_to_pdf`
chains them: WeasyPrint when it loads, else a browser, else
:class:`PdfUnavailableError`, whose message tells the user to print the HTML
from the browser.

A browser has ``@page`` margin boxes and page counters (Chromium 131+) but no
``string()`` and no ``target-counter()``: the report's HTML carries its running
texts as literal strings for it (:mod:`skmkit.htmlprint`), and
:func:`print_to_pdf` prints a report twice, the second time with the table of
contents' page numbers read from the first print's link targets.

A browser's PDF is not byte-deterministic (it carries dates); WeasyPrint's is.
"""
from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import htmlprint
from .errors import SkmError

__all__ = ["BROWSER_NAMES", "PdfUnavailableError", "browser_candidates", "find_browser", "heading_pages",
           "print_to_pdf", "weasyprint_problem"]

#: Executable names looked up on PATH, in order of preference.
BROWSER_NAMES = ("msedge", "microsoft-edge", "microsoft-edge-stable", "google-chrome", "google-chrome-stable",
                 "chrome", "chromium", "chromium-browser")

# Standard install locations: (environment variable holding the base folder, path below it).
_WINDOWS = (("ProgramFiles(x86)", r"Microsoft\Edge\Application\msedge.exe"),
            ("ProgramFiles", r"Microsoft\Edge\Application\msedge.exe"),
            ("ProgramFiles", r"Google\Chrome\Application\chrome.exe"),
            ("ProgramFiles(x86)", r"Google\Chrome\Application\chrome.exe"),
            ("LOCALAPPDATA", r"Google\Chrome\Application\chrome.exe"),
            ("LOCALAPPDATA", r"Chromium\Application\chrome.exe"))
_MACOS = ("/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
          "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
          "/Applications/Chromium.app/Contents/MacOS/Chromium")


class PdfUnavailableError(SkmError):
    """No PDF engine works here: WeasyPrint cannot load its libraries and no browser was found."""


def weasyprint_problem() -> str | None:
    """Why WeasyPrint cannot be used here, or ``None`` when it loads.

    WeasyPrint loads Pango when it is imported and raises ``OSError`` when the
    library is missing (Windows without GTK, a bare container).

    Examples
    --------
    >>> weasyprint_problem() is None  # doctest: +SKIP
    True
    """
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None


def browser_candidates(*, system: str | None = None, environ=None) -> list[Path]:
    """The standard install paths of Edge, Chrome and Chromium on this kind of system.

    Parameters
    ----------
    system : str, optional
        ``"Windows"``, ``"Darwin"`` or another value of :func:`platform.system`
        (default: this machine's).
    environ : mapping, optional
        Environment variables giving the Windows base folders (default
        ``os.environ``).

    Examples
    --------
    >>> browser_candidates(system="Darwin")[0].name
    'Microsoft Edge'
    >>> str(browser_candidates(system="Windows", environ={"ProgramFiles(x86)": "C:/PF86"})[0]).replace("\\\\", "/")
    'C:/PF86/Microsoft/Edge/Application/msedge.exe'
    """
    system = system or platform.system()
    environ = os.environ if environ is None else environ
    if system == "Windows":
        return [Path(environ[var], *below.split("\\")) for var, below in _WINDOWS if environ.get(var)]
    if system == "Darwin":
        return [Path(p) for p in _MACOS]
    return []


def find_browser() -> Path | None:
    """The first Edge, Chrome or Chromium found on PATH or at a standard install path, else ``None``."""
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return next((p for p in browser_candidates() if p.is_file() and os.access(p, os.X_OK)), None)


def print_to_pdf(html: str, browser, *, timeout: float = 300) -> bytes:
    """Print an HTML string to PDF with a browser running headless; a report's contents get their page numbers.

    A document with a table of contents (``<ol class="toc-list">``) is printed
    once, each entry's page read from the PDF's named destinations (the
    browser names them after the headings' ids), and printed again with the
    numbers written in (:func:`skmkit.htmlprint.number_toc`). The numbers are
    kept only when the second print puts every heading on the page the first
    did (a third print follows when not); otherwise the table of contents
    stays without numbers rather than with a wrong one.

    Parameters
    ----------
    html : str
        The whole document; relative links resolve against a temporary folder,
        so images must be embedded (the kit's HTML embeds them).
    browser : str or Path
        The browser executable (see :func:`find_browser`).
    timeout : float
        Seconds before the browser is stopped.

    Returns
    -------
    bytes
        The PDF.

    Raises
    ------
    PdfUnavailableError
        When the browser fails or writes no PDF.
    """
    pdf = _print_once(html, browser, timeout)
    targets = htmlprint.toc_targets(html)
    if not targets:
        return pdf
    pages = heading_pages(pdf)
    for _ in range(2):
        if pages is None or any(t not in pages for t in targets):
            break
        numbered = _print_once(htmlprint.number_toc(html, pages), browser, timeout)
        again = heading_pages(numbered)
        if again is not None and all(again.get(t) == pages[t] for t in targets):
            return numbered
        pages = again
    return pdf


def heading_pages(pdf: bytes) -> dict[str, int] | None:
    """The 1-based page of each named destination (a browser names them after the ids), or None if unreadable.

    Examples
    --------
    >>> heading_pages(b"%PDF-1.4 not a real file") is None
    True
    """
    import io

    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:  # an install from a lock made before pypdf was a runtime dependency: no numbers
        return None
    try:
        reader = PdfReader(io.BytesIO(pdf))
        return {name.lstrip("/"): reader.get_destination_page_number(dest) + 1
                for name, dest in reader.named_destinations.items()}
    except (PyPdfError, ValueError, KeyError, TypeError):
        return None


def _print_once(html: str, browser, timeout: float) -> bytes:
    """One headless print of ``html`` (see :func:`print_to_pdf`)."""
    with tempfile.TemporaryDirectory(prefix="skmkit-pdf-") as tmp:
        src, out = Path(tmp) / "laporan.html", Path(tmp) / "laporan.pdf"
        src.write_text(html, encoding="utf-8")
        args = [str(browser), "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-extensions", f"--user-data-dir={Path(tmp) / 'profile'}",
                "--no-pdf-header-footer", "--print-to-pdf-no-header", "--generate-pdf-document-outline",
                f"--print-to-pdf={out}", src.as_uri()]
        if sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        try:
            run = subprocess.run(args, capture_output=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailableError(f"peramban {browser} gagal mencetak PDF ({exc}). Perbaikan: buka berkas HTML "
                                      "laporan di peramban lalu cetak ke PDF (Ctrl+P, Simpan sebagai PDF).") from None
        if not out.is_file() or out.stat().st_size == 0:
            detail = run.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"kode {run.returncode}"]
            raise PdfUnavailableError(f"peramban {browser} tidak menghasilkan PDF ({detail[0]}). Perbaikan: buka "
                                      "berkas HTML laporan di peramban lalu cetak ke PDF (Ctrl+P, Simpan sebagai PDF).")
        return out.read_bytes()
