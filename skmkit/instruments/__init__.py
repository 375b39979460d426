"""From the survey definition to the respondent: questionnaires, forms, an entry sheet and a sampling plan.

:func:`make_instruments` writes, from one survey definition and optionally a
units file (the batch's ``units.yml``):

- ``kuesioner-<id>.html`` / ``.pdf``: the printable questionnaire of each unit
  (``<id>`` as in the units file; ``kuesioner-umum`` without one) (:mod:`.paper`);
- ``skm_xlsform.xlsx``: an XLSForm for KoboToolbox / ODK Collect (:mod:`.xlsform`);
- ``skm_google_form.gs``: an Apps Script that creates the Google Form (:mod:`.gforms`);
- ``skm_isian.xlsx``: the Excel entry sheet for paper questionnaires (:mod:`.entry`);
- ``rencana_sampel.xlsx`` / ``.pdf``: the sampling plan per unit, when units are given (:mod:`.plan`).

Every instrument asks what :func:`.content.questionnaire` lists, so what comes
back from each reads through ``skmkit ikm`` with no options and no mapping.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import ParameterError
from ..files import output_dir, slugify, write_atomic
from ..exporters import html_to_pdf
from ..survey import load_survey
from .content import Questionnaire, UnitPlan, load_plan_units, questionnaire
from .entry import entry_bytes
from .gforms import apps_script
from .paper import document, questionnaire_html
from .plan import plan_bytes, plan_html, sampling_plan
from .xlsform import xlsform_bytes

__all__ = ["make_instruments", "Instruments", "UnitPlan", "questionnaire", "sampling_plan", "INSTRUMENT_FORMATS"]

#: What ``make_instruments`` can write.
INSTRUMENT_FORMATS = ("html", "pdf", "xlsform", "gforms", "xlsx")


@dataclass(frozen=True)
class Instruments:
    """What :func:`make_instruments` wrote (kind -> paths: html, pdf, plan, xlsform, gforms, xlsx) and the
    questionnaire it followed."""

    outputs: dict = field(default_factory=dict)
    questionnaire: Questionnaire | None = None


def make_instruments(out, *, survey=None, units=None, layanan=(), form_url=None, non_return=0.2,
                     period=None, institution=None, formats=INSTRUMENT_FORMATS) -> Instruments:
    """Write the survey instruments for the units of a units file (or one blank unit).

    Parameters
    ----------
    out : str or Path
        Output folder (made if missing).
    survey : SurveyDefinition or path, optional
        The survey definition; default the units file's ``survey``, else PermenPANRB 14/2017.
    units : str or Path or list of UnitPlan, optional
        A units file (``params/units.yml`` or its folder), read by the batch's
        loader: unit names, populations, periods, institution; or the units
        themselves (:class:`UnitPlan`).
    layanan : sequence of str
        Jenis layanan to tick on paper and to choose online (else typed in).
    form_url : str, optional
        The online form's address: a QR code on the paper questionnaire.
    non_return : float
        Share of handed-out questionnaires expected not to come back (0 to < 1).
    period, institution : str, optional
        Override the units file's period name and institution.
    formats : sequence of str
        Some of :data:`INSTRUMENT_FORMATS`.
    """
    formats = tuple(formats)
    bad = [f for f in formats if f not in INSTRUMENT_FORMATS]
    if bad or not formats:
        raise ParameterError(f"format {', '.join(bad) or '(kosong)'} tidak dikenal. "
                             f"Perbaikan: pilih dari {', '.join(INSTRUMENT_FORMATS)}.")
    if not 0 <= float(non_return) < 1:
        raise ParameterError(f"non_return {non_return} tidak sah. Perbaikan: bagian kuesioner yang tidak "
                             "kembali, 0 sampai di bawah 1 (mis. 0.2 untuk 20%).")
    plans = load_plan_units(units) or [UnitPlan("umum", "")]
    named = {p.survey for p in plans if p.survey}
    if survey is None and len(named) > 1:
        raise ParameterError(f"{units}: unit-unit memakai definisi survei yang berbeda ({', '.join(sorted(named))}). "
                             "Perbaikan: buat instrumen per definisi dengan --survey.")
    survey = load_survey(survey if survey is not None else next(iter(named), None))
    plans = [replace(p, period=period or p.period, institution=institution or p.institution) for p in plans]
    names = [p.unit for p in plans if p.unit]
    q = questionnaire(survey, units=names, services=layanan)
    inst = institution or next((p.institution for p in plans if p.institution), None) or ""
    title = "Survei Kepuasan Masyarakat" + (f" {inst}" if inst else "")
    folder = output_dir(out)
    outputs: dict[str, list[Path]] = {}

    def write(kind, name, data):
        outputs.setdefault(kind, []).append(write_atomic(folder / name, data))

    rows = sampling_plan(plans, non_return=non_return) if names else []
    for p in plans if {"html", "pdf"} & set(formats) else []:
        html = document([questionnaire_html(q, unit=p.unit or None, period=p.period_label,
                                            institution=p.institution or "", form_url=form_url)],
                        title=f"Kuesioner SKM {p.unit}".strip())
        if "html" in formats:
            write("html", f"kuesioner-{p.id}.html", html.encode("utf-8"))
        if "pdf" in formats:
            write("pdf", f"kuesioner-{p.id}.pdf", html_to_pdf(html))
    if rows and {"pdf", "xlsx"} & set(formats):
        plan_title = f"Rencana Sampel {title}"
        if "pdf" in formats:
            write("plan", "rencana_sampel.pdf", html_to_pdf(document([plan_html(rows, title=plan_title)],
                                                                     title=plan_title)))
        if "xlsx" in formats:
            write("plan", "rencana_sampel.xlsx", plan_bytes(rows, title=plan_title))
    if "xlsform" in formats:
        form_id = "skm_" + slugify(inst or survey.id).replace("-", "_")
        write("xlsform", "skm_xlsform.xlsx", xlsform_bytes(q, title=title, form_id=form_id))
    if "gforms" in formats:
        write("gforms", "skm_google_form.gs", apps_script(q, title=title).encode("utf-8"))
    if "xlsx" in formats:
        write("xlsx", "skm_isian.xlsx", entry_bytes(q, title=f"Isian {title}"))
    return Instruments(outputs, q)

