"""LP ranging from HiGHS: how far each cost and bound may move before the optimal
basis changes, labelled by the model's own names."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..errors import NetoptError, NotOptimalError
from ..model.formulation import Formulation, formulate, option_paths
from .results import Result
from .solvers import HighsModel

__all__ = ["ranging", "Ranging"]

_COST_UNITS = {"x": "currency/MWh_IT (data transport of the option)",
               "u": "currency/MWh_IT", "g": "currency/MWh", "f": "currency/MWh sent"}


class Ranging(NamedTuple):
    """Ranging of one optimal solution.

    ``costs``: one row per variable of the x (placement), u (unserved), g (generation)
    and f (power arc) blocks, with its labels, ``value``, ``cost`` and the interval
    ``[cost_low, cost_high]`` within which the current basis stays optimal — in
    currency per MWh of the period (x: the option's data cost per MWh of IT work).

    ``bounds``: one row per constraint (demand, site_capacity, bandwidth) and per
    variable bound (g: available generation, f: line capacity), with ``bound``, its
    ``dual`` (the change of total cost per unit rise of the bound, per hour: negative
    where more capacity saves money) and the interval ``[bound_low, bound_high]`` over
    which that dual holds, in MW_IT, Gbps or MW.
    """

    costs: pd.DataFrame
    bounds: pd.DataFrame


def _slack_aware(activity, bound, low, high, tol=1e-7):
    """Where an upper bound is slack, its interval is [activity, inf)."""
    with np.errstate(invalid="ignore"):  # inf bounds are never slack
        slack = np.isfinite(bound) & (activity < bound - tol * np.maximum(1.0, np.abs(bound)))
    return np.where(slack, activity, low), np.where(slack, np.inf, high)


def _whole(result: Result) -> Formulation:
    """The LP to range: a solve by windows keeps no matrix (each window had its own),
    so its monolithic LP is assembled anew, with the same options and routes."""
    f = result.formulation
    if result.decompose != "windows":
        return f
    m = int(f.routes.table.groupby(["origin", "node"]).size().max())
    whole = formulate(result.network, allow_unserved=f.allow_unserved, routes_per_pair=m)
    same = (whole.lp.shape == (len(f.lp.row_lower), len(f.lp.c))
            and np.allclose(whole.lp.c, f.lp.c, rtol=1e-9, atol=0))
    if not same:  # a guard: ranging another LP than the one solved would mislead
        raise NetoptError("could not rebuild the LP solved by windows for ranging; "
                          "solve with decompose='monolithic' and range that")
    return whole


def ranging(result: Result) -> Ranging:
    """Cost and bound ranging of an optimal result (HiGHS's sensitivity analysis).

    A result solved by windows is ranged on its whole LP, assembled anew (the windows
    kept no matrix): time and memory of a monolithic solve.

    Raises
    ------
    NotOptimalError
        If the result is not optimal.

    Examples
    --------
    >>> import netopt
    >>> r = ranging(netopt.solve(netopt.load("toy")))
    >>> line = r.bounds[r.bounds["block"] == "f"].iloc[0]
    >>> round(float(line["bound_high"]), 2)   # the line stops binding at 62.5 / 0.94 MW
    66.49
    """
    if not result.ok:
        raise NotOptimalError(f"ranging needs an optimal result; this one is "
                              f"'{result.status}'")
    if result.formulation.lp.is_mip:
        raise NetoptError("ranging is defined for LPs; this network opens or closes "
                          "sites (fixed_cost_year). Fix the sites it chose (set their "
                          "fixed_cost_year blank, drop the closed ones) and range that LP")
    f = _whole(result)
    lp = f.lp
    model = HighsModel(lp)
    out = model.solve()
    status, rg = model.h.getRanging()
    if not rg.valid:
        raise NotOptimalError(f"HiGHS gave no ranging ({status})")
    scale = lp.objective_scale
    w = f.weights

    def per_hour(labels):
        return scale / w.loc[labels["period"]].to_numpy()

    cost_dn, cost_up = np.asarray(rg.col_cost_dn.value_), np.asarray(rg.col_cost_up.value_)
    bnd_dn, bnd_up = np.asarray(rg.col_bound_dn.value_), np.asarray(rg.col_bound_up.value_)
    costs, bounds = [], []
    for name in ("x", "u", "g", "f"):
        if name not in lp.variables:
            continue
        blk = lp.variables[name]
        lab = blk.labels.copy()
        k = per_hour(lab)
        sl = slice(blk.start, blk.stop)
        if name == "x":
            opt = f.options.iloc[lab["option"].to_numpy()]
            lab = pd.DataFrame({"origin": opt["origin"].to_numpy(),
                                "class": opt["class"].to_numpy(),
                                "site": opt["site"].to_numpy(),
                                "route": option_paths(f,
                                                      result.network.link_data,
                                                      lab["option"].to_numpy()),
                                "period": lab["period"].to_numpy()})
        costs.append(lab.assign(block=name, value=out.x[sl], cost=lp.c[sl] * k,
                                cost_low=cost_dn[sl] * k, cost_high=cost_up[sl] * k))
        if name in ("g", "f"):
            upper = lp.col_upper[sl]
            finite = np.isfinite(upper)
            lo, hi = _slack_aware(out.x[sl], upper, bnd_dn[sl], bnd_up[sl])
            bounds.append(blk.labels[finite].assign(
                block=name, bound=upper[finite], dual=out.col_dual[sl][finite] * k[finite],
                bound_low=lo[finite], bound_high=hi[finite]))
    row_dn, row_up = np.asarray(rg.row_bound_dn.value_), np.asarray(rg.row_bound_up.value_)
    activity = lp.A @ out.x
    for name in ("demand", "site_capacity", "bandwidth"):
        blk = lp.constraints[name]
        if blk.size == 0:
            continue
        sl = slice(blk.start, blk.stop)
        lab = blk.labels
        rhs = np.where(np.isfinite(lp.row_upper[sl]), lp.row_upper[sl], lp.row_lower[sl])
        lo, hi = row_dn[sl], row_up[sl]
        if name != "demand":  # <= rows: a slack one may rise freely, fall to its activity
            lo, hi = _slack_aware(activity[sl], rhs, lo, hi)
        bounds.append(lab.assign(block=name, bound=rhs,
                                 dual=out.row_dual[sl] * per_hour(lab),
                                 bound_low=lo, bound_high=hi))
    return Ranging(pd.concat(costs, ignore_index=True),
                   pd.concat(bounds, ignore_index=True))
