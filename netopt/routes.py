"""Candidate data routes: the m lowest-latency simple paths from each origin to each site.

Paths come from networkx (`single_source_dijkstra` for m = 1, Yen's
`shortest_simple_paths` otherwise). Parallel fibre links between the same two nodes are
kept apart by routing the second and later ones through a virtual midpoint, because
`shortest_simple_paths` does not take multigraphs.
"""

from __future__ import annotations

from itertools import islice
from typing import Iterable

import networkx as nx
import numpy as np
import pandas as pd

__all__ = ["routing_graph", "candidate_routes", "ROUTE_COLUMNS"]

ROUTE_COLUMNS = ["origin", "node", "rank", "path", "links", "directions", "latency_ms",
                 "cost_per_tb"]


def routing_graph(link_data: pd.DataFrame) -> nx.Graph:
    """A simple graph of the backbone, weighted by ``latency``.

    Parameters
    ----------
    link_data : DataFrame
        Backbone links indexed by id with resolved ``from``, ``to``, ``latency_ms`` and
        ``cost_per_tb`` (`Network.link_data`).
    """
    g = nx.Graph()
    cols = ["from", "to", "latency_ms", "cost_per_tb"]
    for lid, u, v, lat, cost in link_data[cols].itertuples():
        if g.has_edge(u, v):
            mid = ("via", lid)
            g.add_edge(u, mid, latency=lat, link=lid)
            g.add_edge(mid, v, latency=0.0, link=lid)
        else:
            g.add_edge(u, v, latency=lat, link=lid)
    return g


def _unfold(g: nx.Graph, path: list, link_from: dict) -> tuple[tuple, tuple, tuple]:
    """Real nodes, link ids and directions (+1 along from->to, -1 against) of a path."""
    nodes = tuple(n for n in path if not (isinstance(n, tuple) and n[:1] == ("via",)))
    links, dirs = [], []
    last_real = path[0]
    for a, b in zip(path[:-1], path[1:]):
        if isinstance(b, tuple) and b[:1] == ("via",):
            continue  # the link is recorded on the edge leaving the midpoint
        lid = g[a][b]["link"]
        links.append(lid)
        dirs.append(1 if link_from[lid] == last_real else -1)
        last_real = b
    return nodes, tuple(links), tuple(dirs)


def candidate_routes(link_data: pd.DataFrame, origins: dict, targets: Iterable,
                     per_pair: int) -> pd.DataFrame:
    """The ``per_pair`` lowest-latency simple paths from each origin to each target.

    Parameters
    ----------
    link_data : DataFrame
        Resolved backbone links (`Network.link_data`).
    origins : dict
        Origin node -> latency cut-off in ms (``inf`` for none): paths slower than the
        cut-off are dropped.
    targets : iterable
        Nodes with data-centre sites.
    per_pair : int
        m, the number of paths kept per origin-target pair.

    Returns
    -------
    DataFrame
        One row per route: ``origin``, ``node`` (target), ``rank`` (0 = fastest),
        ``path`` (tuple of nodes), ``links`` (tuple of link ids), ``directions``,
        ``latency_ms`` and ``cost_per_tb``. A target at the origin itself has one empty
        route of zero latency and cost.

    Examples
    --------
    >>> links = pd.DataFrame({"from": ["a", "b"], "to": ["b", "c"],
    ...                       "latency_ms": [1.0, 2.0], "cost_per_tb": [5.0, 7.0]},
    ...                      index=pd.Index(["ab", "bc"], name="id"))
    >>> r = candidate_routes(links, {"a": float("inf")}, ["a", "c"], per_pair=2)
    >>> r[["node", "path", "latency_ms", "cost_per_tb"]].to_dict("records")
    [{'node': 'a', 'path': ('a',), 'latency_ms': 0.0, 'cost_per_tb': 0.0}, \
{'node': 'c', 'path': ('a', 'b', 'c'), 'latency_ms': 3.0, 'cost_per_tb': 12.0}]
    """
    g = routing_graph(link_data)
    link_from = link_data["from"].to_dict()
    link_cost = link_data["cost_per_tb"].to_dict()
    link_lat = link_data["latency_ms"].to_dict()
    targets = set(targets)
    rows = []
    for origin, cutoff in origins.items():
        cut = None if np.isinf(cutoff) else float(cutoff)
        if origin in targets:
            rows.append((origin, origin, 0, (origin,), (), (), 0.0, 0.0))
        if origin not in g:
            continue
        # One search per origin finds every reachable target and the fastest path to it.
        dist, paths = nx.single_source_dijkstra(g, origin, cutoff=cut, weight="latency")
        for target in targets.intersection(dist):
            if target == origin:
                continue
            if per_pair == 1:
                found = [paths[target]]
            else:
                found = islice(nx.shortest_simple_paths(g, origin, target, weight="latency"),
                               per_pair)
            for rank, path in enumerate(found):
                nodes, links, dirs = _unfold(g, path, link_from)
                lat = float(sum(link_lat[lk] for lk in links))
                if cut is not None and lat > cut * (1 + 1e-12):
                    break
                rows.append((origin, target, rank, nodes, links, dirs, lat,
                             float(sum(link_cost[lk] for lk in links))))
    return pd.DataFrame(rows, columns=ROUTE_COLUMNS)
