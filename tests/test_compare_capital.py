"""compare() with capital on both sides, and the levelised cost of computing.

Oracle: the two-node network of test_capital_breakeven, where each way of serving the
east's work has a per-MWh cost written out by hand (that module's docstring).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import netopt
from netopt.levelised import cost_by_demand, levelised_cost
from test_capital_breakeven import DEMAND, H, _closed_form, _network

ARGS = dict(p_w=300.0, tau=65.0, eta=0.94, pue_e=1.25, pue_w=1.2, k_e=2.0e6, k_w=1.5e6,
            k_line=3.0e5, k_bw=2.0e5, c=30.0)


@pytest.mark.parametrize("delta", [0.5, 20.0])
def test_each_case_builds_what_it_needs_and_costs_what_the_algebra_says(delta):
    star, per_tb, fixed_data, power = _closed_form(*ARGS.values())
    move_data = delta * per_tb + fixed_data
    comp = netopt.compare(_network(delta, *ARGS.values()))
    assert comp.unserved.empty
    t = comp.table.set_index("scenario")
    assert t.loc["move_power_only", "total"] == pytest.approx(DEMAND * H * power, rel=1e-7)
    assert t.loc["move_data_only", "total"] == pytest.approx(DEMAND * H * move_data,
                                                             rel=1e-7)
    assert t.loc["joint", "total"] == pytest.approx(DEMAND * H * min(power, move_data),
                                                    rel=1e-7)
    built = comp.builds.groupby(["scenario", "kind", "item"])["amount"].sum()
    assert built[("move_power_only", "site", "site_e")] == pytest.approx(DEMAND)
    assert built[("move_power_only", "line", "line")] == pytest.approx(
        DEMAND * ARGS["pue_e"] / ARGS["eta"])
    assert built[("move_data_only", "site", "site_w")] == pytest.approx(DEMAND)
    assert built[("move_data_only", "link", "fibre")] == pytest.approx(DEMAND * delta / 0.45)
    # the levelised cost per MWh of eastern computing is the hand-written cost per MWh
    lev = comp.levelised
    assert lev.loc["k", "move_power_only"] == pytest.approx(power, rel=1e-7)
    assert lev.loc["k", "move_data_only"] == pytest.approx(move_data, rel=1e-7)
    assert lev.loc["all classes", "joint"] == pytest.approx(min(power, move_data), rel=1e-7)
    capital = DEMAND * (ARGS["k_e"] + ARGS["pue_e"] / ARGS["eta"] * ARGS["k_line"])
    assert t.loc["move_power_only", "capital"] == pytest.approx(capital, rel=1e-7)
    assert t.loc["move_power_only", "capital"] + t.loc["move_power_only", "operating"] \
        == pytest.approx(t.loc["move_power_only", "total"], rel=1e-9)


def test_unserved_reason_says_nothing_may_be_built(toy):
    comp = netopt.compare(toy)
    reasons = set(comp.unserved["reason"])
    assert reasons and all("lets none of them grow" in r for r in reasons)


@pytest.mark.parametrize("name", ["toy", "china-edwc", "sichuan"])
def test_allocated_costs_add_up_to_the_objective(name):
    r = netopt.solve(netopt.load(name))
    t = cost_by_demand(r)
    # sichuan's receiving grids are electric loads: their own power is kept apart
    assert (t.attrs["loads"] > 0) == (name == "sichuan")
    assert t["total"].sum() + t.attrs["loads"] == pytest.approx(r.objective, rel=1e-9)
    assert t["mwh_it"].sum() == pytest.approx(r.totals["it_energy_mwh"], rel=1e-9)
    lev = levelised_cost(r)
    assert (lev.dropna() > 0).all()


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), periods=st.integers(1, 3))
def test_allocation_adds_up_on_generated_networks_with_build_out(seed, periods):
    net = netopt.generate(12, periods=periods, seed=seed)
    sites = net.sites.assign(max_it_capacity_mw=net.sites["it_capacity_mw"] * 2,
                             capex_per_mw=4e6, lifetime_years=20.0)
    net = netopt.Network(**{**net.tables, "sites": sites}, settings=net.settings)
    r = netopt.solve(net)
    assert cost_by_demand(r)["total"].sum() == pytest.approx(r.objective, rel=1e-8)


def test_average_energy_cost_traces_imported_power_by_hand(toy):
    # east mixes its own grid (730) with hydro from the west (300) sent over the line
    # (tariff 65, efficiency 0.94): each delivered MWh costs (300 + 65) / 0.94
    r = netopt.solve(toy)
    avg = netopt.levelised.average_energy_cost(r)
    line = r.power_lines.iloc[0]
    src = r.sources.droplevel("period")  # one period
    local = src.loc[src["node"] == "east", "generation_mwh"].sum()
    delivered = line["delivered_mwh"]
    assert delivered > 0 and local > 0
    east = (delivered * (300 + 65) / 0.94 + local * 730) / (delivered + local)
    assert avg[("east", "year")] == pytest.approx(east, rel=1e-9)
    assert avg[("west", "year")] == pytest.approx(300, rel=1e-9)
