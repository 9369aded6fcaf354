"""Which HiGHS method is fastest on netopt's LPs: the measurements behind method="auto".

    python benchmarks/methods.py [--sizes 1e4,1e5,1e6] [--shapes deep,wide] [--no-month]

Each LP (benchmarks/run.py's synthetic deep and wide shapes, china-edwc-seasons, and
china-edwc over the first 30 days of benchmarks/year.py's hourly year) is assembled
once and saved; each method then solves the same matrix in its own process (HiGHS
given the matrix directly, as run.py's floor), one after the other. Every optimum
must agree with the default's to 1e-7 relative. Writes a section of
benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _lp import run_child as _run  # noqa: E402
from _report import machine, write_section  # noqa: E402

SOLVE = textwrap.dedent("""
    import json, sys, time
    import numpy as np
    from netopt.solving.methods import METHODS
    from _lp import highs_from_npz
    method, limit = sys.argv[2], float(sys.argv[3])
    h, refused = highs_from_npz(np.load(sys.argv[1]), METHODS[method])
    if refused:
        print(json.dumps({"status": "unavailable", "time": None, "objective": None}))
        sys.exit(0)
    h.setOptionValue("time_limit", limit)
    t0 = time.perf_counter()
    h.run()
    dt = time.perf_counter() - t0
    print(json.dumps({"time": dt, "objective": h.getInfo().objective_function_value,
                      "status": h.modelStatusToString(h.getModelStatus())}))
""")

BUILD = textwrap.dedent("""
    import json, sys
    import numpy as np
    import netopt
    from netopt.model.formulation import formulate
    what, npz = sys.argv[1], sys.argv[2]
    if what == "month":  # china-edwc, 30 days of hours (year.py's first 720 hours)
        import pandas as pd
        s = netopt.load("china-edwc-seasons")
        hours = pd.date_range("2025-01-01", periods=720, freq="h")
        season = np.array(["winter"] * 2 + ["spring"] * 3 + ["summer"] * 3
                          + ["autumn"] * 3 + ["winter"])[hours.month - 1]
        rep = [f"{a}-h{h:02d}" for a, h in zip(season, hours.hour)]
        ids = [f"{d:%m%d}-{h:02d}" for d, h in zip(hours, hours.hour)]
        periods = pd.DataFrame({"id": ids, "weight_h": 1.0,
                                "window": [f"{d:%m%d}" for d in hours]})
        m = pd.DataFrame({"p": ids, "rep": rep})
        pr = s.demand_profiles.merge(m, left_on="period", right_on="rep")
        av = s.availability.merge(m, left_on="period", right_on="rep")
        net = netopt.Network(**{**s.tables, "periods": periods,
            "availability": pd.DataFrame({"source": av["source"], "period": av["p"],
                                          "availability": av["availability"]}),
            "demand_profiles": pd.DataFrame({"class": pr["class"], "period": pr["p"],
                                             "factor": pr["factor"]})},
            settings=s.settings)
    else:
        net = netopt.load(what)
    from _lp import save_npz
    A = save_npz(formulate(net).lp, npz)
    print(json.dumps({"rows": A.shape[0], "cols": A.shape[1], "nnz": int(A.nnz)}))
""")

ORDER = ["choose", "dual", "primal", "ipm", "pdlp", "hipo"]


def main() -> None:
    from run import _network_for
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1e4,1e5,1e6")
    ap.add_argument("--shapes", default="deep,wide")
    ap.add_argument("--methods", default=",".join(ORDER))
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--no-month", action="store_true")
    args = ap.parse_args()
    methods = args.methods.split(",")
    rows = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        cases = []
        for shape in args.shapes.split(","):
            for s in args.sizes.split(","):
                folder, nodes, periods = _network_for(float(s), tmp, shape)
                cases.append((f"{shape} {nodes} nodes x {periods} periods", str(folder)))
        cases.append(("china-edwc-seasons (96 periods)", "china-edwc-seasons"))
        if not args.no_month:
            cases.append(("china-edwc, 30 days of hours", "month"))
        for i, (label, what) in enumerate(cases):
            npz = str(tmp / f"lp{i}.npz")
            size = _run(BUILD, what, npz)
            times = {m: _run(SOLVE, npz, m, str(args.time_limit)) for m in methods}
            rows.append({"label": label, **size, "runs": times})
            print(json.dumps(rows[-1]), flush=True)
    text = _report(rows, methods, args.time_limit)
    print(text)
    write_section("methods", text)


def _report(rows, methods, limit) -> str:
    lines = ["## HiGHS methods on netopt's LPs (what `method=\"auto\"` is built on)", "",
             f"Machine: {machine()}", "",
             f"Seconds of `Highs.run()` on the same matrix, each method in its own "
             f"process, time limit {limit:.0f} s; the fastest in bold. `choose` is HiGHS's "
             "default; `dual` and `primal` the serial simplex (simplex_strategy 1 and 4); "
             "`ipm` IPX with crossover; `pdlp` the first-order method (its optimum is "
             "only to its own tolerance); `hipo` the new interior-point solver.", "",
             "| LP | rows | columns | nonzeros | " + " | ".join(methods)
             + " | agree (rel.) |", "|" + "---|" * (5 + len(methods))]
    for r in rows:
        runs = r["runs"]
        ok = {m: v for m, v in runs.items() if v["status"] == "Optimal"}
        best = min(ok, key=lambda m: ok[m]["time"]) if ok else None
        ref = runs.get("choose", {}).get("objective")
        cells, worst = [], 0.0
        for m in methods:
            v = runs[m]
            if v["status"] == "unavailable":
                cells.append("n/a")
                continue
            txt = f"{v['time']:.2f}"
            if v["status"] != "Optimal":
                txt += f" ({v['status'].lower()})"
            elif ref and m != "pdlp":
                worst = max(worst, abs(v["objective"] - ref) / abs(ref))
            cells.append(f"**{txt}**" if m == best else txt)
        lines.append(f"| {r['label']} | {r['rows']:,} | {r['cols']:,} | {r['nnz']:,} | "
                     + " | ".join(cells) + f" | {worst:.0e} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
