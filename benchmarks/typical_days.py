"""Typical days against the hourly year they stand for: error and time by K.

    python benchmarks/typical_days.py [--days 2,4,8,16,32,64,365]

The hourly year is tests/hourly.py's (the toy network over 8760 hours, solar with
seeded daily clouds, deferrable AI training): small enough that the whole year is one
LP, which is the reference (solving the year window by window is not here yet). For
each K: tsam's time, the LP's columns and solve time, the objective's relative error
and the largest per-series RMSE. Writes a section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from _report import machine, write_section  # noqa: E402


def main() -> None:
    import netopt
    from hourly import hourly_toy
    from netopt.analysis.aggregate import typical_days
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--days", default="2,4,8,16,32,64,365")
    args = ap.parse_args()
    year = hourly_toy()
    full = netopt.solve(year)
    lines = ["## Typical days against the hourly year (tsam)", "", f"Machine: {machine()}",
             "", f"The toy network over 8760 hours (tests/hourly.py): the year solved "
             f"whole is {full.formulation.lp.shape[1]:,} columns, {full.seconds:.2f} s, "
             f"objective {full.objective:,.0f} CNY.", "",
             "| typical days | tsam + build s | LP columns | solve s | objective | "
             "relative error | largest series RMSE (own unit) |", "|---|---|---|---|---|---|---|"]
    for k in map(int, args.days.split(",")):
        t0 = time.perf_counter()
        agg = typical_days(year, k)
        t_agg = time.perf_counter() - t0
        r = netopt.solve(agg.network)
        rel = (r.objective - full.objective) / full.objective
        worst = agg.error["rmse"].idxmax()
        lines.append(f"| {k} | {t_agg:.2f} | {r.formulation.lp.shape[1]:,} | "
                     f"{r.seconds:.2f} | {r.objective:,.0f} | {rel:+.2e} | "
                     f"{agg.error.loc[worst, 'rmse']:.3g} ({worst}) |")
        print(lines[-1], flush=True)
    text = "\n".join(lines)
    print(text)
    write_section("typical-days", text)


if __name__ == "__main__":
    main()
