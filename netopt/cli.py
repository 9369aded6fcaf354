"""The ``netopt`` command: a thin shell over the Python API.

Exit codes: 0 success; 1 the solve ended without an optimum; 2 bad input or usage
(one readable message; ``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import textwrap
from typing import Sequence

from . import __version__
from .data import DEFAULT_INSTANCE
from .cli_args import (address, assignment, decision, finite_float, html_file, image_file,
                       instance_path, int_at_least, int_between, lp_file, nonneg_float,
                       nonneg_int, output_dir, output_file, positive_float, positive_int,
                       scenarios_file, scheduler_address, solver_name)
from .errors import InfeasibleError, NetoptError, OutputExistsError, ValidationError

# Each command imports what it needs when it runs (pandas, scipy, HiGHS take most of a
# second to import), so that --help, --version and usage errors answer at once.


def load(path):
    """`netopt.load`, imported when a command first needs it."""
    from .data.instance import load as load_instance
    return load_instance(path)


def solve(*args, **kwargs):
    """`netopt.solve`, imported when a command first needs it."""
    from .solving.optimize import solve as solve_network
    return solve_network(*args, **kwargs)

__all__ = ["main"]


_PATH_HELP = f"instance folder or built-in name (default: {DEFAULT_INSTANCE})"


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line (exit 2): what is wrong, and where to read more."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="netopt", description="Plan where computing runs: move the data or move "
        "the power? Solves placement LPs over a compute network.")
    p.add_argument("--version", action="version", version=f"netopt {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    # --debug also after the command (netopt solve --debug); SUPPRESS keeps a --debug
    # given before the command from being reset by the command's default
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show tracebacks on errors")

    def command(name: str, **kw) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[debug], **kw)

    s = command("solve", help="solve an instance and print a summary")
    s.add_argument("path", nargs="?", default=None, metavar="PATH", type=instance_path,
                   help=_PATH_HELP)
    s.add_argument("--solver", default="highs", type=solver_name,
                   help="highs (default, in process), cbc, glpk, ... (PuLP's solvers)")
    s.add_argument("--out", metavar="DIR", type=output_dir, help="write result tables (CSV) and "
                   "summary.json to DIR, whole or not at all")
    s.add_argument("--overwrite", action="store_true", help="replace DIR if it holds "
                   "results netopt wrote (never anything else)")
    s.add_argument("--json", action="store_true", help="print the summary as JSON")
    s.add_argument("--write-lp", metavar="FILE", type=lp_file,
                   help="also write the LP (.lp or .mps)")
    s.add_argument("--time-limit", type=positive_float, metavar="SECONDS",
                   help="stop the solver after this long; the result is labelled "
                   "time_limit, never optimal")
    s.add_argument("--mip-gap", type=nonneg_float, default=1e-6, metavar="GAP",
                   help="relative gap at which an open/close MIP stops (default 1e-6)")
    s.add_argument("--strict", action="store_true",
                   help="no unserved demand allowed (infeasible if demand cannot be met)")
    s.add_argument("--routes", type=int_between(1, 100), metavar="M",
                   help="candidate routes per origin-site pair (default from network.yaml)")
    s.add_argument("--stats", action="store_true",
                   help="print the LP's size and coefficient ranges (to stderr)")
    s.add_argument("--plot", metavar="FILE.png", type=image_file, help="write the solution map")
    s.add_argument("--method", default="auto", choices=_methods(),
                   help="HiGHS's LP method: auto (default: by size and structure, see "
                   "benchmarks/RESULTS.md), dual, primal, simplex, ipm, pdlp, hipo (where "
                   "the HiGHS build has it), choose (HiGHS's own default)")
    s.add_argument("--decompose", default="auto", choices=["auto", "windows", "monolithic"],
                   help="solve window by window (windows: periods coupled only within "
                   "their window, no build-out free to vary), as one LP (monolithic), or "
                   "auto (default: by windows when nothing couples them and the LP is "
                   "large); the summary says which ran")
    s.add_argument("--processes", type=int_between(1, 1024), metavar="N",
                   help="with --decompose: solve the windows on N local processes")

    rp = command("report", help="write a self-contained HTML report")
    rp.add_argument("path", nargs="?", default=None, metavar="PATH", type=instance_path,
                    help=_PATH_HELP)
    rp.add_argument("-o", "--out", default="report.html", metavar="FILE.html", type=html_file,
                    help="where to write it (default: report.html), whole or not at all")
    rp.add_argument("--overwrite", action="store_true",
                    help="replace FILE.html if it is a report netopt wrote")

    v = command("validate", help="check an instance and list every problem")
    v.add_argument("path", nargs="?", default=None, metavar="PATH", type=instance_path,
                   help=_PATH_HELP)

    command("instances", help="list the built-in instances")

    c = command("compare", help="the four levers (move data, move power, shift in "
                   "time, store energy): joint optimum vs move-power-only vs "
                   "move-data-only, and the break-even data intensities")
    c.add_argument("path", nargs="?", default=None, metavar="PATH", type=instance_path,
                   help=_PATH_HELP)
    c.add_argument("--solver", default="highs", type=solver_name,
                   help="as for solve (default: highs)")
    c.add_argument("--out", metavar="DIR", type=output_dir,
                   help="write the comparison and break-even tables (CSV) to DIR")
    c.add_argument("--overwrite", action="store_true", help="replace DIR if it holds "
                   "results netopt wrote (never anything else)")

    w = command("sweep", help="solve under many parameter values",
                       description="Addresses: settings.KEY, TABLE.COLUMN (all rows), "
                       "TABLE.COLUMN[ID], TABLE.COLUMN[col=value&col=value]. Values: "
                       "numbers, or *factor to scale. Every combination of the --set "
                       "options is a scenario.")
    w.add_argument("path", nargs="?", default=None, metavar="PATH", type=instance_path,
                   help=_PATH_HELP)
    w.add_argument("--set", action="append", default=[], metavar="ADDRESS=V1,V2,...",
                   type=assignment, help="a parameter and its values (repeat for a grid)")
    w.add_argument("--scenarios", metavar="CSV", type=scenarios_file,
                   help="explicit scenarios: one column per address, one row per scenario")
    w.add_argument("--out", metavar="FILE.jsonl", type=output_file,
                   help="append each finished scenario here; a rerun of the same sweep "
                   "skips what is done, and a file of another sweep (network, solver, "
                   "netopt version) is refused")
    w.add_argument("--fresh", action="store_true", help="start --out anew, moving an "
                   "existing file aside to FILE.jsonl.1 (.2, ...)")
    w.add_argument("--csv", metavar="FILE", type=output_file,
                   help="write the table of results as CSV")
    w.add_argument("--processes", type=positive_int, help="local worker processes (default: "
                   "all cores)")
    w.add_argument("--scheduler", metavar="ADDRESS", type=scheduler_address,
                   help="Dask scheduler, tcp://host:port")
    w.add_argument("--solver", default="highs", type=solver_name,
                   help="as for solve (default: highs)")
    w.add_argument("--no-reuse", action="store_true", help="rebuild every scenario")

    b = command("breakeven", help="find where a decision flips (bisection)",
                       description="Bisect one parameter between --low and --high for the "
                       "value at which the decision flips. The decision must differ at "
                       "the two ends.")
    b.add_argument("path", nargs="?", default=None, metavar="PATH", type=instance_path,
                   help=_PATH_HELP)
    b.add_argument("--param", required=True, metavar="ADDRESS", type=address,
                   help="the value to move, addressed as in sweep, e.g. "
                   "'classes.data_intensity_tb_per_mwh[ai_training]'")
    b.add_argument("--low", type=finite_float, required=True, help="one end of the bracket")
    b.add_argument("--high", type=finite_float, required=True, help="the other end")
    b.add_argument("--decides", required=True, metavar="METRIC>VALUE", type=decision,
                   help="the decision, a sweep metric compared with a value, e.g. "
                   "'west_share:ai_training>0.5'")
    b.add_argument("--tol", type=positive_float, default=1e-3,
                   help="stop when the bracket is this narrow (default: 1e-3)")

    gn = command("generate", help="write a seeded synthetic instance")
    gn.add_argument("out", metavar="OUT", type=output_dir, help="instance folder to write")
    gn.add_argument("--nodes", type=int_at_least(2), default=50, help="places (default: 50)")
    gn.add_argument("--sites", type=positive_int,
                    help="data-centre sites, one per node (default: a fifth of the nodes)")
    gn.add_argument("--periods", type=positive_int, default=1,
                    help="hourly snapshots of a repeating day, weighted to 8760 h "
                    "(default: 1)")
    gn.add_argument("--classes", type=int_between(1, 5), default=5,
                    help="workload classes, 1-5, from AI training to interactive "
                    "(default: 5)")
    gn.add_argument("--demand-nodes", type=positive_int,
                    help="origins of demand (default: a third of the nodes)")
    gn.add_argument("--routes", type=int_between(1, 100), default=1,
                    help="candidate routes per pair, written to network.yaml (default: 1)")
    gn.add_argument("--seed", type=nonneg_int, default=0,
                    help="the same seed writes the same network (default: 0)")
    gn.add_argument("--infeasible", action="store_true",
                    help="too little site capacity, strict mode")
    gn.add_argument("--overwrite", action="store_true",
                    help="replace OUT if it is an instance netopt wrote (files "
                    "netopt did not write there are kept)")

    ag = command("aggregate", help="cut an hourly year to K typical days (tsam)",
                        description="IN is an hourly instance: every period weighs 1 h "
                        "and names its day in periods.csv's window column, 24 hours a "
                        "day (instances/README.md). Writes OUT, an instance of K x 24 "
                        "periods weighted by the days each typical day stands for, plus "
                        "OUT/aggregation.json (weights, which day went where, the error "
                        "of each series). Deferrable work balances within each typical "
                        "day (cyclic per day).")
    ag.add_argument("path", metavar="IN", type=instance_path,
                    help="hourly instance folder or built-in name")
    ag.add_argument("out", metavar="OUT", type=output_dir, help="instance folder to write")
    ag.add_argument("--days", type=positive_int, required=True, metavar="K",
                    help="typical days (1 to the days in IN)")
    ag.add_argument("--objective-error", action="store_true",
                    help="also solve IN whole (one LP over every hour: small networks "
                    "only) and OUT, and report how far apart their optima are")
    ag.add_argument("--method", default="auto", choices=_methods(),
                    help="HiGHS's LP method for --objective-error (default: auto)")
    ag.add_argument("--overwrite", action="store_true",
                    help="replace OUT if it is an instance netopt wrote")

    f = command("pareto", help="the cost-carbon frontier")
    f.add_argument("path", nargs="?", default=None, metavar="PATH", type=instance_path,
                   help=_PATH_HELP)
    f.add_argument("--points", type=int_at_least(2), default=11,
                   help="points on the frontier, both ends included (default: 11)")
    f.add_argument("--solver", default="highs", type=solver_name,
                   help="as for solve (default: highs)")
    f.add_argument("--csv", metavar="FILE", type=output_file,
                   help="write the frontier table as CSV")
    return p


def _methods() -> list[str]:
    from .solving.methods import METHODS
    return ["auto", *METHODS]


def _solve(args) -> int:
    if args.out:  # refuse before a long solve, not after
        _check_out(args.out, args.overwrite, args.path)
    if args.method != "auto" and args.solver.lower() != "highs":
        print(f"netopt solve: error: argument --method: {args.method} is a HiGHS method; "
              f"--solver {args.solver} takes only auto", file=sys.stderr)
        return 2
    net = load(args.path)
    from .solving.windows import CoupledError
    try:
        result = solve(net, args.solver, time_limit=args.time_limit,
                       write_lp_to=args.write_lp,
                       allow_unserved=False if args.strict else None,
                       routes_per_pair=args.routes, mip_gap=args.mip_gap,
                       method=args.method, decompose=args.decompose,
                       processes=args.processes)
    except CoupledError as exc:
        print(f"netopt solve: error: argument --decompose: {exc}", file=sys.stderr)
        return 2
    if args.stats:
        print(_stats_text(result.formulation.lp.stats(),
                          by_windows=result.decompose == "windows"), file=sys.stderr)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(result.summary())
    if not result.ok:
        print(f"netopt: no optimal solution: {result.status} ({result.message})",
              file=sys.stderr)
        return 1
    if args.out:
        result.write(args.out, overwrite=args.overwrite)
        if not args.json:
            print(f"\nResults written to {args.out}/")
    if args.plot:
        from .views.plot import solution_map
        solution_map(result).savefig(args.plot, dpi=110)
        if not args.json:
            print(f"Map written to {args.plot}")
    return 0


def _report(args) -> int:
    from .views.html_report import write_html_report
    from .data.instance import resolve
    from ._files import check_file
    from .views.html_report import is_netopt_html
    check_file(args.out, is_netopt_html, overwrite=args.overwrite)
    folder = resolve(args.path)
    net = load(folder)
    write_html_report(args.out, net, sources_file=folder / "SOURCES.md",
                      overwrite=args.overwrite)
    print(f"Report written to {args.out}")
    return 0


def _stats_text(st: dict, by_windows: bool = False) -> str:
    if by_windows:  # each window had its own matrix; the whole one was never built
        lines = [f"LP: {st['rows']:,} rows, {st['columns']:,} columns, solved by windows "
                 "(the whole matrix is never assembled)"]
        keys = ("cost_range", "bound_range", "rhs_range")
    else:
        lines = [f"LP: {st['rows']:,} rows, {st['columns']:,} columns, "
                 f"{st['nonzeros']:,} nonzeros"]
        keys = ("matrix_range", "cost_range", "bound_range", "rhs_range")
    for key in keys:
        lo, hi = st[key]
        ratio = f"  (ratio {hi / lo:.1e})" if lo > 0 else ""
        lines.append(f"  {key.replace('_', ' '):13s} [{lo:.2e}, {hi:.2e}]{ratio}")
    return "\n".join(lines)


def _check_out(out, overwrite: bool, path) -> None:
    """Refuse an output folder before any work: see `netopt._files.check_folder`."""
    from ._files import check_folder
    from .data.instance import resolve
    check_folder(out, "results", overwrite=overwrite, protect=[resolve(path)])


def _compare(args) -> int:
    from .analysis.counterfactuals import breakeven_table, compare
    if args.out:
        _check_out(args.out, args.overwrite, args.path)
    net = load(args.path)
    comp = compare(net, solver=args.solver)
    print(f"netopt compare: {net.name}\n")
    print(comp)
    # where the instance lets capacity grow, the break-even counts its capital too
    capital = bool(net.sites["max_it_capacity_mw"].notna().any()
                   or net.power_lines["max_capacity_mw"].notna().any())
    table = breakeven_table(net, capital=capital)
    print("\nBreak-even data intensity (TB/MWh): below it, sending data to the remote "
          "site\nbeats bringing its power home over the lines"
          + (" (capital of new sites, lines\nand bandwidth included)." if capital else "."))
    priced = table[table["delta_star"].abs() < float("inf")]  # NaN and inf compare False
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
        from .analysis.counterfactuals import flexibility
        from ._format import human
        flex = flexibility(net)
        gain = flex.loc["flexibility_gain"]
        print("\n" + "\n".join(textwrap.wrap(
            f"Deferrable work ({', '.join(net.classes.index[net.classes['deferrable']])})"
            f" saves {human(gain['total'], net.settings.currency)} and absorbs "
            f"{human(gain['curtailed_mwh'], 'MWh')} of clean supply that fixed work "
            f"would leave unused ({human(gain['curtailed_mwh_west'], 'MWh')} in the "
            "west).", 80)))
    if args.out:
        from ._files import atomic_folder, write_csv
        with atomic_folder(args.out, "results", overwrite=args.overwrite,
                           writer="netopt compare") as tmp:
            write_csv(comp.table, tmp / "comparison.csv")
            write_csv(comp.levers.reset_index(), tmp / "levers.csv")
            write_csv(comp.unserved, tmp / "unserved.csv")
            write_csv(comp.builds, tmp / "builds.csv")
            write_csv(comp.levelised.rename_axis("class").reset_index(),
                      tmp / "levelised_cost.csv")
            write_csv(table, tmp / "breakeven.csv")
        print(f"\nTables written to {args.out}/")
    return 0


def _sweep(args) -> int:
    import pandas as pd
    from .analysis.scenarios import parse_assignment, parse_value
    from .analysis.sweep import sweep
    if not args.set and not args.scenarios:  # say it in the CLI's words, before loading
        print("netopt sweep: error: nothing to sweep: give --set ADDRESS=V1,V2,... "
              "(repeat for a grid) or --scenarios CSV", file=sys.stderr)
        return 2
    if args.out:  # appended to, so it must be a sweep log netopt wrote (or new)
        from ._files import check_file, is_sweep_log
        check_file(args.out, is_sweep_log, overwrite=True)
    net = load(args.path)
    params = dict(parse_assignment(item) for item in args.set)
    scenarios = None
    if args.scenarios:
        scenarios = [{k: parse_value(v) for k, v in s.items()} for s in
                     pd.read_csv(args.scenarios, dtype=str).to_dict("records")]
    df = sweep(net, params or None, scenarios=scenarios, processes=args.processes,
               scheduler=args.scheduler, out=args.out, solver=args.solver,
               reuse=not args.no_reuse, fresh=args.fresh, progress=True)
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
    from .analysis.breakeven_search import breakeven
    be = breakeven(load(args.path), args.param, args.low, args.high, args.decides,
                   tol=args.tol)
    print("\n".join(textwrap.wrap(
        f"{be.parameter}: the decision '{args.decides}' flips at {be.value:.6g} "
        f"{_unit_of(load(args.path), be.parameter)}(between {be.low:.6g} and "
        f"{be.high:.6g}; {be.solves} solves): below it the decision is "
        f"{str(be.decision_low).lower()}, above it {str(not be.decision_low).lower()}.",
        80)))
    return 0


def _unit_of(net, address: str) -> str:
    """The unit of an address's column (``"CNY/(TB km) "``), with a trailing space, or
    "" where it has none."""
    from .analysis.scenarios import parse_address
    from .data.schema import SETTINGS, TABLES
    addr = parse_address(address)
    cols = SETTINGS if addr.table == "settings" else TABLES[addr.table].columns
    unit = next((c.unit for c in cols if c.name == addr.column), "")
    if not unit or unit == "-":
        return ""
    return unit.replace("currency", net.settings.currency) + " "


def _pareto(args) -> int:
    from ._files import write_csv
    from .analysis.pareto import pareto
    front = pareto(load(args.path), points=args.points, solver=args.solver)
    cols = ["epsilon", "objective", "emissions_t", "carbon_shadow_price"]
    print(front[cols].to_string(index=False, float_format=_number))
    if args.csv:
        write_csv(front, args.csv)
    return 0


def _generate(args) -> int:
    from .data.generate import generate
    from ._files import check_folder
    from .data.instance import save
    check_folder(args.out, "instance", overwrite=args.overwrite)  # before generating
    net = generate(args.nodes, sites=args.sites, periods=args.periods, classes=args.classes,
                   demand_nodes=args.demand_nodes, routes_per_pair=args.routes,
                   seed=args.seed, feasible=not args.infeasible)
    save(net, args.out, overwrite=args.overwrite)
    print(f"wrote {args.out}: {net!r}")
    return 0


def _aggregate(args) -> int:
    from ._files import check_folder
    from .analysis.aggregate import hourly_days, objective_error, typical_days
    from .data.instance import resolve
    check_folder(args.out, "instance", overwrite=args.overwrite,
                 protect=[resolve(args.path)])  # before any work
    net = load(args.path)
    n = len(hourly_days(net))
    if args.days > n:
        print(f"netopt aggregate: error: argument --days: {args.days} is more than the "
              f"{n} days in {args.path}; choose 1 to {n}", file=sys.stderr)
        return 2
    agg = typical_days(net, args.days)
    print(f"netopt aggregate: {n} days of {net.name} -> {agg.k} typical days (tsam)\n")
    w = agg.weights
    print("Days each typical day stands for: " + ", ".join(
        f"{t} {v:g}" for t, v in w.items()) + f" (total {w.sum():g} days, "
        f"{w.sum() * 24:,.0f} h)")
    err = agg.error[["rmse", "mae", "mean_input", "mean_typical", "rmse_normalised"]]
    print("\nAggregation error of each series (own units; rmse_normalised on 0..1, as "
          "tsam reports):")
    print(err.to_string(float_format=lambda v: f"{v:.4g}"))
    if args.objective_error:
        o = objective_error(net, agg, method=args.method)
        print(f"\nObjective: hourly input solved whole {o['full']:,.0f}, typical days "
              f"{o['typical']:,.0f}: relative error {o['relative_error']:+.3%} "
              f"({o['full_columns']:,} vs {o['typical_columns']:,} LP columns, "
              f"{o['full_seconds']:.1f} vs {o['typical_seconds']:.1f} s)")
    agg.write(args.out, overwrite=args.overwrite)
    print(f"\nwrote {args.out}: {agg.network!r} (and aggregation.json); deferrable work "
          "balances within each typical day (cyclic per day)")
    return 0


def _validate(args) -> int:
    net = load(args.path)
    sizes = ", ".join(f"{len(getattr(net, t))} {t.replace('_', ' ')}" for t in
                      ("nodes", "sites", "sources", "backbone_links", "power_lines",
                       "classes", "periods"))
    print("\n".join(textwrap.wrap(f"{args.path or net.name}: valid -- {sizes}", 80,
                                   subsequent_indent="  ")))
    return 0


def _instances(args) -> int:
    from .data.instance import builtin_instances
    found = builtin_instances()
    if not found:
        print("no built-in instances found", file=sys.stderr)
        return 1
    width = max(map(len, found))
    for name, desc in found.items():  # descriptions wrapped beside the names, 80 columns
        print("\n".join(textwrap.wrap(desc, 80, initial_indent=f"{name.ljust(width)}  ",
                                       subsequent_indent=" " * (width + 2))))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # a usage error (2), --help or --version (0): a code
        return exc.code if isinstance(exc.code, int) else 2
    if args.command is None:
        parser.print_help()
        return 2
    run = {"solve": _solve, "validate": _validate, "instances": _instances,
           "compare": _compare, "sweep": _sweep, "breakeven": _breakeven,
           "pareto": _pareto, "generate": _generate, "report": _report,
           "aggregate": _aggregate}[args.command]
    # netopt's own messages only: other libraries' INFO logs (numexpr's thread count,
    # ...) are not the user's business
    log = logging.getLogger("netopt")
    if not any(isinstance(h, _Stderr) for h in log.handlers):
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("netopt: %(message)s"))
        log.addHandler(handler)
        log.propagate = False
    log.setLevel(logging.DEBUG if args.debug else logging.INFO)
    from .views import report  # noqa: F401 - the text of Result.summary() (registers it)
    real_stdout, sys.stdout = sys.stdout, _ReaderMayLeave(sys.stdout)
    try:
        code = run(args)
        sys.stdout.flush()  # here, where a closed pipe is caught, not at exit
        return code
    except OutputExistsError as exc:
        if args.debug:
            raise
        print(f"netopt: error: {exc.path} {exc.reason}; {exc.advice('--overwrite')}",
              file=sys.stderr)
        return 2
    except InfeasibleError as exc:
        if args.debug:
            raise
        print(f"netopt: infeasible: {exc}", file=sys.stderr)
        return 1
    except ValidationError as exc:
        if args.debug:
            raise
        print(_problems(exc), file=sys.stderr)
        return 2
    except (NetoptError, OSError) as exc:
        if args.debug:
            raise
        print(f"netopt: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("netopt: interrupted", file=sys.stderr)
        return 130
    finally:
        sys.stdout = real_stdout


def _problems(exc: ValidationError) -> str:
    """The input's problems for an 80-column terminal: one item per problem, long
    ones wrapped under their dash (a file name or a quoted value is never cut)."""
    head, *_ = str(exc).split("\n", 1)
    lines = [f"netopt: {head}"]
    for issue in exc.issues:
        lines += textwrap.wrap(str(issue), 80, initial_indent="  - ",
                               subsequent_indent="    ", break_long_words=False,
                               break_on_hyphens=False)
    return "\n".join(lines)


class _Stderr(logging.StreamHandler):
    """Log records to whatever ``sys.stderr`` is when they come (tests and notebooks
    replace it), not to the one there was when the handler was made."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):  # StreamHandler.__init__ sets it; the property decides
        pass


class _ReaderMayLeave:
    """stdout that treats a closed pipe (``netopt solve | head -3``) as a normal end.

    Once the reader has gone, further output is dropped and the command carries on
    (it may still have results to write), exiting with its own code.
    """

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._drop()
            return len(text)

    def flush(self):
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._drop()

    def _drop(self):
        # point the file descriptor at /dev/null: Python's own flush at exit then
        # succeeds too, instead of printing "Exception ignored ... BrokenPipeError"
        try:
            fd = self._stream.fileno()
        except (AttributeError, OSError, ValueError):
            return
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)

    def __getattr__(self, name):
        return getattr(self._stream, name)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
