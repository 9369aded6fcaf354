"""Valid but extreme values still solve to the closed-form answer."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netopt
from conftest import two_node


def _log(lo, hi):
    return st.floats(lo, hi).map(lambda e: 10.0 ** e)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(delta=_log(-8, 4), demand=_log(-4, 7), cost=_log(-3, 4), price=_log(-1, 4),
       cap=st.sampled_from([float("inf"), 1e8]))
def test_extreme_values_match_closed_form(delta, demand, cost, price, cap):
    net = two_node(price_w=price, cost_per_tb=cost, delta=delta, demand=demand,
                   line_cap=cap, weight=1.0)
    r = netopt.solve(net)
    assert r.ok
    by_data = delta * cost + 1.2 * price
    by_power = 1.25 * (price + 65) / 0.94
    assert r.objective == pytest.approx(demand * min(by_data, by_power), rel=1e-6)
    if abs(by_data - by_power) > 1e-6 * by_power:
        site = r.placement.groupby("site")["mw_it"].sum()
        assert site.idxmax() == ("site_w" if by_data < by_power else "site_e")


def test_lp_stats_report_sizes_and_ranges(china):
    from netopt.model.formulation import formulate
    st_ = formulate(china).lp.stats()
    assert st_["rows"] > 0 and st_["columns"] > 0 and st_["nonzeros"] > 0
    lo, hi = st_["matrix_range"]
    assert 0 < lo <= hi
    # costs enter per mean hour (not per year): coefficients stay far from 1e9
    assert st_["cost_range"][1] <= 1e5
