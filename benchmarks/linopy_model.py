"""netopt's placement LP written with linopy, the way a linopy user would write it.

Only the model building differs from netopt: the index sets (demand pairs, placement
options and their routes) come from netopt's own `assembly.Model`, and every
coefficient from the network's tables by the same arithmetic as netopt's components
(docs/model.md numbers the equations). What linopy builds is labelled xarray variables
(``coords=[periods, options]``), expressions summed with ``groupby``, constraints and an
objective, solved through linopy's HiGHS interface.

It covers the generated LP family of benchmarks/run.py (``netopt.generate``): placement
x, unserved u, generation g, line flows f; constraints (1) demand, (3) site capacity
and (6) power balance. Networks with builds, candidate sites, deferrable windows or
finite link bandwidth are refused (`check_family`) rather than modelled half.

Variables are indexed (period, item), so linopy numbers them period-major, as netopt
does: the two matrices can be compared entry by entry (`compare_matrices`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["sets", "check_family", "build", "compare_matrices"]


def sets(net):
    """netopt's index sets of ``net``: pairs, options and routes (`assembly.Model`)."""
    from netopt.model.assembly import Model
    s = net.settings
    return Model(net, s.allow_unserved, int(s.routes_per_pair), False)


def check_family(net) -> None:
    """Refuse what this linopy model does not write: (2), (4), (5) and build columns."""
    bad = []
    if net.classes["deferrable"].any():
        bad.append("deferrable classes (2)")
    if np.isfinite(net.link_data["bandwidth_gbps"].to_numpy()).any():
        bad.append("finite link bandwidth (4)")
    if net.power_lines["max_capacity_mw"].notna().any():
        bad.append("expandable lines (5)")
    if (net.sites["max_it_capacity_mw"].notna().any()
            or net.sites["fixed_cost_year"].notna().any()):
        bad.append("site build-out or candidate sites")
    if bad:
        raise NotImplementedError("linopy benchmark model lacks: " + ", ".join(bad))


def build(net, m_sets=None):
    """The linopy Model of ``net``'s placement LP (costs per mean hour, as netopt).

    Returns (model, m_sets); ``m_sets`` is netopt's `assembly.Model` used for the sets.
    """
    import linopy
    import xarray as xr
    from netopt.model.assembly import demand_of
    from netopt.model.components.placement import route_costs

    check_family(net)
    ms = sets(net) if m_sets is None else m_sets
    opt, sites, src, arcs = ms.options, net.sites, net.sources, net.power_arcs
    T, P = ms.T, ms.P

    # -- coordinates ------------------------------------------------------------------
    periods = pd.Index(net.periods.index, name="period")
    options = pd.RangeIndex(len(opt), name="option")
    pairs = pd.RangeIndex(P, name="pair")
    sources = pd.Index(src.index, name="source")
    arc_ix = pd.Index(arcs.index, name="arc")
    finite = sites.index[np.isfinite(sites["it_capacity_mw"].to_numpy())]
    # the nodes of the balance, in netopt's order: sites', sources', arcs' ends
    nodes = pd.Index(pd.unique(np.concatenate([
        sites["node"].to_numpy(dtype=object), src["node"].to_numpy(dtype=object),
        arcs["from"].to_numpy(dtype=object), arcs["to"].to_numpy(dtype=object)])))

    def per(values, index):
        return xr.DataArray(np.asarray(values), coords=[index])

    def group(values, index, name):
        """Positions in a sorted set, so that groupby keeps netopt's row order."""
        return xr.DataArray(np.asarray(values, dtype=np.int64), coords=[index], name=name)

    def over(expr, dim, n):
        """A grouped sum on every position 0..n-1 of ``dim`` (0 where a group is
        empty): operands then align by label, not by linopy's legacy rules."""
        return expr.reindex({dim: pd.RangeIndex(n, name=dim)}).fillna(0)

    # -- data (the components' `fill`) --------------------------------------------------
    w = net.periods["weight_h"].to_numpy(dtype=float)
    scale = per(w / w.sum(), periods)                      # cost of 1 MW per mean hour
    delta = net.classes["data_intensity_tb_per_mwh"].loc[opt["class"]].to_numpy()
    c_x = scale * per(delta * route_costs(net, ms), options)            # (C1)
    s = net.settings
    c_g = scale * per(src["marginal_cost"].to_numpy()
                      + s.carbon_price * src["emissions"].to_numpy(), sources)  # (C2)
    c_f = scale * per(arcs["tariff"].to_numpy(), arc_ix)                # (C3)
    avail = net.availability_matrix.loc[src.index, periods].to_numpy().T  # T x J
    on = avail > 0
    g_up = np.zeros(avail.shape)
    g_up[on] = np.broadcast_to(src["capacity_mw"].to_numpy(), avail.shape)[on] * avail[on]
    f_up = np.broadcast_to(arcs["capacity_mw"].to_numpy(dtype=float), (T, len(arcs)))
    D = demand_of(net, ms.pair_labels).reshape(T, P)

    # -- the model ----------------------------------------------------------------------
    m = linopy.Model()
    x = m.add_variables(lower=0, coords=[periods, options], name="x")
    u = (m.add_variables(lower=0, coords=[periods, pairs], name="u")
         if ms.allow_unserved else None)
    g = m.add_variables(lower=0, upper=xr.DataArray(g_up, coords=[periods, sources]),
                        name="g")                                        # (B1)
    f = m.add_variables(lower=0, upper=xr.DataArray(f_up, coords=[periods, arc_ix]),
                        name="f")                                        # (B2)

    # (1) demand: sum_{s,p} x[r,k,s,p,t] + u[r,k,t] = D[r,k,t]
    served = over(x.groupby(group(opt["pair"], options, "pair")).sum(), "pair", P)
    m.add_constraints((served + u if u is not None else served)
                      == xr.DataArray(D, coords=[periods, pairs]), name="demand")

    # (3) site capacity: sum_{r,k,p} x[r,k,s,p,t] <= C_s
    at_site = over(x.groupby(group(finite.get_indexer(opt["site"]), options, "site")).sum(),
                   "site", len(finite))
    m.add_constraints(at_site <= per(sites.loc[finite, "it_capacity_mw"].to_numpy(),
                                     pd.RangeIndex(len(finite), name="site")),
                      name="site_capacity")

    # (6) balance: sum_j g + sum_in eta f - sum_out f - sum_o PUE x = 0
    site_node = sites["node"].loc[opt["site"]].to_numpy(dtype=object)
    pue = per(sites["pue"].loc[opt["site"]].to_numpy(), options)
    N = len(nodes)
    draw = over((pue * x).groupby(group(nodes.get_indexer(site_node), options, "node"))
                .sum(), "node", N)
    gen = over(g.groupby(group(nodes.get_indexer(src["node"]), sources, "node")).sum(),
               "node", N)
    sent = over(f.groupby(group(nodes.get_indexer(arcs["from"]), arc_ix, "node")).sum(),
                "node", N)
    got = over((per(arcs["efficiency"].to_numpy(), arc_ix) * f).groupby(
        group(nodes.get_indexer(arcs["to"]), arc_ix, "node")).sum(), "node", N)
    m.add_constraints(gen + got - sent - draw == 0, name="balance")

    # objective: (C1) + (C2) + (C3) + (C5)
    obj = (c_x * x).sum() + (c_g * g).sum() + (c_f * f).sum()
    if u is not None:
        obj = obj + (scale * s.value_of_lost_load * u).sum()
    m.add_objective(obj)
    return m, ms


def compare_matrices(m, lp) -> dict:
    """linopy's matrices against netopt's `LinearProgram`, entry by entry.

    Returns the largest differences; raises if shapes or sparsity patterns differ.
    """
    import scipy.sparse as sp
    M = m.matrices
    A = sp.csr_matrix(M.A)
    B = lp.A.tocsr()
    assert A.shape == B.shape, f"shape: linopy {A.shape}, netopt {B.shape}"
    A.sort_indices()
    B = B.copy()
    B.sort_indices()
    A.eliminate_zeros()
    assert np.array_equal(A.indptr, B.indptr) and np.array_equal(A.indices, B.indices), \
        "sparsity pattern differs"
    lower = np.where(M.sense != "<", M.b, -np.inf)
    upper = np.where(M.sense != ">", M.b, np.inf)

    def diff(a, b):
        a, b = np.asarray(a, float), np.asarray(b, float)
        assert np.array_equal(np.isinf(a), np.isinf(b)), "infinities differ"
        fin = np.isfinite(a)
        return float(np.max(np.abs(a[fin] - b[fin]), initial=0.0))

    return {"rows": A.shape[0], "cols": A.shape[1], "nnz": int(A.nnz),
            "A": diff(A.data, B.data), "c": diff(M.c, lp.c),
            "lb": diff(M.lb, lp.col_lower), "ub": diff(M.ub, lp.col_upper),
            "row_lower": diff(lower, lp.row_lower), "row_upper": diff(upper, lp.row_upper)}
