"""The tables of a network: columns, types, units, defaults and allowed ranges.

One declaration serves loading, validation and documentation (``instances/README.md``
describes the same columns). `coerce_table` turns raw text or user DataFrames into typed
frames and reports every bad value with its row and column.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from .errors import Issue

__all__ = [
    "Column", "TableSpec", "TABLES", "TABLE_ORDER", "FREE_TEXT_COLUMNS", "SETTINGS",
    "coerce_table", "coerce_settings", "check_numbers",
]

INF = float("inf")
_INF_WORDS = {"inf", "+inf", "infinity", "unlimited"}
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}
# Plausibility limits: larger values are almost surely unit mistakes, and would spoil
# the LP's conditioning. (1e8 MW is fifty times the world's installed power capacity.)
BIG_MW = 1e8
BIG_PRICE = 1e6   # currency per MWh or per TB
BIG_KM = 1e5      # more than twice round the Earth
BIG_MS = 1e5
#: Columns any table may carry for people (citations, remarks); never read by the model.
FREE_TEXT_COLUMNS = ("note", "source")


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``default`` is used where a cell is blank (``None``: the value is required; NaN: the
    value is derived, see `TableSpec.doc`). ``low``/``high`` bound the value, inclusive
    unless ``low_open``. ``allow_inf`` admits ``inf``/``unlimited``.
    """

    name: str
    dtype: str  # "str", "float", "int" or "bool"
    unit: str = ""
    doc: str = ""
    required: bool = True  # the column itself must be present
    default: Any = None
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    allow_inf: bool = False


@dataclass(frozen=True)
class TableSpec:
    """One table: its file, its key and its columns."""

    name: str
    file: str
    doc: str
    columns: tuple[Column, ...]
    key: str | None = "id"  # unique id column, the frame's index; None for long tables
    required_file: bool = True
    non_empty: bool = True

    @property
    def column_names(self) -> list[str]:
        """The table's column names, in file order."""
        return [c.name for c in self.columns]


def _id(doc: str) -> Column:
    return Column("id", "str", doc=doc)


def _expansion(column: str, unit: str, what: str, top: float) -> tuple[Column, Column]:
    """``column`` (how far it may grow) and its annualised cost per unit."""
    per = unit.replace("MW_IT", "MW").lower()
    return (Column(column, "float", unit, f"{what} it may be expanded to; blank = no "
                   "expansion", required=False, default=np.nan, low=0, high=top),
            Column(f"capex_per_{per}_year", "float", f"currency/({unit} year)",
                   f"annualised cost of added {what}", required=False, default=0.0, low=0,
                   high=1e9))


def _node(col: str = "node", doc: str = "node id (nodes.csv)") -> Column:
    return Column(col, "str", doc=doc)


TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in [
        TableSpec(
            "nodes", "nodes.csv", "Places: demand regions, data-centre sites, power.",
            (
                _id("unique node id"),
                Column("name", "str", doc="readable name", required=False, default=""),
                Column("lat", "float", "degrees", "latitude", low=-90, high=90),
                Column("lon", "float", "degrees", "longitude", low=-180, high=180),
                Column("zone", "str", doc="hub or zone the node belongs to; blank = a "
                       "zone of its own (nodes with a blank zone share none)",
                       required=False, default=""),
                Column("region", "str", doc="coarse region, e.g. east or west",
                       required=False, default=""),
                Column("province", "str", required=False, default=""),
            ),
        ),
        TableSpec(
            "sites", "sites.csv", "Data centres, each at a node.",
            (
                _id("unique site id"),
                _node(),
                Column("it_capacity_mw", "float", "MW_IT", "IT capacity",
                       low=0, high=BIG_MW, allow_inf=True),
                Column("pue", "float", "-", "power usage effectiveness; grid draw = "
                       "IT load x PUE", low=1.0, high=5.0),
                Column("name", "str", required=False, default=""),
                *_expansion("max_it_capacity_mw", "MW_IT", "IT capacity", BIG_MW),
                Column("fixed_cost_year", "float", "currency/year", "a candidate site: "
                       "opened (paying this) or not; blank = always open. A candidate needs "
                       "a finite it_capacity_mw and no max_it_capacity_mw", required=False,
                       default=np.nan, low=0, high=1e12),
            ),
        ),
        TableSpec(
            "sources", "sources.csv", "Power supplies at nodes (plants, grid supply at a tariff).",
            (
                _id("unique source id"),
                _node(),
                Column("kind", "str", doc="hydro, wind, solar, coal, grid, ...",
                       required=False, default="grid"),
                Column("capacity_mw", "float", "MW", "available capacity; blank or inf = "
                       "unlimited (grid supply)", required=False, default=INF,
                       low=0, high=BIG_MW, allow_inf=True),
                Column("marginal_cost", "float", "currency/MWh", "price of energy", low=0,
                       high=BIG_PRICE),
                Column("emissions", "float", "t CO2/MWh", "emission factor",
                       required=False, default=0.0, low=0, high=5),
            ),
        ),
        TableSpec(
            "backbone_links", "backbone_links.csv",
            "Fibre between two nodes, usable in both directions.",
            (
                _id("unique link id"),
                _node("from", "node id at one end"),
                _node("to", "node id at the other end"),
                Column("length_km", "float", "km", "fibre route length; blank = great-"
                       "circle distance (haversine, Earth radius 6371.0088 km) x "
                       "route_factor (network.yaml)", required=False,
                       default=np.nan, low=0, high=BIG_KM),
                Column("latency_ms", "float", "ms", "one-way latency; blank = length_km x "
                       "fibre_ms_per_km (network.yaml)", required=False, default=np.nan,
                       low=0, high=BIG_MS),
                Column("bandwidth_gbps", "float", "Gbps", "capacity in each direction; "
                       "blank or inf = unlimited", required=False, default=INF, low=0,
                       high=1e9, allow_inf=True),
                Column("cost_per_tb", "float", "currency/TB", "price of moving data over "
                       "the link; blank = length_km x data_cost_per_tb_km (network.yaml)",
                       required=False, default=np.nan, low=0, high=BIG_PRICE),
                *_expansion("max_bandwidth_gbps", "Gbps", "bandwidth", 1e9),
            ),
            required_file=False, non_empty=False,
        ),
        TableSpec(
            "power_lines", "power_lines.csv", "Power lines between two nodes.",
            (
                _id("unique line id"),
                _node("from", "sending node"),
                _node("to", "receiving node"),
                Column("capacity_mw", "float", "MW", "most power sent into the line, in "
                       "each direction of a bidirectional line; blank or inf = unlimited", required=False, default=INF, low=0,
                       high=BIG_MW, allow_inf=True),
                Column("efficiency", "float", "-", "share of sent power that arrives",
                       low=0, high=1, low_open=True),
                Column("tariff", "float", "currency/MWh", "transmission price per MWh sent",
                       required=False, default=0.0, low=0, high=BIG_PRICE),
                Column("bidirectional", "bool", doc="true: may also carry power from 'to' "
                       "to 'from', with the same capacity, efficiency and tariff", required=False, default=False),
                Column("length_km", "float", "km", "for information and plots",
                       required=False, default=np.nan, low=0, high=BIG_KM),
                *_expansion("max_capacity_mw", "MW", "line capacity", BIG_MW),
            ),
            required_file=False, non_empty=False,
        ),
        TableSpec(
            "classes", "classes.csv", "Workload classes.",
            (
                _id("unique class id"),
                Column("name", "str", required=False, default=""),
                Column("data_intensity_tb_per_mwh", "float", "TB/MWh_IT", "data moved per "
                       "MWh of IT energy when work runs away from its origin", low=0,
                       high=1e6),
                Column("max_latency_ms", "float", "ms", "one-way latency SLA; blank or inf "
                       "= none (batch work)", required=False, default=INF, low=0,
                       high=BIG_MS, allow_inf=True),
                Column("deferrable", "bool", doc="true: its energy must be served within "
                       "each window of periods (periods.csv), hour by hour as it likes",
                       required=False, default=False),
            ),
        ),
        TableSpec(
            "periods", "periods.csv", "Snapshots; weight_h is the hours each represents. "
            "Without this file: one period, `year`, of 8760 h.",
            (
                _id("unique period id"),
                Column("weight_h", "float", "h", "hours the period stands for",
                       low=0, low_open=True, high=1e6),
                Column("window", "str", doc="window for deferrable work (e.g. a day or a "
                       "season); blank = the period alone", required=False, default=""),
            ),
            required_file=False,
        ),
        TableSpec(
            "demand", "demand.csv", "Average IT load of a class at an origin node.",
            (
                _node("node", "origin node id"),
                Column("class", "str", doc="class id (classes.csv)"),
                Column("period", "str", doc="period id; blank = every period (then no other "
                       "row for the same node and class)",
                       required=False, default=""),
                Column("mw_it", "float", "MW_IT", "average IT load", low=0, high=BIG_MW),
            ),
            key=None,
        ),
        TableSpec(
            "demand_profiles", "demand_profiles.csv",
            "Factor on a class's demand in a period, for demand rows without a period.",
            (
                Column("class", "str", doc="class id (classes.csv)"),
                Column("period", "str", doc="period id (periods.csv)"),
                Column("factor", "float", "-", "multiplies mw_it (default 1)", low=0,
                       high=1e3),
            ),
            key=None, required_file=False, non_empty=False,
        ),
        TableSpec(
            "availability", "availability.csv",
            "Share of a source's capacity available in a period (default 1).",
            (
                Column("source", "str", doc="source id (sources.csv)"),
                Column("period", "str", doc="period id (periods.csv)"),
                Column("availability", "float", "-", "0..1", low=0, high=1),
            ),
            key=None, required_file=False, non_empty=False,
        ),
    ]
}
#: Order in which tables are read, checked and written.
TABLE_ORDER = list(TABLES)


def _bad(issues: list[Issue], file: str, rows: Sequence, column: str, message: str,
         limit: int = 20) -> None:
    rows = list(rows)
    for r in rows[:limit]:
        issues.append(Issue(file, r, column, message))
    if len(rows) > limit:
        issues.append(Issue(file, None, column,
                            f"{len(rows) - limit} more rows with the same problem"))


def _as_text(s: pd.Series) -> pd.Series:
    """Cells as stripped strings; missing values become ''."""
    return s.astype(object).where(s.notna(), "").astype(str).str.strip()


def _coerce_float(raw: pd.Series, col: Column, file: str, labels: np.ndarray,
                  issues: list[Issue]) -> pd.Series:
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        values = raw.astype(float)
        blank = values.isna()
    else:
        text = _as_text(raw)
        blank = text == ""
        lower = text.str.lower()
        is_inf = lower.isin(_INF_WORDS)
        values = pd.to_numeric(text.where(~blank & ~is_inf), errors="coerce")
        values = values.astype(float).where(~is_inf, INF)
        bad = ~blank & ~is_inf & (values.isna() | lower.isin({"nan", "-nan", "+nan"}))
        if bad.any():
            _bad(issues, file, labels[bad.to_numpy()], col.name,
                 f"expected a number ({col.unit or 'no unit'}), got "
                 f"'{text[bad].iloc[0]}'")
            values = values.where(~bad, np.nan)
            blank = blank | bad
    if blank.any():
        if col.default is None:
            _bad(issues, file, labels[blank.to_numpy()], col.name, "a value is required here")
        else:
            values = values.where(~blank, col.default)
    finite = values.notna() & ~blank
    inf = np.isinf(values) & finite
    if not col.allow_inf and inf.any():
        _bad(issues, file, labels[inf.to_numpy()], col.name,
             "must be finite (inf or unlimited is not allowed here)")
    if col.low is not None:
        below = finite & ((values <= col.low) if col.low_open else (values < col.low))
        if below.any():
            op = ">" if col.low_open else ">="
            _bad(issues, file, labels[below.to_numpy()], col.name,
                 f"must be {op} {col.low:g}, got {values[below].iloc[0]:g}")
    if col.high is not None:
        above = finite & np.isfinite(values) & (values > col.high)
        if above.any():
            unit = " (implausibly large: check the units)" if col.high >= 1e5 else ""
            _bad(issues, file, labels[above.to_numpy()], col.name,
                 f"must be <= {col.high:g}, got {values[above].iloc[0]:g}{unit}")
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
        _bad(issues, file, labels[bad.to_numpy()], col.name,
             f"expected true or false, got '{text[bad].iloc[0]}'")
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
            for lab, val in zip(labels[dup.to_numpy()], ids[dup]):
                issues.append(Issue(file, int(lab) if isinstance(lab, (np.integer, int))
                                    else lab, spec.key, f"duplicate id '{val}'"))
        frame = frame.set_index(spec.key)
        frame.index.name = spec.key
    return frame, _plain_rows(issues)


def _plain_rows(issues: list[Issue]) -> list[Issue]:
    """Row labels as plain ints where they are integers (numpy ints print oddly)."""
    return [Issue(i.file, int(i.row) if isinstance(i.row, np.integer) else i.row,
                  i.column, i.message) for i in issues]


#: network.yaml: the settings of a network, checked like a one-row table.
SETTINGS: tuple[Column, ...] = (
    Column("name", "str", doc="short name of the network", default="unnamed"),
    Column("description", "str", doc="one line saying what the network is", default=""),
    Column("currency", "str", doc="currency of every price", default="CNY"),
    Column("carbon_price", "float", "currency/t CO2", "price on emissions", default=0.0,
           low=0, high=BIG_PRICE),
    Column("value_of_lost_load", "float", "currency/MWh_IT", "penalty on unserved IT "
           "energy (elastic mode)", default=20000.0, low=0, low_open=True,
           high=1e9),
    Column("allow_unserved", "bool", doc="elastic mode: demand may go unserved at the "
           "value of lost load; false = strict (infeasible if demand cannot be met)",
           default=True),
    Column("routes_per_pair", "float", "-", "candidate routes per origin-site pair (the "
           "m lowest-latency simple paths; ties go to the cheaper, then fewer links, then "
           "link ids)", default=3, low=1, high=100),
    Column("fibre_ms_per_km", "float", "ms/km", "one-way latency of fibre", default=0.005,
           low=0, low_open=True, high=1.0),
    Column("route_factor", "float", "-", "fibre route length / great-circle distance",
           default=1.4, low=1, high=5),
    Column("data_cost_per_tb_km", "float", "currency/(TB km)", "price of moving data, "
           "for links without cost_per_tb", default=np.nan, low=0, high=1e5),
)


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
        if col.dtype == "float" and isinstance(value, bool):
            raw = pd.Series(["not-a-number"], dtype=object)
        found: list[Issue] = []
        typed = _COERCERS[col.dtype](raw, col, file, np.array([None]), found)
        issues += [Issue(file, None, col.name, i.message) for i in found]
        out[col.name] = typed.iloc[0]
    rpp = out["routes_per_pair"]
    if not pd.isna(rpp) and float(rpp) != int(rpp):
        issues.append(Issue(file, None, "routes_per_pair", f"must be a whole number, got {rpp}"))
    out["routes_per_pair"] = int(rpp) if not pd.isna(rpp) else 3
    out["allow_unserved"] = bool(out["allow_unserved"])
    for col in SETTINGS:  # plain Python values; None where a float is not set
        if col.dtype == "float":
            v = float(out[col.name])
            out[col.name] = None if np.isnan(v) else v
    return out, issues


def markdown_tables() -> str:
    """The settings and every table as Markdown (the reference part of
    ``instances/README.md``, which a test keeps equal to this)."""
    def rng(c: Column) -> str:
        parts = []
        if c.low is not None:
            parts.append(f"{'>' if c.low_open else '≥'} {c.low:g}")
        if c.high is not None:
            parts.append(f"≤ {c.high:g}")
        if c.allow_inf:
            parts.append("inf allowed")
        return ", ".join(parts)

    def blank(c: Column) -> str:
        if c.name == "data_cost_per_tb_km":
            return "none (every link then needs `cost_per_tb`)"
        if c.default is None:
            return "required"
        if isinstance(c.default, float) and np.isnan(c.default):
            return "derived" if c.name in ("length_km", "latency_ms", "cost_per_tb") else "none"
        if c.default == "" or isinstance(c.default, bool):
            return "blank" if c.default == "" else str(c.default).lower()
        return f"{c.default:g}" if isinstance(c.default, float) else str(c.default)

    out = ["## network.yaml", "", "| key | type | unit | default | range | meaning |",
           "|---|---|---|---|---|---|"]
    for c in SETTINGS:
        kind = "int" if c.name == "routes_per_pair" else c.dtype
        out.append(f"| `{c.name}` | {kind} | {c.unit} | {blank(c)} | {rng(c)} | {c.doc} |")
    for t in TABLES.values():
        out += ["", f"## `{t.file}` — {t.doc}", "",
                ("Required file" if t.required_file else "Optional file")
                + ("; at least one row." if t.non_empty else "; may be empty.")
                + (f" Key: `{t.key}` (unique)." if t.key else ""), "",
                "| column | type | unit | blank means | range | meaning |",
                "|---|---|---|---|---|---|"]
        for c in t.columns:
            opt = "" if c.required else " (optional column)"
            out.append(f"| `{c.name}`{opt} | {c.dtype} | {c.unit} | {blank(c)} | {rng(c)} "
                       f"| {c.doc} |")
    return "\n".join(out) + "\n"
