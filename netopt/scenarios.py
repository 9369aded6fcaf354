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

import re
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .errors import NetoptError
from .network import Network
from .schema import SETTINGS, TABLES

__all__ = ["Address", "parse_address", "parse_values", "parse_assignment", "apply",
           "ScenarioError"]

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
        raise ScenarioError(f"cannot read the address '{text}'; expected TABLE.COLUMN, "
                            "TABLE.COLUMN[ID] or TABLE.COLUMN[col=value&...]")
    table, column, rows = m["table"], m["column"], m["rows"]
    if table == "settings":
        cols = {c.name: c for c in SETTINGS}
    elif table in TABLES:
        cols = {c.name: c for c in TABLES[table].columns}
    else:
        raise ScenarioError(f"unknown table '{table}' in '{text}'; tables: settings, "
                            f"{', '.join(TABLES)}")
    if column not in cols:
        raise ScenarioError(f"unknown column '{column}' of {table} in '{text}'")
    if cols[column].dtype != "float":
        raise ScenarioError(f"{table}.{column} is not numeric; only numbers can vary")
    if table == "settings" and rows:
        raise ScenarioError(f"settings take no row selector: '{text}'")
    return Address(table, column, rows or None)


def parse_value(text: str) -> Any:
    """``"2"`` -> ``2.0``; ``"*1.5"`` stays ``"*1.5"`` (a factor)."""
    text = str(text).strip()
    try:
        float(text[1:] if text.startswith("*") else text)
    except ValueError:
        raise ScenarioError(f"'{text}' is not a number or *factor") from None
    return text if text.startswith("*") else float(text)


def parse_values(text: str) -> list[Any]:
    """``"1,2,*1.5"`` -> ``[1.0, 2.0, "*1.5"]`` (factors stay as text)."""
    out = [parse_value(p) for p in text.split(",") if p.strip()]
    if not out:
        raise ScenarioError(f"no values in '{text}'")
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
    raise ScenarioError(f"expected ADDRESS=V1,V2,... in '{text}'")


def _rows(frame: pd.DataFrame, addr: Address) -> np.ndarray:
    if addr.rows is None:
        return np.ones(len(frame), dtype=bool)
    if "=" not in addr.rows:
        if addr.rows not in frame.index:
            raise ScenarioError(f"no row '{addr.rows}' in {addr.table} (for '{addr}')")
        return np.asarray(frame.index == addr.rows)
    mask = np.ones(len(frame), dtype=bool)
    table = frame.reset_index()
    for cond in addr.rows.split("&"):
        col, _, val = cond.partition("=")
        col, val = col.strip(), val.strip()
        if col not in table.columns:
            raise ScenarioError(f"no column '{col}' in {addr.table} (for '{addr}')")
        mask &= table[col].astype(str).isin([v.strip() for v in val.split("|")]).to_numpy()
    if not mask.any():
        raise ScenarioError(f"no row of {addr.table} matches [{addr.rows}]")
    return mask


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
        if addr.table == "settings":
            old = settings[addr.column]
            if old is None and isinstance(value, str):
                raise ScenarioError(f"{addr} is not set, so it cannot be scaled")
            settings[addr.column] = _new_value(old, value)
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
            col[mask] = col[mask] * float(value[1:])
        else:
            col[mask] = float(value)
        frame[addr.column] = col
        changed.add((addr.table, addr.column))
    return network.with_values(tables, settings, changed)
