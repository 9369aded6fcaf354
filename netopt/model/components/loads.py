"""Electric loads: power taken at a node that is not computing (a receiving grid's own
demand, a factory), given in MW per period.

A load is a right-hand side of the power balance (6): what the other components inject
at node n in period t must cover ``L[n, t]``. In elastic mode a variable
``shed[n, t]`` (MW, at most ``L[n, t]``) lets part of it go unsupplied at the load's
value of lost load, cost term (C7) (docs/model.md, "Electric loads").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...data.network import Network
from ..assembly import Fill, Model

__all__ = ["structure", "add_variables", "power_nodes", "power_terms", "fill"]


def _nodes(net: Network) -> np.ndarray:
    return net.loads_by_period["node"].drop_duplicates().to_numpy(dtype=object)


def structure(net: Network) -> tuple:
    return tuple(_nodes(net))


def add_variables(m: Model) -> None:
    if m.allow_unserved and len(m.net.loads_by_period):
        m.add_per_period("shed", _nodes(m.net), "node")


def power_nodes(m: Model) -> list[np.ndarray]:
    return [_nodes(m.net)]


def power_terms(m: Model) -> list:
    # (6e) shed load counts as supplied: sum(injections) + shed[n, t] = L[n, t]
    return [m.at_nodes(m.var("shed"), _nodes(m.net))] if m.has("shed") else []


def fill(v: Fill) -> None:
    lbp = v.net.loads_by_period
    if not len(lbp):
        return
    nodes = _nodes(v.net)
    # loads_by_period is node-major; the balance and shed are period-major
    mw = lbp["mw"].to_numpy().reshape(len(nodes), v.T).T
    voll = lbp["value_of_lost_load"].to_numpy().reshape(len(nodes), v.T).T
    blk = v.row("balance")
    n_nodes = blk.size // v.T
    rows = blk.labels["node"].to_numpy()[:n_nodes]
    col = pd.Index(rows).get_indexer(nodes)
    if (col < 0).any():  # power_nodes put every load node in the balance
        raise AssertionError(f"load nodes without a balance row: {nodes[col < 0]}")
    r = blk.start + (np.arange(v.T)[:, None] * n_nodes + col[None, :])
    # (6) the balance at a node with load: injections (+ shed) = L[n, t]
    v.row_lower[r] = mw
    v.row_upper[r] = mw
    if "shed" in v.lp.variables:
        # (B4) 0 <= shed[n, t] <= L[n, t]; (C7) value of lost load per MWh shed
        v.upper("shed", mw.ravel())
        v.cost("shed", (v.scale[:, None] * voll).ravel(), phase_one=True)
