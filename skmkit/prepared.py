"""The prepared unit: one unit's facts, made once, that every output renders.

A unit is read, validated, masked, selected, kept to its survey period and
computed by :func:`prepare_unit`, once. The report notebook, the banner, the
workbook, the recap rows, ``ringkasan.*`` and the batch summary all read the
:class:`PreparedUnit` it returns; none of them reads the source file again or
computes an index, a weight or a date of its own (``shared/docs/architecture.md``).

In a batch the driver prepares each unit and hands it to the kernel through
:meth:`PreparedUnit.save` (the ``prepared`` parameter); a notebook run by hand
prepares it in its first cell with the same function.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import compare, narrative
from . import schema
from .errors import ParameterError
from .fmt import exact, product_text
from .indices import Z95, ikm_table, summarize, summary_and_table
from .logo import logo_bytes
from .periods import SurveyPeriod, survey_period
from .profile import PROFILE_FIELDS, profile_counts, respondent_rows
from .sampling import SampleAdequacy, sample_adequacy
from .select import load_unit
from .survey import SurveyDefinition, load_survey

__all__ = ["PreparedUnit", "prepare_unit", "as_prepared", "load_prepared", "checked_params", "FORMAT_VERSION"]

#: Bumped when the fields change: a prepared unit of another version is refused, not misread.
FORMAT_VERSION = 2

#: Respondents whose scores the report prints one by one (Lampiran 4); a unit with more has them in its
#: workbook's Tabulasi sheet. 400 is above the largest Krejcie-Morgan minimum (384): a unit past it has
#: surveyed more than any population asks, and its table would run to pages (122 respondents a page)
#: that cost the PDF about a second and nobody reads on paper.
ANNEX_LIMIT = 400

_IMAGE_TYPES = {".png", ".jpg", ".jpeg"}


@dataclass(frozen=True)
class PreparedUnit:
    """Everything the outputs of one unit show, computed once (read-only by convention and by ``frozen``).

    Attributes
    ----------
    unit : str
        The unit's name as shown (the file's most frequent spelling).
    data : DataFrame
        The unit's canonical rows: masked, selected, within the survey period.
    survey : SurveyDefinition
        The definition with its weights resolved (legacy weight applied).
    summary : dict
        :func:`skmkit.summarize` of ``data``: n, NRR per unsur, IKM, interval,
        mutu, kinerja, ``weight``/``weight_label`` (1/X over the unsur answered),
        ``unsur_dinilai``.
    fieldwork : SurveyPeriod
        The declared and the observed period, answers left out and undated.
    unsur : DataFrame
        :func:`skmkit.unsur_table` of the unit (survey order).
    layanan : DataFrame or None
        IKM per jenis layanan.
    profile : dict
        Profile field -> counts (``kategori``, ``jumlah``, ``persen``), age groups included.
    adequacy : SampleAdequacy
        Population, Krejcie-Morgan minimum and the verdict.
    trend : tuple of dict
        Earlier periods (``previous`` and the results history) and this one, oldest first
        (:func:`skmkit.compare.trend_points`: ``period``, ``ikm``, ``se``, ``n``, ``unsur``,
        ``change``), or empty.
    changes : tuple of dict
        Each unsur's NRR against the last earlier period, judged (:func:`skmkit.compare.unsur_changes`).
    follow_up, follow_up_share
        The last period's RTL with its status, and the share carried out (:func:`skmkit.compare.follow_up_share`).
    rtl : tuple of dict
        The follow-up plan (``no``, ``key``, ``nama``, ``nrr``, ``mutu``,
        ``program``, ``waktu``, ``pj``).
    themes : tuple of dict
        The saran themes with escaped quotes.
    annex_limit : int
        The most respondents printed one by one in the report (:data:`ANNEX_LIMIT`); see :attr:`annex_in_report`.
    """

    unit: str
    data: pd.DataFrame
    survey: SurveyDefinition
    summary: dict
    fieldwork: SurveyPeriod
    unsur: pd.DataFrame
    layanan: pd.DataFrame | None
    profile: dict
    adequacy: SampleAdequacy
    institution: str = ""
    period: str = ""
    population: int | None = None
    trend: tuple = ()
    changes: tuple = ()
    rtl: tuple = ()
    follow_up: tuple = ()
    follow_up_share: dict = field(default_factory=dict)
    themes: tuple = ()
    source_name: str = ""
    source_sha256: str = ""
    head_name: str = ""
    head_title: str = ""
    head_nip: str = ""
    location: str = ""
    report_date: str = ""
    logo: str | None = None
    annex_limit: int = 400
    params: dict = field(default_factory=dict)

    # -- facts said the same way by every output -----------------------------------------
    @property
    def period_start(self) -> str:
        """The first day of the period printed (declared, else the first answer date); '' when unknown."""
        return self.fieldwork.span[0] or ""

    @property
    def period_end(self) -> str:
        """The last day of the period printed (declared, else the last answer date); '' when unknown."""
        return self.fieldwork.span[1] or ""

    @property
    def annex_in_report(self) -> bool:
        """Whether the report prints each respondent's scores (else the workbook's Tabulasi sheet holds them)."""
        return self.summary["respondents"] <= self.annex_limit

    @property
    def weight_label(self) -> str:
        """The unsur weight as written everywhere (``"1/8 (tepat; 8 dari 9 unsur dijawab)"``)."""
        return self.summary["weight_label"]

    @property
    def ikm_formula(self) -> tuple[str, str, str]:
        """``(raw, conversion, ikm)`` printed so that raw x conversion = ikm checks by hand."""
        raw, ikm = product_text(self.summary["ikm_raw"], self.survey.conversion)
        return raw, exact(self.survey.conversion), ikm

    @property
    def people(self) -> pd.DataFrame:
        """The respondents counted (rows that answered at least one unsur)."""
        return respondent_rows(self.data, self.survey.keys)

    # -- hand-over to a kernel -------------------------------------------------------------
    def save(self, path) -> Path:
        """Write the prepared unit for a kernel to load (:func:`load_prepared`); returns the path."""
        from .files import write_atomic

        return write_atomic(Path(path), pickle.dumps((FORMAT_VERSION, self), protocol=5))


def load_prepared(path) -> PreparedUnit:
    """Load a unit written by :meth:`PreparedUnit.save` (the batch's hand-over to the kernel).

    Raises
    ------
    ParameterError
        A missing file, or one written by another version of the kit.
    """
    path = Path(str(path))
    if not path.is_file():
        raise ParameterError(f"prepared: berkas '{path}' tidak ada. Perbaikan: jalankan ulang batch.")
    try:
        version, unit = pickle.loads(path.read_bytes())  # the kit's own file, written by the batch driver
    except Exception:
        version, unit = None, None
    if version != FORMAT_VERSION or not isinstance(unit, PreparedUnit):
        raise ParameterError(f"prepared: berkas '{path.name}' dibuat versi skmkit lain. Perbaikan: jalankan ulang "
                             "batch dengan --force.")
    return unit


def _check_logo(logo):
    if not logo:
        return None
    path = Path(str(logo))
    if path.suffix.lower() not in _IMAGE_TYPES or not path.is_file():
        raise ParameterError(f"logo '{logo}': perlu berkas PNG atau JPG yang ada.")
    logo_bytes(path)  # unreadable or too large: said now, before anything is rendered
    return str(path)


def _point(period: str, rows, survey, population, summary=None) -> dict:
    """One period's trend point from its answers: IKM, its SE and each unsur's NRR and SE."""
    summary = summary or summarize(rows, survey=survey, population=population)
    ses = compare.unsur_se(rows, survey=survey, population=population)
    return {"period": period, "ikm": summary["ikm"], "n": summary["respondents"], "mutu": summary["mutu"],
            "se": None if summary["moe"] is None else summary["moe"] / Z95,
            "unsur": {k: {"nrr": u["nrr"], "se": ses.get(k), "n": u["filled"]} for k, u in summary["unsur"].items()
                      if u["nrr"] is not None}}


def _typed_points(previous, *, unit, by, survey) -> list[dict]:
    """The ``previous`` parameter's periods: a published IKM, or a data file computed the same way."""
    points = []
    for item in previous:
        if item.get("ikm") is not None:
            points.append({"period": str(item["period"]), "ikm": float(str(item["ikm"]).replace(",", "."))})
        else:
            rows, _ = load_unit(item["data"], unit=unit, by=by, survey=survey)
            points.append(_point(str(item["period"]), rows, survey, None))
    return points


def as_prepared(unit, /, **params) -> PreparedUnit:
    """``unit`` itself when it is prepared; else a unit's canonical rows (or file) prepared with ``params``.

    What a renderer (banner, workbook) calls on its argument, so that it can be
    given a prepared unit, or rows and parameters for one.
    """
    if isinstance(unit, PreparedUnit):
        if params:
            raise TypeError(f"parameter {sorted(params)} tidak dipakai: unit sudah disiapkan")
        return unit
    return prepare_unit(unit, **params)


def _given(values: dict) -> dict:
    """The schema parameters among ``values``, in :func:`prepare_unit`'s order, unset ones left out."""
    return {n: values[n] for n in _ORDER if values.get(n) is not None}


def checked_params(values: dict, *, where: str = "parameter") -> dict:
    """The parameters a report shows (its colophon), as :func:`prepare_unit` checks them from ``values``.

    The batch driver passes them when it prepares a unit for its kernel, so
    that the report says what a kernel preparing it by itself would say.
    """
    return schema.check(_given(values), where=where)


def prepare_unit(data, *, unit=None, by=None, sheet=None, header_row=None, institution="", period="",
                 period_start=None, period_end=None, population=None, survey=None, legacy_weight=None,
                 previous=None, rtl=None, follow_up=None, history=None, head_name="", head_title="", head_nip="",
                 location="", report_date=None, logo=None, annex_limit=None,
                 source_name=None, source_sha256=None, prepared=None, params=None,
                 where="sel parameter (sel pertama notebook)", workdir=None) -> PreparedUnit:
    """Prepare one unit: read, validate, mask, select, keep its period, compute; once.

    Parameters are the report notebook's (:mod:`skmkit.schema`), checked by
    the one schema. ``data`` is a survey file (one unit's, or a pooled file
    with ``unit``), or a unit's canonical rows already read (the batch's
    slice). ``prepared``: a unit saved by the batch driver, loaded instead.
    ``params`` is the parameter dict shown in the colophon (default: the
    checked values); ``where`` names the parameters' origin in messages;
    relative file paths are read from ``workdir`` (default: the current
    folder), as a kernel started there reads them.

    Raises
    ------
    ParameterError
        A missing or bad parameter, a unit not in the data, a period that does
        not match the answer dates.
    ValidationError
        Rows that cannot be computed on.

    Examples
    --------
    >>> from skmkit import sample_data_path
    >>> r = prepare_unit(sample_data_path(), unit="dinas  sosial", period="Semester I 2026")
    >>> r.unit, r.summary["respondents"], r.weight_label
    ('Dinas Sosial', 160, '1/9 (tepat)')
    """
    if prepared:
        return load_prepared(prepared)
    frame = data if isinstance(data, pd.DataFrame) else None
    definition = survey if isinstance(survey, SurveyDefinition) else None  # a definition already loaded
    given = _given({**locals(), "survey": None if definition else survey})
    if frame is not None:
        given["data"] = frame.attrs.get("skmkit", {}).get("source", "data")
    checked = schema.check(given, where=where, required=["data"])
    v = {name: None for name in schema.SCHEMA} | checked
    if workdir is not None:  # read files where a kernel started in workdir reads them; show them as given
        v = schema.resolve_paths({**v, "data": None if frame is not None else v["data"]}, workdir,
                                 where=where) | ({"data": v["data"]} if frame is not None else {})
    survey = load_survey(definition or v["survey"], legacy_weight=v["legacy_weight"])
    if frame is None:
        frame, name = load_unit(v["data"], unit=v["unit"], by=v["by"], survey=survey, sheet=v["sheet"],
                                header_row=v["header_row"])
    else:
        name = v["unit"] or Path(str(given["data"])).stem
    meta = frame.attrs.get("skmkit", {})
    source = v["source_name"] or meta.get("source", Path(str(v["data"])).name)
    rows, fieldwork = survey_period(frame, name=v["period"] or "", start=v["period_start"], end=v["period_end"],
                                    source=source)
    rows.attrs = frame.attrs
    population = v["population"]
    summary, unsur = summary_and_table(rows, survey=survey, population=population)
    people = respondent_rows(rows, survey.keys)
    head_title = v["head_title"] or f"Kepala {name}"
    end = fieldwork.span[1]
    shown = {k: val for k, val in (params if params is not None else checked).items() if k not in schema.AUTO_KEYS}
    if "data" in shown:  # the survey file the numbers come from, not the batch's cache of it
        shown["data"] = source
    trend = compare.trend_points(
        typed=_typed_points(schema.load_entries(v["previous"], "previous"), unit=name, by=v["by"], survey=survey),
        history=v["history"] or [], current=_point(v["period"] or "Periode ini", rows, survey, population, summary))
    follow_up = schema.load_entries(v["follow_up"], "follow_up")
    rtl_rows = narrative.rtl_entries(summary, schema.load_entries(v["rtl"], "rtl"), survey=survey,
                                     waktu=narrative.next_quarters(end), pj=head_title)
    return PreparedUnit(
        unit=str(name), data=rows, survey=survey, summary=summary, fieldwork=fieldwork,
        unsur=unsur,
        layanan=(ikm_table(rows, survey=survey, by="layanan", ci=None)
                 if "layanan" in rows.columns and rows["layanan"].notna().any() else None),
        profile={f: profile_counts(people, f) for f in PROFILE_FIELDS
                 if f in people.columns and people[f].notna().any()},
        adequacy=sample_adequacy(summary["respondents"], population),
        institution=v["institution"] or "", period=v["period"] or "", population=population,
        trend=tuple(trend), changes=tuple(compare.unsur_changes(trend[-2], trend[-1], survey=survey)
                                          if len(trend) > 1 else ()),
        rtl=tuple(rtl_rows), follow_up=tuple(follow_up), follow_up_share=compare.follow_up_share(follow_up),
        themes=tuple(narrative.saran_summary(rows["saran"] if "saran" in rows.columns else [])),
        source_name=source, source_sha256=v["source_sha256"] or meta.get("sha256", ""),
        head_name=v["head_name"] or "", head_title=head_title, head_nip=v["head_nip"] or "",
        location=v["location"] or "",
        report_date=str(v["report_date"] or end or ""), logo=_check_logo(v["logo"]),
        annex_limit=v["annex_limit"] or ANNEX_LIMIT, params=shown,
    )


#: The parameters in the order prepare_unit takes them (the colophon lists them so).
_ORDER = [n for n in prepare_unit.__code__.co_varnames[:prepare_unit.__code__.co_argcount
                                                          + prepare_unit.__code__.co_kwonlyargcount]
          if n in schema.SCHEMA and n != "prepared"]
