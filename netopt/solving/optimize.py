"""`solve`: network -> formulation -> solver -> `Result`."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from .diagnosis import diagnose, explain
from ..errors import InfeasibleError
from ..model.formulation import formulate
from ..data.network import Network
from .results import Result
from .solvers import Status, solve_lp, write_lp
from .windows import DECOMPOSE, CoupledError, plan, solve_windows
from ..errors import NetoptError

__all__ = ["solve"]

log = logging.getLogger("netopt")
_LARGE = 200_000  # columns from which solve() says what it is doing


def solve(network: Network, solver: str = "highs", *, allow_unserved: bool | None = None,
          routes_per_pair: int | None = None, time_limit: float | None = None,
          mip_gap: float = 1e-6, write_lp_to: str | Path | None = None,
          options: dict | None = None, method: str = "auto", decompose: str = "auto",
          processes: int | None = None, scheduler=None) -> Result:
    """Place every workload so that data, electricity, carbon and tariff cost is least.

    Parameters
    ----------
    network : Network
    solver : str
        ``"highs"`` (in process, default), ``"cbc"`` (through PuLP), or any solver name
        PuLP knows.
    allow_unserved : bool, optional
        Elastic mode: demand may go unserved at the value of lost load. Default from the
        network's settings (true unless ``allow_unserved: false``).
    routes_per_pair : int, optional
        Candidate routes per origin-site pair; default from the settings.
    time_limit : float, optional
        Seconds for the solver.
    mip_gap : float
        With candidate sites (open/close), the relative gap at which the MIP stops as
        optimal. A MIP stopped by its time limit reports its best plan as
        ``partial_objective`` with the bound and the gap.
    write_lp_to : path, optional
        Also write the LP (``.lp``) or MPS (``.mps``) file there before solving.
    options : dict, optional
        Solver options (HiGHS option names, or PuLP solver keyword arguments).
    method : str
        HiGHS's LP method: ``"auto"`` (default: chosen by size and structure, see
        `netopt.solvers.choose_method`), ``"dual"``, ``"primal"``, ``"simplex"``,
        ``"ipm"``, ``"pdlp"``, ``"hipo"`` (where the HiGHS build has it) or ``"choose"``
        (HiGHS's own default). The one used is ``result.method``.
    decompose : str
        ``"auto"`` (default), ``"windows"`` or ``"monolithic"``. By windows, each window
        of periods is solved as its own LP (one window model refilled and warm-started
        per window; `netopt.solving.windows`) and the windows are stitched into the same
        `Result` as the monolithic solve. It needs windows that nothing spans (no
        build-out free to vary); ``"auto"`` decomposes when there are two windows or
        more, nothing couples them and the LP is large (`windows.AUTO_MIN_COLUMNS`).
        The one that ran is ``result.decompose`` (and in the summary). HiGHS only.
    processes : int, optional
        By windows: solve them on this many local processes (default: in this process).
    scheduler : str or distributed.Client, optional
        By windows: solve them on a Dask cluster (a scheduler address or a client).

    Returns
    -------
    Result
        Check ``result.status``: only an optimal result carries numbers.

    Raises
    ------
    SolverError
        If the solver is unknown or not installed.
    CoupledError
        With ``decompose="windows"`` on a model whose windows are coupled (build-out
        free to vary) or with a single window (a `ValueError`).
    InfeasibleError
        In strict mode, when no plan meets every demand; its ``diagnosis`` DataFrame
        says which site capacity, bandwidth or power is short, by how much, and for
        which demand (see `diagnose`).

    Examples
    --------
    >>> import netopt
    >>> result = netopt.solve(netopt.load("toy"))
    >>> str(result.status), round(result.objective)
    ('optimal', 575137800)
    """
    t0 = time.perf_counter()
    if decompose != "monolithic" and solver.lower() == "highs" and write_lp_to is None:
        p = plan(network, decompose, allow_unserved=allow_unserved,
                 routes_per_pair=routes_per_pair, options=options, method=method,
                 time_limit=time_limit)
        if p.decompose:
            f, out = solve_windows(network, p, processes=processes, scheduler=scheduler)
            result = Result(network, f, out)
            result.decompose = "windows"
            if out.status is Status.INFEASIBLE and not f.allow_unserved:
                diagnosis = diagnose(network, routes_per_pair=routes_per_pair)
                raise InfeasibleError(explain(diagnosis), diagnosis, result)
            return result
    elif decompose == "windows":
        raise CoupledError("decompose='windows' solves with HiGHS in process and writes no "
                           "LP file (the monolithic LP is never assembled)")
    elif decompose not in DECOMPOSE:
        raise NetoptError(f"unknown decompose {decompose!r}; use one of "
                          f"{', '.join(DECOMPOSE)}")
    f = formulate(network, allow_unserved=allow_unserved, routes_per_pair=routes_per_pair)
    rows, cols = f.lp.shape
    if cols >= _LARGE:
        log.info("built an LP of %s rows x %s columns in %.1f s; solving with %s ...",
                 f"{rows:,}", f"{cols:,}", time.perf_counter() - t0, solver)
    if write_lp_to is not None:
        write_lp(f.lp, write_lp_to)
    out = solve_lp(f.lp, solver, time_limit=time_limit, mip_gap=mip_gap, options=options,
                   method=method)
    if cols >= _LARGE:
        log.info("solver finished in %.1f s: %s", out.seconds, out.status)
    result = Result(network, f, out)
    if out.status is Status.INFEASIBLE and not f.allow_unserved:
        diagnosis = diagnose(network, routes_per_pair=routes_per_pair)
        raise InfeasibleError(explain(diagnosis), diagnosis, result)
    return result
