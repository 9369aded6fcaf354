"""The energy of moving data (docs/model.md, (6d)): a hand-worked relay network, the LP
unchanged without it, and the validation of its settings and columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import netopt
from netopt.data.network import Network

H = 8760.0


def _relay(**settings) -> Network:
    """Origin o (demand, no site), relay r, west w (the only site): o - r - w.

    o-r is 1,000 km at the network-wide 0.001 kWh/(TB km); r-w is 500 km with its own
    3 kWh/TB per hop (and the network-wide per km). Each node has its own grid.
    """
    return netopt.Network(
        nodes=pd.DataFrame({"id": ["o", "r", "w"], "lat": [31.2, 30.0, 26.4],
                            "lon": [121.5, 114.0, 106.3]}),
        sites=pd.DataFrame({"id": ["dc_w"], "node": ["w"], "it_capacity_mw": [100.0],
                            "pue": [1.2]}),
        sources=pd.DataFrame({"id": ["g_o", "g_r", "g_w"], "node": ["o", "r", "w"],
                              "marginal_cost": [700.0, 500.0, 300.0],
                              "emissions": [0.6, 0.4, 0.2]}),
        backbone_links=pd.DataFrame({"id": ["o-r", "r-w"], "from": ["o", "r"],
                                     "to": ["r", "w"], "length_km": [1000.0, 500.0],
                                     "latency_ms": [5.0, 2.5], "cost_per_tb": [5.0, 5.0],
                                     "kwh_per_tb_hop": [np.nan, 3.0]}),
        classes=pd.DataFrame({"id": ["k"], "data_intensity_tb_per_mwh": [10.0]}),
        demand=pd.DataFrame({"node": ["o"], "class": ["k"], "mw_it": [10.0]}),
        settings={"name": "relay", **settings})


def test_relay_by_hand():
    r = netopt.solve(_relay(transport_kwh_per_tb_km=0.001))
    assert r.ok
    # 10 MW_IT x 10 TB/MWh = 100 TB an hour over o-r (1 kWh/TB) and r-w (0.5 + 3 kWh/TB);
    # each link's energy is drawn half at each end: o 0.05 MW, r 0.05 + 0.175, w 0.175
    drawn = {"o": 0.05, "r": 0.225, "w": 0.175}
    te = r.transport_energy.groupby("node")["energy_mwh"].sum()
    for n, mw in drawn.items():
        assert te[n] == pytest.approx(mw * H, rel=1e-9)
    gen = r.sources.set_index("node")["generation_mw"]
    assert gen["o"] == pytest.approx(0.05, rel=1e-9)
    assert gen["r"] == pytest.approx(0.225, rel=1e-9)
    assert gen["w"] == pytest.approx(12 + 0.175, rel=1e-9)   # 10 MW_IT x PUE 1.2 + 0.175
    # cost per hour: data 100 TB x 10; energy at each node's own price
    per_hour = 100 * 10 + 0.05 * 700 + 0.225 * 500 + 12.175 * 300
    assert r.objective == pytest.approx(per_hour * H, rel=1e-9)
    assert r.costs["electricity"] == pytest.approx((per_hour - 1000) * H, rel=1e-9)
    # reported: per link, in total, its cost at the local price, its emissions
    links = r.links["energy_mwh"].droplevel("period")
    assert links["o-r"] == pytest.approx(0.1 * H) and links["r-w"] == pytest.approx(0.35 * H)
    t = r.totals
    assert t["transport_energy_mwh"] == pytest.approx(0.45 * H, rel=1e-9)
    assert t["transport_emissions_t"] == pytest.approx(
        (0.05 * 0.6 + 0.225 * 0.4 + 0.175 * 0.2) * H, rel=1e-9)
    assert r.transport_energy["cost"].sum() == pytest.approx(
        (0.05 * 700 + 0.225 * 500 + 0.175 * 300) * H, rel=1e-9)
    assert "Moving data drew 3.94 k MWh (1.36 k t CO2, at the local average" in r.summary()
    assert r.to_dict()["totals"]["transport_energy_mwh"] == pytest.approx(0.45 * H)
    # the levelised allocation still adds up to the plan's cost
    from netopt.levelised import cost_by_demand
    assert cost_by_demand(r)["total"].sum() == pytest.approx(r.objective, rel=1e-9)


def test_relay_powered_over_a_line_emits_at_the_line_sources_factor():
    """A relay without a source of its own, fed by a line: its factor is the sending
    node's, raised by the line's losses; factors x energy used add up to all emissions."""
    net = _relay(transport_kwh_per_tb_hop=2.0)
    t = net.tables
    sources = t["sources"].reset_index()
    sources = sources[sources["id"] != "g_r"]
    lines = pd.DataFrame({"id": ["w-r"], "from": ["w"], "to": ["r"], "capacity_mw": [5.0],
                          "efficiency": [0.8], "tariff": [10.0]})
    r = netopt.solve(Network(**{**t, "sources": sources, "power_lines": lines},
                             settings=net.settings))
    phi = r.node_emission_factors
    assert phi[("r", "year")] == pytest.approx(0.2 / 0.8, rel=1e-9)
    # r draws 100 TB/h x (2 / 2 + 3 / 2) kWh/TB (o-r the setting's, r-w its own):
    # 0.25 MW, for which w sends 0.3125 MW
    te = r.transport_energy.reset_index().set_index("node")  # one option, one period
    assert te.loc["r", "energy_mwh"] == pytest.approx(0.25 * H, rel=1e-9)
    assert r.power_lines["sent_mw"].sum() == pytest.approx(0.3125, rel=1e-9)
    # the LP prices it at w's price over the line: (300 + 10) / 0.8
    assert te.loc["r", "price"] == pytest.approx(310 / 0.8, rel=1e-6)
    used = (r.sites.groupby("node")["energy_mwh"].sum()
            .add(r.transport_energy.groupby("node")["energy_mwh"].sum(), fill_value=0))
    total = sum(used[n] * phi[(n, "year")] for n in used.index)
    assert total == pytest.approx(r.totals["emissions_t"], rel=1e-9)


def _same_lp(a, b):
    assert a.A.shape == b.A.shape
    assert (a.A != b.A).nnz == 0
    for v in ("c", "col_lower", "col_upper", "row_lower", "row_upper"):
        np.testing.assert_array_equal(getattr(a, v), getattr(b, v))
    for blocks in ("variables", "constraints"):
        x, y = getattr(a, blocks), getattr(b, blocks)
        assert list(x) == list(y)
        for name in x:
            pd.testing.assert_frame_equal(x[name].labels, y[name].labels)


def test_without_transport_energy_the_lp_is_unchanged(china, monkeypatch):
    """A network without the settings builds the LP netopt built before the component
    existed (the components without it)."""
    plain = Network(**{**china.tables, "backbone_links": china.backbone_links.assign(
        kwh_per_tb_km=np.nan, kwh_per_tb_hop=np.nan)},
        settings={k: v for k, v in china.settings.to_dict().items()
                  if not k.startswith("transport_")})
    with_it = netopt.formulate(plain).lp
    import netopt.model.formulation as formulation
    from netopt.model.components import transport_energy
    monkeypatch.setattr(formulation, "COMPONENTS",
                        tuple(c for c in formulation.COMPONENTS if c is not transport_energy))
    _same_lp(with_it, netopt.formulate(plain).lp)


def test_transport_energy_appends_to_the_balance_only(china):
    """Existing blocks keep their positions; the balance gains the relay nodes last."""
    zero = Network(**china.tables, settings={**china.settings.to_dict(),
                                             "transport_kwh_per_tb_km": 0.0,
                                             "transport_kwh_per_tb_hop": 0.0})
    a, b = netopt.formulate(zero).lp, netopt.formulate(china).lp
    assert list(a.variables) == list(b.variables)
    assert all(a.variables[n].start == b.variables[n].start for n in a.variables)
    na, nb = a.constraints["balance"].labels, b.constraints["balance"].labels
    assert len(nb) >= len(na)
    assert b.A.nnz > a.A.nnz


def test_a_sweep_of_the_intensity_rebuilds_the_matrix(toy):
    r = netopt.sweep(toy, {"settings.transport_kwh_per_tb_hop": [0.0, 10.0]},
                     processes=1, progress=False)
    totals = r["objective"].to_numpy()
    assert r["transport_energy_mwh"].iloc[0] == 0 < r["transport_energy_mwh"].iloc[1]
    # ai: 100 MW_IT x 0.03 TB/MWh x 10 kWh/TB, half at east (730 with carbon), half at
    # west (300): the LP may do better than that plan, never worse
    assert totals[1] > totals[0]
    assert totals[1] <= totals[0] + 100 * 0.03 * 0.01 * (730 + 300) / 2 * H * 1.0001


@pytest.mark.parametrize("where, key, value, column, text", [
    ("settings", "transport_kwh_per_tb_km", -1, "transport_kwh_per_tb_km", "must be >= 0"),
    ("settings", "transport_kwh_per_tb_hop", "nan", "transport_kwh_per_tb_hop",
     "expected a number"),
    ("links", 0, "-2", "kwh_per_tb_hop", "must be >= 0"),
    ("links", 0, "nan", "kwh_per_tb_km", "expected a number"),
    ("links", 0, "1e9", "kwh_per_tb_km", "must be <="),
])
def test_bad_values_name_file_row_and_column(toy_dir, where, key, value, column, text):
    if where == "settings":
        path = toy_dir / "network.yaml"
        path.write_text(path.read_text() + f"{key}: {value}\n")
        file, row = "network.yaml", None
    else:
        path = toy_dir / "backbone_links.csv"
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        df[column] = ""
        df.loc[key, column] = value
        df.to_csv(path, index=False)
        file, row = "backbone_links.csv", key + 2
    with pytest.raises(netopt.ValidationError) as exc:
        netopt.load(toy_dir)
    assert any(i.file == file and i.row == row and i.column == column and text in i.message
               for i in exc.value.issues), exc.value.issues


def test_energy_drawn_where_no_power_reaches_is_an_error_naming_the_link(toy_dir):
    # a relay node with no source and no line: the energy drawn there has no supply
    nodes = pd.read_csv(toy_dir / "nodes.csv", dtype=str, keep_default_na=False)
    nodes.loc[len(nodes)] = ["relay", "Relay", "28.0", "112.0", "east"]
    nodes.to_csv(toy_dir / "nodes.csv", index=False)
    links = pd.read_csv(toy_dir / "backbone_links.csv", dtype=str, keep_default_na=False)
    links.loc[len(links)] = ["east-relay", "east", "relay", "800", "4", "inf", "12"]
    links["kwh_per_tb_hop"] = ["", "2"]
    links.to_csv(toy_dir / "backbone_links.csv", index=False)
    with pytest.raises(netopt.ValidationError) as exc:
        netopt.load(toy_dir)
    (issue,) = exc.value.issues
    assert (issue.file, issue.row, issue.column) == ("backbone_links.csv", 3,
                                                     "kwh_per_tb_hop")
    assert "'relay'" in issue.message and "east-relay" in issue.message
    # the network-wide setting names the same row, under the setting's column
    links["kwh_per_tb_hop"] = ""
    links.to_csv(toy_dir / "backbone_links.csv", index=False)
    path = toy_dir / "network.yaml"
    path.write_text(path.read_text() + "transport_kwh_per_tb_km: 0.001\n")
    with pytest.raises(netopt.ValidationError) as exc:
        netopt.load(toy_dir)
    (issue,) = exc.value.issues
    assert (issue.row, issue.column) == (3, "kwh_per_tb_km")
