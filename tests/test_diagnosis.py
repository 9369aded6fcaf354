"""Infeasible strict plans are explained by the least shortfall that would fix them."""

from __future__ import annotations

import pandas as pd
import pytest

import netopt
from conftest import two_node


def _with(net, **tables):
    return netopt.Network(**{**net.tables, **tables}, settings=net.settings)


def test_feasible_network_has_empty_diagnosis(toy):
    assert netopt.diagnose(toy).empty


def test_site_capacity_short_by_hand(toy):
    # interactive work must stay east (5 ms), where the site holds 60 MW_IT
    net = _with(toy, demand=pd.DataFrame({"node": ["east"], "class": ["interactive"],
                                          "mw_it": [75.0]}))
    d = netopt.diagnose(net)
    assert d[["constraint", "item"]].values.tolist() == [["demand", "interactive@east"],
                                                         ["site capacity", "dc_east"]]
    assert d["shortfall"].tolist() == pytest.approx([15.0, 15.0])  # 75 - 60 MW_IT
    assert d["demand"].iloc[1] == "interactive@east"


def test_bandwidth_short_by_hand():
    # 1 MW_IT at delta 0.45 TB/MWh = 1 Gbps, over a 0.25 Gbps link; the east site is empty
    net = two_node(delta=0.45)
    net = _with(net, sites=net.sites.assign(it_capacity_mw=[0.0, float("inf")]),
                backbone_links=net.backbone_links.assign(bandwidth_gbps=0.25))
    with pytest.raises(netopt.InfeasibleError) as exc:
        netopt.solve(net, allow_unserved=False)
    d = exc.value.diagnosis
    assert d[["constraint", "item"]].values.tolist() == [["demand", "k@east"],
                                                         ["bandwidth", "fibre"]]
    assert d["shortfall"].tolist() == pytest.approx([0.75, 0.75])
    assert "bandwidth on link 'fibre' is short of 0.75 Gbps" in str(exc.value)


def test_several_shortfalls_and_periods():
    net = two_node(line_cap=1.0)
    periods = pd.DataFrame({"id": ["wet", "dry"], "weight_h": [4380.0, 4380.0]})
    demand = pd.DataFrame({"node": ["east", "east"], "class": ["k", "k"],
                           "period": ["wet", "dry"], "mw_it": [3.0, 1.0]})
    sites = net.sites.loc[["site_e"]].assign(it_capacity_mw=2.0)  # no western site
    net = _with(net, periods=periods, demand=demand, sites=sites)
    d = netopt.diagnose(net).set_index(["constraint", "period"])["shortfall"]
    # wet: all 3 MW_IT must run east: the site lacks 1, and 3 x 1.25 MW of power meets
    # the line's 0.94 MW
    assert d[("site capacity", "wet")] == pytest.approx(1.0)
    assert d[("power", "wet")] == pytest.approx(3 * 1.25 - 0.94)
    # dry: 1 MW_IT fits the site but needs 1.25 MW of power
    assert d[("power", "dry")] == pytest.approx(1.25 - 0.94)
    assert ("site capacity", "dry") not in d.index
    # the elastic model serves what the line can power: 0.94 / 1.25 MW_IT
    assert d[("demand", "wet")] == pytest.approx(3 - 0.94 / 1.25)
    assert d[("demand", "dry")] == pytest.approx(1 - 0.94 / 1.25)


def test_cli_prints_diagnosis_and_exits_1(toy_dir, capsys):
    from netopt.cli import main
    (toy_dir / "demand.csv").write_text("node,class,mw_it\neast,interactive,75\n")
    assert main(["solve", str(toy_dir), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "site 'dc_east' is short of 15 MW_IT" in err and "Traceback" not in err
