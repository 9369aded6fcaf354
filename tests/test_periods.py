"""Periods, profiles and deferrable work, worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

import netopt
from conftest import two_node


def one_node(*, deferrable: bool, site_cap: float = 10.0, demand: float = 4.0):
    """One place: a site, solar (free, day only) and grid power (100); day and night."""
    return netopt.Network(
        nodes=pd.DataFrame({"id": ["a"], "lat": [30.0], "lon": [104.0]}),
        sites=pd.DataFrame({"id": ["dc"], "node": ["a"], "it_capacity_mw": [site_cap],
                            "pue": [1.0]}),
        sources=pd.DataFrame({"id": ["solar", "grid"], "node": ["a", "a"],
                              "capacity_mw": [10.0, float("inf")],
                              "marginal_cost": [0.0, 100.0]}),
        availability=pd.DataFrame({"source": ["solar", "solar"], "period": ["day", "night"],
                                   "availability": [1.0, 0.0]}),
        classes=pd.DataFrame({"id": ["batch"], "data_intensity_tb_per_mwh": [1.0],
                              "deferrable": [deferrable]}),
        demand=pd.DataFrame({"node": ["a"], "class": ["batch"], "mw_it": [demand]}),
        periods=pd.DataFrame({"id": ["day", "night"], "weight_h": [12.0, 12.0],
                              "window": ["d1", "d1"]}),
        settings={"name": "day-night", "allow_unserved": False})


def test_fixed_work_pays_for_night_power():
    r = netopt.solve(one_node(deferrable=False))
    assert r.objective == pytest.approx(4 * 12 * 100)
    assert r.totals["curtailed_mwh"] == pytest.approx(6 * 12)


def test_deferrable_work_follows_the_sun_and_absorbs_curtailment():
    r = netopt.solve(one_node(deferrable=True))
    assert r.objective == pytest.approx(0.0, abs=1e-6)
    load = r.sites["it_load_mw"].droplevel("site")  # one site
    assert load["day"] == pytest.approx(8) and load["night"] == pytest.approx(0)
    # 48 MWh of solar that the fixed plan curtailed is now used
    assert r.totals["curtailed_mwh"] == pytest.approx(6 * 12 - 4 * 12)


def test_deferrable_work_limited_by_site_capacity_and_priced():
    r = netopt.solve(one_node(deferrable=True, site_cap=6.0))
    assert r.objective == pytest.approx(2 * 12 * 100)  # 6 MW by day, 2 MW at night
    prices = r.demand_prices["price"].droplevel(["origin", "class"])  # one pair
    assert prices["day"] == pytest.approx(100) and prices["night"] == pytest.approx(100)


def test_deferrable_with_flat_profiles_equals_fixed():
    base = two_node(delta=1.0)
    periods = pd.DataFrame({"id": [f"h{i}" for i in range(4)], "weight_h": 2190.0,
                            "window": "day"})
    fixed = netopt.Network(**{**base.tables, "periods": periods}, settings=base.settings)
    flex = netopt.Network(**{**fixed.tables, "classes": fixed.classes.assign(
        deferrable=True)}, settings=base.settings)
    a, b = netopt.solve(fixed), netopt.solve(flex)
    assert a.objective == pytest.approx(b.objective, rel=1e-9)
    assert a.objective == pytest.approx(netopt.solve(base).objective, rel=1e-9)


def test_demand_profiles_equal_explicit_period_rows():
    net = one_node(deferrable=False)
    prof = pd.DataFrame({"class": ["batch", "batch"], "period": ["day", "night"],
                         "factor": [1.5, 0.5]})
    a = netopt.Network(**{**net.tables, "demand_profiles": prof}, settings=net.settings)
    explicit = pd.DataFrame({"node": ["a", "a"], "class": ["batch", "batch"],
                             "period": ["day", "night"], "mw_it": [6.0, 2.0]})
    b = netopt.Network(**{**net.tables, "demand": explicit}, settings=net.settings)
    assert netopt.solve(a).objective == pytest.approx(netopt.solve(b).objective)
    assert netopt.solve(a).objective == pytest.approx(2 * 12 * 100)


def test_profile_references_are_checked():
    net = one_node(deferrable=False)
    prof = pd.DataFrame({"class": ["gaming"], "period": ["day"], "factor": [2.0]})
    with pytest.raises(netopt.ValidationError, match="unknown class 'gaming'"):
        netopt.Network(**{**net.tables, "demand_profiles": prof}, settings=net.settings)


def test_cbc_agrees_on_deferrable(tmp_path):
    net = one_node(deferrable=True, site_cap=6.0)
    assert netopt.solve(net, "cbc").objective == pytest.approx(2 * 12 * 100)
    netopt.save(net, tmp_path / "dn")
    assert netopt.solve(netopt.load(tmp_path / "dn")).objective == pytest.approx(2400)


def test_flexibility_gain_by_hand():
    flex = netopt.flexibility(one_node(deferrable=True))
    gain = flex.loc["flexibility_gain"]
    assert gain["total"] == pytest.approx(4 * 12 * 100)      # no night power to buy
    assert gain["curtailed_mwh"] == pytest.approx(4 * 12)    # solar absorbed by day


def test_window_that_is_not_contiguous_is_refused(tmp_path, capsys):
    # d1 = day, dusk; d2 = night; then d1 again: named by file, row and column, and
    # from the CLI exit 2
    net = one_node(deferrable=True)
    periods = pd.DataFrame({"id": ["day", "night", "dusk", "dawn"],
                            "weight_h": [6.0] * 4, "window": ["d1", "d2", "d1", ""]})
    with pytest.raises(netopt.ValidationError) as e:
        netopt.Network(**{**net.tables, "periods": periods}, settings=net.settings)
    assert "window 'd1' resumes after 'd2'" in str(e.value)
    ok = periods.assign(window=["d1", "d1", "d2", ""])  # runs: d1 d1 | d2 | alone
    netopt.Network(**{**net.tables, "periods": ok}, settings=net.settings)
    netopt.save(net, tmp_path / "inst")
    periods.to_csv(tmp_path / "inst" / "periods.csv", index=False)
    from netopt.cli import main
    assert main(["validate", str(tmp_path / "inst")]) == 2
    err = capsys.readouterr().err
    assert "periods.csv" in err and "window" in err and "resumes after" in err


def test_blank_window_between_runs_is_named():
    net = one_node(deferrable=True)
    periods = pd.DataFrame({"id": ["a", "b", "c"], "weight_h": [8.0] * 3,
                            "window": ["w", "", "w"]})
    with pytest.raises(netopt.ValidationError, match="resumes after a lone period"):
        netopt.Network(**{**net.tables, "periods": periods}, settings=net.settings)
