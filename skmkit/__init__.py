"""skmkit: reproducible reports for the Survei Kepuasan Masyarakat (PermenPANRB 14/2017)."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import ParameterError, Problem, ReportError, SkmError, SurveyDefinitionError, ValidationError
from .fmt import number, percent
from .ikm_json import ikm_report
from .indices import ikm_table, recap, summarize, unsur_table
from .read import read_table
from .select import load_unit, resolve_column, select_unit
from .sampling import krejcie_morgan, margin_of_error, sample_adequacy, slovin
from .survey import SurveyDefinition, load_survey
from .synth import generate_responses, write_demo_data
from .validate import Validation, read_responses, validate_file, validate_table

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "SkmError", "ValidationError", "ParameterError", "ReportError", "SurveyDefinitionError", "Problem",
    "SurveyDefinition", "load_survey",
    "read_table", "read_responses", "validate_file", "validate_table", "Validation",
    "unsur_table", "ikm_table", "recap", "summarize", "ikm_report", "resolve_column", "select_unit", "load_unit",
    "krejcie_morgan", "slovin", "margin_of_error", "sample_adequacy",
    "number", "percent",
    "generate_responses", "write_demo_data", "sample_data_path",
]


def sample_data_path() -> Path:
    """Path of the bundled sample: a city's pooled form export (12 units, Semester I 2026)."""
    return Path(str(resources.files("skmkit").joinpath("data/sample/skm_kota_sukamaju_2026s1.csv")))
