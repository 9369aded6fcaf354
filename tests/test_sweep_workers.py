"""A stopped or killed sweep leaves no worker processes behind (issue #10, item 4)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="finds the workers through /proc")

# `netopt sweep` with two workers whose every scenario takes 0.3 s (a sleep, so the test
# costs little CPU): long enough to be running when the signal comes.
SCRIPT = """
import sys, time
import netopt.analysis.sweep as sweep_module
metrics = sweep_module.result_metrics
sweep_module.result_metrics = lambda r: (time.sleep(0.3), metrics(r))[1]
from netopt.cli import main
values = ",".join(str(v) for v in range(400))
sys.exit(main(["sweep", "toy", "--set", "settings.carbon_price=" + values,
               "--processes", "2", "--out", sys.argv[1]]))
"""


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """Running, not a zombie (an orphan's zombie may wait for a reaper that never comes)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_until(condition, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.parametrize("sig,code,says", [
    (signal.SIGTERM, 143, "stopped by SIGTERM"),
    (signal.SIGINT, 130, "interrupted"),
    (signal.SIGKILL, -signal.SIGKILL, None),
])
def test_stopped_or_killed_sweep_leaves_no_workers(tmp_path, sig, code, says):
    out, log = tmp_path / "s.jsonl", tmp_path / "stderr.txt"
    # stderr to a file, not a pipe: orphans would hold a pipe open after the parent ends
    with open(log, "w") as stderr:
        parent = subprocess.Popen([sys.executable, "-c", SCRIPT, str(out)],
                                  stdout=subprocess.DEVNULL, stderr=stderr)
    workers: set[int] = set()
    try:
        # running: both workers forked and at least one scenario recorded
        _wait_until(lambda: parent.poll() is not None or (
            len(_children(parent.pid)) >= 2 and out.exists()
            and out.read_text().count("\n") >= 1), 120)
        assert parent.poll() is None, f"the sweep ended early: {log.read_text()[-2000:]}"
        assert out.exists() and out.read_text().count("\n") >= 1, "the sweep never ran"
        workers = _children(parent.pid)
        parent.send_signal(sig)
        left = lambda: {w for w in workers if _alive(w)}  # noqa: E731
        assert _wait_until(lambda: not left(), 20), f"workers left running: {left()}"
        parent.wait(timeout=30)
        err = log.read_text()
        assert parent.returncode == code, err[-2000:]
        if says:
            assert says in err and "Traceback" not in err
        done = out.read_text().count("\n")
        assert 1 <= done < 400
    finally:
        for pid in [parent.pid, *workers]:  # only what this test started
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        parent.wait()
