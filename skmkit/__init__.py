"""skmkit: reproducible reports for the Survei Kepuasan Masyarakat (PermenPANRB 14/2017)."""
from __future__ import annotations

from importlib import import_module, resources
from pathlib import Path

from .errors import ParameterError, Problem, ReportError, SkmError, SurveyDefinitionError, ValidationError
from .fmt import number, percent
from .survey import SurveyDefinition, load_survey

#: The rest of the public API and the module each name lives in, imported on first use, so that
#: ``skmkit ikm`` on a plain CSV starts without pandas (issue 22).
_LAZY = {
    "ikm_report": "ikm_json",
    "ikm_table": "indices", "recap": "indices", "summarize": "indices", "unsur_table": "indices",
    "read_table": "read",
    "load_unit": "select", "resolve_column": "select", "select_unit": "select",
    "krejcie_morgan": "sampling", "margin_of_error": "sampling", "sample_adequacy": "sampling", "slovin": "sampling",
    "generate_responses": "synth", "write_demo_data": "synth",
    "Validation": "validate", "read_responses": "validate", "validate_file": "validate", "validate_table": "validate",
}


def __getattr__(name):
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    if name.startswith("__"):
        raise AttributeError(f"module 'skmkit' has no attribute {name!r}")
    try:  # a submodule, as ``skmkit.validate`` after ``import skmkit`` has always been
        return import_module(f".{name}", __name__)
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
    raise AttributeError(f"module 'skmkit' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


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
