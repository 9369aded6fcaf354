"""Decomposition by window (issue #12, item 1): the windows solved one by one and
stitched give the monolithic solve's optimum, duals and LP.

Oracles: the monolithic LP of the same network (formulate): the stitched formulation
has its block names, positions, labels, costs and bounds exactly; the stitched solution
is feasible in it, its reduced costs are c - A'y of the stitched duals (so the pair is
optimal: an LP has alternative optima, so the tables are compared where the optimum is
unique: objective, cost total, node and demand prices); and the monolithic solve's
objective to 1e-7 relative.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

import netopt
from netopt.model.formulation import formulate
from netopt.solving.windows import CoupledError, fix_buildout, plan


def _kkt(mono, result, tol=1e-6):
    lp, s = mono.lp, result.formulation.lp
    for blocks in ("variables", "constraints"):
        a, b = getattr(lp, blocks), getattr(s, blocks)
        assert list(a) == list(b)
        for k in a:
            assert (a[k].start, a[k].stop) == (b[k].start, b[k].stop), k
            pd.testing.assert_frame_equal(a[k].labels.astype(str), b[k].labels.astype(str))
    for v in ("c", "col_lower", "col_upper", "row_lower", "row_upper"):
        np.testing.assert_allclose(getattr(s, v), getattr(lp, v), rtol=1e-12, atol=1e-12)
    x, y, d = result.output.x, result.output.row_dual, result.output.col_dual
    big = max(1.0, np.abs(x).max())
    ax = lp.A @ x
    assert (x >= lp.col_lower - tol * big).all() and (x <= lp.col_upper + tol * big).all()
    assert (ax >= lp.row_lower - tol * big).all() and (ax <= lp.row_upper + tol * big).all()
    np.testing.assert_allclose(d, lp.c - lp.A.T @ y, atol=1e-7 * max(1, np.abs(lp.c).max()))
    primal = lp.c @ x
    assert abs(primal - result.output.objective) <= 1e-9 * max(1, abs(primal))
    # the duals are optimal too: signs fit the active bounds (HiGHS: a positive dual
    # holds a lower bound) and the dual objective equals the primal's (strong duality)
    def side(dual, lower, upper):
        tiny = 1e-9 * max(1.0, np.abs(dual).max(initial=0.0))
        bound = np.where(dual > tiny, lower, np.where(dual < -tiny, upper, 0.0))
        assert np.isfinite(bound).all(), "a dual pushes on a missing bound"
        return float(np.where(np.abs(dual) > tiny, dual * bound, 0.0).sum())
    dual = side(y, lp.row_lower, lp.row_upper) + side(d, lp.col_lower, lp.col_upper)
    assert dual == pytest.approx(primal, rel=1e-7, abs=1e-6)


def _same(mono, win, prices=True):
    assert win.decompose == "windows" and mono.decompose == "monolithic"
    assert win.objective == pytest.approx(mono.objective, rel=1e-7)
    assert win.costs["total"] == pytest.approx(mono.costs["total"], rel=1e-7)
    for name in ("node_prices", "demand_prices"):
        a, b = getattr(mono, name), getattr(win, name)
        pd.testing.assert_frame_equal(a.drop(columns="price"), b.drop(columns="price"))
        if prices:  # where the duals are unique (else `_kkt` checks they are optimal)
            np.testing.assert_allclose(b["price"], a["price"], rtol=1e-6, atol=1e-6)
    for name in ("placement", "sites", "links", "power_lines", "sources", "unserved",
                 "builds"):  # same columns and rows (values: alternative optima)
        a, b = getattr(mono, name), getattr(win, name)
        assert list(a.columns) == list(b.columns), name
        assert a.index.names == b.index.names and b.index.is_unique, name
    for name in ("sites", "links", "power_lines", "sources"):
        a, b = getattr(mono, name), getattr(win, name)
        pd.testing.assert_index_equal(a.index, b.index)  # the same keys, in one order


@pytest.fixture(scope="module")
def seasons():
    return fix_buildout(netopt.load("china-edwc-seasons"))


def test_seasons_by_windows_equals_monolithic(seasons):
    assert len(seasons.periods["window"].unique()) == 4
    mono = netopt.solve(seasons, decompose="monolithic")
    win = netopt.solve(seasons, decompose="windows")
    _same(mono, win)
    _kkt(formulate(seasons), win)
    assert "solved by windows: 4 windows, 1 window model, in process" in win.message
    assert win.to_dict()["decompose"] == "windows"
    # the design it was fixed at: the seasons instance builds nothing
    free = netopt.solve(netopt.load("china-edwc-seasons"))
    assert free.builds.empty and free.objective == pytest.approx(win.objective, rel=1e-7)


def test_processes_and_dask_give_the_monolithic_optimum(seasons):
    # a worker starts its first window cold, so the plan may be another optimal vertex
    # than in process: the oracle is the monolithic LP's optimality conditions
    local = netopt.solve(seasons, decompose="monolithic")
    mono = formulate(seasons)
    two = netopt.solve(seasons, decompose="windows", processes=2)
    assert "on 2 processes" in two.message
    _same(local, two)
    _kkt(mono, two)
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            remote = netopt.solve(seasons, decompose="windows", scheduler=client)
        by_address = netopt.solve(seasons, decompose="windows",
                                  scheduler=cluster.scheduler_address)
    for r in (remote, by_address):
        assert "on Dask" in r.message
        _same(local, r)
        _kkt(mono, r)


def _windowed(nodes, per_window, n_windows, seed, deferrable, weights):
    base = netopt.generate(nodes, periods=per_window * n_windows, seed=seed)
    periods = base.periods.copy()
    periods["window"] = [f"w{i // per_window}" for i in range(len(periods))]
    periods["weight_h"] = np.tile(weights[:per_window], n_windows) * 8760 / (
        n_windows * sum(weights[:per_window]))
    classes = base.classes.copy()
    classes["deferrable"] = classes.index.isin(deferrable)
    return netopt.Network(**{**base.tables, "periods": periods, "classes": classes},
                          settings=base.settings)


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(nodes=st.integers(6, 14), per_window=st.integers(1, 4), n_windows=st.integers(2, 4),
       seed=st.integers(0, 10_000),
       deferrable=st.sets(st.sampled_from(["ai_training", "batch_analytics",
                                           "backup_archive"])),
       weights=st.lists(st.floats(0.5, 3.0), min_size=4, max_size=4))
@example(nodes=11, per_window=3, n_windows=3, seed=9999, deferrable=set(),
         weights=[1.0] * 4)  # degenerate: the prices differ, both optimal
def test_generated_networks_by_windows_equal_monolithic(nodes, per_window, n_windows, seed,
                                                        deferrable, weights):
    net = _windowed(nodes, per_window, n_windows, seed, deferrable, weights)
    mono = netopt.solve(net, decompose="monolithic")
    win = netopt.solve(net, decompose="windows")
    assert mono.ok and win.ok
    _same(mono, win, prices=False)  # a degenerate optimum has many dual solutions
    _kkt(formulate(net), win)


def test_windows_of_two_shapes_and_blank_windows():
    net = _windowed(8, 2, 3, 3, {"ai_training"}, [1.0, 2.0, 1.0, 1.0])
    p = net.periods.copy()
    p.loc[p.index[-2:], "window"] = ""          # the last two periods stand alone
    net = netopt.Network(**{**net.tables, "periods": p}, settings=net.settings)
    mono = netopt.solve(net, decompose="monolithic")
    win = netopt.solve(net, decompose="windows")
    assert "4 windows, 3 window models" in win.message  # a day; 2 lone hours of 2 weights
    _same(mono, win, prices=False)
    _kkt(formulate(net), win)


def test_coupled_model_is_refused_by_windows_and_solved_whole_by_auto():
    net = netopt.load("china-edwc-seasons")   # sites, links, lines may grow
    with pytest.raises(CoupledError, match="coupled by build-out.*line_build, link_build") as e:
        netopt.solve(net, decompose="windows")
    assert isinstance(e.value, ValueError)
    assert plan(net, "auto").reason.startswith("coupled by line_build, link_build, site_build")
    assert netopt.solve(net).decompose == "monolithic"


def test_auto_keeps_small_models_whole_and_one_window_is_refused(seasons):
    small = _windowed(8, 3, 4, 1, {"ai_training"}, [1.0] * 4)
    assert plan(small, "auto").reason.startswith("small")
    assert netopt.solve(small).decompose == "monolithic"
    assert netopt.solve(seasons).decompose == "windows"   # 99,648 columns, 4 windows
    with pytest.raises(CoupledError, match="single window"):
        netopt.solve(netopt.load("toy"), decompose="windows")
    with pytest.raises(netopt.NetoptError, match="unknown decompose"):
        netopt.solve(seasons, decompose="by-day")


def test_cli_decompose_windows_on_a_coupled_model_exits_2(capsys):
    from netopt.cli import main
    assert main(["solve", "china-edwc-seasons", "--decompose", "windows"]) == 2
    err = capsys.readouterr().err
    assert "argument --decompose" in err and "coupled" in err
