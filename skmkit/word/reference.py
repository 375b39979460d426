"""An office's reference document (kop surat, fonts, margins): checked, opened, completed with the kit's styles."""
from __future__ import annotations

import copy
import io
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from .. import schema
from ..errors import ParameterError
from .styles import reference_document


def check_reference(reference_doc) -> Path:
    """The reference document's path, checked by the schema's rule (exists, ``.docx``) before any kernel starts.

    A relative path is read from the current folder (``units.yml`` and ``--params`` files resolve theirs
    against their own folder before it gets here).

    Raises
    ------
    ParameterError
        One line naming the file and the fix.
    """
    where = "dokumen referensi Word"
    value = schema.check({"reference_doc": str(reference_doc)}, where=where)["reference_doc"]
    return Path(schema.resolve_paths({"reference_doc": value}, Path.cwd(), where=where)["reference_doc"])


_DEFAULT_REFERENCE: list = []  # the default reference document's bytes, built once per process


def open_reference(reference_doc) -> tuple[Document, bool]:
    if reference_doc is None:
        if not _DEFAULT_REFERENCE:
            buf = io.BytesIO()
            reference_document().save(buf)
            _DEFAULT_REFERENCE.append(buf.getvalue())
        return Document(io.BytesIO(_DEFAULT_REFERENCE[0])), False
    path = check_reference(reference_doc)
    try:
        doc = Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise ParameterError(f"{path}: bukan dokumen Word yang dapat dibaca ({type(exc).__name__}). Perbaikan: "
                             "buka lalu simpan ulang di Word sebagai .docx.") from None
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _setup_missing_styles(doc)
    return doc, True


def _setup_missing_styles(doc) -> None:
    """The kit's own styles where the office's reference document lacks them; theirs are kept."""
    kit = reference_document()
    names = {s.name for s in doc.styles}
    for style in kit.styles:
        if style.name not in names and style.type == WD_STYLE_TYPE.PARAGRAPH:
            doc.styles.element.append(copy.deepcopy(style.element))
