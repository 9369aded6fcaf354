"""The energy of moving data: the network equipment along a route draws power.

Each backbone link l uses ``e_l = (kwh_per_tb_km_l x length_km_l + kwh_per_tb_hop_l) /
1000`` MWh per TB it carries, drawn half at each of its two end nodes. Placement option
o (class k, route p) then draws ``delta_k x sum_{hops of p} e_l / 2`` MWh per MWh_IT at
each end node of its hops: power term (6d) of the balance (docs/model.md). It has no
variables or costs of its own: the energy is priced, and emits, through the balance (the
sources and lines that supply the node). With no transport energy (the default) it adds
nothing, and the LP is the one without it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...data.network import Network
from ..assembly import Model

__all__ = ["structure", "power_nodes", "power_terms", "route_node_energy",
           "option_node_energy"]


def structure(net: Network) -> tuple:
    ld = net.link_data
    return tuple(ld.index[ld["mwh_per_tb"] > 0]), tuple(ld["mwh_per_tb"][ld["mwh_per_tb"] > 0])


def route_node_energy(link_data: pd.DataFrame, hops: pd.DataFrame) -> pd.DataFrame:
    """MWh drawn at each node per TB sent over each route (half of each hop's energy at
    each of its ends): route, node, mwh_per_tb; only positive entries."""
    e = link_data["mwh_per_tb"].reindex(hops["link"]).to_numpy(dtype=float)
    live = e > 0
    if not live.any():
        return pd.DataFrame({"route": np.zeros(0, np.int64), "node": np.zeros(0, object),
                             "mwh_per_tb": np.zeros(0)})
    h = hops[live]
    links = h["link"].astype(object).to_numpy()
    half = np.tile(e[live] / 2, 2)
    ends = np.concatenate([link_data["from"].reindex(links).to_numpy(dtype=object),
                           link_data["to"].reindex(links).to_numpy(dtype=object)])
    route = np.tile(h["route"].to_numpy(dtype=np.int64), 2)
    return (pd.DataFrame({"route": route, "node": ends, "mwh_per_tb": half})
            .groupby(["route", "node"], as_index=False, sort=True)["mwh_per_tb"].sum())


def option_node_energy(net: Network, options: pd.DataFrame, hops: pd.DataFrame,
                       ) -> pd.DataFrame:
    """MWh drawn at each node per MWh_IT of each option: option (position), node,
    mwh_per_mwh_it = delta_k x the route's MWh per TB at that node."""
    per_route = route_node_energy(net.link_data, hops)
    opt = pd.DataFrame({"option": np.arange(len(options)),
                        "route": options["route"].to_numpy(dtype=np.int64)})
    use = opt.merge(per_route, on="route", sort=False)
    delta = net.classes["data_intensity_tb_per_mwh"].reindex(
        options["class"].to_numpy()[use["option"].to_numpy()]).to_numpy()
    use["mwh_per_mwh_it"] = delta * use["mwh_per_tb"].to_numpy()
    use = use[use["mwh_per_mwh_it"] > 0]
    return use[["option", "node", "mwh_per_mwh_it"]].reset_index(drop=True)


def _draws(m: Model) -> pd.DataFrame:
    return option_node_energy(m.net, m.options, m.routes.hops)


def power_nodes(m: Model) -> list[np.ndarray]:
    """Nodes where moving data draws power (none without transport energy)."""
    return [pd.unique(m.memo("transport_draws", _draws)["node"].to_numpy(dtype=object))]


def power_terms(m: Model) -> list:
    # (6d) option o draws delta_k sum_{hops of p at n} e_l / 2 x[o, t] at node n
    d = m.memo("transport_draws", _draws)
    return [m.at_nodes(m.var("x"), d["node"].to_numpy(dtype=object),
                       -d["mwh_per_mwh_it"].to_numpy(), items=d["option"].to_numpy())]
