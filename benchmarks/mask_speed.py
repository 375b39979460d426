"""Benchmark: masking personal data in free text is linear in the text's length.

For each kind of text (ordinary prose with phone numbers and e-mails, and the
inputs that made the old patterns backtrack: a run of word characters, many
"@", digits separated by spaces) the CPU time of :func:`skmkit.privacy.mask_personal`
is measured at 1 MB and 10 MB, best of ``--repeat``. Linear time shows as a
ratio near 10 between the two sizes (quadratic would be near 100). The old
pattern from ``narrative.py`` took 6.5 s on 40,000 characters and never
finished on 10 MB.

    .venv/bin/python benchmarks/mask_speed.py [--repeat 3] [--mb 10]
"""
from __future__ import annotations

import argparse
import time

from skmkit.privacy import mask_personal

KINDS = {
    "prosa + nomor + surel": "Pelayanan baik, hubungi 0812-3456-7890 atau budi@contoh.id. Antrian lama. ",
    "satu kata panjang": "a",
    "banyak @": "x@",
    "angka berspasi": "1 ",
    "nomor bertanda": "(0778) 462-",
    "titik-titik": "a.",
}


def _text(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def best(text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        mask_personal(text)
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--mb", type=int, default=10)
    a = ap.parse_args()
    big = a.mb * 1_000_000
    small = big // 10
    print(f"{'teks':24} {small // 1_000_000:>3} MB (s) {a.mb:>3} MB (s)  rasio")
    for name, unit in KINDS.items():
        t_small = best(_text(unit, small), a.repeat)
        t_big = best(_text(unit, big), a.repeat)
        print(f"{name:24} {t_small:10.3f} {t_big:10.3f} {t_big / max(t_small, 1e-9):6.1f}")


if __name__ == "__main__":
    main()
