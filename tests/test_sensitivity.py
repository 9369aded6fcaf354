"""Two-way sensitivity against the closed-form break-even with capital."""

from __future__ import annotations

import numpy as np
import pytest

from netopt.plot import two_way_chart
from netopt.sensitivity import two_way
from test_capital_breakeven import _closed_form, _network

BASE = dict(p_w=300.0, tau=65.0, eta=0.94, pue_e=1.25, pue_w=1.2, k_e=2.0e6, k_w=1.5e6,
            k_line=3.0e5, k_bw=2.0e5, c=30.0)
DELTA = 3.0


def test_two_way_grid_moves_work_exactly_where_the_closed_form_says():
    costs = [5.0, 20.0, 60.0, 150.0]
    capex_east = [0.0, 1.0e6, 4.0e6, 9.0e6]
    t = two_way(_network(DELTA, *BASE.values()), ("backbone_links.cost_per_tb", costs),
                ("sites.capex_per_mw_year[site_e]", capex_east))
    assert len(t) == 16 and (t["status"] == "optimal").all()
    for row in t.itertuples(index=False):
        args = {**BASE, "c": row[0], "k_e": row[1]}
        star = _closed_form(*args.values())[0]
        if abs(DELTA - star) < 1e-6 * max(1.0, star):
            continue  # a tie: either way is optimal
        assert row[-1] == pytest.approx(1.0 if DELTA < star else 0.0, abs=1e-9), args
    # the grid holds both answers, so the test can tell them apart
    assert set(np.round(t["share:k"], 9)) == {0.0, 1.0}


def test_two_way_chart_labels_every_panel():
    t = two_way(_network(DELTA, *BASE.values()), ("backbone_links.cost_per_tb", [5.0, 150.0]),
                ("sites.capex_per_mw_year[site_e]", [0.0, 9.0e6]))
    fig = two_way_chart(t, "backbone_links.cost_per_tb", "sites.capex_per_mw_year[site_e]",
                        xlabel="data price (CNY/TB)", ylabel="east capex (CNY/MW-year)")
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in panels] == ["k"]
    assert panels[0].get_xlabel() == "data price (CNY/TB)"
    texts = sorted(t_.get_text() for t_ in panels[0].texts)
    assert texts == sorted(f"{v:.0%}" for v in t["share:k"])
