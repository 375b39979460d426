"""A Google Apps Script that creates the Google Form, linked to a new spreadsheet.

Paste it into https://script.google.com (Proyek baru), run ``buatFormulirSKM``
and allow access: the form gets the exact questions, in the questionnaire's
order, with their choices and required flags, and its answers go to a new
sheet. The sheet's CSV export (a ``Timestamp``/``Cap waktu`` column and the
question titles as headers) reads back through ``skmkit ikm`` with no options:
the titles are the definition's question texts (numbered as on paper), the
profile titles are the kit's headers, and the choices are the labels.

Strings are written with :func:`json.dumps`, so a quote or a backslash in a
question never breaks the script.
"""
from __future__ import annotations

import json

from .content import AGE_MAX, AGE_MIN, PRIVACY_NOTICE, Questionnaire

__all__ = ["apps_script"]


def _js(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def apps_script(q: Questionnaire, *, title: str) -> str:
    """The Apps Script source (``.gs``) that builds the form and its response sheet."""
    lines = [
        "/**",
        f" * {title}",
        " * Dibuat oleh skmkit dari definisi survei: " + q.survey.name.replace("*/", "* /") + ".",
        " * Cara pakai: buka https://script.google.com > Proyek baru, tempel seluruh isi berkas ini,",
        " * simpan, pilih fungsi buatFormulirSKM lalu Jalankan, dan izinkan akses (Google Formulir dan Spreadsheet).",
        " * Alamat formulir dan spreadsheet jawaban tampil di Log eksekusi.",
        " * Jangan mengubah judul pertanyaan atau pilihan jawaban: skmkit membaca jawaban dari judul dan pilihan ini.",
        " */",
        "function buatFormulirSKM() {",
        f"  var form = FormApp.create({_js(title)});",
        f"  form.setDescription({_js(PRIVACY_NOTICE)});",
        "  form.setCollectEmail(false);",
        "  form.setProgressBar(true);",
        "  form.addSectionHeaderItem().setTitle('Data responden');",
    ]
    for f in q.fields:
        if f.name in ("tanggal", "saran"):  # the sheet's timestamp is the date; saran comes last
            continue
        required = "true" if f.required else "false"
        if f.choices:
            item = "addListItem" if f.kind == "unit" or len(f.choices) > 6 else "addMultipleChoiceItem"
            values = _js([label for _value, label in f.choices])
            lines.append(f"  form.{item}().setTitle({_js(f.header)}).setChoiceValues({values}).setRequired({required});")
        elif f.kind == "integer":
            lines += [
                f"  var usia = FormApp.createTextValidation().requireNumberBetween({AGE_MIN}, {AGE_MAX})",
                f"      .setHelpText({_js(f'Usia dalam tahun, {AGE_MIN} sampai {AGE_MAX}.')}).build();",
                f"  form.addTextItem().setTitle({_js(f.header)}).setValidation(usia).setRequired({required});",
            ]
        else:
            lines.append(f"  form.addTextItem().setTitle({_js(f.header)}).setRequired({required});")
    lines.append("  form.addPageBreakItem().setTitle('Pendapat Saudara tentang pelayanan');")
    for x in q.questions:
        labels = _js([label for _score, label in x.options])
        lines.append(f"  form.addMultipleChoiceItem().setTitle({_js(f'{x.number}. {x.text}')})"
                     f".setChoiceValues({labels}).setRequired(true);")
    saran = q.field("saran")
    lines += [
        f"  form.addParagraphTextItem().setTitle({_js(saran.header)})"
        f".setHelpText({_js('Tanpa nama, NIK, nomor telepon atau alamat.')}).setRequired(false);",
        f"  var sheet = SpreadsheetApp.create({_js(title + ' (Jawaban)')});",
        "  form.setDestination(FormApp.DestinationType.SPREADSHEET, sheet.getId());",
        "  Logger.log('Formulir untuk responden: ' + form.getPublishedUrl());",
        "  Logger.log('Sunting formulir: ' + form.getEditUrl());",
        "  Logger.log('Spreadsheet jawaban: ' + sheet.getUrl());",
        "}",
        "",
    ]
    return "\n".join(lines)
