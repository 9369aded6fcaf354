"""Parameter sweeps, reusing the assembled model between solves (the break-even search
that bisects over them is `netopt.analysis.breakeven_search`).

Scenarios run on local processes by default, or on a Dask cluster given a scheduler
address or a ``distributed.Client``. Each worker keeps the base network's formulation and
HiGHS instance, so a scenario that changes only costs, bounds or demand levels refills
vectors and re-solves from the last basis (a warm start) instead of rebuilding.

A sweep's ``out`` file is keyed by what determines its numbers (the network's content,
the solver and its options, netopt's version), so a rerun resumes only its own sweep.
Local worker processes die with the sweep: stopped by SIGINT or SIGTERM, it ends them;
killed outright, they notice and exit.
"""

from __future__ import annotations

import ctypes
import hashlib
import itertools
import json
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
import uuid
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from .._dask import dask_client
from .._pool import end_workers
from ..solving.units import units_of
from ..errors import NetoptError, SweepFileError
from ..model.formulation import formulate, refill
from ..data.network import Network
from ..solving.optimize import solve
from ..solving.results import Result
from .scenarios import ScenarioError, apply, parse_address
from ..solving.solvers import HighsModel

__all__ = ["ScenarioRunner", "result_metrics", "sweep", "grid"]

Metric = Callable[[Result], float]
log = logging.getLogger("netopt")


def result_metrics(result: Result) -> dict[str, Any]:
    """The numbers a sweep records for one solve.

    status, objective, the cost parts, emissions_t, unserved_mwh, data_moved_tb,
    power_sent_mwh, transmission_losses_mwh, transport_energy_mwh (moving data's),
    load_mwh and load_shed_mwh (electric loads, where there are any), and
    ``west_share:<class>`` (share of each class's demand served at sites whose node
    has region ``west``).
    """
    row: dict[str, Any] = {"status": str(result.status), "objective": result.objective}
    if not result.ok:
        return row
    row.update({k: float(v) for k, v in result.costs.items() if k != "total"})
    t = result.totals
    for k in ("emissions_t", "unserved_mwh", "data_moved_tb", "power_sent_mwh",
              "transmission_losses_mwh", "transport_energy_mwh"):
        row[k] = float(t[k])
    for k in ("load_mwh", "load_shed_mwh"):  # electric loads, where there are any
        if k in t:
            row[k] = float(t[k])
    bc = result.by_class
    total = bc.sum(axis=1)
    west = bc["west"] if "west" in bc else pd.Series(0.0, index=bc.index)
    for k in bc.index:
        row[f"west_share:{k}"] = float(west[k] / total[k]) if total[k] > 0 else np.nan
    return row


class ScenarioRunner:
    """Solves scenarios of one base network, reusing its model where it can.

    Parameters
    ----------
    network : Network
        The base network.
    solver : str
        ``highs`` reuses one HiGHS instance (warm start); other solvers rebuild.
    reuse : bool
        False solves every scenario from scratch (for comparison).
    time_limit : float, optional
    """

    def __init__(self, network: Network, solver: str = "highs", reuse: bool = True,
                 time_limit: float | None = None):
        self.network = network
        self.solver = solver
        self.reuse = reuse and solver.lower() == "highs"
        self.time_limit = time_limit
        self._base = None  # (Formulation, HighsModel), built on first use
        self.rebuilt = 0   # scenarios that could not reuse the model

    def run(self, assignments: Mapping[str, Any]) -> Result:
        """Solve the base network with ``assignments`` applied."""
        net = apply(self.network, assignments) if assignments else self.network
        if self.reuse:
            if self._base is None:
                f0 = formulate(self.network)
                self._base = (f0, HighsModel(f0.lp))
            f0, model = self._base
            f = refill(net, f0)
            if f is not None:
                model.update(f.lp.c, f.lp.col_lower, f.lp.col_upper, f.lp.row_lower,
                             f.lp.row_upper)
                return Result(net, f, model.solve(self.time_limit))
            self.rebuilt += 1
        return solve(net, self.solver, time_limit=self.time_limit)


def _row(runner: ScenarioRunner, index: int, assignments: dict, metrics) -> dict:
    t0 = time.perf_counter()
    row: dict[str, Any] = {"scenario": index, **assignments}
    try:
        result = runner.run(assignments)
        row.update(result_metrics(result))
        for name, fn in (metrics or {}).items():
            row[name] = float(fn(result)) if result.ok else np.nan
        row["error"] = ""
    except Exception as exc:  # noqa: BLE001 - a failed scenario never stops the others
        row.update({"status": "error", "objective": np.nan,
                    "error": f"{type(exc).__name__}: {exc}".strip()})
        if not isinstance(exc, NetoptError):
            row["error"] += " | " + traceback.format_exc(limit=3).replace("\n", " ")
    row["seconds"] = time.perf_counter() - t0
    return row


# -- workers: one runner per base network per process, kept between tasks ------------------
_RUNNERS: "OrderedDict[str, ScenarioRunner]" = OrderedDict()
_SETUP: dict[str, tuple] = {}


def _runner(token: str, network: Network | None, solver, reuse, time_limit) -> ScenarioRunner:
    if token not in _RUNNERS:
        if network is None:
            network, solver, reuse, time_limit = _SETUP[token]
        _RUNNERS[token] = ScenarioRunner(network, solver, reuse, time_limit)
        while len(_RUNNERS) > 4:
            _RUNNERS.popitem(last=False)
    return _RUNNERS[token]


def _init_process(token, network, solver, reuse, time_limit, metrics, parent=None):
    _die_with_parent(parent)
    _SETUP[token] = (network, solver, reuse, time_limit)
    _SETUP[token + ":metrics"] = metrics


def _die_with_parent(parent: int | None) -> None:
    # The parent ends its workers on SIGINT/SIGTERM, so a worker takes the default action
    # for SIGTERM (a forked one inherits the parent's handler) and ignores SIGINT, which
    # a terminal sends to the whole process group.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is None:
        return
    if sys.platform.startswith("linux"):
        try:  # the kernel sends SIGTERM when the parent dies, even by SIGKILL
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl
            pass
    if os.getppid() != parent:  # died before prctl took hold
        os._exit(1)
    # Portable fallback (and a second line on Linux): an orphan is re-parented.
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True,
                     name="netopt-watch-parent").start()


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def _process_task(token: str, index: int, assignments: dict) -> dict:
    runner = _runner(token, None, None, None, None)
    return _row(runner, index, assignments, _SETUP[token + ":metrics"])


def _dask_task(token, network, solver, reuse, time_limit, metrics, index, assignments):
    return _row(_runner(token, network, solver, reuse, time_limit), index, assignments,
                metrics)


def grid(parameters: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Every combination of the values of ``parameters`` (address -> values)."""
    keys = list(parameters)
    for k in keys:
        parse_address(k)
    return [dict(zip(keys, combo)) for combo in itertools.product(*parameters.values())]


def _key(assignments: Mapping[str, Any]) -> str:
    return json.dumps({str(k): v for k, v in sorted(assignments.items())}, sort_keys=True)


# -- the out file: records keyed by what determines them ------------------------------
def _network_sha256(network: Network) -> str:
    """SHA-256 of a network's content: settings and every table, exactly."""
    h = hashlib.sha256()
    h.update(json.dumps(network.settings.to_dict(), sort_keys=True, default=str).encode())
    for name, df in network.tables.items():
        head = [name, str(df.index.name), [str(c) for c in df.columns],
                [str(t) for t in df.dtypes]]
        h.update(b"\0" + json.dumps(head).encode() + b"\0")
        # %.17g round-trips every float, so any edit changes the text
        h.update(df.to_csv(float_format="%.17g", lineterminator="\n").encode())
    return h.hexdigest()


def _made_by(network: Network, solver: str, time_limit: float | None) -> dict[str, Any]:
    """What determines a sweep's numbers besides the scenario: stored in every record.

    The model-reuse flag is left out (it changes speed, not answers); settings such as
    routes_per_pair and allow_unserved are part of the network's hash.
    """
    from .. import __version__
    return {"network": network.name, "network_sha256": _network_sha256(network),
            "solver": solver.lower(),
            "time_limit": None if time_limit is None else float(time_limit),
            "netopt": __version__}


_WHAT = {"network": "network name", "network_sha256": "network content",
         "solver": "solver", "time_limit": "time limit", "netopt": "netopt version"}


def _describe(made_by: Mapping[str, Any]) -> str:
    return (f"network '{made_by.get('network')}' "
            f"(sha256 {str(made_by.get('network_sha256'))[:12]}), solver "
            f"{made_by.get('solver')}, time limit {made_by.get('time_limit')}, netopt "
            f"{made_by.get('netopt')}")


def _aside(path: Path) -> Path:
    n = 1
    while path.with_name(f"{path.name}.{n}").exists():
        n += 1
    return path.with_name(f"{path.name}.{n}")


def _parse(raw: bytes, path: Path, number: int) -> dict:
    why = "expected an object with 'key', 'run' and 'row'"
    try:
        rec = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        rec, why = None, "not UTF-8 text"
    except json.JSONDecodeError as exc:
        rec, why = None, f"not JSON: {exc.msg} at column {exc.colno}"
    if not (isinstance(rec, dict) and isinstance(rec.get("key"), str)
            and isinstance(rec.get("row"), dict)):
        raise SweepFileError(f"{path}, line {number}: not a sweep record ({why})", path,
                             number)
    return rec


def _read_out(path: Path, made_by: dict[str, Any]) -> dict[str, dict]:
    """The rows already in ``path`` by scenario key, checked to belong to this sweep.

    Drops an unfinished last line (a writer stopped midway) so appends start clean.

    Raises
    ------
    SweepFileError
        If a record was made for another network, solver or version, or a line other
        than the last is not a sweep record.
    """
    data = path.read_bytes()
    *lines, tail = data.split(b"\n")  # tail: what follows the last newline
    done: dict[str, dict] = {}
    for number, raw in enumerate(lines, 1):
        if raw.strip():
            rec = _ours(_parse(raw, path, number), made_by, path, number)
            done[rec["key"]] = rec["row"]
    if not tail.strip():
        return done
    number = len(lines) + 1
    try:
        rec = _parse(tail, path, number)
    except SweepFileError:
        if not tail.lstrip().startswith(b"{"):
            raise
        log.warning("%s, line %d: dropped an unfinished record (its writer was stopped "
                    "midway); that scenario is solved again", path, number)
        with open(path, "r+b") as f:
            f.truncate(len(data) - len(tail))
        return done
    rec = _ours(rec, made_by, path, number)
    done[rec["key"]] = rec["row"]
    with open(path, "ab") as f:  # complete, only its newline is missing
        f.write(b"\n")
    return done


def _ours(rec: dict, made_by: dict[str, Any], path: Path, number: int) -> dict:
    theirs = rec.get("run")
    if theirs == made_by:
        return rec
    if isinstance(theirs, dict):
        diff = [w for k, w in _WHAT.items() if theirs.get(k) != made_by[k]]
        what = (f"results of another sweep ({_describe(theirs)}; differs in "
                f"{', '.join(diff) or 'its fields'})")
    else:
        what = "records without a key (written by an older netopt)"
    raise SweepFileError(
        f"{path} holds {what} from line {number}, not results of this sweep "
        f"({_describe(made_by)}); resuming would mix the two. Give another out file, or "
        f"start anew with --fresh (fresh=True), which moves {path} aside to "
        f"{_aside(path)}", path)


def sweep(network: Network, parameters: Mapping[str, Sequence[Any]] | None = None, *,
          scenarios: Iterable[Mapping[str, Any]] | None = None,
          metrics: Mapping[str, Metric] | None = None, solver: str = "highs",
          processes: int | None = None, scheduler: Any = None,
          out: str | Path | None = None, progress: bool = False, reuse: bool = True,
          time_limit: float | None = None, fresh: bool = False) -> pd.DataFrame:
    """Solve a network under many scenarios.

    Parameters
    ----------
    network : Network
    parameters : mapping, optional
        Address -> values; every combination is a scenario (a full grid). Addresses as
        in `netopt.scenarios`: ``"sources.marginal_cost[grid_yrd]"``,
        ``"settings.carbon_price"``; values are numbers or ``"*factor"``.
    scenarios : iterable of mappings, optional
        An explicit list of scenarios (address -> value) instead of, or after, the grid.
    metrics : mapping, optional
        Name -> function of a `Result` returning a number, recorded for each scenario.
    solver : str
        ``highs`` (default) reuses one model per worker with warm starts.
    processes : int, optional
        Local worker processes (default: CPU count; 1 runs in this process).
    scheduler : str or distributed.Client, optional
        A Dask scheduler address (``tcp://host:port``) or client: run there instead.
    out : path, optional
        A JSON-lines file: each finished scenario is appended at once, so an interrupted
        sweep loses none; a rerun skips scenarios already in the file. Every record
        carries what determines it (a hash of the network's tables and settings, the
        solver, ``time_limit``, netopt's version): a file written by another sweep is
        refused (`SweepFileError`), as is a line that is not a record; an unfinished
        last line (a killed writer) is dropped with a warning and solved again. Rows
        lacking a requested metric are solved again.
    progress : bool
        Show a progress bar (tqdm) on stderr (off by default: a library call prints
        nothing unless asked; ``netopt sweep`` turns it on).
    reuse : bool
        Reuse the assembled model (default); false solves each scenario from scratch.
    time_limit : float, optional
        Seconds per solve.
    fresh : bool
        Start ``out`` anew: an existing file is renamed to ``<out>.1`` (or ``.2``, ...),
        never deleted.

    Returns
    -------
    DataFrame
        One row per scenario: the parameter values, status, objective, cost parts,
        emissions, unserved, data and power moved, ``west_share:<class>``, the metrics,
        ``error`` (empty unless the scenario failed) and ``seconds``.

    Raises
    ------
    SweepFileError
        If ``out`` holds another sweep's results or a line that is not a record.
    SystemExit
        With code 143 on SIGTERM while local worker processes run (after ending them),
        unless the program installed its own SIGTERM handler. On SIGINT the usual
        KeyboardInterrupt, also after ending them.

    Examples
    --------
    >>> import netopt
    >>> df = sweep(netopt.load("toy"), {"power_lines.capacity_mw[uhv]": [0, 50, 100]},
    ...            processes=1, progress=False)
    >>> df["objective"].is_monotonic_decreasing
    True
    """
    todo = (grid(parameters) if parameters else []) + [dict(s) for s in (scenarios or [])]
    if not todo:
        raise ScenarioError("no scenarios: give parameters or scenarios")
    for s in todo:
        for k in s:
            parse_address(str(k))
    done: dict[str, dict] = {}
    made_by = _made_by(network, solver, time_limit) if out is not None else {}
    if out is not None and Path(out).exists():
        if fresh:
            aside = _aside(Path(out))
            Path(out).rename(aside)
            log.warning("moved %s aside to %s; starting anew", out, aside)
        else:
            done = _read_out(Path(out), made_by)
    # a row recorded without a metric asked for now is solved again
    done = {k: r for k, r in done.items() if all(m in r for m in (metrics or {}))}
    pending = [(i, s) for i, s in enumerate(todo) if _key(s) not in done]
    rows: dict[int, dict] = {}
    for i, s in enumerate(todo):
        if _key(s) in done:
            rows[i] = {**done[_key(s)], "scenario": i}

    sink = open(out, "a", encoding="utf-8") if out is not None else None

    def record(row):
        rows[row["scenario"]] = row
        if sink is not None:
            sink.write(json.dumps({"key": _key(todo[row["scenario"]]), "run": made_by,
                                   "row": row}, default=_plain) + "\n")
            sink.flush()
            os.fsync(sink.fileno())
        bar.update(1)

    from tqdm import tqdm
    bar = tqdm(total=len(pending), disable=not progress, file=sys.stderr, unit="scenario")
    try:
        if not pending:
            pass  # everything was read back from `out`
        elif scheduler is not None:
            _run_dask(network, pending, scheduler, solver, reuse, time_limit, metrics, record)
        elif processes == 1 or len(pending) == 1:
            runner = ScenarioRunner(network, solver, reuse, time_limit)
            for i, s in pending:
                record(_row(runner, i, s, metrics))
        else:
            _run_processes(network, pending, processes, solver, reuse, time_limit, metrics,
                           record)
    except (KeyboardInterrupt, _Terminated) as exc:
        name = "SIGINT" if isinstance(exc, KeyboardInterrupt) else "SIGTERM"
        kept = f"; {len(rows)} of {len(todo)} scenarios are in {out}, a rerun resumes" \
            if out is not None else ""
        log.warning("sweep stopped by %s%s", name, kept)
        raise
    finally:
        bar.close()
        if sink is not None:
            sink.close()
    df = pd.DataFrame([rows[i] for i in sorted(rows)])
    df = df.set_index("scenario").reset_index()
    df.attrs["units"] = units_of("sweep", df.columns, network.settings.currency)
    return df


def _plain(v):
    if isinstance(v, (np.floating, np.integer)):
        return v.item()
    return str(v)


def _run_processes(network, pending, processes, solver, reuse, time_limit, metrics, record):
    token = uuid.uuid4().hex
    # fork keeps the network and metric functions (lambdas too) without pickling them
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    workers = min(processes or os.cpu_count() or 1, len(pending))
    restore = _stop_on_sigterm()  # before the fork: workers inherit it, then reset it
    try:
        pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_process,
                                   initargs=(token, network, solver, reuse, time_limit,
                                             metrics, os.getpid()))
        try:
            futures = [pool.submit(_process_task, token, i, s) for i, s in pending]
            for fut in as_completed(futures):
                record(fut.result())
        except BaseException:
            end_workers(pool)  # not `with`: its exit would wait for every pending task
            raise
        pool.shutdown(wait=True)
    finally:
        restore()


class _Terminated(SystemExit):
    """SIGTERM arrived while workers ran; exits 143 like the default action would."""


def _stop_on_sigterm() -> Callable[[], None]:
    """Turn SIGTERM into `_Terminated` so the workers can be ended; returns the undo.

    Left alone off the main thread and when the program has its own SIGTERM handler.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL):
        return lambda: None

    def on_term(signum, frame):
        raise _Terminated(128 + signum)
    signal.signal(signal.SIGTERM, on_term)
    return lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run_dask(network, pending, scheduler, solver, reuse, time_limit, metrics, record):
    with dask_client(scheduler) as client:
        from distributed import as_completed as dask_completed
        token = uuid.uuid4().hex
        # hash=False: a content-hashed key is shared with other clients that scattered
        # the same network, and one of them releasing it cancels our tasks.
        net = client.scatter(network, broadcast=True, hash=False)
        futures = [client.submit(_dask_task, token, net, solver, reuse, time_limit,
                                 metrics, i, s, pure=False) for i, s in pending]
        for fut in dask_completed(futures):
            record(fut.result())
