"""Typed errors: one root, :class:`SkmError`, and problems that name their place.

A :class:`Problem` names the file, the spreadsheet row (header = row 1), the
column, the value, what is wrong and how to fix it, and prints as one line.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Problem",
    "SkmError",
    "ValidationError",
    "ParameterError",
    "SurveyDefinitionError",
    "ReportError",
    "ExportError",
    "MAX_LINES",
    "format_problems",
]

#: At most this many problem lines are printed; the rest are counted.
MAX_LINES = 20


@dataclass(frozen=True)
class Problem:
    """One problem found in an input.

    Parameters
    ----------
    message : str
        What is wrong, in Indonesian.
    fix : str
        How to fix it, in Indonesian.
    file, row, column, value
        Where: the file name, the spreadsheet row (header = row 1), the
        column header as it stands in the file, and the offending value.
    severity : {"error", "warning"}
    code : str
        A stable machine-readable code (``"unknown-label"``, ...).
    """

    message: str
    fix: str = ""
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    severity: str = "error"
    code: str = ""

    def line(self) -> str:
        """Return the problem as one line: ``file:row: column 'X': value 'v': message. fix``."""
        where = []
        if self.file:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"baris {self.row}")
        head = ":".join(where[:1]) + (f" {where[1]}" if len(where) > 1 else "")
        parts = [head] if head else []
        if self.column is not None:
            parts.append(f"kolom '{self.column}'")
        if self.value is not None:
            parts.append(f"nilai '{self.value}'")
        label = "galat" if self.severity == "error" else "peringatan"
        text = f"[{label}] " + (", ".join(parts) + ": " if parts else "") + self.message
        if self.fix:
            text += f" Perbaikan: {self.fix}"
        return text


def format_problems(problems, limit: int = MAX_LINES) -> str:
    """Return problems one per line, at most ``limit``, then a count of the rest."""
    problems = list(problems)
    lines = [p.line() for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"... dan {len(problems) - limit} masalah lain (tidak ditampilkan).")
    return "\n".join(lines)


class SkmError(Exception):
    """Root of every error skmkit raises on purpose (bad input, bad parameters).

    In Jupyter (and so in an executed report notebook) it shows as its message
    alone, one line per problem, not as a traceback: IPython renders an
    exception through ``_render_traceback_`` when it has one.
    """

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {line}" if i == 0 else line
                for i, line in enumerate(str(self).splitlines() or [""])]


@dataclass
class ValidationError(SkmError):
    """Input data that cannot be computed on; holds every problem found."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self):
        super().__init__(self.__str__())

    def __str__(self) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        return format_problems(errors or self.problems)


class ParameterError(SkmError):
    """A report or batch parameter that is unknown, missing or of a wrong value.

    Raised with a message (one line per problem) or with :class:`Problem` s;
    either way :attr:`problems` holds one :class:`Problem` per line, so a
    caller can read each problem's place and fix as for a :class:`ValidationError`.
    """

    def __init__(self, message="", problems=None):
        self.problems = list(problems) if problems else [
            Problem(message=line, code="parameter") for line in str(message).splitlines() if line.strip()]
        super().__init__(str(message) if message else "\n".join(
            p.message + (f" Perbaikan: {p.fix}" if p.fix else "") for p in self.problems))


class SurveyDefinitionError(SkmError):
    """A survey definition file that cannot be used."""


@dataclass
class ReportError(SkmError):
    """A report whose notebook failed: the unit, notebook, cell and error."""

    unit: str
    notebook: str
    cell: int | None = None
    ename: str = ""
    evalue: str = ""
    output: str | None = None

    def __post_init__(self):
        super().__init__(self.__str__())

    def __str__(self) -> str:
        cell = f" sel {self.cell}" if self.cell is not None else ""
        kept = f" (notebook tersimpan: {self.output})" if self.output else ""
        return f"unit '{self.unit}': {self.notebook}{cell} gagal: {self.ename}: {self.evalue}{kept}"


class ExportError(SkmError):
    """A notebook an exporter refuses to publish: a cell failed, or it was never run."""
