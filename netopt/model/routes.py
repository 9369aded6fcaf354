"""Candidate data routes: the m lowest-latency simple paths from each origin to each site.

Routes are kept flat: a table of routes (origin, target node, rank, latency, cost) and a
table of their hops (route, link, direction), so a route shared by many classes and
sites is stored once.

For m = 1, one Dijkstra search per origin runs for all origins at once in
`scipy.sparse.csgraph` (compiled), and paths are rebuilt from the predecessor arrays with
vectorised steps: a 2,000-node backbone takes about a second where networkx's Dijkstra
and a per-hop Python loop took over 30 s. For m > 1, networkx's `shortest_simple_paths`
(Yen's algorithm) runs per origin-target pair. Parallel fibre links between the same two
nodes are kept apart by routing the second and later ones through a virtual midpoint.

Ties: routes are ranked by latency, then cost per TB, then number of links, then link
ids (the route whose last link has the smallest id in natural order, then the one
before it, ...). Latencies or costs within a relative 1e-9 of each other count as
equal. So the routes, and every answer built on them, do not depend on the order of
the links' rows. For m > 1, at most `MAX_TIED` paths tied with the m-th are compared;
beyond that the order of networkx's enumeration over the links sorted by id decides.
"""

from __future__ import annotations

import math
from typing import Iterable, NamedTuple

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from ..data.network import natural_rank

__all__ = ["Routes", "candidate_routes", "routing_graph", "route_paths", "MAX_TIED"]

_EPS = 1e-12  # csgraph drops zero weights: keep zero-latency links as edges
_TIE = 1e-9  # relative (and absolute, in ms or currency/TB) tolerance of a tie
#: For m > 1, paths tied in latency with the m-th that are compared on cost and ids.
MAX_TIED = 200
_CHUNK = 4_000_000  # origin x arc cells per block of the tie check (memory bound)


def _same_or_less(a, b):
    """a <= b up to the tie tolerance."""
    return a <= b + _TIE * (np.abs(b) + 1.0)


class Routes(NamedTuple):
    """Candidate routes.

    ``table``: one row per route — route (id), origin, node (the target), rank (0 =
    fastest), latency_ms, cost_per_tb. A target at the origin itself has one route with
    no hops. ``hops``: one row per link of each route, in order — route, link,
    direction (+1 along the link's from->to, -1 against).
    """

    table: pd.DataFrame
    hops: pd.DataFrame


def routing_graph(link_data: pd.DataFrame) -> nx.Graph:
    """A simple graph of the backbone for networkx, weighted by ``latency``.

    A parallel link is split at a virtual midpoint ``("via", id)``; each half carries
    half its latency and the link id.
    """
    g = nx.Graph()
    # links in id order: which of two parallel links gets the midpoint, and the order
    # networkx meets edges in, must not depend on the order of the rows
    link_data = link_data.iloc[np.argsort(natural_rank(link_data.index), kind="stable")]
    for lid, u, v, lat in link_data[["from", "to", "latency_ms"]].itertuples():
        if g.has_edge(u, v):
            mid = ("via", lid)
            g.add_edge(u, mid, latency=lat / 2, link=lid)
            g.add_edge(mid, v, latency=lat / 2, link=lid)
        else:
            g.add_edge(u, v, latency=lat, link=lid)
    return g


def _table(rows, hops_route, hops_pos, hops_dir, link_data) -> Routes:
    """Routes from hops given as link positions (integers) in ``link_data``."""
    table = pd.DataFrame(rows, columns=["origin", "node", "rank"])
    table.insert(0, "route", np.arange(len(table)))
    pos = np.asarray(hops_pos, dtype=np.int64)
    # compact: tens of millions of hops on a large backbone (4 + 4 + 1 bytes a hop)
    hops = pd.DataFrame({"route": np.asarray(hops_route, dtype=np.int32),
                         "link": pd.Categorical.from_codes(pos.astype(np.int32),
                                                           categories=link_data.index),
                         "direction": np.asarray(hops_dir, dtype=np.int8)})
    lat = link_data["latency_ms"].to_numpy(dtype=float)[pos]
    cost = link_data["cost_per_tb"].to_numpy(dtype=float)[pos]
    r = hops["route"].to_numpy()
    table["latency_ms"] = np.bincount(r, weights=lat, minlength=len(table))
    table["cost_per_tb"] = np.bincount(r, weights=cost, minlength=len(table))
    return Routes(table, hops)


def candidate_routes(link_data: pd.DataFrame, origins: dict, targets: Iterable,
                     per_pair: int) -> Routes:
    """The ``per_pair`` lowest-latency simple paths from each origin to each target.

    Parameters
    ----------
    link_data : DataFrame
        Backbone links indexed by id with resolved ``from``, ``to``, ``latency_ms`` and
        ``cost_per_tb`` (`Network.link_data`).
    origins : dict
        Origin node -> latency cut-off in ms (``inf`` for none): slower paths are dropped.
    targets : iterable
        Nodes with data-centre sites.
    per_pair : int
        m, the number of paths kept per origin-target pair.

    Returns
    -------
    Routes

    Examples
    --------
    >>> links = pd.DataFrame({"from": ["a", "b"], "to": ["b", "c"],
    ...                       "latency_ms": [1.0, 2.0], "cost_per_tb": [5.0, 7.0]},
    ...                      index=pd.Index(["ab", "bc"], name="id"))
    >>> r = candidate_routes(links, {"a": float("inf")}, ["a", "c"], per_pair=2)
    >>> r.table[["node", "latency_ms", "cost_per_tb"]].to_dict("records")
    [{'node': 'a', 'latency_ms': 0.0, 'cost_per_tb': 0.0}, \
{'node': 'c', 'latency_ms': 3.0, 'cost_per_tb': 12.0}]
    >>> list(r.hops["link"])
    ['ab', 'bc']
    """
    targets = list(dict.fromkeys(targets))
    if per_pair == 1:
        return _fastest(link_data, origins, targets)
    return _yen(link_data, origins, targets, per_pair)


def _fastest(link_data, origins: dict, targets: list) -> Routes:
    """m = 1: all origins in one compiled Dijkstra, paths rebuilt vectorised."""
    frm, to = link_data["from"].to_numpy(dtype=object), link_data["to"].to_numpy(dtype=object)
    lat = link_data["latency_ms"].to_numpy(dtype=float)
    names = pd.Index(pd.unique(np.concatenate([frm, to, np.asarray(list(origins), dtype=object),
                                               np.asarray(targets, dtype=object)])))
    N = len(names)
    u, v = names.get_indexer(frm), names.get_indexer(to)
    key = np.minimum(u, v) * N + np.maximum(u, v)
    first = ~pd.Series(key).duplicated().to_numpy()
    # edges: (a, b, weight, link position); parallel links go through a midpoint
    par = np.flatnonzero(~first)
    mid = N + np.arange(len(par))
    ea = np.concatenate([u[first], u[par], mid])
    eb = np.concatenate([v[first], mid, v[par]])
    ew = np.concatenate([lat[first], lat[par] / 2, lat[par] / 2])
    el = np.concatenate([np.flatnonzero(first), par, par])
    M = N + len(par)
    G = sp.csr_matrix((np.maximum(ew, _EPS), (ea, eb)), shape=(M, M))
    # both orientations of each edge, for the hop lookup: key -> (link, direction)
    keys = np.concatenate([ea * M + eb, eb * M + ea])
    order = np.argsort(keys)
    keys = keys[order]
    hop_link = np.concatenate([el, el])[order]
    # direction: +1 when stepping from the link's 'from' side; midpoints sit on 'to' side
    side_a_is_from = np.concatenate([np.ones(first.sum(), bool), np.ones(len(par), bool),
                                     np.zeros(len(par), bool)])
    hop_dir = np.concatenate([np.where(side_a_is_from, 1, -1),
                              np.where(side_a_is_from, -1, 1)])[order]
    hop_real = np.concatenate([np.ones(first.sum(), bool), np.ones(len(par), bool),
                               np.zeros(len(par), bool)] * 2)[order]  # one hop per link

    orig = list(origins)
    oidx = names.get_indexer(orig)
    cut = np.array([origins[o] for o in orig], dtype=float)
    limit = float(np.max(cut)) if len(cut) else np.inf
    dist, pred = dijkstra(G, directed=False, indices=oidx, return_predecessors=True,
                          limit=limit)
    cost = link_data["cost_per_tb"].to_numpy(dtype=float)
    ec = np.concatenate([cost[first], cost[par] / 2, cost[par] / 2])
    eh = np.concatenate([np.ones(first.sum()), np.full(2 * len(par), 0.5)])
    er = natural_rank(link_data.index)[el]
    _break_ties(dist, pred, oidx, M, ea, eb, np.maximum(ew, _EPS), ec, eh, er)
    tidx = names.get_indexer(targets)
    d_t = dist[:, tidx]
    reach = np.isfinite(d_t) & (d_t <= cut[:, None] * (1 + 1e-12))
    oi, tj = np.nonzero(reach)
    rows = [(orig[i], targets[j], 0) for i, j in zip(oi, tj)]
    # walk every route back to its origin at once, one hop per step
    route = np.arange(len(oi))
    cur = tidx[tj]
    home = oidx[oi]
    steps_r, steps_l, steps_d, steps_k = [], [], [], []
    k = 0
    active = cur != home
    while active.any():
        r_, c_ = route[active], cur[active]
        p_ = pred[oi[active], c_]
        pos = np.searchsorted(keys, p_ * M + c_)
        real = hop_real[pos]
        steps_r.append(r_[real])
        steps_l.append(hop_link[pos][real])
        steps_d.append(hop_dir[pos][real])
        steps_k.append(np.full(int(real.sum()), -k))
        cur[active] = p_
        active = cur != home
        k += 1
    if steps_r:
        r_all, l_all, d_all, k_all = (np.concatenate(x) for x in
                                      (steps_r, steps_l, steps_d, steps_k))
        order = np.lexsort((k_all, r_all))  # by route, then from the origin outwards
        r_all, l_all, d_all = r_all[order], l_all[order], d_all[order]
    else:
        r_all = l_all = d_all = np.zeros(0, dtype=np.int64)
    return _table(rows, r_all, l_all, d_all, link_data)


def _break_ties(dist, pred, oidx, M, ea, eb, ew, ec, eh, er) -> None:
    """Re-choose, in place, the predecessors of origins whose shortest-latency tree is
    not unique: least latency, then cost, then links (``eh``: 1 a link, 1/2 a half at a
    midpoint), then the smallest link rank ``er`` on the last hop, and so back.

    Both orientations of each undirected edge (ea, eb) are arcs. An arc a->b is tight
    when dist[a] + w = dist[b] (within `_TIE`); an origin needs the second pass only if
    some node has two tight arcs into it.
    """
    A, B = np.concatenate([ea, eb]), np.concatenate([eb, ea])
    W, C, H, R = (np.concatenate([x, x]) for x in (ew, ec, eh, er))
    rows = max(1, _CHUNK // max(len(A), 1))
    tied = []
    for lo in range(0, len(oidx), rows):
        d = dist[lo:lo + rows]
        tight = np.isfinite(d[:, A]) & _same_or_less(d[:, A] + W, d[:, B])
        i, k = np.nonzero(tight)
        count = np.bincount(i * M + B[k], minlength=len(d) * M).reshape(len(d), M)
        tied.extend(lo + np.flatnonzero((count > 1).any(axis=1)))
    for i in tied:
        d = dist[i]
        on = np.flatnonzero(np.isfinite(d[A]) & _same_or_less(d[A] + W, d[B]))
        dc = dijkstra(sp.csr_matrix((np.maximum(C[on], _EPS), (A[on], B[on])), shape=(M, M)),
                      directed=True, indices=oidx[i])
        on = on[np.isfinite(dc[A[on]]) & _same_or_less(dc[A[on]] + C[on], dc[B[on]])]
        dh = dijkstra(sp.csr_matrix((H[on], (A[on], B[on])), shape=(M, M)), directed=True,
                      indices=oidx[i])
        on = on[np.isfinite(dh[A[on]]) & (dh[A[on]] + H[on] == dh[B[on]])]
        on = on[np.lexsort((R[on], B[on]))]  # by head node, then link rank
        head, first_of = np.unique(B[on], return_index=True)
        pred[i] = -9999
        pred[i, head] = A[on[first_of]]
        pred[i, oidx[i]] = -9999


def _yen(link_data, origins: dict, targets: list, per_pair: int) -> Routes:
    """m > 1: Yen's algorithm per origin-target pair (networkx)."""
    g = routing_graph(link_data)
    link_from = link_data["from"].to_dict()
    link_lat = link_data["latency_ms"].to_dict()
    link_cost = link_data["cost_per_tb"].to_dict()
    link_rank = dict(zip(link_data.index, natural_rank(link_data.index).tolist()))
    link_pos = {lid: i for i, lid in enumerate(link_data.index)}
    target_set = set(targets)
    rows, hr, hl, hd = [], [], [], []
    for origin, cutoff in origins.items():
        cut = None if np.isinf(cutoff) else float(cutoff)
        if origin in target_set:
            rows.append((origin, origin, 0))
        if origin not in g:
            continue
        dist = nx.single_source_dijkstra_path_length(g, origin, cutoff=cut, weight="latency")
        for target in targets:
            if target == origin or target not in dist:
                continue
            found = []  # (latency, cost, links, dirs), in the order networkx yields them
            for path in nx.shortest_simple_paths(g, origin, target, weight="latency"):
                links, dirs, last = [], [], path[0]
                for a, b in zip(path[:-1], path[1:]):
                    lid = g[a][b]["link"]
                    if isinstance(b, tuple) and b[:1] == ("via",):
                        continue  # recorded on the half leaving the midpoint
                    links.append(lid)
                    dirs.append(1 if link_from[lid] == last else -1)
                    last = b
                # exactly rounded sums: the same path has the same latency in any order
                lat = math.fsum(link_lat[x] for x in links)
                if len(found) >= per_pair and not _same_or_less(lat, found[per_pair - 1][0]):
                    break  # slower than the m-th: no later path can tie with it
                found.append((lat, math.fsum(link_cost[x] for x in links), links, dirs))
                if len(found) >= per_pair + MAX_TIED:
                    break
            for rank, (lat, _, links, dirs) in enumerate(_ranked(found, link_rank)[:per_pair]):
                if cut is not None and lat > cut * (1 + 1e-12):
                    break
                n = len(rows)
                rows.append((origin, target, rank))
                hr += [n] * len(links)
                hl += [link_pos[x] for x in links]
                hd += dirs
    return _table(rows, hr, hl, hd, link_data)


def _ranked(found: list, link_rank: dict) -> list:
    """Paths (latency, cost, links, dirs) by latency, then cost (ties within `_TIE`),
    then number of links, then link ranks from the last link back."""
    out, group = [], []

    def flush(group):
        group.sort(key=lambda p: p[1])
        cost_groups, cg = [], []
        for p in group:
            if cg and not _same_or_less(p[1], cg[0][1]):
                cost_groups.append(cg)
                cg = []
            cg.append(p)
        cost_groups.append(cg)
        for cg in cost_groups:
            out.extend(sorted(cg, key=lambda p: (len(p[2]),
                                                 [link_rank[x] for x in reversed(p[2])])))

    for p in sorted(found, key=lambda p: p[0]):
        if group and not _same_or_less(p[0], group[0][0]):
            flush(group)
            group = []
        group.append(p)
    if group:
        flush(group)
    return out


def route_paths(routes: Routes, link_data: pd.DataFrame, which=None) -> pd.Series:
    """Readable paths ``a>b>c`` of the given route ids (default: all)."""
    t = routes.table if which is None else routes.table.set_index("route").loc[
        np.unique(which)].reset_index()
    h = routes.hops[routes.hops["route"].isin(t["route"])]
    nxt = np.where(h["direction"].to_numpy() > 0,
                   link_data["to"].reindex(h["link"]).to_numpy(),
                   link_data["from"].reindex(h["link"]).to_numpy())
    tails = pd.Series(nxt, index=h["route"].to_numpy()).groupby(level=0).agg(">".join)
    out = pd.Series(t["origin"].to_numpy(), index=t["route"].to_numpy(), dtype=object)
    has = out.index.isin(tails.index)
    out[has] = out[has] + ">" + tails.reindex(out.index[has]).to_numpy()
    return out
