"""End-to-end solves checked against independent oracles: a hand-worked optimum, the
closed-form break-even data intensity, networkx min-cost flow, and published optima."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import netopt
from conftest import two_node

# -- (a) the toy instance, worked by hand in instances/toy/README.md -------------------


def test_toy_hand_worked_optimum(toy):
    r = netopt.solve(toy)
    assert r.status == "optimal"
    assert r.objective == pytest.approx(575_137_800, rel=1e-9)
    c = r.costs
    assert c["data_transport"] == pytest.approx(788_400, rel=1e-9)
    assert c["electricity"] == pytest.approx(541_806_000, rel=1e-9)
    assert c["carbon"] == pytest.approx(4_073_400, rel=1e-9)
    assert c["transmission"] == pytest.approx(28_470_000, rel=1e-9)
    assert c["unserved"] == 0
    assert c["total"] == pytest.approx(r.objective, rel=1e-12)


def test_toy_hand_worked_placement_and_flows(toy):
    r = netopt.solve(toy)
    where = r.placement.groupby(["class", "site"])["mw_it"].sum()
    assert where[("ai", "dc_west")] == pytest.approx(100)
    assert where[("archive", "dc_east")] == pytest.approx(20)
    assert where[("interactive", "dc_east")] == pytest.approx(30)
    line = r.power_lines.iloc[0]
    assert line["sent_mw"] == pytest.approx(50) and line["delivered_mw"] == pytest.approx(47)
    gen = r.sources["generation_mw"].droplevel("period")
    assert gen["grid_east"] == pytest.approx(15.5) and gen["hydro_west"] == pytest.approx(170)
    # data moves only for work that leaves its origin: 100 MW x 0.03 TB/MWh x 8760 h
    assert r.totals["data_moved_tb"] == pytest.approx(100 * 0.03 * 8760)


def test_toy_hand_worked_prices(toy):
    r = netopt.solve(toy)
    prices = r.node_prices["price"].droplevel("period")
    assert prices["east"] == pytest.approx(730) and prices["west"] == pytest.approx(300)
    assert r.power_lines["shadow_price"].iloc[0] == pytest.approx(0.94 * 730 - 365)
    d = r.demand_prices["price"].droplevel(["origin", "period"])  # one origin, one period
    assert d["ai"] == pytest.approx(360.9)
    assert d["archive"] == pytest.approx(912.5) and d["interactive"] == pytest.approx(912.5)


# -- (b) break-even data intensity, closed form ----------------------------------------


def _delta_star(p, tau, eta, pue_e, pue_w, c):
    return (pue_e * (p + tau) / eta - pue_w * p) / c


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p=st.floats(10, 1000), tau=st.floats(0, 200), eta=st.floats(0.5, 1.0),
       pue_e=st.floats(1.0, 2.0), pue_w=st.floats(1.0, 2.0), c=st.floats(1, 100),
       factor=st.one_of(st.floats(0.0, 0.97), st.floats(1.03, 4.0)))
def test_breakeven_decides_data_or_power(p, tau, eta, pue_e, pue_w, c, factor):
    star = _delta_star(p, tau, eta, pue_e, pue_w, c)
    assume(star > 1e-3)
    delta = star * factor
    net = two_node(price_w=p, tariff=tau, eta=eta, pue_e=pue_e, pue_w=pue_w,
                   cost_per_tb=c, delta=delta, weight=1.0)
    r = netopt.solve(net)
    assert r.ok
    site = r.placement.groupby("site")["mw_it"].sum()
    expected = "site_w" if delta < star else "site_e"
    assert site.get(expected, 0.0) == pytest.approx(1.0, rel=1e-7)
    by_data = delta * c + pue_w * p
    by_power = pue_e * (p + tau) / eta
    assert r.objective == pytest.approx(min(by_data, by_power), rel=1e-7)


def test_breakeven_worked_example():
    # china-edwc's defaults: west 300 CNY/MWh, tariff 65 and efficiency 0.94 (NDRC notice
    # 发改办价格〔2021〕958号), PUE 1.25 east / 1.2 west, 30 CNY/TB -> about 4.2 TB/MWh
    star = _delta_star(300, 65, 0.94, 1.25, 1.2, 30)
    assert star == pytest.approx(4.18, abs=0.01)
    below = netopt.solve(two_node(delta=4.1))
    above = netopt.solve(two_node(delta=4.3))
    assert set(below.placement.index.get_level_values("site")) == {"site_w"}
    assert set(above.placement.index.get_level_values("site")) == {"site_e"}


# -- (c) single class, unlimited bandwidth: a transportation problem --------------------


@st.composite
def transport_cases(draw):
    n = draw(st.integers(3, 7))
    nodes = [f"n{i}" for i in range(n)]
    edges = {(i, i + 1): draw(st.integers(1, 50)) for i in range(n - 1)}  # connected
    for _ in range(draw(st.integers(0, 6))):
        a, b = sorted(draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2,
                                    unique=True)))
        edges[(a, b)] = draw(st.integers(1, 50))
    site_idx = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
    origin_idx = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
    demand = {nodes[i]: draw(st.integers(1, 40)) for i in origin_idx}
    caps = [draw(st.integers(1, 60)) for _ in site_idx]
    short = sum(demand.values()) - sum(caps)
    if short > 0:
        caps[0] += short
    prices = [draw(st.integers(0, 80)) for _ in site_idx]
    return nodes, edges, site_idx, caps, prices, demand


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transport_cases())
def test_transportation_equals_networkx_min_cost_flow(case):
    nodes, edges, site_idx, caps, prices, demand = case
    sites = [nodes[i] for i in site_idx]
    net = netopt.Network(
        nodes=pd.DataFrame({"id": nodes, "lat": np.linspace(0, 10, len(nodes)),
                            "lon": np.zeros(len(nodes))}),
        sites=pd.DataFrame({"id": [f"s_{n}" for n in sites], "node": sites,
                            "it_capacity_mw": caps, "pue": 1.0}),
        sources=pd.DataFrame({"id": [f"p_{n}" for n in sites], "node": sites,
                              "marginal_cost": prices}),
        backbone_links=pd.DataFrame({
            "id": [f"l{a}_{b}" for a, b in edges], "from": [nodes[a] for a, _ in edges],
            "to": [nodes[b] for _, b in edges],
            "latency_ms": [w / 1000 for w in edges.values()],
            "cost_per_tb": list(edges.values())}),
        classes=pd.DataFrame({"id": ["k"], "data_intensity_tb_per_mwh": [1.0]}),
        demand=pd.DataFrame({"node": list(demand), "class": "k",
                             "mw_it": list(demand.values())}),
        periods=pd.DataFrame({"id": ["h"], "weight_h": [1.0]}),
        settings={"name": "transport", "allow_unserved": False, "routes_per_pair": 1})
    r = netopt.solve(net)

    g = nx.DiGraph()
    total = sum(demand.values())
    g.add_node("S", demand=-total)
    g.add_node("T", demand=total)
    for o, d in demand.items():
        g.add_edge("S", ("o", o), capacity=d, weight=0)
        g.add_edge(("o", o), o, weight=0)
    for (a, b), w in edges.items():
        g.add_edge(nodes[a], nodes[b], weight=w)
        g.add_edge(nodes[b], nodes[a], weight=w)
    for s, cap, p in zip(sites, caps, prices):
        g.add_edge(s, ("s", s), capacity=cap, weight=p)
        g.add_edge(("s", s), "T", weight=0)
    assert r.ok
    assert r.objective == pytest.approx(nx.min_cost_flow_cost(g), abs=1e-6)


# -- (d) Dantzig's transportation problem (Dantzig 1963; tests/data/README.md) --------


def test_dantzig_transportation_published_optimum():
    plants = {"seattle": 350, "san_diego": 600}
    markets = {"new_york": 325, "chicago": 300, "topeka": 275}
    dist = {("seattle", "new_york"): 2.5, ("seattle", "chicago"): 1.7,
            ("seattle", "topeka"): 1.8, ("san_diego", "new_york"): 2.5,
            ("san_diego", "chicago"): 1.8, ("san_diego", "topeka"): 1.4}
    ids = list(plants) + list(markets)
    net = netopt.Network(
        nodes=pd.DataFrame({"id": ids, "lat": np.arange(5.0), "lon": np.arange(5.0)}),
        sites=pd.DataFrame({"id": list(plants), "node": list(plants),
                            "it_capacity_mw": list(plants.values()), "pue": 1.0}),
        sources=pd.DataFrame({"id": [f"p_{p}" for p in plants], "node": list(plants),
                              "marginal_cost": 0.0}),
        backbone_links=pd.DataFrame({
            "id": [f"{p}-{m}" for p, m in dist], "from": [m for _, m in dist],
            "to": [p for p, _ in dist], "latency_ms": list(dist.values()),
            # 90 dollars per case per thousand miles, in thousands of dollars
            "cost_per_tb": [90 * d / 1000 for d in dist.values()]}),
        classes=pd.DataFrame({"id": ["cases"], "data_intensity_tb_per_mwh": [1.0]}),
        demand=pd.DataFrame({"node": list(markets), "class": "cases",
                             "mw_it": list(markets.values())}),
        periods=pd.DataFrame({"id": ["once"], "weight_h": [1.0]}),
        settings={"name": "trnsport", "allow_unserved": False})
    for solver in ("highs", "cbc"):
        r = netopt.solve(net, solver)
        assert r.objective == pytest.approx(153.675, abs=1e-6), solver
        shipped = r.placement.groupby("site")["mw_it"].sum()
        assert shipped["seattle"] <= 350 + 1e-6 and shipped["san_diego"] <= 600 + 1e-6


# -- (e) HiGHS and PuLP/CBC agree on every built-in instance ----------------------------


@pytest.mark.parametrize("name", sorted(netopt.builtin_instances()))
def test_highs_and_cbc_agree_on_builtin(name):
    net = netopt.load(name)
    a, b = netopt.solve(net, "highs"), netopt.solve(net, "cbc")
    assert a.ok and b.ok
    assert abs(a.objective - b.objective) <= 1e-6 * abs(a.objective)
    for part in ("data_transport", "electricity", "carbon", "transmission", "unserved"):
        assert a.costs[part] == pytest.approx(b.costs[part], rel=1e-5, abs=1.0)


# -- modes: strict and elastic ----------------------------------------------------------


def test_strict_mode_infeasible_raises_with_diagnosis_not_numbers():
    net = two_node(demand=5.0, line_cap=1.0)  # the east cannot get 5 MW x 1.25 of power
    net = netopt.Network(**{**net.tables, "sites": net.sites.assign(
        it_capacity_mw=[float("inf"), 0.0])}, settings=net.settings)
    with pytest.raises(netopt.InfeasibleError, match="cannot be served") as exc:
        netopt.solve(net, allow_unserved=False)
    r = exc.value.result
    assert r.status == "infeasible" and not r.ok and math.isnan(r.objective)
    with pytest.raises(netopt.NotOptimalError, match="infeasible"):
        r.placement
    assert r.to_dict()["objective"] is None
    d = exc.value.diagnosis.set_index("constraint")["shortfall"]
    # The line powers 0.94 / 1.25 MW_IT in the east; the rest cannot be served.
    assert d["demand"] == pytest.approx(5 - 0.94 / 1.25)
    # Least fix, by hand: minimise s_west + max(0, 1.25 (5 - x_w) - 0.94) with s_west = x_w;
    # one MW_IT moved west costs 1 against 1.25 of eastern power: all of it goes west.
    assert d["site capacity"] == pytest.approx(5 - 0.94 / 1.25)
    assert "power" not in d.index


def test_elastic_mode_reports_unserved_at_value_of_lost_load():
    net = two_node(demand=5.0, line_cap=1.0, value_of_lost_load=10_000.0, weight=1.0)
    net = netopt.Network(**{**net.tables, "sites": net.sites.assign(
        it_capacity_mw=[float("inf"), 0.0])}, settings=net.settings)
    r = netopt.solve(net)
    assert r.ok
    served = 0.94 / 1.25  # MW_IT the line can power in the east
    assert r.unserved["mw_it"].sum() == pytest.approx(5 - served)
    expected = (5 - served) * 10_000 + 1.0 * (300 + 65)
    assert r.objective == pytest.approx(expected, rel=1e-9)
    assert "UNSERVED" in r.summary()


def test_identical_periods_scale_the_single_period_optimum():
    one = netopt.solve(two_node(delta=1.0, weight=8760.0))
    net = two_node(delta=1.0)
    four = netopt.Network(**{**net.tables, "periods": pd.DataFrame(
        {"id": list("abcd"), "weight_h": [2190.0] * 4})}, settings=net.settings)
    r = netopt.solve(four)
    assert r.objective == pytest.approx(one.objective, rel=1e-9)


# -- the China instance: the solution must be explainable -------------------------------


def test_china_ai_training_and_batch_go_west(china_result):
    bc = china_result.by_class
    for k in ("ai_training", "batch_analytics"):
        assert bc.loc[k, "east"] == pytest.approx(0, abs=1e-3)
        assert bc.loc[k, "west"] > 0


def test_china_latency_bound_work_stays_near_users(china, china_result):
    p = china_result.placement.reset_index()
    sla = china.classes["max_latency_ms"]
    assert (p["latency_ms"] <= sla.loc[p["class"]].to_numpy() + 1e-9).all()
    inter = p[p["class"] == "interactive"]
    region = china.nodes["region"]
    # Origins in the YRD and GBA hubs keep interactive work in eastern sites; Beijing's
    # may go to Horinger, 2.75 ms away.
    far_east = inter[inter["origin"].isin(["shanghai", "hangzhou", "nanjing", "guangzhou",
                                           "shenzhen"])]
    assert (region.loc[far_east["node"]] == "east").all()
    assert china_result.unserved.empty


def test_china_backup_does_not_cross_east_west(china, china_result):
    p = china_result.placement.reset_index()
    backup = p[p["class"] == "backup_archive"]
    region = china.nodes["region"]
    assert (region.loc[backup["origin"]].to_numpy() == region.loc[backup["node"]].to_numpy()).all()
