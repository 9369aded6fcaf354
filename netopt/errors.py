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
    "show",
    "OutputExistsError",
    "SweepFileError",
]

#: How many characters of a user's value a message quotes.
SHOW_LIMIT = 60


def show(value: object, limit: int = SHOW_LIMIT, quote: bool = True) -> str:
    r"""A value from the input as a message may quote it: invisible and control
    characters escaped, long text cut.

    Parameters
    ----------
    value : object
        Anything; it is shown as ``str(value)``.
    limit : int
        Characters shown at most; longer text ends in ``…``.
    quote : bool
        Put the text in single quotes.

    Returns
    -------
    str

    Examples
    --------
    >>> show("east\u200b")
    "'east\\u200b'"
    >>> show("x" * 100, limit=5)
    "'xxxxx…'"
    """
    text = str(value)
    # Escape only the head: a 200 MB cell must not be copied or escaped whole.
    out, used = [], 0
    for ch in text[:limit + 1]:
        if ch.isprintable():
            piece = ch
        elif ch in "\n\r\t":
            piece = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch]
        else:
            code = ord(ch)
            piece = (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
                     if code < 0x10000 else f"\\U{code:08x}")
        if used + len(piece) > limit:
            out.append("…")
            break
        out.append(piece)
        used += len(piece)
    body = "".join(out)
    return f"'{body}'" if quote else body


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
    more : int
        0 for one problem; N for a summary standing for N further rows with the same
        problem (reports are capped, and say so).
    """

    file: str
    row: int | str | None
    column: str | None
    message: str
    more: int = 0

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {show(self.row, quote=False)}"
        if self.column is not None:
            where += f", column {show(self.column)}"
        return f"{where}: {self.message}"


class ValidationError(NetoptError):
    """The input has one or more problems; `issues` lists all of them."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        # A capped report counts the rows its "and N more" summaries stand for.
        n = sum(i.more or 1 for i in self.issues)
        head = f"{n:,} problem{'s' if n != 1 else ''} in the input:"
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
