"""The placement LP of DESIGN.md section 2, assembled from a `Network` in one pass.

Variables (all >= 0, every block indexed period-major, i.e. column = t * n + i):

- ``x[o, t]``  MW_IT of placement option o = (origin, class, site, route) in period t;
- ``u[d, t]``  unserved MW_IT of demand pair d = (origin, class) (elastic mode only);
- ``g[j, t]``  generation of source j, at most capacity x availability;
- ``f[a, t]``  MW sent into power arc a, at most the line capacity; f x efficiency arrives.

Constraints: ``demand`` (served + unserved = demand), ``site_capacity``, ``bandwidth``
(per link and direction, finite links only), ``balance`` (power at each node).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .lp import LinearProgram, LPBuilder
from .network import Network
from .routes import candidate_routes

__all__ = ["Formulation", "formulate", "TB_PER_GBPS_HOUR"]

#: 1 Gbps for one hour carries 0.45 TB (3600 s x 1e9 bit / 8 / 1e12).
TB_PER_GBPS_HOUR = 0.45


@dataclass
class Formulation:
    """An assembled LP with the tables needed to read its solution back.

    Attributes
    ----------
    lp : LinearProgram
    options : DataFrame
        Placement candidates, one per x column within a period: origin, class, site,
        node, path, links, directions, latency_ms, cost_per_tb.
    pairs : DataFrame
        Demand pairs (origin, class), one per demand row within a period.
    demand : ndarray
        Demand in MW_IT, shape (periods, pairs).
    weights : Series
        Period weights in hours.
    option_links : DataFrame
        One row per (option, link) on the option's route: option, link, direction.
    """

    lp: LinearProgram
    options: pd.DataFrame
    pairs: pd.DataFrame
    demand: np.ndarray
    weights: pd.Series
    allow_unserved: bool
    option_links: pd.DataFrame


def _period_major(items: np.ndarray, periods: pd.Index, names: list[str]) -> pd.DataFrame:
    """Labels for a block of len(items) x len(periods), period-major."""
    n, T = len(items), len(periods)
    cols = {names[0]: np.tile(np.asarray(items), T) if n else []}
    cols["period"] = np.repeat(np.asarray(periods, dtype=object), n)
    return pd.DataFrame(cols)


def _with_shortfall(b: LPBuilder, relax: bool, name: str, labels: pd.DataFrame,
                    scale: np.ndarray, rows, cols, values, sign: float):
    """Append one shortfall column per row (coefficient ``sign``) when relaxing."""
    if not relax:
        return rows, cols, values
    n = len(labels)
    per_period = n // len(scale) if len(scale) else 0
    blk = b.add_variables(name, labels, cost=np.repeat(scale, per_period))
    return (np.concatenate([rows, np.arange(n)]),
            np.concatenate([cols, blk.start + np.arange(n)]),
            np.concatenate([values, np.full(n, sign)]))


def _placement_options(net: Network, pairs: pd.DataFrame, per_pair: int) -> pd.DataFrame:
    sla = net.classes["max_latency_ms"]
    cut = (pairs.assign(sla=sla.loc[pairs["class"]].to_numpy())
           .groupby("node", sort=False)["sla"].max().to_dict())
    routes = candidate_routes(net.link_data, cut, net.sites["node"].unique(), per_pair)
    sites = pd.DataFrame({"site": net.sites.index, "node": net.sites["node"].to_numpy()})
    opt = (pairs.rename(columns={"node": "origin"}).reset_index(names="pair")
           .merge(routes, on="origin").merge(sites, on="node"))
    ok = opt["latency_ms"].to_numpy() <= sla.loc[opt["class"]].to_numpy() * (1 + 1e-12)
    return opt[ok].sort_values(["pair", "site", "rank"], kind="stable").reset_index(drop=True)


def formulate(net: Network, *, allow_unserved: bool | None = None,
              routes_per_pair: int | None = None, relax: bool = False) -> Formulation:
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

    Returns
    -------
    Formulation
    """
    s = net.settings
    allow = s.allow_unserved if allow_unserved is None else bool(allow_unserved)
    per_pair = int(routes_per_pair or s.routes_per_pair)
    periods = net.periods.index
    w = net.periods["weight_h"].to_numpy(dtype=float)
    hours = float(w.sum())
    scale = w / hours  # cost weight of one MW in each period, in LP units (per mean hour)
    T = len(periods)

    dem = net.demand_by_period
    pairs = (dem.loc[dem["mw_it"] > 0, ["node", "class"]].drop_duplicates()
             .reset_index(drop=True))
    P = len(pairs)
    key = pd.MultiIndex.from_frame(dem[["node", "class", "period"]])
    val = pd.Series(dem["mw_it"].to_numpy(), index=key)
    grid = pd.MultiIndex.from_arrays([np.tile(pairs["node"].to_numpy(), T),
                                      np.tile(pairs["class"].to_numpy(), T),
                                      np.repeat(periods.to_numpy(), P)])
    demand = val.reindex(grid).fillna(0.0).to_numpy().reshape(T, P) if P else np.zeros((T, 0))

    opt = _placement_options(net, pairs, per_pair)
    O = len(opt)
    delta = net.classes["data_intensity_tb_per_mwh"].loc[opt["class"]].to_numpy()
    pue = net.sites["pue"].loc[opt["site"]].to_numpy()
    b = LPBuilder()
    t_of = np.repeat(np.arange(T), O)
    o_of = np.tile(np.arange(O), T)

    # -- variables ---------------------------------------------------------------------
    x = b.add_variables("x", _period_major(np.arange(O), periods, ["option"]),
                        cost=scale[t_of] * (delta * opt["cost_per_tb"].to_numpy())[o_of])
    if allow:
        u = b.add_variables("u", pd.DataFrame({
            "origin": np.tile(pairs["node"].to_numpy(dtype=object), T),
            "class": np.tile(pairs["class"].to_numpy(dtype=object), T),
            "period": np.repeat(periods.to_numpy(dtype=object), P)}),
            cost=np.repeat(scale, P) * s.value_of_lost_load)
    src = net.sources
    J = len(src)
    avail = net.availability_matrix.loc[src.index, periods].to_numpy().T  # T x J
    cap = src["capacity_mw"].to_numpy()
    g_upper = np.where(avail > 0, cap[None, :] * avail, 0.0).ravel()
    unit = src["marginal_cost"].to_numpy() + s.carbon_price * src["emissions"].to_numpy()
    g = b.add_variables("g", _period_major(src.index.to_numpy(), periods, ["source"]),
                        cost=np.repeat(scale, J) * np.tile(unit, T), upper=g_upper)
    arcs = net.power_arcs
    A_ = len(arcs)
    f = b.add_variables("f", _period_major(arcs.index.to_numpy(), periods, ["arc"]),
                        cost=np.repeat(scale, A_) * np.tile(arcs["tariff"].to_numpy(), T),
                        upper=np.tile(arcs["capacity_mw"].to_numpy(), T))

    # -- demand: sum_o x + u = D ---------------------------------------------------------
    pair_of = opt["pair"].to_numpy()
    rows = [t_of * P + pair_of[o_of]]
    cols = [x.start + np.arange(O * T)]
    if allow:
        rows.append(np.arange(P * T))
        cols.append(u.start + np.arange(P * T))
    r, c = np.concatenate(rows), np.concatenate(cols)
    b.add_constraints("demand", pd.DataFrame({
        "origin": np.tile(pairs["node"].to_numpy(dtype=object), T),
        "class": np.tile(pairs["class"].to_numpy(dtype=object), T),
        "period": np.repeat(periods.to_numpy(dtype=object), P)}),
        r, c, np.ones(len(r)), demand.ravel(), demand.ravel())

    # -- site capacity: sum_o x <= C -----------------------------------------------------
    finite = net.sites.index[np.isfinite(net.sites["it_capacity_mw"].to_numpy())]
    S = len(finite)
    s_idx = pd.Series(np.arange(S), index=finite).reindex(opt["site"]).to_numpy()
    has = ~np.isnan(s_idx)
    sel = np.tile(has, T)
    site_labels = _period_major(finite.to_numpy(), periods, ["site"])
    r = t_of[sel] * S + np.tile(np.nan_to_num(s_idx).astype(np.int64), T)[sel]
    c = x.start + np.flatnonzero(sel)
    r, c, v = _with_shortfall(b, relax, "site_shortfall", site_labels, scale, r, c,
                              np.ones(len(r)), -1.0)
    b.add_constraints("site_capacity", site_labels, r, c, v, -np.inf,
                      np.tile(net.sites.loc[finite, "it_capacity_mw"].to_numpy(), T))

    # -- bandwidth per link and direction: sum beta_k x <= B -----------------------------
    n_links = opt["links"].map(len).to_numpy()
    flat_o = np.repeat(np.arange(O), n_links)
    flat_link = np.concatenate([np.asarray(v, dtype=object) for v in opt["links"]]
                               + [np.zeros(0, dtype=object)])
    flat_dir = np.concatenate([np.asarray(v, dtype=np.int64) for v in opt["directions"]]
                              + [np.zeros(0, dtype=np.int64)])
    bw = net.link_data["bandwidth_gbps"]
    limited = np.isfinite(bw.reindex(flat_link).to_numpy()) if len(flat_link) else np.zeros(0, bool)
    used = pd.DataFrame({"link": flat_link[limited], "direction": flat_dir[limited]})
    keys = used.drop_duplicates().sort_values(["link", "direction"]).reset_index(drop=True)
    L = len(keys)
    li = (pd.MultiIndex.from_frame(keys).get_indexer(pd.MultiIndex.from_frame(used))
          if L else np.zeros(0, dtype=np.int64))
    lo = flat_o[limited]
    beta = (delta / TB_PER_GBPS_HOUR)[lo]
    n_used = len(lo)
    bw_labels = pd.DataFrame({
        "link": np.tile(keys["link"].to_numpy(dtype=object), T),
        "direction": np.tile(keys["direction"].to_numpy(), T),
        "period": np.repeat(periods.to_numpy(dtype=object), L)})
    r, c, v = _with_shortfall(b, relax, "bandwidth_shortfall", bw_labels, scale,
                              np.repeat(np.arange(T), n_used) * L + np.tile(li, T),
                              x.start + np.repeat(np.arange(T), n_used) * O + np.tile(lo, T),
                              np.tile(beta, T), -1.0)
    b.add_constraints("bandwidth", bw_labels, r, c, v, -np.inf,
                      np.tile(bw.loc[keys["link"]].to_numpy(), T))

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
    r, c, v = _with_shortfall(b, relax, "power_shortfall", node_labels, scale, r, c, v, 1.0)
    b.add_constraints("balance", node_labels, r, c, v, 0.0, 0.0)

    lp = b.build(objective_scale=hours, name=s.name)
    if relax:  # phase one: only the shortfalls cost anything
        for name in ("x", "g", "f"):
            lp.c[lp.variables[name].start:lp.variables[name].stop] = 0.0
    option_links = pd.DataFrame({"option": flat_o, "link": flat_link, "direction": flat_dir})
    return Formulation(lp, opt, pairs.rename(columns={"node": "origin"}), demand,
                       net.periods["weight_h"], allow, option_links)
