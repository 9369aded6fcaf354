"""Capital costs: overnight costs annualised over a lifetime at a discount rate.

Oracle: the toy's build-out worked by hand (tests/test_buildout.py) with the yearly costs
there replaced by overnight costs whose annuity, computed here from the textbook annuity
formula, is the same; and bad capital inputs named by file, row and column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import netopt


def _annuity(overnight: float, rate: float, years: float) -> float:
    """Yearly payment repaying ``overnight`` over ``years`` at ``rate`` (textbook form)."""
    if rate == 0:
        return overnight / years
    q = (1 + rate) ** years
    return overnight * rate * q / (q - 1)


def _with(net, settings=None, **tables):
    s = {**net.settings.to_dict(), **(settings or {})}
    return netopt.Network(**{**net.tables, **tables}, settings=s)


@pytest.mark.parametrize("rate", [0.0, 0.05, 0.08])
def test_overnight_costs_annualised_match_the_hand_worked_build_out(toy, rate):
    # Same optimum as test_site_and_line_expansion_by_hand: a site that must grow by
    # 40 MW_IT at 100,000 CNY per MW-year and a line worth growing by 50 MW at
    # 1,000,000 CNY per MW-year; here the yearly costs come from overnight costs.
    site_years, line_years = 20.0, 40.0
    site_overnight = 100_000 / _annuity(1.0, rate, site_years)
    # line: a terminal part per MW and a per-km part over 1,600 km
    line_total = 1_000_000 / _annuity(1.0, rate, line_years)
    per_km = 0.25 * line_total / 1600
    net = _with(toy, settings={"discount_rate": rate},
                demand=pd.DataFrame({"node": ["east"] * 3,
                                     "class": ["ai", "archive", "interactive"],
                                     "mw_it": [100.0, 20.0, 80.0]}),
                sites=toy.sites.assign(max_it_capacity_mw=[100.0, np.nan],
                                       capex_per_mw=[site_overnight, 0.0],
                                       lifetime_years=[site_years, np.nan]),
                power_lines=toy.power_lines.assign(
                    max_capacity_mw=100.0, capex_per_mw=0.75 * line_total,
                    capex_per_mw_km=per_km, length_km=1600.0, lifetime_years=line_years))
    r = netopt.solve(net)
    builds = r.builds["amount"]
    assert builds[("site", "dc_east")] == pytest.approx(40)
    assert builds[("line", "uhv")] == pytest.approx(50)
    per_hour = 100 * 360.9 + 100 * 365 + (100 * 1.25 - 94) * 730
    expected = per_hour * 8760 + 40 * 100_000 + 50 * 1_000_000
    assert r.objective == pytest.approx(expected, rel=1e-9)
    assert r.costs["expansion"] == pytest.approx(4e6 + 5e7, rel=1e-9)


def test_yearly_and_overnight_costs_add(toy):
    # fixed O&M per year next to an overnight cost: both are paid
    net = _with(toy, settings={"discount_rate": 0.0},
                sites=toy.sites.assign(max_it_capacity_mw=[100.0, np.nan],
                                       capex_per_mw_year=[1_000.0, 0.0],
                                       capex_per_mw=[2_000_000.0, 0.0],
                                       lifetime_years=[20.0, np.nan]))
    assert net.annual_capex["sites"]["dc_east"] == pytest.approx(1_000 + 100_000)


def _write(folder, file, column, row_id, value):
    path = folder / file
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if column not in df:
        df[column] = ""
    df.loc[df["id"] == row_id, column] = value
    df.to_csv(path, index=False)


def _problems(folder) -> list[tuple]:
    with pytest.raises(netopt.ValidationError) as e:
        netopt.load(folder)
    return [(i.file, i.row, i.column, i.message) for i in e.value.issues]


@pytest.mark.parametrize("lifetime,says", [("0", "> 0"), (None, "annualise")],
                         ids=["lifetime of zero", "overnight cost without a lifetime"])
def test_bad_lifetime_is_named_by_file_row_and_column(toy_dir, lifetime, says):
    _write(toy_dir, "sites.csv", "max_it_capacity_mw", "dc_east", "100")
    _write(toy_dir, "sites.csv", "capex_per_mw", "dc_east", "5000000")
    if lifetime is not None:
        _write(toy_dir, "sites.csv", "lifetime_years", "dc_east", lifetime)
    found = _problems(toy_dir)
    assert [p[:3] for p in found] == [("sites.csv", 2, "lifetime_years")]
    assert says in found[0][3]


def test_negative_discount_rate_is_an_error(toy_dir):
    yaml = toy_dir / "network.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "discount_rate: -0.02\n",
                    encoding="utf-8")
    found = _problems(toy_dir)
    assert [p[:3] for p in found] == [("network.yaml", None, "discount_rate")]


def test_candidate_line_without_length_is_an_error(toy_dir):
    _write(toy_dir, "power_lines.csv", "max_capacity_mw", "uhv", "100")
    _write(toy_dir, "power_lines.csv", "capex_per_mw_km", "uhv", "1000")
    _write(toy_dir, "power_lines.csv", "lifetime_years", "uhv", "40")
    _write(toy_dir, "power_lines.csv", "length_km", "uhv", "")
    found = _problems(toy_dir)
    assert [p[:3] for p in found] == [("power_lines.csv", 2, "length_km")]


def test_expansion_limit_below_todays_capacity_is_an_error(toy_dir):
    _write(toy_dir, "power_lines.csv", "max_capacity_mw", "uhv", "10")
    found = _problems(toy_dir)
    assert [p[:3] for p in found] == [("power_lines.csv", 2, "max_capacity_mw")]
