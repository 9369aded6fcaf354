"""Why a strict plan is infeasible: a phase-one LP whose shortfalls name what is short."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import SolverError
from ..model.formulation import formulate
from ..data.network import Network
from .results import Result
from .solvers import Status, solve_lp

__all__ = ["diagnose", "explain"]

_TOL = 1e-6
_COLUMNS = ["constraint", "item", "period", "shortfall", "unit", "demand", "message"]
_BLOCKS = [  # (shortfall block, constraint, unit, label columns)
    ("site_shortfall", "site capacity", "MW_IT", ["site"]),
    ("bandwidth_shortfall", "bandwidth", "Gbps", ["link", "direction"]),
    ("power_shortfall", "power", "MW", ["node"]),
]


def diagnose(network: Network, routes_per_pair: int | None = None) -> pd.DataFrame:
    """What must give for every demand to be met.

    First, the elastic model (unserved demand priced at the value of lost load) says
    which demand cannot be met. Then a phase-one LP puts a shortfall variable on every
    site-capacity, bandwidth and power-balance row and minimises their sum (weighted by
    period hours): the shortfalls left are one least set of extra site capacity,
    bandwidth and power that would make the strict plan feasible. Where several fixes
    are equally small, one is shown.

    Parameters
    ----------
    network : Network
    routes_per_pair : int, optional
        As in `formulate`.

    Returns
    -------
    DataFrame
        One row per shortfall: ``constraint`` (demand, load — an electric load that
        cannot be supplied —, site capacity, bandwidth, power),
        ``item`` (site, link or node), ``period``, ``shortfall`` and ``unit``,
        ``demand`` (the origin/class pairs relying on it) and a readable ``message``.
        Empty if the strict plan is feasible.

    Examples
    --------
    >>> import netopt, pandas as pd
    >>> net = netopt.load("toy")
    >>> big = netopt.Network(**{**net.tables, "demand": pd.DataFrame(
    ...     {"node": ["east"], "class": ["interactive"], "mw_it": [80.0]})},
    ...     settings=net.settings)
    >>> diagnose(big)[["constraint", "item", "shortfall"]].to_dict("records")
    [{'constraint': 'demand', 'item': 'interactive@east', 'shortfall': 20.0}, \
{'constraint': 'site capacity', 'item': 'dc_east', 'shortfall': 20.0}]
    """
    f = formulate(network, allow_unserved=False, routes_per_pair=routes_per_pair,
                  relax=True)
    out = solve_lp(f.lp, "highs")
    if out.status is not Status.OPTIMAL:
        raise SolverError(f"the diagnosis LP did not solve: {out.message}")
    lp = f.lp
    if out.objective <= _TOL * max(1.0, float(np.abs(lp.c).max(initial=0.0))):
        return pd.DataFrame(columns=_COLUMNS)
    rows = _unserved(network, routes_per_pair)
    x = lp.variables["x"].take(out.x)
    xl = lp.variables["x"].labels
    used = f.options.iloc[xl["option"].to_numpy()].reset_index(drop=True).assign(
        period=xl["period"].to_numpy(), mw=x)
    used = used[used["mw"] > _TOL]
    lbp = network.loads_by_period
    loaded = set(zip(lbp.loc[lbp["mw"] > 0, "node"], lbp.loc[lbp["mw"] > 0, "period"]))
    for block, constraint, unit, cols in _BLOCKS:
        if block not in lp.variables:
            continue
        blk = lp.variables[block]
        v = blk.take(out.x)
        for i in np.flatnonzero(v > _TOL):
            lab = blk.labels.iloc[i]
            item, period = lab[cols[0]], lab["period"]
            here = used[used["period"] == period]
            if constraint == "site capacity":
                here = here[here["site"] == item]
            elif constraint == "bandwidth":
                hops = f.routes.hops
                here = here[here["route"].isin(hops.loc[hops["link"] == item, "route"])]
            else:
                here = here[here["node"] == item]
            pairs = sorted({f"{k}@{o}" for o, k in zip(here["origin"], here["class"])})
            if constraint == "power" and (item, period) in loaded:
                pairs.append(f"load@{item}")  # the node's electric load relies on it too
            rows.append({"constraint": constraint, "item": item, "period": period,
                         "shortfall": float(v[i]), "unit": unit, "demand": ", ".join(pairs),
                         "message": _message(network, constraint, item, period, v[i],
                                             unit, pairs)})
    return pd.DataFrame(rows, columns=_COLUMNS)


def _unserved(network: Network, routes_per_pair) -> list[dict]:
    """Demand the elastic model leaves unserved."""
    f = formulate(network, allow_unserved=True, routes_per_pair=routes_per_pair)
    result = Result(network, f, solve_lp(f.lp, "highs"))
    if not result.ok:
        return []
    return [{"constraint": "demand", "item": f"{r['class']}@{r['origin']}",
             "period": r["period"], "shortfall": float(r["mw_it"]), "unit": "MW_IT",
             "demand": f"{r['class']}@{r['origin']}",
             "message": f"{r['mw_it']:,.4g} MW_IT of class '{r['class']}' at "
                        f"'{r['origin']}' cannot be served in period '{r['period']}'"}
            for r in result.unserved.reset_index().to_dict("records")] + _shed(result)


def _shed(result: Result) -> list[dict]:
    """Electric load the elastic model sheds (power, not computing)."""
    if not len(result.network.loads):
        return []
    ld = result.loads.reset_index()
    return [{"constraint": "load", "item": f"load@{r['node']}", "period": r["period"],
             "shortfall": float(r["shed_mw"]), "unit": "MW", "demand": f"load@{r['node']}",
             "message": f"{r['shed_mw']:,.4g} MW of the electric load at '{r['node']}' "
                        f"cannot be supplied in period '{r['period']}'"}
            for r in ld[ld["shed_mw"] > 0].to_dict("records")]


def _message(net, constraint, item, period, amount, unit, pairs) -> str:
    who = f" for {', '.join(pairs[:4])}{' ...' if len(pairs) > 4 else ''}" if pairs else ""
    if constraint == "site capacity":
        cap = net.sites.loc[item, "it_capacity_mw"]
        what = f"site '{item}' is short of {amount:,.4g} {unit} (capacity {cap:,.4g})"
    elif constraint == "bandwidth":
        cap = net.backbone_links.loc[item, "bandwidth_gbps"]
        what = f"bandwidth on link '{item}' is short of {amount:,.4g} {unit} (has {cap:,.4g})"
    else:
        what = (f"power at node '{item}' is short of {amount:,.4g} {unit} (sources and "
                "lines reaching it are at their limits)")
    return f"{what} in period '{period}'{who}"


def explain(diagnosis: pd.DataFrame) -> str:
    """The diagnosis as a short text for an error message."""
    if diagnosis.empty:
        return "the solver found the plan infeasible, but no shortfall explains it"
    unmet = diagnosis["constraint"].isin(["demand", "load"])
    short, fix = diagnosis[unmet], diagnosis[~unmet]
    lines = ["no plan meets all demand (strict mode):"]
    lines += [f"  - {m}" for m in short["message"].head(10)]
    lines.append("One least change that would make it feasible:")
    lines += [f"  - {m}" for m in fix["message"].head(20)]
    if len(fix) > 20:
        lines.append(f"  - ... and {len(fix) - 20} more shortfalls")
    return "\n".join(lines)
