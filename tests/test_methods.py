"""HiGHS's LP method: every method reaches the default's optimum; auto is recorded."""

from __future__ import annotations

import json

import pytest

import netopt
from netopt.cli import main
from netopt.errors import SolverError
from netopt.model.formulation import formulate
from netopt.solving.solvers import (METHODS, HighsModel, choose_method, highs_methods,
                                    solve_lp)

EXACT = [m for m in highs_methods() if m != "pdlp"]


@pytest.fixture(scope="module")
def seasons_lp():
    return formulate(netopt.load("china-edwc-seasons")).lp


@pytest.mark.parametrize("name", ["toy", "china-edwc"])
def test_every_method_reaches_the_default_optimum(name):
    lp = formulate(netopt.load(name)).lp
    ref = solve_lp(lp, method="choose")
    for m in EXACT:
        out = solve_lp(lp, method=m)
        assert out.method == m
        assert out.objective == pytest.approx(ref.objective, rel=1e-7), m


def test_pdlp_is_near_the_optimum_only_to_its_tolerance():
    lp = formulate(netopt.load("toy")).lp
    ref = solve_lp(lp, method="dual").objective
    out = solve_lp(lp, method="pdlp")
    assert out.method == "pdlp" and out.objective == pytest.approx(ref, rel=1e-4)


def test_auto_on_seasons_matches_the_default(seasons_lp):
    auto = solve_lp(seasons_lp)
    assert auto.method == choose_method(seasons_lp)
    ref = solve_lp(seasons_lp, method="choose")
    assert auto.objective == pytest.approx(ref.objective, rel=1e-7)


def test_method_is_recorded_in_the_summary():
    r = netopt.solve(netopt.load("toy"))
    assert r.method == r.to_dict()["method"] == choose_method(r.formulation.lp)
    assert netopt.solve(netopt.load("toy"), method="ipm").to_dict()["method"] == "ipm"
    assert netopt.solve(netopt.load("toy"), "cbc").to_dict()["method"] == ""


def test_auto_rule(seasons_lp):
    # measured: the dual simplex on every LP shape (benchmarks/RESULTS.md); a MIP
    # (a site opened whole or not) keeps HiGHS's own choice
    assert choose_method(formulate(netopt.load("toy")).lp) == "dual"
    assert choose_method(seasons_lp) == "dual"
    toy = netopt.load("toy")
    sites = toy.sites.reset_index()
    sites["fixed_cost_year"] = [None, 1e6]
    mip = formulate(netopt.Network(**{**toy.tables, "sites": sites},
                                   settings=toy.settings)).lp
    assert mip.is_mip and choose_method(mip) == "choose"
    r = netopt.solve(netopt.Network(**{**toy.tables, "sites": sites}, settings=toy.settings))
    assert r.ok and r.method == "choose"


def test_a_re_solve_with_another_method_changes_every_option():
    # each method sets both options, so switching never keeps the last strategy
    keys = {k for opts in METHODS.values() for k in opts}
    assert all(set(opts) == keys for opts in METHODS.values())


def test_unknown_method_and_other_solver():
    lp = formulate(netopt.load("toy")).lp
    with pytest.raises(SolverError, match="unknown method 'fast'"):
        solve_lp(lp, method="fast")
    with pytest.raises(SolverError, match="HiGHS method"):
        solve_lp(lp, "cbc", method="dual")


@pytest.mark.skipif("hipo" in highs_methods(), reason="this HiGHS build has HiPO")
def test_hipo_missing_from_the_build_is_named():
    lp = formulate(netopt.load("toy")).lp
    with pytest.raises(SolverError, match="'hipo' is not available in this HiGHS build"):
        HighsModel(lp, method="hipo")


def test_cli_method(capsys):
    assert main(["solve", "toy", "--json", "--method", "primal"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "primal"
    assert main(["solve", "toy", "--method", "fastest"]) == 2
    err = capsys.readouterr().err
    assert "argument --method: invalid choice: 'fastest'" in err and err.count("\n") == 1
    assert main(["solve", "toy", "--solver", "cbc", "--method", "dual"]) == 2
    assert "argument --method" in capsys.readouterr().err


@pytest.mark.parametrize("method", EXACT + ["pdlp"])
def test_the_method_reaches_highs_options(method):
    h = HighsModel(formulate(netopt.load("toy")).lp, method=method).h
    for k, v in METHODS[method].items():
        assert h.getOptionValue(k)[1] == v
