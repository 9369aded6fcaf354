"""Power sources: generation, at most capacity x availability.

Variable ``g[j, t]``; cost term (C2) electricity and carbon; power term (6b): a source
injects g at its node (docs/model.md).
"""

from __future__ import annotations

import numpy as np

from ...data.network import Network
from ..assembly import Fill, Model

__all__ = ["structure", "add_variables", "power_nodes", "power_terms", "fill"]


def structure(net: Network) -> tuple:
    return tuple(net.sources.index), tuple(net.sources["node"])


def add_variables(m: Model) -> None:
    m.add_per_period("g", m.net.sources.index.to_numpy(), "source")


def power_nodes(m: Model) -> list[np.ndarray]:
    return [m.net.sources["node"].to_numpy(dtype=object)]


def power_terms(m: Model) -> list:
    # (6b) a source injects g[j, t] at its node
    return [m.at_nodes(m.var("g"), m.net.sources["node"])]


def fill(v: Fill) -> None:
    net, src, s = v.net, v.net.sources, v.net.settings
    # (C2) marginal cost + carbon price x emissions, per MWh generated
    unit = src["marginal_cost"].to_numpy() + s.carbon_price * src["emissions"].to_numpy()
    # (B1) g <= capacity x availability; unlimited x unavailable would be inf x 0 = NaN
    # (and a numpy warning): multiply only where the source is available at all
    avail = net.availability_matrix.loc[src.index, v.periods].to_numpy().T  # T x J
    on = avail > 0
    upper = np.zeros(avail.shape)
    upper[on] = np.broadcast_to(src["capacity_mw"].to_numpy(), avail.shape)[on] * avail[on]
    v.cost_per_mwh("g", unit)
    v.upper("g", upper.ravel())
