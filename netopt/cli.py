"""The ``netopt`` command: a thin shell over the Python API.

Exit codes: 0 success; 1 the solve ended without an optimum; 2 bad input or usage
(one readable message; ``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import textwrap
from typing import Sequence

import numpy as np

from . import __version__
from .errors import InfeasibleError, NetoptError, ValidationError
from .instance import DEFAULT_INSTANCE, builtin_instances, load
from .optimize import solve

__all__ = ["main"]


_PATH_HELP = f"instance folder or built-in name (default: {DEFAULT_INSTANCE})"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="netopt", description="Plan where computing runs: move the data or move "
        "the power? Solves placement LPs over a compute network.")
    p.add_argument("--version", action="version", version=f"netopt {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("solve", help="solve an instance and print a summary")
    s.add_argument("path", nargs="?", default=None, metavar="PATH", help=_PATH_HELP)
    s.add_argument("--solver", default="highs",
                   help="highs (default, in process), cbc, glpk, ... (PuLP's solvers)")
    s.add_argument("--out", metavar="DIR", help="write result tables (CSV) and "
                   "summary.json to DIR, whole or not at all")
    s.add_argument("--json", action="store_true", help="print the summary as JSON")
    s.add_argument("--write-lp", metavar="FILE", help="also write the LP (.lp or .mps)")
    s.add_argument("--time-limit", type=float, metavar="SECONDS",
                   help="stop the solver after this long; the result is labelled "
                   "time_limit, never optimal")
    s.add_argument("--mip-gap", type=float, default=1e-6, metavar="GAP",
                   help="relative gap at which an open/close MIP stops (default 1e-6)")
    s.add_argument("--strict", action="store_true",
                   help="no unserved demand allowed (infeasible if demand cannot be met)")
    s.add_argument("--routes", type=int, metavar="M",
                   help="candidate routes per origin-site pair (default from network.yaml)")
    s.add_argument("--stats", action="store_true",
                   help="print the LP's size and coefficient ranges (to stderr)")
    s.add_argument("--plot", metavar="FILE.png", help="write the solution map")

    rp = sub.add_parser("report", help="write a self-contained HTML report")
    rp.add_argument("path", nargs="?", default=None, metavar="PATH", help=_PATH_HELP)
    rp.add_argument("-o", "--out", default="report.html", metavar="FILE.html",
                    help="where to write it (default: report.html), whole or not at all")

    v = sub.add_parser("validate", help="check an instance and list every problem")
    v.add_argument("path", metavar="PATH", help="instance folder or built-in name")

    sub.add_parser("instances", help="list the built-in instances")

    c = sub.add_parser("compare", help="joint optimum vs move-power-only vs "
                       "move-data-only, and the break-even data intensities")
    c.add_argument("path", nargs="?", default=None, metavar="PATH", help=_PATH_HELP)
    c.add_argument("--out", metavar="DIR", help="write the comparison and break-even "
                   "tables (CSV) to DIR")

    w = sub.add_parser("sweep", help="solve under many parameter values",
                       description="Addresses: settings.KEY, TABLE.COLUMN (all rows), "
                       "TABLE.COLUMN[ID], TABLE.COLUMN[col=value&col=value]. Values: "
                       "numbers, or *factor to scale. Every combination of the --set "
                       "options is a scenario.")
    w.add_argument("path", metavar="PATH", help="instance folder or built-in name")
    w.add_argument("--set", action="append", default=[], metavar="ADDRESS=V1,V2,...",
                   help="a parameter and its values (repeat for a grid)")
    w.add_argument("--scenarios", metavar="CSV", help="explicit scenarios: one column "
                   "per address, one row per scenario")
    w.add_argument("--out", metavar="FILE.jsonl", help="append each finished scenario "
                   "here; a rerun of the same sweep skips what is done, and a file of "
                   "another sweep (network, solver, netopt version) is refused")
    w.add_argument("--fresh", action="store_true", help="start --out anew, moving an "
                   "existing file aside to FILE.jsonl.1 (.2, ...)")
    w.add_argument("--csv", metavar="FILE", help="write the table of results as CSV")
    w.add_argument("--processes", type=int, help="local worker processes (default: "
                   "all cores)")
    w.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, "
                   "tcp://host:port")
    w.add_argument("--solver", default="highs", help="as for solve (default: highs)")
    w.add_argument("--no-reuse", action="store_true", help="rebuild every scenario")

    b = sub.add_parser("breakeven", help="find where a decision flips (bisection)",
                       description="Bisect one parameter between --low and --high for the "
                       "value at which the decision flips. The decision must differ at "
                       "the two ends.")
    b.add_argument("path", metavar="PATH", help="instance folder or built-in name")
    b.add_argument("--param", required=True, metavar="ADDRESS",
                   help="the value to move, addressed as in sweep, e.g. "
                   "'classes.data_intensity_tb_per_mwh[ai_training]'")
    b.add_argument("--low", type=float, required=True, help="one end of the bracket")
    b.add_argument("--high", type=float, required=True, help="the other end")
    b.add_argument("--decides", required=True, metavar="METRIC>VALUE",
                   help="the decision, a sweep metric compared with a value, e.g. "
                   "'west_share:ai_training>0.5'")
    b.add_argument("--tol", type=float, default=1e-3,
                   help="stop when the bracket is this narrow (default: 1e-3)")

    gn = sub.add_parser("generate", help="write a seeded synthetic instance")
    gn.add_argument("out", metavar="OUT", help="instance folder to write")
    gn.add_argument("--nodes", type=int, default=50, help="places (default: 50)")
    gn.add_argument("--sites", type=int,
                    help="data-centre sites, one per node (default: a fifth of the nodes)")
    gn.add_argument("--periods", type=int, default=1,
                    help="hourly snapshots of a repeating day, weighted to 8760 h "
                    "(default: 1)")
    gn.add_argument("--classes", type=int, default=5,
                    help="workload classes, 1-5, from AI training to interactive "
                    "(default: 5)")
    gn.add_argument("--demand-nodes", type=int,
                    help="origins of demand (default: a third of the nodes)")
    gn.add_argument("--routes", type=int, default=1,
                    help="candidate routes per pair, written to network.yaml (default: 1)")
    gn.add_argument("--seed", type=int, default=0,
                    help="the same seed writes the same network (default: 0)")
    gn.add_argument("--infeasible", action="store_true",
                    help="too little site capacity, strict mode")
    gn.add_argument("--overwrite", action="store_true",
                    help="write into OUT even if it is not empty")

    f = sub.add_parser("pareto", help="the cost-carbon frontier")
    f.add_argument("path", nargs="?", default=None, metavar="PATH", help=_PATH_HELP)
    f.add_argument("--points", type=int, default=11,
                   help="points on the frontier, both ends included (default: 11)")
    f.add_argument("--csv", metavar="FILE", help="write the frontier table as CSV")
    return p


def _solve(args) -> int:
    net = load(args.path)
    result = solve(net, args.solver, time_limit=args.time_limit, write_lp_to=args.write_lp,
                   allow_unserved=False if args.strict else None, routes_per_pair=args.routes,
                   mip_gap=args.mip_gap)
    if args.stats:
        print(_stats_text(result.formulation.lp.stats()), file=sys.stderr)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(result.summary())
    if not result.ok:
        print(f"netopt: no optimal solution: {result.status} ({result.message})",
              file=sys.stderr)
        return 1
    if args.out:
        result.write(args.out)
        if not args.json:
            print(f"\nResults written to {args.out}/")
    if args.plot:
        from .plot import solution_map
        solution_map(result).savefig(args.plot, dpi=110)
        if not args.json:
            print(f"Map written to {args.plot}")
    return 0


def _report(args) -> int:
    from .html_report import write_html_report
    from .instance import resolve
    folder = resolve(args.path)
    net = load(folder)
    write_html_report(args.out, net, sources_file=folder / "SOURCES.md")
    print(f"Report written to {args.out}")
    return 0


def _stats_text(st: dict) -> str:
    lines = [f"LP: {st['rows']:,} rows, {st['columns']:,} columns, {st['nonzeros']:,} "
             "nonzeros"]
    for key in ("matrix_range", "cost_range", "bound_range", "rhs_range"):
        lo, hi = st[key]
        ratio = f"  (ratio {hi / lo:.1e})" if lo > 0 else ""
        lines.append(f"  {key.replace('_', ' '):13s} [{lo:.2e}, {hi:.2e}]{ratio}")
    return "\n".join(lines)


def _compare(args) -> int:
    from .counterfactuals import breakeven_table, compare
    net = load(args.path)
    comp = compare(net)
    print(f"netopt compare: {net.name}\n")
    print(comp)
    table = breakeven_table(net)
    print("\nBreak-even data intensity (TB/MWh): below it, sending data to the remote "
          "site\nbeats bringing its power home over the lines.")
    priced = table[np.isfinite(table["delta_star"])]
    best = priced.sort_values("cost_move_data").drop_duplicates("origin").sort_values("origin")
    head = best[["origin", "site", "home_site", "delta_star"]].set_axis(
        ["origin", "remote site", "power sent to", "delta*"], axis=1)
    if len(head):
        print(head.to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    powerless = sorted(set(table["origin"]) - set(best["origin"]))
    if powerless:
        print("\n".join(textwrap.wrap(
            "No power line brings a remote site's power home to " + ", ".join(powerless)
            + ": there only the data can move.", 80)))
    wins = table.groupby(["class", "winner"]).size().unstack(fill_value=0)
    print("\nWhich way wins, over every origin and remote site (counts):")
    print(wins.to_string())
    if net.classes["deferrable"].any():
        from .counterfactuals import flexibility
        from .report import human
        flex = flexibility(net)
        gain = flex.loc["flexibility_gain"]
        print(f"\nDeferrable work ({', '.join(net.classes.index[net.classes['deferrable']])})"
              f" saves {human(gain['total'], net.settings.currency)} and absorbs "
              f"{human(gain['curtailed_mwh'], 'MWh')} of clean supply that fixed work "
              f"would leave unused ({human(gain['curtailed_mwh_west'], 'MWh')} in the west).")
    if args.out:
        from ._files import atomic_folder, write_csv
        with atomic_folder(args.out) as tmp:
            write_csv(comp.table, tmp / "comparison.csv")
            write_csv(comp.unserved, tmp / "unserved.csv")
            write_csv(table, tmp / "breakeven.csv")
        print(f"\nTables written to {args.out}/")
    return 0


def _sweep(args) -> int:
    import pandas as pd
    from .scenarios import parse_assignment, parse_value
    from .sweep import sweep
    net = load(args.path)
    params = dict(parse_assignment(item) for item in args.set)
    scenarios = None
    if args.scenarios:
        scenarios = [{k: parse_value(v) for k, v in s.items()} for s in
                     pd.read_csv(args.scenarios, dtype=str).to_dict("records")]
    df = sweep(net, params or None, scenarios=scenarios, processes=args.processes,
               scheduler=args.scheduler, out=args.out, solver=args.solver,
               reuse=not args.no_reuse, fresh=args.fresh)
    cols = [c for c in df.columns if c in params or c in ("status", "objective",
                                                          "emissions_t")]
    print(df[["scenario"] + cols].to_string(index=False, float_format=_number))
    if args.csv:
        from ._files import write_csv
        write_csv(df, args.csv)
    failed = (df["status"] != "optimal").sum()
    if failed:
        print(f"netopt: {failed} scenario(s) not optimal; see the status and error "
              "columns", file=sys.stderr)
    return 0


def _number(v: float) -> str:
    """Large values in full with thousands separators, small ones to 6 digits."""
    return f"{v:,.0f}" if abs(v) >= 1e4 else f"{v:.6g}"


def _breakeven(args) -> int:
    from .sweep import breakeven
    be = breakeven(load(args.path), args.param, args.low, args.high, args.decides,
                   tol=args.tol)
    print(f"{be.parameter}: the decision '{args.decides}' flips at {be.value:.6g} "
          f"(between {be.low:.6g} and {be.high:.6g}; {be.solves} solves)")
    return 0


def _pareto(args) -> int:
    from ._files import write_csv
    from .pareto import pareto
    front = pareto(load(args.path), points=args.points)
    cols = ["epsilon", "objective", "emissions_t", "carbon_shadow_price"]
    print(front[cols].to_string(index=False, float_format=_number))
    if args.csv:
        write_csv(front, args.csv)
    return 0


def _generate(args) -> int:
    from .generate import generate
    from .instance import save
    net = generate(args.nodes, sites=args.sites, periods=args.periods, classes=args.classes,
                   demand_nodes=args.demand_nodes, routes_per_pair=args.routes,
                   seed=args.seed, feasible=not args.infeasible)
    save(net, args.out, overwrite=args.overwrite)
    print(f"wrote {args.out}: {net!r}")
    return 0


def _validate(args) -> int:
    net = load(args.path)
    print(f"{args.path}: valid ({net!r})")
    return 0


def _instances(args) -> int:
    found = builtin_instances()
    if not found:
        print("no built-in instances found", file=sys.stderr)
        return 1
    width = max(map(len, found))
    for name, desc in found.items():
        print(f"{name.ljust(width)}  {desc}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    run = {"solve": _solve, "validate": _validate, "instances": _instances,
           "compare": _compare, "sweep": _sweep, "breakeven": _breakeven,
           "pareto": _pareto, "generate": _generate, "report": _report}[args.command]
    logging.basicConfig(format="netopt: %(message)s", stream=sys.stderr,
                        level=logging.DEBUG if args.debug else logging.INFO)
    try:
        return run(args)
    except InfeasibleError as exc:
        if args.debug:
            raise
        print(f"netopt: infeasible: {exc}", file=sys.stderr)
        return 1
    except ValidationError as exc:
        if args.debug:
            raise
        print(f"netopt: {exc}", file=sys.stderr)
        return 2
    except (NetoptError, OSError) as exc:
        if args.debug:
            raise
        print(f"netopt: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("netopt: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
