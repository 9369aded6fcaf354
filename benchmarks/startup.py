"""Start-up time of the command line, measured as whole processes (issue: a CLI that
starts at once): ``netopt --help``, ``netopt --version`` and ``netopt solve toy``,
median of N runs each, next to the floor of starting Python itself.

    .venv/bin/python benchmarks/startup.py            # 5 runs each
    .venv/bin/python benchmarks/startup.py --runs 9

Prints a Markdown table (seconds) for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

NETOPT = Path(sys.executable).with_name("netopt")
CASES = {
    "python -c pass (floor)": [sys.executable, "-c", "pass"],
    "netopt --help": [str(NETOPT), "--help"],
    "netopt --version": [str(NETOPT), "--version"],
    "netopt solve toy": [str(NETOPT), "solve", "toy"],
}
TARGETS = {"netopt --help": 0.2, "netopt --version": 0.2, "netopt solve toy": 1.0}


def measure(cmd: list[str], runs: int) -> list[float]:
    """Wall-clock seconds of ``runs`` runs of ``cmd`` (output discarded)."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    print("| command | median (s) | min (s) | target (s) | met |")
    print("|---|---|---|---|---|")
    for name, cmd in CASES.items():
        t = measure(cmd, args.runs)
        target = TARGETS.get(name)
        met = "" if target is None else ("yes" if statistics.median(t) <= target else "no")
        print(f"| `{name}` | {statistics.median(t):.3f} | {min(t):.3f} | "
              f"{'' if target is None else target} | {met} |")


if __name__ == "__main__":
    main()
