"""Levelised cost of computing: every cost of a plan allocated to the work it serves.

A plan's cost has parts that belong to one placement (moving its data) and parts shared
by many (a data centre's capital, a power line, the electricity of a node). To quote a
cost per MWh of computing for each workload class, the shared parts are allocated:

- **moving data**: each placement's own transport cost;
- **site capital** (built capacity and opened candidate sites): each site's cost in
  proportion to the IT energy served there (a site built but unused spreads over all
  work);
- **bandwidth capital**: in proportion to each placement's data-transport cost (both
  grow with TB x km);
- **energy** (generation, carbon, line tariffs and line capital): at the average cost
  of the power its site's node uses in its period, traced along the lines by
  proportional sharing (power arriving at a node mixes with local generation; every
  MWh leaving it, to a site or into a line, carries the mix's average cost; a line
  adds its tariff and capital per MWh sent, and its losses raise the cost per MWh
  delivered);
- **energy of moving data** (docs/model.md, (6d)): each placement's draws at the nodes
  along its route, at the same average cost of the power used there, in ``energy``;
- **unserved** demand: its value of lost load, to the demand left unserved.
- **electric loads** (power, not computing) pay for their own power at the same average
  cost, and for what is shed; that is kept apart (``attrs["loads"]``).

The parts add up to the plan's total cost. This is an average (levelised) cost, not the
marginal one of `Result.demand_prices`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve

from ..solving.results import Result

__all__ = ["cost_by_demand", "levelised_cost", "average_energy_cost"]

PARTS = ("data_transport", "site_capital", "bandwidth_capital", "energy", "unserved")


def _spread(total: float, key: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """``total`` shared in proportion to ``key`` (or ``fallback`` where key is all 0)."""
    if total == 0:
        return np.zeros(len(key))
    for k in (key, fallback):
        s = float(k.sum())
        if s > 0:
            return total * k / s
    return np.zeros(len(key))


def cost_by_demand(result: Result) -> pd.DataFrame:
    """A plan's whole cost allocated to the demand it serves (see the module notes).

    Parameters
    ----------
    result : Result
        An optimal result.

    Returns
    -------
    DataFrame
        One row per origin and class: region (of the origin), mwh_it (served),
        unserved_mwh, one column per part (``data_transport``, ``site_capital``,
        ``bandwidth_capital``, ``energy``, ``unserved``; currency over the horizon) and
        ``total``. The totals add up to ``result.objective``, less what electric loads
        (`Result.loads`: power, not computing) pay for their power and shed load,
        which is ``attrs["loads"]`` (0 without loads).

    Examples
    --------
    >>> import netopt
    >>> r = netopt.solve(netopt.load("toy"))
    >>> t = cost_by_demand(r)
    >>> bool(abs(t["total"].sum() - r.objective) < 1e-6 * r.objective)
    True
    """
    net = result.network
    pl = result.placement.reset_index()  # flat copies: columns are added, keys read
    b = result.builds.reset_index()
    mwh = pl["mwh_it"].to_numpy()
    pl["data_transport"] = pl["data_cost"]

    site_cost = b[b["kind"].isin(["site", "open site"])].groupby("item")["cost"].sum()
    at_site = pl.groupby("site")["mwh_it"].sum()
    used = site_cost[site_cost.index.isin(at_site.index[at_site > 0])]
    share = mwh / at_site.reindex(pl["site"]).to_numpy()
    pl["site_capital"] = share * used.reindex(pl["site"]).fillna(0.0).to_numpy()
    pl["site_capital"] += _spread(float(site_cost.sum() - used.sum()), mwh, mwh)

    bw = float(b.loc[b["kind"] == "link", "cost"].sum())
    pl["bandwidth_capital"] = _spread(bw, pl["data_cost"].to_numpy(),
                                      pl["tb_moved"].to_numpy())

    drawn = mwh * net.sites["pue"].loc[pl["site"]].to_numpy()
    avg = average_energy_cost(result)
    pl["energy"] = drawn * avg.reindex(pd.MultiIndex.from_frame(
        pl[["node", "period"]])).fillna(0.0).to_numpy()

    parts = [p for p in PARTS if p != "unserved"]
    out = pl.groupby(["origin", "class"])[["mwh_it", *parts]].sum()
    te = result.transport_energy.reset_index()
    if len(te):  # moving data's energy, where it is drawn, at that node's average cost
        cost = te["energy_mwh"].to_numpy() * avg.reindex(pd.MultiIndex.from_frame(
            te[["node", "period"]])).fillna(0.0).to_numpy()
        moved = pd.Series(cost).groupby([te["origin"].to_numpy(),
                                         te["class"].to_numpy()]).sum()
        out["energy"] += moved.reindex(out.index, fill_value=0.0).to_numpy()
    un = result.unserved.groupby(level=["origin", "class"])[["mwh_it", "cost"]].sum()
    out = out.reindex(out.index.union(un.index), fill_value=0.0)
    out["unserved_mwh"] = un["mwh_it"].reindex(out.index, fill_value=0.0)
    out["unserved"] = un["cost"].reindex(out.index, fill_value=0.0)
    out["total"] = out[list(PARTS)].sum(axis=1)
    # electric loads (not computing) pay for their own power, at the same average cost,
    # and for what is shed: with them the totals add up to the objective
    ld = result.loads if len(net.loads) else None
    out.attrs["loads"] = 0.0 if ld is None else float(
        (ld["supplied_mwh"] * avg.reindex(ld.index).fillna(0.0)).sum()
        + ld["shed_cost"].sum())
    out = out.reset_index()
    out.insert(2, "region", net.nodes["region"].loc[out["origin"]].to_numpy())
    return out[["origin", "class", "region", "mwh_it", "unserved_mwh", *PARTS, "total"]]


def levelised_cost(result: Result, region: str | None = "east", *,
                   allocated: pd.DataFrame | None = None) -> pd.Series:
    """Cost per MWh of IT work served, per class, for demand from one region.

    Parameters
    ----------
    result : Result
    region : str or None
        Count demand whose origin node has this ``region`` (default ``east``: the
        eastern computing the programme is about); None counts every origin. A network
        without that region counts every origin.
    allocated : DataFrame, optional
        ``cost_by_demand(result)`` when the caller has it already.

    Returns
    -------
    Series
        Indexed by class, plus ``all classes``: allocated cost (without unserved
        demand) / served MWh_IT, in currency per MWh_IT; NaN where nothing is served.
    """
    t = cost_by_demand(result) if allocated is None else allocated
    if region is not None and (t["region"] == region).any():
        t = t[t["region"] == region]
    paid = t[[p for p in PARTS if p != "unserved"]].sum(axis=1)
    by = pd.DataFrame({"cost": paid, "mwh": t["mwh_it"], "class": t["class"]})
    g = by.groupby("class")[["cost", "mwh"]].sum()
    g.loc["all classes"] = g.sum()
    out = (g["cost"] / g["mwh"].where(g["mwh"] > 0)).astype(float)
    out.name = f"{result.network.settings.currency}/MWh_IT"
    return out


def average_energy_cost(result: Result) -> pd.Series:
    """Average cost of the power used at each node and period, by proportional sharing.

    For node n in period t with local generation G (cost C, carbon included) and power
    arriving over lines l (sent f_l, efficiency eta_l, tariff and capital tau_l per MWh
    sent), the average cost a_n per MWh solves

        a_n (G_n + sum_l eta_l f_l) = C_n + sum_l (a_from(l) + tau_l) f_l,

    one linear system per period. Line capital is spread over the MWh the line sends
    over the horizon.

    Returns
    -------
    Series
        Indexed by (node, period), currency per MWh; 0 where a node uses no power.
    """
    net = result.network
    periods = net.periods.index
    src, pw = result.sources.reset_index(), result.power_lines.reset_index()
    nodes = net.nodes.index
    N, T = len(nodes), len(periods)
    key = lambda n, t: nodes.get_indexer(n) * T + periods.get_indexer(t)  # noqa: E731
    gen = np.zeros(N * T)
    cost = np.zeros(N * T)
    np.add.at(gen, key(src["node"], src["period"]), src["generation_mwh"].to_numpy())
    np.add.at(cost, key(src["node"], src["period"]),
              (src["energy_cost"] + src["carbon_cost"]).to_numpy())
    b = result.builds["cost"]
    line_cap = b[b.index.get_level_values("kind") == "line"].droplevel("kind")
    sent_total = pw.groupby("line")["sent_mwh"].sum()
    per_mwh = (line_cap / sent_total.reindex(line_cap.index)).replace(np.inf, 0.0)
    live = pw[pw["sent_mwh"] > 0]
    sent = live["sent_mwh"].to_numpy()
    to, frm = key(live["to"], live["period"]), key(live["from"], live["period"])
    np.add.at(cost, to, live["tariff_cost"].to_numpy()
              + sent * per_mwh.reindex(live["line"]).fillna(0.0).to_numpy())
    inflow = gen.copy()
    np.add.at(inflow, to, live["delivered_mwh"].to_numpy())
    idle = inflow <= 0
    diag = np.where(idle, 1.0, inflow)
    A = sp.csr_matrix((np.concatenate([diag, -sent]),
                       (np.concatenate([np.arange(N * T), to]),
                        np.concatenate([np.arange(N * T), frm]))), shape=(N * T, N * T))
    a = spsolve(A.tocsc(), np.where(idle, 0.0, cost)) if N * T else np.zeros(0)
    return pd.Series(np.atleast_1d(a), index=pd.MultiIndex.from_product(
        [nodes, periods], names=["node", "period"]), name="price")
