"""Files the kit writes: names, atomic writes, output folders and hashes.

Every module that writes an output goes through here, so the rules are the same
everywhere: a file appears whole or not at all (:func:`write_atomic`), a unit's
file name is a short ASCII slug that two units never share (:func:`slugify`), an
output folder is checked once (:func:`output_dir`), and hashes are SHA-256
(:func:`file_sha256`, :func:`content_hash`).
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import tempfile
import threading
import unicodedata
from pathlib import Path

from .errors import ParameterError
from .survey import name_key

__all__ = ["slugify", "write_atomic", "output_dir", "file_sha256", "content_hash", "SLUG_MAX"]

#: Longest slug: file systems allow 255 bytes; ``<slug>-banner.png.part`` and a temp suffix must fit.
SLUG_MAX = 80


def _short_hash(text: str) -> str:
    return hashlib.sha256(str(text).encode("utf-8")).hexdigest()[:8]


def slugify(text: str) -> str:
    """A unit's file name: lower-case ASCII letters, digits and ``-``, at most :data:`SLUG_MAX` characters.

    Two different units never share a file name, and one unit typed two ways
    ("Dinas Sosial", "DINAS  SOSIAL") always gets the same one: the name is
    taken as the unit key (:func:`skmkit.survey.name_key`); a key of plain
    words becomes those words joined by ``-``; any other key (punctuation,
    accents, emoji, too long) gets a short hash of the key after its readable
    part, since the readable part alone could belong to another unit
    ("Dinas-Sosial" is not "Dinas Sosial").

    Examples
    --------
    >>> slugify("Dinas  Sosial"), slugify("dinas sosial")
    ('dinas-sosial', 'dinas-sosial')
    >>> slugify("Dinas-Sosial")
    'dinas-sosial-d47beab7'
    >>> slugify("\U0001F3E5")
    'unit-a8c80691'
    >>> len(slugify("Dinas " * 60)) <= SLUG_MAX
    True
    """
    key = name_key(text)
    if _PLAIN.fullmatch(key) and len(key) <= SLUG_MAX:
        return key.replace(" ", "-")
    readable = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    readable = re.sub(r"[^a-z0-9]+", "-", readable).strip("-")[:SLUG_MAX - 9].rstrip("-") or "unit"
    return f"{readable}-{_short_hash(key)}"


_PLAIN = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


def _unwritable(folder, exc: OSError) -> ParameterError:
    blocker = next((p for p in (Path(folder), *Path(folder).parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        return ParameterError(f"folder keluaran '{folder}': '{blocker}' adalah berkas, bukan folder. "
                              "Perbaikan: pilih folder lain (atau nama baru) dengan --out.")
    return ParameterError(f"folder keluaran '{folder}' tidak bisa ditulisi ({exc.strerror or type(exc).__name__}). "
                          "Perbaikan: pilih folder yang bisa ditulisi dengan --out.")


def output_dir(out) -> Path:
    """The output folder, created when missing; one clear error when it is a file or read-only.

    Writing is probed (a temporary file made and removed), so a read-only
    mount is found before any work is done, whoever runs the kit.

    Raises
    ------
    ParameterError
        When ``out`` is a file, lies under a file, or cannot be written.
    """
    path = Path(out)
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".skmkit-", suffix=".part", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise _unwritable(out, exc) from None
    return path


def write_atomic(path, data) -> Path:
    """Write bytes or text so the file appears whole or not at all (write, then rename).

    Raises
    ------
    ParameterError
        When the folder cannot be written (read-only, a file in the way).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".part", dir=path.parent)
    except OSError as exc:  # a file where the folder should be, a read-only folder
        raise _unwritable(path.parent, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; reports are for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def file_sha256(path) -> str:
    """The SHA-256 of a file's bytes (for manifests and colophons)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_utf8(path) -> tuple[str, bool]:
    """The file's SHA-256 (as :func:`file_sha256`) and whether all of it is UTF-8, in one pass."""
    h, decoder, utf8 = hashlib.sha256(), codecs.getincrementaldecoder("utf-8")(), True
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            h.update(chunk)
            if utf8 and (not chunk.isascii() or decoder.getstate()[0]):  # ASCII is UTF-8: no decoding
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return h.hexdigest(), utf8


class Hashing(threading.Thread):
    """:func:`sha256_utf8` of a file on a second thread (hashlib lets go of the GIL); :meth:`result` waits."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path, self._result, self._error = path, None, None
        self.start()

    def run(self):
        try:
            self._result = sha256_utf8(self.path)
        except BaseException as exc:  # raised again in the caller by result()
            self._error = exc

    def result(self) -> tuple[str, bool]:
        self.join()
        if self._error is not None:
            raise self._error
        return self._result


def content_hash(*parts) -> str:
    """SHA-256 over byte/str parts, each length-prefixed (so ``("ab", "c") != ("a", "bc")``)."""
    h = hashlib.sha256()
    for part in parts:
        b = part.encode("utf-8") if isinstance(part, str) else bytes(part)
        h.update(len(b).to_bytes(8, "big"))
        h.update(b)
    return h.hexdigest()

