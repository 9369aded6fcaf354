"""The cost-carbon frontier: monotone, with ends equal to independent solves."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

import netopt
from netopt.model.formulation import formulate


def test_frontier_monotone_and_ends(china):
    front = netopt.pareto(china, points=6)
    assert (front["status"] == "optimal").all()
    assert np.all(np.diff(front["objective"]) <= 1e-6 * front["objective"].iloc[0])
    assert np.all(np.diff(front["emissions_t"]) >= -1e-6)
    # least-cost end: the strict solve
    assert front["objective"].iloc[-1] == pytest.approx(
        netopt.solve(china, allow_unserved=False).objective, rel=1e-7)
    # least-emission end: scipy's linprog minimising emissions on the same constraints
    lp = formulate(china, allow_unserved=False).lp
    g = lp.variables["g"]
    em = np.zeros(lp.A.shape[1])
    src = china.sources.loc[g.labels["source"]]
    em[g.start:g.stop] = src["emissions"].to_numpy() * 8760
    eq = lp.row_lower == lp.row_upper
    res = linprog(em, A_ub=lp.A[~eq], b_ub=lp.row_upper[~eq], A_eq=lp.A[eq],
                  b_eq=lp.row_lower[eq], bounds=list(zip(lp.col_lower, lp.col_upper)),
                  method="highs-ipm")
    assert front["emissions_t"].iloc[0] == pytest.approx(res.fun, rel=1e-6)
    assert (front["carbon_shadow_price"].diff().dropna() <= 1e-6).all()


def test_cli_pareto(capsys):
    from netopt.cli import main
    assert main(["pareto", "toy", "--points", "3"]) == 0
    assert "carbon_shadow_price" in capsys.readouterr().out


def test_pareto_with_cbc_gives_the_same_frontier(toy):
    a = netopt.pareto(toy, points=4)
    b = netopt.pareto(toy, points=4, solver="cbc")
    assert np.allclose(a["epsilon"], b["epsilon"], rtol=1e-6)
    assert np.allclose(a["objective"], b["objective"], rtol=1e-6)
