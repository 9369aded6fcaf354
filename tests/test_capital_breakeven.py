"""The break-even data intensity with capital on both sides, against LP solves.

Two nodes, nothing built yet: the east has demand and room for a data centre but no
power; the west has cheap power and room for a data centre. Serving the east's work
needs either a western data centre and fibre bandwidth (move the data) or an eastern
data centre and a power line (move the power). Per MWh of IT work run all year:

    move data  = delta (c + K_bw / (0.45 x 8760) + e (q_e + p_w) / 2) + PUE_w p_w + K_w / 8760
    move power = PUE_e q_e + K_e / 8760,   q_e = (p_w + tau + K_line / 8760) / eta

with K the annual capital per unit (MW_IT of site, Gbps of bandwidth, MW of line), and
e the fibre's energy per TB (MWh; kWh per TB-km x length + kWh per TB / 1000), drawn
half at each end: the west's half at p_w, the east's half on power the line brings
(q_e, the east having none of its own). The closed form below is written here from
that algebra, not taken from netopt.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import two_node
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import netopt

H = 8760.0
DEMAND = 10.0


LENGTH_KM = 2000.0


def _network(delta, p_w, tau, eta, pue_e, pue_w, k_e, k_w, k_line, k_bw, c,
             e_km=0.0, e_hop=0.0):
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
                                     "length_km": [LENGTH_KM], "kwh_per_tb_km": [e_km],
                                     "kwh_per_tb_hop": [e_hop],
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


def _closed_form(p_w, tau, eta, pue_e, pue_w, k_e, k_w, k_line, k_bw, c, e_km=0.0,
                 e_hop=0.0):
    q_e = (p_w + tau + k_line / H) / eta
    e = (e_km * LENGTH_KM + e_hop) / 1000  # MWh per TB over the fibre
    per_tb = c + k_bw / (0.45 * H) + e * (q_e + p_w) / 2
    fixed_data = pue_w * p_w + k_w / H
    power = pue_e * q_e + k_e / H
    return (power - fixed_data) / per_tb, per_tb, fixed_data, power


# Annual capital: none, or at least 1 CNY per unit-year. Below that a cost enters the LP
# (per mean hour) under HiGHS's dual feasibility tolerance (1e-7): the solver may then
# treat it as free and build to the limit (7e-4 CNY per Gbps-year built 1e6 Gbps, 2.7e-5
# of the objective), a numerical floor, not a price anyone pays.
CAPITAL = st.one_of(st.just(0.0), st.floats(1.0, 5e5))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p_w=st.floats(100, 600), tau=st.floats(0, 150), eta=st.floats(0.85, 0.99),
       pue_e=st.floats(1.1, 1.6), pue_w=st.floats(1.1, 1.6),
       k_e=st.one_of(st.just(0.0), st.floats(1.0, 3e6)),
       k_w=st.one_of(st.just(0.0), st.floats(1.0, 3e6)), k_line=CAPITAL,
       k_bw=CAPITAL, c=st.floats(1, 100),
       e_km=st.sampled_from([0.0, 0.0005, 0.005]), e_hop=st.floats(0, 60),
       side=st.sampled_from([0.6, 1.4]))
def test_lp_choice_and_cost_follow_the_capital_break_even(p_w, tau, eta, pue_e, pue_w,
                                                          k_e, k_w, k_line, k_bw, c,
                                                          e_km, e_hop, side):
    args = (p_w, tau, eta, pue_e, pue_w, k_e, k_w, k_line, k_bw, c, e_km, e_hop)
    star, per_tb, fixed_data, power = _closed_form(*args)
    assume(star > 0.05)
    delta = star * side  # 40 % below or above the break-even
    net = _network(delta, *args)
    r = netopt.solve(net)
    assert r.status == "optimal"
    data_wins = side < 1
    per_mwh = min(delta * per_tb + fixed_data, power)
    assert r.objective == pytest.approx(DEMAND * H * per_mwh, rel=1e-6)
    west = r.placement.groupby(level="site")["mw_it"].sum().get("site_w", 0.0)
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


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p_w=st.floats(100, 600), dearer=st.floats(0.05, 1.0), tau=st.floats(0, 150),
       eta=st.floats(0.85, 0.99), pue_e=st.floats(1.1, 1.6), pue_w=st.floats(1.1, 1.6),
       c=st.floats(1, 100), e_hop=st.floats(0, 60), side=st.sampled_from([0.6, 1.4]))
def test_transport_energy_break_even_without_capital(p_w, dearer, tau, eta, pue_e, pue_w,
                                                     c, e_hop, side):
    """Existing capacity (nothing to build), the east with dearer power of its own: the
    line's power costs q_e = (p_w + tau) / eta there, for the home site and for the
    east's half of the fibre's energy alike, and

        delta* = (PUE_e q_e - PUE_w p_w) / (c + e (q_e + p_w) / 2)."""
    q_e = (p_w + tau) / eta
    p_e = q_e * (1 + dearer)
    e = e_hop / 1000
    per_tb = c + e * (q_e + p_w) / 2
    star = (pue_e * q_e - pue_w * p_w) / per_tb
    assume(star > 0.05)
    delta = star * side
    net = two_node(delta=delta, price_w=p_w, price_e=p_e, tariff=tau, eta=eta,
                   pue_e=pue_e, pue_w=pue_w, cost_per_tb=c, demand=DEMAND,
                   transport_kwh_per_tb_hop=e_hop)
    r = netopt.solve(net)
    assert r.status == "optimal"
    per_mwh = min(delta * per_tb + pue_w * p_w, pue_e * q_e)
    assert r.objective == pytest.approx(DEMAND * H * per_mwh, rel=1e-6)
    west = r.placement.groupby(level="site")["mw_it"].sum().get("site_w", 0.0)
    assert west == pytest.approx(DEMAND if side < 1 else 0.0, abs=1e-6)
    row = netopt.breakeven_table(net).iloc[0]
    assert row["delta_star"] == pytest.approx(star, rel=1e-9)
    assert row["transport_mwh_per_tb"] == pytest.approx(e, rel=1e-12)
    assert row["cost_move_data"] == pytest.approx(delta * per_tb + pue_w * p_w, rel=1e-9)
    assert row["winner"] == ("data" if side < 1 else "power")
