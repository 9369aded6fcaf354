"""Start-up time of the command line, measured as whole processes (issue: a CLI that
starts at once): ``netopt --help``, ``netopt --version`` and ``netopt solve toy``,
median of N runs each, next to the floor of starting Python itself.

    .venv/bin/python benchmarks/startup.py            # 5 runs each
    .venv/bin/python benchmarks/startup.py --runs 9

Prints a Markdown table (seconds) and writes it to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import machine, write_section  # noqa: E402

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
    lines = ["| command | median (s) | min (s) | target (s) | met |", "|---|---|---|---|---|"]
    for name, cmd in CASES.items():
        t = measure(cmd, args.runs)
        target = TARGETS.get(name)
        met = "" if target is None else ("yes" if statistics.median(t) <= target else "no")
        lines.append(f"| `{name}` | {statistics.median(t):.3f} | {min(t):.3f} | "
                     f"{'' if target is None else target} | {met} |")
    table = "\n".join(lines)
    print(table)
    write_section("startup", f"""## Start-up of the command line (whole processes)

Machine: {machine()}

`python benchmarks/startup.py --runs {args.runs}`: each command run {args.runs} times as
a whole process (wall clock, output discarded), median and fastest. The public API is
imported on first use and each command imports what it needs when it runs, so `--help`
and `--version` load neither pandas, scipy nor HiGHS (a test checks the imports; this
measures the time).

{table}
""")


if __name__ == "__main__":
    main()
