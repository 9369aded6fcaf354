"""Before/after check for a refactor: netopt's own phases at one size, repeated.

    python benchmarks/refactor.py --code DIR [--code DIR2 ...] [--size 1e6] [--repeat 3]

Each ``--code`` is a folder holding a ``netopt`` package (a checkout, or an export of
an older commit: ``git archive REV netopt | tar -x -C DIR``). The same synthetic network
(the deep shape of ``run.py``) is solved end to end by each code ``--repeat`` times, in
fresh processes taken in turn (A B A B ...) so that load on a shared machine falls on
both alike; prints per-run times, peak memory and the medians as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import textwrap
from pathlib import Path

from _lp import run_child

RUN = textwrap.dedent("""
    import json, os, resource, sys, time
    import netopt
    # the layout decides the module path (not a try: an editable install of another
    # checkout would supply a missing subpackage from there)
    if os.path.isdir(os.path.join(os.path.dirname(netopt.__file__), "solving")):
        from netopt.solving.solvers import solve_lp
    else:
        from netopt.solvers import solve_lp
    net = netopt.load(sys.argv[1])
    t = {}
    f = netopt.formulate(net, timings=t)  # fills t["routes"] and t["assembly"]
    t0 = time.perf_counter()
    out = solve_lp(f.lp, "highs")
    t["solve"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    r = netopt.Result(net, f, out)
    for name in ("placement", "sites", "links", "power_lines", "sources", "costs"):
        getattr(r, name)
    t["extract"] = time.perf_counter() - t0
    t["total"] = t["routes"] + t["assembly"] + t["solve"] + t["extract"]
    t["model"] = t["routes"] + t["assembly"] + t["extract"]
    mods = [m.__file__ for n, m in sys.modules.items() if n.startswith("netopt")]
    assert all(f.startswith(os.path.dirname(netopt.__file__)) for f in mods if f), mods
    print(json.dumps({"time": t, "objective": float(out.objective), "file": netopt.__file__,
                      "cols": f.lp.shape[1], "rows": f.lp.shape[0], "nnz": int(f.lp.A.nnz),
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--code", action="append", required=True)
    ap.add_argument("--size", type=float, default=1e6)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import _network_for
    out = {c: [] for c in args.code}
    with tempfile.TemporaryDirectory() as tmp:
        folder, nodes, periods = _network_for(args.size, Path(tmp))
        print(f"{nodes} nodes, {periods} periods", flush=True)
        for i in range(args.repeat):
            for c in args.code:
                r = run_child(RUN, str(folder), code_dir=c)
                out[c].append(r)
                print(c, i, json.dumps(r), flush=True)
    summary = {}
    for c, runs in out.items():
        objs = {round(r["objective"], 3) for r in runs}
        summary[c] = {k: statistics.median(r["time"][k] for r in runs)
                      for k in runs[0]["time"]}
        summary[c]["peak_mb"] = statistics.median(r["peak_mb"] for r in runs)
        summary[c]["objective"] = runs[0]["objective"]
        summary[c]["cols"] = runs[0]["cols"]
        summary[c]["runs"] = [{"total": r["time"]["total"], "model": r["time"]["model"],
                               "peak_mb": r["peak_mb"]} for r in runs]
        assert len(objs) == 1, objs
    print("SUMMARY " + json.dumps(summary))


if __name__ == "__main__":
    main()
