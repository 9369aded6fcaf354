"""Decomposition by window: a horizon whose periods are coupled only within windows,
solved as one small LP per window (issue #12).

When nothing spans windows — no build-out free to vary (``site_build``, ``link_build``,
``line_build``, ``open`` or any other variable held for the whole horizon, with an upper
bound above its lower bound) — the placement LP is block-diagonal by window: deferrable
work balances within its window (2), every other row belongs to one period. Its optimum
is the sum of the windows' optima, and its duals are theirs.

How: each window's sub-network (the network with only that window's periods, relabelled
``t0``, ``t1``, ... so that windows of the same shape share one structure) is built
cheaply from the validated network (slices of its tables, no validation anew); one
window model is assembled per shape (`formulate`), and for every window its costs and
bounds are refilled (`data_vectors`) and HiGHS re-solves from the previous basis
(`HighsModel`: a warm start). Windows run in this process, on local processes
(``processes=N``) or on a Dask cluster (``scheduler=``), each worker keeping its own
models. The windows' solutions are then stitched into the monolithic LP's column and row
order (labels, costs, bounds, x, duals), so `Result` reads them exactly as it reads a
monolithic solve: same tables, same duals.

Scaling: costs enter an LP per mean hour of its horizon (`Fill`). A window of ``H_w``
hours in a horizon of ``H`` has costs ``H / H_w`` times the monolithic LP's, so its
duals, reduced costs and per-period costs are multiplied by ``H_w / H`` when stitched,
and the LP objective is ``sum_w H_w obj_w / H``.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._dask import dask_client
from .._pool import end_workers
from ..data.network import Network
from ..data.schema import TABLE_ORDER
from ..errors import NetoptError
from ..model.components.windows import windows as window_of_periods
from ..model.formulation import Formulation, data_vectors, formulate
from ..model.lp import Block, LinearProgram
from .solvers import HighsModel, SolverOutput, Status

__all__ = ["DECOMPOSE", "AUTO_MIN_COLUMNS", "WindowPlan", "plan", "solve_windows",
           "CoupledError"]

#: Values of ``solve(decompose=...)``.
DECOMPOSE = ("auto", "windows", "monolithic")

#: ``decompose="auto"`` splits by window from this many columns of the monolithic LP.
#: Measured (best of 2, in process, a shared 2-core machine): generated networks with
#: windows of 2-4 periods, 228 columns: whole 0.023 s, by windows 0.035 s; 6,408: 0.039
#: and 0.044 s; 23,712: 0.102 and 0.055 s; china-edwc-seasons with its build-out fixed
#: (4 windows, 99,648 columns): 0.90 and 0.38 s. Below the crossover (about 10,000
#: columns) both take well under 0.1 s.
AUTO_MIN_COLUMNS = 20_000
#: ... and when the windows come in at most this many shapes (lengths and weights):
#: one window model is assembled per shape.
AUTO_MAX_SHAPES = 16

_ONCE, _PERIOD, _WINDOW = 0, 1, 2
#: Blocks with more rows than this keep their period (window) labels as a Categorical
#: (`Result` reads them with ``to_numpy``; the tables it makes hold plain labels).
_COMPACT = 1_000_000
_STATUS_ORDER = [Status.OPTIMAL, Status.TIME_LIMIT, Status.ITERATION_LIMIT,
                 Status.UNBOUNDED, Status.INFEASIBLE, Status.ERROR]


class CoupledError(NetoptError, ValueError):
    """``decompose="windows"`` on a model whose periods are coupled across windows."""


# -- sub-networks ---------------------------------------------------------------------------
class _Split:
    """The network cut into its windows: sub-networks built from slices, no validation."""

    def __init__(self, net: Network):
        self.net = net
        of_t, ids, _ = window_of_periods(net)
        self.of_t, self.ids = of_t, ids
        order = np.argsort(of_t, kind="stable")
        bounds = np.cumsum(np.bincount(of_t, minlength=len(ids)))[:-1]
        self.groups = np.split(order, bounds)             # period positions per window
        self.periods = net.periods
        self.H = float(net.periods["weight_h"].sum())
        self.hours = np.bincount(of_t, weights=net.periods["weight_h"].to_numpy(float))
        pos = pd.Series(np.arange(len(of_t)), index=net.periods.index)
        # rows of every long table with a period column, by window (blank: every window)
        self._rows = {}
        for name in TABLE_ORDER:
            df = getattr(net, name)
            if isinstance(df, pd.DataFrame) and "period" in df.columns and len(df):
                self._rows[name] = self._by_window(df, pos)
        self._dbp = net.demand_by_period
        self._dbp_rows = self._by_window(self._dbp, pos)
        # every window keeps every load node (0 MW where it has none): one structure
        self._lbp = net.loads_by_period
        self._lbp_rows = self._by_window(self._lbp, pos)
        self._avail = net.availability_matrix
        self._cached = {k: v for k, v in net.__dict__.items()
                        if k in ("link_data", "annual_capex", "power_arcs", "graph")}

    def _by_window(self, df: pd.DataFrame, pos: pd.Series):
        p = pos.reindex(df["period"].to_numpy()).to_numpy()
        every = np.isnan(p)
        w = np.where(every, -1, self.of_t[np.where(every, 0, p).astype(np.int64)])
        order = np.argsort(w, kind="stable")
        cuts = np.searchsorted(w[order], np.arange(-1, len(self.ids) + 1))
        blank = order[cuts[0]:cuts[1]]
        return [np.sort(np.concatenate([blank, order[cuts[i + 1]:cuts[i + 2]]]))
                for i in range(len(self.ids))]

    def sub(self, w: int) -> Network:
        """Window ``w``'s network, its periods named ``t0``, ``t1``, ... (window ``w``)."""
        net, g = self.net, self.groups[w]
        names = np.array([f"t{i}" for i in range(len(g))], dtype=object)
        real = self.periods.index[g]
        rename = dict(zip(real, names))
        new = object.__new__(Network)
        new.settings = net.settings
        for name in TABLE_ORDER:
            setattr(new, name, getattr(net, name))
        periods = self.periods.iloc[g].copy()
        periods.index = pd.Index(names, name=self.periods.index.name)
        win = periods["window"].to_numpy()
        periods["window"] = np.where(win == "", "", "w")
        new.periods = periods
        for name, rows in self._rows.items():
            df = getattr(net, name).iloc[rows[w]].copy()
            df["period"] = df["period"].map(lambda p: rename.get(p, p))
            setattr(new, name, df.reset_index(drop=True))
        new._files, new._labels = net._files, net._labels
        new.__dict__.update(self._cached)
        dbp = self._dbp.iloc[self._dbp_rows[w]].copy()
        dbp["period"] = dbp["period"].map(rename)
        new.__dict__["demand_by_period"] = dbp.reset_index(drop=True)
        lbp = self._lbp.iloc[self._lbp_rows[w]].copy()
        lbp["period"] = lbp["period"].map(rename)
        new.__dict__["loads_by_period"] = lbp.reset_index(drop=True)
        av = self._avail.iloc[:, g].copy()
        av.columns = pd.Index(names, name=self._avail.columns.name)
        new.__dict__["availability_matrix"] = av
        return new


def _kinds(lp: LinearProgram, blocks: str) -> dict[str, int]:
    out = {}
    for name, blk in getattr(lp, blocks).items():
        cols = blk.labels.columns
        out[name] = _PERIOD if "period" in cols else _WINDOW if "window" in cols else _ONCE
    return out


def coupling(f: Formulation) -> list[str]:
    """Blocks of ``f`` held for the whole horizon whose value may vary (upper bound above
    the lower): build-out free to choose couples the windows."""
    lp = f.lp
    out = []
    for name, kind in _kinds(lp, "variables").items():
        blk = lp.variables[name]
        if kind == _ONCE and blk.size and np.any(
                blk.take(lp.col_upper) > blk.take(lp.col_lower) + 1e-12):
            out.append(name)
    return out


# -- the plan: window models and the monolithic layout ---------------------------------------
@dataclass
class WindowPlan:
    """What ``decompose`` decided: whether to split, why, and what to solve.

    ``models`` holds one window LP per window shape (key: the periods' weights and
    which are windows), ``shape_of`` each window's shape; ``form`` is the monolithic
    formulation without its matrix (labels in the monolithic order, the monolithic costs
    and bounds from `data_vectors` on the whole network), ``cols``/``rows`` each window
    model block's kind, items and monolithic start.
    """

    decompose: bool
    reason: str
    windows: int = 0
    columns: int = 0          # of the monolithic LP
    coupled: list[str] = field(default_factory=list)
    split: _Split | None = None
    models: dict = field(default_factory=dict)
    shape_of: np.ndarray | None = None
    form: Formulation | None = None
    cols: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    options: dict | None = None
    method: str = "auto"
    time_limit: float | None = None

    def index(self, w: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Window ``w``'s columns and rows in the monolithic LP (in the window model's
        order), and which of its columns are held for the whole horizon."""
        g = self.split.groups[w]
        out = []
        for lay in (self.cols, self.rows):
            parts = []
            for kind, n, start in lay.values():
                if kind == _PERIOD:
                    parts.append((start + g[:, None] * n + np.arange(n)[None, :]).ravel())
                elif kind == _WINDOW:
                    parts.append(start + w * n + np.arange(n))
                else:
                    parts.append(start + np.arange(n))
            out.append(np.concatenate(parts) if parts else np.zeros(0, np.int64))
        once = np.concatenate([np.full(n if kind == _ONCE else
                                       n * len(g) if kind == _PERIOD else n, kind == _ONCE)
                               for kind, n, _ in self.cols.values()])
        return out[0], out[1], once

    def vectors(self, w: int) -> tuple:
        """Window ``w``'s costs and bounds: slices of the monolithic ones, costs per mean
        hour of the window (x H / H_w) but for what is held for the whole horizon."""
        ci, ri, once = self.index(w)
        lp = self.form.lp
        c = lp.c[ci] * np.where(once, 1.0, self.split.H / self.split.hours[w])
        return c, lp.col_lower[ci], lp.col_upper[ci], lp.row_lower[ri], lp.row_upper[ri]


def _shapes(split: _Split) -> tuple[np.ndarray, list[int]]:
    """Each window's shape (its periods' columns: weights, ...; which are blank windows)
    and the first window of each shape."""
    # every column of the periods (weights, spans, ...), the window's name aside
    p = split.periods.drop(columns="window")
    p = p.astype(object).where(p.notna(), None)   # a blank (NaN) equals a blank
    cols = [p[c].to_numpy() for c in p.columns]
    blank = split.periods["window"].to_numpy() == ""
    keys = [(tuple(blank[g]), *(tuple(c[g]) for c in cols)) for g in split.groups]
    uniq = {}
    shape_of = np.array([uniq.setdefault(k, len(uniq)) for k in keys])
    first = [keys.index(k) for k in uniq]
    return shape_of, first


def plan(net: Network, decompose: str = "auto", *, allow_unserved=None,
         routes_per_pair=None, options=None, method="auto", time_limit=None) -> WindowPlan:
    """Decide whether to solve ``net`` by window, and prepare the window models.

    Raises
    ------
    CoupledError
        With ``decompose="windows"`` when the model is coupled across windows (build-out
        free to vary), has a single window, or windows whose sets differ.
    """
    from ..model.formulation import _structure
    if decompose not in DECOMPOSE:
        raise NetoptError(f"unknown decompose {decompose!r}; use one of "
                          f"{', '.join(DECOMPOSE)}")
    if decompose == "monolithic":
        return WindowPlan(False, "asked")
    of_t, ids, _ = window_of_periods(net)
    W = len(ids)

    def no(reason, err, **kw):
        if decompose == "windows":
            raise CoupledError(f"decompose='windows' on {net.name}: {err}")
        return WindowPlan(False, reason, W, **kw)

    if W < 2:
        return no("one window", f"a single window ({len(of_t)} periods), nothing to "
                  "decompose")
    split = _Split(net)
    shape_of, first = _shapes(split)
    if decompose == "auto" and len(first) > AUTO_MAX_SHAPES:
        return WindowPlan(False, f"{len(first)} window shapes", W)
    models = {}
    for k, w in enumerate(first):
        models[k] = formulate(split.sub(w), allow_unserved=allow_unserved,
                              routes_per_pair=routes_per_pair)
    f0 = models[0]
    T = len(of_t)
    cols, n_cols = _layout(f0, "variables", T, W)
    if any(coupling(f) for f in models.values()):
        coupled = sorted({b for f in models.values() for b in coupling(f)})
        return no(f"coupled by {', '.join(coupled)}",
                  f"its windows are coupled by build-out that spans them "
                  f"({', '.join(coupled)} may vary); fix the build-out "
                  "(netopt.solving.windows.fix_buildout) or solve it whole "
                  "(decompose='monolithic')", columns=n_cols, coupled=coupled)
    rows, n_rows = _layout(f0, "constraints", T, W)
    same = all(_layout(f, "variables", T, W)[0] == cols
               and _layout(f, "constraints", T, W)[0] == rows
               and f.options.equals(f0.options) and f.pairs.equals(f0.pairs)
               for f in models.values())
    from ..model.assembly import positive_pairs
    if not same or not positive_pairs(net).equals(
            f0.pairs.rename(columns={"origin": "node"})):
        return no("windows differ in their sets",
                  "its windows differ in their sets (a demand pair without demand in a "
                  "whole window, say); solve it whole (decompose='monolithic')",
                  columns=n_cols)
    if decompose == "auto" and n_cols < AUTO_MIN_COLUMNS:
        return WindowPlan(False, f"small ({n_cols:,} columns)", W, n_cols)
    # the monolithic formulation without its matrix, filled from the whole network
    form = _formulation(f0, _stitched_lp(f0, net, split, cols, rows, n_cols, n_rows), net)
    form.structure = _structure(net, *f0.structure[:3])
    vec = data_vectors(net, form)
    assert vec is not None, "the monolithic layout differs from the network's structure"
    lp = form.lp
    lp.c, lp.col_lower, lp.col_upper, lp.row_lower, lp.row_upper = vec
    del vec
    form.structure = (*f0.structure[:3], "stitched by windows: formulate anew to refill")
    from ..model.formulation import _demand_matrix
    form.demand = _demand_matrix(net, form)
    return WindowPlan(True, "windows", W, n_cols, [], split,
                      {k: f.lp for k, f in models.items()}, shape_of, form, cols, rows,
                      options, method, time_limit)


def _stitched_lp(f0, net, split, cols, rows, n_cols, n_rows) -> LinearProgram:
    T, W = len(split.of_t), len(split.ids)
    periods, window_ids = net.periods.index.to_numpy(dtype=object), split.ids

    def blocks(kind_of, lay, source):
        return {name: Block(name, start, start + (n * T if kind == _PERIOD else
                                                  n * W if kind == _WINDOW else n),
                            _labels(source[name], kind, n, T, W, periods, window_ids))
                for name, (kind, n, start) in lay.items()}
    # the matrix is not assembled: the windows' matrices are its block-diagonal pieces
    return LinearProgram(np.zeros(n_cols), sp.csr_matrix((n_rows, n_cols)),
                         np.zeros(n_rows), np.zeros(n_rows), np.zeros(n_cols),
                         np.zeros(n_cols), blocks(None, cols, f0.lp.variables),
                         blocks(None, rows, f0.lp.constraints), split.H, net.settings.name,
                         None)


# -- solving windows, in this process or on workers --------------------------------------------
class _Worker:
    """Keeps one HiGHS model per window shape; solves windows from their vectors."""

    def __init__(self, models: dict, options, method, time_limit):
        self.lps, self.options, self.method, self.time_limit = models, options, method, \
            time_limit
        self.highs: dict[int, HighsModel] = {}

    def solve(self, w: int, shape: int, vec) -> tuple:
        model = self.highs.get(shape)
        if model is None:
            model = self.highs[shape] = HighsModel(self.lps[shape], self.options,
                                                   method=self.method)
        model.update(*vec)
        out = model.solve(self.time_limit)
        return (w, out.status, out.message, out.method, out.objective, out.x, out.row_dual,
                out.col_dual)


_WORKERS: "OrderedDict[str, _Worker]" = OrderedDict()
_PLANS: dict[str, WindowPlan] = {}   # the plan a forked worker inherits


def _worker(token: str, setup=None) -> _Worker:
    if token not in _WORKERS:
        if setup is None:
            p = _PLANS[token]
            setup = (p.models, p.options, p.method, p.time_limit)
        _WORKERS[token] = _Worker(*setup)
        while len(_WORKERS) > 2:
            _WORKERS.popitem(last=False)
    return _WORKERS[token]


def _process_task(token: str, ws: list[int]) -> list[tuple]:
    p, worker = _PLANS[token], _worker(token)
    return [worker.solve(w, p.shape_of[w], p.vectors(w)) for w in ws]


def _dask_task(token: str, setup, items: list) -> list[tuple]:
    worker = _worker(token, setup)
    return [worker.solve(w, shape, vec) for w, shape, vec in items]


def _init_worker(token, p):
    import signal
    import sys
    # a worker ignores the terminal's SIGINT (the parent ends it) and dies with it
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover
            pass
    if p is not None:  # spawned, not forked: the plan comes pickled
        _PLANS[token] = p


def solve_windows(net: Network, p: WindowPlan, *, processes: int | None = None,
                  scheduler=None) -> tuple[Formulation, SolverOutput]:
    """Solve every window of ``net`` (``p`` from `plan`) and stitch the windows into the
    monolithic LP's order: the formulation of `plan` and a solver output."""
    t0 = time.perf_counter()
    W = p.windows
    if scheduler is not None:
        parts, where = _run_dask(p, scheduler), "on Dask"
    elif processes is not None and processes > 1:
        parts, where = _run_processes(p, processes), f"on {processes} processes"
    else:
        worker = _Worker(p.models, p.options, p.method, p.time_limit)
        parts, where = [worker.solve(w, p.shape_of[w], p.vectors(w)) for w in range(W)], \
            "in process"
    parts.sort(key=lambda r: r[0])
    out = _stitch(p, parts)
    out.seconds = time.perf_counter() - t0
    shapes = len(p.models)
    out.message += (f"; solved by windows: {W} windows, {shapes} window "
                    f"model{'s' * (shapes > 1)}, {where}")
    return p.form, out


def _chunks(W: int, n: int) -> list[list[int]]:
    # contiguous runs of windows (neighbouring days warm-start each other best)
    return [c.tolist() for c in np.array_split(np.arange(W), min(W, n)) if len(c)]


def _run_processes(p: WindowPlan, processes: int) -> list[tuple]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    token = uuid.uuid4().hex
    fork = "fork" in multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if fork else "spawn")
    _PLANS[token] = p  # a forked worker inherits it: no copy of the vectors is sent
    try:
        pool = ProcessPoolExecutor(processes, mp_context=ctx, initializer=_init_worker,
                                   initargs=(token, None if fork else p))
        try:
            futures = [pool.submit(_process_task, token, c)
                       for c in _chunks(p.windows, processes)]
            parts = [r for fut in futures for r in fut.result()]
        except BaseException:  # end the workers now (as sweeps do), not after every task
            end_workers(pool)
            raise
        pool.shutdown(wait=True)
    finally:
        _PLANS.pop(token, None)
    return parts


def _run_dask(p: WindowPlan, scheduler) -> list[tuple]:
    with dask_client(scheduler) as client:
        token = uuid.uuid4().hex
        setup = client.scatter((p.models, p.options, p.method, p.time_limit),
                               broadcast=True, hash=False)
        n = max(1, sum(client.nthreads().values()))
        futures = [client.submit(_dask_task, token, setup,
                                 [(w, p.shape_of[w], p.vectors(w)) for w in c], pure=False)
                   for c in _chunks(p.windows, n)]
        return [r for fut in futures for r in fut.result()]


# -- stitching ----------------------------------------------------------------------------------
def _layout(f: Formulation, blocks: str, T: int, W: int):
    """Per block of a window model: kind, items per period (per window, or in all), and
    the monolithic block's start; and the monolithic length."""
    out, start = {}, 0
    Tw = len(f.weights)
    for name, kind in _kinds(f.lp, blocks).items():
        size = getattr(f.lp, blocks)[name].size
        n = size // Tw if kind == _PERIOD else size
        out[name] = (kind, n, start)
        start += n * T if kind == _PERIOD else n * W if kind == _WINDOW else n
    return out, start


def _labels(blk: Block, kind: int, n: int, T: int, W: int, periods, window_ids):
    lab = blk.labels
    if kind == _ONCE:
        return lab
    first = lab.iloc[:n]
    key, ids, reps = (("period", periods, T) if kind == _PERIOD else
                      ("window", window_ids, W))
    cols = {c: np.tile(first[c].to_numpy(), reps) for c in lab.columns if c != key}
    if n * reps > _COMPACT:  # a large block: codes, not a pointer per row (8 x smaller)
        codes = np.repeat(np.arange(reps, dtype=np.int32), n)
        cols[key] = pd.Categorical.from_codes(codes, pd.Index(np.asarray(ids, dtype=object)))
    else:
        cols[key] = np.repeat(np.asarray(ids, dtype=object), n)
    return pd.DataFrame(cols)[list(lab.columns)]


def _formulation(f0: Formulation, lp: LinearProgram, net: Network) -> Formulation:
    return Formulation(lp, f0.options, f0.pairs, np.zeros((0, len(f0.pairs))),
                       net.periods["weight_h"], f0.allow_unserved, f0.routes, f0.site_rows,
                       f0.bandwidth_keys, f0.relax, f0.structure)


def _stitch(p: WindowPlan, parts: list[tuple]) -> SolverOutput:
    """The windows' solutions in the monolithic order and scale (module docstring)."""
    split, lp = p.split, p.form.lp
    status = max((r[1] for r in parts), key=_STATUS_ORDER.index)
    worst = next(r for r in parts if r[1] is status)
    out = SolverOutput(status, worst[2], "highs", 0.0, method=worst[3])
    if status is not Status.OPTIMAL:
        out.message += f" (window {split.ids[worst[0]]})"
        return out
    n_rows, n_cols = lp.shape
    x, col_dual, row_dual = np.zeros(n_cols), np.zeros(n_cols), np.zeros(n_rows)
    objective = 0.0
    for w, _, _, _, obj, xw, rdw, cdw in parts:
        ci, ri, once = p.index(w)
        scale = split.hours[w] / split.H
        objective += obj * scale
        x[ci[~once]] = xw[~once]
        if w == parts[0][0]:
            x[ci[once]] = xw[once]      # fixed (or empty): the same in every window
        col_dual[ci[~once]] = cdw[~once] * scale
        col_dual[ci[once]] += cdw[once] * scale   # the monolithic reduced cost: the sum
        row_dual[ri] = rdw * scale
    out.objective, out.x, out.row_dual, out.col_dual = objective, x, row_dual, col_dual
    return out


# -- a fixed build-out ------------------------------------------------------------------------
def fix_buildout(net: Network, builds: pd.DataFrame | None = None) -> Network:
    """``net`` with its build-out fixed, so that nothing spans windows.

    Parameters
    ----------
    net : Network
    builds : DataFrame, optional
        What was built (`Result.builds`: kind, item, amount): added to the capacities.
        Default: nothing built (the network as it stands).

    Returns
    -------
    Network
        Capacities plus the builds; no capacity may grow (``max_*`` blank), candidate
        sites opened in ``builds`` become existing sites and the others hold nothing
        (beyond what was built there). The capital and fixed costs of ``builds`` are not
        in its objective: add ``builds["cost"].sum()`` for the plan's total.
    """
    b = builds if builds is not None else pd.DataFrame(columns=["kind", "item", "amount"])
    amount = {k: g.groupby("item")["amount"].sum() for k, g in b.groupby("kind")}
    t = dict(net.tables)

    def add(df, kind, col, cap):
        df = df.copy()
        plus = amount.get(kind, pd.Series(dtype=float)).reindex(df.index).fillna(0.0)
        df[col] = df[col].to_numpy(float) + plus.to_numpy()
        df[cap] = np.nan
        return df

    sites = add(net.sites, "site", "it_capacity_mw", "max_it_capacity_mw")
    cand = sites["fixed_cost_year"].notna().to_numpy()
    opened = sites.index.isin(list(amount.get("open site", pd.Series(dtype=float)).index))
    built = amount.get("site", pd.Series(dtype=float)).reindex(sites.index).fillna(0.0)
    sites["it_capacity_mw"] = np.where(cand & ~opened, built.to_numpy(),
                                       sites["it_capacity_mw"].to_numpy())
    sites["fixed_cost_year"] = np.nan
    t["sites"] = sites
    t["backbone_links"] = add(net.backbone_links, "link", "bandwidth_gbps",
                              "max_bandwidth_gbps")
    t["power_lines"] = add(net.power_lines, "line", "capacity_mw", "max_capacity_mw")
    st = t.get("storage")
    if st is not None and len(st):  # storage (where the network has it): power, energy
        st = add(st, "storage_mw", "power_mw", "max_power_mw")
        if "energy_mwh" in st:   # a unit sized by duration_h grows its energy with power
            st = add(st, "storage_mwh", "energy_mwh", "max_energy_mwh")
        t["storage"] = st
    return Network(**t, settings=net.settings)
