"""A full year of hours for the China instance: 8760 periods, built and solved.

    python benchmarks/year.py

Each hour of the year takes the profile of its season's representative hour in
china-edwc-seasons (Dec-Feb winter, Mar-May spring, Jun-Aug summer, Sep-Nov autumn);
each day is a window for deferrable work. Reports the LP's size, the time of each phase
and peak memory (measured in a child process) to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _report import machine, write_section  # noqa: E402

CHILD = textwrap.dedent("""
    import json, resource, time
    import numpy as np, pandas as pd
    import netopt
    from netopt.model.formulation import formulate
    from netopt.solving.solvers import solve_lp
    from netopt.solving.results import Result
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
    t["build network"] = time.perf_counter() - t0
    f = formulate(net, timings=t)
    t0 = time.perf_counter()
    out = solve_lp(f.lp, "highs")
    t["solve"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    r = Result(net, f, out)
    costs = r.costs
    r.sites, r.sources
    t["extract"] = time.perf_counter() - t0
    print(json.dumps({"time": t, "status": str(out.status), "rows": f.lp.A.shape[0],
                      "cols": f.lp.A.shape[1], "nnz": int(f.lp.A.nnz),
                      "objective": r.objective, "curtailed_mwh": r.totals()["curtailed_mwh"],
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")


def main() -> None:
    proc = subprocess.run([sys.executable, "-W", "ignore", "-c", CHILD], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    d = json.loads(proc.stdout.strip().splitlines()[-1])
    t = d["time"]
    total = sum(t.values())
    lines = ["## A year of hours: china-edwc at 8760 periods", "", f"Machine: {machine()}", "",
             f"LP: {d['rows']:,} rows, {d['cols']:,} columns, {d['nnz']:,} nonzeros; "
             f"status {d['status']}; total cost {d['objective']:,.0f} CNY; clean supply "
             f"left unused {d['curtailed_mwh']:,.0f} MWh.", "",
             "| phase | seconds |", "|---|---|"]
    lines += [f"| {k} | {v:.2f} |" for k, v in t.items()]
    lines += [f"| total | {total:.2f} |", "", f"Peak memory: {d['peak_mb']:,.0f} MB."]
    text = "\n".join(lines)
    print(text)
    write_section("year", text)


if __name__ == "__main__":
    main()
