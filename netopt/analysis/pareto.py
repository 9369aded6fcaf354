"""The cost-carbon frontier by the epsilon-constraint method."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..solving.units import units_of
from ..errors import InfeasibleError, SolverError
from ..model.formulation import formulate
from ..model.lp import Block
from ..data.network import Network
from ..solving.results import Result
from ..solving.solvers import HighsModel, Status, solve_lp
from .sweep import result_metrics

__all__ = ["pareto"]


def pareto(network: Network, points: int = 11, *, routes_per_pair: int | None = None,
           solver: str = "highs") -> pd.DataFrame:
    """Least cost for each emission cap, from least emissions to least cost.

    Every demand is served (strict mode), or unserved work would be the cleanest.
    The carbon price of the network stays in the costs; the frontier adds a cap
    ``emissions <= epsilon`` to one assembled model and moves only that bound.

    Parameters
    ----------
    network : Network
    points : int
        Number of points, both ends included (>= 2).
    routes_per_pair : int, optional
    solver : str
        ``"highs"`` (default: one model, only the cap moves, warm starts) or any solver
        `netopt.solve` takes (each point solved from scratch).

    Returns
    -------
    DataFrame
        One row per point, emissions rising: ``epsilon`` (the cap, t CO2), status,
        objective (total cost), the cost parts, ``emissions_t``, ``carbon_shadow_price``
        (currency per t: what one more tonne of allowance would save), and the
        ``west_share:<class>`` of each class.

    Raises
    ------
    InfeasibleError
        If the network cannot serve all demand.

    Examples
    --------
    >>> import netopt
    >>> front = pareto(netopt.load("toy"), points=3)
    >>> bool(front["objective"].is_monotonic_decreasing)
    True
    """
    if points < 2:
        raise ValueError("a frontier needs at least 2 points")
    f = formulate(network, allow_unserved=False, routes_per_pair=routes_per_pair)
    lp = f.lp
    g = lp.variables["g"]
    src = network.sources.loc[g.labels["source"]]
    w = f.weights.loc[g.labels["period"]].to_numpy()
    em = np.zeros(lp.A.shape[1])
    em[g.start:g.stop] = src["emissions"].to_numpy() * w  # t CO2 per MW of g
    row = lp.A.shape[0]
    lp2 = replace(lp, A=sp.vstack([lp.A, sp.csr_matrix(em)], format="csr"),
                  row_lower=np.append(lp.row_lower, -np.inf),
                  row_upper=np.append(lp.row_upper, np.inf),
                  constraints={**lp.constraints, "emissions": Block(
                      "emissions", row, row + 1, pd.DataFrame({"cap": ["total"]}))})
    f2 = replace(f, lp=lp2)
    model = HighsModel(lp2) if solver == "highs" else None

    def run(cap, c=None):
        cost, upper = lp2.c if c is None else c, np.append(lp.row_upper, cap)
        if model is None:
            return solve_lp(replace(lp2, c=cost, row_upper=upper), solver)
        model.update(c=cost, row_upper=upper)
        return model.solve()

    cheapest = run(np.inf)
    if cheapest.status is Status.INFEASIBLE:
        from ..solving.diagnosis import diagnose, explain
        d = diagnose(network, routes_per_pair=routes_per_pair)
        raise InfeasibleError(explain(d), d, None)
    if cheapest.status is not Status.OPTIMAL:
        raise SolverError(f"least-cost solve: {cheapest.message}")
    e_max = float(em @ cheapest.x)
    cleanest = run(np.inf, c=em)
    if cleanest.status is not Status.OPTIMAL:
        raise SolverError(f"least-emission solve: {cleanest.message}")
    e_min = float(em @ cleanest.x)
    rows = []
    for eps in np.linspace(e_min, e_max, points):
        cap = eps + 1e-9 * max(1.0, abs(eps))  # the end points themselves stay feasible
        out = run(cap)
        r = Result(network, replace(f2, lp=replace(lp2, row_upper=np.append(
            lp.row_upper, cap))), out)
        row = {"epsilon": eps, **result_metrics(r)}
        if r.ok:
            row["carbon_shadow_price"] = max(0.0, -float(out.row_dual[-1]) *
                                             lp.objective_scale)
        rows.append(row)
    front = pd.DataFrame(rows)
    front.attrs["units"] = units_of("pareto", front.columns, network.settings.currency)
    return front
