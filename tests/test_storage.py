"""Storage (issue #11.2): a two-period arbitrage worked by hand, identical days that
scale, PyPSA on the same power-only network, validation, and the LP of a network
without storage left as it was."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import netopt
from netopt.data.schema import capital_recovery_factor
from netopt.errors import ValidationError
from netopt.model import components
from netopt.model.components import storage as storage_component


def power_only(prices, load=10.0, *, weights=None, spans=None, windows=None,
               storage=None, availability=None, caps=None) -> netopt.Network:
    """One node: a site with a fixed load (PUE 1, no data), sources with prices, and
    storage. ``prices[j]`` is source j's price; ``availability[j][t]`` its share."""
    T = len(weights) if weights is not None else 2
    periods = pd.DataFrame({"id": [f"t{t:02d}" for t in range(T)],
                            "weight_h": weights if weights is not None else [1.0] * T,
                            "window": windows if windows is not None else ["d"] * T})
    if spans is not None:
        periods["span_h"] = spans
    src = pd.DataFrame({"id": [f"g{j}" for j in range(len(prices))], "node": "a",
                        "marginal_cost": prices,
                        "capacity_mw": caps if caps is not None else [np.inf] * len(prices)})
    av = [] if availability is None else [
        {"source": f"g{j}", "period": f"t{t:02d}", "availability": a}
        for j, row in enumerate(availability) for t, a in enumerate(row)]
    return netopt.Network(
        nodes=pd.DataFrame({"id": ["a"], "lat": [30.0], "lon": [110.0]}),
        sites=pd.DataFrame({"id": ["dc"], "node": ["a"], "it_capacity_mw": [np.inf],
                            "pue": [1.0]}),
        sources=src,
        availability=pd.DataFrame(av, columns=["source", "period", "availability"]),
        classes=pd.DataFrame({"id": ["load"], "data_intensity_tb_per_mwh": [0.0]}),
        demand=pd.DataFrame({"node": ["a"], "class": ["load"], "mw_it": [load]}),
        periods=periods, storage=storage,
        settings={"name": "power-only", "allow_unserved": False})


def unit(**kw) -> pd.DataFrame:
    row = {"id": "bat", "node": "a", "power_mw": 1.0, "energy_mwh": 1.0,
           "efficiency_charge": 1.0, "efficiency_discharge": 1.0}
    row.update(kw)
    return pd.DataFrame([row])


def arbitrage(p_low, p_high, eta_ch, eta_dis, **kw) -> netopt.Network:
    """Cheap hour t00 (source g0 at p_low, gone in t01), dear hour t01 (g1 at p_high)."""
    return power_only([p_low, p_high], availability=[[1.0, 0.0], [1.0, 1.0]],
                      storage=unit(energy_mwh=10.0, efficiency_charge=eta_ch,
                                   efficiency_discharge=eta_dis), **kw)


# -- the hand-worked oracle ---------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(p_low=st.floats(0, 800), spread=st.floats(0, 800),
       eta_ch=st.floats(0.3, 1.0), eta_dis=st.floats(0.3, 1.0))
def test_two_period_arbitrage_by_hand(p_low, spread, eta_ch, eta_dis):
    """1 MW of storage, energy to spare, 1 h each: charging c <= 1 MW in the cheap hour
    stores eta_ch c and gives eta_ch eta_dis c in the dear hour (<= 1 MW). Storage pays
    iff p_high eta > p_low (eta = eta_ch eta_dis) and saves (p_high eta - p_low) per MW:
    the cost is 10 p_low + 10 p_high less that."""
    p_high = p_low + spread
    eta = eta_ch * eta_dis
    r = netopt.solve(arbitrage(p_low, p_high, eta_ch, eta_dis))
    gain = max(p_high * eta - p_low, 0.0)
    assert r.objective == pytest.approx(10 * (p_low + p_high) - gain, abs=1e-6)
    s = r.storage.droplevel("storage")
    pays = p_high * eta > p_low + 1e-6
    if pays:
        assert s.loc["t00", "charge_mw"] == pytest.approx(1.0, abs=1e-7)
        assert s.loc["t01", "discharge_mw"] == pytest.approx(eta, abs=1e-7)
        # the value of one more MW is the profit per MW (dual of (8)+(9))
        assert s["power_price"].sum() == pytest.approx(gain, abs=1e-6)
    elif p_high * eta < p_low - 1e-6:
        assert s["discharge_mw"].sum() == pytest.approx(0.0, abs=1e-7)


def test_arbitrage_worked_example():
    """p_low 100, p_high 300, eta 0.8: charge 1 MWh at 100, deliver 0.8 at 300 = 240,
    saving 140 of 4,000; round-trip losses 0.2 MWh; one cycle of 0.8 MWh in 2 h."""
    r = netopt.solve(arbitrage(100.0, 300.0, 0.8, 1.0))
    assert r.objective == pytest.approx(3860.0)
    assert r.costs["total"] == pytest.approx(r.objective)
    u = r.storage_units.loc["bat"]
    assert u["losses_mwh"] == pytest.approx(0.2)
    assert u["cycles_per_year"] == pytest.approx(0.8 / 10 * 8760 / 2)
    assert u["value_per_mw"] == pytest.approx(140 * 8760 / 2)
    assert u["value_per_mwh"] == pytest.approx(0.0)


def test_energy_bound_and_its_dual():
    """With 0.5 MWh of energy the energy capacity binds: one more MWh would let 1/eta_ch
    more MWh be bought cheap... per MWh stored: p_high eta_dis - p_low / eta_ch."""
    net = power_only([100.0, 300.0], availability=[[1.0, 0.0], [1.0, 1.0]],
                     storage=unit(energy_mwh=0.5, efficiency_charge=0.9,
                                  efficiency_discharge=0.9))
    r = netopt.solve(net)
    assert r.objective == pytest.approx(4000 - 0.5 * (300 * 0.9 - 100 / 0.9))
    assert r.storage["energy_price"].sum() == pytest.approx(300 * 0.9 - 100 / 0.9)


def test_throughput_cost_and_standing_loss():
    """A marginal cost per MWh discharged, and a standing loss of 10 %/h over a 1 h
    period before the dear hour: out = 0.9 eta c."""
    net = arbitrage(100.0, 300.0, 1.0, 1.0)
    tables = {**net.tables, "storage": net.storage.assign(standing_loss_per_h=0.1,
                                                           marginal_cost=20.0)}
    r = netopt.solve(netopt.Network(**tables, settings=net.settings))
    # charge c <= 1 in t00, soc after t01 = 0.9 soc(t00) - d: the cycle's start is the
    # end of t01 (cyclic), whose soc is 0. Deliver 0.9 MWh at 300 - 20.
    assert r.objective == pytest.approx(4000 - (0.9 * 280 - 100))
    assert r.costs["storage"] == pytest.approx(0.9 * 20)


# -- identical days ------------------------------------------------------------------------
DAY = [0.2, 0.2, 1.0, 1.0, 0.5, 0.0]  # availability of the cheap source over a 6 h "day"


def _day(weights, spans=None, windows=None, days=1):
    T = len(DAY) * days
    return power_only([150.0, 500.0], weights=weights, spans=spans,
                      windows=windows or ["d"] * T, caps=[16.0, np.inf],
                      availability=[DAY * days, [1.0] * T],
                      storage=unit(power_mw=3.0, energy_mwh=None, duration_h=2.0,
                                   efficiency_charge=0.95, efficiency_discharge=0.9,
                                   standing_loss_per_h=0.01, marginal_cost=5.0))


def test_representative_day_scales():
    """A day that stands for 365 days (weight 365 h a period, span 1 h) costs 365 times
    the day alone, with the same dispatch: the cycle is the day's."""
    one = netopt.solve(_day([1.0] * 6))
    year = netopt.solve(_day([365.0] * 6, spans=[1.0] * 6))
    assert year.objective == pytest.approx(365 * one.objective, rel=1e-9)
    for col in ("charge_mw", "discharge_mw", "soc_mwh"):
        np.testing.assert_allclose(year.storage[col], one.storage[col], atol=1e-7)
    assert year.storage_units["cycles_per_year"].iloc[0] == pytest.approx(
        one.storage_units["cycles_per_year"].iloc[0])


def test_identical_days_in_windows_scale():
    """Three identical days, each its own cyclic window, cost three times one day and
    dispatch alike each day; as one window of three days (a 3-day cycle) no cheaper."""
    one = netopt.solve(_day([1.0] * 6))
    three = netopt.solve(_day([1.0] * 18, windows=[f"d{t // 6}" for t in range(18)],
                              days=3))
    assert three.objective == pytest.approx(3 * one.objective, rel=1e-9)
    np.testing.assert_allclose(three.storage["charge_mw"].to_numpy().reshape(3, 6),
                               np.tile(one.storage["charge_mw"].to_numpy(), (3, 1)),
                               atol=1e-7)
    long = netopt.solve(_day([1.0] * 18, windows=["all"] * 18, days=3))
    assert long.objective == pytest.approx(three.objective, rel=1e-9)


def test_storage_is_worth_something_on_the_day():
    r = netopt.solve(_day([1.0] * 6))
    without = netopt.solve(netopt.Network(**{**r.network.tables, "storage": None},
                                          settings=r.network.settings))
    assert r.objective < without.objective - 1.0
    # the state of charge never exceeds the energy capacity, nor goes below 0
    assert (r.storage["soc_mwh"] <= 6.0 + 1e-7).all()
    assert (r.storage["soc_mwh"] >= -1e-9).all()


# -- build-out -----------------------------------------------------------------------------
def test_build_power_and_energy_at_their_annual_capital():
    """An empty candidate that may grow: it builds while a MW and its MWh earn more
    than their annual capital (cost per year / 8760 per hour)."""
    st_ = unit(power_mw=0.0, energy_mwh=0.0, max_power_mw=5.0, max_energy_mwh=5.0,
               capex_per_mw_year=50.0 * 8760 / 2, capex_per_mwh_year=30.0 * 8760 / 2)
    net = power_only([100.0, 300.0], availability=[[1.0, 0.0], [1.0, 1.0]], storage=st_)
    r = netopt.solve(net)
    # per MW and MWh over the 2 h horizon: saves 200, costs 50 + 30; builds to 5
    b = r.builds.droplevel("item")
    assert b.loc["storage_mw", "amount"] == pytest.approx(5.0)
    assert b.loc["storage_mwh", "amount"] == pytest.approx(5.0)
    assert r.objective == pytest.approx(4000 - 5 * (200 - 80))
    assert r.costs["expansion"] == pytest.approx(5 * 80)


def test_duration_unit_pays_its_energy_per_mw():
    st_ = unit(power_mw=0.0, energy_mwh=None, duration_h=2.0, max_power_mw=4.0,
               capex_per_mw=1000.0, capex_per_mwh=500.0, lifetime_years=10.0)
    net = power_only([100.0, 300.0], availability=[[1.0, 0.0], [1.0, 1.0]], storage=st_)
    per_mw = capital_recovery_factor(0.08, 10.0) * (1000.0 + 2 * 500.0)
    assert net.annual_capex["storage_mw"].iloc[0] + 2 * net.annual_capex[
        "storage_mwh"].iloc[0] == pytest.approx(per_mw)
    r = netopt.solve(net)
    assert r.builds.loc[("storage_mw", "bat"), "amount"] == pytest.approx(4.0)
    assert r.storage_units["energy_mwh"].iloc[0] == pytest.approx(8.0)


# -- PyPSA on the same power-only network -------------------------------------------------
@pytest.mark.filterwarnings("ignore::FutureWarning")  # PyPSA on pandas 3: its own notice
def test_equals_pypsa_storage_unit():
    """Buses, generators, one StorageUnit with a cyclic state of charge: the same
    objective and dispatch as netopt to 1e-6 (weights: objective = weight_h, stores =
    span_h, as PyPSA's snapshot weightings)."""
    try:
        import pypsa
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI must install the test extra, which brings pypsa")
        pytest.skip("pypsa is not installed (pip install -e '.[test]')")
    rng = np.random.default_rng(11)
    T = 8
    avail = np.round(rng.uniform(0, 1, T), 3)
    weights, spans = [30.0] * T, [1.5] * T
    eta_ch, eta_dis, loss, mc = 0.93, 0.91, 0.02, 7.0
    net = power_only([120.0, 480.0], weights=weights, spans=spans, caps=[20.0, np.inf],
                     availability=[list(avail), [1.0] * T],
                     storage=unit(power_mw=4.0, energy_mwh=None, duration_h=3.0,
                                  efficiency_charge=eta_ch, efficiency_discharge=eta_dis,
                                  standing_loss_per_h=loss, marginal_cost=mc))
    ours = netopt.solve(net)

    n = pypsa.Network()
    snaps = pd.Index([f"t{t:02d}" for t in range(T)])
    n.set_snapshots(snaps)
    n.snapshot_weightings["objective"] = weights
    n.snapshot_weightings["generators"] = weights
    n.snapshot_weightings["stores"] = spans
    n.add("Bus", "a")
    n.add("Load", "dc", bus="a", p_set=10.0)
    n.add("Generator", "g0", bus="a", p_nom=20.0, marginal_cost=120.0,
          p_max_pu=pd.Series(avail, index=snaps))
    n.add("Generator", "g1", bus="a", p_nom=1e6, marginal_cost=480.0)
    n.add("StorageUnit", "bat", bus="a", p_nom=4.0, max_hours=3.0,
          efficiency_store=eta_ch, efficiency_dispatch=eta_dis, standing_loss=loss,
          marginal_cost=mc, cyclic_state_of_charge=True)
    status, _ = n.optimize(solver_name="highs", include_objective_constant=False)
    assert status == "ok"
    assert ours.storage["discharge_mw"].sum() > 1.0  # the unit works: not a trivial match
    assert ours.objective == pytest.approx(n.objective, rel=1e-9, abs=1e-6)
    s = ours.storage
    np.testing.assert_allclose(s["charge_mw"], n.storage_units_t.p_store["bat"], atol=1e-6)
    np.testing.assert_allclose(s["discharge_mw"], n.storage_units_t.p_dispatch["bat"],
                               atol=1e-6)
    np.testing.assert_allclose(s["soc_mwh"], n.storage_units_t.state_of_charge["bat"],
                               atol=1e-6)


# -- validation ----------------------------------------------------------------------------
def _issues(storage, **kw) -> list:
    with pytest.raises(ValidationError) as exc:
        power_only([100.0], storage=storage, **kw)
    return [(i.file, i.row, i.column, i.message) for i in exc.value.issues]


def test_validation_names_table_row_and_column():
    bad = pd.concat([unit(id="a1", efficiency_charge=0.0),       # row 0
                     unit(id="a2", efficiency_discharge=1.2),    # row 1
                     unit(id="a3", duration_h=0.0, energy_mwh=None),  # row 2
                     unit(id="a4", node="nowhere"),              # row 3
                     unit(id="a5", energy_mwh=None),             # row 4: neither
                     unit(id="a6", duration_h=2.0),              # row 5: both
                     unit(id="a7", max_power_mw=0.5),            # row 6: below power
                     unit(id="a8", capex_per_mwh=10.0, max_energy_mwh=5.0),  # row 7
                     ], ignore_index=True)
    got = _issues(bad)
    where = {(row, col) for _, row, col, _ in got}
    assert {(0, "efficiency_charge"), (1, "efficiency_discharge"), (2, "duration_h"),
            (3, "node"), (4, "energy_mwh"), (5, "duration_h"), (6, "max_power_mw"),
            (7, "lifetime_years")} <= where
    assert all(f == "storage table" for f, *_ in got)


def test_storage_where_no_power_reaches(tmp_path):
    net = power_only([100.0], storage=unit())
    nodes = pd.concat([net.nodes.reset_index(),
                       pd.DataFrame({"id": ["b"], "lat": [31.0], "lon": [111.0]})])
    with pytest.raises(ValidationError) as exc:
        netopt.Network(**{**net.tables, "nodes": nodes,
                          "storage": net.storage.reset_index().assign(node="b")},
                       settings=net.settings)
    (issue,) = exc.value.issues
    assert issue.column == "node" and "can never charge" in issue.message


def test_storage_csv_file_row_column(tmp_path):
    netopt.save(power_only([100.0], storage=unit()), tmp_path / "inst")
    path = tmp_path / "inst" / "storage.csv"
    text = path.read_text().splitlines()
    head = text[0].split(",")
    row = text[1].split(",")
    row[head.index("efficiency_charge")] = "1.5"
    path.write_text("\n".join([text[0], ",".join(row)]) + "\n")
    with pytest.raises(ValidationError) as exc:
        netopt.load(tmp_path / "inst")
    (issue,) = exc.value.issues
    assert (issue.file, issue.row, issue.column) == ("storage.csv", 2, "efficiency_charge")


def test_span_must_recur_alike_within_a_window():
    with pytest.raises(ValidationError) as exc:
        power_only([100.0], weights=[10.0, 10.0], spans=[1.0, 2.0])
    assert [i.column for i in exc.value.issues] == ["span_h"]


def test_save_and_load_round_trip(tmp_path):
    net = _day([365.0] * 6, spans=[1.0] * 6)
    netopt.save(net, tmp_path / "day")
    back = netopt.load(tmp_path / "day")
    assert netopt.solve(back).objective == pytest.approx(netopt.solve(net).objective)


# -- a network without storage builds the LP it built before ------------------------------
@pytest.mark.parametrize("name", ["toy", "china-edwc-seasons", "sichuan"])
def test_lp_without_storage_is_unchanged(name, monkeypatch):
    net = netopt.load(name)
    if len(net.storage):
        net = netopt.Network(**{**net.tables, "storage": None}, settings=net.settings)
    lp = netopt.formulate(net).lp
    old = tuple(c for c in components.COMPONENTS if c is not storage_component)
    monkeypatch.setattr("netopt.model.formulation.COMPONENTS", old)
    before = netopt.formulate(net).lp
    assert (lp.A != before.A).nnz == 0 and lp.A.shape == before.A.shape
    for v in ("c", "col_lower", "col_upper", "row_lower", "row_upper"):
        np.testing.assert_array_equal(getattr(lp, v), getattr(before, v))


def test_save_leaves_out_a_blank_span_and_an_empty_storage_table(tmp_path):
    """A network without storage saves as before: no storage.csv, no span_h column."""
    net = power_only([100.0])
    netopt.save(net, tmp_path / "plain")
    assert not (tmp_path / "plain" / "storage.csv").exists()
    assert "span_h" not in (tmp_path / "plain" / "periods.csv").read_text()
