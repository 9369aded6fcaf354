"""linopy as a peer: the same LPs built with linopy, next to netopt, the floor and PuLP.

    python benchmarks/linopy_peer.py [--sizes 1e4,1e5,1e6] [--shape deep] [--repeats 3]
    python benchmarks/linopy_peer.py --profile 1e6     # cProfile of linopy's build

For each size, the network of benchmarks/run.py (`run._network_for`) is solved by four
programs, each in its own process so that peak memory (getrusage) is its own:

- netopt: route enumeration, assembly, solve (HiGHS), result extraction;
- linopy: netopt's sets (`assembly.Model`, the same routes), then the LP written with
  linopy (benchmarks/linopy_model.py), ``m.solve("highs", io_api="direct")`` (split at
  HiGHS's run into: to HiGHS, solve, read back), then every variable's solution read;
- the floor: HiGHS given netopt's matrix directly through highspy;
- textbook PuLP: one LpVariable per column, one lpSum per row, HiGHS through PuLP.

All four run HiGHS's serial dual simplex (solver=simplex, simplex_strategy=1: netopt's
``method="auto"``), so only building and reading back differ. Before timing, each size
is verified: linopy's matrix, costs, bounds and row bounds equal netopt's entry by entry
(`linopy_model.compare_matrices`), and every timed run's optimum equals netopt's
(rel. 1e-7). Each size runs ``--repeats`` times, the order of the programs rotating each
time (the machine is shared); the table shows medians.

Writes the "linopy" section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

DUAL = {"solver": "simplex", "simplex_strategy": 1}  # netopt's "auto" = METHODS["dual"]
TOL = 1e-7


def _peak_mb() -> float:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the measured programs (run as `python linopy_peer.py --child NAME ...`) -------------
def child_netopt(folder: str, npz: str) -> dict:
    from _lp import netopt_timed, save_npz
    from netopt.solving.solvers import HighsModel
    models = []

    def solve(lp):  # what solve_lp(lp, "highs") does, keeping the model to ask it
        models.append(HighsModel(lp))
        return models[0].solve()
    t, f, out = netopt_timed(folder, solve)
    hm = models[0]
    peak = _peak_mb()
    if npz:
        save_npz(f.lp, npz)
    return {"time": t, "objective": float(out.objective), "status": out.status.value,
            "method": hm.method, "iterations": hm.h.getInfo().simplex_iteration_count,
            "rows": f.lp.shape[0], "cols": f.lp.shape[1], "nnz": int(f.lp.A.nnz),
            "peak_mb": peak}


def child_linopy(folder: str) -> dict:
    import warnings
    import linopy.solvers as ls
    import netopt
    import linopy_model as lm
    warnings.simplefilter("ignore")
    net = netopt.load(folder)
    net.link_data  # derived lengths and latencies: loading, as in netopt's timings
    t = {}
    t0 = time.perf_counter()
    ms = lm.sets(net)                 # netopt's pairs, options, routes
    t["routes"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    m, _ = lm.build(net, ms)
    t["build"] = time.perf_counter() - t0
    marks = {}
    run = ls._run_highs_with_keyboard_interrupt

    def timed_run(h):                 # a clock around HiGHS's run, nothing else
        marks["start"] = time.perf_counter()
        run(h)
        marks["stop"] = time.perf_counter()
    ls._run_highs_with_keyboard_interrupt = timed_run
    t0 = time.perf_counter()
    status, cond = m.solve("highs", io_api="direct", output_flag=False, **DUAL)
    t1 = time.perf_counter()
    t["to_highs"] = marks["start"] - t0
    t["solve"] = marks["stop"] - marks["start"]
    t0 = time.perf_counter()
    values = {name: v.solution.values for name, v in m.variables.items()}
    obj = float(m.objective.value)
    t["read_back"] = (t1 - marks["stop"]) + (time.perf_counter() - t0)
    t["total"] = t["routes"] + t["build"] + t["to_highs"] + t["solve"] + t["read_back"]
    assert all(v.size for v in values.values())
    return {"time": t, "objective": obj, "status": f"{status}/{cond}",
            "iterations": m.solver_model.getInfo().simplex_iteration_count,
            "peak_mb": _peak_mb()}


def child_floor(npz: str) -> dict:
    import numpy as np
    from _lp import highs_from_npz
    z = np.load(npz)
    t0 = time.perf_counter()
    h, _ = highs_from_npz(z, DUAL)
    h.run()
    dt = time.perf_counter() - t0
    info = h.getInfo()
    return {"time": {"total": dt}, "objective": info.objective_function_value,
            "status": h.modelStatusToString(h.getModelStatus()),
            "iterations": info.simplex_iteration_count, "peak_mb": _peak_mb()}


def child_pulp(npz: str) -> dict:
    import numpy as np
    import pulp
    from _lp import textbook_pulp
    prob, build = textbook_pulp(np.load(npz))
    t0 = time.perf_counter()
    prob.solve(pulp.HiGHS(msg=False, **DUAL))
    solve = time.perf_counter() - t0
    return {"time": {"build": build, "solve": solve, "total": build + solve},
            "objective": pulp.value(prob.objective), "status": pulp.LpStatus[prob.status],
            "peak_mb": _peak_mb()}


def child_verify(folder: str) -> dict:
    """netopt's LP and linopy's, entry by entry, and both optima."""
    import warnings
    import netopt
    from netopt.model import formulation as fm
    import linopy_model as lm
    warnings.simplefilter("ignore")
    net = netopt.load(folder)
    f = fm.formulate(net)
    m, _ = lm.build(net)
    diff = lm.compare_matrices(m, f.lp)
    return {"compare": diff}


CHILDREN = {"netopt": child_netopt, "linopy": child_linopy, "floor": child_floor,
            "pulp": child_pulp, "verify": child_verify}


def _run(name: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-W", "ignore", __file__, "--child", name,
                           *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{name}: {proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- driver --------------------------------------------------------------------------------
def _med(runs, *path):
    vals = []
    for r in runs:
        v = r
        for p in path:
            v = v[p]
        vals.append(v)
    return statistics.median(vals)


def measure(target: float, shape: str, repeats: int, pulp_max: float, tmp: Path) -> dict:
    from run import _network_for
    folder, nodes, periods = _network_for(target, tmp, shape)
    npz = str(tmp / f"lp{shape}{int(target)}.npz")
    print(f"{shape} ~{target:.0e}: {nodes} nodes, {periods} periods; verifying ...",
          flush=True)
    ver = _run("verify", str(folder))["compare"]
    assert all(ver[k] == 0.0 for k in ("A", "c", "lb", "ub", "row_lower", "row_upper")), ver
    tools = ["netopt", "linopy", "floor"] + (["pulp"] if target <= pulp_max else [])
    runs = {k: [] for k in tools}
    for rep in range(repeats):
        order = tools[rep % len(tools):] + tools[:rep % len(tools)]
        if rep == 0 and order[0] != "netopt":
            order.remove("netopt")
            order.insert(0, "netopt")
        for name in order:  # netopt first in the first round: it writes the matrix
            args = ((str(folder), npz if rep == 0 else "") if name == "netopt" else
                    (str(folder),) if name == "linopy" else (npz,))
            r = _run(name, *args)
            runs[name].append(r)
            print(f"  {rep} {name}: {r['time']['total']:.2f} s, {r['peak_mb']:.0f} MB, "
                  f"obj {r['objective']:.10g}, it {r.get('iterations', '-')}", flush=True)
    ref = runs["netopt"][0]["objective"]
    worst = max(abs(r["objective"] - ref) / abs(ref) for rs in runs.values() for r in rs)
    assert worst < TOL, f"optima differ: {worst}"
    first = runs["netopt"][0]
    return {"target": target, "shape": shape, "nodes": nodes, "periods": periods,
            "rows": first["rows"], "cols": first["cols"], "nnz": first["nnz"],
            "verify": ver, "worst_rel": worst, "runs": runs}


def _summary(r: dict) -> dict:
    """Medians over the repeats, each column on its own; ratios of median totals."""
    ru = r["runs"]
    no = {k: _med(ru["netopt"], "time", k) for k in ("routes", "assembly", "solve",
                                                     "extract", "total")}
    li = {k: _med(ru["linopy"], "time", k) for k in ("routes", "build", "to_highs",
                                                     "solve", "read_back", "total")}
    pu = ({k: _med(ru["pulp"], "time", k) for k in ("build", "total")}
          if "pulp" in ru else None)
    rest = {k: statistics.median(x["time"]["total"] - x["time"]["solve"] for x in ru[k])
            for k in ("netopt", "linopy")}
    its = {x.get("iterations") for k in ("netopt", "linopy", "floor") for x in ru[k]}
    return {"netopt": no, "linopy": li, "floor": _med(ru["floor"], "time", "total"),
            "pulp": pu, "rest": rest, "iterations": its,
            "mem": {k: _med(v, "peak_mb") for k, v in ru.items()}}


TIMES = ("| variables | rows | nonzeros | netopt: routes + assembly | solve | extract | "
         "**total** | linopy: netopt's routes | linopy build | → HiGHS | solve | "
         "read back | **total** | floor | PuLP build | PuLP total |\n" + "|" + "---|" * 16)
RATIOS = ("| variables | **linopy / netopt** (total) | netopt / floor | linopy / floor | "
          "PuLP / floor | outside HiGHS: netopt s | linopy s | linopy / netopt | "
          "peak MB: netopt | linopy | floor | PuLP | simplex iterations |\n"
          + "|" + "---|" * 13)


def _times_row(r: dict) -> str:
    m = _summary(r)
    no, li, pu = m["netopt"], m["linopy"], m["pulp"]
    return (f"| {r['shape']} {r['cols']:,} | {r['rows']:,} | {r['nnz']:,} | "
            f"{no['routes'] + no['assembly']:.2f} | {no['solve']:.2f} | {no['extract']:.2f} | "
            f"**{no['total']:.2f}** | {li['routes']:.2f} | {li['build']:.2f} | "
            f"{li['to_highs']:.2f} | {li['solve']:.2f} | {li['read_back']:.2f} | "
            f"**{li['total']:.2f}** | {m['floor']:.2f} | "
            + (f"{pu['build']:.2f} | {pu['total']:.2f} |" if pu else "- | - |"))


def _ratios_row(r: dict) -> str:
    m = _summary(r)
    no, li, fl, pu, rest, mem = (m[k] for k in ("netopt", "linopy", "floor", "pulp",
                                                 "rest", "mem"))
    its = m["iterations"]
    return (f"| {r['shape']} {r['cols']:,} | **{li['total'] / no['total']:.2f}** | "
            f"{no['total'] / fl:.2f} | {li['total'] / fl:.2f} | "
            + (f"{pu['total'] / fl:.2f}" if pu else "-") + " | "
            f"{rest['netopt']:.2f} | {rest['linopy']:.2f} | "
            f"{rest['linopy'] / rest['netopt']:.1f} | "
            f"{mem['netopt']:,.0f} | {mem['linopy']:,.0f} | {mem['floor']:,.0f} | "
            + (f"{mem['pulp']:,.0f}" if "pulp" in mem else "-") + " | "
            + (f"{its.pop():,} (all three)" if len(its) == 1 else
               ", ".join(f"{i:,}" for i in sorted(its))) + " |")


def tables(rows: list[dict]) -> str:
    return "\n".join([TIMES, *map(_times_row, rows), "", RATIOS, *map(_ratios_row, rows)])


def profile(target: float, shape: str, top: int = 20) -> str:
    """cProfile of linopy's build (model, then the matrices handed to HiGHS)."""
    import cProfile
    import io
    import pstats
    import warnings
    import linopy.solvers as ls
    import netopt
    from run import _network_for
    import linopy_model as lm
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as d:
        folder, _, _ = _network_for(target, Path(d), shape)
        net = netopt.load(folder)
        ms = lm.sets(net)
        pr = cProfile.Profile()
        t0 = time.perf_counter()
        pr.enable()
        m, _ = lm.build(net, ms)
        ls.Highs._build_solver_model(m, set_names=False)   # what solve() does first
        pr.disable()
        wall = time.perf_counter() - t0
    out = io.StringIO()
    st = pstats.Stats(pr, stream=out)

    def cum(file_end: str, func: str) -> float:
        return max((v[3] for (fn, _, f), v in st.stats.items()
                    if fn.endswith(file_end) and f == func), default=0.0)
    parts = {"linopy_model.build (the linopy API calls)": cum("linopy_model.py", "build"),
             "of which importing modules on first use (chiefly dask, which xarray's "
             "duck-array check imports; it is installed here)": cum("", "_find_and_load"),
             "of which reindex + fillna of the grouped sums": cum("linopy_model.py", "over"),
             "Highs._build_solver_model (matrices, addVars, addRows)":
                 cum("solvers.py", "_build_solver_model")}
    summary = "\n".join(f"{v:6.2f} s  {k}" for k, v in parts.items())
    st.sort_stats("cumulative").print_stats(top)
    cumtext = out.getvalue()
    out = io.StringIO()
    pstats.Stats(pr, stream=out).sort_stats("tottime").print_stats(top)
    return (f"linopy build + matrices to HiGHS at {target:.0e} ({shape}): {wall:.2f} s under "
            f"the profiler\n{summary}\n\n--- by cumulative time ---\n{_trim(cumtext)}\n"
            f"--- by own time ---\n{_trim(out.getvalue())}")


def _trim(text: str) -> str:
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.strip().startswith("ncalls"))
    return "\n".join(ln.replace(str(Path(sys.prefix)), "<venv>") for ln in lines[start:]
                     if ln.strip())


def report(rows: list[dict], prof: str | None, repeats: int) -> str:
    """The "linopy" section of RESULTS.md."""
    from importlib.metadata import version
    from _report import machine
    import os
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = ["## linopy as a peer: the same LPs built with linopy (issue #12, item 6)", "",
             f"Machine: {machine()}; linopy {version('linopy')}, xarray "
             f"{version('xarray')} (load average {load:.1f} at the end: the 2 cores are "
             "shared with other work).", "",
             "The LP family of the Scale section (`netopt.generate`, "
             + " and ".join(dict.fromkeys(r["shape"] for r in rows)) + " shapes) is written a second "
             "time with linopy (benchmarks/linopy_model.py): labelled variables "
             "`x(period, option)`, `u(period, pair)`, `g(period, source)`, "
             "`f(period, arc)`, constraints from `groupby(...).sum()` of them, the "
             "objective as sums of cost arrays times variables, solved by "
             "`m.solve(\"highs\", io_api=\"direct\")`. Its index sets (pairs, options, "
             "routes) and data are netopt's own (`assembly.Model`), so only building the "
             "model, handing it to HiGHS and reading it back differ. Every program runs "
             "HiGHS's serial dual simplex (`solver=simplex, simplex_strategy=1`, netopt's "
             "`method=\"auto\"`), in its own process (peak RSS via getrusage).", "",
             "**Same LP, checked at every size before timing**: linopy's matrix (`m.matrices`) "
             "has netopt's shape and sparsity pattern, and its matrix entries, costs, column "
             "bounds and row bounds equal netopt's exactly (largest difference 0.0); every "
             "timed run of linopy, the floor and PuLP reaches netopt's optimum "
             f"(largest relative difference "
             f"{max(r['worst_rel'] for r in rows):.1e}, required < {TOL:g}); netopt, "
             "linopy and the floor take the same number of simplex iterations.", "",
             f"Each size ran {repeats} times, the order of the four programs rotating each "
             "round; the tables show the **median** of each column over the rounds (so a "
             "total is not exactly the sum of its medians) and ratios of median totals. "
             "Times in seconds. netopt's phases: routes + assembly, solve (HiGHS, passing "
             "the model included), extract (the result tables). linopy's: netopt's route "
             "enumeration, build (linopy's API calls, from data arrays to the last "
             "`add_objective`), → HiGHS (inside `solve()`, before HiGHS runs: linopy's "
             "matrices and the highspy model), solve (HiGHS's run), read back (after the "
             "run: `solve()` assigning primal and dual values, then every variable's "
             "`.solution`). Outside HiGHS = total − solve.", "",
             "Sizes measured: " + "; ".join(
                 f"{sh}: " + ", ".join(f"{r['cols']:,}" for r in rows if r["shape"] == sh)
                 for sh in dict.fromkeys(r["shape"] for r in rows))
             + " variables (the wide shape at 10^6, whose solves take about a minute "
             "each, did not fit the time box). Made by `linopy_peer.py --json deep.json`, "
             "`--shape wide --sizes 1e4,1e5 --json wide.json`, `--profile 1e6` and "
             "`--report deep.json,wide.json --profile-text profile.txt`. At 10^4, most of linopy's "
             "build is a one-time cost of a fresh process (first use of xarray and linopy, "
             "including the import of dask; see the profile below), not the model's size.",
             "", tables(rows), ""]
    big = [r for r in rows if r["target"] >= 1e6]
    for r in big:
        m = _summary(r)
        no, li = m["netopt"], m["linopy"]
        ratio = li["total"] / no["total"]
        met = ratio >= 1.5
        lines += [f"**Goal at 10^6 ({r['shape']}): netopt ≥ 1.5 × faster than linopy end "
                  f"to end — {'met' if met else 'not met'}**: linopy {li['total']:.2f} s, "
                  f"netopt {no['total']:.2f} s, ratio {ratio:.2f}. "
                  f"HiGHS's run is {li['solve']:.2f} s of linopy's total and "
                  f"{no['solve']:.2f} s of netopt's; outside HiGHS linopy spends "
                  f"{m['rest']['linopy']:.2f} s, netopt {m['rest']['netopt']:.2f} s "
                  f"({m['rest']['linopy'] / m['rest']['netopt']:.1f} ×). The solve is the "
                  f"same LP and the same simplex path (equal iteration counts; the spread "
                  f"between the three solve columns is the shared machine), so the ratio "
                  f"is bounded by the solve: for 1.5 ×, netopt would have to finish in "
                  f"{li['total'] / 1.5:.2f} s, less than HiGHS alone takes on this matrix "
                  f"(the floor, {m['floor']:.2f} s; linopy / floor is "
                  f"{li['total'] / m['floor']:.2f}). Put the other way, at netopt's "
                  f"measured total linopy would need "
                  f"{1.5 * no['total'] - no['solve']:.1f} s outside HiGHS; it takes "
                  f"{m['rest']['linopy']:.2f} s.", ""]
    if prof:
        lines += ["cProfile of linopy's build at 10^6 variables (the model, then "
                  "`Highs._build_solver_model`, what `solve()` does before HiGHS runs; top "
                  "entries):", "", "```", prof.rstrip(), "```"]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    ap.add_argument("--sizes", default="1e4,1e5,1e6")
    ap.add_argument("--shape", choices=["deep", "wide"], default="deep")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--pulp-max", type=float, default=1e6)
    ap.add_argument("--json", help="write the raw runs here")
    ap.add_argument("--profile", type=float, help="profile linopy's build at this size")
    ap.add_argument("--report", help="write RESULTS.md from these --json files (comma "
                    "separated), with --profile-text")
    ap.add_argument("--profile-text", help="the saved output of --profile")
    a = ap.parse_args()
    if a.child:
        print(json.dumps(CHILDREN[a.child](*a.args)))
        return
    if a.profile:
        print(profile(a.profile, a.shape))
        return
    if a.report:
        from _report import write_section
        rows = [r for fn in a.report.split(",") for r in json.loads(Path(fn).read_text())]
        prof = Path(a.profile_text).read_text() if a.profile_text else None
        text = report(rows, prof, a.repeats)
        print(text)
        write_section("linopy", text)
        return
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for s in a.sizes.split(","):
            rows.append(measure(float(s), a.shape, a.repeats, a.pulp_max, Path(d)))
            print(tables(rows[-1:]), flush=True)
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1))
    print(tables(rows))


if __name__ == "__main__":
    main()
