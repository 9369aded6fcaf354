"""Each ranging interval, checked by re-solving just inside and just outside it."""

from __future__ import annotations

import numpy as np
import pytest

import netopt
from netopt.scenarios import apply


def _x(net):
    r = netopt.solve(net)
    return r.placement.groupby(level=["class", "site"])["mw_it"].sum(), r


def test_cost_ranging_of_placements(toy):
    base_x, base = _x(toy)
    rg = netopt.ranging(base).costs
    # the data cost of ai->west (0.9 per MWh_IT = 0.03 TB x 30) may rise to 552.5
    row = rg[(rg["block"] == "x") & (rg["class"] == "ai") & (rg["site"] == "dc_west")].iloc[0]
    assert row["cost"] == pytest.approx(0.9) and row["cost_high"] == pytest.approx(552.5)
    price = lambda cost: {"backbone_links.cost_per_tb[fibre]": cost / 0.03}
    inside, _ = _x(apply(toy, price(row["cost_high"] * 0.999)))
    outside, _ = _x(apply(toy, price(row["cost_high"] * 1.001)))
    assert inside.equals(base_x)
    # past it the basis changes: ai work fills the 10 MW spare in the east
    assert not outside.equals(base_x)
    assert outside[("ai", "dc_west")] == pytest.approx(90.0)


def test_cost_ranging_of_sources(toy):
    _, base = _x(toy)
    rg = netopt.ranging(base).costs
    row = rg[(rg["block"] == "g") & (rg["source"] == "grid_east")].iloc[0]
    gen = lambda r: r.sources["generation_mw"]
    for factor, same in ((0.999, True), (1.001, False)):
        cost = row["cost_high"] * factor - 0.6 * 50  # the range includes carbon
        r = netopt.solve(apply(toy, {"sources.marginal_cost[grid_east]": cost}))
        assert np.allclose(gen(r), gen(base)) is same, factor


@pytest.mark.parametrize("block,key,address", [
    ("f", ("arc", "uhv"), "power_lines.capacity_mw[uhv]"),
    ("demand", ("class", "archive"), "demand.mw_it[class=archive]"),
])
def test_bound_ranging_dual_holds_inside_only(toy, block, key, address):
    base = netopt.solve(toy)
    rb = netopt.ranging(base).bounds
    row = rb[(rb["block"] == block) & (rb[key[0]] == key[1])].iloc[0]
    lo, hi, b0, dual = row["bound_low"], row["bound_high"], row["bound"], row["dual"]
    assert lo <= b0 <= hi

    def predicted_error(value):
        r = netopt.solve(apply(toy, {address: value}))
        linear = base.objective + dual * (value - b0) * 8760
        return abs(r.objective - linear) / base.objective

    assert predicted_error(hi - 0.01 * (hi - lo)) < 1e-9
    assert predicted_error(lo + 0.01 * (hi - lo)) < 1e-9
    assert predicted_error(hi + 0.2 * (hi - lo)) > 1e-6


def test_slack_capacity_ranges_to_infinity(toy):
    rb = netopt.ranging(netopt.solve(toy)).bounds
    west = rb[(rb["block"] == "site_capacity") & (rb["site"] == "dc_west")].iloc[0]
    assert west["bound_low"] == pytest.approx(100) and np.isinf(west["bound_high"])


def test_a_solve_by_windows_is_ranged_on_its_whole_lp():
    # the windows keep no matrix: ranging must assemble the whole LP again, not range
    # an empty one. Oracle: ranging of the monolithic solve of the same network.
    from test_windows import _windowed
    net = _windowed(8, 3, 3, 7, {"batch_analytics"}, [1.0, 2.0, 1.0, 1.0])
    mono = netopt.solve(net, decompose="monolithic")
    win = netopt.solve(net, decompose="windows")
    assert win.decompose == "windows" and win.formulation.lp.A.nnz == 0
    a, b = netopt.ranging(mono), netopt.ranging(win)
    for x, y in ((a.costs, b.costs), (a.bounds, b.bounds)):
        assert x.shape == y.shape and len(x)
        num = x.select_dtypes("number").columns
        np.testing.assert_allclose(y[num].to_numpy(float), x[num].to_numpy(float),
                                   rtol=1e-6, atol=1e-6)
