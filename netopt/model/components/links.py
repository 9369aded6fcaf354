"""Backbone links: bandwidth per link and direction used by the routes of placed work;
links may be widened.

Variable ``link_build[l]``; constraint (4) ``bandwidth`` per finite link and direction;
cost term (C4) capital (docs/model.md). Data transport's cost per TB is a placement
cost (C1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...data.network import Network
from ..assembly import Fill, Model

__all__ = ["TB_PER_GBPS_HOUR", "structure", "add_build_variables", "add_constraints",
           "fill"]

#: 1 Gbps for one hour carries 0.45 TB (3600 s x 1e9 bit / 8 / 1e12).
TB_PER_GBPS_HOUR = 0.45


def structure(net: Network) -> tuple:
    ld = net.link_data
    return (tuple(ld["max_bandwidth_gbps"].notna()), tuple(ld.index), tuple(ld["from"]),
            tuple(ld["to"]), tuple(ld["latency_ms"]),
            tuple(np.isfinite(ld["bandwidth_gbps"].to_numpy())))


def _uses(m: Model) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each (option, link, direction) an option's route crosses on a finite link, and
    the (link, direction) keys of the bandwidth rows, sorted."""
    bw = m.net.link_data["bandwidth_gbps"]
    hops = m.routes.hops
    lim = hops[hops["link"].isin(bw.index[np.isfinite(bw.to_numpy())])]
    use = pd.DataFrame({"option": np.arange(m.O),
                        "route": m.options["route"].to_numpy()}).merge(lim, on="route")
    keys = (use[["link", "direction"]].drop_duplicates().sort_values(["link", "direction"])
            .reset_index(drop=True))
    return use, keys


def add_build_variables(m: Model) -> None:
    use, keys = m.memo("link_uses", _uses)
    m.bandwidth_keys = keys
    grow = m.net.link_data["max_bandwidth_gbps"].notna()
    m.add_once("link_build", pd.DataFrame(
        {"link": pd.Index(keys["link"][keys["link"].isin(grow.index[grow])].unique())}))


def add_constraints(m: Model) -> None:
    # (4) bandwidth: sum_{o uses (l,d)} delta_k / 0.45 x[o, t] - link_build[l] <= B_l
    (use, keys), build = m.memo("link_uses", _uses), m.var("link_build")
    L = len(keys)
    row = (pd.MultiIndex.from_frame(keys).get_indexer(
        pd.MultiIndex.from_frame(use[["link", "direction"]])) if L
        else np.zeros(0, dtype=np.int64))
    option = use["option"].to_numpy(dtype=np.int64)
    delta = m.net.classes["data_intensity_tb_per_mwh"].loc[m.options["class"]].to_numpy()
    grows = np.flatnonzero(keys["link"].isin(build.labels["link"]).to_numpy())
    labels = pd.DataFrame({"link": np.tile(keys["link"].to_numpy(dtype=object), m.T),
                           "direction": np.tile(keys["direction"].to_numpy(), m.T),
                           "period": np.repeat(m.periods.to_numpy(dtype=object), L)})
    m.add_constraint("bandwidth", labels, [
        m.sum_options(row, L, (delta / TB_PER_GBPS_HOUR)[option], items=option),
        m.every_period(build, grows, L, -1.0, items=pd.Index(build.labels["link"])
                       .get_indexer(keys["link"].to_numpy()[grows]))],
        -np.inf, 0, shortfall=("bandwidth_shortfall", -1.0))


def fill(v: Fill) -> None:
    ld = v.net.link_data
    # (C4) annualised capital per Gbps added, up to max_bandwidth_gbps
    lab = v.var("link_build").labels["link"]
    v.cost("link_build", v.net.annual_capex["backbone_links"].loc[lab].to_numpy() / 8760)
    v.upper("link_build",
            (ld.loc[lab, "max_bandwidth_gbps"] - ld.loc[lab, "bandwidth_gbps"]).to_numpy())
    v.bounds("bandwidth", -np.inf,
             np.tile(ld["bandwidth_gbps"].reindex(v.f.bandwidth_keys["link"]).to_numpy(), v.T))
