"""Bad input of every kind ends in one clear message and exit 2 (issue #10, items 5-7):
no NaN or overflow gets through, no traceback, and messages quote the right value,
escaped and cut, and count what they leave out."""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys

import pandas as pd
import pytest

import netopt
from netopt.cli import _parser, main
from netopt.scenarios import ScenarioError, apply


def _issues(folder):
    with pytest.raises(netopt.ValidationError) as exc:
        netopt.load(folder)
    return exc.value.issues


def _messages(issues, file, row=None, column=None):
    return [i.message for i in issues if i.file == file and (row is None or i.row == row)
            and (column is None or i.column == column)]


def _edit(folder, file, row, column, value):
    path = folder / file
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[row, column] = value
    df.to_csv(path, index=False)


def _one_line_exit_2(capsys, argv):
    rc = main(argv)
    err = capsys.readouterr().err
    assert rc == 2, (argv, rc, err)
    assert "Traceback" not in err
    assert err.startswith("netopt") and len(err.strip().splitlines()) == 1, err
    return err


# -- 5. NaN and overflow ------------------------------------------------------------------
def test_parse_number_refuses_nan_and_overflow_but_not_inf():
    from netopt.data.coerce import parse_number
    assert parse_number(" 2.5 ") == 2.5
    assert parse_number("-Infinity") == -math.inf and parse_number("unlimited") == math.inf
    for text in ("nan", "NaN", "-nan", "+NAN", float("nan")):
        with pytest.raises(ValueError, match="NaN is not a number"):
            parse_number(text)
    for text in ("1e309", "-1e309", 10 ** 400, "9" * 400):
        with pytest.raises(ValueError, match="too large"):
            parse_number(text)
    with pytest.raises(ValueError, match="must be finite"):
        parse_number("inf", allow_inf=False)


def test_sweep_set_nan_is_refused(capsys):
    err = _one_line_exit_2(capsys, ["sweep", "toy", "--set", "settings.carbon_price=nan,50",
                                    "--processes", "1"])
    assert "'nan' is not a number" in err


@pytest.mark.parametrize("text,says", [(".nan", "got '.nan'"), (".NaN", "got '.NaN'"),
                                       ("nan", "got 'nan'"),
                                       ("1.0e+309", "'1.0e+309' is too large"),
                                       ("1e309", "'1e309' is too large")])
def test_network_yaml_nan_or_overflow_is_refused(toy_dir, text, says):
    # .nan used to become the default (0); an overflow was reported as "inf".
    (toy_dir / "network.yaml").write_text(f"name: toy\ncarbon_price: {text}\n")
    (msg,) = _messages(_issues(toy_dir), "network.yaml", column="carbon_price")
    assert says in msg


def test_yaml_inf_is_still_inf_where_allowed(toy_dir):
    (toy_dir / "network.yaml").write_text("name: toy\nvalue_of_lost_load: .inf\n")
    assert "must be finite" in _messages(_issues(toy_dir), "network.yaml")[0]


@pytest.mark.parametrize("value", ["1e309", "-1e309", "1" + "0" * 400])
def test_overflowing_cell_is_not_unlimited(toy_dir, value):
    # it_capacity_mw allows inf, so an overflow to inf used to pass the 1e8 MW limit.
    _edit(toy_dir, "sites.csv", 0, "it_capacity_mw", value)
    (msg,) = _messages(_issues(toy_dir), "sites.csv", 2, "it_capacity_mw")
    assert "overflows to infinity" in msg


def test_literal_inf_cell_is_still_allowed(toy_dir):
    _edit(toy_dir, "sites.csv", 0, "it_capacity_mw", "inf")
    assert math.isinf(netopt.load(toy_dir).sites["it_capacity_mw"].iloc[0])


def test_scenarios_file_with_nan_or_blank_is_refused(tmp_path, capsys):
    for i, body in enumerate(["settings.carbon_price\n10\nnan\n",
                              "settings.carbon_price,sites.pue[dc_east]\n10,\n"]):
        f = tmp_path / f"s{i}.csv"
        f.write_text(body)
        _one_line_exit_2(capsys, ["sweep", "toy", "--scenarios", str(f)])


def test_python_api_refuses_nan(toy):
    with pytest.raises(ScenarioError, match="NaN"):
        apply(toy, {"settings.carbon_price": float("nan")})
    with pytest.raises(ScenarioError, match="NaN"):
        apply(toy, {"sources.marginal_cost": float("nan")})
    with pytest.raises(ScenarioError, match="not a number"):
        apply(toy, {"sources.capacity_mw": "*0"})  # 0 x inf
    with pytest.raises(netopt.ValidationError) as exc:
        netopt.Network(**toy.tables, settings={"name": "t", "carbon_price": float("nan")})
    assert "carbon_price" in str(exc.value)
    df = netopt.sweep(toy, {"settings.carbon_price": [float("nan")]}, processes=1,
                      progress=False)
    assert df["status"].iloc[0] == "error"


# -- 6. exit 2 and one line, never a traceback ----------------------------------------------
def test_routes_per_pair_inf_in_yaml(toy_dir, capsys):
    (toy_dir / "network.yaml").write_text("name: toy\nroutes_per_pair: inf\n")
    assert "must be finite" in _messages(_issues(toy_dir), "network.yaml",
                                         column="routes_per_pair")[0]
    assert main(["validate", str(toy_dir)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_non_utf8_network_yaml_on_the_instance_path(tmp_path, monkeypatch, capsys):
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "network.yaml").write_bytes(b"name: \xff\xfe\n")
    monkeypatch.setenv("NETOPT_INSTANCES", str(tmp_path))
    assert main(["instances"]) == 0
    out = capsys.readouterr().out
    assert "unreadable network.yaml" in out and "toy" in out
    err = _one_line_exit_2(capsys, ["solve", "tyo"])
    assert "did you mean 'toy'" in err


def test_non_utf8_network_yaml_in_a_folder(toy_dir):
    (toy_dir / "network.yaml").write_bytes(b"name: \xff\n")
    assert "not UTF-8" in _messages(_issues(toy_dir), "network.yaml")[0]


def test_non_utf8_sources_md_in_report(toy_dir, tmp_path, capsys):
    (toy_dir / "SOURCES.md").write_bytes(b"# Sources\n\xff\xfe\n")
    err = _one_line_exit_2(capsys, ["report", str(toy_dir), "-o", str(tmp_path / "r.html")])
    assert "SOURCES.md is not UTF-8" in err
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("body", [b"", b"settings.carbon_price\n\xff\n"])
def test_scenarios_file_empty_or_not_utf8(tmp_path, capsys, body):
    (tmp_path / "s.csv").write_bytes(body)
    _one_line_exit_2(capsys, ["sweep", "toy", "--scenarios", str(tmp_path / "s.csv")])


#: (command, dest) -> a value that must be refused at parse time. Every option and
#: positional that takes a value is listed (the walk below checks that).
def _bad_values(tmp_path):
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    return {
        ("solve", "path"): "", ("solve", "solver"): "simplex9000",
        ("solve", "out"): str(a_file), ("solve", "write_lp"): str(tmp_path / "x.txt"),
        ("solve", "time_limit"): "-1", ("solve", "mip_gap"): "nan",
        ("solve", "routes"): "0", ("solve", "plot"): str(tmp_path / "map.txt"),
        ("report", "path"): "", ("report", "out"): str(tmp_path / "r.txt"),
        ("validate", "path"): "",
        ("compare", "path"): "", ("compare", "out"): str(a_file),
        ("sweep", "path"): "", ("sweep", "set"): "settings.carbon_price=1e309",
        ("sweep", "scenarios"): str(empty), ("sweep", "out"): str(tmp_path),
        ("sweep", "csv"): str(tmp_path), ("sweep", "processes"): "-2",
        ("sweep", "scheduler"): "garbage", ("sweep", "solver"): "",
        ("pareto", "solver"): "simplex9000", ("compare", "solver"): "simplex9000",
        ("breakeven", "path"): "", ("breakeven", "param"): "sites.nope",
        ("breakeven", "low"): "nan", ("breakeven", "high"): "1e309",
        ("breakeven", "decides"): "objective", ("breakeven", "tol"): "0",
        ("generate", "out"): str(a_file), ("generate", "nodes"): "1",
        ("generate", "sites"): "0", ("generate", "periods"): "0",
        ("generate", "classes"): "9", ("generate", "demand_nodes"): "0",
        ("generate", "routes"): "-5", ("generate", "seed"): "-1",
        ("pareto", "path"): "", ("pareto", "points"): "1", ("pareto", "csv"): str(tmp_path),
        ("solve", "method"): "fastest", ("solve", "decompose"): "by-day",
        ("solve", "processes"): "0",
        ("aggregate", "path"): "", ("aggregate", "out"): str(a_file),
        ("aggregate", "days"): "0", ("aggregate", "method"): "hipo9",
    }


# Good values for what a command requires, so that only the bad value is wrong.
_REQUIRED = {
    ("sweep", "path"): "toy", ("breakeven", "path"): "toy", ("validate", "path"): "toy",
    ("breakeven", "param"): "settings.carbon_price", ("breakeven", "low"): "0",
    ("breakeven", "high"): "100", ("breakeven", "decides"): "objective>0",
    ("aggregate", "path"): "toy", ("aggregate", "out"): "never-written",
    ("aggregate", "days"): "4",
}


def _takes_value(action) -> bool:
    return action.nargs != 0 and not isinstance(action, (argparse._HelpAction,
                                                         argparse._VersionAction))


def test_parser_walk_every_option_refuses_a_bad_value(tmp_path, capsys):
    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    bad = _bad_values(tmp_path)
    walked = set()
    for command, parser in sub.choices.items():
        actions = [a for a in parser._actions if _takes_value(a)]
        for action in actions:
            walked.add((command, action.dest))
            if (command, action.dest) not in bad:
                continue
            argv = [command]
            for a in actions:  # positionals in order, then required options
                value = bad[(command, a.dest)] if a is action else _REQUIRED.get(
                    (command, a.dest), str(tmp_path / "new") if command == "generate" else
                    None)
                if value is None:
                    continue
                argv += [value] if not a.option_strings else [a.option_strings[-1], value]
            err = _one_line_exit_2(capsys, argv)
            assert "error: argument" in err, (argv, err)
    assert walked == set(bad), f"options without a bad value to try: {walked - set(bad)}"


def test_routes_zero_is_an_error_not_the_default(capsys):
    assert "between 1 and 100" in _one_line_exit_2(capsys, ["solve", "toy", "--routes", "0"])


# -- 7. messages that mislead ------------------------------------------------------------
def test_each_row_quotes_its_own_bad_value(toy_dir):
    _edit(toy_dir, "sites.csv", 0, "pue", "abc")
    _edit(toy_dir, "sites.csv", 1, "pue", "xyz")
    issues = _issues(toy_dir)
    assert _messages(issues, "sites.csv", 2, "pue") == ["expected a number (-), got 'abc'"]
    assert _messages(issues, "sites.csv", 3, "pue") == ["expected a number (-), got 'xyz'"]


def test_each_row_quotes_its_own_out_of_range_value(toy_dir):
    _edit(toy_dir, "sites.csv", 0, "pue", "0.5")
    _edit(toy_dir, "sites.csv", 1, "pue", "0.7")
    issues = _issues(toy_dir)
    assert "got 0.5" in _messages(issues, "sites.csv", 2, "pue")[0]
    assert "got 0.7" in _messages(issues, "sites.csv", 3, "pue")[0]


def test_one_bad_cell_is_one_problem(toy_dir):
    _edit(toy_dir, "sites.csv", 0, "pue", "abc")  # pue is required: no default
    issues = _issues(toy_dir)
    assert len(issues) == 1 and "expected a number" in issues[0].message


def test_capped_report_says_how_many_more(toy_dir):
    rows = "".join(f"dc_east,east,1,1.2\n" for _ in range(10_000))
    (toy_dir / "sites.csv").write_text("id,node,it_capacity_mw,pue\n" + rows)
    with pytest.raises(netopt.ValidationError) as exc:
        netopt.load(toy_dir)
    text = str(exc.value)
    assert text.startswith("9,999 problems in the input:")
    assert "and 9,979 more rows with the same problem" in text
    assert len(text.splitlines()) == 22


def test_capped_references_say_how_many_more(toy_dir):
    rows = "".join(f"s{i},mars,grid,inf,100,0\n" for i in range(1000))
    (toy_dir / "sources.csv").write_text("id,node,kind,capacity_mw,marginal_cost,emissions\n"
                                         + rows)
    issues = _issues(toy_dir)
    assert len(_messages(issues, "sources.csv", column="node")) == 21
    (more,) = [i for i in issues if i.more]
    assert more.more == 980 and "and 980 more rows" in more.message


def _dangling(path):
    path.unlink()
    path.symlink_to(path.parent / "nowhere.csv")


def _loop(path):
    path.unlink()
    path.symlink_to(path)


def _directory(path):
    path.unlink()
    path.mkdir()


@pytest.mark.parametrize("make,text", [(_directory, "is a directory"),
                                       (_dangling, "is a broken symbolic link"),
                                       (_loop, "symbolic link loop")])
@pytest.mark.parametrize("file", ["sites.csv", "power_lines.csv", "network.yaml"])
def test_not_a_file_in_place_of_a_table(toy_dir, make, text, file):
    make(toy_dir / file)
    (msg,) = _messages(_issues(toy_dir), file)
    assert text in msg and "missing" not in msg


def test_invisible_characters_in_ids_are_shown_escaped(toy_dir):
    _edit(toy_dir, "demand.csv", 0, "node", "east\u200b")
    (msg,) = _messages(_issues(toy_dir), "demand.csv", 2, "node")
    assert "unknown node 'east\\u200b'" in msg


def test_nul_in_an_id_is_shown_escaped(toy):
    demand = toy.demand.copy()
    demand.loc[0, "node"] = "east\x00"
    with pytest.raises(netopt.ValidationError) as exc:
        netopt.Network(**{**toy.tables, "demand": demand}, settings=toy.settings)
    assert "'east\\x00'" in str(exc.value) and "\x00" not in str(exc.value)


def test_show_escapes_and_cuts():
    from netopt.errors import show
    assert show("a\x00b\u200bc\td") == "'a\\x00b\\u200bc\\td'"
    assert show("上海 东部") == "'上海 东部'"
    long = show("x" * 200_000_000)
    assert long == "'" + "x" * 60 + "…'"


def test_long_bad_cell_is_echoed_cut(toy_dir):
    _edit(toy_dir, "sites.csv", 0, "pue", "y" * 5000)
    (msg,) = _messages(_issues(toy_dir), "sites.csv", 2, "pue")
    assert len(msg) < 120 and msg.endswith("…'")


_MEASURE = """
import resource, sys
import netopt
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    netopt.load(sys.argv[1])
    message = ""
except netopt.ValidationError as exc:
    message = str(exc)
grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(len(message), grew // 1024)
print(message[:300])
"""


def test_absurd_single_line_cell_is_refused_cheaply(toy_dir):
    # A 20 MB cell on one line: pandas needs several times that to parse it, and the
    # old message quoted it whole.
    path = toy_dir / "sites.csv"
    lines = path.read_text().splitlines()
    lines[1] += "9" * (20 << 20)
    path.write_text("\n".join(lines) + "\n")
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(toy_dir)], check=True,
                         capture_output=True, text=True, env={**os.environ}).stdout
    length, grew_mb = map(int, out.splitlines()[0].split())
    assert 0 < length < 300, out
    assert "sites.csv, row 2: line 2 is 20,971,5" in out
    assert grew_mb < 50, f"memory grew by {grew_mb} MB"
