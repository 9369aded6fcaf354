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

__all__ = ["solve"]

log = logging.getLogger("netopt")
_LARGE = 200_000  # columns from which solve() says what it is doing


def solve(network: Network, solver: str = "highs", *, allow_unserved: bool | None = None,
          routes_per_pair: int | None = None, time_limit: float | None = None,
          mip_gap: float = 1e-6, write_lp_to: str | Path | None = None,
          options: dict | None = None, method: str = "auto") -> Result:
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

    Returns
    -------
    Result
        Check ``result.status``: only an optimal result carries numbers.

    Raises
    ------
    SolverError
        If the solver is unknown or not installed.
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
