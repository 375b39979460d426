"""The bundled sample's outputs, pinned by hash: every unit's HTML, PDF, XLSX and banner, and the recap.

A change to any output byte fails here. When the change is intended (a fix, a
new section), re-pin and say in the commit what changed and why::

    .venv/bin/python tests/test_sample_outputs.py --pin

The hashes hold on any machine with the locked packages: the PDF embeds the
kit's own fonts (no render-time subsetting), charts use matplotlib's bundled
FreeType, and nothing carries a date, a path or a random id.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

PINS = Path(__file__).parent / "data" / "sample_outputs.sha256"
FORMATS = "html,pdf,xlsx,banner"


def render(out: Path) -> dict[str, str]:
    """Run the batch on the bundled sample; return relative path -> SHA-256 of each output."""
    import skmkit
    from skmkit.batch import batch

    units = skmkit.sample_data_path().parent / "units.yml"
    result = batch(units, out=out, formats=FORMATS, jobs=2, progress=False, quiet=True)
    assert result.exit_code == 0, [(u["id"], u["cause"]) for u in result.failed]
    files = sorted([*(out / "laporan").iterdir(), *out.glob("rekap_skm.*")])
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def _pinned() -> dict[str, str]:
    pins = {}
    for line in PINS.read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        pins[name] = digest
    return pins


@pytest.mark.slow
def test_sample_outputs_match_their_pinned_hashes(tmp_path):
    got = render(tmp_path / "out")
    pinned = _pinned()
    assert sorted(got) == sorted(pinned), "the set of output files changed"
    changed = [name for name in pinned if got[name] != pinned[name]]
    assert not changed, (f"{len(changed)} output(s) changed: {', '.join(changed[:10])}. If intended, re-pin with "
                         "`python tests/test_sample_outputs.py --pin` and name the change in the commit.")


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] != ["--pin"]:
        sys.exit("usage: python tests/test_sample_outputs.py --pin")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        hashes = render(Path(tmp) / "out")
    PINS.write_text("".join(f"{digest}  {name}\n" for name, digest in hashes.items()), encoding="utf-8")
    print(f"{len(hashes)} hashes written to {PINS}")
