"""Addressing values of a network, and building the network of a scenario.

An address names one value or many:

- ``settings.carbon_price`` — a setting of ``network.yaml``;
- ``sites.it_capacity_mw[tianfu]`` — one row of a table with ids;
- ``sources.marginal_cost`` — every row;
- ``demand.mw_it[class=ai_training&node=beijing]`` — the rows matching every condition;
- ``sites.capex_per_mw[id=wuhu|shaoguan]`` — a condition may name several values.

A value is a number (set it) or ``*factor`` (scale what is there): ``400``, ``*1.2``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..errors import NetoptError, show
from ..data.network import Network
from ..data.coerce import parse_number
from ..data.schema import SETTINGS, TABLES

__all__ = ["Address", "parse_address", "parse_value", "parse_values", "parse_assignment",
           "read_scenarios", "apply", "ScenarioError"]

_ADDRESS = re.compile(r"^(?P<table>\w+)\.(?P<column>\w+)(?:\[(?P<rows>[^\]]*)\])?$")


class ScenarioError(NetoptError):
    """A parameter address or value that does not fit the network."""


@dataclass(frozen=True)
class Address:
    """A parsed address: table (or ``settings``), column, and row selector."""

    table: str
    column: str
    rows: str | None = None

    def __str__(self) -> str:
        return f"{self.table}.{self.column}" + (f"[{self.rows}]" if self.rows else "")


def parse_address(text: str) -> Address:
    """Parse ``TABLE.COLUMN[ID]`` (see the module docstring).

    Raises
    ------
    ScenarioError
        If the table or column is unknown or not numeric.

    Examples
    --------
    >>> parse_address("sites.it_capacity_mw[tianfu]")
    Address(table='sites', column='it_capacity_mw', rows='tianfu')
    """
    m = _ADDRESS.match(text.strip())
    if not m:
        raise ScenarioError(f"cannot read the address {show(text)}; expected TABLE.COLUMN, "
                            "TABLE.COLUMN[ID] or TABLE.COLUMN[col=value&...]")
    table, column, rows = m["table"], m["column"], m["rows"]
    if table == "settings":
        cols = {c.name: c for c in SETTINGS}
    elif table in TABLES:
        cols = {c.name: c for c in TABLES[table].columns}
    else:
        raise ScenarioError(f"unknown table {show(table)} in {show(text)}; tables: settings, "
                            f"{', '.join(TABLES)}")
    if column not in cols:
        raise ScenarioError(f"unknown column {show(column)} of {table} in {show(text)}")
    if cols[column].dtype != "float":
        raise ScenarioError(f"{table}.{column} is not numeric; only numbers can vary")
    if table == "settings" and rows:
        raise ScenarioError(f"settings take no row selector: {show(text)}")
    return Address(table, column, rows or None)


def parse_value(text: str) -> Any:
    """``"2"`` -> ``2.0``; ``"*1.5"`` stays ``"*1.5"`` (a factor).

    Numbers are read strictly (`netopt.data.coerce.parse_number`): NaN in any spelling and literals
    that overflow (``1e309``) are refused; ``inf`` is accepted (the range check of the
    column decides whether it is allowed). A factor must be finite.

    Raises
    ------
    ScenarioError

    Examples
    --------
    >>> parse_value(" 2 "), parse_value("*1.5"), parse_value("inf")
    (2.0, '*1.5', inf)
    """
    text = str(text).strip()
    factor = text.startswith("*")
    body = text[1:] if factor else text
    try:
        number = parse_number(body, allow_inf=not factor)
    except ValueError as exc:
        try:
            lenient = float(body)  # what Python would make of it: NaN, inf or nothing
        except ValueError:
            raise ScenarioError(f"{show(text)} is not a number or *factor") from None
        if np.isnan(lenient):
            raise ScenarioError(f"{show(text)} is not a number or *factor (NaN is "
                                "refused)") from None
        raise ScenarioError(f"bad factor {show(text)}: {exc}" if factor else str(exc)) \
            from None
    return text if factor else number


def parse_values(text: str) -> list[Any]:
    """``"1,2,*1.5"`` -> ``[1.0, 2.0, "*1.5"]`` (factors stay as text)."""
    out = [parse_value(p) for p in text.split(",") if p.strip()]
    if not out:
        raise ScenarioError(f"no values in {show(text)}")
    return out


def parse_assignment(text: str) -> tuple[str, list[Any]]:
    """``"sites.pue[a]=1.1,1.2"`` -> ``("sites.pue[a]", [1.1, 1.2])``; an ``=`` inside
    ``[...]`` belongs to the address.

    Examples
    --------
    >>> parse_assignment("demand.mw_it[class=ai]=*1,*2")
    ('demand.mw_it[class=ai]', ['*1', '*2'])
    """
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "[") - (ch == "]")
        if ch == "=" and depth == 0:
            return text[:i].strip(), parse_values(text[i + 1:])
    raise ScenarioError(f"expected ADDRESS=V1,V2,... in {show(text)}")


def read_scenarios(path: str | os.PathLike) -> list[dict[str, Any]]:
    r"""Scenarios from a CSV file: a header of addresses, one row per scenario.

    Every cell must hold a number or ``*factor`` (read as `parse_value` reads it); the
    file is checked whole before anything is solved.

    Parameters
    ----------
    path : path

    Returns
    -------
    list of dict
        Address -> value, one dict per row.

    Raises
    ------
    ScenarioError
        One line naming the file (and row and column) and what is wrong: no such file,
        a directory, empty, not UTF-8, not CSV, an unknown address, a blank or bad cell.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
    >>> _ = f.write_text("settings.carbon_price\n0\n*2\n")
    >>> read_scenarios(f)
    [{'settings.carbon_price': 0.0}, {'settings.carbon_price': '*2'}]
    """
    from ..data.instance import MAX_LINE_BYTES, _long_line, file_problem
    path = Path(path)
    name = show(path, limit=200)
    problem = file_problem(path)
    if problem:
        raise ScenarioError(f"{name} {problem}")
    if not path.exists():
        raise ScenarioError(f"{name}: no such file")
    try:
        long = _long_line(path)
        if long is not None:
            raise ScenarioError(f"{name}, line {long[0]}: {long[1]:,} bytes long (the "
                                f"limit is {MAX_LINE_BYTES:,}); not a CSV table")
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise ScenarioError(f"{name} is empty; expected a header row of addresses") from None
    except pd.errors.ParserError as exc:
        raise ScenarioError(f"{name} is not a valid CSV table: "
                            f"{show(exc, limit=200, quote=False)}") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{name} is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ScenarioError(f"{name} cannot be read: {exc.strerror or exc}") from None
    for column in table.columns:
        try:
            parse_address(str(column))
        except ScenarioError as exc:
            raise ScenarioError(f"{name}, header: {exc}") from None
    if len(table) == 0:
        raise ScenarioError(f"{name} has no rows; expected one row per scenario")
    out = []
    for i, row in enumerate(table.to_dict("records"), start=2):
        scenario = {}
        for column, cell in row.items():
            where = f"{name}, row {i}, column {show(column)}"
            if not str(cell).strip():
                raise ScenarioError(f"{where}: blank; every scenario needs a value")
            try:
                scenario[column] = parse_value(cell)
            except ScenarioError as exc:
                raise ScenarioError(f"{where}: {exc}") from None
        out.append(scenario)
    return out


def _rows(frame: pd.DataFrame, addr: Address) -> np.ndarray:
    if addr.rows is None:
        return np.ones(len(frame), dtype=bool)
    if "=" not in addr.rows:
        if addr.rows not in frame.index:
            raise ScenarioError(f"no row {show(addr.rows)} in {addr.table} (for {show(addr)})")
        return np.asarray(frame.index == addr.rows)
    mask = np.ones(len(frame), dtype=bool)
    table = frame.reset_index()
    for cond in addr.rows.split("&"):
        col, _, val = cond.partition("=")
        col, val = col.strip(), val.strip()
        if col not in table.columns:
            raise ScenarioError(f"no column {show(col)} in {addr.table} (for {show(addr)})")
        mask &= table[col].astype(str).isin([v.strip() for v in val.split("|")]).to_numpy()
    if not mask.any():
        raise ScenarioError(f"no row of {addr.table} matches [{show(addr.rows, quote=False)}]")
    return mask


def _strict(addr: Address, value: Any) -> Any:
    """An assignment's value read strictly: code may pass NaN, which would otherwise be
    taken as a blank, or solve to a NaN objective reported as optimal."""
    if isinstance(value, str):
        return parse_value(value)
    try:
        return parse_number(value)
    except ValueError as exc:
        raise ScenarioError(f"{addr}: {exc}") from None


def _new_value(old, value):
    if isinstance(value, str) and value.startswith("*"):
        return old * float(value[1:])
    return float(value)


def apply(network: Network, assignments: Mapping[str | Address, Any]) -> Network:
    """The network with the given values set (a new, validated `Network`).

    Parameters
    ----------
    network : Network
    assignments : mapping
        Address -> value (a number, or ``"*factor"``).

    Raises
    ------
    ScenarioError
        For an address that does not fit.
    ValidationError
        If a new value is out of range.

    Examples
    --------
    >>> import netopt
    >>> net = apply(netopt.load("toy"), {"sources.marginal_cost[grid_east]": "*2"})
    >>> float(net.sources.loc["grid_east", "marginal_cost"])
    1400.0
    """
    tables: dict[str, pd.DataFrame] = {}
    settings = network.settings.to_dict()
    changed: set[tuple[str, str]] = set()
    for key, value in assignments.items():
        addr = key if isinstance(key, Address) else parse_address(str(key))
        value = _strict(addr, value)
        if addr.table == "settings":
            old = settings[addr.column]
            if old is None and isinstance(value, str):
                raise ScenarioError(f"{addr} is not set, so it cannot be scaled")
            settings[addr.column] = _new_value(old, value)
            if np.isnan(settings[addr.column]):
                raise ScenarioError(f"{addr}: {value} of {old} is not a number")
            changed.add(("settings", addr.column))
            continue
        if addr.table not in tables:
            tables[addr.table] = getattr(network, addr.table).copy()
        frame = tables[addr.table]
        mask = _rows(frame, addr)
        col = frame[addr.column].to_numpy(dtype=float).copy()
        if isinstance(value, str) and value.startswith("*"):
            if np.isnan(col[mask]).any():
                raise ScenarioError(f"{addr} has blank (derived) values, which cannot be "
                                    "scaled; scale the setting they derive from (e.g. "
                                    "settings.data_cost_per_tb_km) or set numbers")
            with np.errstate(invalid="ignore"):
                col[mask] = col[mask] * float(value[1:])
            if np.isnan(col[mask]).any():  # 0 x inf
                raise ScenarioError(f"{addr}: {value} of an unlimited (inf) value is not "
                                    "a number; set a number instead")
        else:
            col[mask] = float(value)
        frame[addr.column] = col
        changed.add((addr.table, addr.column))
    return network.with_values(tables, settings, changed)
