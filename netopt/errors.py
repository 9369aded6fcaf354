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
    "OutputExistsError",
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


class OutputExistsError(NetoptError, FileExistsError):
    """Writing there would replace something netopt must not replace.

    Raised before anything is written, so nothing is lost. It is also a
    `FileExistsError`.

    Attributes
    ----------
    path : str
        The folder or file that was to be written.
    reason : str
        Why it is refused, e.g. "holds files netopt did not write".
    overwritable : bool
        True if it is netopt's own earlier output, which ``overwrite=True`` (on the
        command line ``--overwrite``) may replace; False if nothing may replace it.
    """

    def __init__(self, path, reason: str, overwritable: bool = False):
        self.path = str(path)
        self.reason = reason
        self.overwritable = overwritable
        super().__init__(f"{self.path} {reason}; {self.advice('overwrite=True')}")

    def advice(self, option: str) -> str:
        """What to do instead, naming the option that allows replacing (``option``)."""
        if self.overwritable:
            return f"use {option} to replace it"
        return (f"netopt never replaces it, not even with {option}: choose a new or "
                "empty location")
