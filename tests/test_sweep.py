"""Sweeps and break-even search: every scenario equals a direct solve of its network."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import netopt
from conftest import two_node
from netopt.scenarios import ScenarioError, apply, parse_address


def _direct(net, scenario):
    return netopt.solve(apply(net, scenario)).objective


SCENARIOS = [
    {"sources.marginal_cost[hydro_west]": "*0.5"},
    {"sources.marginal_cost": "*2", "settings.carbon_price": 0.0},
    {"power_lines.capacity_mw[uhv]": 10.0},
    {"demand.mw_it[class=ai]": 150.0},
    {"sites.it_capacity_mw[dc_east]": 45.0},
    {"backbone_links.cost_per_tb": "*3"},
    {"backbone_links.latency_ms": 4.0},  # changes routes: rebuilds the model
    {"classes.data_intensity_tb_per_mwh[ai]": 20.0},  # changes the matrix
]


def test_sweep_scenarios_equal_direct_solves(toy):
    df = netopt.sweep(toy, scenarios=SCENARIOS, processes=1, progress=False)
    assert (df["status"] == "optimal").all()
    for s, obj in zip(SCENARIOS, df["objective"]):
        assert obj == pytest.approx(_direct(toy, s), rel=1e-9), s


def test_grid_and_process_pool(toy):
    params = {"sources.marginal_cost[grid_east]": [600.0, 700.0, 900.0],
              "settings.carbon_price": [0.0, 100.0]}
    df = netopt.sweep(toy, params, processes=2, progress=False,
                      metrics={"east_price": lambda r: r.node_prices.loc[("east", "year"),
                                                                         "price"]})
    assert len(df) == 6 and list(df["scenario"]) == list(range(6))
    for _, row in df.iterrows():
        s = {k: row[k] for k in params}
        assert row["objective"] == pytest.approx(_direct(toy, s), rel=1e-9)
        # the eastern grid is at the margin in the east: its price plus carbon
        assert row["east_price"] == pytest.approx(row["sources.marginal_cost[grid_east]"]
                                                  + 0.6 * row["settings.carbon_price"])


def test_failed_scenario_is_recorded_and_others_run(toy):
    df = netopt.sweep(toy, {"sites.pue[dc_east]": [1.1, 0.5, 1.3]}, processes=1,
                      progress=False)
    assert list(df["status"]) == ["optimal", "error", "optimal"]
    assert "pue" in df.loc[1, "error"] and df.loc[0, "error"] == ""


def test_results_written_as_they_arrive_and_rerun_skips(toy, tmp_path):
    out = tmp_path / "sweep.jsonl"
    values = [0.0, 20.0, 40.0, 60.0]
    netopt.sweep(toy, {"power_lines.capacity_mw[uhv]": values[:3]}, processes=1,
                 progress=False, out=out)
    assert len(out.read_text().splitlines()) == 3
    lines = out.read_text().splitlines()
    out.write_text("\n".join(lines[:2]) + "\n")  # as if interrupted after two scenarios
    df = netopt.sweep(toy, {"power_lines.capacity_mw[uhv]": values}, processes=1,
                      progress=False, out=out)
    recs = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(recs) == 4  # the two missing ones were solved, the rest read back
    assert list(df["power_lines.capacity_mw[uhv]"]) == values
    assert df["objective"].is_monotonic_decreasing


def test_dask_local_cluster_matches_local(toy):
    distributed = pytest.importorskip("distributed")
    params = {"sources.marginal_cost[hydro_west]": [200.0, 300.0, 400.0]}
    local = netopt.sweep(toy, params, processes=1, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            remote = netopt.sweep(toy, params, scheduler=client, progress=False)
            by_address = netopt.sweep(toy, params, scheduler=cluster.scheduler_address,
                                      progress=False)
    np.testing.assert_allclose(remote["objective"], local["objective"], rtol=1e-9)
    np.testing.assert_allclose(by_address["objective"], local["objective"], rtol=1e-9)


def test_breakeven_search_equals_closed_form():
    net = two_node(delta=1.0)
    star = (1.25 * (300 + 65) / 0.94 - 1.2 * 300) / 30
    be = netopt.breakeven(net, "classes.data_intensity_tb_per_mwh[k]", 0.0, 20.0,
                          "west_share:k>0.5", tol=1e-4)
    assert abs(be.value - star) <= 1e-4
    assert be.decision_low is True and be.solves == len(be.history) <= 20


def test_breakeven_needs_a_bracket():
    with pytest.raises(ScenarioError, match="both"):
        netopt.breakeven(two_node(), "classes.data_intensity_tb_per_mwh[k]", 0.0, 1.0,
                         "west_share:k>0.5")


@pytest.mark.parametrize("text,match", [
    ("sitez.pue", "unknown table"), ("sites.peu", "unknown column"),
    ("sites.node", "not numeric"), ("settings.carbon_price[x]", "no row selector"),
    ("sites", "cannot read"),
])
def test_bad_addresses(text, match):
    with pytest.raises(ScenarioError, match=match):
        parse_address(text)


def test_scaling_a_derived_value_is_refused(china):
    with pytest.raises(ScenarioError, match="blank"):
        apply(china, {"backbone_links.cost_per_tb": "*2"})


def test_cli_sweep_and_breakeven(capsys, tmp_path):
    from netopt.cli import main
    rc = main(["sweep", "toy", "--set", "power_lines.capacity_mw[uhv]=0,50",
               "--set", "demand.mw_it[class=ai&node=east]=*1,*1.5", "--processes", "1",
               "--csv", str(tmp_path / "s.csv")])
    assert rc == 0
    df = pd.read_csv(tmp_path / "s.csv")
    assert len(df) == 4 and (df["status"] == "optimal").all()
    # Past 1.2 p + 0.9 = 1.25 x 730 the 10 MW spare in the east take ai work (90 % west).
    assert main(["breakeven", "toy", "--param", "sources.marginal_cost[hydro_west]",
                 "--low", "100", "--high", "2000", "--decides", "west_share:ai>0.95",
                 "--tol", "0.01"]) == 0
    out = capsys.readouterr().out
    value = float(" ".join(out.split()).split("flips at ")[1].split()[0])  # text is wrapped
    assert value == pytest.approx((1.25 * 730 - 0.9) / 1.2, abs=0.01)


def test_cli_scenarios_file_with_a_bad_value_is_one_message(tmp_path, capsys):
    from netopt.cli import main
    (tmp_path / "s.csv").write_text("settings.carbon_price\n10\nabc\n")
    assert main(["sweep", "toy", "--scenarios", str(tmp_path / "s.csv")]) == 2
    err = capsys.readouterr().err
    assert "'abc' is not a number or *factor" in err and "Traceback" not in err
