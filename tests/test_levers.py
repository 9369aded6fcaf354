"""The four levers (issue #11.4): move data, move power, shift in time, store energy —
nothing moves, each alone, all but each; values and their overlaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import netopt
from netopt.analysis.counterfactuals import CASES, LEVERS, SCENARIOS, zones
from test_storage import _day


@pytest.fixture(scope="module")
def seasons_comparison():
    return netopt.compare(netopt.load("china-edwc-seasons"))


def _check_menu(c):
    t = c.table.set_index("scenario")
    assert list(t.index) == list(CASES)
    assert list(t.index[:3]) == list(SCENARIOS)  # the three cases keep their place
    tol = 1e-7 * t.loc["joint", "total"]
    # all levers pulled is never worse than any other case
    assert (t["total"] >= t.loc["joint", "total"] - tol).all()
    # a lever can only help: a case with more levers costs no more
    for name, levers in CASES.items():
        for more, those in CASES.items():
            if levers < those:
                assert t.loc[more, "total"] <= t.loc[name, "total"] + tol, (name, more)
    assert (c.levers[["alone", "last_added"]] >= -tol).all().all()
    np.testing.assert_allclose(c.levers["overlap"],
                               c.levers["alone"] - c.levers["last_added"], atol=tol)
    # the old names are the menu's "all but": the same solve
    assert c.results["move_power_only"] is c.results["all_but_move_data"]
    assert c.results["move_data_only"] is c.results["all_but_move_power"]
    # nothing moves: no power line carries power, no work leaves its zone, no storage
    r = c.results["nothing_moves"]
    assert r.totals["power_sent_mwh"] == pytest.approx(0.0, abs=1e-6)
    z = zones(r.network)
    pl = r.placement
    origin = pl.index.get_level_values("origin")
    assert (z.loc[origin].to_numpy() == z.loc[pl["node"]].to_numpy()).all()
    if len(r.network.storage):
        assert r.storage["discharge_mw"].abs().max() < 1e-7
    assert max(map(len, str(c).splitlines())) <= 80


def test_toy_menu(toy):
    c = netopt.compare(toy)
    _check_menu(c)
    # the toy has one period, no deferrable work, no storage: those levers are worth 0
    assert c.levers.loc[["shift_in_time", "store_energy"], ["alone", "last_added"]] \
        .abs().max().max() == 0.0
    # moving data is worth what the hand-worked counterfactuals say
    t = c.table.set_index("scenario")["total"]
    assert c.levers.loc["move_data", "last_added"] == pytest.approx(
        t["move_power_only"] - t["joint"])


def test_seasons_menu(seasons_comparison):
    c = seasons_comparison
    _check_menu(c)
    # deferrable work fixed in time is served as it comes, hour by hour
    r = c.results["all_but_shift_in_time"]
    served = (r.placement.groupby(["origin", "class", "period"])["mw_it"].sum()
              .add(r.unserved.groupby(["origin", "class", "period"])["mw_it"].sum(),
                   fill_value=0.0))
    d = r.network.demand_by_period.set_index(["node", "class", "period"])["mw_it"]
    d = d[d > 0]
    np.testing.assert_allclose(served.reindex(d.index).to_numpy(), d.to_numpy(), rtol=1e-7)
    # shifting in time is worth something alone (capacity at peak hours)
    assert c.levers.loc["shift_in_time", "alone"] > 0


def test_storage_is_the_lever_of_a_day_with_sun():
    """One node, cheap sun at noon, dear power at night: only storage moves anything."""
    c = netopt.compare(_day([1.0] * 6))
    _check_menu(c)
    lev = c.levers
    assert lev.loc["store_energy", "alone"] > 0
    assert lev.loc["store_energy", "alone"] == pytest.approx(lev.loc["store_energy",
                                                                     "last_added"])
    assert lev.loc[["move_data", "move_power", "shift_in_time"], "alone"].abs().max() == 0
    t = c.table.set_index("scenario")
    assert t.loc["store_energy_alone", "total"] == pytest.approx(t.loc["joint", "total"])


def test_cli_compare_seasons_in_80_columns(capsys, tmp_path):
    from netopt.cli import main
    assert main(["compare", "china-edwc-seasons", "--out", str(tmp_path / "c")]) == 0
    out = capsys.readouterr().out.split("\nTables written to")[0]  # a temporary path
    assert max(map(len, out.splitlines())) <= 80
    assert "Four levers" in out and "store energy" in out and "last added" in out
    lev = pd.read_csv(tmp_path / "c" / "levers.csv")
    assert list(lev["lever"]) == list(LEVERS)


def test_levers_chart(seasons_comparison):
    fig = netopt.plot.levers_chart(seasons_comparison)
    ax = fig.axes[0]
    assert "lever" in ax.get_title() and "CNY" in ax.get_xlabel()
    assert len(ax.patches) == 2 * len(LEVERS)
