"""Two-way sensitivity of the move-data-or-move-power answer.

`two_way` solves a grid over two inputs (any addresses of `netopt.scenarios`) and
records, for each workload class, the share of one region's computing that runs in the
other (by default: eastern demand served in the west). `netopt.plot.two_way_chart`
draws it as one small map per class, so a planner sees where each class flips.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Sequence

import pandas as pd

from ..data.network import Network
from ..solving.results import Result
from .sweep import sweep

__all__ = ["away_share", "two_way"]


def away_share(result: Result, cls: str, origin_region: str = "east",
               site_region: str = "west") -> float:
    """Share of ``cls``'s IT energy from ``origin_region`` origins served at sites in
    ``site_region`` (NaN where that demand is nil)."""
    pl = result.placement
    region = result.network.nodes["region"]
    origin = pl.index.get_level_values("origin")
    mine = pl[(pl.index.get_level_values("class") == cls)
              & (region.loc[origin].to_numpy() == origin_region)]
    total = float(mine["mwh_it"].sum())
    if total <= 0:
        return float("nan")
    away = region.loc[mine["node"]].to_numpy() == site_region
    return float(mine.loc[away, "mwh_it"].sum()) / total


def two_way(network: Network, x: tuple[str, Sequence[Any]], y: tuple[str, Sequence[Any]],
            *, origin_region: str = "east", site_region: str = "west",
            processes: int | None = 1, progress: bool = False) -> pd.DataFrame:
    """Solve every combination of two inputs and record where each class runs.

    Parameters
    ----------
    network : Network
    x, y : (address, values)
        The two inputs, e.g. ``("settings.data_cost_per_tb_km", [0.0075, 0.015, 0.03])``
        and ``("sites.capex_per_mw[id=wuhu|shaoguan]", [3e7, 5e7])``; values are numbers
        or ``"*factor"`` as in `netopt.sweep`.
    origin_region, site_region : str
        Count demand from ``origin_region`` served at sites in ``site_region``.
    processes : int, optional
        Local worker processes (default 1: in this process).
    progress : bool
        Show a progress bar.

    Returns
    -------
    DataFrame
        One row per grid point: the two addresses, status, objective, and
        ``share:<class>`` for every class (0 to 1).

    Examples
    --------
    >>> import netopt
    >>> t = two_way(netopt.load("toy"), ("backbone_links.cost_per_tb", [1, 500]),
    ...             ("sources.marginal_cost[grid_east]", [400, 700]))
    >>> t["share:archive"].round(2).tolist()   # archive moves west only if data is cheap
    [1.0, 1.0, 0.0, 0.0]
    """
    metrics = {f"share:{k}": partial(away_share, cls=k, origin_region=origin_region,
                                     site_region=site_region)
               for k in network.classes.index}
    table = sweep(network, {x[0]: list(x[1]), y[0]: list(y[1])}, metrics=metrics,
                  processes=processes, progress=progress)
    keep = [x[0], y[0], "status", "objective", *metrics]
    return table[keep]
