"""Build-out over a year of hours, in two steps (issue #12, item 2).

A year of hours with build-out free to vary is one LP over all 8760 hours: the build-out
couples every day. Two steps make it tractable: **design** on typical days (a few
representative days weighted to the year: `netopt aggregate`), then **operate** the
full year with that build-out fixed, window by window (`netopt.solving.windows`). The
design's cost on the full year (operation by windows plus the design's capital) is what
the plan really costs; the typical-day optimum is only an estimate of it. A **lower
bound** on the year's true optimum shows the gap: the monolithic year LP with the
build-out free where it fits (``bound="monolithic"``, or ``"auto"`` up to
`MONOLITHIC_MAX_COLUMNS`); its LP relaxation bound when it is a MIP (candidate sites).
The typical-day optimum is no bound: typical days average the year's peaks away, so it
may lie below or above the year's optimum.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..data.network import Network
from ..solving.optimize import solve
from ..solving.results import Result
from ..solving.windows import fix_buildout

__all__ = ["YearDesign", "design_year", "MONOLITHIC_MAX_COLUMNS"]

#: ``bound="auto"`` solves the year whole (for the lower bound) up to this many columns
#: of its LP (estimated as the typical-day LP's columns per hour x the year's hours).
MONOLITHIC_MAX_COLUMNS = 2_000_000


@dataclass
class YearDesign:
    """A design on typical days, evaluated on the year.

    Attributes
    ----------
    design : Result
        The typical-day solve: its ``builds`` are the design.
    operation : Result
        The year with the design's build-out fixed (by windows where it can).
    estimate : float
        The typical-day optimum (capital and operation), the design step's estimate.
    capital : float
        The design's capital and fixed costs over the year's horizon.
    year_cost : float
        What the design costs on the year: operation + capital.
    lower_bound : float
        A bound below the year's optimum with free build-out (NaN when none was
        solved); ``bound_kind`` says which.
    bound : Result or None
        The monolithic year solve behind the bound, if any.
    """

    design: Result
    operation: Result
    estimate: float
    capital: float
    year_cost: float
    lower_bound: float
    bound_kind: str
    bound: Result | None

    @property
    def gap(self) -> float:
        """(year_cost - lower_bound) / year_cost: how far the design may be from the
        year's optimum at most (NaN without a bound)."""
        return (self.year_cost - self.lower_bound) / abs(self.year_cost)

    def table(self) -> pd.DataFrame:
        """The figures side by side, in the network's currency."""
        cur = self.operation.network.settings.currency
        rows = [("typical-day estimate (design step)", self.estimate),
                ("design on the full year: operation", self.operation.objective),
                ("design on the full year: capital", self.capital),
                ("design on the full year: total", self.year_cost),
                (f"lower bound ({self.bound_kind})", self.lower_bound)]
        return pd.DataFrame(rows, columns=["what", cur]).set_index("what")


def design_year(year: Network, typical: Network, *, bound: str = "auto",
                decompose: str = "auto", processes: int | None = None, scheduler=None,
                **solve_args) -> YearDesign:
    """Design the build-out on typical days, then operate the year with it fixed.

    Parameters
    ----------
    year : Network
        The full horizon (8760 hourly periods, each day a window).
    typical : Network
        The same network over typical days (`netopt aggregate`), weighted to the year.
    bound : str
        ``"auto"`` (the monolithic year LP when it has at most `MONOLITHIC_MAX_COLUMNS`
        columns), ``"monolithic"`` (always) or ``"none"``.
    decompose, processes, scheduler :
        How and where the year's operation runs (`netopt.solve`): by windows when
        ``"auto"`` finds it large enough, always with ``"windows"``.
    **solve_args :
        Passed to every solve (``allow_unserved``, ``routes_per_pair``, ...).

    Returns
    -------
    YearDesign
    """
    if bound not in ("auto", "monolithic", "none"):
        raise ValueError(f"bound must be auto, monolithic or none, not {bound!r}")
    design = solve(typical, **solve_args)
    if not design.ok:
        raise ValueError(f"the typical-day design did not solve: {design.status} "
                         f"({design.message})")
    fixed = fix_buildout(year, design.builds)
    operation = solve(fixed, decompose=decompose, processes=processes, scheduler=scheduler,
                      **solve_args)
    hours_year = float(year.periods["weight_h"].sum())
    hours_typ = float(typical.periods["weight_h"].sum())
    capital = float(design.builds["cost"].sum()) * hours_year / hours_typ
    year_cost = operation.objective + capital
    columns = design.formulation.lp.shape[1] / hours_typ * hours_year
    lower, kind, whole = float("nan"), "none", None
    if bound == "monolithic" or (bound == "auto" and columns <= MONOLITHIC_MAX_COLUMNS):
        whole = solve(year, decompose="monolithic", **solve_args)
        if whole.ok:
            mip = whole.formulation.lp.is_mip
            lower = whole.mip_bound if mip else whole.objective
            kind = "the year solved whole" + (" (its MIP bound)" if mip else "")
    return YearDesign(design, operation, design.objective, capital, year_cost, lower, kind,
                      whole)
