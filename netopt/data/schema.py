"""The tables of a network: columns, types, units, defaults and allowed ranges.

One declaration serves loading, validation and documentation (``instances/README.md``
describes the same columns); `netopt.data.coerce` reads values against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "Column", "TableSpec", "TABLES", "TABLE_ORDER", "FREE_TEXT_COLUMNS", "SETTINGS",
    "capital_recovery_factor", "markdown_tables",
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


def _expansion(column: str, unit: str, what: str, top: float,
               per_km: bool = False) -> tuple[Column, ...]:
    """``column`` (how far it may grow) and the cost of growing it.

    The model's cost per unit added and year is ``capex_per_<u>_year + (capex_per_<u> +
    capex_per_<u>_km x length_km) x CRF(discount_rate, lifetime_years)``: the yearly
    part as given, the overnight part annualised (`capital_recovery_factor`).
    """
    per = unit.replace("MW_IT", "MW").lower()
    cols = [Column(column, "float", unit, f"{what} it may be expanded to; blank = no "
                   "expansion", required=False, default=np.nan, low=0, high=top),
            Column(f"capex_per_{per}_year", "float", f"currency/({unit} year)",
                   f"cost paid every year per {unit} of added {what} (an annuity, or "
                   "fixed O&M next to an overnight cost)", required=False, default=0.0,
                   low=0, high=1e9),
            Column(f"capex_per_{per}", "float", f"currency/{unit}", f"overnight cost of "
                   f"added {what}, annualised over lifetime_years at the discount_rate",
                   required=False, default=0.0, low=0, high=1e11)]
    if per_km:
        cols.append(Column(f"capex_per_{per}_km", "float", f"currency/({unit} km)",
                           f"overnight cost of added {what} per km of length_km, "
                           "annualised like the one above", required=False, default=0.0,
                           low=0, high=1e9))
    cols.append(Column("lifetime_years", "float", "years", "economic life over which "
                       "overnight costs are annualised; required where one is given",
                       required=False, default=np.nan, low=0, low_open=True, high=200))
    return tuple(cols)


def capital_recovery_factor(rate: float, years) -> np.ndarray:
    """Share of an overnight cost paid each year to repay it over ``years`` at ``rate``.

    ``rate / (1 - (1 + rate) ** -years)``, and ``1 / years`` at a rate of 0.

    >>> round(float(capital_recovery_factor(0.08, 20)), 6)
    0.101852
    >>> float(capital_recovery_factor(0.0, 25))
    0.04
    """
    n = np.asarray(years, dtype=float)
    if rate == 0:
        return 1.0 / n
    return rate / (1.0 - (1.0 + rate) ** -n)


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
                *_expansion("max_bandwidth_gbps", "Gbps", "bandwidth", 1e9, per_km=True),
                Column("kwh_per_tb_km", "float", "kWh/(TB km)", "energy the network "
                       "equipment draws per TB carried, per km of length_km; blank = "
                       "transport_kwh_per_tb_km (network.yaml)", required=False,
                       default=np.nan, low=0, high=1e3),
                Column("kwh_per_tb_hop", "float", "kWh/TB", "energy the network equipment "
                       "draws per TB carried over the link, whatever its length; blank = "
                       "transport_kwh_per_tb_hop (network.yaml). The link's energy is "
                       "drawn half at each end node, which then needs power",
                       required=False, default=np.nan, low=0, high=1e5),
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
                       "to 'from', with the same capacity, efficiency and tariff", required=False,
                       default=False),
                Column("length_km", "float", "km", "for plots, and for capex_per_mw_km",
                       required=False, default=np.nan, low=0, high=BIG_KM),
                *_expansion("max_capacity_mw", "MW", "line capacity", BIG_MW, per_km=True),
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
                Column("span_h", "float", "h", "real hours one occurrence of the period "
                       "lasts, for storage's state of charge (a representative hour that "
                       "stands for 91 days: 1); blank = weight_h. weight_h / span_h must "
                       "be the same within a window", required=False, default=np.nan,
                       low=0, low_open=True, high=1e6),
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
# -- storage (issue #11, section 2) -------------------------------------------------------
TABLES["storage"] = TableSpec(
    "storage", "storage.csv", "Energy storage at nodes: batteries, pumped hydro, thermal "
    "storage at a data-centre site, ... Each window of periods is a cycle: the state of "
    "charge ends where it starts.",
    (
        _id("unique storage id"),
        _node(),
        Column("kind", "str", doc="battery, pumped_hydro, thermal, ...", required=False,
               default=""),
        Column("name", "str", required=False, default=""),
        Column("power_mw", "float", "MW", "charge and discharge capacity (each)", low=0,
               high=BIG_MW),
        Column("energy_mwh", "float", "MWh", "energy capacity; give this or duration_h",
               required=False, default=np.nan, low=0, high=1e9),
        Column("duration_h", "float", "h", "hours at full power: energy capacity = "
               "duration_h x power (built power brings its energy); give this or "
               "energy_mwh", required=False, default=np.nan, low=0, low_open=True,
               high=1e4),
        Column("efficiency_charge", "float", "-", "share of the power drawn that is "
               "stored", low=0, low_open=True, high=1),
        Column("efficiency_discharge", "float", "-", "share of the energy taken out that "
               "is delivered", low=0, low_open=True, high=1),
        Column("standing_loss_per_h", "float", "1/h", "share of the stored energy lost "
               "each hour", required=False, default=0.0, low=0, high=1),
        Column("marginal_cost", "float", "currency/MWh", "cost per MWh discharged "
               "(wear, O&M)", required=False, default=0.0, low=0, high=BIG_PRICE),
        *_expansion("max_power_mw", "MW", "power capacity", BIG_MW)[:-1],
        *_expansion("max_energy_mwh", "MWh", "energy capacity", 1e9),
    ),
    required_file=False, non_empty=False,
)

# -- electric loads: power, not computing ---------------------------------------------
TABLES["loads"] = TableSpec(
    "loads", "loads.csv", "Electric load at a node that is not computing: a receiving "
    "grid's own demand, a factory, ... It takes power from the node's balance; in "
    "elastic mode what cannot be supplied is shed at its value of lost load.",
    (
        _node(),
        Column("period", "str", doc="period id; blank = every period (then no other row "
               "for the same node)", required=False, default=""),
        Column("mw", "float", "MW", "average load", low=0, high=BIG_MW),
        Column("value_of_lost_load", "float", "currency/MWh", "cost of a MWh shed (elastic "
               "mode); blank = network.yaml's value_of_lost_load", required=False,
               default=np.nan, low=0, low_open=True, high=1e9),
        Column("description", "str", required=False, default=""),
    ),
    key=None, required_file=False, non_empty=False,
)

#: Order in which tables are read, checked and written.
TABLE_ORDER = list(TABLES)


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
    Column("discount_rate", "float", "1/year", "real discount rate that annualises "
           "overnight capital costs (capex_per_* with lifetime_years)", default=0.08,
           low=0, high=1),
    Column("transport_kwh_per_tb_km", "float", "kWh/(TB km)", "energy of moving data per "
           "TB and km of link, for links without kwh_per_tb_km; drawn half at each end "
           "of the link", default=0.0, low=0, high=1e3),
    Column("transport_kwh_per_tb_hop", "float", "kWh/TB", "energy of moving data per TB "
           "and link crossed, for links without kwh_per_tb_hop; drawn half at each end "
           "of the link", default=0.0, low=0, high=1e5),
)


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
            if c.name in ("kwh_per_tb_km", "kwh_per_tb_hop"):
                return f"`transport_{c.name}`"
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
