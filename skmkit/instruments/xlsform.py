"""An XLSForm for KoboToolbox and ODK Collect, from the questionnaire.

Field names are the kit's canonical profile names and the unsur keys, inside
two groups (``grp_responden``, ``grp_pendapat``); the answer choices are named
by score (``1`` .. ``4``) and labelled with the definition's labels; the unit
choices are named by the unit's own name. So a KoboToolbox export, with or
without group paths in its headers (``grp_pendapat/U1``), with XML values or
labels, reads back through ``skmkit ikm`` with no options.
"""
from __future__ import annotations

import re

from ..columns import XLSFORM_METADATA
from ..errors import ParameterError
from ..xlsx import STYLE, Book
from .content import AGE_MAX, AGE_MIN, Questionnaire

__all__ = ["xlsform_bytes", "GROUPS"]

#: The form's groups: respondent data, then the answers.
GROUPS = ("grp_responden", "grp_pendapat")
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_REQUIRED = "Wajib diisi."
_SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "required_message", "constraint",
                   "constraint_message", "appearance")


def _name(key: str) -> str:
    if not _XML_NAME.match(key):
        raise ParameterError(f"kunci unsur '{key}' tidak bisa menjadi nama pertanyaan XLSForm. Perbaikan: pakai "
                             "huruf, angka atau '_' tanpa spasi di definisi survei (mis. 'U1', 'P01').")
    return key


def _rows(q: Questionnaire) -> tuple[list[dict], list[dict]]:
    survey, choices = [], []
    survey += [{"type": name, "name": name} for name in XLSFORM_METADATA]  # the reader drops them by these names
    survey.append({"type": "begin_group", "name": GROUPS[0], "label": "Data responden"})
    for f in q.fields:
        if f.kind == "note":
            continue
        row = {"name": f.name, "label": f.header, "required": "yes" if f.required else "",
               "required_message": _REQUIRED if f.required else ""}
        if f.kind in ("unit", "select") and f.choices:
            row["type"] = f"select_one {f.name}"
            row["appearance"] = "minimal" if len(f.choices) > 6 else ""
            choices += [{"list_name": f.name, "name": value, "label": label} for value, label in f.choices]
        elif f.kind == "date":
            row.update(type="date", constraint=". <= today()",
                       constraint_message="Tanggal survei tidak boleh sesudah hari ini.")
        elif f.kind == "integer":
            row.update(type="integer", constraint=f". >= {AGE_MIN} and . <= {AGE_MAX}",
                       constraint_message=f"Usia dalam tahun, {AGE_MIN} sampai {AGE_MAX}.")
        else:
            row["type"] = "text"
        survey.append(row)
    survey.append({"type": "end_group", "name": GROUPS[0]})
    survey.append({"type": "begin_group", "name": GROUPS[1], "label": "Pendapat Saudara tentang pelayanan"})
    for x in q.questions:
        list_name = f"skala_{_name(x.key)}"
        survey.append({"type": f"select_one {list_name}", "name": x.key, "label": f"{x.number}. {x.text}",
                       "hint": x.name, "required": "yes", "required_message": _REQUIRED})
        choices += [{"list_name": list_name, "name": str(score), "label": label} for score, label in x.options]
    survey.append({"type": "end_group", "name": GROUPS[1]})
    saran = q.field("saran")
    survey.append({"type": "text", "name": saran.name, "label": saran.header, "appearance": "multiline",
                   "hint": "Tanpa nama, NIK, nomor telepon atau alamat."})
    return survey, choices


def xlsform_bytes(q: Questionnaire, *, title: str, form_id: str) -> bytes:
    """The XLSForm workbook (sheets ``survey``, ``choices``, ``settings``) as deterministic XLSX bytes."""
    survey_rows, choice_rows = _rows(q)
    book = Book(title=title)
    head = STYLE["head"]
    for sheet_name, columns, rows in (("survey", _SURVEY_COLUMNS, survey_rows),
                                      ("choices", ("list_name", "name", "label"), choice_rows)):
        sheet = book.sheet(sheet_name)
        sheet.columns([22 if c != "label" else 60 for c in columns])
        for c, name in enumerate(columns):
            sheet.ws.write_string(0, c, name, book.fmt(head))
        for r, row in enumerate(rows, start=1):
            for c, name in enumerate(columns):
                value = row.get(name, "")
                if value != "":
                    sheet.ws.write_string(r, c, str(value), book.fmt({}))
        sheet.ws.freeze_panes(1, 0)
    settings = book.sheet("settings")
    for c, (name, value) in enumerate((("form_title", title), ("form_id", form_id), ("version", "1"),
                                       ("allow_choice_duplicates", "yes"))):
        settings.ws.write_string(0, c, name, book.fmt(head))
        settings.ws.write_string(1, c, value, book.fmt({}))
    return book.to_bytes()
