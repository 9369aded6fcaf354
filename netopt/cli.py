"""The ``netopt`` command: a thin shell over the Python API.

Exit codes: 0 success; 1 the solve ended without an optimum; 2 bad input or usage
(one readable message; ``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .errors import InfeasibleError, NetoptError, ValidationError
from .instance import DEFAULT_INSTANCE, builtin_instances, load
from .optimize import solve

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="netopt", description="Plan where computing runs: move the data or move "
        "the power? Solves placement LPs over a compute network.")
    p.add_argument("--version", action="version", version=f"netopt {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("solve", help="solve an instance and print a summary")
    s.add_argument("path", nargs="?", default=None, metavar="PATH",
                   help=f"instance folder or built-in name (default: {DEFAULT_INSTANCE})")
    s.add_argument("--solver", default="highs",
                   help="highs (default, in process), cbc, glpk, ... (PuLP's solvers)")
    s.add_argument("--out", metavar="DIR", help="write result tables (CSV) and "
                   "summary.json to DIR, whole or not at all")
    s.add_argument("--json", action="store_true", help="print the summary as JSON")
    s.add_argument("--write-lp", metavar="FILE", help="also write the LP (.lp or .mps)")
    s.add_argument("--time-limit", type=float, metavar="SECONDS")
    s.add_argument("--strict", action="store_true",
                   help="no unserved demand allowed (infeasible if demand cannot be met)")
    s.add_argument("--routes", type=int, metavar="M",
                   help="candidate routes per origin-site pair (default from network.yaml)")
    s.add_argument("--stats", action="store_true",
                   help="print the LP's size and coefficient ranges (to stderr)")

    v = sub.add_parser("validate", help="check an instance and list every problem")
    v.add_argument("path", metavar="PATH", help="instance folder or built-in name")

    sub.add_parser("instances", help="list the built-in instances")
    return p


def _solve(args) -> int:
    net = load(args.path)
    result = solve(net, args.solver, time_limit=args.time_limit, write_lp_to=args.write_lp,
                   allow_unserved=False if args.strict else None, routes_per_pair=args.routes)
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
    return 0


def _stats_text(st: dict) -> str:
    lines = [f"LP: {st['rows']:,} rows, {st['columns']:,} columns, {st['nonzeros']:,} "
             "nonzeros"]
    for key in ("matrix_range", "cost_range", "bound_range", "rhs_range"):
        lo, hi = st[key]
        ratio = f"  (ratio {hi / lo:.1e})" if lo > 0 else ""
        lines.append(f"  {key.replace('_', ' '):13s} [{lo:.2e}, {hi:.2e}]{ratio}")
    return "\n".join(lines)


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
    run = {"solve": _solve, "validate": _validate, "instances": _instances}[args.command]
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
