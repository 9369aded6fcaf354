"""Typed errors: everything netopt raises on purpose derives from `NetoptError`."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "NetoptError",
    "Issue",
    "ValidationError",
    "InstanceNotFoundError",
    "SolverError",
    "NotOptimalError",
    "InfeasibleError",
    "SweepFileError",
]


class NetoptError(Exception):
    """Base class of every error netopt raises deliberately."""


@dataclass(frozen=True)
class Issue:
    """One problem found in the input.

    Attributes
    ----------
    file : str
        The file (``sites.csv``) or, for a network built in code, the table name.
    row : int or str or None
        The row as a spreadsheet user counts it (the header is row 1), or the index
        label for an in-memory table; ``None`` for a problem with a whole file or column.
    column : str or None
        The column (or YAML key) concerned, if any.
    message : str
        What is wrong and what was expected.
    """

    file: str
    row: int | str | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class ValidationError(NetoptError):
    """The input has one or more problems; `issues` lists all of them."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        n = len(self.issues)
        head = f"{n} problem{'s' if n != 1 else ''} in the input:"
        super().__init__("\n".join([head] + [f"  - {i}" for i in self.issues]))


class InstanceNotFoundError(NetoptError):
    """No instance folder or built-in instance of that name exists."""


class SolverError(NetoptError):
    """The solver could not be run (missing binary, unknown name, crash)."""


class NotOptimalError(NetoptError):
    """Optimal-solution data was asked of a result that is not optimal."""


class InfeasibleError(NetoptError):
    """No plan meets every constraint (strict mode); `diagnosis` says what is short.

    Attributes
    ----------
    diagnosis : pandas.DataFrame
        One row per shortfall: constraint, item, period, shortfall, unit, demand, message.
    result : Result
        The infeasible result itself (status ``infeasible``, no numbers).
    """

    def __init__(self, message: str, diagnosis=None, result=None):
        super().__init__(message)
        self.diagnosis = diagnosis
        self.result = result


class SweepFileError(NetoptError):
    """A sweep's ``out`` file cannot be resumed: it holds results of another sweep
    (another network, solver, solver options or netopt version), or a line in it is not
    a sweep record.

    Attributes
    ----------
    path : str
        The file.
    line : int or None
        The line (counting from 1) that is not a sweep record; ``None`` when the file
        belongs to another sweep.
    """

    def __init__(self, message: str, path, line: int | None = None):
        super().__init__(message)
        self.path = str(path)
        self.line = line
