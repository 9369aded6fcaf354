"""Solver outcomes map to a small set of statuses; only optimal carries numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import netopt
from netopt.model.formulation import formulate
from netopt.model.lp import LPBuilder
from netopt.solving.solvers import Status, solve_lp, write_lp


def _lp(cost, row_upper):
    b = LPBuilder()
    b.add_variables("x", pd.DataFrame({"i": [0]}), cost=cost)
    b.add_constraints("r", pd.DataFrame({"i": [0]}), [0], [0], [1.0], -np.inf, row_upper)
    return b.build()


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_unbounded(solver):
    out = solve_lp(_lp(-1.0, np.inf), solver)
    assert out.status is Status.UNBOUNDED and out.x is None and math.isnan(out.objective)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_infeasible(solver):
    out = solve_lp(_lp(1.0, -1.0), solver)
    assert out.status is Status.INFEASIBLE and out.x is None


def test_time_and_iteration_limits_are_not_optimal(china):
    lp = formulate(china).lp
    assert solve_lp(lp, "highs", time_limit=0.0).status is Status.TIME_LIMIT
    out = solve_lp(lp, "highs", options={"simplex_iteration_limit": 1})
    assert out.status is Status.ITERATION_LIMIT and out.x is None


def test_result_of_a_limit_raises_on_tables(china):
    r = netopt.solve(china, time_limit=0.0)
    assert r.status == "time_limit" and math.isnan(r.objective)
    for table in ("placement", "sites", "costs", "node_prices"):
        with pytest.raises(netopt.NotOptimalError, match="time_limit"):
            getattr(r, table)
    assert "No solution" in r.summary()


def test_unknown_and_missing_solvers(toy):
    with pytest.raises(netopt.SolverError, match="unknown solver 'simplex9000'"):
        netopt.solve(toy, "simplex9000")
    if "glpk" not in netopt.available_solvers():
        with pytest.raises(netopt.SolverError, match="not installed"):
            netopt.solve(toy, "glpk")


def test_missing_solver_binary_is_an_error_status(toy, monkeypatch):
    import netopt.solving.solvers as solvers
    import pulp
    monkeypatch.setattr(pulp.PULP_CBC_CMD, "available", lambda self: False)
    monkeypatch.setattr(solvers, "_cbc_path", lambda: "/nonexistent/cbc")
    r = netopt.solve(toy, "cbc")
    assert r.status == "error" and "/nonexistent/cbc" in r.message


def test_cbc_duals_match_highs(toy):
    a, b = netopt.solve(toy), netopt.solve(toy, "cbc")
    pd.testing.assert_frame_equal(a.node_prices, b.node_prices, rtol=1e-6)
    pd.testing.assert_frame_equal(a.demand_prices, b.demand_prices, rtol=1e-6)


@pytest.mark.parametrize("suffix,marker", [(".lp", "Subject To"), (".mps", "ROWS")])
def test_write_lp_and_mps(tmp_path, toy, suffix, marker):
    path = write_lp(formulate(toy).lp, tmp_path / f"toy{suffix}")
    assert marker in path.read_text()


def test_partial_plan_is_labelled_not_optimal(china):
    # 170 iterations: past the first feasible plan (about 150 on china-edwc since
    # transport energy, 100 before), well short of the optimum (about 230)
    # and without china-edwc's storage table, whose columns change how far the
    # iterations get
    china = netopt.Network(**{**china.tables, "storage": None}, settings=china.settings)
    r = netopt.solve(china, options={"solver": "simplex", "simplex_strategy": 4,
                                     "presolve": "off", "simplex_iteration_limit": 170})
    assert r.status == "iteration_limit" and math.isnan(r.objective)
    optimum = netopt.solve(china).objective
    # a feasible plan, labelled partial, costs at least the optimum
    assert r.partial_objective >= optimum * (1 - 1e-9)
    assert "partial" in r.message and "not proven optimal" in r.message
    assert r.to_dict()["partial_objective"] == r.partial_objective
    with pytest.raises(netopt.NotOptimalError):
        r.placement


@pytest.mark.parametrize("suffix", [".lp", ".mps"])
def test_lp_file_names_rows_by_what_they_are_and_states_its_scale(tmp_path, suffix):
    """An outside solver (HiGHS reading the file) finds the toy's hand-worked optimum
    once the objective is scaled as the file's first line says."""
    import highspy
    from netopt.cli import main
    path = tmp_path / f"toy{suffix}"
    assert main(["solve", "toy", "--write-lp", str(path)]) == 0
    text = path.read_text()
    first = text.splitlines()[0]
    assert "multiply the optimum by 8760" in first
    assert "demand(east,ai,year)" in text and "g(hydro_west,year)" in text
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.readModel(str(path))
    h.run()
    assert h.getInfo().objective_function_value * 8760 == pytest.approx(575_137_800, rel=1e-9)


def test_cli_missing_solver_exits_2_naming_the_installed_ones(capsys):
    from netopt.cli import main
    if "glpk" in netopt.available_solvers():
        pytest.skip("glpk is installed here")
    assert main(["solve", "toy", "--solver", "glpk"]) == 2  # as the README states
    err = capsys.readouterr().err
    assert "not installed" in err and "highs" in err and "Traceback" not in err
