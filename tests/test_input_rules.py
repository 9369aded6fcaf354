"""Input that passes validation must solve: no crash on demand given twice for a period,
and no library warning printed to the user."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import netopt
from netopt.cli import main


def _with_periods(folder, demand_rows, availability_rows=None):
    pd.DataFrame({"id": ["p1", "p2"], "weight_h": [4000.0, 4760.0]}).to_csv(
        folder / "periods.csv", index=False)
    pd.DataFrame(demand_rows, columns=["node", "class", "period", "mw_it"]).to_csv(
        folder / "demand.csv", index=False)
    if availability_rows is not None:
        pd.DataFrame(availability_rows, columns=["source", "period", "availability"]).to_csv(
            folder / "availability.csv", index=False)
    return folder


# -- demand: a blank period (every period) and a named period for one node and class ----


def test_blank_period_and_named_period_for_one_demand_is_rejected_with_its_place(toy_dir):
    _with_periods(toy_dir, [("east", "ai", "", 100), ("east", "archive", "", 20),
                            ("east", "ai", "p1", 50), ("east", "interactive", "", 30)])
    with pytest.raises(netopt.ValidationError) as exc:
        netopt.load(toy_dir)
    [issue] = exc.value.issues
    assert (issue.file, issue.row, issue.column) == ("demand.csv", 4, "period")
    assert "row 2" in issue.message and "every period" in issue.message


def test_cli_validate_and_solve_reject_it_without_a_traceback(toy_dir, capsys):
    _with_periods(toy_dir, [("east", "ai", "p2", 100), ("east", "ai", "", 50)])
    assert main(["validate", str(toy_dir)]) == 2
    assert main(["solve", str(toy_dir)]) == 2
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "demand.csv, row 2, column 'period'" in text and "Traceback" not in text


def test_rows_for_each_period_or_one_blank_row_are_both_fine(toy_dir):
    _with_periods(toy_dir, [("east", "ai", "p1", 100), ("east", "ai", "p2", 100),
                            ("east", "archive", "", 20), ("east", "interactive", "", 30)])
    per_period = netopt.solve(netopt.load(toy_dir))
    _with_periods(toy_dir, [("east", "ai", "", 100), ("east", "archive", "", 20),
                            ("east", "interactive", "", 30)])
    blank = netopt.solve(netopt.load(toy_dir))
    assert per_period.objective == pytest.approx(blank.objective, rel=1e-12)


def test_the_rule_holds_for_networks_built_in_code(toy):
    demand = pd.DataFrame({"node": ["east", "east"], "class": ["ai", "ai"],
                           "period": ["", "year"], "mw_it": [1.0, 2.0]})
    with pytest.raises(netopt.ValidationError, match="already given for every period"):
        netopt.Network(**{**toy.tables, "demand": demand}, settings=toy.settings)


# -- no numpy or pandas warning reaches the user ----------------------------------------


def test_unlimited_source_unavailable_in_a_period_warns_nothing(toy_dir, capfd, tmp_path):
    # hydro_west has unlimited capacity: inf x availability 0 must not become NaN
    _with_periods(toy_dir, [("east", "ai", "", 100), ("east", "archive", "", 20),
                            ("east", "interactive", "", 30)],
                  [("hydro_west", "p1", 0.5), ("hydro_west", "p2", 0.0),
                   ("grid_east", "p2", 0.8)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = netopt.solve(netopt.load(toy_dir))
        assert r.ok
        r.write(tmp_path / "out")
        r.summary()
        gen = r.sources
        assert gen.loc[("hydro_west", "p2"), "generation_mw"] == 0
        assert gen.loc[("hydro_west", "p2"), "available_mw"] == 0
        assert main(["solve", str(toy_dir)]) == 0
    err = capfd.readouterr().err
    assert err == ""
