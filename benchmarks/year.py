"""A full year of hours for the China instance: 8760 periods, built and solved, whole
(monolithic) and window by window (issue #12).

    python benchmarks/year.py                         # by windows, 2 processes
    python benchmarks/year.py --by both               # and the monolithic solve (~2 min, 6 GB)
    python benchmarks/year.py --by windows --processes 1

Each hour of the year takes the profile of its season's representative hour in
china-edwc-seasons (Dec-Feb winter, Mar-May spring, Jun-Aug summer, Sep-Nov autumn);
each day is a window for deferrable work. The build-out is fixed at the instance's
capacities (`fix_buildout`: china-edwc-seasons builds nothing at its optimum), so the
days are independent. Each run is a fresh child process; it reports the LP's size, the
time of each phase and peak memory (the child's, and its worker processes') to
benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _report import machine, write_section  # noqa: E402

CHILD = textwrap.dedent("""
    import json, resource, sys, time
    import numpy as np, pandas as pd
    import netopt
    from netopt.solving.windows import fix_buildout, plan, solve_windows
    from netopt.model.formulation import formulate
    from netopt.solving.solvers import solve_lp
    from netopt.solving.results import Result
    by, processes, free = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "free"
    import os, threading
    peak_pss = [0.0]
    def pss(pid):  # proportional set size: shared pages split among their sharers
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                return next(int(l.split()[1]) for l in fh if l.startswith("Pss:")) / 1024
        except (OSError, StopIteration):
            return 0.0
    def tree(pid):
        try:
            kids = open(f"/proc/{pid}/task/{pid}/children").read().split()
        except OSError:
            kids = []
        return [pid] + [p for k in kids for p in tree(int(k))]
    def watch():
        while True:
            peak_pss[0] = max(peak_pss[0], sum(pss(p) for p in tree(os.getpid())))
            time.sleep(0.05)
    if os.path.exists("/proc/self/smaps_rollup"):
        threading.Thread(target=watch, daemon=True).start()
    t = {}
    t0 = time.perf_counter()
    s = netopt.load("china-edwc-seasons")
    hours = pd.date_range("2025-01-01", periods=8760, freq="h")
    season = np.array(["winter"] * 2 + ["spring"] * 3 + ["summer"] * 3 + ["autumn"] * 3
                      + ["winter"])[hours.month - 1]
    rep = [f"{a}-h{h:02d}" for a, h in zip(season, hours.hour)]
    ids = [f"{d:%m%d}-{h:02d}" for d, h in zip(hours, hours.hour)]
    periods = pd.DataFrame({"id": ids, "weight_h": 1.0, "window": [f"{d:%m%d}" for d in hours]})
    pr = s.demand_profiles.merge(pd.DataFrame({"p": ids, "rep": rep}), left_on="period",
                                 right_on="rep")
    prof = pd.DataFrame({"class": pr["class"], "period": pr["p"], "factor": pr["factor"]})
    av = s.availability.merge(pd.DataFrame({"p": ids, "rep": rep}), left_on="period",
                              right_on="rep")
    avail = pd.DataFrame({"source": av["source"], "period": av["p"],
                          "availability": av["availability"]})
    net = netopt.Network(**{**s.tables, "periods": periods, "availability": avail,
                            "demand_profiles": prof}, settings=s.settings)
    if not free:
        net = fix_buildout(net)
    t["build network"] = time.perf_counter() - t0
    if by == "windows":
        t0 = time.perf_counter()
        p = plan(net, "windows")
        t["plan (window model, monolithic layout and vectors)"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        f, out = solve_windows(net, p, processes=processes)
        t[f"solve {p.windows} windows"] = time.perf_counter() - t0
        rows, cols, nnz = f.lp.shape[0], f.lp.shape[1], sum(m.A.nnz * (p.shape_of == k).sum()
                                                          for k, m in p.models.items())
    else:
        f = formulate(net, timings=t)
        t0 = time.perf_counter()
        out = solve_lp(f.lp, "highs")
        t["solve"] = time.perf_counter() - t0
        rows, cols, nnz = f.lp.A.shape[0], f.lp.A.shape[1], int(f.lp.A.nnz)
    t0 = time.perf_counter()
    r = Result(net, f, out)
    costs = r.costs
    r.sites, r.sources
    t["extract"] = time.perf_counter() - t0
    print(json.dumps({"time": t, "status": str(out.status), "rows": rows, "cols": cols,
                      "nnz": int(nnz), "message": out.message,
                      "objective": r.objective, "curtailed_mwh": r.totals["curtailed_mwh"],
                      "built": r.builds.reset_index().to_dict("records"),
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "tree_pss_mb": peak_pss[0],
                      "workers_peak_mb":
                          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
""")

TIME_TARGET, MEMORY_TARGET = 10.0, 1024.0


def run(by: str, processes: int, free: bool = False) -> dict:
    proc = subprocess.run([sys.executable, "-W", "ignore", "-c", CHILD, by, str(processes),
                           "free" if free else "fixed"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def table(d: dict) -> list[str]:
    t = d["time"]
    lines = ["| phase | seconds |", "|---|---|"]
    lines += [f"| {k} | {v:.2f} |" for k, v in t.items()]
    return lines + [f"| total | {sum(t.values()):.2f} |"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--by", choices=["windows", "monolithic", "both"], default="windows")
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--free", action="store_true",
                    help="monolithic with the build-out free (the earlier benchmark)")
    args = ap.parse_args()
    runs = {}
    if args.by in ("windows", "both"):
        runs["windows"] = run("windows", args.processes)
    if args.by in ("monolithic", "both"):
        runs["monolithic"] = run("monolithic", 1, args.free)
    lines = ["## A year of hours: china-edwc at 8760 periods", "", f"Machine: {machine()}",
             "", "Build-out fixed at the instance's capacities (`fix_buildout`), each day a "
             "window; `python benchmarks/year.py --by both`.", ""]
    for name, d in runs.items():
        total = sum(d["time"].values())
        peak = max(d["peak_mb"], d["workers_peak_mb"], d["tree_pss_mb"])
        lines += [f"### {name}", "",
                  f"LP: {d['rows']:,} rows, {d['cols']:,} columns, {d['nnz']:,} nonzeros; "
                  f"status {d['status']} ({d['message']}); total cost "
                  f"{d['objective']:,.2f} CNY; clean supply left unused "
                  f"{d['curtailed_mwh']:,.0f} MWh.", ""] + table(d) + [
                  "", f"Peak memory: {d['peak_mb']:,.0f} MB resident in the process, "
                  f"{d['workers_peak_mb']:,.0f} MB in its largest worker (forked: most of "
                  f"it pages shared with the process); the process and its workers "
                  f"together, shared pages counted once (peak PSS, sampled every 50 ms): "
                  f"{d['tree_pss_mb']:,.0f} MB."]
        if name == "windows":
            lines += ["", f"Targets (issue #12, 6): <= {TIME_TARGET:g} s end to end on 2 "
                      f"cores: {'met' if total <= TIME_TARGET else 'NOT met'} "
                      f"({total:.1f} s); <= 1 GB peak memory: "
                      f"{'met' if peak <= MEMORY_TARGET else 'NOT met'} ({peak:,.0f} MB, the "
                      f"largest of the figures above)."]
        lines.append("")
    if len(runs) == 2:
        a, b = runs["monolithic"]["objective"], runs["windows"]["objective"]
        lines += [f"Objective, windows against monolithic: relative difference "
                  f"{abs(a - b) / abs(a):.1e} (target 1e-7).", ""]
    text = "\n".join(lines).rstrip()
    print(text)
    write_section("year", text)


if __name__ == "__main__":
    main()
