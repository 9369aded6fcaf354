"""Surplus power: export it or compute with it at home — the LP against the closed form."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

import netopt
from conftest import two_node
from netopt.surplus import RACK_KW, marginal_value, surplus_options

SURPLUS = ["hydro_ganzi", "hydro_aba", "hydro_liangshan"]
UHV = ["xiangjiaba-shanghai", "jinping-sunan", "xiluodu-zhexi", "baihetan-jiangsu",
       "baihetan-zhejiang"]


def both_options(*, p_h, p_e, e_e, carbon, pue_w, pue_e, eta, tariff, delta, c, hydro,
                 work):
    """two_node with a limited surplus in the west, eastern grid power with emissions,
    eastern work that may stay east or come west as data, and the line west -> east."""
    net = two_node(price_w=p_h, price_e=p_e, tariff=tariff, eta=eta, pue_e=pue_e,
                   pue_w=pue_w, cost_per_tb=c, delta=delta, demand=work,
                   carbon_price=carbon)
    sources = pd.DataFrame({"id": ["w", "e"], "node": ["west", "east"],
                            "capacity_mw": [hydro, float("inf")],
                            "marginal_cost": [p_h, p_e], "emissions": [0.0, e_e]})
    return netopt.Network(**{**net.tables, "sources": sources}, settings=net.settings)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p_h=st.floats(0, 600), p_e=st.floats(300, 1000), e_e=st.floats(0, 0.9),
       carbon=st.floats(0, 200), pue_w=st.floats(1.05, 1.6), pue_e=st.floats(1.05, 1.6),
       eta=st.floats(0.85, 0.99), tariff=st.floats(0, 150), delta=st.floats(0, 20),
       c=st.floats(0, 60))
def test_lp_uses_the_surplus_as_the_closed_form_says(p_h, p_e, e_e, carbon, pue_w, pue_e,
                                                     eta, tariff, delta, c):
    v = marginal_value(p_h=p_h, p_e=p_e, pue_w=pue_w, pue_e=pue_e, eta=eta, tariff=tariff,
                       delta=delta, cost_per_tb=c, carbon_price=carbon, e_e=e_e)
    ranked = sorted((v["home"], v["export"], v["unused"]), reverse=True)
    assume(ranked[0] - ranked[1] > 5.0)  # away from the break-even
    hydro, work = 100.0, 400.0  # either option alone can take all of the surplus
    r = netopt.solve(both_options(p_h=p_h, p_e=p_e, e_e=e_e, carbon=carbon, pue_w=pue_w,
                                  pue_e=pue_e, eta=eta, tariff=tariff, delta=delta, c=c,
                                  hydro=hydro, work=work))
    assert r.ok
    used = float(r.sources.loc["w", "generation_mw"].sum())  # one period
    sent = float(r.power_lines["sent_mw"].sum())
    west_it = float(r.placement.groupby(level="site")["mw_it"].sum().get("site_w", 0.0))
    if v["winner"] == "home":
        assert west_it == pytest.approx(hydro / pue_w, rel=1e-6)
        assert sent == pytest.approx(0.0, abs=1e-6)
    elif v["winner"] == "export":
        assert sent == pytest.approx(hydro, rel=1e-6)
        assert west_it == pytest.approx(0.0, abs=1e-6)
    else:
        assert used == pytest.approx(0.0, abs=1e-6)
    # and the LP's cost says what the closed form says the surplus is worth: without
    # it, all the work runs east on eastern power
    none = work * pue_e * (p_e + carbon * e_e)
    saving = none - r.objective / 8760
    assert saving == pytest.approx(hydro * max(ranked[0], 0.0), rel=1e-6, abs=1e-3)

def test_marginal_value_by_hand():
    # 1.25 x 700 = 875 per MWh_IT in the east; 30 TB x 5 = 150 to move the data;
    # (875 - 150) / 1.25 - 300 = 280 at home; 0.9 x 700 - 100 - 300 = 230 exported
    v = marginal_value(p_h=300, p_e=700, pue_w=1.25, pue_e=1.25, eta=0.9, tariff=100,
                       delta=5, cost_per_tb=30)
    assert v["home"] == pytest.approx(280.0) and v["export"] == pytest.approx(230.0)
    assert v["winner"] == "home"
    assert v["max_data_cost"] == pytest.approx(875 - 1.25 * 530)  # 212.5 > 150
    # capital on new home capacity of 100 per MWh_IT turns it: (725 - 100)/1.25 - 300
    v = marginal_value(p_h=300, p_e=700, pue_w=1.25, pue_e=1.25, eta=0.9, tariff=100,
                       delta=5, cost_per_tb=30, k_site=100)
    assert v["home"] == pytest.approx(200.0) and v["winner"] == "export"


def test_surplus_options_on_two_nodes_by_hand():
    # 100 MW of hydro at 300 for one year; eastern power 700; work 400 MW_IT of delta 1
    net = both_options(p_h=300, p_e=700, e_e=0.5, carbon=0, pue_w=1.25, pue_e=1.25,
                       eta=0.9, tariff=100, delta=1.0, c=30, hydro=100, work=400)
    sites = net.sites.copy()
    sites.loc["site_w", ["it_capacity_mw", "max_it_capacity_mw"]] = [0.0, 1000.0]
    sites.loc["site_w", ["capex_per_mw", "lifetime_years"]] = [876_000.0, 1.0]
    net = netopt.Network(**{**net.tables, "sites": sites},
                         settings={**net.settings.to_dict(), "discount_rate": 0.0})
    t = surplus_options(net, ["w"], ["line"], ["site_w"])
    h = 8760
    # capital 876,000 per MW_IT-year = 100 per MWh_IT: home (875 - 30 - 100)/1.25 - 300 = 296
    # export 0.9 x 700 - 100 - 300 = 230: both -> home, building 80 MW_IT = 32,000 racks
    assert t.loc["unused", "surplus_used_mwh"] == pytest.approx(0.0, abs=1e-6)
    assert t.loc["export", "exported_mwh"] == pytest.approx(100 * h)
    assert t.loc["export", "saving"] == pytest.approx(230 * 100 * h, rel=1e-9)
    assert t.loc["home", "built_mw"] == pytest.approx(80.0)
    assert t.loc["home", "built_racks"] == pytest.approx(80_000 / RACK_KW)
    assert t.loc["home", "capital"] == pytest.approx(80 * 876_000, rel=1e-9)
    assert t.loc["home", "saving"] == pytest.approx(296 * 100 * h, rel=1e-9)
    assert t.loc["home", "backbone_tbps"] == pytest.approx(80 * 1.0 / 0.45 / 1000)
    assert t.loc["both", "exported_mwh"] == pytest.approx(0.0, abs=1e-3)
    # 80 MW_IT that no longer run east: 100 MWh of eastern power at 0.5 t each per hour
    assert t.loc["home", "co2_avoided_t"] == pytest.approx(100 * 0.5 * h, rel=1e-9)
    # forcing twice the capacity pays its capital even where it runs idle
    f = surplus_options(net, ["w"], ["line"], ["site_w"], build_mw=160.0)
    assert f.loc["home", "capital"] == pytest.approx(160 * 876_000, rel=1e-9)
    assert f.loc["home", "saving"] == pytest.approx((296 * 100 - 80 * 100) * h, rel=1e-9)


def test_sichuan_holds_both_options():
    net = netopt.load("sichuan")
    t = surplus_options(net, SURPLUS, UHV, ["yaan_dc"])
    wet_h = float(net.periods.loc["wet", "weight_h"])
    surplus = float(net.sources.loc[SURPLUS, "capacity_mw"].sum()) * wet_h
    assert surplus == pytest.approx(20.2e6, rel=1e-3)  # NEA: 20.2 TWh abandoned in 2020
    # the lines' spare wet-season capacity fills (export is worth more than spilling),
    # and 6 % of what is sent is lost
    e = t.loc["export"]
    spare = float(net.power_lines.loc[UHV, "capacity_mw"].sum()) * wet_h
    assert e["exported_mwh"] == pytest.approx(spare, rel=1e-6)
    assert e["delivered_mwh"] == pytest.approx(0.94 * spare, rel=1e-6)
    # ... and is too small for the whole surplus: some is still spilled, as it was
    assert e["surplus_unused_mwh"] > 0.1 * surplus
    assert t.loc["unused", "exported_mwh"] == 0 and t.loc["home", "exported_mwh"] == 0
    assert (t["saving"] >= -1e-6 * t["total"].abs().max()).all()
    # the saving of exporting, by hand: each MWh sent is worth eta p_e' - tariff at the
    # receiving end less the hydro it takes (300 / 0.98 through the feeder) -- give or
    # take what the Sichuan sites' own use of the surplus shifts
    p_e = 700 + 97.49 * net.sources.loc[["grid_fengxian", "grid_suzhou", "grid_hangzhou"],
                                        "emissions"].mean()
    per_mwh = 0.94 * p_e - 68.5 - 300 / 0.98
    assert e["saving"] == pytest.approx(per_mwh * spare, rel=0.05)
