"""Power lines: power sent into each line direction (arc), of which a share eta
arrives; lines may be widened.

Variables ``f[a, t]`` and ``line_build[l]``; constraint (5) ``line_capacity`` for
expandable lines (others keep a plain bound on f); cost terms (C3) tariffs and (C4)
capital; power terms (6c) (docs/model.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...data.network import Network
from ..assembly import Fill, Model

__all__ = ["structure", "add_variables", "add_build_variables", "add_constraints",
           "power_nodes", "power_terms", "fill"]


def structure(net: Network) -> tuple:
    arcs = net.power_arcs
    return (tuple(net.power_lines["max_capacity_mw"].notna()), tuple(arcs.index),
            tuple(arcs["from"]), tuple(arcs["to"]), tuple(arcs["efficiency"]))


def _grow_lines(net: Network) -> pd.Index:
    lines = net.power_lines
    return lines.index[lines["max_capacity_mw"].notna().to_numpy()]


def add_variables(m: Model) -> None:
    m.add_per_period("f", m.net.power_arcs.index.to_numpy(), "arc")


def add_build_variables(m: Model) -> None:
    m.add_once("line_build", pd.DataFrame({"line": _grow_lines(m.net)}))


def add_constraints(m: Model) -> None:
    # (5) line_capacity, expandable lines: f[a, t] - line_build[l(a)] <= F_l
    arcs, grow = m.net.power_arcs, _grow_lines(m.net)
    ga = np.flatnonzero(arcs["line"].isin(grow).to_numpy())
    n = len(ga)
    m.add_constraint("line_capacity", m.labels(arcs.index.to_numpy()[ga], "arc"), [
        m.each_period(m.var("f"), np.arange(n), n, items=ga),
        m.every_period(m.var("line_build"), np.arange(n), n, -1.0,
                       items=grow.get_indexer(arcs["line"].to_numpy()[ga]))],
        -np.inf, 0)


def power_nodes(m: Model) -> list[np.ndarray]:
    arcs = m.net.power_arcs
    return [arcs["from"].to_numpy(dtype=object), arcs["to"].to_numpy(dtype=object)]


def power_terms(m: Model) -> list:
    # (6c) an arc takes f[a, t] from its sending node and delivers eta_a f[a, t]
    arcs, f = m.net.power_arcs, m.var("f")
    return [m.at_nodes(f, arcs["from"], -1.0),
            m.at_nodes(f, arcs["to"], arcs["efficiency"].to_numpy())]


def fill(v: Fill) -> None:
    net, arcs, lines = v.net, v.net.power_arcs, v.net.power_lines
    grows = arcs["line"].map(lines["max_capacity_mw"].notna()).to_numpy(dtype=bool)
    # (C3) tariff per MWh sent; (B2) f <= capacity unless the line may grow (then (5))
    v.cost_per_mwh("f", arcs["tariff"].to_numpy())
    v.upper("f", np.tile(np.where(grows, np.inf, arcs["capacity_mw"].to_numpy()), v.T))
    # (C4) annualised capital per MW added, up to max_capacity_mw
    lab = v.var("line_build").labels["line"]
    v.cost("line_build", net.annual_capex["power_lines"].loc[lab].to_numpy() / 8760)
    v.upper("line_build",
            (lines.loc[lab, "max_capacity_mw"] - lines.loc[lab, "capacity_mw"]).to_numpy())
    blk = v.row("line_capacity")
    v.bounds("line_capacity", -np.inf, arcs["capacity_mw"].reindex(blk.labels["arc"]).to_numpy())
