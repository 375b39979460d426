"""Make the README's pictures of the instruments (docs/images/kuesioner-*.png, isian-*.png).

The questionnaire of one sample unit (PDF pages, WeasyPrint) and the entry sheet filled with twelve made-up
rows, printed by LibreOffice Calc. Needs ``pdftoppm`` (poppler-utils) and ``soffice``
(libreoffice-calc-nogui). Run from the repository root::

    python tools/kuesioner_images.py
"""
from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from skmkit.instruments import make_instruments

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"


def _png(pdf: Path, stem: Path, *, first: int, last: int, dpi: int) -> None:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(first), "-l", str(last), str(pdf), str(stem)],
                   check=True)


def main() -> None:
    work = Path(tempfile.mkdtemp())
    made = make_instruments(work / "out", units=ROOT / "params" / "units.yml",
                            layanan=["Bantuan sosial", "Rekomendasi DTKS"],
                            form_url="https://ee.kobotoolbox.org/x/skm-contoh", formats=("pdf", "xlsx"))
    pdf = next(p for p in made.outputs["pdf"] if p.name == "kuesioner-dinsos.pdf")
    _png(pdf, work / "kuesioner", first=1, last=2, dpi=70)
    for n in (1, 2):
        shutil.copy(work / f"kuesioner-{n}.png", IMAGES / f"kuesioner-halaman-{n}.png")
    _png(next(p for p in made.outputs["plan"] if p.suffix == ".pdf"), work / "plan", first=1, last=1, dpi=70)
    shutil.copy(work / "plan-1.png", IMAGES / "rencana-sampel.png")

    q = made.questionnaire
    wb = load_workbook(made.outputs["xlsx"][0])
    ws = wb["Isian"]
    rng = random.Random(3)
    for i in range(12):
        answers = [x.options[rng.choice([1, 2, 2, 3, 3])][1] for x in q.questions]
        ws.append(["Dinas Sosial", q.services[i % 2], datetime(2026, 3, 2 + i), ["Laki-laki", "Perempuan"][i % 2],
                   24 + 3 * i, ["SMA", "D4/S1", "SMP"][i % 3], ["Swasta", "PNS", "Wirausaha"][i % 3], *answers,
                   "Antrian perlu diperbaiki" if i == 2 else None])
        ws.cell(ws.max_row, 3).number_format = "dd/mm/yyyy"  # as the column shows a date typed by a clerk
    filled = work / "isian_terisi.xlsx"
    wb.save(filled)
    profile = work / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(work), str(filled)], check=True, capture_output=True)
    _png(work / "isian_terisi.pdf", work / "isian", first=1, last=1, dpi=110)
    shutil.copy(work / "isian-1.png", IMAGES / "isian-libreoffice.png")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
