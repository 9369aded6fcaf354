"""Window by window, kept as totals (issue #12, item 6): `solve_totals` and
`sweep_totals` against an independent oracle, the monolithic LP of the same network
solved whole (`decompose="monolithic"`): objective, cost breakdown and totals, and the
LP's size as the windows' sizes added up.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

import netopt
from netopt.analysis.scenarios import apply
from netopt.solving import window_totals
from netopt.solving.solvers import Status
from netopt.solving.window_totals import solve_totals, sweep_totals
from netopt.solving.windows import CoupledError

#: Three days of hours with wind (so the days differ) and deferrable work within each day.
NET = dict(nodes=14, periods=72, seed=3, window=24)
SCENARIO = {"settings.data_cost_per_tb_km": "*3", "sources.marginal_cost[kind=grid]": "*1.2"}


@pytest.fixture(scope="module")
def net():
    return netopt.generate(**NET)


@pytest.fixture(scope="module")
def mono(net):
    return netopt.solve(net, decompose="monolithic")


def _same(totals, mono):
    assert totals.ok and mono.ok
    assert totals.objective == pytest.approx(mono.objective, rel=1e-9)
    assert list(totals.costs.index) == list(mono.costs.index)
    np.testing.assert_allclose(totals.costs.to_numpy(), mono.costs.to_numpy(), rtol=1e-9,
                               atol=1e-9 * mono.objective)
    assert list(totals.totals.index) == list(mono.totals.index)
    for k, v in mono.totals.items():
        assert totals.totals[k] == pytest.approx(v, rel=1e-7, abs=1e-6), k
    by_class = mono.by_class
    np.testing.assert_allclose(totals.by_class.loc[by_class.index, by_class.columns],
                               by_class, rtol=1e-7, atol=1e-6)


def test_generated_days_are_windows_with_deferrable_work(net):
    plain = netopt.generate(**{**NET, "window": None})
    assert list(net.periods["window"].unique()) == ["d0", "d1", "d2"]
    assert set(net.classes.index[net.classes["deferrable"]]) == {"ai_training",
                                                                "batch_analytics"}
    assert not plain.classes["deferrable"].any() and (plain.periods["window"] == "").all()
    for name in ("nodes", "sites", "sources", "demand", "availability", "power_lines"):
        assert getattr(net, name).equals(getattr(plain, name)), name  # same draws
    with pytest.raises(ValueError, match="window must be between 1 and the 72 periods"):
        netopt.generate(4, periods=72, window=100)


def test_totals_equal_the_monolithic_solve(net, mono):
    t = solve_totals(net)
    _same(t, mono)
    # the days differ (wind), so a sum of equal parts would not pass by chance
    assert t.windows["objective"].nunique() == 3
    assert list(t.windows["window"]) == ["d0", "d1", "d2"]
    # the monolithic LP's size is the windows' added up, exactly
    lp = mono.formulation.lp
    assert (t.rows, t.columns, t.nonzeros) == (*lp.shape, lp.A.nnz)
    # one model, built for the first day; the others refilled and warm-started
    assert list(t.windows["rebuilt"]) == [True, False, False]
    assert "kept as totals: 3 windows" in t.message
    # and the stitched path agrees
    assert netopt.solve(net, decompose="windows").objective == pytest.approx(
        t.objective, rel=1e-9)


def test_sweep_on_processes_equals_each_scenario_solved_whole(net, mono):
    scen = [None, functools.partial(apply, assignments=SCENARIO)]
    base, changed = sweep_totals(net, scen, processes=2, chunks=2)
    _same(base, mono)
    _same(changed, netopt.solve(apply(net, SCENARIO), decompose="monolithic"))
    assert changed.objective > base.objective * 1.05       # the scenario took effect
    # each worker built its model once and reused it for every later day and scenario
    assert base.windows["rebuilt"].sum() + changed.windows["rebuilt"].sum() == 2
    assert base.windows["worker"].nunique() == 2


def test_dask_gives_the_same_totals(net, mono):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            t = solve_totals(net, scheduler=client)
            # the workers let go of the network and the models once the sweep is done
            assert not window_totals._SOLVERS and not client.who_has()
    _same(t, mono)


def test_a_failed_window_is_named_and_nothing_is_summed():
    bad = netopt.generate(8, periods=48, seed=2, window=24, feasible=False)
    t = solve_totals(bad)
    assert t.status is Status.INFEASIBLE and not t.ok
    assert np.isnan(t.objective) and t.costs.empty and t.totals.empty
    assert "(window d" in t.message
    assert (t.windows["status"] == Status.INFEASIBLE).any()


def test_coupled_horizon_is_refused():
    with pytest.raises(CoupledError, match="coupled across windows.*site_build"):
        solve_totals(netopt.load("china-edwc-seasons"))   # sites, links, lines may grow
