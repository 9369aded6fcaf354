"""Data-centre sites: IT capacity, which may grow (build-out) or belong to a candidate
site that is opened or not (open/close, a binary).

Variables ``site_build[s]`` and ``open[s]``; constraint (3) ``site_capacity`` per site
with finite capacity; cost term (C4) capital and fixed costs (docs/model.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...data.network import Network
from ..assembly import Fill, Model

__all__ = ["structure", "add_build_variables", "add_constraints", "fill"]


def structure(net: Network) -> tuple:
    s = net.sites
    cand = s["fixed_cost_year"].notna()
    return (tuple(s.index), tuple(s["node"]), tuple(s.index[cand]),
            tuple(s.loc[cand, "it_capacity_mw"]), tuple(s["max_it_capacity_mw"].notna()),
            tuple(np.isfinite(s["it_capacity_mw"].to_numpy())))


def add_build_variables(m: Model) -> None:
    s = m.net.sites
    m.add_once("site_build", pd.DataFrame(
        {"site": s.index[s["max_it_capacity_mw"].notna().to_numpy()]}))
    m.add_once("open", pd.DataFrame({"site": s.index[s["fixed_cost_year"].notna().to_numpy()]}),
               upper=1.0, integer=True)


def add_constraints(m: Model) -> None:
    # (3) site_capacity: sum_{r,k,p} x[r,k,s,p,t] - site_build[s] - C_s open[s] <= C_s
    #     (C_s on the right for a site that exists; 0 for a candidate, held by open[s])
    sites = m.net.sites
    finite = sites.index[np.isfinite(sites["it_capacity_mw"].to_numpy())]
    S = len(finite)
    build, open_ = m.var("site_build"), m.var("open")
    cand = open_.labels["site"]
    m.add_constraint("site_capacity", m.labels(finite.to_numpy(), "site"), [
        m.sum_options(finite.get_indexer(m.options["site"]), S),
        m.every_period(build, finite.get_indexer(build.labels["site"]), S, -1.0),
        m.every_period(open_, finite.get_indexer(cand), S,
                       -sites.loc[cand, "it_capacity_mw"].to_numpy())],
        -np.inf, 0, shortfall=("site_shortfall", -1.0))
    m.site_rows = finite


def fill(v: Fill) -> None:
    sites, capex = v.net.sites, v.net.annual_capex
    # (C4) annualised capital per MW_IT added, up to max_it_capacity_mw
    lab = v.var("site_build").labels["site"]
    v.cost("site_build", capex["sites"].loc[lab].to_numpy() / 8760)
    v.upper("site_build", (sites.loc[lab, "max_it_capacity_mw"]
                           - sites.loc[lab, "it_capacity_mw"]).to_numpy())
    # (C4) fixed cost per year of an opened candidate
    lab = v.var("open").labels["site"]
    v.cost("open", sites.loc[lab, "fixed_cost_year"].to_numpy() / 8760)
    v.upper("open", 1.0)
    rows = sites.loc[v.f.site_rows]
    v.bounds("site_capacity", -np.inf, np.tile(np.where(
        rows["fixed_cost_year"].notna(), 0.0, rows["it_capacity_mw"].to_numpy()), v.T))
