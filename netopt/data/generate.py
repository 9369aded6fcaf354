"""Seeded synthetic networks of any size, with parameter ranges of the China instance.

A random backbone over places in a China-sized box (each node joined to its nearest
neighbours, plus a spanning tree so every place is connected), data-centre sites with
grid supply, renewable sources with availability profiles, UHV-like power lines from
renewable nodes to their nearest sites, the five workload classes of china-edwc, and
demand with a daily profile when there are several periods. With ``window=24`` the
periods are grouped into days and AI training and batch analytics are deferrable within
each day (as in china-edwc-seasons), so the horizon can be solved day by day.

Where the ranges come from (each is cited in full in instances/china-edwc/SOURCES.md):

- fibre: 5 µs per km one way, routes 1.4 x great-circle distance; data at 0.015 CNY
  per TB-km (30 CNY/TB over about 2,000 km, an estimate);
- grid supply: provincial large-industry prices 300-720 CNY/MWh (estimates) and
  emission factors 0.1-0.85 t CO2/MWh around the 2022 national average of 0.5703
  (Ministry of Ecology and Environment, 2023);
- UHV lines: tariffs 51.2-68.5 CNY/MWh (NDRC notice 发改办价格〔2021〕958号, 2 Dec
  2021); losses 1 % at the converters plus 2 % per 1,000 km (industry estimates of
  1.5-3 % per 1,000 km);
- workload classes: data intensity and latency limits as estimated for china-edwc
  (its SOURCES.md, classes.csv);
- carbon price 50 CNY/t, a round figure below the national ETS price (97.49 CNY/t at
  the end of 2024, Ministry of Ecology and Environment).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from .network import Network, great_circle_km

__all__ = ["generate"]

# china-edwc's workload classes (estimates): TB per MWh of IT energy, one-way SLA, ms
_CLASSES = [("ai_training", 0.03, np.inf), ("batch_analytics", 1.5, np.inf),
            ("backup_archive", 50.0, np.inf), ("video_cdn", 150.0, 15.0),
            ("interactive", 5.0, 5.0)]


def _profile(kind: str, periods: int, rng: np.random.Generator) -> np.ndarray:
    """Availability in each period: periods are read as hours of a repeating day."""
    hour = np.arange(periods) % 24
    if kind == "solar":
        return np.clip(np.sin(np.pi * (hour - 6) / 12), 0.0, 1.0)
    if kind == "wind":
        walk = np.cumsum(rng.normal(0, 0.15, periods))
        return np.clip(0.45 + 0.25 * np.tanh(walk), 0.05, 1.0)
    season = (np.arange(periods) // 24) % 4  # hydro: wet season is the third quarter
    return np.where(season == 2, 1.0, 0.6)


def generate(nodes: int = 50, *, sites: int | None = None, periods: int = 1,
             classes: int = 5, demand_nodes: int | None = None, neighbours: int = 3,
             routes_per_pair: int = 1, seed: int = 0, feasible: bool = True,
             window: int | None = None) -> Network:
    """A synthetic compute network.

    Parameters
    ----------
    nodes : int
        Places (>= 2).
    sites : int, optional
        Data-centre sites, each at its own node (default: a fifth of the nodes).
    periods : int
        Snapshots, read as consecutive hours of a repeating day; their weights add up to
        8760 h. With more than one, renewables and demand follow daily profiles.
    classes : int
        Workload classes (1-5, from AI training to interactive, as in china-edwc).
    demand_nodes : int, optional
        Origins of demand (default: a third of the nodes).
    neighbours : int
        Fibre links from each node to its nearest neighbours.
    routes_per_pair : int
        m, written to ``network.yaml``.
    seed : int
        The same seed gives the same network.
    feasible : bool
        True (default): enough site capacity for every period's demand, with margin.
        False: capacity for only about 70 % of it, and strict mode (no unserved demand),
        so the network is infeasible.
    window : int, optional
        Group consecutive periods into windows of this many (24: days, named ``d0``,
        ``d1``, ...), and make AI training and batch analytics deferrable within them.
        Default: no windows, nothing deferrable. The random draws are the same either
        way, so only the windows and the deferrable flags differ.

    Returns
    -------
    Network

    Examples
    --------
    >>> net = generate(30, periods=4, seed=1)
    >>> len(net.nodes), len(net.periods), float(net.periods["weight_h"].sum())
    (30, 4, 8760.0)
    """
    if nodes < 2:
        raise ValueError("a network needs at least 2 nodes")
    if not 1 <= classes <= len(_CLASSES):
        raise ValueError(f"classes must be between 1 and {len(_CLASSES)}")
    if window is not None and not 1 <= window <= periods:
        raise ValueError(f"window must be between 1 and the {periods} periods")
    rng = np.random.default_rng(seed)
    n_sites = max(1, min(nodes, sites if sites is not None else nodes // 5))
    n_dem = max(1, min(nodes, demand_nodes if demand_nodes is not None else nodes // 3))
    ids = np.array([f"n{i}" for i in range(nodes)], dtype=object)
    lat, lon = rng.uniform(20, 45, nodes), rng.uniform(90, 125, nodes)
    region = np.where(lon < 110, "west", "east")

    # backbone: k nearest neighbours plus a spanning tree, so every node is connected
    xyz = np.c_[np.cos(np.radians(lat)) * np.cos(np.radians(lon)),
                np.cos(np.radians(lat)) * np.sin(np.radians(lon)), np.sin(np.radians(lat))]
    k = min(neighbours + 1, nodes)
    _, near = cKDTree(xyz).query(xyz, k=k)
    pairs = {tuple(sorted((i, j))) for i in range(nodes) for j in np.atleast_1d(near[i])[1:]}
    g = nx.Graph()
    g.add_nodes_from(range(nodes))
    g.add_weighted_edges_from((i, j, great_circle_km(lat[i], lon[i], lat[j], lon[j]))
                              for i, j in pairs)
    if not nx.is_connected(g):
        comp = [sorted(c)[0] for c in nx.connected_components(g)]
        for a, b in zip(comp[:-1], comp[1:]):
            pairs.add((a, b))
    pairs = sorted(pairs)
    a, b = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    links = pd.DataFrame({"id": [f"l{i}" for i in range(len(pairs))], "from": ids[a],
                          "to": ids[b]})
    latency = great_circle_km(lat[a], lon[a], lat[b], lon[b]) * 1.4 * 0.005

    site_idx = np.sort(rng.choice(nodes, n_sites, replace=False))
    site_tab = pd.DataFrame({"id": [f"dc_{ids[i]}" for i in site_idx], "node": ids[site_idx],
                             "it_capacity_mw": rng.uniform(50, 650, n_sites).round(1),
                             "pue": rng.uniform(1.1, 1.3, n_sites).round(3)})
    # grid supply at every site node (provincial prices and emission factors, estimates)
    grid = pd.DataFrame({"id": [f"grid_{ids[i]}" for i in site_idx], "node": ids[site_idx],
                         "kind": "grid", "capacity_mw": np.inf,
                         "marginal_cost": rng.uniform(300, 720, n_sites).round(1),
                         "emissions": rng.uniform(0.1, 0.85, n_sites).round(4)})
    n_ren = max(1, nodes // 10)
    ren_idx = np.sort(rng.choice(nodes, n_ren, replace=False))
    kinds = rng.choice(["wind", "solar", "hydro"], n_ren)
    ren = pd.DataFrame({"id": [f"{kd}_{ids[i]}" for kd, i in zip(kinds, ren_idx)],
                        "node": ids[ren_idx], "kind": kinds,
                        "capacity_mw": rng.uniform(100, 1200, n_ren).round(1),
                        "marginal_cost": rng.uniform(200, 300, n_ren).round(1),
                        "emissions": 0.0})
    # UHV-like lines from each renewable node to its nearest sites (losses 1.5-3 % per
    # 1000 km plus converters, estimates; tariffs 51.2-68.5 CNY/MWh, NDRC 2021)
    lines = []
    for i, node in zip(ren_idx, ids[ren_idx]):
        d = great_circle_km(lat[i], lon[i], lat[site_idx], lon[site_idx])
        for j in np.argsort(d)[:2]:
            if site_idx[j] == i:
                continue
            length = float(d[j]) * 1.2
            lines.append({"id": f"line_{node}_{ids[site_idx[j]]}", "from": node,
                          "to": ids[site_idx[j]], "capacity_mw": round(rng.uniform(2e3, 1e4)),
                          "efficiency": round(max(0.85, 1 - 0.01 - 0.02 * length / 1000), 4),
                          "tariff": round(rng.uniform(51.2, 68.5), 2), "length_km": round(length, 1)})
    power_lines = pd.DataFrame(lines, columns=["id", "from", "to", "capacity_mw",
                                               "efficiency", "tariff", "length_km"])

    cls = pd.DataFrame(_CLASSES[:classes], columns=["id", "data_intensity_tb_per_mwh",
                                                    "max_latency_ms"])
    per = pd.DataFrame({"id": [f"t{t}" for t in range(periods)],
                        "weight_h": 8760.0 / periods})
    if window is not None:  # days (say) for deferrable work, as in china-edwc-seasons
        per["window"] = [f"d{t // window}" for t in range(periods)]
        cls["deferrable"] = cls["id"].isin(["ai_training", "batch_analytics"])
    avail = []
    if periods > 1:
        for sid, kind in zip(ren["id"], kinds):
            avail.append(pd.DataFrame({"source": sid, "period": per["id"],
                                       "availability": _profile(kind, periods, rng).round(4)}))
    availability = (pd.concat(avail, ignore_index=True) if avail else
                    pd.DataFrame(columns=["source", "period", "availability"]))

    # demand: latency-bound classes only where a site is within their SLA
    origins = np.sort(rng.choice(nodes, n_dem, replace=False))
    lg = nx.Graph()
    lg.add_weighted_edges_from(zip(a, b, latency))
    lg.add_nodes_from(range(nodes))
    site_set = set(site_idx)
    rows, home = [], {}
    for o in origins:
        dist = nx.single_source_dijkstra_path_length(lg, o, weight="weight")
        nearest = min((s for s in site_set if s in dist), key=dist.get, default=None)
        reach = dist[nearest] if nearest is not None else np.inf
        home[ids[o]] = f"dc_{ids[nearest]}" if nearest is not None else None
        for cid, _, sla in _CLASSES[:classes]:
            if reach <= sla:
                rows.append((ids[o], cid, rng.uniform(1, 20)))
    base = pd.DataFrame(rows, columns=["node", "class", "mw_it"])
    if periods > 1:
        hour = np.arange(periods) % 24
        daily = 0.8 + 0.4 * np.clip(np.sin(np.pi * (hour - 8) / 14), 0, 1)
        demand = base.merge(pd.DataFrame({"period": per["id"], "f": daily}), how="cross")
        demand["mw_it"] = (demand["mw_it"] * demand.pop("f")).round(3)
        peak = demand.groupby("period")["mw_it"].sum().max()
    else:
        demand = base.assign(mw_it=base["mw_it"].round(3))
        peak = demand["mw_it"].sum()
    # capacity: 1.5 x peak demand when feasible, 0.7 x when asked to be infeasible
    target = peak * (1.5 if feasible else 0.7)
    cap = site_tab["it_capacity_mw"] * target / site_tab["it_capacity_mw"].sum()
    if feasible:  # latency-bound work may have one site in reach: make room there
        bound = set(cls.loc[np.isfinite(cls["max_latency_ms"]), "id"])
        tied = demand[demand["class"].isin(bound)]
        need = (tied.groupby(["node", "period"] if "period" in tied else ["node"])
                ["mw_it"].sum().groupby(level=0).max())
        extra = need.groupby(need.index.map(home)).sum()
        cap = cap + extra.reindex(site_tab["id"]).fillna(0.0).to_numpy()
        cap = np.ceil(cap * 1000) / 1000
    else:
        cap = np.floor(cap * 1000) / 1000
    site_tab["it_capacity_mw"] = cap

    return Network(
        nodes=pd.DataFrame({"id": ids, "lat": lat.round(4), "lon": lon.round(4),
                            "region": region}),
        sites=site_tab, sources=pd.concat([grid, ren], ignore_index=True),
        backbone_links=links, power_lines=power_lines, classes=cls, periods=per,
        demand=demand, availability=availability,
        settings={"name": f"synthetic-{nodes}-s{seed}",
                  "description": f"synthetic: {nodes} nodes, {n_sites} sites, {periods} "
                                 f"periods, seed {seed}",
                  "carbon_price": 50.0, "data_cost_per_tb_km": 0.015,
                  "routes_per_pair": routes_per_pair, "allow_unserved": feasible})
