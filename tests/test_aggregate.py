"""Typical days (tsam) from an hourly year: weights, errors, the k = days oracle, bad input."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import netopt
from netopt.analysis.aggregate import (AggregateError, hourly_days, objective_error,
                                       typical_days)
from netopt.cli import main
from netopt.errors import ValidationError

sys.path.insert(0, str(Path(__file__).parent))
from hourly import hourly_toy  # noqa: E402


@pytest.fixture(scope="module")
def year():
    return hourly_toy()


@pytest.fixture(scope="module")
def year_dir(year, tmp_path_factory):
    return netopt.save(year, tmp_path_factory.mktemp("hourly") / "year")


def test_k_equal_days_reproduces_the_full_year(year):
    # oracle: 365 clusters of 365 days are the days themselves, each weighing 1 day
    agg = typical_days(year, 365)
    assert (agg.weights == 1).all() and agg.weights.sum() * 24 == 8760
    assert agg.assignment.nunique() == 365
    o = objective_error(year, agg)
    assert o["typical_columns"] == o["full_columns"]
    assert o["typical"] == pytest.approx(o["full"], rel=1e-9)
    assert agg.error["rmse"].max() < 1e-9


def test_few_typical_days_report_a_finite_error(year):
    agg = typical_days(year, 6)
    net = agg.network
    assert len(net.periods) == 6 * 24 and net.periods["weight_h"].sum() == 8760
    assert agg.weights.sum() == 365 and len(agg.weights) == 6
    # each typical day is one window of 24 hours weighing its cluster's size
    w = net.periods.groupby("window")["weight_h"].agg(["size", "first"])
    assert (w["size"] == 24).all()
    assert np.allclose(w["first"].to_numpy(), agg.weights.loc[w.index].to_numpy())
    assert (net.availability["availability"] <= 1).all()
    # the solar series is what varies from day to day: its error is real, the means kept
    e = agg.error.loc["availability:solar_west"]
    assert 0 < e["rmse"] < 0.2 and e["mean_typical"] == pytest.approx(e["mean_input"],
                                                                       rel=1e-6)
    assert agg.error.loc["profile:archive", "rmse"] < 1e-12  # weekly shape: days alike
    o = objective_error(year, agg)
    assert np.isfinite(o["relative_error"]) and 1e-6 < abs(o["relative_error"]) < 0.05
    assert o["typical_columns"] < o["full_columns"] / 50


def test_out_of_range_days(year):
    with pytest.raises(AggregateError, match="the input has 365 days; ask for 1 to 365"):
        typical_days(year, 366)
    with pytest.raises(AggregateError, match="days=0"):
        typical_days(year, 0)


def test_without_tsam_the_extra_is_named(year, monkeypatch):
    monkeypatch.setitem(sys.modules, "tsam", None)
    with pytest.raises(AggregateError, match=r"netopt\[aggregate\]"):
        typical_days(year, 4)


def _issues(exc) -> str:
    return "\n".join(map(str, exc.value.issues))


def test_a_day_of_23_hours_is_named(year):
    p = year.periods.reset_index().iloc[:-1]  # 8759 rows
    bad = netopt.Network(**{**year.tables, "periods": p,
                            "availability": year.availability[
                                year.availability["period"] != "h8759"],
                            "demand_profiles": year.demand_profiles[
                                year.demand_profiles["period"] != "h8759"]},
                         settings=year.settings)
    with pytest.raises(ValidationError) as exc:
        hourly_days(bad)
    text = _issues(exc)
    assert "periods, row 8736..8758, column 'window': day 'd365' has 23 hours" in text
    assert "8759 periods" in text


def test_missing_hours_of_a_series_are_named(year):
    av = year.availability.iloc[:-1]
    bad = netopt.Network(**{**year.tables, "availability": av}, settings=year.settings)
    with pytest.raises(ValidationError) as exc:
        hourly_days(bad)
    assert ("availability, column 'period': source 'solar_west' has 8,759 hourly rows, "
            "not 8,760: no row for period 'h8759'") in _issues(exc)


def test_weights_and_windows_are_checked(year):
    p = year.periods.reset_index()
    p.loc[5, "weight_h"] = 2.0
    p.loc[23, "window"] = ""  # a blank mid-day would split the day
    bad = netopt.Network(**{**year.tables, "periods": p}, settings=year.settings)
    with pytest.raises(ValidationError) as exc:
        hourly_days(bad)
    text = _issues(exc)
    assert "row 5, column 'weight_h': 2 h" in text and "row 23, column 'window': blank" in text


def test_cli_aggregate_writes_an_instance(year_dir, tmp_path, capsys):
    out = tmp_path / "td"
    assert main(["aggregate", str(year_dir), str(out), "--days", "4",
                 "--objective-error"]) == 0
    text = capsys.readouterr().out
    assert "365 days" in text and "4 typical days" in text and "relative error" in text
    net = netopt.load(out)  # aggregation.json is not a table: the folder loads
    assert len(net.periods) == 96 and net.periods["weight_h"].sum() == 8760
    info = json.loads((out / "aggregation.json").read_text())
    assert sum(info["weights_days"].values()) == 365 and len(info["assignment"]) == 365
    assert np.isfinite(info["objective"]["relative_error"])
    assert "cyclic" in info["storage"]
    r = netopt.solve(net)
    assert r.objective == pytest.approx(info["objective"]["typical"], rel=1e-9)


def test_cli_bad_input_exits_2(year_dir, tmp_path, capsys):
    assert main(["aggregate", str(year_dir), str(tmp_path / "a"), "--days", "400"]) == 2
    err = capsys.readouterr().err
    assert "argument --days: 400 is more than the 365 days" in err and err.count("\n") == 1
    assert main(["aggregate", str(year_dir), str(tmp_path / "a"), "--days", "0"]) == 2
    assert "argument --days" in capsys.readouterr().err
    # an hourly profile of 8759 rows: file, column and the missing hour named
    short = tmp_path / "short"
    netopt.save(netopt.load(year_dir), short)
    lines = (short / "demand_profiles.csv").read_text().splitlines(keepends=True)
    (short / "demand_profiles.csv").write_text("".join(lines[:-1]))
    assert main(["aggregate", str(short), str(tmp_path / "b"), "--days", "4"]) == 2
    err = capsys.readouterr().err
    assert max(map(len, err.splitlines())) <= 80  # wrapped for the terminal
    assert ("demand_profiles.csv, column 'period': class 'interactive' has 8,759 hourly "
            "rows, not 8,760: no row for period 'h8759'") in " ".join(err.split())
    # 8759 periods: the short day and its rows in periods.csv
    lines = (short / "periods.csv").read_text().splitlines(keepends=True)
    (short / "periods.csv").write_text("".join(lines[:-1]))
    for f in ("availability.csv", "demand_profiles.csv"):
        df = pd.read_csv(short / f)
        df[df["period"] != "h8759"].to_csv(short / f, index=False)
    assert main(["aggregate", str(short), str(tmp_path / "b"), "--days", "4"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "periods.csv, row 8738..8760, column 'window': day 'd365' has 23 hours" in err
    assert not (tmp_path / "b").exists()


def _with_hourly_load(net, drop_last=False):
    ids = list(net.periods.index)
    hour = np.arange(len(ids)) % 24
    mw = 20.0 + 10.0 * np.sin(np.pi * hour / 24) + (np.arange(len(ids)) // 24) % 3
    hourly = pd.DataFrame({"node": "east", "period": ids, "mw": mw.round(3)})
    if drop_last:
        hourly = hourly.iloc[:-1]
    flat = pd.DataFrame({"node": ["west"], "period": [""], "mw": [5.0],
                         "value_of_lost_load": [9000.0]})
    return netopt.Network(**{**net.tables, "loads": pd.concat([hourly, flat])},
                          settings=net.settings)


def test_hourly_electric_loads_are_aggregated():
    # oracle: as many typical days as days reproduce the year (loads included); fewer
    # keep each load's mean (tsam rescales) and its value of lost load
    year = _with_hourly_load(hourly_toy(days=14))
    agg = typical_days(year, 14)
    o = objective_error(year, agg)
    assert o["typical"] == pytest.approx(o["full"], rel=1e-9)
    few = typical_days(year, 3).network
    ld = few.loads_by_period.set_index(["node", "period"])
    w = few.periods["weight_h"]
    east = ld.loc["east", "mw"].reindex(w.index)
    assert (east * w).sum() / w.sum() == pytest.approx(
        year.loads.loc[year.loads["node"] == "east", "mw"].mean(), rel=1e-6)
    assert (ld.loc["west", "mw"] == 5.0).all()
    assert (ld.loc["west", "value_of_lost_load"] == 9000.0).all()
    assert "load:east" in typical_days(year, 3).error.index
    with pytest.raises(ValidationError, match="node 'east' has 335 hourly rows"):
        hourly_days(_with_hourly_load(hourly_toy(days=14), drop_last=True))
