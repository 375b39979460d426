"""Output files: slugs that never collide silently, atomic writes, clear refusals, hashes."""
from __future__ import annotations

import hashlib

import pytest

from skmkit import files
from skmkit.errors import ParameterError


def test_slugs_are_short_ascii_and_distinct_for_lossy_names():
    assert files.slugify("Dinas Kesehatan (UPT)").startswith("dinas-kesehatan-upt-")
    assert files.slugify("Dinas Pendidikan dan Kebudayaan") == "dinas-pendidikan-dan-kebudayaan"
    long_a, long_b = "Dinas " * 50 + "A", "Dinas " * 50 + "B"
    assert len(files.slugify(long_a)) <= files.SLUG_MAX and files.slugify(long_a) != files.slugify(long_b)
    emoji_a, emoji_b = "\U0001F3E5", "\U0001F691"
    assert files.slugify(emoji_a).startswith("unit-") and files.slugify(emoji_a) != files.slugify(emoji_b)
    # the file name fits every file system (255 bytes), with the batch's longest suffix and temp name
    assert len((files.slugify(long_a) + "-banner.png.part").encode()) + 20 < 255


def test_two_units_never_share_a_file_name_and_one_unit_always_has_the_same():
    names = ["Dinas Sosial", "Dinas-Sosial", "Dinas Sosial (UPT)", "Dinas Sosial UPT", "D\u00efnas Sosial",
             "\U0001F3E5", "\U0001F691", "Dinas " * 50 + "A", "Dinas " * 50 + "B", "unit", "Unit!"]
    slugs = [files.slugify(n) for n in names]
    assert len(set(slugs)) == len(names)
    assert files.slugify("  DINAS   sosial ") == files.slugify("Dinas Sosial") == "dinas-sosial"


def test_write_atomic_leaves_no_partial_file(tmp_path):
    path = files.write_atomic(tmp_path / "a" / "b.txt", "isi")
    assert path.read_text() == "isi" and oct(path.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in path.parent.iterdir()] == ["b.txt"]


def test_output_dir_refuses_a_file(tmp_path):
    (tmp_path / "berkas").write_text("x")
    with pytest.raises(ParameterError, match="bukan folder"):
        files.output_dir(tmp_path / "berkas")


def test_output_dir_that_cannot_be_created_is_refused():
    with pytest.raises(ParameterError, match="tidak bisa ditulisi"):
        files.output_dir("/proc/skmkit-uji/laporan")  # not writable, even for root


def test_hashes(tmp_path):
    p = tmp_path / "x.bin"
    p.write_bytes(b"abc" * 1000)
    assert files.file_sha256(p) == hashlib.sha256(b"abc" * 1000).hexdigest()
    assert files.content_hash("ab", "c") != files.content_hash("a", "bc")

