"""The assembled LP, solved by an independent solver (scipy's linprog)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

import netopt
from netopt.model.formulation import formulate


def _linprog(lp):
    eq = lp.row_lower == lp.row_upper
    ub = ~eq & np.isfinite(lp.row_upper)
    assert not (~eq & np.isfinite(lp.row_lower)).any()  # no >= or ranged rows here
    res = linprog(lp.c, A_ub=lp.A[ub], b_ub=lp.row_upper[ub], A_eq=lp.A[eq],
                  b_eq=lp.row_lower[eq], bounds=list(zip(lp.col_lower, lp.col_upper)),
                  method="highs-ipm")
    assert res.status == 0
    return res.fun * lp.objective_scale


@pytest.mark.parametrize("name", ["toy", "china-edwc"])
def test_linprog_on_the_matrix_matches(name):
    net = netopt.load(name)
    f = formulate(net)
    assert _linprog(f.lp) == pytest.approx(netopt.solve(net).objective, rel=1e-7)


def test_toy_matrix_by_hand(toy):
    lp = formulate(toy).lp
    rows, cols = lp.shape
    # x: ai west/east, archive west/east, interactive east = 5; u: 3; g: 2; f: 1
    assert cols == 5 + 3 + 2 + 1
    assert {k: b.size for k, b in lp.constraints.items()} == {
        "demand": 3, "demand_window": 0, "site_capacity": 2, "bandwidth": 0,
        "line_capacity": 0, "storage_soc": 0, "storage_charge_capacity": 0,
        "storage_discharge_capacity": 0, "storage_energy_capacity": 0, "balance": 2}
    assert rows == 7
    assert _linprog(lp) == pytest.approx(575_137_800, rel=1e-9)


def test_strict_mode_has_no_unserved_variables(toy):
    assert "u" not in formulate(toy, allow_unserved=False).lp.variables


def test_bandwidth_limit_binds_and_is_priced():
    from conftest import two_node
    net = two_node(delta=0.45, price_e=2000.0, weight=1.0)  # 1 MW_IT = 1 Gbps
    links = net.backbone_links.assign(bandwidth_gbps=0.25)
    net = netopt.Network(**{**net.tables, "backbone_links": links}, settings=net.settings)
    r = netopt.solve(net)
    site = r.placement.groupby("site")["mw_it"].sum()
    assert site["site_w"] == pytest.approx(0.25)  # the link carries 0.25 Gbps at most
    link = r.links.iloc[0]
    assert link["gbps_forward"] == pytest.approx(0.25) and link["utilisation"] == pytest.approx(1)
    # One more Gbps moves 1 MW_IT west: it saves the eastern cost, pays data and west power.
    east = 1.25 * min(2000.0, (300 + 65) / 0.94)
    west = 0.45 * 30 + 1.2 * 300
    assert link["shadow_price"] == pytest.approx(east - west, rel=1e-7)
