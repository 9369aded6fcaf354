"""Demand and placement: where each workload runs, and what is left unserved.

Variables: ``x[o, t]`` MW_IT of placement option o = (origin r, class k, site s,
route p) in period t; ``u[d, t]`` unserved MW_IT of demand pair d = (r, k) (elastic
mode only). Constraint (1) ``demand``; cost terms (C1) data transport and (C5)
unserved demand; power term (6a): a site draws ``PUE x`` (docs/model.md).
"""

from __future__ import annotations

import numpy as np

from ...data.network import Network
from ..assembly import Fill, Model

__all__ = ["structure", "add_variables", "add_constraints", "power_nodes", "power_terms",
           "fill", "route_costs"]


def structure(net: Network) -> tuple:
    """What the matrix depends on: classes' data intensity, latency limit and whether
    they are deferrable (which demand rows are windows); sites' PUE."""
    c, s = net.classes, net.sites
    return (tuple(c.index), tuple(c["data_intensity_tb_per_mwh"]),
            tuple(c["max_latency_ms"]), tuple(c["deferrable"]), tuple(s["pue"]))


def add_variables(m: Model) -> None:
    m.add_per_period("x", np.arange(m.O), "option")
    if m.allow_unserved:
        m.b.add_variables("u", m.pair_labels, cost=0.0)


def add_constraints(m: Model) -> None:
    # (1) demand: sum_{s,p} x[r,k,s,p,t] + u[r,k,t] = D[r,k,t]  (bounds in `fill`)
    terms = [m.sum_options(m.options["pair"].to_numpy(), m.P)]
    if m.allow_unserved:
        terms.append(m.each_period(m.var("u"), np.arange(m.P), m.P))
    m.add_constraint("demand", m.pair_labels, terms, 0, 0)


def power_nodes(m: Model) -> list[np.ndarray]:
    """Nodes where placement draws power: every site's."""
    return [m.net.sites["node"].to_numpy(dtype=object)]


def power_terms(m: Model) -> list:
    # (6a) a site draws PUE_s x[o, t] at its node
    site = m.options["site"]
    return [m.at_nodes(m.var("x"), m.net.sites["node"].loc[site],
                       -m.net.sites["pue"].loc[site].to_numpy())]


def route_costs(net: Network, f) -> np.ndarray:
    """Data cost per TB of each option's route, from the links' current prices."""
    h = f.routes.hops
    cost = net.link_data["cost_per_tb"].reindex(h["link"]).to_numpy()
    per_route = np.bincount(h["route"].to_numpy(dtype=np.int64), weights=cost,
                            minlength=len(f.routes.table))
    return per_route[f.options["route"].to_numpy(dtype=np.int64)]


def fill(v: Fill) -> None:
    net, f = v.net, v.f
    # (C1) data transport: delta_k c_p per MW_IT of x; (C5) unserved: value of lost load
    delta = net.classes["data_intensity_tb_per_mwh"].loc[f.options["class"]].to_numpy()
    v.cost_per_mwh("x", delta * route_costs(net, f))
    if "u" in v.lp.variables:
        v.cost_per_mwh("u", net.settings.value_of_lost_load, phase_one=True)
    # (1) right-hand side D; deferrable classes are held by (2) instead
    lab = v.row("demand").labels
    defer = net.classes["deferrable"].loc[lab["class"]].to_numpy()
    v.bounds("demand", np.where(defer, -np.inf, v.demand), np.where(defer, np.inf, v.demand))
