"""The placement LP (README, "The model"), assembled from a `Network` in one pass.

Variables (all >= 0, every block indexed period-major, i.e. column = t * n + i):

- ``x[o, t]``  MW_IT of placement option o = (origin, class, site, route) in period t;
- ``u[d, t]``  unserved MW_IT of demand pair d = (origin, class) (elastic mode only);
- ``g[j, t]``  generation of source j, at most capacity x availability;
- ``f[a, t]``  MW sent into power arc a, at most the line capacity; f x efficiency arrives.

Constraints: ``demand`` (served + unserved = demand), ``site_capacity``, ``bandwidth``
(per link and direction, finite links only), ``balance`` (power at each node).

The matrix depends only on the network's structure (ids, topology, latencies, SLAs, data
intensities, PUEs, efficiencies, which demand is positive); costs and bounds come from
`data_vectors`, so a scenario that changes prices, capacities or demand refills the
vectors of an assembled model instead of rebuilding it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
import pandas as pd

from .lp import LinearProgram, LPBuilder
from ..data.network import Network
from .routes import Routes, candidate_routes, route_paths

__all__ = ["Formulation", "formulate", "data_vectors", "refill", "Vectors", "option_paths",
           "TB_PER_GBPS_HOUR"]

#: 1 Gbps for one hour carries 0.45 TB (3600 s x 1e9 bit / 8 / 1e12).
TB_PER_GBPS_HOUR = 0.45


class Vectors(NamedTuple):
    """Costs and bounds of an LP, full length."""

    c: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray


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


def _period_major(items: np.ndarray, periods: pd.Index, names: list[str]) -> pd.DataFrame:
    """Labels for a block of len(items) x len(periods), period-major."""
    n, T = len(items), len(periods)
    cols = {names[0]: np.tile(np.asarray(items), T) if n else []}
    cols["period"] = np.repeat(np.asarray(periods, dtype=object), n)
    return pd.DataFrame(cols)


def _pair_labels(pairs: pd.DataFrame, periods: pd.Index) -> pd.DataFrame:
    T, P = len(periods), len(pairs)
    return pd.DataFrame({"origin": np.tile(pairs["node"].to_numpy(dtype=object), T),
                         "class": np.tile(pairs["class"].to_numpy(dtype=object), T),
                         "period": np.repeat(periods.to_numpy(dtype=object), P)})


def _positive_pairs(net: Network) -> pd.DataFrame:
    dem = net.demand_by_period
    return (dem.loc[dem["mw_it"] > 0, ["node", "class"]].drop_duplicates()
            .sort_values(["node", "class"], kind="stable").reset_index(drop=True))


def _structure(net: Network, per_pair: int, allow: bool, relax: bool) -> tuple:
    """Everything the matrix and its index sets depend on."""
    ld, arcs, s = net.link_data, net.power_arcs, net.sites
    pairs = _positive_pairs(net)
    cand = s["fixed_cost_year"].notna()
    return (per_pair, allow, relax, tuple(net.nodes.index), tuple(net.periods.index),
            tuple(s.index[cand]), tuple(s.loc[cand, "it_capacity_mw"]),
            tuple(s["max_it_capacity_mw"].notna()), tuple(ld["max_bandwidth_gbps"].notna()),
            tuple(net.power_lines["max_capacity_mw"].notna()),
            tuple(s.index), tuple(s["node"]), tuple(s["pue"]),
            tuple(np.isfinite(s["it_capacity_mw"].to_numpy())),
            tuple(net.sources.index), tuple(net.sources["node"]),
            tuple(arcs.index), tuple(arcs["from"]), tuple(arcs["to"]),
            tuple(arcs["efficiency"]), tuple(ld.index), tuple(ld["from"]), tuple(ld["to"]),
            tuple(ld["latency_ms"]), tuple(np.isfinite(ld["bandwidth_gbps"].to_numpy())),
            tuple(net.classes.index), tuple(net.classes["data_intensity_tb_per_mwh"]),
            tuple(net.classes["max_latency_ms"]), tuple(net.classes["deferrable"]),
            tuple(net.periods["window"]),
            tuple(net.periods["weight_h"]) if net.classes["deferrable"].any() else (),
            tuple(map(tuple, pairs.to_numpy())))


def _with_shortfall(b: LPBuilder, relax: bool, name: str, labels: pd.DataFrame,
                    rows, cols, values, sign: float):
    """Append one shortfall column per row (coefficient ``sign``) when relaxing."""
    if not relax:
        return rows, cols, values
    n = len(labels)
    blk = b.add_variables(name, labels, cost=0.0)
    return (np.concatenate([rows, np.arange(n)]),
            np.concatenate([cols, blk.start + np.arange(n)]),
            np.concatenate([values, np.full(n, sign)]))


def _windows(net: Network) -> tuple[np.ndarray, pd.Index, np.ndarray]:
    """Window of each period (a blank window is the period alone), the windows, and
    each period's share of its window's hours."""
    p = net.periods
    win = np.where(p["window"].to_numpy() == "", p.index.to_numpy(), p["window"].to_numpy())
    ids = pd.Index(pd.unique(win))
    of_t = ids.get_indexer(win)
    w = p["weight_h"].to_numpy(dtype=float)
    return of_t, ids, w / np.bincount(of_t, weights=w)[of_t]


def _placement_options(net: Network, pairs: pd.DataFrame,
                       per_pair: int) -> tuple[pd.DataFrame, Routes]:
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


def formulate(net: Network, *, allow_unserved: bool | None = None,
              routes_per_pair: int | None = None, relax: bool = False,
              timings: dict | None = None) -> Formulation:
    """Assemble the placement LP of a network.

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
    periods = net.periods.index
    T = len(periods)
    pairs = _positive_pairs(net)
    P = len(pairs)
    opt, routes = _placement_options(net, pairs, per_pair)
    t_routes = time.perf_counter()
    O = len(opt)
    delta = net.classes["data_intensity_tb_per_mwh"].loc[opt["class"]].to_numpy()
    pue = net.sites["pue"].loc[opt["site"]].to_numpy()
    b = LPBuilder()
    t_of = np.repeat(np.arange(T), O)
    o_of = np.tile(np.arange(O), T)

    # -- variables (costs and bounds are filled in by data_vectors) ----------------------
    x = b.add_variables("x", _period_major(np.arange(O), periods, ["option"]), cost=0.0)
    if allow:
        u = b.add_variables("u", _pair_labels(pairs, periods), cost=0.0)
    src = net.sources
    J = len(src)
    g = b.add_variables("g", _period_major(src.index.to_numpy(), periods, ["source"]),
                        cost=0.0)
    arcs = net.power_arcs
    A_ = len(arcs)
    f = b.add_variables("f", _period_major(arcs.index.to_numpy(), periods, ["arc"]),
                        cost=0.0)
    # build-out: continuous expansion, and open/close binaries for candidate sites
    sites = net.sites
    grow_sites = sites.index[sites["max_it_capacity_mw"].notna().to_numpy()]
    cand_sites = sites.index[sites["fixed_cost_year"].notna().to_numpy()]
    site_build = b.add_variables("site_build", pd.DataFrame({"site": grow_sites}), cost=0.0)
    open_ = b.add_variables("open", pd.DataFrame({"site": cand_sites}), cost=0.0, upper=1.0,
                            integer=True)

    # -- demand: sum_o x + u = D ---------------------------------------------------------
    pair_of = opt["pair"].to_numpy()
    rows = [t_of * P + pair_of[o_of]]
    cols = [x.start + np.arange(O * T)]
    if allow:
        rows.append(np.arange(P * T))
        cols.append(u.start + np.arange(P * T))
    r, c = np.concatenate(rows), np.concatenate(cols)
    b.add_constraints("demand", _pair_labels(pairs, periods), r, c, np.ones(len(r)), 0, 0)

    # -- deferrable work: its energy over each window, in average MW of the window -------
    win_of_t, win_ids, share = _windows(net)
    dp = np.flatnonzero(net.classes["deferrable"].loc[pairs["class"]].to_numpy())
    rank = np.full(P, -1)
    rank[dp] = np.arange(len(dp))
    od = rank[pair_of]
    sel = np.flatnonzero(od[o_of] >= 0)  # x columns of deferrable pairs
    r = [win_of_t[t_of[sel]] * len(dp) + od[o_of[sel]]]
    c = [x.start + sel]
    v = [share[t_of[sel]]]
    if allow:
        tp = np.repeat(np.arange(T), len(dp))
        r.append(win_of_t[tp] * len(dp) + np.tile(np.arange(len(dp)), T))
        c.append(u.start + tp * P + np.tile(dp, T))
        v.append(share[tp])
    b.add_constraints("demand_window", pd.DataFrame({
        "origin": np.tile(pairs["node"].to_numpy(dtype=object)[dp], len(win_ids)),
        "class": np.tile(pairs["class"].to_numpy(dtype=object)[dp], len(win_ids)),
        "window": np.repeat(win_ids.to_numpy(dtype=object), len(dp))}),
        np.concatenate(r), np.concatenate(c), np.concatenate(v), 0, 0)

    # -- site capacity: sum_o x <= C -----------------------------------------------------
    finite = net.sites.index[np.isfinite(net.sites["it_capacity_mw"].to_numpy())]
    S = len(finite)
    s_idx = pd.Series(np.arange(S), index=finite).reindex(opt["site"]).to_numpy()
    sel = np.tile(~np.isnan(s_idx), T)
    site_labels = _period_major(finite.to_numpy(), periods, ["site"])
    r = t_of[sel] * S + np.tile(np.nan_to_num(s_idx).astype(np.int64), T)[sel]
    c = x.start + np.flatnonzero(sel)
    v = np.ones(len(r))
    # - built capacity (every period), - capacity x open for candidates
    gi, ci = finite.get_indexer(grow_sites), finite.get_indexer(cand_sites)
    tG, tC = np.repeat(np.arange(T), len(gi)), np.repeat(np.arange(T), len(ci))
    r = np.concatenate([r, tG * S + np.tile(gi, T), tC * S + np.tile(ci, T)])
    c = np.concatenate([c, site_build.start + np.tile(np.arange(len(gi)), T),
                        open_.start + np.tile(np.arange(len(ci)), T)])
    v = np.concatenate([v, -np.ones(len(gi) * T),
                        np.tile(-sites.loc[cand_sites, "it_capacity_mw"].to_numpy(), T)])
    r, c, v = _with_shortfall(b, relax, "site_shortfall", site_labels, r, c, v, -1.0)
    b.add_constraints("site_capacity", site_labels, r, c, v, -np.inf, 0)

    # -- bandwidth per link and direction: sum beta_k x <= B -----------------------------
    # hops over finite-bandwidth links, joined to the options that use their route
    bw = net.link_data["bandwidth_gbps"]
    hops = routes.hops
    finite_links = bw.index[np.isfinite(bw.to_numpy())]
    lim = hops[hops["link"].isin(finite_links)]
    use = pd.DataFrame({"option": np.arange(O), "route": opt["route"].to_numpy()}).merge(
        lim, on="route")
    used = use[["link", "direction"]]
    keys = used.drop_duplicates().sort_values(["link", "direction"]).reset_index(drop=True)
    L = len(keys)
    li = (pd.MultiIndex.from_frame(keys).get_indexer(pd.MultiIndex.from_frame(used))
          if L else np.zeros(0, dtype=np.int64))
    lo = use["option"].to_numpy(dtype=np.int64)
    n_used = len(lo)
    bw_labels = pd.DataFrame({
        "link": np.tile(keys["link"].to_numpy(dtype=object), T),
        "direction": np.tile(keys["direction"].to_numpy(), T),
        "period": np.repeat(periods.to_numpy(dtype=object), L)})
    grow = net.link_data["max_bandwidth_gbps"].notna()
    grow_links = pd.Index(keys["link"][keys["link"].isin(grow.index[grow])].unique())
    link_build = b.add_variables("link_build", pd.DataFrame({"link": grow_links}), cost=0.0)
    kb = np.flatnonzero(keys["link"].isin(grow_links).to_numpy())  # rows that may grow
    tK = np.repeat(np.arange(T), len(kb))
    r = np.concatenate([np.repeat(np.arange(T), n_used) * L + np.tile(li, T),
                        tK * L + np.tile(kb, T)])
    c = np.concatenate([x.start + np.repeat(np.arange(T), n_used) * O + np.tile(lo, T),
                        link_build.start + np.tile(grow_links.get_indexer(
                            keys["link"].to_numpy()[kb]), T)])
    v = np.concatenate([np.tile((delta / TB_PER_GBPS_HOUR)[lo], T), -np.ones(len(kb) * T)])
    r, c, v = _with_shortfall(b, relax, "bandwidth_shortfall", bw_labels, r, c, v, -1.0)
    b.add_constraints("bandwidth", bw_labels, r, c, v, -np.inf, 0)

    # -- expandable lines: f - built <= capacity (others keep a plain bound on f) ---------
    lines = net.power_lines
    grow_lines = lines.index[lines["max_capacity_mw"].notna().to_numpy()]
    line_build = b.add_variables("line_build", pd.DataFrame({"line": grow_lines}), cost=0.0)
    ga = np.flatnonzero(arcs["line"].isin(grow_lines).to_numpy())
    tL = np.repeat(np.arange(T), len(ga))
    nG = len(ga)
    b.add_constraints("line_capacity",
                      _period_major(arcs.index.to_numpy()[ga], periods, ["arc"]),
                      np.concatenate([np.arange(nG * T), np.arange(nG * T)]),
                      np.concatenate([f.start + tL * A_ + np.tile(ga, T),
                                      line_build.start + np.tile(grow_lines.get_indexer(
                                          arcs["line"].to_numpy()[ga]), T)]),
                      np.concatenate([np.ones(nG * T), -np.ones(nG * T)]), -np.inf, 0)

    # -- power balance: g + eta f_in - f_out - PUE x = 0 ---------------------------------
    nodes = pd.Index(pd.unique(np.concatenate([
        net.sites["node"].to_numpy(dtype=object), src["node"].to_numpy(dtype=object),
        arcs["from"].to_numpy(dtype=object), arcs["to"].to_numpy(dtype=object)])))
    N = len(nodes)
    n_of_x = nodes.get_indexer(net.sites["node"].loc[opt["site"]])
    n_of_g = nodes.get_indexer(src["node"])
    n_from, n_to = nodes.get_indexer(arcs["from"]), nodes.get_indexer(arcs["to"])
    tJ, tA = np.repeat(np.arange(T), J), np.repeat(np.arange(T), A_)
    eta = arcs["efficiency"].to_numpy()
    r = np.concatenate([t_of * N + n_of_x[o_of], tJ * N + np.tile(n_of_g, T),
                        tA * N + np.tile(n_from, T), tA * N + np.tile(n_to, T)])
    c = np.concatenate([x.start + np.arange(O * T), g.start + np.arange(J * T),
                        f.start + np.arange(A_ * T), f.start + np.arange(A_ * T)])
    v = np.concatenate([-pue[o_of], np.ones(J * T), -np.ones(A_ * T), np.tile(eta, T)])
    node_labels = _period_major(nodes.to_numpy(), periods, ["node"])
    r, c, v = _with_shortfall(b, relax, "power_shortfall", node_labels, r, c, v, 1.0)
    b.add_constraints("balance", node_labels, r, c, v, 0.0, 0.0)

    lp = b.build(objective_scale=float(net.periods["weight_h"].sum()), name=s.name)
    form = Formulation(lp, opt, pairs.rename(columns={"node": "origin"}),
                       np.zeros((T, P)), net.periods["weight_h"], allow, routes,
                       finite, keys, relax, _structure(net, per_pair, allow, relax))
    vec = data_vectors(net, form)
    lp.c, lp.col_lower, lp.col_upper, lp.row_lower, lp.row_upper = vec
    form.demand = _demand_matrix(net, form)
    form.options["cost_per_tb"] = _route_costs(net, form)
    if timings is not None:
        timings["routes"] = t_routes - t_start
        timings["assembly"] = time.perf_counter() - t_routes
    return form


def _route_costs(net: Network, f: Formulation) -> np.ndarray:
    """Data cost per TB of each option's route, from the links' current prices."""
    h = f.routes.hops
    cost = net.link_data["cost_per_tb"].reindex(h["link"]).to_numpy()
    per_route = np.bincount(h["route"].to_numpy(dtype=np.int64), weights=cost,
                            minlength=len(f.routes.table))
    return per_route[f.options["route"].to_numpy(dtype=np.int64)]


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
    s = net.settings
    lp = f.lp
    periods = net.periods.index
    w = net.periods["weight_h"].to_numpy(dtype=float)
    scale = w / float(w.sum())  # cost of one MW in each period, per mean hour
    T, O, P = len(periods), len(f.options), len(f.pairs)
    c = np.zeros(lp.A.shape[1])
    col_lo = np.zeros(lp.A.shape[1])
    col_hi = np.full(lp.A.shape[1], np.inf)

    def put(block, cost=None, upper=None):
        blk = lp.variables[block]
        if cost is not None:
            c[blk.start:blk.stop] = cost
        if upper is not None:
            col_hi[blk.start:blk.stop] = upper

    delta = net.classes["data_intensity_tb_per_mwh"].loc[f.options["class"]].to_numpy()
    put("x", cost=np.repeat(scale, O) * np.tile(delta * _route_costs(net, f), T))
    if "u" in lp.variables:
        put("u", cost=np.repeat(scale, P) * s.value_of_lost_load)
    src = net.sources
    avail = net.availability_matrix.loc[src.index, periods].to_numpy().T  # T x J
    cap = src["capacity_mw"].to_numpy()
    unit = src["marginal_cost"].to_numpy() + s.carbon_price * src["emissions"].to_numpy()
    # unlimited x unavailable would be inf x 0 = NaN (and a numpy warning): multiply only
    # where the source is available at all
    on = avail > 0
    g_upper = np.zeros(avail.shape)
    g_upper[on] = np.broadcast_to(cap, avail.shape)[on] * avail[on]
    put("g", cost=np.repeat(scale, len(src)) * np.tile(unit, T), upper=g_upper.ravel())
    arcs = net.power_arcs
    lines = net.power_lines
    grows = arcs["line"].map(lines["max_capacity_mw"].notna()).to_numpy(dtype=bool)
    put("f", cost=np.repeat(scale, len(arcs)) * np.tile(arcs["tariff"].to_numpy(), T),
        upper=np.tile(np.where(grows, np.inf, arcs["capacity_mw"].to_numpy()), T))
    # build-out, annualised: a cost per year is cost / 8760 per hour (LP units)
    sites, ld, capex = net.sites, net.link_data, net.annual_capex
    lab = lp.variables["site_build"].labels["site"]
    put("site_build", cost=capex["sites"].loc[lab].to_numpy() / 8760,
        upper=(sites.loc[lab, "max_it_capacity_mw"] - sites.loc[lab, "it_capacity_mw"]).to_numpy())
    lab = lp.variables["open"].labels["site"]
    put("open", cost=sites.loc[lab, "fixed_cost_year"].to_numpy() / 8760, upper=1.0)
    lab = lp.variables["link_build"].labels["link"]
    put("link_build", cost=capex["backbone_links"].loc[lab].to_numpy() / 8760,
        upper=(ld.loc[lab, "max_bandwidth_gbps"] - ld.loc[lab, "bandwidth_gbps"]).to_numpy())
    lab = lp.variables["line_build"].labels["line"]
    put("line_build", cost=capex["power_lines"].loc[lab].to_numpy() / 8760,
        upper=(lines.loc[lab, "max_capacity_mw"] - lines.loc[lab, "capacity_mw"]).to_numpy())
    if f.relax:  # phase one: only shortfalls (and unserved demand) cost anything
        c[:] = 0.0
        for name in ("site_shortfall", "bandwidth_shortfall", "power_shortfall"):
            blk = lp.variables[name]
            c[blk.start:blk.stop] = np.repeat(scale, blk.size // T if T else 0)
        if "u" in lp.variables:
            put("u", cost=np.repeat(scale, P) * s.value_of_lost_load)

    row_lo = np.zeros(lp.A.shape[0])
    row_hi = np.zeros(lp.A.shape[0])
    lab = lp.constraints["demand"].labels
    blk = lp.constraints["demand"]
    d = _demand_of(net, lab)
    defer = net.classes["deferrable"].loc[lab["class"]].to_numpy()
    row_lo[blk.start:blk.stop] = np.where(defer, -np.inf, d)
    row_hi[blk.start:blk.stop] = np.where(defer, np.inf, d)
    blk = lp.constraints["demand_window"]
    if blk.size:  # average MW over each window: sum over its periods of share x demand
        of_t, ids, share = _windows(net)
        P = len(f.pairs)
        dmat = d.reshape(T, P) * share[:, None]
        per_window = np.zeros((len(ids), P))
        np.add.at(per_window, of_t, dmat)
        wl = blk.labels
        pidx = pd.MultiIndex.from_frame(f.pairs[["origin", "class"]]).get_indexer(
            pd.MultiIndex.from_frame(wl[["origin", "class"]]))
        rhs = per_window[ids.get_indexer(wl["window"]), pidx]
        row_lo[blk.start:blk.stop] = row_hi[blk.start:blk.stop] = rhs
    blk = lp.constraints["site_capacity"]
    row_lo[blk.start:blk.stop] = -np.inf
    rows = net.sites.loc[f.site_rows]
    row_hi[blk.start:blk.stop] = np.tile(np.where(rows["fixed_cost_year"].notna(), 0.0,
                                                  rows["it_capacity_mw"].to_numpy()), T)
    blk = lp.constraints["line_capacity"]
    row_lo[blk.start:blk.stop] = -np.inf
    row_hi[blk.start:blk.stop] = arcs["capacity_mw"].reindex(
        blk.labels["arc"]).to_numpy()
    blk = lp.constraints["bandwidth"]
    row_lo[blk.start:blk.stop] = -np.inf
    row_hi[blk.start:blk.stop] = np.tile(
        net.link_data["bandwidth_gbps"].reindex(f.bandwidth_keys["link"]).to_numpy(), T)
    return Vectors(c, col_lo, col_hi, row_lo, row_hi)


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
    options = f.options.assign(cost_per_tb=_route_costs(net, f))
    g = replace(f, lp=lp, options=options, weights=net.periods["weight_h"])
    g.demand = _demand_matrix(net, g)
    return g


def _demand_of(net: Network, labels: pd.DataFrame) -> np.ndarray:
    """Demand in MW_IT for (origin, class, period) labels; 0 where none is given."""
    dem = net.demand_by_period
    val = pd.Series(dem["mw_it"].to_numpy(),
                    index=pd.MultiIndex.from_frame(dem[["node", "class", "period"]]))
    key = pd.MultiIndex.from_frame(labels[["origin", "class", "period"]])
    return val.reindex(key).fillna(0.0).to_numpy()


def _demand_matrix(net: Network, f: Formulation) -> np.ndarray:
    """Demand in MW_IT, periods x pairs."""
    d = _demand_of(net, f.lp.constraints["demand"].labels)
    return d.reshape(len(net.periods), len(f.pairs))
