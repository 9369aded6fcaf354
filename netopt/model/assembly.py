"""The core of the placement LP's assembly: its sets, and the helpers that turn a line
of the model (docs/model.md) into matrix entries and cost vectors.

Every per-period block is period-major: item i of period t is column (or row)
``t * n + i``, n the items per period. `Model.each_period` and `Model.every_period`
carry that arithmetic once, so a component's constraint reads like its equation::

    # (1) demand: sum_p x[r,k,s,p,t] + u[r,k,t] = D[r,k,t]
    m.add_constraint("demand", m.pair_labels,
                     [m.sum_options(pair_of_option, P), m.each_period(u, np.arange(P), P)],
                     lower=0, upper=0)

Costs and bounds are not part of the matrix: `Fill` holds them, so that a scenario
changing only data refills the vectors of an assembled model (`formulation.refill`).
"""

from __future__ import annotations

from functools import cached_property
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..data.network import Network
from .lp import Block, LPBuilder
from .routes import Routes, candidate_routes

__all__ = ["Model", "Fill", "Terms", "Vectors", "positive_pairs", "placement_options",
           "per_period_labels"]


class Terms(NamedTuple):
    """Entries of one constraint block: row within the block, global column, value."""

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray


class Vectors(NamedTuple):
    """Costs and bounds of an LP, full length."""

    c: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray


# -- sets (docs/model.md, "Sets") ---------------------------------------------------------
def per_period_labels(items, periods: pd.Index, name: str) -> pd.DataFrame:
    """Labels for a block of len(items) x len(periods), period-major."""
    n, T = len(items), len(periods)
    cols = {name: np.tile(np.asarray(items), T) if n else []}
    cols["period"] = np.repeat(np.asarray(periods, dtype=object), n)
    return pd.DataFrame(cols)


def positive_pairs(net: Network) -> pd.DataFrame:
    """Demand pairs (node, class) with positive demand in some period, sorted."""
    dem = net.demand_by_period
    return (dem.loc[dem["mw_it"] > 0, ["node", "class"]].drop_duplicates()
            .sort_values(["node", "class"], kind="stable").reset_index(drop=True))


def placement_options(net: Network, pairs: pd.DataFrame,
                      per_pair: int) -> tuple[pd.DataFrame, Routes]:
    """Options (pair, site, route) within each class's latency limit, and the routes."""
    sla = net.classes["max_latency_ms"]
    cut = (pairs.assign(sla=sla.loc[pairs["class"]].to_numpy())
           .groupby("node", sort=False)["sla"].max().to_dict())
    routes = candidate_routes(net.link_data, cut, net.sites["node"].unique(), per_pair)
    sites = pd.DataFrame({"site": net.sites.index, "node": net.sites["node"].to_numpy()})
    opt = (pairs.rename(columns={"node": "origin"}).reset_index(names="pair")
           .merge(routes.table, on="origin").merge(sites, on="node"))
    ok = opt["latency_ms"].to_numpy() <= sla.loc[opt["class"]].to_numpy() * (1 + 1e-12)
    opt = opt[ok].sort_values(["pair", "site", "rank"], kind="stable").reset_index(drop=True)
    return opt, routes


class Model:
    """A placement LP being assembled: the network, its sets, and the builder.

    Components add their blocks through it (``netopt.model.components``); what they
    leave for reading the solution back (`site_rows`, `bandwidth_keys`) goes into the
    `Formulation`.
    """

    def __init__(self, net: Network, allow_unserved: bool, per_pair: int, relax: bool):
        self.net = net
        self.allow_unserved = allow_unserved
        self.per_pair = per_pair
        self.relax = relax
        self.periods = net.periods.index
        self.T = len(self.periods)
        self.pairs = positive_pairs(net)             # (node, class): the sets R x K
        self.P = len(self.pairs)
        self.options, self.routes = placement_options(net, self.pairs, per_pair)
        self.O = len(self.options)                   # (pair, site, route): placement options
        self.b = LPBuilder()
        self.site_rows = pd.Index([])                # set by the sites component
        self.bandwidth_keys = pd.DataFrame({"link": [], "direction": []})  # by links
        self.nodes = pd.Index([])                    # nodes of the power balance (6)
        self._memo = {}

    def memo(self, key: str, make):
        """``make(self)``, computed once per model (a set two steps of a component
        share, e.g. which options cross which links)."""
        if key not in self._memo:
            self._memo[key] = make(self)
        return self._memo[key]

    # -- blocks ---------------------------------------------------------------------------
    def var(self, name: str) -> Block:
        """The variable block ``name``."""
        return self.b.variables[name]

    def has(self, name: str) -> bool:
        """True when a variable block ``name`` exists."""
        return name in self.b.variables

    def add_per_period(self, name: str, items, label: str) -> Block:
        """A variable per item and period (costs and bounds come from `Fill`)."""
        return self.b.add_variables(name, per_period_labels(items, self.periods, label),
                                    cost=0.0)

    def add_once(self, name: str, labels: pd.DataFrame, **kw) -> Block:
        """A variable per row of ``labels``, not per period (capacity built, a site
        opened)."""
        return self.b.add_variables(name, labels, cost=0.0, **kw)

    def labels(self, items, label: str) -> pd.DataFrame:
        """Labels of a per-period block (constraint rows or variables)."""
        return per_period_labels(items, self.periods, label)

    @cached_property
    def pair_labels(self) -> pd.DataFrame:
        """Labels (origin, class, period) of a block per demand pair and period."""
        T, P = self.T, self.P
        return pd.DataFrame({"origin": np.tile(self.pairs["node"].to_numpy(dtype=object), T),
                             "class": np.tile(self.pairs["class"].to_numpy(dtype=object), T),
                             "period": np.repeat(self.periods.to_numpy(dtype=object), P)})

    # -- terms: "variable [x coefficient] in row ..." --------------------------------------
    def each_period(self, var: Block, row, n_rows: int, value=1.0, *, items=None,
                    period_row=None, period_value=None) -> Terms:
        """A per-period variable in a per-period constraint: for every period t and entry
        e, ``var[items[e], t] x value[e]`` in row ``(t, row[e])`` of a block of ``n_rows``
        rows a period. Entries with ``row < 0`` are left out.

        ``items`` defaults to every item of ``var``, one entry each. ``period_row`` maps
        a period to the row period (a window), ``period_value`` scales each period.
        """
        T = self.T
        n = var.size // T if T else 0
        row = np.asarray(row, dtype=np.int64)
        value = np.asarray(value, dtype=float)
        keep = row >= 0
        if items is None and keep.all():   # the common case, without a gather
            k = len(row)
            t = np.repeat(np.arange(T), k)
            cols = var.start + np.arange(k * T)
            e = np.tile(np.arange(k), T)
        else:
            sel = np.flatnonzero(keep)
            items = np.arange(len(row)) if items is None else np.asarray(items, np.int64)
            t = np.repeat(np.arange(T), len(sel))
            e = np.tile(sel, T)
            cols = var.start + t * n + items[e]
        rt = t if period_row is None else np.asarray(period_row)[t]
        vals = np.broadcast_to(value, row.shape)[e] if value.ndim else np.full(len(e), float(value))
        if period_value is not None:
            vals = vals * np.asarray(period_value)[t]
        return Terms(rt * n_rows + row[e], cols, vals)

    def every_period(self, var: Block, row, n_rows: int, value=1.0, *, items=None) -> Terms:
        """A variable held for the whole horizon (capacity built, a site opened) in a
        per-period constraint: ``var[items[e]] x value[e]`` in row ``(t, row[e])`` of
        every period t."""
        T = self.T
        row = np.asarray(row, dtype=np.int64)
        items = np.arange(len(row)) if items is None else np.asarray(items, np.int64)
        value = np.broadcast_to(np.asarray(value, dtype=float), row.shape)
        return Terms(np.repeat(np.arange(T), len(row)) * n_rows + np.tile(row, T),
                     var.start + np.tile(items, T), np.tile(value, T))

    def sum_options(self, row_of_option, n_rows: int, value=1.0, **kw) -> Terms:
        """Sum the placement options: ``x[o, t] x value[o]`` in row
        ``(t, row_of_option[o])``; options with ``row_of_option < 0`` stay out."""
        return self.each_period(self.var("x"), row_of_option, n_rows, value, **kw)

    def at_nodes(self, var: Block, node_of_entry, value=1.0, **kw) -> Terms:
        """Per period, per node: ``var[item, t] x value`` in the power balance row of
        its node (`nodes`) and period."""
        return self.each_period(var, self.nodes.get_indexer(node_of_entry), len(self.nodes),
                                value, **kw)

    # -- constraints ----------------------------------------------------------------------
    def add_constraint(self, name: str, labels: pd.DataFrame, terms: list[Terms], lower,
                       upper, *, shortfall: tuple[str, float] | None = None) -> Block:
        """One constraint block: the sum of ``terms`` between ``lower`` and ``upper``.

        ``shortfall=(name, sign)``: in a diagnosis (``relax``), add a variable ``name``
        (ending in ``_shortfall``: phase one minimises those) per row with coefficient
        ``sign`` that lets the row give way.
        """
        if self.relax and shortfall is not None:
            n = len(labels)
            blk = self.b.add_variables(shortfall[0], labels, cost=0.0)
            terms = [*terms, Terms(np.arange(n), blk.start + np.arange(n),
                                   np.full(n, shortfall[1]))]
        if terms:
            r, c, v = (np.concatenate([t[i] for t in terms]) for i in range(3))
        else:
            r = c = np.zeros(0, dtype=np.int64)
            v = np.zeros(0)
        return self.b.add_constraints(name, labels, r, c, v, lower, upper)


class Fill:
    """Costs and bounds of an assembled LP for a network's data (`data_vectors`).

    Costs enter per mean hour of the horizon: a cost per MWh in period t is weighted by
    ``weight_h[t] / sum(weight_h)``; a cost per year becomes cost / 8760 per hour.
    """

    def __init__(self, net: Network, formulation):
        self.net = net
        self.f = formulation
        self.lp = lp = formulation.lp
        self.periods = net.periods.index
        self.T = len(self.periods)
        w = net.periods["weight_h"].to_numpy(dtype=float)
        self.scale = w / float(w.sum())  # cost of one MW in each period, per mean hour
        n, m = lp.A.shape[1], lp.A.shape[0]
        self.c, self.col_lower, self.col_upper = np.zeros(n), np.zeros(n), np.full(n, np.inf)
        self.row_lower, self.row_upper = np.zeros(m), np.zeros(m)

    def var(self, name: str) -> Block:
        return self.lp.variables[name]

    def row(self, name: str) -> Block:
        return self.lp.constraints[name]

    def cost(self, name: str, cost, *, phase_one: bool = False) -> None:
        """Cost per hour of each column of ``name``. In a diagnosis (phase one) only
        costs marked ``phase_one`` count."""
        if self.f.relax and not phase_one:
            return
        blk = self.var(name)
        self.c[blk.start:blk.stop] = cost

    def cost_per_mwh(self, name: str, unit, *, phase_one: bool = False) -> None:
        """Cost per MWh of a per-period variable: ``unit`` per item (or a scalar),
        weighted by each period's share of the horizon."""
        blk = self.var(name)
        n = blk.size // self.T if self.T else 0
        unit = np.broadcast_to(np.asarray(unit, dtype=float), (n,))
        self.cost(name, np.repeat(self.scale, n) * np.tile(unit, self.T), phase_one=phase_one)

    def upper(self, name: str, upper) -> None:
        """Upper bound of each column of ``name``."""
        blk = self.var(name)
        self.col_upper[blk.start:blk.stop] = upper

    def bounds(self, name: str, lower, upper) -> None:
        """Row bounds of constraint block ``name``."""
        blk = self.row(name)
        self.row_lower[blk.start:blk.stop] = lower
        self.row_upper[blk.start:blk.stop] = upper

    @cached_property
    def demand(self) -> np.ndarray:
        """D[r,k,t] in MW_IT for the rows of ``demand`` (0 where none is given)."""
        return demand_of(self.net, self.row("demand").labels)

    def vectors(self) -> Vectors:
        return Vectors(self.c, self.col_lower, self.col_upper, self.row_lower,
                       self.row_upper)


def demand_of(net: Network, labels: pd.DataFrame) -> np.ndarray:
    """Demand in MW_IT for (origin, class, period) labels; 0 where none is given."""
    dem = net.demand_by_period
    val = pd.Series(dem["mw_it"].to_numpy(),
                    index=pd.MultiIndex.from_frame(dem[["node", "class", "period"]]))
    key = pd.MultiIndex.from_frame(labels[["origin", "class", "period"]])
    return val.reindex(key).fillna(0.0).to_numpy()
