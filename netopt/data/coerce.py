"""Reading values against the schema: `coerce_table` turns raw text or user DataFrames
into typed frames, `coerce_settings` checks network.yaml, `parse_number` reads one number
strictly; every bad value is reported with its file, row and column.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from ..errors import Issue, show
from .schema import (_FALSE, _INF_WORDS, _TRUE, FREE_TEXT_COLUMNS, INF, SETTINGS, Column,
                     TableSpec)

__all__ = ["coerce_table", "coerce_settings", "check_numbers", "parse_number", "row_issues",
           "MAX_REPORTED"]


#: Rows reported for one problem in one column; the rest are counted ("and N more").
MAX_REPORTED = 20


def row_issues(file: str, rows: Sequence, column: str | None,
               message: str | Callable[[int], str], limit: int = MAX_REPORTED,
               ) -> list[Issue]:
    """One issue per row with the same problem, capped at ``limit`` and then counted.

    Parameters
    ----------
    file : str
        File (or table) named in the messages.
    rows : sequence
        Row labels of the rows with the problem, in order.
    column : str or None
    message : str or callable
        The message, or a function of the position ``k`` in ``rows`` giving the message
        for that row (so each row quotes its own value); called for the first ``limit``
        rows only.
    limit : int

    Returns
    -------
    list of Issue
        At most ``limit`` issues, plus one ``and N more rows ...`` summary whose
        ``more`` is N.
    """
    rows = np.asarray(rows, dtype=object)
    out = []
    for k, r in enumerate(rows[:limit]):
        text = message(k) if callable(message) else message
        out.append(Issue(file, int(r) if isinstance(r, np.integer) else r, column, text))
    if len(rows) > limit:
        n = len(rows) - limit
        out.append(Issue(file, None, column, f"and {n:,} more row{'s' if n != 1 else ''} "
                         "with the same problem", more=n))
    return out


def _bad(issues: list[Issue], file: str, rows: Sequence, column: str,
         message: str | Callable[[int], str]) -> None:
    issues += row_issues(file, rows, column, message)


def _as_text(s: pd.Series) -> pd.Series:
    """Cells as stripped strings; missing values become ''."""
    return s.astype(object).where(s.notna(), "").astype(str).str.strip()


def _is_inf_word(lower: pd.Series) -> pd.Series:
    """Literal spellings of infinity (``inf``, ``-Infinity``, ``unlimited``), which are
    allowed where a column allows inf; an overflowing number like ``1e309`` is not."""
    return lower.isin(_INF_WORDS) | lower.isin({"-inf", "-infinity"})


def parse_number(value: Any, *, allow_inf: bool = True) -> float:
    """A number given by a person, read strictly.

    NaN in any spelling is refused, and so is a literal too large for a float (``1e309``
    would otherwise become infinity and pass every upper limit). Infinity is accepted only
    as a word (``inf``, ``infinity``, ``unlimited``, with a sign) and only if
    ``allow_inf``.

    Parameters
    ----------
    value : str or number
    allow_inf : bool

    Returns
    -------
    float

    Raises
    ------
    ValueError
        With a message that quotes the value (escaped and cut, see `errors.show`).

    Examples
    --------
    >>> parse_number(" 2.5 "), parse_number("inf")
    (2.5, inf)
    >>> parse_number("nan")
    Traceback (most recent call last):
    ...
    ValueError: expected a number, got 'nan' (NaN is not a number)
    """
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"expected a number, got {show(value)}")
    if isinstance(value, (int, float, np.integer, np.floating)):
        try:
            number = float(value)
        except OverflowError:
            raise ValueError(f"{show(value)} is too large for a number") from None
        text = "inf" if np.isinf(number) else str(value)
    else:
        text = str(value).strip()
        lower = text.lower()
        if lower in _INF_WORDS or lower in {"-inf", "-infinity"}:
            number = -INF if lower.startswith("-") else INF
        else:
            try:
                number = float(text)
            except ValueError:
                raise ValueError(f"expected a number, got {show(text)}") from None
            if np.isinf(number):
                raise ValueError(f"{show(text)} is too large: it overflows to infinity")
    if np.isnan(number):
        raise ValueError(f"expected a number, got {show(text)} (NaN is not a number)")
    if np.isinf(number) and not allow_inf:
        raise ValueError(f"must be finite, got {show(text)}")
    return number


def _coerce_float(raw: pd.Series, col: Column, file: str, labels: np.ndarray,
                  issues: list[Issue]) -> pd.Series:
    # NaN in a numeric column given in code is pandas' missing value: a blank cell.
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        values = raw.astype(float)
        blank = values.isna()
        checked = ~blank
    else:
        text = _as_text(raw)
        blank = text == ""
        lower = text.str.lower()
        is_inf = lower.isin(_INF_WORDS)
        # pd.to_numeric reads every NaN spelling ("nan", "NA", "null", ...) as NaN, so a
        # NaN from a non-blank cell is a bad cell; inf from a non-word is an overflow.
        values = pd.to_numeric(text.where(~blank & ~is_inf), errors="coerce")
        values = values.astype(float).where(~is_inf, INF)
        # pd.to_numeric is not correctly rounded before pandas 3.1 ("0.30000000000000004"
        # gave 0.3): what it read as a finite number is read again by Python's float.
        ok = values.notna() & ~is_inf
        if ok.any():
            try:
                values[ok] = text[ok].astype(float).to_numpy()
            except ValueError:  # a spelling only pandas reads: keep its value
                pass
        bad = ~blank & values.isna()
        over = ~blank & np.isinf(values) & ~_is_inf_word(lower)
        unit = col.unit or "no unit"
        if bad.any():
            got = text[bad]
            _bad(issues, file, labels[bad.to_numpy()], col.name,
                 lambda k: f"expected a number ({unit}), got {show(got.iloc[k])}")
        if over.any():
            big = text[over]
            hint = " (write inf for unlimited)" if col.allow_inf else ""
            _bad(issues, file, labels[over.to_numpy()], col.name,
                 lambda k: f"{show(big.iloc[k])} is too large: it overflows to "
                 f"infinity{hint}")
        # A bad cell is reported once, as bad: not also as missing or out of range.
        values = values.where(~(bad | over), np.nan)
        checked = ~blank & ~bad & ~over
    if blank.any():
        if col.default is None:
            _bad(issues, file, labels[blank.to_numpy()], col.name, "a value is required here")
        else:
            values = values.where(~blank, col.default)
    finite = checked  # cells with a number of their own (not blank, not bad)
    inf = np.isinf(values) & finite
    if not col.allow_inf and inf.any():
        _bad(issues, file, labels[inf.to_numpy()], col.name,
             "must be finite (inf or unlimited is not allowed here)")
    if col.low is not None:
        below = finite & ((values <= col.low) if col.low_open else (values < col.low))
        if below.any():
            op = ">" if col.low_open else ">="
            low_values = values[below]
            _bad(issues, file, labels[below.to_numpy()], col.name,
                 lambda k: f"must be {op} {col.low:g}, got {low_values.iloc[k]:g}")
    if col.high is not None:
        above = finite & np.isfinite(values) & (values > col.high)
        if above.any():
            unit = " (implausibly large: check the units)" if col.high >= 1e5 else ""
            high_values = values[above]
            _bad(issues, file, labels[above.to_numpy()], col.name,
                 lambda k: f"must be <= {col.high:g}, got {high_values.iloc[k]:g}{unit}")
    return values


def _coerce_bool(raw: pd.Series, col: Column, file: str, labels: np.ndarray,
                 issues: list[Issue]) -> pd.Series:
    if pd.api.types.is_bool_dtype(raw):
        return raw.astype(bool)
    text = _as_text(raw).str.lower()
    out = pd.Series(bool(col.default), index=raw.index, dtype=bool)
    out[text.isin(_TRUE)] = True
    out[text.isin(_FALSE)] = False
    bad = (text != "") & ~text.isin(_TRUE | _FALSE)
    if bad.any():
        got = _as_text(raw)[bad]
        _bad(issues, file, labels[bad.to_numpy()], col.name,
             lambda k: f"expected true or false, got {show(got.iloc[k])}")
    return out


def _coerce_str(raw: pd.Series, col: Column, file: str, labels: np.ndarray,
                issues: list[Issue]) -> pd.Series:
    text = _as_text(raw)
    blank = text == ""
    if blank.any():
        if col.default is None:
            _bad(issues, file, labels[blank.to_numpy()], col.name, "a value is required here")
        else:
            text = text.where(~blank, col.default)
    return text.astype(object)


_COERCERS = {"float": _coerce_float, "bool": _coerce_bool, "str": _coerce_str}


def check_numbers(values: pd.Series, col: Column, file: str,
                  labels: np.ndarray) -> list[Issue]:
    """Range-check numbers already typed (a fast path for changed values)."""
    issues: list[Issue] = []
    _coerce_float(values.astype(float), col, file, labels, issues)
    return _plain_rows(issues)


def coerce_table(raw: pd.DataFrame, spec: TableSpec, file: str,
                 labels: np.ndarray | None = None) -> tuple[pd.DataFrame, list[Issue]]:
    """Type and range-check one table.

    Parameters
    ----------
    raw : DataFrame
        Cells as read from a CSV (strings) or as given in code (any dtype).
    spec : TableSpec
        The table's declaration.
    file : str
        Name used in error messages (a file name or a table name).
    labels : array, optional
        Row labels for messages, one per row; default spreadsheet rows (2, 3, ...).

    Returns
    -------
    frame : DataFrame
        Typed columns in declaration order (free-text columns kept at the end), indexed by
        the key column when the table has one. Bad cells are NaN or blank.
    issues : list of Issue
        Every problem found; empty if the table is clean.
    """
    issues: list[Issue] = []
    raw = raw.reset_index(drop=True)
    raw.columns = [str(c).strip() for c in raw.columns]
    if labels is None:
        labels = np.arange(2, len(raw) + 2)
    known = set(spec.column_names) | set(FREE_TEXT_COLUMNS)
    for c in raw.columns:
        if c not in known:
            hint = difflib.get_close_matches(c, spec.column_names, n=1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else ""
            issues.append(Issue(file, None, c, f"unknown column{extra}; expected columns: "
                                f"{', '.join(spec.column_names)}"))
    dup_cols = raw.columns[raw.columns.duplicated()].unique()
    for c in dup_cols:
        issues.append(Issue(file, None, c, "column appears more than once"))
    raw = raw.loc[:, ~raw.columns.duplicated()]
    if spec.non_empty and len(raw) == 0:
        issues.append(Issue(file, None, None, "the table has no rows; at least one is needed"))

    out: dict[str, pd.Series] = {}
    for col in spec.columns:
        if col.name not in raw.columns:
            if col.required:
                issues.append(Issue(file, None, col.name, f"missing column ({col.doc or col.dtype})"))
                continue
            fill = col.default
            out[col.name] = pd.Series([fill] * len(raw), index=raw.index,
                                      dtype=float if col.dtype == "float" else
                                      bool if col.dtype == "bool" else object)
            continue
        out[col.name] = _COERCERS[col.dtype](raw[col.name], col, file, labels, issues)
    for c in FREE_TEXT_COLUMNS:
        if c in raw.columns:
            out[c] = _as_text(raw[c]).astype(object)
    frame = pd.DataFrame(out, index=raw.index)
    if spec.key is not None and spec.key in frame:
        ids = frame[spec.key]
        dup = ids.duplicated(keep="first") & (ids != "")
        if dup.any():
            dup_ids = ids[dup]
            _bad(issues, file, labels[dup.to_numpy()], spec.key,
                 lambda k: f"duplicate id {show(dup_ids.iloc[k])}")
        frame = frame.set_index(spec.key)
        frame.index.name = spec.key
    return frame, _plain_rows(issues)


def _plain_rows(issues: list[Issue]) -> list[Issue]:
    """Row labels as plain ints where they are integers (numpy ints print oddly)."""
    return [replace(i, row=int(i.row)) if isinstance(i.row, np.integer) else i
            for i in issues]



def coerce_settings(data: Any, file: str) -> tuple[dict[str, Any], list[Issue]]:
    """Check the settings mapping of ``network.yaml`` (or a dict given in code).

    Returns the settings with defaults filled in, and every problem found.
    """
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return {c.name: c.default for c in SETTINGS}, [
            Issue(file, None, None, f"expected a mapping of settings (key: value), got "
                  f"{type(data).__name__}")]
    issues: list[Issue] = []
    names = [c.name for c in SETTINGS]
    for key in data:
        if str(key) not in names:
            hint = difflib.get_close_matches(str(key), names, n=1)
            extra = f" (did you mean '{hint[0]}'?)" if hint else ""
            issues.append(Issue(file, None, str(key), f"unknown setting{extra}; known: "
                                f"{', '.join(names)}"))
    out: dict[str, Any] = {}
    for col in SETTINGS:
        value = data.get(col.name)
        if isinstance(value, (dict, list)):
            issues.append(Issue(file, None, col.name, f"expected a single {col.dtype} value"))
            value = None
        raw = pd.Series([value], dtype=object)
        if col.dtype == "float" and isinstance(value, (bool, float, np.floating)) and (
                isinstance(value, bool) or np.isnan(value)):
            # As text, so the message quotes it: a blank would take the default.
            raw = pd.Series([str(value).lower()], dtype=object)
        found: list[Issue] = []
        typed = _COERCERS[col.dtype](raw, col, file, np.array([None]), found)
        issues += [Issue(file, None, col.name, i.message) for i in found]
        out[col.name] = typed.iloc[0]
    rpp = out["routes_per_pair"]
    whole = bool(np.isfinite(rpp)) and float(rpp) == int(rpp)  # inf is reported above
    if np.isfinite(rpp) and not whole:
        issues.append(Issue(file, None, "routes_per_pair", f"must be a whole number, got {rpp}"))
    out["routes_per_pair"] = int(rpp) if whole else 3
    out["allow_unserved"] = bool(out["allow_unserved"])
    for col in SETTINGS:  # plain Python values; None where a float is not set
        if col.dtype == "float" and col.name != "routes_per_pair":
            v = float(out[col.name])
            out[col.name] = None if np.isnan(v) else v
    return out, issues
