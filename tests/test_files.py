"""Results are written whole or not at all, even when the writer is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import netopt
from netopt._files import atomic_folder

WRITER = textwrap.dedent("""
    import sys, time
    import netopt, netopt.solving.results as results
    slow = results.write_csv
    def crawl(df, path, index=False):
        slow(df, path, index)
        print("wrote", path.name, flush=True)
        time.sleep(0.3)
    results.write_csv = crawl
    r = netopt.solve(netopt.load("toy"))
    r.network.settings  # solved; now write slowly
    r.write(sys.argv[1], overwrite=True)
""")


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_killed_writer_leaves_previous_results_intact(tmp_path, toy):
    out = tmp_path / "results"
    netopt.solve(toy).write(out)
    before = _snapshot(out)
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(out)],
                            stdout=subprocess.PIPE, text=True)
    for _ in range(3):  # let it write three files, then kill it hard
        assert proc.stdout.readline().startswith("wrote")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert _snapshot(out) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "results"]
    assert leftovers and all(n.startswith(".results.tmp-") for n in leftovers)
    # the next write clears what the dead writer left
    netopt.solve(toy).write(out, overwrite=True)
    assert [p.name for p in tmp_path.iterdir()] == ["results"]
    assert _snapshot(out) == before  # same input, byte-identical output


def test_atomic_folder_replaces_only_on_success(tmp_path):
    target = tmp_path / "t"
    with atomic_folder(target) as tmp:
        (tmp / "a.txt").write_text("1")
    try:
        with atomic_folder(target, overwrite=True) as tmp:
            (tmp / "a.txt").write_text("2")
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert (target / "a.txt").read_text() == "1"
    assert [p.name for p in tmp_path.iterdir()] == ["t"]
