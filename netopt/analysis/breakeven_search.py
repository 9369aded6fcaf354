"""Break-even search: the value of one parameter at which a decision flips (work goes
west, a line is built, ...), found by bisection over scenario solves that share one
assembled model (`netopt.analysis.sweep.ScenarioRunner`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from ..data.network import Network
from ..solving.results import Result
from .scenarios import ScenarioError, parse_address
from .sweep import ScenarioRunner, result_metrics

__all__ = ["BreakEven", "breakeven"]


@dataclass
class BreakEven:
    """Where a decision flips.

    Attributes
    ----------
    value : float
        Midpoint of the final bracket: the break-even within ``tolerance``.
    low, high : float
        The final bracket; the decision is ``decision_low`` at ``low`` and the other
        way at ``high``.
    solves : int
        Number of LP solves it took.
    history : DataFrame
        Each value tried, the decision there and the objective.
    """

    parameter: str
    value: float
    low: float
    high: float
    decision_low: bool
    tolerance: float
    solves: int
    history: pd.DataFrame


_DECIDES = re.compile(r"^\s*(?P<metric>[\w:.\-]+)\s*(?P<op>>=|<=|>|<)\s*(?P<value>[-+.\deE]+)\s*$")


def _decider(decides: str | Callable[[Result], bool]) -> Callable[[Result], bool]:
    if callable(decides):
        return decides
    m = _DECIDES.match(decides)
    if not m:
        raise ScenarioError(f"cannot read the decision '{decides}'; expected METRIC>VALUE, "
                            "e.g. 'west_share:ai_training>0.5'")
    metric, op, value = m["metric"], m["op"], float(m["value"])
    ops = {">": np.greater, "<": np.less, ">=": np.greater_equal, "<=": np.less_equal}

    def fn(result: Result) -> bool:
        row = result_metrics(result)
        if metric not in row:
            raise ScenarioError(f"unknown metric '{metric}'; known: {', '.join(row)}")
        return bool(ops[op](row[metric], value))
    return fn


def breakeven(network: Network, parameter: str, low: float, high: float,
              decides: str | Callable[[Result], bool], *, tol: float = 1e-3,
              max_solves: int = 60, solver: str = "highs") -> BreakEven:
    """The value of ``parameter`` at which a decision flips, by bisection.

    Parameters
    ----------
    network : Network
    parameter : str
        An address naming the value to vary (all rows it selects are set to it), e.g.
        ``"settings.data_cost_per_tb_km"`` or ``"classes.data_intensity_tb_per_mwh[ai]"``.
    low, high : float
        A bracket: the decision must differ at its two ends.
    decides : str or callable
        A function of a `Result` returning True or False, or ``"METRIC>VALUE"`` over the
        metrics of `result_metrics` (e.g. ``"west_share:ai_training>0.5"``).
    tol : float
        Stop when the bracket is narrower than this (absolute, in the parameter's unit).
    max_solves : int
    solver : str

    Returns
    -------
    BreakEven

    Raises
    ------
    ScenarioError
        If the decision is the same at both ends, or a solve is not optimal.
    """
    parse_address(parameter)
    fn = _decider(decides)
    runner = ScenarioRunner(network, solver)
    history = []

    def decide(v):
        r = runner.run({parameter: v})
        if not r.ok:
            raise ScenarioError(f"the solve at {parameter}={v:g} ended '{r.status}'")
        d = fn(r)
        history.append({"value": v, "decision": d, "objective": r.objective})
        return d

    lo_d, hi_d = decide(low), decide(high)
    if lo_d == hi_d:
        raise ScenarioError(f"the decision is {lo_d} at both {low:g} and {high:g}: no "
                            "break-even in that bracket")
    while high - low > tol and len(history) < max_solves:
        mid = 0.5 * (low + high)
        if decide(mid) == lo_d:
            low = mid
        else:
            high = mid
    return BreakEven(parameter, 0.5 * (low + high), low, high, lo_d, tol, len(history),
                     pd.DataFrame(history))
