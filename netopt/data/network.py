"""The compute network: settings and component tables (pandas), and its graph (networkx)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from . import validation
from ..errors import Issue, ValidationError, show
from .coerce import row_issues
from .schema import TABLE_ORDER, capital_recovery_factor

__all__ = ["Network", "Settings", "great_circle_km", "check_network"]

#: Earth radius of every great-circle distance, km: the IUGG mean radius R1 (Moritz,
#: "Geodetic Reference System 1980"), as documented in instances/README.md.
EARTH_RADIUS_KM = 6371.0088
#: The columns that order the rows of each long table (tables with an id are ordered
#: by id): row order in a file or DataFrame never changes an answer.
ROW_KEYS = {"demand": ("node", "class", "period"), "loads": ("node", "period"),
            "demand_profiles": ("class", "period"),
            "availability": ("source", "period")}
# Columns whose change can make demand unreachable or a site unpowered.
_GRAPH_SENSITIVE = {("backbone_links", "latency_ms"), ("backbone_links", "length_km"),
                    ("demand_profiles", "factor"),
                    ("classes", "max_latency_ms"), ("settings", "route_factor"),
                    ("settings", "fibre_ms_per_km"), ("sources", "capacity_mw"),
                    ("power_lines", "capacity_mw"), ("availability", "availability"),
                    ("demand", "mw_it"),
                    ("settings", "transport_kwh_per_tb_km"),
                    ("settings", "transport_kwh_per_tb_hop"),
                    ("backbone_links", "kwh_per_tb_km"), ("backbone_links", "kwh_per_tb_hop")}


@dataclass(frozen=True)
class Settings:
    """Network-wide settings (``network.yaml``); see ``instances/README.md`` for units."""

    name: str = "unnamed"
    description: str = ""
    currency: str = "CNY"
    carbon_price: float = 0.0
    value_of_lost_load: float = 20000.0
    allow_unserved: bool = True
    routes_per_pair: int = 3
    fibre_ms_per_km: float = 0.005
    route_factor: float = 1.4
    data_cost_per_tb_km: float | None = None
    discount_rate: float = 0.08
    transport_kwh_per_tb_km: float = 0.0
    transport_kwh_per_tb_hop: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The settings as a plain dict, in declaration order."""
        return dict(self.__dict__)


def great_circle_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km (haversine), vectorised over arrays of degrees."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def natural_rank(values) -> np.ndarray:
    """Rank of each value in natural order: text by code point, digit runs by number
    (``t2`` before ``t10``), the plain text breaking ties (``t1`` before ``t01``).

    Examples
    --------
    >>> natural_rank(["t10", "t2", "a", "t2"]).tolist()
    [2, 1, 0, 1]
    """
    codes, uniq = pd.factorize(pd.Series(values, dtype=object).astype(str), sort=False)
    order = sorted(range(len(uniq)), key=lambda i: (_natural_key(uniq[i]), uniq[i]))
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[order] = np.arange(len(uniq))
    return rank[codes]


def _natural_key(text: str) -> tuple:
    parts = re.split(r"(\d+)", text)  # text, number, text, ...: types alternate
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def _canonical(tables: dict[str, pd.DataFrame], labels: dict[str, np.ndarray]):
    """Tables in canonical row order (ids, or `ROW_KEYS`, in natural order), with their
    row labels permuted alike, so that the order rows were given in changes nothing."""
    out, lab = dict(tables), dict(labels)
    for name, df in tables.items():
        if len(df) < 2:
            continue
        keys = ROW_KEYS.get(name)
        cols = [df.index.to_numpy()] if keys is None else [df[k].to_numpy() for k in keys]
        order = np.lexsort([natural_rank(c) for c in reversed(cols)])
        if (order == np.arange(len(df))).all():
            continue
        new = df.iloc[order]
        out[name] = new if keys is None else new.reset_index(drop=True)
        lab[name] = np.asarray(labels[name], dtype=object)[order]
    return out, lab


class Network:
    """A compute network: nodes, sites, power sources, fibre, power lines and demand.

    Every table is checked on construction (types, units, ranges, references, reachable
    demand, powered sites); all problems are raised together as one `ValidationError`.
    Rows are kept in a canonical order — by id, long tables by `ROW_KEYS`, in natural
    order (``t2`` before ``t10``) — so the order they were given in changes no answer.
    Treat the tables as read-only: derived data is computed once and cached. To change a
    value, build a new network, e.g. ``Network(**{**net.tables, "sites": new_sites},
    settings=net.settings)``.

    Parameters
    ----------
    nodes, sites, sources, classes, demand : DataFrame
        Required tables; columns as documented in ``instances/README.md``. A table may
        carry its id as a column or as an index named ``id``.
    backbone_links, power_lines, periods, availability, demand_profiles : DataFrame, optional
        Optional tables. Without ``periods`` there is one period of 8760 h.
    storage : DataFrame, optional
        Energy storage at nodes (batteries, pumped hydro, ...); none without it.
    loads : DataFrame, optional
        Electric load at nodes that is not computing (a receiving grid's own demand):
        node, period (blank = every period), mw; none without it.
    settings : Settings or mapping, optional
        Network-wide settings (name, currency, carbon price, ...).

    Attributes
    ----------
    settings : Settings
    nodes, sites, sources, backbone_links, power_lines, classes, periods : DataFrame
        Indexed by id.
    demand, availability : DataFrame
        Long tables with a RangeIndex.

    Examples
    --------
    >>> import pandas as pd
    >>> net = Network(
    ...     nodes=pd.DataFrame({"id": ["a"], "lat": [30.0], "lon": [104.0]}),
    ...     sites=pd.DataFrame({"id": ["dc"], "node": ["a"], "it_capacity_mw": [10],
    ...                         "pue": [1.2]}),
    ...     sources=pd.DataFrame({"id": ["grid"], "node": ["a"], "marginal_cost": [400]}),
    ...     classes=pd.DataFrame({"id": ["batch"], "data_intensity_tb_per_mwh": [1.0]}),
    ...     demand=pd.DataFrame({"node": ["a"], "class": ["batch"], "mw_it": [5.0]}),
    ...     settings={"name": "one-node"})
    >>> float(net.sites.loc["dc", "pue"])
    1.2
    >>> list(net.periods.index), float(net.periods["weight_h"].iloc[0])
    (['year'], 8760.0)
    """

    def __init__(self, nodes: pd.DataFrame, sites: pd.DataFrame, sources: pd.DataFrame,
                 classes: pd.DataFrame, demand: pd.DataFrame,
                 backbone_links: pd.DataFrame | None = None,
                 power_lines: pd.DataFrame | None = None,
                 periods: pd.DataFrame | None = None,
                 availability: pd.DataFrame | None = None,
                 demand_profiles: pd.DataFrame | None = None,
                 settings: Settings | Mapping[str, Any] | None = None,
                 storage: pd.DataFrame | None = None,
                 loads: pd.DataFrame | None = None, *,
                 _files: Mapping[str, str] | None = None,
                 _labels: Mapping[str, np.ndarray] | None = None):
        raw = dict(nodes=nodes, sites=sites, sources=sources, backbone_links=backbone_links,
                   power_lines=power_lines, classes=classes, periods=periods, demand=demand,
                   demand_profiles=demand_profiles, availability=availability,
                   storage=storage, loads=loads)
        if isinstance(settings, Settings):
            settings = settings.to_dict()
        files = dict(_files or {})
        tables, values, labels = validation.check_tables(raw, dict(settings or {}), files,
                                                         _labels)
        tables, labels = _canonical(tables, labels)
        self.settings = Settings(**values)
        for name in TABLE_ORDER:
            setattr(self, name, tables[name])
        self._files = {t: files.get(t, t) for t in TABLE_ORDER}
        self._labels = labels
        check_network(self)

    # -- what users read --------------------------------------------------------------
    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The component tables by name, ready to pass back to ``Network(**tables)``."""
        return {name: getattr(self, name) for name in TABLE_ORDER}

    @property
    def name(self) -> str:
        """The network's name (``settings.name``)."""
        return self.settings.name

    def __repr__(self) -> str:
        sizes = ", ".join(f"{len(getattr(self, t))} {t}" for t in
                          ("nodes", "sites", "sources", "backbone_links", "power_lines",
                           "classes", "periods"))
        if len(self.loads):
            sizes += f", {len(self.loads)} loads"
        return f"<Network '{self.name}': {sizes}>"

    @cached_property
    def graph(self) -> nx.MultiGraph:
        """All nodes with two edge layers, ``layer='backbone'`` and ``layer='power'``.

        Edge keys are link and line ids; edge attributes are the resolved table values
        (latency, bandwidth, cost; capacity, efficiency, tariff).
        """
        g = nx.MultiGraph(name=self.name)
        g.add_nodes_from((n, row) for n, row in self.nodes.to_dict("index").items())
        for lid, row in self.link_data.to_dict("index").items():
            g.add_edge(row["from"], row["to"], key=lid, layer="backbone", **row)
        for lid, row in self.power_lines.to_dict("index").items():
            g.add_edge(row["from"], row["to"], key=lid, layer="power", **row)
        return g

    # -- derived data the formulation uses ----------------------------------------------
    @cached_property
    def link_data(self) -> pd.DataFrame:
        """Backbone links with length, latency and cost resolved from the defaults."""
        df = self.backbone_links.copy()
        a = self.nodes.loc[df["from"], ["lat", "lon"]].to_numpy()
        b = self.nodes.loc[df["to"], ["lat", "lon"]].to_numpy()
        gc = great_circle_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1]) if len(df) else np.zeros(0)
        df["length_km"] = df["length_km"].fillna(pd.Series(gc * self.settings.route_factor,
                                                           index=df.index))
        df["latency_ms"] = df["latency_ms"].fillna(df["length_km"] *
                                                   self.settings.fibre_ms_per_km)
        per_km = self.settings.data_cost_per_tb_km
        df["cost_per_tb"] = df["cost_per_tb"].fillna(df["length_km"] *
                                                     (np.nan if per_km is None else per_km))
        # energy of moving data (docs/model.md, (6d)): MWh per TB over the link
        df["kwh_per_tb_km"] = df["kwh_per_tb_km"].fillna(self.settings.transport_kwh_per_tb_km)
        df["kwh_per_tb_hop"] = df["kwh_per_tb_hop"].fillna(
            self.settings.transport_kwh_per_tb_hop)
        df["mwh_per_tb"] = (df["kwh_per_tb_km"] * df["length_km"] + df["kwh_per_tb_hop"]) / 1000
        return df

    @cached_property
    def annual_capex(self) -> dict[str, pd.Series]:
        """Cost per year of one unit of added capacity, by table and row id.

        ``sites`` in currency per MW_IT-year, ``backbone_links`` per Gbps-year and
        ``power_lines`` per MW-year: the yearly ``capex_per_*_year`` plus the overnight
        ``capex_per_*`` (and ``capex_per_*_km`` x length_km) times the capital recovery
        factor of ``settings.discount_rate`` over the row's ``lifetime_years``.
        """
        out = {}
        for table, unit in (("sites", "mw"), ("backbone_links", "gbps"),
                            ("power_lines", "mw")):
            df = self.link_data if table == "backbone_links" else getattr(self, table)
            overnight = df[f"capex_per_{unit}"].to_numpy(dtype=float)
            if f"capex_per_{unit}_km" in df:
                km = df[f"capex_per_{unit}_km"].to_numpy(dtype=float)
                overnight = overnight + np.where(km > 0, km * df["length_km"].to_numpy(
                    dtype=float), 0.0)
            crf = capital_recovery_factor(self.settings.discount_rate,
                                          df["lifetime_years"].to_numpy(dtype=float))
            yearly = df[f"capex_per_{unit}_year"].to_numpy(dtype=float)
            out[table] = pd.Series(yearly + np.where(overnight > 0, overnight * crf, 0.0),
                                   index=df.index, name=f"capex_per_{unit}_year")
        # storage: per MW of power and per MWh of energy added, one lifetime for both
        st = self.storage
        crf = capital_recovery_factor(self.settings.discount_rate,
                                      st["lifetime_years"].to_numpy(dtype=float))
        for key, unit in (("storage_mw", "mw"), ("storage_mwh", "mwh")):
            overnight = st[f"capex_per_{unit}"].to_numpy(dtype=float)
            out[key] = pd.Series(st[f"capex_per_{unit}_year"].to_numpy(dtype=float)
                                 + np.where(overnight > 0, overnight * crf, 0.0),
                                 index=st.index, name=f"capex_per_{unit}_year")
        return out

    @cached_property
    def period_span(self) -> pd.Series:
        """Real hours one occurrence of each period lasts (``span_h``, default
        ``weight_h``): the hours of storage's state-of-charge equation."""
        p = self.periods
        return p["span_h"].fillna(p["weight_h"]).astype(float)

    @cached_property
    def storage_energy(self) -> pd.Series:
        """Energy capacity of each storage unit in MWh: ``energy_mwh``, or
        ``duration_h x power_mw``."""
        st = self.storage
        return st["energy_mwh"].fillna(st["duration_h"] * st["power_mw"]).astype(float)

    @cached_property
    def power_arcs(self) -> pd.DataFrame:
        """Directed power arcs: each line forward, and backward (``<id>~rev``) when
        bidirectional. Columns: line, from, to, capacity_mw, efficiency, tariff."""
        cols = ["from", "to", "capacity_mw", "efficiency", "tariff"]
        fwd = self.power_lines[cols].assign(line=self.power_lines.index)
        rev = fwd[self.power_lines["bidirectional"].to_numpy()].copy()
        rev[["from", "to"]] = rev[["to", "from"]].to_numpy()
        rev.index = rev.index + "~rev"
        arcs = pd.concat([fwd, rev])
        arcs.index.name = "arc"
        return arcs[["line"] + cols]

    @cached_property
    def demand_by_period(self) -> pd.DataFrame:
        """Demand with blank periods spread over every period (times the class's
        profile factor, default 1): node, class, period, mw_it (one row per key)."""
        d = self.demand
        every = d["period"] == ""
        spread = d[every].drop(columns="period").merge(
            pd.DataFrame({"period": self.periods.index}), how="cross")
        prof = self.demand_profiles
        if len(prof) and len(spread):
            factor = pd.Series(prof["factor"].to_numpy(), index=pd.MultiIndex.from_frame(
                prof[["class", "period"]]))
            f = factor.reindex(pd.MultiIndex.from_frame(spread[["class", "period"]]))
            spread["mw_it"] = spread["mw_it"] * f.fillna(1.0).to_numpy()
        out = pd.concat([d[~every], spread], ignore_index=True)
        return out[["node", "class", "period", "mw_it"]]

    @cached_property
    def loads_by_period(self) -> pd.DataFrame:
        """Electric loads with blank periods spread over every period, summed per node
        and period: node, period, mw, value_of_lost_load (currency/MWh, the settings'
        where blank). One row per node with a load and period, nodes in first-seen
        order (the table is in canonical order), periods in the network's order."""
        d = self.loads
        cols = ["node", "period", "mw", "value_of_lost_load"]
        if not len(d):
            return pd.DataFrame({c: pd.Series(dtype=object if c in cols[:2] else float)
                                 for c in cols})
        d = d.assign(value_of_lost_load=d["value_of_lost_load"].fillna(
            self.settings.value_of_lost_load))
        every = d["period"] == ""
        spread = d[every].drop(columns="period").merge(
            pd.DataFrame({"period": self.periods.index}), how="cross")
        nodes = pd.unique(d["node"])
        idx = pd.MultiIndex.from_product([nodes, self.periods.index],
                                         names=["node", "period"])
        both = pd.concat([d[~every], spread], ignore_index=True)
        mw = both.groupby(["node", "period"])["mw"].sum().reindex(idx, fill_value=0.0)
        voll = both.groupby(["node", "period"])["value_of_lost_load"].max().reindex(
            idx).fillna(self.settings.value_of_lost_load)
        return pd.DataFrame({"mw": mw.to_numpy(), "value_of_lost_load": voll.to_numpy()},
                            index=idx).reset_index()[cols]

    @cached_property
    def availability_matrix(self) -> pd.DataFrame:
        """Available share of each source's capacity, sources x periods (default 1)."""
        if not len(self.availability):
            return pd.DataFrame(1.0, index=self.sources.index, columns=self.periods.index)
        # reindex, not DataFrame.update: update goes column by column (30 s at 8760 h)
        a = self.availability.pivot(index="source", columns="period",
                                    values="availability")
        return a.reindex(index=self.sources.index, columns=self.periods.index
                         ).fillna(1.0).astype(float)

    def with_values(self, tables: Mapping[str, pd.DataFrame],
                    settings: Mapping[str, Any], changed: set[tuple[str, str]]) -> Network:
        """A copy with some numeric values changed (the fast path of scenarios).

        ``tables`` and ``settings`` hold the new values; ``changed`` names the
        (table, column) pairs that differ — only they are range-checked, and the
        graph checks run again only if a changed column can alter reachability or power.

        Raises
        ------
        ValidationError
        """
        from .coerce import check_numbers
        from .schema import SETTINGS, TABLES
        issues = []
        specs = {("settings", c.name): c for c in SETTINGS}
        specs.update({(t, c.name): c for t, spec in TABLES.items() for c in spec.columns})
        for table, column in changed:
            if table == "settings":
                issues += check_numbers(pd.Series([settings[column]], dtype=float),
                                        specs[(table, column)], self._files.get(
                                            "settings", "network.yaml"), np.array([column]))
            else:
                issues += check_numbers(tables[table][column], specs[(table, column)],
                                        self._files[table], self._labels[table])
        if issues:
            raise ValidationError(issues)
        new = object.__new__(Network)
        new.settings = Settings(**settings)
        for name in TABLE_ORDER:
            setattr(new, name, tables.get(name, getattr(self, name)))
        new._files, new._labels = self._files, self._labels
        if changed & _GRAPH_SENSITIVE:
            check_network(new)
        return new

    def row_of(self, table: str, position: int) -> tuple[str, Any]:
        """File name and row label (for messages) of a table's row at ``position``."""
        return self._files[table], self._labels[table][position]


# -- checks that need the graph (reachable demand, powered sites) -------------------------
def check_network(net: Network) -> None:
    """Check what needs the graph: reachable demand and powered sites.

    Raises
    ------
    ValidationError
        Naming each demand row no site can serve within its latency limit, and each
        site, storage unit or electric load whose node no power source can reach.
    """
    issues = (_unreachable_demand(net) + _unpowered_sites(net) + _unpowered_links(net)
              + _unreached_storage(net) + _unpowered_loads(net))
    if issues:
        raise ValidationError(issues)


def _unreachable_demand(net: Network) -> list[Issue]:
    links = net.link_data
    g = nx.Graph()
    g.add_nodes_from(net.nodes.index)
    # Parallel links: the fastest one decides reachability.
    for (u, v), lat in links.groupby(["from", "to"])["latency_ms"].min().items():
        if not g.has_edge(u, v) or g[u][v]["latency"] > lat:
            g.add_edge(u, v, latency=lat)
    site_nodes = set(net.sites["node"])
    sla = net.classes["max_latency_ms"]
    d = net.demand
    positive = d[d["mw_it"] > 0]
    nearest, connected = {}, {}
    for origin, classes in positive.groupby("node", sort=False)["class"]:
        cutoff = sla.loc[classes.unique()].max()
        dist = nx.single_source_dijkstra_path_length(
            g, origin, cutoff=None if np.isinf(cutoff) else cutoff, weight="latency")
        reach = [t for n, t in dist.items() if n in site_nodes]
        nearest[origin] = min(reach) if reach else np.inf
        connected[origin] = bool(reach)
    near = positive["node"].map(nearest).to_numpy(dtype=float)
    limit = sla.loc[positive["class"]].to_numpy()
    ok = positive["node"].map(connected).to_numpy(dtype=bool) & (near <= limit)
    unserved = np.flatnonzero(~ok)

    def message(k):
        pos = unserved[k]
        origin, cls = positive["node"].iloc[pos], positive["class"].iloc[pos]
        if not connected[origin]:
            why = "no data-centre site is connected to it by backbone links"
        else:
            why = (f"no data-centre site is within {limit[pos]:g} ms of {show(origin)} "
                   f"(the nearest is {near[pos]:.2f} ms away)")
        return f"demand of class {show(cls)} cannot be served: {why}"

    rows = net._labels["demand"][positive.index[unserved]]
    return row_issues(net._files["demand"], rows, "node", message)


def _powered_nodes(net: Network) -> set:
    """Nodes a power source with capacity can reach over the power lines."""
    arcs = net.power_arcs
    g = nx.DiGraph()
    g.add_nodes_from(net.nodes.index)
    # a line counts if it has capacity or may be built up to some
    top = net.power_lines["max_capacity_mw"].reindex(arcs["line"]).fillna(0).to_numpy()
    usable = (arcs["capacity_mw"].to_numpy() > 0) | (top > 0)
    g.add_edges_from(arcs.loc[usable, ["from", "to"]].itertuples(index=False))
    avail = net.availability_matrix.max(axis=1)
    live = net.sources[(net.sources["capacity_mw"] * avail) > 0]
    root = object()  # one search from all live sources at once
    g.add_edges_from((root, n) for n in set(live["node"]))
    return nx.descendants(g, root)


def _unpowered_sites(net: Network) -> list[Issue]:
    powered = _powered_nodes(net)
    unpowered = np.flatnonzero(~net.sites["node"].isin(powered).to_numpy())

    def message(k):
        pos = unpowered[k]
        return (f"site {show(net.sites.index[pos])} has no way to get power: no source "
                f"with capacity at node {show(net.sites['node'].iloc[pos])} or upstream of "
                "it on the power lines")

    return row_issues(net._files["sites"], net._labels["sites"][unpowered], "node", message)


def _unpowered_links(net: Network) -> list[Issue]:
    """Links that draw transport energy (docs/model.md, (6d)) at an end node no power
    reaches: the energy of moving data needs power where it is drawn."""
    ld = net.link_data
    draws = ld["mwh_per_tb"].to_numpy() > 0
    if not draws.any():
        return []
    powered = _powered_nodes(net)
    dark = [[n for n in (a, b) if n not in powered]
            for a, b in zip(ld["from"].to_numpy(), ld["to"].to_numpy())]
    bad = np.flatnonzero(draws & np.array([bool(d) for d in dark]))
    per_hop = (ld["kwh_per_tb_hop"].to_numpy() > 0)[bad]
    given = net.backbone_links[["kwh_per_tb_km", "kwh_per_tb_hop"]].notna().to_numpy()[bad]

    def message(k):
        nodes = " and ".join(show(n) for n in dark[bad[k]])
        return (f"link {show(ld.index[bad[k]])} draws energy for moving data (half of it "
                f"at each end), but no power source or line reaches {nodes}: add a "
                "source there, or set its kwh_per_tb_km and kwh_per_tb_hop to 0")

    # name the column that gives the energy: the link's own, else the setting's
    cols = np.where(given[:, 1] | (~given[:, 0] & per_hop), "kwh_per_tb_hop", "kwh_per_tb_km")
    out = []
    for col in ("kwh_per_tb_km", "kwh_per_tb_hop"):
        sel = np.flatnonzero(cols == col)
        out += row_issues(net._files["backbone_links"],
                          net._labels["backbone_links"][bad[sel]], col,
                          lambda k, sel=sel: message(sel[k]))
    return out


def _unpowered_loads(net: Network) -> list[Issue]:
    """An electric load with MW at a node no power reaches could only ever be shed."""
    ld = net.loads
    if not len(ld):
        return []
    powered = _powered_nodes(net)
    bad = np.flatnonzero((~ld["node"].isin(powered) & (ld["mw"] > 0)).to_numpy())
    return row_issues(net._files["loads"], net._labels["loads"][bad], "node",
                      lambda k: f"the load at {show(ld['node'].iloc[bad[k]])} has no way to "
                      "get power: no source with capacity at that node or upstream of it "
                      "on the power lines")


def _unreached_storage(net: Network) -> list[Issue]:
    """Storage at a node no source or power line reaches can never charge."""
    st = net.storage
    if not len(st):
        return []
    reached = set(net.sources["node"]) | set(net.power_arcs["to"]) | set(
        net.power_arcs["from"])
    bad = np.flatnonzero(~st["node"].isin(reached).to_numpy())
    return row_issues(net._files["storage"], net._labels["storage"][bad], "node",
                      lambda k: f"storage {show(st.index[bad[k]])} at node "
                      f"{show(st['node'].iloc[bad[k]])} can never charge: no source is "
                      "at that node and no power line reaches it")
