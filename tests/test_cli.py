"""The command line: exit codes, one clear message on errors, JSON output."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import netopt

from netopt.cli import main


def test_solve_default_instance(capsys):
    assert main(["solve"]) == 0
    out = capsys.readouterr().out
    assert "china-edwc" in out and "Total cost" in out


def test_solve_json(capsys):
    assert main(["solve", "toy", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["status"] == "optimal" and d["objective"] == pytest.approx(575_137_800)
    assert d["costs"]["total"] == pytest.approx(575_137_800)


def test_solve_with_cbc_out_and_lp(tmp_path, capsys):
    rc = main(["solve", "toy", "--solver", "cbc", "--out", str(tmp_path / "r"),
               "--write-lp", str(tmp_path / "m.lp")])
    assert rc == 0
    assert (tmp_path / "r" / "summary.json").is_file()
    assert "Subject To" in (tmp_path / "m.lp").read_text()


def test_validate_good_and_bad(toy_dir, capsys):
    assert main(["validate", str(toy_dir)]) == 0
    (toy_dir / "sites.csv").write_text("id,node,it_capacity_mw,pue\ndc,east,10,0.5\n")
    assert main(["validate", str(toy_dir)]) == 2
    err = capsys.readouterr().err
    assert "sites.csv, row 2, column 'pue'" in err and "Traceback" not in err


def test_errors_are_one_message_exit_2(capsys):
    assert main(["solve", "no-such-instance"]) == 2
    assert main(["solve", "toy", "--solver", "simplex9000"]) == 2
    err = capsys.readouterr().err
    assert "no instance folder 'no-such-instance'" in err and "unknown solver" in err
    assert "Traceback" not in err


def test_strict_infeasible_exits_1(tmp_path, toy_dir, capsys):
    (toy_dir / "demand.csv").write_text("node,class,mw_it\neast,interactive,1000\n")
    assert main(["solve", str(toy_dir), "--strict"]) == 1
    assert "infeasible: no plan meets all demand" in capsys.readouterr().err


def test_instances_lists_builtins(capsys):
    assert main(["instances"]) == 0
    out = capsys.readouterr().out
    assert "china-edwc" in out and "toy" in out


def test_console_script_runs():
    out = subprocess.run([sys.executable, "-m", "netopt.cli", "solve", "toy", "--json"],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out)["status"] == "optimal"  # stdout is pure JSON (no solver banner)


def test_debug_shows_traceback_and_stats_go_to_stderr(toy_dir, capsys):
    (toy_dir / "sites.csv").write_text("id,node,it_capacity_mw,pue\ndc,east,10,0.5\n")
    import netopt
    with pytest.raises(netopt.ValidationError):
        main(["--debug", "validate", str(toy_dir)])
    assert main(["solve", "toy", "--json", "--stats"]) == 0
    cap = capsys.readouterr()
    assert json.loads(cap.out)["status"] == "optimal"
    assert "LP: 7 rows, 11 columns" in cap.err


def test_long_solves_say_what_they_do(tmp_path, capsys, caplog):
    import logging
    import netopt
    import netopt.solving.optimize as optimize
    caplog.set_level(logging.INFO, logger="netopt")
    old, optimize._LARGE = optimize._LARGE, 1  # treat any LP as large
    try:
        netopt.solve(netopt.load("toy"))
    finally:
        optimize._LARGE = old
    text = caplog.text
    assert "built an LP of 7 rows x 11 columns" in text and "solver finished" in text


def test_every_command_and_option_is_explained():
    import argparse

    from netopt.cli import _parser
    sub = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    missing = [f"{name} {a.dest}" for name, p in sub.choices.items() for a in p._actions
               if not a.help]
    assert not missing
    assert all(c.help for c in sub._choices_actions)


def test_help_and_version_import_no_heavy_library():
    """`netopt --help`, `--version` and `import netopt` answer without importing pandas,
    scipy, numpy or HiGHS (the public API is imported on first use); the time this
    saves is measured in benchmarks/startup.py, not asserted here."""
    import subprocess
    import sys
    heavy = ("pandas", "scipy", "numpy", "highspy", "networkx", "matplotlib")
    code = ("import sys, netopt, netopt.cli\n"
            "for argv in (['--help'], ['--version']):\n"
            "    try:\n        netopt.cli.main(argv)\n    except SystemExit:\n        pass\n"
            f"print(sorted(m for m in {heavy!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip().splitlines()[-1]
    assert out == "[]"
    # and the API is all there on first use
    import netopt
    assert callable(netopt.solve) and netopt.Network.__name__ == "Network"
    assert set(netopt.__all__) <= set(dir(netopt))


def test_every_command_takes_the_default_instance_and_debug_after_it(capsys):
    # one rule: PATH is optional everywhere (default china-edwc)
    assert main(["validate"]) == 0
    assert "china-edwc: valid" in capsys.readouterr().out
    # --debug after the command shows the traceback (raises), as before it does
    for argv in (["solve", "no-such-instance", "--debug"],
                 ["--debug", "solve", "no-such-instance"]):
        with pytest.raises(netopt.InstanceNotFoundError):
            main(argv)
    assert main(["solve", "no-such-instance"]) == 2


@pytest.mark.parametrize("argv", [
    ["instances"], ["validate", "china-edwc"], ["solve", "sichuan"],
    ["breakeven", "china-edwc", "--param", "settings.data_cost_per_tb_km", "--low",
     "0.001", "--high", "2", "--decides", "west_share:batch_analytics>0.5"]])
def test_output_fits_80_columns_and_cuts_no_word(argv, capsys):
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out and max(map(len, out.splitlines())) <= 80, out
    if argv[0] == "solve":  # site names are shown whole or counted, never cut
        sites = set(netopt.load(argv[1]).sites.index)
        assert "tianfu_supercomputing +1" in out
        assert not any(w.startswith("tianfu_s") and w not in sites
                       for w in re.findall(r"[a-z_]+", out))
    if argv[0] == "breakeven":  # the unit and the direction are said
        assert "CNY/(TB km)" in out and "below it the decision is true" in " ".join(out.split())


def test_messages_speak_cli(tmp_path, capsys):
    assert main(["sweep", "toy"]) == 2
    err = capsys.readouterr().err
    assert "--set" in err and "--scenarios" in err and "parameters" not in err
    out = tmp_path / "r"
    assert main(["solve", "toy", "--out", str(out)]) == 0
    assert main(["solve", "toy", "--out", str(out)]) == 2  # netopt's own: --overwrite
    err = capsys.readouterr().err
    assert "--overwrite" in err and "overwrite=True" not in err


def test_stats_of_a_solve_by_windows_say_so(tmp_path, capsys):
    # the windows' matrices are never assembled into one: no "0 nonzeros" shown
    from netopt.solving.windows import fix_buildout
    netopt.save(fix_buildout(netopt.load("china-edwc-seasons")), tmp_path / "fixed")
    assert main(["solve", str(tmp_path / "fixed"), "--decompose", "windows", "--stats",
                 "--json"]) == 0
    err = capsys.readouterr().err
    assert "solved by windows" in err and "nonzeros" not in err
    assert "matrix range" not in err and "cost range" in err
