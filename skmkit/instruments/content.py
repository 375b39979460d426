"""What every instrument asks, in one place: the questionnaire derived from the survey definition.

The paper questionnaire, the XLSForm, the Google Forms script and the Excel
entry sheet all take their questions from :func:`questionnaire`, so they ask
the same things in the same order, and every header they make reads back
through the kit's reader with no options:

- the unsur, in the questionnaire's order (the definition's ``questions``, else
  its display order), each with its question text and its labels, scored
  ``scale_min`` .. ``scale_max``;
- the profile fields (unit, layanan, date, jenis kelamin, usia, pendidikan,
  pekerjaan, saran) with the kit's categories (:data:`skmkit.profile.PROFILE_ORDER`);
- the units (one instrument per unit) from a units file, read by the batch's
  loader (:func:`skmkit.batch.units.load_units`) and checked by the one schema.

No survey fact is written here: keys, questions, labels, order and scale come
from the :class:`~skmkit.survey.SurveyDefinition`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..batch.units import load_units
from ..errors import ParameterError
from ..fmt import period_text
from ..profile import PROFILE_ORDER
from ..report import notebook_path
from ..survey import SurveyDefinition, load_survey
from ..theme import LABELS

__all__ = ["Question", "Field", "Questionnaire", "UnitPlan", "questionnaire", "load_plan_units",
           "PRIVACY_NOTICE"]

#: The notice on every instrument: what is asked, how it is kept (UU 27/2022 Pelindungan Data Pribadi).
PRIVACY_NOTICE = (
    "Survei ini tidak menanyakan nama, NIK, nomor telepon, alamat, atau data pribadi lain. Jawaban "
    "Saudara hanya dipakai untuk menghitung Indeks Kepuasan Masyarakat dan memperbaiki pelayanan, "
    "diolah secara gabungan (tidak per orang), dan disimpan oleh unit layanan sesuai "
    "UU Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi. Mohon tidak menuliskan data pribadi "
    "pada kotak saran.")


@dataclass(frozen=True)
class Question:
    """One unsur as asked: its number on the form, key, name, question text and (score, label) options."""

    number: int
    key: str
    name: str
    text: str
    options: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Field:
    """One profile field: canonical name, header (reads back as that field), kind and choices.

    ``kind`` is ``"unit"``, ``"select"``, ``"text"``, ``"date"``, ``"integer"`` or ``"note"`` (saran).
    ``choices`` are ``(stored value, label)`` pairs.
    """

    name: str
    header: str
    kind: str
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = True


@dataclass(frozen=True)
class Questionnaire:
    """Everything an instrument asks, for one survey definition and a list of units."""

    survey: SurveyDefinition
    units: tuple[str, ...]
    services: tuple[str, ...]
    fields: tuple[Field, ...]
    questions: tuple[Question, ...]

    def field(self, name: str) -> Field:
        """The profile field of this canonical name."""
        return next(f for f in self.fields if f.name == name)


#: Usia limits a form accepts (a respondent is an adult user of a public service).
AGE_MIN, AGE_MAX = 15, 100


def questionnaire(survey=None, *, units=(), services=()) -> Questionnaire:
    """The questionnaire of a survey definition: profile fields and the questions in order.

    Parameters
    ----------
    survey : SurveyDefinition or path, optional
        Default PermenPANRB 14/2017.
    units : sequence of str
        Unit names offered as a choice list (an empty list: typed in).
    services : sequence of str
        Jenis layanan offered to tick (an empty list: typed in).

    Examples
    --------
    >>> q = questionnaire()
    >>> [(x.number, x.key) for x in q.questions][7:]
    [(8, 'U9'), (9, 'U8')]
    >>> q.questions[0].options[-1]
    (4, 'Sangat sesuai')
    """
    survey = load_survey(survey)
    order = survey.questions or tuple(survey.keys)
    scores = range(survey.scale_min, survey.scale_max + 1)
    questions = []
    for number, key in enumerate(order, start=1):
        u = survey.get(key)
        labels = u.labels or tuple(str(s) for s in scores)
        questions.append(Question(number, u.key, u.name, u.question or u.name, tuple(zip(scores, labels))))
    units = tuple(dict.fromkeys(str(u).strip() for u in units if str(u).strip()))
    services = tuple(dict.fromkeys(str(s).strip() for s in services if str(s).strip()))
    fields = (
        Field("unit", "Unit Layanan", "unit", tuple((u, u) for u in units)),
        Field("layanan", "Jenis Layanan", "select" if services else "text", tuple((s, s) for s in services)),
        Field("tanggal", "Tanggal Survei", "date"),
        Field("jenis_kelamin", "Jenis Kelamin", "select",
              tuple((v, LABELS.get(v, v)) for v in PROFILE_ORDER["jenis_kelamin"])),
        Field("usia", "Usia", "integer"),
        Field("pendidikan", "Pendidikan", "select", tuple((v, v) for v in PROFILE_ORDER["pendidikan"])),
        Field("pekerjaan", "Pekerjaan", "select", tuple((v, v) for v in PROFILE_ORDER["pekerjaan"])),
        Field("saran", "Saran dan Masukan", "note", required=False),
    )
    return Questionnaire(survey, units, services, fields, tuple(questions))


@dataclass(frozen=True)
class UnitPlan:
    """A unit as the instruments and the sampling plan need it (from the units file)."""

    id: str
    unit: str
    population: int | None = None
    period: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    institution: str | None = None
    survey: str | None = None

    @property
    def period_label(self) -> str:
        """The period as every instrument prints it: ``"Semester I 2026 \u2014 1 Januari 2026 s.d. 30 Juni 2026"``."""
        return " \u2014 ".join(x for x in (self.period, period_text(self.period_start, self.period_end)) if x)


def load_plan_units(units) -> list[UnitPlan]:
    """The units of a units file (``params/units.yml`` or a folder holding it), checked by the batch's loader.

    A list of :class:`UnitPlan` (or of dicts with its fields) is taken as it is.

    Raises
    ------
    ParameterError
        The loader's one message listing every problem.
    """
    if units is None:
        return []
    if not isinstance(units, (str, Path)):  # UnitPlan objects made in Python (a notebook)
        return [u if isinstance(u, UnitPlan) else UnitPlan(**u) for u in units]
    path = Path(units)
    if not path.exists():
        raise ParameterError(f"{path}: berkas daftar unit tidak ditemukan. Perbaikan: periksa --units.")
    out = []
    # Instruments are made before any answer exists, but the loader requires an existing data file: an existing
    # kit file stands in for it (never read: the loader only checks that it exists); every other key is
    # checked as in a batch.
    for spec in load_units(path, notebook=notebook_path(), data=notebook_path()):
        p = spec.params

        def text(name):
            v = p.get(name)
            return None if v in (None, "") else str(v)

        population = p.get("population")
        out.append(UnitPlan(spec.id, spec.unit, int(population) if population not in (None, "") else None,
                            text("period"), text("period_start"), text("period_end"), text("institution"),
                            text("survey")))
    return out
