"""Checks run before any solve; every problem is collected and raised together.

`check_tables` types each table and checks references between tables. What needs the
graph (demand that no site can reach within its latency limit, sites with no way to get
power) is `netopt.data.network.check_network`, next to the graph it reads.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..errors import Issue, ValidationError, show
from .coerce import coerce_settings, coerce_table, row_issues
from .schema import TABLES, TABLE_ORDER

__all__ = ["check_tables"]

# (table, column) -> table whose ids it must name
_REFERENCES = [
    ("sites", "node", "nodes"),
    ("sources", "node", "nodes"),
    ("backbone_links", "from", "nodes"),
    ("backbone_links", "to", "nodes"),
    ("power_lines", "from", "nodes"),
    ("power_lines", "to", "nodes"),
    ("demand", "node", "nodes"),
    ("demand", "class", "classes"),
    ("demand", "period", "periods"),
    ("demand_profiles", "class", "classes"),
    ("demand_profiles", "period", "periods"),
    ("availability", "source", "sources"),
    ("availability", "period", "periods"),
    ("storage", "node", "nodes"),
    ("loads", "node", "nodes"),
    ("loads", "period", "periods"),
]


def _empty(name: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in TABLES[name].column_names})


def _default_periods() -> pd.DataFrame:
    return pd.DataFrame({"id": ["year"], "weight_h": [8760.0]})


def _prepare(name: str, frame: Any) -> pd.DataFrame:
    """A user's table as a plain frame with the key as a column."""
    if frame is None:
        return _default_periods() if name == "periods" else _empty(name)
    if not isinstance(frame, pd.DataFrame):
        raise ValidationError([Issue(f"{name} table", None, None,
                                     f"expected a pandas DataFrame, got {type(frame).__name__}")])
    key = TABLES[name].key
    if key and key not in frame.columns and frame.index.name == key:
        frame = frame.reset_index()
    return frame


def check_tables(raw: Mapping[str, Any], settings: Mapping[str, Any],
                 files: Mapping[str, str], labels: Mapping[str, np.ndarray] | None = None,
                 ) -> tuple[dict[str, pd.DataFrame], dict[str, Any], dict[str, np.ndarray]]:
    """Type every table and check the references between them.

    Parameters
    ----------
    raw : mapping of table name to DataFrame or None
        Cells as read (strings) or as given in code.
    settings : mapping
        The ``network.yaml`` settings.
    files : mapping
        Table name to the file name used in messages (default: ``"<name> table"``).
    labels : mapping, optional
        Table name to row labels for messages (default: the frame's index labels).

    Returns
    -------
    tables, settings, labels
        Typed tables, settings with defaults, and the row labels used.

    Raises
    ------
    ValidationError
        With every problem found.
    """
    issues: list[Issue] = []
    values, found = coerce_settings(dict(settings), files.get("settings", "network.yaml"))
    issues += found
    tables: dict[str, pd.DataFrame] = {}
    used_labels: dict[str, np.ndarray] = {}
    for name in TABLE_ORDER:
        frame = _prepare(name, raw.get(name))
        file = files.get(name, f"{name} table")
        lab = labels.get(name) if labels else None
        if lab is None:
            lab = np.asarray(frame.index, dtype=object)
        used_labels[name] = np.asarray(lab, dtype=object)
        tables[name], found = coerce_table(frame, TABLES[name], file, used_labels[name])
        issues += found
    issues += _check_references(tables, files, used_labels)
    issues += _check_rows(tables, values, files, used_labels)
    if issues:
        raise ValidationError(issues)
    return tables, values, used_labels


def _check_references(tables, files, labels) -> list[Issue]:
    issues = []
    for table, col, target in _REFERENCES:
        df = tables[table]
        if col not in df.columns or len(df) == 0:
            continue
        values = df[col]
        bad = ~values.isin(tables[target].index)
        if col == "period":  # blank period in demand and loads = every period
            bad &= values != ""
        if bad.any():
            known = ", ".join(show(k, quote=False) for k in list(tables[target].index)[:8])
            what = target[:-1] if target != "classes" else "class"
            more = ", ..." if len(tables[target]) > 8 else ""
            pos = np.flatnonzero(bad.to_numpy())
            issues += row_issues(files.get(table, f"{table} table"), labels[table][pos], col,
                                 lambda k: f"unknown {what} {show(values.iloc[pos[k]])} "
                                 f"(known: {known}{more})")
    return issues


def _check_rows(tables, settings, files, labels) -> list[Issue]:
    """Row-level rules that span columns or need the settings."""
    issues = []

    def add(table, mask, column, message):
        rows = labels[table][np.flatnonzero(np.asarray(mask))]
        issues.extend(row_issues(files.get(table, f"{table} table"), rows, column, message))

    for name in ("backbone_links", "power_lines"):
        df = tables[name]
        if len(df) and {"from", "to"} <= set(df.columns):
            add(name, (df["from"] == df["to"]) & (df["from"] != ""), "to",
                "a link must join two different nodes")
    for name, cap, top in (("sites", "it_capacity_mw", "max_it_capacity_mw"),
                           ("backbone_links", "bandwidth_gbps", "max_bandwidth_gbps"),
                           ("power_lines", "capacity_mw", "max_capacity_mw")):
        df = tables[name]
        if len(df) and {cap, top} <= set(df.columns):
            grow = df[top].notna()
            add(name, grow & ~np.isfinite(df[cap].to_numpy()), top,
                f"expansion needs a finite {cap} to start from")
            add(name, grow & (df[top] < df[cap]), top, f"must be >= {cap}")
    for name, unit in (("sites", "mw"), ("backbone_links", "gbps"), ("power_lines", "mw")):
        df = tables[name]
        if not len(df) or "lifetime_years" not in df:
            continue
        overnight = [c for c in (f"capex_per_{unit}", f"capex_per_{unit}_km") if c in df]
        given = np.zeros(len(df), dtype=bool)
        for c in overnight:
            given |= df[c].fillna(0).to_numpy() > 0
        add(name, given & df["lifetime_years"].isna().to_numpy(), "lifetime_years",
            f"an overnight cost ({' or '.join(overnight)}) needs the lifetime over which "
            "to annualise it")
        if name == "power_lines" and f"capex_per_{unit}_km" in df:
            add(name, (df[f"capex_per_{unit}_km"].fillna(0) > 0).to_numpy()
                & df["length_km"].isna().to_numpy(), "length_km",
                "capex_per_mw_km needs the line's length_km")
    sites = tables["sites"]
    if len(sites) and {"fixed_cost_year", "it_capacity_mw", "max_it_capacity_mw"} <= set(
            sites.columns):
        cand = sites["fixed_cost_year"].notna()
        add("sites", cand & ~np.isfinite(sites["it_capacity_mw"].to_numpy()),
            "it_capacity_mw", "a candidate site (fixed_cost_year) needs a finite capacity")
        add("sites", cand & sites["max_it_capacity_mw"].notna(), "max_it_capacity_mw",
            "a candidate site (fixed_cost_year) cannot also expand; give it its full "
            "size as it_capacity_mw")
    links = tables["backbone_links"]
    if len(links) and "cost_per_tb" in links and settings["data_cost_per_tb_km"] is None:
        add("backbone_links", links["cost_per_tb"].isna(), "cost_per_tb",
            "no cost_per_tb, and network.yaml sets no data_cost_per_tb_km to derive it")
    for name, keys in (("demand", ["node", "class", "period"]),
                       ("loads", ["node", "period"]),
                       ("demand_profiles", ["class", "period"]),
                       ("availability", ["source", "period"])):
        df = tables[name]
        if len(df) and set(keys) <= set(df.columns):
            add(name, df.duplicated(keys, keep="first"), keys[-1],
                f"duplicate row for the same ({', '.join(keys)})")
    issues += _mixed_demand_periods(tables["demand"], files, labels)
    issues += _mixed_demand_periods(tables["loads"], files, labels, "loads",
                                    ["node"])
    _split_windows(tables["periods"], add)
    issues += _storage_rows(tables, add)
    return issues


def _split_windows(p: pd.DataFrame, add) -> None:
    """A window is a run of consecutive periods: deferrable work moves within it, a
    storage cycle closes over it and the decomposition solves it as one piece, so a
    window whose periods are interrupted by another's is refused (each later run of a
    window is named)."""
    if not len(p) or "window" not in p.columns:
        return
    win = p["window"].to_numpy(dtype=object)
    starts = np.flatnonzero(np.r_[True, win[1:] != win[:-1]] & (win != ""))
    seen: set = set()
    again = []
    for i in starts:
        if win[i] in seen:
            again.append(i)
        seen.add(win[i])
    again = np.asarray(again, dtype=int)
    before = [win[i - 1] for i in again]
    add("periods", np.isin(np.arange(len(p)), again), "window",
        lambda k: f"window {show(win[again[k]], 20)} resumes after "
                  + (show(before[k], 20) if before[k] != "" else "a lone period")
                  + "; its periods must be consecutive")


def _storage_rows(tables, add) -> list[Issue]:
    """Storage (issue #11.2): an energy capacity or a duration, expansion from finite
    values, a lifetime for overnight costs; periods whose span gives storage its hours
    recur alike within a window (weight_h / span_h the same)."""
    p = tables["periods"]
    if len(p) and {"weight_h", "span_h", "window"} <= set(p.columns):
        span = p["span_h"].fillna(p["weight_h"])
        win = p["window"].where(p["window"] != "", pd.Series(p.index, index=p.index))
        ratio = p["weight_h"] / span
        first = ratio.groupby(win.to_numpy()).transform("first")
        add("periods", ~np.isclose(ratio, first, rtol=1e-9) & ratio.notna().to_numpy()
            & first.notna().to_numpy(), "span_h",
            "weight_h / span_h (how often the period recurs) must be the same for every "
            "period of its window, or storage would make or lose energy over the cycle")
    s = tables["storage"]
    need = {"energy_mwh", "duration_h", "max_power_mw", "max_energy_mwh", "power_mw",
            "capex_per_mw", "capex_per_mwh", "lifetime_years"}
    if not len(s) or not need <= set(s.columns):
        return []
    e, d = s["energy_mwh"].notna(), s["duration_h"].notna()
    add("storage", ~e & ~d, "energy_mwh", "give the energy capacity (energy_mwh) or a "
        "duration in hours (duration_h)")
    add("storage", e & d, "duration_h", "give energy_mwh or duration_h, not both")
    add("storage", d & s["max_energy_mwh"].notna(), "max_energy_mwh", "a unit given by "
        "duration_h grows by max_power_mw (its energy follows); max_energy_mwh needs "
        "energy_mwh")
    add("storage", s["max_power_mw"] < s["power_mw"], "max_power_mw", "must be >= power_mw")
    add("storage", s["max_energy_mwh"] < s["energy_mwh"], "max_energy_mwh",
        "must be >= energy_mwh")
    overnight = (s["capex_per_mw"].fillna(0) > 0) | (s["capex_per_mwh"].fillna(0) > 0)
    add("storage", overnight & s["lifetime_years"].isna(), "lifetime_years",
        "an overnight cost (capex_per_mw or capex_per_mwh) needs the lifetime over which "
        "to annualise it")
    return []


def _mixed_demand_periods(d: pd.DataFrame, files, labels, table: str = "demand",
                          keys: list[str] | None = None) -> list[Issue]:
    """A (node, class) of demand, or a node of loads, is given either by one row with a
    blank period (every period) or by rows naming periods, never both: both would give
    two values for one period."""
    keys = ["node", "class"] if keys is None else keys
    if not len(d) or not {*keys, "period"} <= set(d.columns):
        return []
    every = (d["period"] == "").to_numpy()
    key = pd.MultiIndex.from_frame(d[keys])
    blank_row = pd.Series(labels[table][every], index=key[every])
    blank_row = blank_row[~blank_row.index.duplicated()]  # duplicates are reported above
    clash = ~every & key.isin(blank_row.index)
    pos = np.flatnonzero(clash)

    def message(i: int) -> str:
        k = key[pos[i]]
        what = (f"demand of class {show(k[1])} at {show(k[0])}" if table == "demand"
                else f"the load at {show(k[0])}")
        return (f"{what} is already given for every period (row {blank_row[k]}, blank "
                "period); give either that row or one row per period, not both")
    return row_issues(files.get(table, f"{table} table"), labels[table][pos], "period",
                      message)
