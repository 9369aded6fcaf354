"""Build-out over a year of hours in two steps (issue #12, item 2): design on typical
days, operate the year by windows with the design fixed, and a lower bound.

Oracle: the year solved whole with the build-out free (it fits here). Designing on the
year itself must reach it (gap 0); any other design costs at least as much.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import netopt
from netopt.analysis.design import design_year

sys.path.insert(0, str(Path(__file__).parent))
from hourly import hourly_toy  # noqa: E402


@pytest.fixture(scope="module")
def year():
    y = hourly_toy(days=14, seed=3)
    sites = y.sites.copy()
    sites["it_capacity_mw"] = [40.0, 120.0]       # short: the design must build
    sites["max_it_capacity_mw"] = [200.0, 400.0]
    sites["capex_per_mw_year"] = [4.0e6, 2.5e6]
    return netopt.Network(**{**y.tables, "sites": sites}, settings=y.settings)


def _typical(year, days):
    """The year's given days, each weighted by the days it stands for."""
    p = year.periods
    keep = p["window"].isin([f"d{d:03d}" for d in days]).to_numpy()
    sub = p[keep].copy()
    sub["weight_h"] *= len(p) / keep.sum()
    ids = set(sub.index)
    tables = {**year.tables, "periods": sub}
    for name in ("availability", "demand_profiles"):
        df = year.tables[name]
        tables[name] = df[df["period"].isin(ids)]
    return netopt.Network(**tables, settings=year.settings)


def test_design_on_the_year_itself_reaches_the_year_optimum(year):
    d = design_year(year, year, decompose="windows")
    assert not d.design.builds.empty                       # something is built
    assert d.operation.decompose == "windows"              # the year runs by day
    assert d.bound_kind == "the year solved whole"
    assert d.year_cost == pytest.approx(d.lower_bound, rel=1e-7)
    assert abs(d.gap) < 1e-7
    assert d.estimate == pytest.approx(d.lower_bound, rel=1e-7)


def test_typical_days_design_costs_at_least_the_bound(year):
    d = design_year(year, _typical(year, [2, 9]), decompose="windows")
    assert d.operation.ok and d.operation.decompose == "windows"
    assert d.year_cost >= d.lower_bound * (1 - 1e-9)
    assert d.gap >= -1e-9
    t = d.table()
    assert list(t.index) == ["typical-day estimate (design step)",
                             "design on the full year: operation",
                             "design on the full year: capital",
                             "design on the full year: total",
                             "lower bound (the year solved whole)"]
    total = t.loc["design on the full year: total"].iloc[0]
    assert total == pytest.approx(t.iloc[1:3, 0].sum())
    # the capital of the design, over the year: its builds' annualised cost
    assert d.capital == pytest.approx(d.design.builds["cost"].sum())
    nb = design_year(year, _typical(year, [2, 9]), bound="none")
    assert np.isnan(nb.lower_bound) and nb.year_cost == pytest.approx(d.year_cost)
