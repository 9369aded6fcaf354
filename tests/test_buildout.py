"""Capacity expansion and open/close decisions against independent oracles:
hand-worked expansion, brute-force enumeration of open sites, and Beasley's cap41."""

from __future__ import annotations

import hashlib
import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netopt
from conftest import DATA


def _with(net, **tables):
    return netopt.Network(**{**net.tables, **tables}, settings=net.settings)


def test_site_and_line_expansion_by_hand(toy):
    # interactive 80 + archive 20 must run east (60 MW_IT site): build 40 MW_IT there;
    # the line may grow from 50 to 100 MW at 1 M CNY/MW-year, worth 0.94 x 730 - 365 =
    # 321.2 CNY/MWh x 8760 h = 2.81 M a year: build all 50.
    net = _with(toy,
                demand=pd.DataFrame({"node": ["east"] * 3,
                                     "class": ["ai", "archive", "interactive"],
                                     "mw_it": [100.0, 20.0, 80.0]}),
                sites=toy.sites.assign(max_it_capacity_mw=[100.0, np.nan],
                                       capex_per_mw_year=[100_000.0, 0.0]),
                power_lines=toy.power_lines.assign(max_capacity_mw=100.0,
                                                   capex_per_mw_year=1_000_000.0))
    r = netopt.solve(net)
    builds = r.builds["amount"]
    assert builds[("site", "dc_east")] == pytest.approx(40)
    assert builds[("line", "uhv")] == pytest.approx(50)
    east_mw = 100 * 1.25
    per_hour = 100 * 360.9 + 100 * 365 + (east_mw - 94) * 730
    expected = per_hour * 8760 + 40 * 100_000 + 50 * 1_000_000
    assert r.objective == pytest.approx(expected, rel=1e-9)
    assert r.costs["expansion"] == pytest.approx(4e6 + 5e7)
    assert r.costs["total"] == pytest.approx(r.objective, rel=1e-9)
    site = r.sites.xs("dc_east", level="site").iloc[0]
    assert site["built_mw"] == pytest.approx(40) and site["utilisation"] == pytest.approx(1)


def test_expansion_not_worth_it_is_not_built(toy):
    net = _with(toy, power_lines=toy.power_lines.assign(max_capacity_mw=100.0,
                                                        capex_per_mw_year=3_000_000.0))
    r = netopt.solve(net)
    assert r.builds.empty and r.objective == pytest.approx(575_137_800, rel=1e-9)


def _candidate_network(k, seed):
    """A network with k candidate sites (fixed costs) and one site always open."""
    net = netopt.generate(12, sites=k + 1, classes=2, seed=seed)
    sites = net.sites.copy()
    rng = np.random.default_rng(seed)
    fixed = rng.uniform(1e5, 5e7, len(sites))
    fixed[0] = np.nan  # always open
    sites["fixed_cost_year"] = fixed
    return _with(net, sites=sites)


def _brute_force(net):
    cand = list(net.sites.index[net.sites["fixed_cost_year"].notna()])
    best = math.inf
    for n in range(len(cand) + 1):
        for chosen in itertools.combinations(cand, n):
            keep = net.sites[~net.sites.index.isin(cand) | net.sites.index.isin(chosen)]
            fixed = net.sites.loc[list(chosen), "fixed_cost_year"].sum()
            sub = _with(net, sites=keep.assign(fixed_cost_year=np.nan))
            best = min(best, netopt.solve(sub).objective + fixed)
    return best


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(k=st.integers(2, 5), seed=st.integers(0, 1000))
def test_milp_equals_brute_force_enumeration(k, seed):
    net = _candidate_network(k, seed)
    r = netopt.solve(net)
    assert r.ok
    assert r.objective == pytest.approx(_brute_force(net), rel=1e-6)


def test_milp_eight_candidates_both_solvers():
    net = _candidate_network(8, 7)
    best = _brute_force(net)  # 256 LPs
    for solver in ("highs", "cbc"):
        r = netopt.solve(net, solver)
        assert r.ok, solver
        assert r.objective == pytest.approx(best, rel=1e-6), solver
    opened = set(r.builds.query("kind == 'open site'").index.get_level_values("item"))
    open_ = r.sites.loc[r.sites["open"]].index.get_level_values("site")
    assert opened == set(open_) - {net.sites.index[0]}


#: md5 of tests/data/cap41.txt as published in OR-Library (tests/data/README.md)
CAP41_MD5 = "48a11de64ed7d8181ccbed701c9d6feb"


def test_cap41_file_is_the_published_one():
    assert hashlib.md5((DATA / "cap41.txt").read_bytes()).hexdigest() == CAP41_MD5


def _cap41() -> netopt.Network:
    tokens = (DATA / "cap41.txt").read_text().split()
    vals = iter(tokens)
    m, n = int(next(vals)), int(next(vals))
    cap, fixed = zip(*[(float(next(vals)), float(next(vals))) for _ in range(m)])
    demand, costs = [], []
    for _ in range(n):
        demand.append(float(next(vals)))
        costs.append([float(next(vals)) for _ in range(m)])
    w = [f"w{i}" for i in range(m)]
    c = [f"c{j}" for j in range(n)]
    # one period of 8760 h: a cost per MW of demand x 8760 h is the allocation cost
    links = [(f"c{j}-w{i}", f"c{j}", f"w{i}", costs[j][i] / demand[j] / 8760)
             for j in range(n) for i in range(m)]
    return netopt.Network(
        nodes=pd.DataFrame({"id": w + c, "lat": 0.0, "lon": 0.0}),
        sites=pd.DataFrame({"id": w, "node": w, "it_capacity_mw": cap, "pue": 1.0,
                            "fixed_cost_year": fixed}),
        sources=pd.DataFrame({"id": [f"p{i}" for i in range(m)], "node": w,
                              "marginal_cost": 0.0}),
        backbone_links=pd.DataFrame(links, columns=["id", "from", "to", "cost_per_tb"])
        .assign(latency_ms=1.0),
        classes=pd.DataFrame({"id": ["goods"], "data_intensity_tb_per_mwh": [1.0]}),
        demand=pd.DataFrame({"node": c, "class": "goods", "mw_it": demand}),
        settings={"name": "cap41", "allow_unserved": False, "routes_per_pair": 1})


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_beasley_cap41_published_optimum(solver):
    r = netopt.solve(_cap41(), solver)
    assert r.ok
    assert r.objective == pytest.approx(1040444.375, rel=1e-7)


def test_milp_time_limit_reports_bound_and_gap_honestly():
    net = _candidate_network(8, 11)
    r = netopt.solve(net, time_limit=1e-4)
    if r.ok:  # solved in no time: nothing to test on this machine
        pytest.skip("the MIP finished within the limit")
    assert r.status == "time_limit" and math.isnan(r.objective)
    assert "MIP gap" in r.message
    with pytest.raises(netopt.NotOptimalError):
        r.builds


def test_cli_solves_a_mip_and_shows_builds(tmp_path, capsys):
    from netopt.cli import main
    netopt.save(_candidate_network(3, 5), tmp_path / "cand")
    assert main(["solve", str(tmp_path / "cand"), "--mip-gap", "1e-4"]) == 0
    out = capsys.readouterr().out
    assert "MIP: best bound" in out and "optimal" in out
