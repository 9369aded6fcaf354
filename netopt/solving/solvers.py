"""Solver backends: HiGHS in process (highspy), and PuLP for CBC and every solver PuLP
drives. Each takes a `LinearProgram` and returns a `SolverOutput` whose status is one of
a small set; nothing but an optimal outcome carries a solution.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import warnings
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import numpy as np
import pandas as pd

from .methods import METHODS
from ..errors import SolverError
from ..model.lp import LinearProgram

__all__ = ["Status", "SolverOutput", "HighsModel", "solve_lp", "available_solvers",
           "write_lp", "METHODS", "choose_method", "highs_methods"]


class Status(str, Enum):
    """How a solve ended."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    TIME_LIMIT = "time_limit"
    ITERATION_LIMIT = "iteration_limit"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


@dataclass
class SolverOutput:
    """What a backend returns. Arrays are ``None`` unless the status is optimal."""

    status: Status
    message: str
    solver: str
    seconds: float
    objective: float = float("nan")  # in LP units (see LinearProgram.objective_scale)
    x: np.ndarray | None = None
    row_dual: np.ndarray | None = None   # d objective / d row bound
    col_dual: np.ndarray | None = None   # reduced costs
    #: A feasible but unproven plan left by a time or iteration limit (LP units).
    partial_objective: float = float("nan")
    partial_x: np.ndarray | None = None
    #: MIP only: best bound on the objective (LP units) and relative gap.
    mip_bound: float = float("nan")
    mip_gap: float = float("nan")
    #: HiGHS only: the method that ran (a key of `METHODS`), "" for other solvers.
    method: str = ""




# PuLP names for the short names people type; any name PuLP knows works too.
_PULP_ALIASES = {"cbc": "PULP_CBC_CMD", "glpk": "GLPK_CMD", "highs-pulp": "HiGHS",
                 "highs_cmd": "HiGHS_CMD", "cplex": "CPLEX_CMD", "gurobi": "GUROBI_CMD",
                 "scip": "SCIP_CMD", "xpress": "XPRESS", "mosek": "MOSEK", "copt": "COPT_CMD",
                 "cuopt": "CUOPT"}


def available_solvers() -> list[str]:
    """Solver names usable on this machine: ``highs`` plus what PuLP finds."""
    import pulp
    found = ["highs"] + (["cbc"] if _cbc_path() else [])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        names = pulp.listSolvers(onlyAvailable=True)
    for short, long in _PULP_ALIASES.items():
        if long in names and short not in found:
            found.append(short)
    return found + [n for n in names if n not in _PULP_ALIASES.values()]


def solve_lp(lp: LinearProgram, solver: str = "highs", *, time_limit: float | None = None,
             mip_gap: float = 1e-6, options: dict | None = None,
             method: str = "auto") -> SolverOutput:
    """Solve a `LinearProgram`.

    Parameters
    ----------
    lp : LinearProgram
    solver : str
        ``"highs"`` (in process, default), ``"cbc"``, ``"glpk"``, ... or any solver name
        PuLP knows (``pulp.listSolvers()``).
    time_limit : float, optional
        Seconds.
    mip_gap : float
        Relative gap at which a mixed-integer solve stops as optimal.
    options : dict, optional
        Extra options passed to the solver (HiGHS option names, or keyword arguments of
        the PuLP solver class); HiGHS options given here win over the method's.
    method : str
        HiGHS only: ``"auto"`` (default: `choose_method`) or a key of `METHODS`
        (``"dual"``, ``"primal"``, ``"simplex"``, ``"ipm"``, ``"pdlp"``, ``"hipo"``,
        ``"choose"``). Other solvers take only ``"auto"``.

    Raises
    ------
    SolverError
        If the solver is unknown or not installed, or the method unknown or not in this
        HiGHS build.
    """
    if solver.lower() == "highs":
        return HighsModel(lp, options, method=method).solve(time_limit, mip_gap)
    if method not in ("auto", None):
        raise SolverError(f"method {method!r} is a HiGHS method; solver {solver!r} "
                          "takes only 'auto'")
    return _solve_pulp(lp, solver, time_limit, mip_gap, options or {})


# -- HiGHS ------------------------------------------------------------------------------
def choose_method(lp: LinearProgram) -> str:
    """The HiGHS method ``method="auto"`` runs, from the LP's size and structure.

    Measured on netopt's LPs (benchmarks/methods.py, benchmarks/RESULTS.md "HiGHS
    methods"; highspy 1.15.1, 2 cores): the serial dual simplex was the fastest or
    within noise of HiGHS's default on every shape, 1e4 to 1.2e6 columns, deep (many
    periods) and wide (one period), china-edwc-seasons and china-edwc over 30 days of
    hours; IPX, the primal simplex and PDLP were 3-40 times slower or hit the 90 s limit
    at 1e6 columns. No measured size or shape favoured another method, so every LP gets
    the dual simplex (and keeps its warm starts in sweeps). HiPO, which an earlier build
    measured at 1.3 times the dual simplex's time, is not in the PyPI wheels and is left
    out. A MIP keeps HiGHS's own choice.
    """
    if lp.is_mip:
        return "choose"
    return "dual"


def highs_methods() -> list[str]:
    """The keys of `METHODS` this HiGHS build accepts (``hipo`` needs a build with
    its linear algebra; the wheels on PyPI up to highspy 1.16 lack it)."""
    import highspy
    with _quiet_stdout():
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        ok = [m for m, opts in METHODS.items()
              if all(h.setOptionValue(k, v) == highspy.HighsStatus.kOk
                     for k, v in opts.items())]
    return ok


def _resolve_method(method: str | None, lp: LinearProgram) -> str:
    method = "auto" if method is None else str(method)
    if method == "auto":
        return choose_method(lp)
    if method not in METHODS:
        raise SolverError(f"unknown method {method!r}; use auto or one of "
                          f"{', '.join(METHODS)}")
    return method


@contextlib.contextmanager
def _quiet_stdout():
    """Silence C-level stdout (HiGHS prints a banner when constructed).

    File descriptor 1 itself is redirected: in Jupyter, sys.stdout has no descriptor
    but the kernel still captures what C code writes to fd 1.
    """
    fd = 1
    try:
        sys.stdout.flush()
        saved = os.dup(fd)
    except (AttributeError, OSError, ValueError):
        yield
        return
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), fd)
        try:
            yield
        finally:
            os.dup2(saved, fd)
            os.close(saved)


def _highs_model(lp: LinearProgram):
    import highspy
    with _quiet_stdout():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    model = highspy.HighsLp()
    n_rows, n_cols = lp.A.shape
    A = lp.A.tocsc()
    model.num_col_, model.num_row_ = n_cols, n_rows
    model.col_cost_ = lp.c
    model.col_lower_, model.col_upper_ = lp.col_lower, lp.col_upper
    model.row_lower_, model.row_upper_ = lp.row_lower, lp.row_upper
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.num_col_, model.a_matrix_.num_row_ = n_cols, n_rows
    model.a_matrix_.start_ = A.indptr
    model.a_matrix_.index_ = A.indices
    model.a_matrix_.value_ = A.data
    h.passModel(model)
    return h


def _highspy_version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("highspy")
    except PackageNotFoundError:  # pragma: no cover
        return "?"


class HighsModel:
    """An LP held in one HiGHS instance, re-solved after its costs and bounds change.

    HiGHS keeps the last basis, so a re-solve after a change of costs or bounds starts
    from it (a warm start): sweeps, counterfactuals and frontiers reuse the assembled
    model instead of rebuilding it.

    Parameters
    ----------
    lp : LinearProgram
    options : dict, optional
        HiGHS options (they win over the method's).
    method : str
        ``"auto"`` (`choose_method`) or a key of `METHODS`; ``self.method`` is the one
        that runs.
    """

    def __init__(self, lp: LinearProgram, options: dict | None = None,
                 method: str = "auto"):
        import highspy
        self.lp = lp
        self.method = _resolve_method(method, lp)
        self.h = _highs_model(lp)
        for k, v in METHODS[self.method].items():
            with _quiet_stdout():  # HiGHS prints why it refuses an option
                refused = self.h.setOptionValue(k, v) != highspy.HighsStatus.kOk
            if refused:
                raise SolverError(
                    f"method {self.method!r} is not available in this HiGHS build "
                    f"(highspy {_highspy_version()}); available: "
                    f"{', '.join(highs_methods())}")
        self._options = dict(options or {})
        for k, v in self._options.items():
            self.h.setOptionValue(k, v)
        self._vec = [lp.c.copy(), lp.col_lower.copy(), lp.col_upper.copy(),
                     lp.row_lower.copy(), lp.row_upper.copy()]
        self._int = (np.flatnonzero(lp.integrality).astype(np.int32) if lp.is_mip
                     else np.zeros(0, np.int32))
        self._set_integrality(True)

    def _set_integrality(self, integer: bool) -> None:
        import highspy
        if self._int.size:
            kind = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
            self.h.changeColsIntegrality(self._int.size, self._int,
                                         np.array([kind] * self._int.size))

    def update(self, c=None, col_lower=None, col_upper=None, row_lower=None,
               row_upper=None) -> None:
        """Change costs and bounds (only the entries that differ are sent)."""
        new = [c, col_lower, col_upper, row_lower, row_upper]
        old = self._vec
        new = [o if n is None else np.asarray(n, dtype=float) for n, o in zip(new, old)]
        i = np.flatnonzero(new[0] != old[0]).astype(np.int32)
        if i.size:
            self.h.changeColsCost(i.size, i, new[0][i])
        i = np.flatnonzero((new[1] != old[1]) | (new[2] != old[2])).astype(np.int32)
        if i.size:
            self.h.changeColsBounds(i.size, i, new[1][i], new[2][i])
        i = np.flatnonzero((new[3] != old[3]) | (new[4] != old[4])).astype(np.int32)
        if i.size:
            self.h.changeRowsBounds(i.size, i, new[3][i], new[4][i])
        self._vec = [v.copy() for v in new]

    def solve(self, time_limit: float | None = None, mip_gap: float = 1e-6) -> SolverOutput:
        """Run HiGHS from the current basis and read the outcome.

        For a MIP, the outcome carries the best bound and the gap; the integer columns
        of an optimal MIP are then fixed and the LP re-solved, so that duals (prices)
        are those of the chosen build-out.
        """
        import highspy
        S = highspy.HighsModelStatus
        h = self.h
        t0 = time.perf_counter()
        h.setOptionValue("time_limit", float("inf") if time_limit is None
                         else float(time_limit))
        if self._int.size:
            h.setOptionValue("mip_rel_gap", float(mip_gap))
        h.run()
        status = h.getModelStatus()
        if status == S.kUnboundedOrInfeasible:
            # Presolve could not tell which; the simplex without presolve can.
            h.setOptionValue("presolve", "off")
            h.clearSolver()
            h.run()
            status = h.getModelStatus()
            h.setOptionValue("presolve", self._options.get("presolve", "choose"))
        text = h.modelStatusToString(status)
        mapping = {S.kOptimal: Status.OPTIMAL, S.kInfeasible: Status.INFEASIBLE,
                   S.kUnbounded: Status.UNBOUNDED, S.kTimeLimit: Status.TIME_LIMIT,
                   S.kIterationLimit: Status.ITERATION_LIMIT,
                   S.kUnboundedOrInfeasible: Status.INFEASIBLE,
                   S.kModelEmpty: Status.OPTIMAL}  # no variables: optimal at zero
        st = mapping.get(status, Status.ERROR)
        out = SolverOutput(st, f"HiGHS ({self.method}): {text}", "highs",
                           time.perf_counter() - t0,
                           method=self.method)
        c = self._vec[0]
        info = h.getInfo()
        feasible = info.primal_solution_status == 2  # kSolutionStatusFeasible
        if self._int.size:
            out.mip_bound, out.mip_gap = float(info.mip_dual_bound), float(info.mip_gap)
            out.message += f" (MIP gap {out.mip_gap:.2e})"
        if st in (Status.TIME_LIMIT, Status.ITERATION_LIMIT) and feasible:
            out.partial_x = np.asarray(h.getSolution().col_value, dtype=float)
            out.partial_objective = float(c @ out.partial_x)
        if st is Status.OPTIMAL:
            if self._int.size:
                self._fixed_lp_duals(out, c)
                return out
            sol = h.getSolution()
            out.x = np.asarray(sol.col_value, dtype=float)
            out.row_dual = np.asarray(sol.row_dual, dtype=float)
            out.col_dual = np.asarray(sol.col_dual, dtype=float)
            out.objective = float(c @ out.x) if c.size else 0.0
        return out

    def _fixed_lp_duals(self, out: SolverOutput, c: np.ndarray) -> None:
        """Fix the integers of the MIP optimum, re-solve the LP for duals, restore."""
        h, idx = self.h, self._int
        x = np.asarray(h.getSolution().col_value, dtype=float)
        fixed = np.round(x[idx])
        self._set_integrality(False)
        h.changeColsBounds(idx.size, idx, fixed, fixed)
        h.run()
        sol = h.getSolution()
        out.x = np.asarray(sol.col_value, dtype=float)
        out.row_dual = np.asarray(sol.row_dual, dtype=float)
        out.col_dual = np.asarray(sol.col_dual, dtype=float)
        out.objective = float(c @ out.x)
        h.changeColsBounds(idx.size, idx, self._vec[1][idx], self._vec[2][idx])
        self._set_integrality(True)


# -- PuLP -------------------------------------------------------------------------------
def to_pulp(lp: LinearProgram):
    """The LP as a `pulp.LpProblem` (for inspection, export and PuLP's solvers).

    Variables and constraints are named by what they are, from their block's labels:
    ``x(3,year)``, ``demand(beijing,ai_training,year)`` (`readable_names`).
    """
    import pulp
    prob = pulp.LpProblem(_safe(lp.name), pulp.LpMinimize)
    names = readable_names(lp.variables.values(), lp.A.shape[1])
    lo = [None if np.isinf(v) else float(v) for v in lp.col_lower]
    hi = [None if np.isinf(v) else float(v) for v in lp.col_upper]
    cats = (np.where(lp.integrality, pulp.LpInteger, pulp.LpContinuous) if lp.is_mip
            else [pulp.LpContinuous] * len(names))
    if hasattr(prob, "add_variable"):  # PuLP >= 3.3; direct LpVariable is deprecated
        xs = [prob.add_variable(n, a, b_, cat=k) for n, a, b_, k in zip(names, lo, hi, cats)]
    else:  # pragma: no cover - older PuLP
        xs = [pulp.LpVariable(n, lowBound=a, upBound=b_, cat=k)
              for n, a, b_, k in zip(names, lo, hi, cats)]
    prob += pulp.LpAffineExpression([(xs[j], float(c)) for j, c in enumerate(lp.c) if c != 0]
                                    or [(xs[0], 0.0)] if xs else [])
    A = lp.A
    row_names = readable_names(lp.constraints.values(), A.shape[0])
    cons = []
    for i in range(A.shape[0]):
        s, e = A.indptr[i], A.indptr[i + 1]
        expr = pulp.LpAffineExpression(zip((xs[j] for j in A.indices[s:e]),
                                           A.data[s:e].tolist()))
        lo_i, hi_i = lp.row_lower[i], lp.row_upper[i]
        if np.isinf(lo_i) and np.isinf(hi_i):  # a free row constrains nothing
            cons.append(None)
            continue
        if lo_i == hi_i:
            con = pulp.LpConstraint(expr, pulp.LpConstraintEQ, row_names[i], float(lo_i))
        elif np.isinf(lo_i):
            con = pulp.LpConstraint(expr, pulp.LpConstraintLE, row_names[i], float(hi_i))
        elif np.isinf(hi_i):
            con = pulp.LpConstraint(expr, pulp.LpConstraintGE, row_names[i], float(lo_i))
        else:
            raise SolverError(f"row {row_names[i]} is ranged; PuLP export does not take it")
        prob.addConstraint(con, row_names[i])
        cons.append(con)
    return prob, xs, cons


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in name) or "netopt"


def _name_part(value) -> str:
    # LP and MPS names take no spaces, brackets, signs or slashes: keep ids readable
    return "".join(ch if ch.isalnum() or ch in "_.:" else "_" for ch in str(value))


def readable_names(blocks, size: int) -> np.ndarray:
    """A name for every column (or row) from its block's name and labels:
    ``block(label,label,...)``; a position is added where two would be the same.

    >>> from netopt.model.lp import LPBuilder
    >>> import pandas as pd
    >>> b = LPBuilder()
    >>> blk = b.add_variables("g", pd.DataFrame({"source": ["grid-east", "hydro"],
    ...                                         "period": ["year", "year"]}), cost=0.0)
    >>> list(readable_names([blk], 2))
    ['g(grid_east,year)', 'g(hydro,year)']
    """
    names = np.empty(size, dtype=object)
    for blk in blocks:
        if blk.size == 0:
            continue
        parts = blk.labels.astype(str).map(_name_part) if blk.labels.shape[1] else None
        if parts is None:
            names[blk.start:blk.stop] = [f"{blk.name}({i})" for i in range(blk.size)]
            continue
        joined = parts.iloc[:, 0].str.cat(parts.iloc[:, 1:], sep=",") if parts.shape[1] > 1 \
            else parts.iloc[:, 0]
        names[blk.start:blk.stop] = (blk.name + "(" + joined + ")").to_numpy()
    seen = pd.Series(names).duplicated(keep=False).to_numpy()
    names[seen] = [f"{n}#{i}" for i, n in zip(np.flatnonzero(seen), names[seen])]
    return names


def write_lp(lp: LinearProgram, path: str | Path) -> Path:
    """Write the LP as an LP file, or as MPS when the name ends in ``.mps``.

    The file opens with a comment that states the objective's scale: costs enter the LP
    per mean hour of the horizon, so an outside solver's optimum times the horizon's
    hours is netopt's objective (the plan's cost).
    """
    path = Path(path)
    prob, _, _ = to_pulp(lp)
    mps = path.suffix.lower() == ".mps"
    if mps:
        prob.writeMPS(str(path))
    else:
        prob.writeLP(str(path))
    note = (f"netopt: objective in currency per mean hour; multiply the optimum by "
            f"{lp.objective_scale:g} (the horizon's hours) for the plan's cost. Names: "
            f"block(labels), see the block tables of netopt.formulate")
    text = path.read_text()
    path.write_text((f"* {note}\n" if mps else f"\\* {note} *\\\n") + text)
    return path


def _cbc_path() -> str | None:
    """The CBC binary of the ``cbcbox`` package (installed by ``pulp[cbc]``), if any."""
    try:
        import cbcbox
        return str(cbcbox.cbc_bin_path())
    except (ImportError, AttributeError, OSError):
        return None


def _pulp_solver(name: str, time_limit, options, mip_gap=None):
    import pulp
    kwargs = dict(msg=False, **options)
    if time_limit is not None:
        kwargs["timeLimit"] = float(time_limit)
    if mip_gap is not None:
        kwargs["gapRel"] = float(mip_gap)
    long = _PULP_ALIASES.get(name.lower(), name)
    if long == "PULP_CBC_CMD":
        # PuLP's bundled CBC reports infeasibility properly (cbcbox's CBC 2.9.35 writes
        # "Status unknown" for it), but PuLP 3 deprecates it; use cbcbox once it is gone.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            bundled = pulp.PULP_CBC_CMD(**kwargs)
            if bundled.available():
                return bundled, long
        if _cbc_path():
            return pulp.COIN_CMD(path=_cbc_path(), **kwargs), "COIN_CMD"
    known = pulp.listSolvers()
    if long not in known:
        raise SolverError(f"unknown solver '{name}'; use highs, "
                          f"{', '.join(_PULP_ALIASES)} or one of PuLP's: {', '.join(known)}")
    if long not in pulp.listSolvers(onlyAvailable=True):
        raise SolverError(f"solver '{name}' ({long}) is not installed on this machine; "
                          f"available: {', '.join(available_solvers())}")
    return pulp.getSolver(long, **kwargs), long


def _solve_pulp(lp: LinearProgram, name: str, time_limit, mip_gap,
                options) -> SolverOutput:
    import pulp
    solver, long = _pulp_solver(name, time_limit, options, mip_gap if lp.is_mip else None)
    t0 = time.perf_counter()
    prob, xs, cons = to_pulp(lp)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            code = prob.solve(solver)
    except pulp.PulpSolverError as exc:
        return SolverOutput(Status.ERROR, f"{long}: {exc}", name, time.perf_counter() - t0)
    text = pulp.LpStatus.get(code, str(code))
    if code == pulp.LpStatusOptimal and lp.is_mip and \
            prob.sol_status == pulp.LpSolutionIntegerFeasible:
        st = Status.TIME_LIMIT  # a feasible plan, not proven optimal
        x = np.array([v.varValue or 0.0 for v in xs], dtype=float)
        out = SolverOutput(st, f"{long}: stopped with a feasible plan, not proven optimal",
                           name, time.perf_counter() - t0, partial_x=x,
                           partial_objective=float(lp.c @ x))
        return out
    if code == pulp.LpStatusOptimal:
        st = Status.OPTIMAL
    elif code == pulp.LpStatusInfeasible:
        st = Status.INFEASIBLE
    elif code == pulp.LpStatusUnbounded:
        st = Status.UNBOUNDED
    elif time_limit is not None and code == pulp.LpStatusNotSolved:
        st = Status.TIME_LIMIT
    else:
        st = Status.ERROR
        if code == pulp.LpStatusUndefined:
            text += " (the solver could not classify the outcome; try --solver highs)"
    out = SolverOutput(st, f"{long}: {text}", name, time.perf_counter() - t0)
    if st is Status.OPTIMAL and lp.is_mip:
        # duals of the chosen build-out: fix the integers and solve the LP again
        for j in np.flatnonzero(lp.integrality):
            v = round(xs[j].varValue or 0.0)
            xs[j].cat, xs[j].lowBound, xs[j].upBound = pulp.LpContinuous, v, v
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            prob.solve(solver)
    if st is Status.OPTIMAL:
        out.x = np.array([v.varValue or 0.0 for v in xs], dtype=float)
        out.row_dual = np.array([0.0 if c is None else c.pi if c.pi is not None else np.nan
                                 for c in cons], dtype=float)
        out.col_dual = np.array([v.dj if v.dj is not None else np.nan for v in xs],
                                dtype=float)
        out.objective = float(lp.c @ out.x)
    return out
