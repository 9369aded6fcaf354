"""Electric loads (power, not computing): docs/model.md (6e), (B4), (C7).

Oracles: a two-node network worked by hand (closed form of the cost and of the eastern
price, a hypothesis property over lines, losses, tariffs and prices); the same Sichuan
network with its receiving grids modelled as before loads existed (sites of a class
that moves no data), which must cost the same; the monolithic solve for windows.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import netopt
from netopt.cli import main
from netopt.levelised import cost_by_demand

H = 8760.0


def two_nodes(load_mw, *, line_mw=5.0, eta=0.94, tariff=50.0, west=300.0, east=700.0,
              voll=None, east_supply=True, periods=None):
    """West hydro (``west`` per MWh, unlimited), east grid (``east``), a line west->east;
    a 1 MW_IT job served at the west site; an electric load at east."""
    sources = {"id": ["hydro", "grid"], "node": ["west", "east"],
               "capacity_mw": [float("inf"), float("inf") if east_supply else 0.0],
               "marginal_cost": [west, east]}
    loads = {"node": ["east"], "mw": [load_mw]}
    if voll is not None:
        loads["value_of_lost_load"] = [voll]
    kw = {}
    if periods is not None:
        kw["periods"] = periods
        loads = {"node": ["east"] * len(periods), "period": list(periods["id"]),
                 "mw": load_mw}
    return netopt.Network(
        nodes=pd.DataFrame({"id": ["west", "east"], "lat": [30.0, 31.0],
                            "lon": [104.0, 121.0]}),
        sites=pd.DataFrame({"id": ["dc"], "node": ["west"], "it_capacity_mw": [10.0],
                            "pue": [1.0]}),
        sources=pd.DataFrame(sources),
        power_lines=pd.DataFrame({"id": ["uhv"], "from": ["west"], "to": ["east"],
                                  "capacity_mw": [line_mw], "efficiency": [eta],
                                  "tariff": [tariff], "bidirectional": [False]}),
        classes=pd.DataFrame({"id": ["batch"], "data_intensity_tb_per_mwh": [1.0]}),
        demand=pd.DataFrame({"node": ["west"], "class": ["batch"], "mw_it": [1.0]}),
        loads=pd.DataFrame(loads), settings={"name": "loads"}, **kw)


@settings(max_examples=25, deadline=None)
@given(load=st.one_of(st.just(0.0), st.floats(0.01, 50.0)),  # not below the tolerance
       line=st.one_of(st.just(0.0), st.floats(0.01, 60.0)), eta=st.floats(0.5, 1.0),
       tariff=st.floats(0.0, 300.0), west=st.floats(0.0, 600.0))
def test_load_cost_and_price_by_hand(load, line, eta, tariff, west):
    east = 700.0
    r = netopt.solve(two_nodes(load, line_mw=line, eta=eta, tariff=tariff, west=west,
                               east=east))
    import_ = (west + tariff) / eta < east  # a MWh delivered costs less than local
    sent = min(line, load / eta) if import_ else 0.0
    cost = H * (1.0 * west + sent * (west + tariff) + (load - eta * sent) * east)
    assert r.objective == pytest.approx(cost, rel=1e-7, abs=1.0)
    ld = r.loads
    assert list(ld.index.names) == ["node", "period"]
    assert ld["load_mw"].iloc[0] == pytest.approx(load) and ld["shed_mw"].iloc[0] == 0.0
    # the eastern price: the import's cost while the line has room, else the grid's
    if load > 1e-6 and abs(load / eta - line) > 1e-6:
        price = (west + tariff) / eta if import_ and load / eta < line else east
        assert ld["price"].iloc[0] == pytest.approx(price, rel=1e-6)
    assert r.totals["load_mwh"] == pytest.approx(load * H, rel=1e-9, abs=1e-6)


def test_load_is_shed_at_its_value_of_lost_load_and_strict_mode_refuses():
    # east has no supply and the line brings 5 x 0.94: the rest is shed at 900 / MWh
    net = two_nodes(10.0, voll=900.0, east_supply=False)
    r = netopt.solve(net)
    shed = 10.0 - 5.0 * 0.94
    assert r.loads["shed_mw"].iloc[0] == pytest.approx(shed)
    assert r.costs["unserved"] == pytest.approx(shed * H * 900.0)
    assert r.objective == pytest.approx(H * (300.0 + 5.0 * 350.0 + shed * 900.0))
    assert r.totals["load_shed_mwh"] == pytest.approx(shed * H)
    with pytest.raises(netopt.InfeasibleError) as e:
        netopt.solve(net, allow_unserved=False)
    assert "power" in str(e.value).lower()


def _as_placeholder_sites(net: netopt.Network) -> netopt.Network:
    """The receiving grids as they were modelled before loads: a site of PUE 1 at each
    load's node whose 'work' (a class moving no data, 0 ms) is the load."""
    ld = net.loads
    sites = pd.concat([net.sites, pd.DataFrame(
        {"node": ld["node"].to_numpy(), "it_capacity_mw": ld["mw"].to_numpy(),
         "pue": 1.0}, index=pd.Index("grid_load_" + ld["node"], name="id"))])
    classes = pd.concat([net.classes, pd.DataFrame(
        {"data_intensity_tb_per_mwh": [0.0], "max_latency_ms": [0.0]},
        index=pd.Index(["grid_load"], name="id"))])
    demand = pd.concat([net.demand, pd.DataFrame(
        {"node": ld["node"], "class": "grid_load", "period": ld["period"],
         "mw_it": ld["mw"]})], ignore_index=True)
    return netopt.Network(**{**net.tables, "sites": sites.reset_index(),
                             "classes": classes.reset_index(), "demand": demand,
                             "loads": None}, settings=net.settings)


def test_sichuan_costs_what_it_cost_with_placeholder_sites():
    net = netopt.load("sichuan")
    assert len(net.loads) == 3 and not net.sites.index.str.startswith("grid").any()
    old = netopt.solve(_as_placeholder_sites(net))
    new = netopt.solve(net)
    assert new.objective == pytest.approx(old.objective, rel=1e-9)
    for part in ("electricity", "carbon", "transmission", "unserved"):
        assert new.costs[part] == pytest.approx(old.costs[part], rel=1e-7, abs=1.0)
    # the loads' energy is what the placeholder sites drew
    assert new.totals["load_mwh"] == pytest.approx(
        old.totals["energy_drawn_mwh"] - new.totals["energy_drawn_mwh"], rel=1e-9)


def test_levelised_parts_and_loads_add_up_to_the_objective():
    r = netopt.solve(netopt.load("sichuan"))
    t = cost_by_demand(r)
    assert t.attrs["loads"] > 0
    assert t["total"].sum() + t.attrs["loads"] == pytest.approx(r.objective, rel=1e-9)


def test_loads_by_window_equal_the_monolithic_solve():
    periods = pd.DataFrame({"id": [f"h{i}" for i in range(6)], "weight_h": [H / 6] * 6,
                            "window": ["d1"] * 3 + ["d2"] * 3})
    base = two_nodes(1.0, periods=periods)
    loads = base.loads.assign(mw=[2.0, 8.0, 4.0, 1.0, 9.0, 3.0])
    net = netopt.Network(**{**base.tables, "loads": loads}, settings=base.settings)
    mono = netopt.solve(net, decompose="monolithic")
    win = netopt.solve(net, decompose="windows")
    assert win.decompose == "windows"
    assert win.objective == pytest.approx(mono.objective, rel=1e-9)
    pd.testing.assert_frame_equal(win.loads, mono.loads, rtol=1e-7)


@pytest.mark.parametrize("voll", [None, 400.0])
def test_loads_in_some_windows_only_equal_the_monolithic_solve(voll):
    # windows of one shape share one model: a load only in the second window (rows
    # naming its periods; none in the first) must still be met, or shed, there
    periods = pd.DataFrame({"id": [f"h{i}" for i in range(6)], "weight_h": [H / 6] * 6,
                            "window": ["d1"] * 3 + ["d2"] * 3})
    base = two_nodes(1.0, periods=periods, east_supply=False)
    loads = pd.DataFrame({"node": "east", "period": ["h3", "h4", "h5"],
                          "mw": [2.0, 9.0, 3.0], "value_of_lost_load": voll})
    net = netopt.Network(**{**base.tables, "loads": loads}, settings=base.settings)
    mono = netopt.solve(net, decompose="monolithic")
    win = netopt.solve(net, decompose="windows")
    assert win.decompose == "windows" and mono.ok and win.ok
    assert win.objective == pytest.approx(mono.objective, rel=1e-9)
    # 5 MW x 0.94 arrive: h4 sheds 9 - 4.7 (the settings' value of lost load, or 400)
    assert win.loads["shed_mw"].tolist() == pytest.approx([0, 0, 0, 0, 9 - 4.7, 0])
    pd.testing.assert_frame_equal(win.loads, mono.loads, rtol=1e-7, atol=1e-9)


def test_shed_never_exceeds_the_load():
    # a value of lost load (100) below the price at west (hydro, 300), where the site
    # also draws 1 MW: the whole load is shed, and no more (B4) — shedding "more" would
    # supply the site at 100
    net = two_nodes(10.0, line_mw=0.0)
    west = pd.DataFrame({"node": ["west"], "mw": [10.0], "value_of_lost_load": [100.0]})
    r = netopt.solve(netopt.Network(**{**net.tables, "loads": west},
                                    settings=net.settings))
    assert r.loads["shed_mw"].iloc[0] == pytest.approx(10.0)
    assert r.objective == pytest.approx(H * (300.0 + 10.0 * 100.0))


def test_a_load_no_power_reaches_is_refused():
    net = two_nodes(1.0)
    nodes = pd.concat([net.nodes.reset_index(), pd.DataFrame(
        {"id": ["island"], "lat": [20.0], "lon": [110.0]})], ignore_index=True)
    loads = pd.DataFrame({"node": ["east", "island"], "mw": [1.0, 2.0]})
    with pytest.raises(netopt.ValidationError,
                       match="row 1, column 'node': the load at 'island' has no way to "
                             "get power"):
        netopt.Network(**{**net.tables, "nodes": nodes, "loads": loads},
                       settings=net.settings)


def test_loads_are_checked():
    net = two_nodes(1.0)
    bad = pd.DataFrame({"node": ["mars", "east", "east"], "period": ["", "", "year"],
                        "mw": [1.0, 2.0, 3.0]})
    with pytest.raises(netopt.ValidationError) as e:
        netopt.Network(**{**net.tables, "loads": bad}, settings=net.settings)
    text = str(e.value)
    assert "loads table, row 0, column 'node': unknown node 'mars'" in text
    assert "the load at 'east' is already given for every period" in text
    neg = pd.DataFrame({"node": ["east"], "mw": [-1.0]})
    with pytest.raises(netopt.ValidationError, match="column 'mw'"):
        netopt.Network(**{**net.tables, "loads": neg}, settings=net.settings)


def test_results_and_instance_files_carry_the_loads(tmp_path):
    net = two_nodes(3.0)
    netopt.save(net, tmp_path / "inst")
    assert (tmp_path / "inst" / "loads.csv").exists()
    again = netopt.load(tmp_path / "inst")
    pd.testing.assert_frame_equal(again.loads, net.loads)
    assert main(["solve", str(tmp_path / "inst"), "--out", str(tmp_path / "out")]) == 0
    written = pd.read_csv(tmp_path / "out" / "loads.csv")
    assert list(written.columns[:2]) == ["node", "period"]
    assert written["load_mw"].tolist() == [3.0]
    units = pd.read_csv(tmp_path / "out" / "units.csv")
    assert units.query("table == 'loads' and column == 'shed_cost'")["unit"].tolist() \
        == ["CNY"]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["totals"]["load_mwh"] == pytest.approx(3.0 * H)


def test_diagnosis_names_the_load_that_cannot_be_supplied():
    # east has no supply of its own and the line brings 4.7 MW: 5.3 MW are short
    with pytest.raises(netopt.InfeasibleError) as e:
        netopt.solve(two_nodes(10.0, east_supply=False), allow_unserved=False)
    d = e.value.diagnosis
    load = d[d["constraint"] == "load"]
    assert load["item"].tolist() == ["load@east"]
    assert load["shortfall"].iloc[0] == pytest.approx(10.0 - 5.0 * 0.94)
    power = d[d["constraint"] == "power"]
    assert power["shortfall"].sum() == pytest.approx(10.0 - 5.0 * 0.94)
    assert "load@east" in power["demand"].iloc[0]
    text = str(e.value)
    assert "MW of the electric load at 'east' cannot be supplied" in text


def test_compare_sweeps_and_the_summary_report_loads_and_shedding():
    from netopt.analysis.sweep import result_metrics
    net = two_nodes(10.0, voll=900.0, east_supply=False)
    r = netopt.solve(net)
    m = result_metrics(r)
    assert m["load_shed_mwh"] == pytest.approx((10.0 - 4.7) * H)
    assert m["load_mwh"] == pytest.approx(4.7 * H)
    text = r.summary()
    assert "!! ELECTRIC LOAD SHED" in text and "east:" in text
    comp = netopt.compare(two_nodes(10.0))
    t = comp.table.set_index("scenario")
    # moving data only takes the line away: east's load is then met by its own grid
    assert t.loc["move_data_only", "loads_power_cost"] == pytest.approx(10.0 * H * 700.0)
    assert "electric loads supplied" in str(comp) and "their power's cost" in str(comp)


def test_html_report_has_an_electric_loads_section(tmp_path):
    from netopt.views.html_report import write_html_report
    net = two_nodes(10.0, voll=900.0, east_supply=False)
    write_html_report(tmp_path / "r.html", net)
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    section = text.split("<h2>Electric loads</h2>")[1].split("<h2>")[0]
    assert "<th>east</th>" in section and "shed (MWh)" in section
    assert f"{4.7 * H:,.0f}" in section and f"{5.3 * H:,.0f}" in section
    assert "electric loads&#x27; power" in text or "electric loads' power" in text
