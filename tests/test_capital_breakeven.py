"""The break-even data intensity with capital on both sides, against LP solves.

Two nodes, nothing built yet: the east has demand and room for a data centre but no
power; the west has cheap power and room for a data centre. Serving the east's work
needs either a western data centre and fibre bandwidth (move the data) or an eastern
data centre and a power line (move the power). Per MWh of IT work run all year:

    move data  = delta (c + K_bw / (0.45 x 8760)) + PUE_w p_w + K_w / 8760
    move power = PUE_e (p_w + tau + K_line / 8760) / eta + K_e / 8760

with K the annual capital per unit (MW_IT of site, Gbps of bandwidth, MW of line).
The closed form below is written here from that algebra, not taken from netopt.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import netopt

H = 8760.0
DEMAND = 10.0


def _network(delta, p_w, tau, eta, pue_e, pue_w, k_e, k_w, k_line, k_bw, c):
    return netopt.Network(
        nodes=pd.DataFrame({"id": ["east", "west"], "lat": [31.2, 26.4],
                            "lon": [121.5, 106.3], "region": ["east", "west"]}),
        sites=pd.DataFrame({"id": ["site_e", "site_w"], "node": ["east", "west"],
                            "it_capacity_mw": [0.0, 0.0], "pue": [pue_e, pue_w],
                            "max_it_capacity_mw": [1e4, 1e4],
                            "capex_per_mw_year": [k_e, k_w]}),
        sources=pd.DataFrame({"id": ["w"], "node": ["west"], "marginal_cost": [p_w]}),
        backbone_links=pd.DataFrame({"id": ["fibre"], "from": ["east"], "to": ["west"],
                                     "latency_ms": [10.0], "cost_per_tb": [c],
                                     "bandwidth_gbps": [0.0],
                                     "max_bandwidth_gbps": [1e6],
                                     "capex_per_gbps_year": [k_bw]}),
        power_lines=pd.DataFrame({"id": ["line"], "from": ["west"], "to": ["east"],
                                  "capacity_mw": [0.0], "efficiency": [eta],
                                  "tariff": [tau], "max_capacity_mw": [1e6],
                                  "capex_per_mw_year": [k_line]}),
        classes=pd.DataFrame({"id": ["k"], "data_intensity_tb_per_mwh": [delta]}),
        demand=pd.DataFrame({"node": ["east"], "class": ["k"], "mw_it": [DEMAND]}),
        periods=pd.DataFrame({"id": ["year"], "weight_h": [H]}),
        settings={"name": "two-node-capital"})


def _closed_form(p_w, tau, eta, pue_e, pue_w, k_e, k_w, k_line, k_bw, c):
    per_tb = c + k_bw / (0.45 * H)
    fixed_data = pue_w * p_w + k_w / H
    power = pue_e * (p_w + tau + k_line / H) / eta + k_e / H
    return (power - fixed_data) / per_tb, per_tb, fixed_data, power


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p_w=st.floats(100, 600), tau=st.floats(0, 150), eta=st.floats(0.85, 0.99),
       pue_e=st.floats(1.1, 1.6), pue_w=st.floats(1.1, 1.6),
       k_e=st.floats(0, 3e6), k_w=st.floats(0, 3e6), k_line=st.floats(0, 5e5),
       k_bw=st.floats(0, 5e5), c=st.floats(1, 100),
       side=st.sampled_from([0.6, 1.4]))
def test_lp_choice_and_cost_follow_the_capital_break_even(p_w, tau, eta, pue_e, pue_w,
                                                          k_e, k_w, k_line, k_bw, c,
                                                          side):
    args = (p_w, tau, eta, pue_e, pue_w, k_e, k_w, k_line, k_bw, c)
    star, per_tb, fixed_data, power = _closed_form(*args)
    assume(star > 0.05)
    delta = star * side  # 40 % below or above the break-even
    net = _network(delta, *args)
    r = netopt.solve(net)
    assert r.status == "optimal"
    data_wins = side < 1
    per_mwh = min(delta * per_tb + fixed_data, power)
    assert r.objective == pytest.approx(DEMAND * H * per_mwh, rel=1e-6)
    west = r.placement.loc[r.placement["site"] == "site_w", "mw_it"].sum()
    assert west == pytest.approx(DEMAND if data_wins else 0.0, abs=1e-6)
    table = netopt.breakeven_table(net, capital=True)
    assert table["delta_star"].iloc[0] == pytest.approx(star, rel=1e-9)
    assert table["winner"].iloc[0] == ("data" if data_wins else "power")


def test_without_capital_the_break_even_ignores_build_costs():
    args = (300.0, 65.0, 0.94, 1.25, 1.2, 2e6, 1e6, 3e5, 2e5, 30.0)
    net = _network(1.0, *args)
    plain = netopt.breakeven_table(net)["delta_star"].iloc[0]
    # without capital: (PUE_e (p_w + tau) / eta - PUE_w p_w) / c, and new lines (capacity
    # 0) do not count, so no power reaches the east: no break-even at all
    assert pd.isna(plain)
    with_cap = netopt.breakeven_table(net, capital=True)["delta_star"].iloc[0]
    assert with_cap == pytest.approx(_closed_form(*args)[0], rel=1e-9)
