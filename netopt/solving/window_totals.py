"""A horizon too large to hold as one LP or one solution: solved window by window,
keeping only each window's totals (issue #12, item 6).

`solve_windows` stitches every window's solution into the monolithic LP's order, so that
`Result` reads it as it reads a monolithic solve. That needs the monolithic vectors in
one process: costs, bounds, x and duals (8 bytes a column each), and labels of every
column. At 10^8 columns that is tens of GB, more than the LP the windows replace.

`solve_totals` holds nothing of that size. Each worker keeps the network cut into its
windows (`_Split`, sent once) and one window model per window shape; for each window it
cuts the window's network, refills the model's costs and bounds (`refill`), re-solves
from the last basis and reads the window's `Result` down to its cost breakdown and
totals. The caller adds them up. Money, energy and emissions over a window add up to
the horizon's, so the sums are the monolithic solve's (`tests/test_window_totals.py`
checks the objective and the cost breakdown against it).

`sweep_totals` does the same for scenarios: a scenario is a function of a network (a
price or a cost changed, say `functools.partial(netopt.scenarios.apply,
assignments={...})`) applied to each window's network on the worker. A worker takes a
run of consecutive windows and solves them for one scenario after another, so a
re-solve starts from the previous day's basis in the same scenario.

What it gives: objective, `Result.costs`, `Result.totals` and `Result.by_class`
summed over the windows, and per window its status, objective, simplex iterations and
where its seconds went. What it does not: tables hour by hour, or duals (solve a
window's network for those, or `solve_windows` where the horizon fits in memory).
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from .._dask import dask_client
from .._pool import end_workers
from ..data.network import Network
from ..errors import NetoptError
from ..model.formulation import formulate, refill
from .results import Result
from .solvers import HighsModel, Status
from .windows import _STATUS_ORDER, CoupledError, _chunks, _init_worker, _shapes, \
    _Split, coupling

__all__ = ["WindowTotals", "solve_totals", "sweep_totals"]

Scenario = Callable[[Network], Network]

#: Each worker's seconds per window, by phase (the keys of ``WindowTotals.windows``).
PHASES = ("cut", "fill", "solve", "read")


@dataclass
class WindowTotals:
    """One horizon (or scenario) solved window by window, kept as sums.

    Attributes
    ----------
    status : Status
        The worst window's status (optimal only if every window is).
    objective : float
        Total cost over the horizon (currency); NaN unless optimal.
    costs : pandas.Series
        `Result.costs` summed over the windows (empty unless optimal).
    totals : pandas.Series
        `Result.totals` summed over the windows (empty unless optimal).
    by_class : pandas.DataFrame
        `Result.by_class` summed over the windows (empty unless optimal).
    windows : pandas.DataFrame
        Per window: window, status, objective, iterations (simplex), the window LP's
        rows, columns and nonzeros, rebuilt (its model formulated anew), worker (pid)
        and seconds by phase: cut (its network), fill (costs and bounds), solve, read
        (the window's costs and totals).
    scenario : int
        Position in the scenarios (0 for `solve_totals`).
    message : str
    """

    status: Status
    objective: float
    costs: pd.Series
    totals: pd.Series
    by_class: pd.DataFrame
    windows: pd.DataFrame
    scenario: int = 0
    message: str = ""

    @property
    def ok(self) -> bool:
        """True when every window is optimal."""
        return self.status is Status.OPTIMAL

    @property
    def columns(self) -> int:
        """Columns of the monolithic LP: the windows' columns added up."""
        return int(self.windows["columns"].sum())

    @property
    def rows(self) -> int:
        """Rows of the monolithic LP: the windows' rows added up."""
        return int(self.windows["rows"].sum())

    @property
    def nonzeros(self) -> int:
        """Nonzeros of the monolithic matrix: the windows' added up."""
        return int(self.windows["nonzeros"].sum())


# -- on a worker ----------------------------------------------------------------------------
class _Solver:
    """Keeps the split network and one window model (with its HiGHS) per shape."""

    def __init__(self, split: _Split, shape_of: np.ndarray, scenarios: list, kw: dict):
        self.split, self.shape_of, self.scenarios, self.kw = split, shape_of, scenarios, kw
        self.models: dict[int, tuple] = {}

    def run(self, w: int, s: int) -> dict:
        kw = self.kw
        t0 = time.perf_counter()
        net = self.split.sub(w)
        if self.scenarios[s] is not None:
            net = self.scenarios[s](net)
        t1 = time.perf_counter()
        shape = self.shape_of[w]
        f = refill(net, self.models[shape][0]) if shape in self.models else None
        rebuilt = f is None
        if rebuilt:  # first of its shape, or its sets differ: a model of its own
            f = formulate(net, allow_unserved=kw["allow_unserved"],
                          routes_per_pair=kw["routes_per_pair"])
            if coupling(f):
                raise CoupledError(f"window {self.split.ids[w]} of {net.name} is coupled "
                                   f"to the others by {', '.join(coupling(f))}: fix the "
                                   "build-out (netopt.solving.windows.fix_buildout)")
            model = HighsModel(f.lp, kw["options"], method=kw["method"])
            self.models[shape] = (f, model)
        else:
            model = self.models[shape][1]
            model.update(f.lp.c, f.lp.col_lower, f.lp.col_upper, f.lp.row_lower,
                         f.lp.row_upper)
        t2 = time.perf_counter()
        out = model.solve(kw["time_limit"])
        t3 = time.perf_counter()
        r = Result(net, f, out)
        row = {"scenario": s, "w": w, "status": out.status, "message": out.message,
               "objective": r.objective,
               "iterations": int(model.h.getInfo().simplex_iteration_count),
               "rows": f.lp.shape[0], "columns": f.lp.shape[1],
               "nonzeros": int(f.lp.A.nnz), "rebuilt": rebuilt, "worker": os.getpid()}
        if r.ok:  # plain pandas: the results' subclasses need not travel
            row["costs"], row["totals"] = pd.Series(r.costs), pd.Series(r.totals)
            row["by_class"] = pd.DataFrame(r.by_class)
        t4 = time.perf_counter()
        row.update(zip(PHASES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)))
        return row


#: Per sweep and thread (the workers of a threaded Dask cluster share this module).
_SOLVERS: dict[tuple[str, int], _Solver] = {}
_STATE: dict[str, tuple] = {}   # what a forked worker inherits


def _solver(token: str, state=None) -> _Solver:
    key = (token, threading.get_ident())
    if key not in _SOLVERS:
        for old in [k for k in list(_SOLVERS) if k[0] != token]:
            _SOLVERS.pop(old, None)  # one sweep at a time: free the last one's models
        _SOLVERS[key] = _Solver(*(state if state is not None else _STATE[token]))
    return _SOLVERS[key]


def _process_task(token: str, items: list) -> list[dict]:
    solver = _solver(token)
    return [solver.run(w, s) for w, s in items]


def _dask_task(token: str, state, items: list) -> list[dict]:
    solver = _solver(token, state)
    return [solver.run(w, s) for w, s in items]


# -- the caller -------------------------------------------------------------------------------
def solve_totals(net: Network, *, processes: int | None = None, scheduler=None,
                 allow_unserved: bool | None = None, routes_per_pair: int | None = None,
                 options: dict | None = None, method: str = "auto",
                 time_limit: float | None = None) -> WindowTotals:
    """Solve ``net`` window by window and keep only the sums: objective, cost
    breakdown, totals and per-window figures (module docstring).

    Parameters
    ----------
    net : Network
        Its windows (``periods.window``) must be coupled by nothing but deferrable work
        within them: no build-out free to vary (`windows.fix_buildout`).
    processes : int, optional
        Solve on this many local processes (default: in this process).
    scheduler : str or distributed.Client, optional
        Solve on a Dask cluster (an address or a client); each worker receives the
        network once.
    allow_unserved, routes_per_pair, options, method, time_limit
        As in `netopt.solve` (``time_limit`` per window).

    Returns
    -------
    WindowTotals

    Raises
    ------
    CoupledError
        If a window's model has build-out free to vary (it would couple the windows).

    Examples
    --------
    >>> import netopt
    >>> t = solve_totals(netopt.generate(8, periods=48, seed=1, window=24))
    >>> str(t.status), len(t.windows), t.columns == 2 * int(t.windows["columns"].iloc[0])
    ('optimal', 2, True)
    """
    return sweep_totals(net, [None], processes=processes, scheduler=scheduler,
                        allow_unserved=allow_unserved, routes_per_pair=routes_per_pair,
                        options=options, method=method, time_limit=time_limit)[0]


def sweep_totals(net: Network, scenarios: Sequence[Scenario | None], *,
                 processes: int | None = None, scheduler=None,
                 allow_unserved: bool | None = None, routes_per_pair: int | None = None,
                 options: dict | None = None, method: str = "auto",
                 time_limit: float | None = None, chunks: int | None = None,
                 on_done: Callable[[int, int], None] | None = None,
                 timings: dict | None = None) -> list[WindowTotals]:
    """`solve_totals` for each scenario, reusing the window models across scenarios.

    Parameters
    ----------
    net : Network
    scenarios : sequence of callables (or None)
        Each takes a window's network and returns it changed (None: unchanged). It runs
        on the workers, on each window's network, so it must change values row by row
        (prices, costs, capacities, settings), as `netopt.scenarios.apply` does; on a
        Dask cluster it must pickle (a module-level function or a `functools.partial`).
    processes, scheduler, allow_unserved, routes_per_pair, options, method, time_limit
        As in `solve_totals`.
    chunks : int, optional
        Tasks to cut the windows into (default: four per worker, for balance); each is
        a run of consecutive windows, solved for each scenario in turn.
    on_done : callable, optional
        Called as ``on_done(done, total)`` after each task, with solved windows counted
        over all scenarios.
    timings : dict, optional
        Filled with this process's seconds by phase: ``split`` (the network cut into
        windows, the first window model checked), ``solve`` (sending the network to the
        workers and solving every window) and ``sum``.

    Returns
    -------
    list of WindowTotals
        One per scenario, in order.
    """
    if not len(scenarios):
        raise NetoptError("sweep_totals needs at least one scenario (None: the network)")
    t = timings if timings is not None else {}
    t0 = time.perf_counter()
    for name in ("link_data", "graph", "annual_capex", "power_arcs"):
        getattr(net, name)  # computed once here, shared by every window's network
    split = _Split(net)
    shape_of, first = _shapes(split)
    W, S = len(split.ids), len(scenarios)
    kw = {"allow_unserved": allow_unserved, "routes_per_pair": routes_per_pair,
          "options": options, "method": method, "time_limit": time_limit}
    for w in first:  # refuse a coupled horizon here, before anything is sent
        f = formulate(split.sub(w), allow_unserved=allow_unserved,
                      routes_per_pair=routes_per_pair)
        if coupling(f):
            raise CoupledError(f"{net.name} is coupled across windows by build-out that "
                               f"spans them ({', '.join(coupling(f))} may vary); fix the "
                               "build-out (netopt.solving.windows.fix_buildout)")
        del f
    state = (split, shape_of, list(scenarios), kw)
    t["split"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    if scheduler is not None:
        with dask_client(scheduler) as client:
            n = max(1, sum(client.nthreads().values()))
            rows = _run_dask(client, state, _tasks(W, S, chunks or 4 * n), W * S, on_done)
    elif processes is not None and processes > 1:
        rows = _run_processes(state, _tasks(W, S, chunks or 4 * processes), processes,
                              W * S, on_done)
    else:
        solver = _Solver(*state)
        rows = []
        for task in _tasks(W, S, chunks or 1):
            rows += [solver.run(w, s) for w, s in task]
            if on_done is not None:
                on_done(len(rows), W * S)
    t["solve"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = [_sum([r for r in rows if r["scenario"] == s], split, s) for s in range(S)]
    t["sum"] = time.perf_counter() - t0
    return out


def _tasks(W: int, S: int, n: int) -> list[list[tuple[int, int]]]:
    # a run of consecutive windows, solved for one scenario after another: the previous
    # day of the same scenario is the better warm start (measured, 4 days x 4 price
    # scenarios at 285,408 columns: 11,509 simplex iterations against 43,025 when each
    # day's scenarios follow one another)
    return [[(w, s) for s in range(S) for w in c] for c in _chunks(W, n)]


def _run_processes(state, tasks, processes, total, on_done) -> list[dict]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    token = uuid.uuid4().hex
    fork = "fork" in multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if fork else "spawn")
    _STATE[token] = state  # a forked worker inherits it
    rows: list[dict] = []
    try:
        pool = ProcessPoolExecutor(processes, mp_context=ctx, initializer=_init_state,
                                   initargs=(token, None if fork else state))
        try:
            for fut in as_completed([pool.submit(_process_task, token, t) for t in tasks]):
                rows += fut.result()
                if on_done is not None:
                    on_done(len(rows), total)
        except BaseException:  # end the workers now, not after every task
            end_workers(pool)
            raise
        pool.shutdown(wait=True)
    finally:
        _STATE.pop(token, None)
    return rows


def _init_state(token, state):
    _init_worker(token, None)
    if state is not None:  # spawned, not forked: the state comes pickled
        _STATE[token] = state


def _forget(token: str) -> None:
    for key in [k for k in list(_SOLVERS) if k[0] == token]:
        _SOLVERS.pop(key, None)


def _run_dask(client, state, tasks, total, on_done) -> list[dict]:
    from distributed import as_completed
    token = uuid.uuid4().hex
    setup = client.scatter(state, broadcast=True, hash=False)
    try:
        futures = [client.submit(_dask_task, token, setup, t, pure=False) for t in tasks]
        rows: list[dict] = []
        for fut in as_completed(futures):
            rows += fut.result()
            fut.release()
            if on_done is not None:
                on_done(len(rows), total)
    finally:
        # free the network and the models on the workers now, not when the next sweep
        # arrives (its copy would otherwise sit beside this one)
        for fut in setup:  # a tuple scatters as one future per item
            fut.release()
        client.run(_forget, token)
    return rows


def _sum(rows: list[dict], split: _Split, s: int) -> WindowTotals:
    """One scenario's windows added up (money, energy, emissions over each window)."""
    rows.sort(key=lambda r: r["w"])
    status = max((r["status"] for r in rows), key=_STATUS_ORDER.index)
    worst = next(r for r in rows if r["status"] is status)
    table = pd.DataFrame([{k: v for k, v in r.items()
                           if k not in ("costs", "totals", "by_class", "message")}
                          for r in rows])
    table.insert(0, "window", split.ids[table.pop("w").to_numpy()])
    table = table.drop(columns="scenario")
    message = (f"{worst['message']}; solved by windows, kept as totals: {len(rows)} "
               f"windows")
    if status is not Status.OPTIMAL:
        message += f" (window {split.ids[worst['w']]})"
        return WindowTotals(status, float("nan"), pd.Series(dtype=float),
                            pd.Series(dtype=float), pd.DataFrame(), table, s, message)
    costs, totals, by_class = (rows[0][k] for k in ("costs", "totals", "by_class"))
    for r in rows[1:]:
        costs = costs.add(r["costs"], fill_value=0.0)
        totals = totals.add(r["totals"], fill_value=0.0)
        by_class = by_class.add(r["by_class"], fill_value=0.0)
    objective = float(sum(r["objective"] for r in rows))
    return WindowTotals(status, objective, costs, totals, by_class, table, s, message)
