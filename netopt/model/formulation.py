"""The placement LP (README, "The model"; docs/model.md), composed from its components.

`formulate` builds the sets (`assembly.Model`: demand pairs, placement options and
their routes), then asks every component of `components.COMPONENTS` in turn for its
per-period variables, its build variables and its constraints, and closes the power
balance (6) from what each component injects at each node. It knows no component's
equations; each component's module cites its own.

The matrix depends only on the network's structure (ids, topology, latencies, SLAs, data
intensities, PUEs, efficiencies, which demand is positive); costs and bounds come from
`data_vectors` (every component's ``fill``), so a scenario that changes prices,
capacities or demand refills the vectors of an assembled model instead of rebuilding it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..data.network import Network
from .assembly import Fill, Model, Vectors, demand_of, positive_pairs
from .components import COMPONENTS
from .components.links import TB_PER_GBPS_HOUR
from .components.placement import route_costs
from .lp import LinearProgram
from .routes import Routes, route_paths

__all__ = ["Formulation", "formulate", "data_vectors", "refill", "Vectors", "option_paths",
           "TB_PER_GBPS_HOUR"]


@dataclass
class Formulation:
    """An assembled LP with the tables needed to read its solution back.

    Attributes
    ----------
    lp : LinearProgram
    options : DataFrame
        Placement candidates, one per x column within a period: pair, origin, class,
        site, node, route (id in `routes`), rank, latency_ms, cost_per_tb.
    pairs : DataFrame
        Demand pairs (origin, class), one per demand row within a period.
    demand : ndarray
        Demand in MW_IT, shape (periods, pairs).
    weights : Series
        Period weights in hours.
    allow_unserved, relax : bool
        The mode it was built in.
    routes : Routes
        The candidate routes and their hops (route, link, direction).
    site_rows : Index
        Sites with a capacity row (finite capacity), in row order.
    bandwidth_keys : DataFrame
        (link, direction) of each bandwidth row, in row order.
    structure : tuple
        What the matrix depends on (see `data_vectors`).
    """

    lp: LinearProgram
    options: pd.DataFrame
    pairs: pd.DataFrame
    demand: np.ndarray
    weights: pd.Series
    allow_unserved: bool
    routes: Routes
    site_rows: pd.Index
    bandwidth_keys: pd.DataFrame
    relax: bool
    structure: tuple


def _structure(net: Network, per_pair: int, allow: bool, relax: bool) -> tuple:
    """Everything the matrix and its index sets depend on: the sets, then each
    component's part."""
    return (per_pair, allow, relax, tuple(net.nodes.index), tuple(net.periods.index),
            tuple(map(tuple, positive_pairs(net).to_numpy())),
            *(c.structure(net) for c in COMPONENTS if hasattr(c, "structure")))


def _each(step: str):
    """The components that define ``step``, in assembly order."""
    return [getattr(c, step) for c in COMPONENTS if hasattr(c, step)]


def formulate(net: Network, *, allow_unserved: bool | None = None,
              routes_per_pair: int | None = None, relax: bool = False,
              timings: dict | None = None) -> Formulation:
    """Assemble the placement LP of a network from its components.

    Parameters
    ----------
    net : Network
    allow_unserved : bool, optional
        Elastic mode (unserved demand priced at the value of lost load); default from
        the network's settings.
    routes_per_pair : int, optional
        m, candidate routes per origin-site pair; default from the settings.
    relax : bool
        Phase one of a diagnosis: add shortfall variables to site capacity
        (``site_shortfall``, MW_IT), bandwidth (``bandwidth_shortfall``, Gbps) and
        power balance (``power_shortfall``, MW) rows, and minimise their weighted sum
        alone. Always feasible; what is short shows in the shortfalls.
    timings : dict, optional
        Filled with the seconds spent on ``routes`` and on the rest (``assembly``).

    Returns
    -------
    Formulation
    """
    t_start = time.perf_counter()
    s = net.settings
    allow = s.allow_unserved if allow_unserved is None else bool(allow_unserved)
    per_pair = int(routes_per_pair or s.routes_per_pair)
    m = Model(net, allow, per_pair, relax)  # the sets: pairs, options and their routes
    t_routes = time.perf_counter()
    for step in ("add_variables", "add_build_variables", "add_constraints"):
        for add in _each(step):
            add(m)
    # (6) power balance at each node and period: what the components inject = the
    # electric load there (0 without one; the loads component fills the bounds)
    m.nodes = pd.Index(pd.unique(np.concatenate(
        [n for nodes in _each("power_nodes") for n in nodes(m)])))
    m.add_constraint("balance", m.labels(m.nodes.to_numpy(), "node"),
                     [t for terms in _each("power_terms") for t in terms(m)], 0.0, 0.0,
                     shortfall=("power_shortfall", 1.0))

    lp = m.b.build(objective_scale=float(net.periods["weight_h"].sum()), name=s.name)
    form = Formulation(lp, m.options, m.pairs.rename(columns={"node": "origin"}),
                       np.zeros((m.T, m.P)), net.periods["weight_h"], allow, m.routes,
                       m.site_rows, m.bandwidth_keys, relax,
                       _structure(net, per_pair, allow, relax))
    vec = data_vectors(net, form)
    lp.c, lp.col_lower, lp.col_upper, lp.row_lower, lp.row_upper = vec
    form.demand = _demand_matrix(net, form)
    form.options["cost_per_tb"] = route_costs(net, form)
    if timings is not None:
        timings["routes"] = t_routes - t_start
        timings["assembly"] = time.perf_counter() - t_routes
    return form


def option_paths(f: Formulation, link_data: pd.DataFrame, options=None) -> np.ndarray:
    """Readable routes ``a>b>c`` of the given options (positions; default all)."""
    opt = f.options if options is None else f.options.iloc[np.asarray(options)]
    paths = route_paths(f.routes, link_data, opt["route"].to_numpy())
    return paths.reindex(opt["route"].to_numpy()).to_numpy()


def data_vectors(net: Network, f: Formulation) -> Vectors | None:
    """Costs and bounds of ``f``'s LP for the data of ``net``.

    Returns ``None`` when ``net`` differs from the network ``f`` was built from in
    anything the matrix depends on (then formulate anew): ids, topology, latencies,
    SLAs, data intensities, PUEs, efficiencies, which capacities are finite, or which
    demand is positive. Prices, finite capacities and bandwidths, availability, demand
    levels, tariffs, carbon price and the value of lost load may all differ.
    """
    if _structure(net, *f.structure[:3]) != f.structure:
        return None
    v = Fill(net, f)
    for fill in _each("fill"):
        fill(v)
    if f.relax:  # phase one: only shortfalls (and what components mark) cost anything
        for name in f.lp.variables:
            if name.endswith("_shortfall"):
                v.cost_per_mwh(name, 1.0, phase_one=True)
    return v.vectors()


def refill(net: Network, f: Formulation) -> Formulation | None:
    """``f`` with the costs, bounds, weights and demand of ``net``, sharing its matrix.

    Returns ``None`` if the structure differs (see `data_vectors`): formulate anew.
    """
    vec = data_vectors(net, f)
    if vec is None:
        return None
    lp = replace(f.lp, c=vec.c, col_lower=vec.col_lower, col_upper=vec.col_upper,
                 row_lower=vec.row_lower, row_upper=vec.row_upper,
                 objective_scale=float(net.periods["weight_h"].sum()))
    T, P = f.demand.shape
    options = f.options.assign(cost_per_tb=route_costs(net, f))
    g = replace(f, lp=lp, options=options, weights=net.periods["weight_h"])
    g.demand = _demand_matrix(net, g)
    return g


def _demand_matrix(net: Network, f: Formulation) -> np.ndarray:
    """Demand in MW_IT, periods x pairs."""
    d = demand_of(net, f.lp.constraints["demand"].labels)
    return d.reshape(len(net.periods), len(f.pairs))
