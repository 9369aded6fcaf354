"""Resuming a sweep from its out file: only its own records count (issue #10, item 3)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest

import netopt
from netopt.cli import main
from netopt.errors import SweepFileError
from netopt.scenarios import apply

PRICES = {"settings.carbon_price": [0.0, 50.0, 100.0]}


def _sweep(net, out, params=PRICES, **kw):
    return netopt.sweep(net, params, processes=1, progress=False, out=out, **kw)


def _lines(path):
    return path.read_text().splitlines()


@pytest.fixture
def written(toy, tmp_path):
    """An out file of a finished toy sweep."""
    out = tmp_path / "s.jsonl"
    _sweep(toy, out)
    assert len(_lines(out)) == 3
    return out


def test_rerun_of_the_same_sweep_reads_back_and_solves_nothing(toy, written):
    before = written.read_bytes()
    df = _sweep(netopt.load("toy"), written, reuse=False)  # reuse changes no answer
    assert written.read_bytes() == before
    assert list(df["objective"]) == [json.loads(x)["row"]["objective"]
                                     for x in before.decode().splitlines()]


def test_network_hash_is_the_same_in_another_process(toy):
    from netopt.analysis.sweep import _network_sha256
    code = ("import netopt; from netopt.analysis.sweep import _network_sha256; "
            "print(_network_sha256(netopt.load('toy')))")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": "123"}, check=True)
    assert other.stdout.strip() == _network_sha256(toy)


@pytest.mark.parametrize("change", ["other instance", "edited table", "edited setting",
                                    "solver", "time limit", "netopt version"])
def test_out_file_of_another_sweep_is_refused(toy, china, written, change, monkeypatch):
    net, kw = toy, {}
    if change == "other instance":
        net = china
    elif change == "edited table":
        net = apply(toy, {"sites.pue[dc_east]": 1.3})
    elif change == "edited setting":
        net = apply(toy, {"settings.value_of_lost_load": 30000.0})
    elif change == "solver":
        kw = {"solver": "cbc"}
    elif change == "time limit":
        kw = {"time_limit": 60.0}
    else:
        monkeypatch.setattr(netopt, "__version__", "99.0")
    before = written.read_bytes()
    with pytest.raises(SweepFileError, match="another sweep") as info:
        _sweep(net, written, **kw)
    assert str(written) in str(info.value) and "fresh" in str(info.value)
    assert info.value.path == str(written) and info.value.line is None
    assert written.read_bytes() == before  # refused before touching it


def test_records_without_a_key_are_refused(toy, written):
    # as written before records were keyed: {"key", "row"} only
    old = [json.loads(x) for x in _lines(written)]
    written.write_text("".join(json.dumps({"key": r["key"], "row": r["row"]}) + "\n"
                               for r in old))
    with pytest.raises(SweepFileError, match="without a key"):
        _sweep(toy, written)


def test_fresh_moves_the_old_file_aside_and_never_deletes(toy, china, written):
    first = written.read_bytes()
    df = _sweep(china, written, fresh=True)
    assert (written.parent / "s.jsonl.1").read_bytes() == first
    assert {json.loads(x)["run"]["network"] for x in _lines(written)} == {"china-edwc"}
    assert df["objective"].iloc[1] == pytest.approx(
        netopt.solve(apply(china, {"settings.carbon_price": 50.0})).objective, rel=1e-9)
    second = written.read_bytes()
    _sweep(china, written, fresh=True)
    assert (written.parent / "s.jsonl.1").read_bytes() == first
    assert (written.parent / "s.jsonl.2").read_bytes() == second


def test_unfinished_last_line_is_dropped_with_a_warning_and_solved_again(toy, written,
                                                                         caplog):
    full = _lines(written)
    data = written.read_bytes()
    written.write_bytes(data[:-40])  # a writer killed midway through line 3
    with caplog.at_level(logging.WARNING, logger="netopt"):
        df = _sweep(toy, written)
    assert any(str(written) in r.getMessage() and "line 3" in r.getMessage()
               and "unfinished" in r.getMessage() for r in caplog.records)
    lines = _lines(written)
    assert len(lines) == 3 and lines[:2] == full[:2]
    assert [json.loads(x)["key"] for x in lines] == [json.loads(x)["key"] for x in full]
    assert (df["status"] == "optimal").all()
    assert df["objective"].iloc[2] == pytest.approx(json.loads(full[2])["row"]["objective"],
                                                    rel=1e-9)


def test_complete_last_record_missing_only_its_newline_is_kept(toy, written):
    written.write_bytes(written.read_bytes()[:-1])
    _sweep(toy, written, {"settings.carbon_price": [0.0, 50.0, 100.0, 150.0]})
    lines = _lines(written)
    assert len(lines) == 4 and all(json.loads(x) for x in lines)


@pytest.mark.parametrize("bad", ["garbage", '{"a": 1}', "null", '{"key": "x", "row": 3'])
def test_a_line_that_is_not_a_record_names_file_and_line(toy, written, bad):
    lines = _lines(written)
    written.write_text("\n".join([lines[0], bad] + lines[1:]) + "\n")
    with pytest.raises(SweepFileError, match="line 2: not a sweep record") as info:
        _sweep(toy, written)
    assert str(written) in str(info.value) and info.value.line == 2


def test_rows_lacking_a_requested_metric_are_solved_again(toy, written):
    df = _sweep(toy, written, metrics={"one": lambda r: 1.0})
    assert list(df["one"]) == [1.0, 1.0, 1.0]


def test_cli_refuses_another_instances_file_then_fresh_starts_anew(tmp_path, capsys,
                                                                   china):
    out = str(tmp_path / "s.jsonl")
    args = ["--set", "settings.carbon_price=0,50", "--out", out, "--processes", "1"]
    assert main(["sweep", "toy"] + args) == 0
    toy_text = (tmp_path / "s.jsonl").read_text()
    capsys.readouterr()
    assert main(["sweep", "china-edwc"] + args) == 2
    cap = capsys.readouterr()
    assert "network 'toy'" in cap.err and out in cap.err and "--fresh" in cap.err
    assert "Traceback" not in cap.err and "optimal" not in cap.out  # no toy numbers
    assert main(["sweep", "china-edwc", "--fresh"] + args) == 0
    assert (tmp_path / "s.jsonl.1").read_text() == toy_text
    rows = [json.loads(x)["row"] for x in (tmp_path / "s.jsonl").read_text().splitlines()]
    at_50 = [r["objective"] for r in rows if r["settings.carbon_price"] == 50.0]
    assert at_50 == [pytest.approx(netopt.solve(apply(
        china, {"settings.carbon_price": 50.0})).objective, rel=1e-9)]


def test_cli_bad_line_is_one_message(tmp_path, capsys, toy):
    out = tmp_path / "s.jsonl"
    _sweep(toy, out)
    # line 2, not line 1: a file whose first line is no sweep record is not netopt's,
    # and the CLI refuses it before the sweep reads it (test_output_safety)
    first, rest = out.read_text().split("\n", 1)
    out.write_text(first + "\nnot json\n" + rest)
    assert main(["sweep", "toy", "--set", "settings.carbon_price=0,50", "--out", str(out),
                 "--processes", "1"]) == 2
    err = capsys.readouterr().err
    assert f"{out}, line 2: not a sweep record" in err and "Traceback" not in err
