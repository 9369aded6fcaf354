"""Map geometry shared by the static map (`netopt.plot.solution_map`) and the report's
interactive map: the projection, the province and country outlines, and the layout of a
solved network (where each node, flow and line goes, how wide, which way).

Projection: Albers equal-area conic on a sphere (R = 6,371 km), standard parallels 25°N
and 47°N, central meridian 105°E: the usual choice for maps of China. Areas are true and
the scale is the same along x and y near the standard parallels, so the map is drawn with
equal aspect, in kilometres. Computed with numpy (no GIS library needed).

Outlines: China's provinces and the neighbouring countries from the Digital Chart of the
World (DCW-GMT 2.1.1, LGPL-3+), simplified and committed in ``netopt/views/boundaries``
(its README gives the source, licence and checksum). Nothing is fetched at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

R_KM = 6371.0
_PHI1, _PHI2, _LAM0 = np.radians(25.0), np.radians(47.0), np.radians(105.0)
_N = (np.sin(_PHI1) + np.sin(_PHI2)) / 2
_C = np.cos(_PHI1) ** 2 + 2 * _N * np.sin(_PHI1)
_RHO0 = R_KM * np.sqrt(_C) / _N  # latitude of origin 0°


def project(lon, lat):
    """Albers equal-area conic (25°N, 47°N, 105°E): longitude and latitude in degrees
    to x, y in km.

    >>> x, y = project(105.0, 0.0)
    >>> round(float(x), 6), round(float(y), 6)
    (0.0, 0.0)
    """
    lon = np.asarray(lon, float)
    lat = np.asarray(lat, float)
    rho = R_KM * np.sqrt(_C - 2 * _N * np.sin(np.radians(lat))) / _N
    theta = _N * (np.radians(lon) - _LAM0)
    return rho * np.sin(theta), _RHO0 - rho * np.cos(theta)


@lru_cache(maxsize=1)
def boundaries() -> dict:
    """Province and country outlines, projected: ``{"provinces": {code: {"name",
    "zh", "rings": [array (n, 2) km]}}, "countries": {...}}``."""
    path = resources.files("netopt").joinpath("views/boundaries/china.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for group in ("provinces", "countries"):
        out[group] = {}
        for code, item in raw[group].items():
            rings = []
            for flat in item["rings"]:
                ll = np.asarray(flat, float).reshape(-1, 2) / 100
                rings.append(np.column_stack(project(ll[:, 0], ll[:, 1])))
            out[group][code] = {"name": item["name"], "zh": item.get("zh", ""),
                                "rings": rings}
    return out


def province_code(name: str) -> str | None:
    """The boundary code of a province named in an instance (English name)."""
    aliases = {"nei mongol": "NM", "xizang": "XZ", "tibet": "XZ"}
    key = str(name).strip().lower()
    if key in aliases:
        return aliases[key]
    for code, item in boundaries()["provinces"].items():
        if item["name"].lower() == key:
            return code
    return None


def short_name(name: str, node_id: str) -> str:
    """A label for a node: its name up to the first bracket or semicolon."""
    text = name if isinstance(name, str) and name.strip() else str(node_id)
    for cut in (" (", ";", ","):
        text = text.split(cut)[0]
    return text.strip() or node_id


# -- layout -----------------------------------------------------------------------------

@dataclass
class Node:
    id: str
    label: str
    x: float
    y: float
    region: str
    province: str
    site: str | None = None      # the site at the node, if any (first one)
    load_mw: float = 0.0         # average IT load of the node's sites
    capacity_mw: float = 0.0
    utilisation: float = float("nan")
    price: float = float("nan")  # local electricity price (average over periods)
    demand_mw: float = 0.0       # average IT demand originating here


@dataclass
class Edge:
    kind: str                # "data" or "power"
    id: str                  # link or line id
    a: str
    b: str                   # drawn from a to b: the direction of the (larger) flow
    p0: np.ndarray
    p1: np.ndarray
    ctrl: np.ndarray         # quadratic Bezier control point (km)
    value: float             # average Gbps (data) or MW sent (power) in this direction
    back: float = 0.0        # data: average Gbps the other way
    tb: float = 0.0          # data: TB moved over the horizon, both ways
    mwh: float = 0.0         # power: MWh sent over the horizon
    capacity: float = float("nan")
    utilisation: float = 0.0
    exits: bool = False      # one end lies outside the frame (drawn to the frame's edge)
    outside: str | None = None

    @property
    def used(self) -> bool:
        return self.value > 1e-6 or self.back > 1e-6

    def curve(self, n: int = 24) -> np.ndarray:
        t = np.linspace(0, 1, n)[:, None]
        return (1 - t) ** 2 * self.p0 + 2 * (1 - t) * t * self.ctrl + t ** 2 * self.p1


@dataclass
class Layout:
    name: str
    currency: str
    nodes: dict[str, Node]
    edges: list[Edge]
    frame: tuple[float, float, float, float]   # x0, x1, y0, y1 (km)
    focus: str | None = None                    # province code the map is framed on
    cluster: list[str] = field(default_factory=list)  # nodes dense enough for an inset
    hours: float = 1.0


def _avg(df: pd.DataFrame, col: str, weight: pd.Series) -> pd.Series:
    """Mean of ``col`` over the horizon, by item, of a table indexed by (item, period)."""
    w = weight.loc[df.index.get_level_values("period")].to_numpy()
    return (df[col] * w).groupby(level=0).sum() / weight.sum()


def layout(result, focus: str | None = "auto") -> Layout:
    """Where everything goes on the map of a solved `Result`.

    ``focus``: a province name to frame the map on, ``None`` for the whole network, or
    ``"auto"``: the province that holds more than half of the nodes, if one does (the
    Sichuan instance is framed on Sichuan; links to nodes outside leave the frame).
    """
    net = result.network
    nodes_df = net.nodes
    weight = net.periods["weight_h"]
    xs, ys = project(nodes_df["lon"].to_numpy(), nodes_df["lat"].to_numpy())
    pos = {n: np.array([x, y]) for n, x, y in zip(nodes_df.index, xs, ys)}

    sites = result.sites
    per_site = pd.DataFrame({
        "node": sites.groupby(level="site")["node"].first(),
        "load": _avg(sites, "it_load_mw", weight),
        "cap": _avg(sites, "it_capacity_mw", weight),
        "price": _avg(sites, "price", weight)})
    node_price = _avg(result.node_prices, "price", weight)
    demand = net.demand
    dem = (demand.groupby("origin")["mw_it"].sum() if "origin" in demand and "mw_it" in demand
           else pd.Series(dtype=float))
    province_col = nodes_df["province"] if "province" in nodes_df else pd.Series("", nodes_df.index)
    nodes = {}
    for nid, row in nodes_df.iterrows():
        n = Node(nid, short_name(row.get("name", nid), nid), *pos[nid], str(row["region"]),
                 str(province_col.get(nid, "")), price=float(node_price.get(nid, np.nan)),
                 demand_mw=float(dem.get(nid, 0.0)))
        here = per_site[per_site["node"] == nid]
        if len(here):
            n.site = ", ".join(here.index)
            n.load_mw = float(here["load"].sum())
            n.capacity_mw = float(here["cap"].sum())
            n.utilisation = n.load_mw / n.capacity_mw if n.capacity_mw > 0 else float("nan")
            n.price = float(here["price"].mean())
        nodes[nid] = n

    edges: list[Edge] = []
    links = result.links
    if len(links):
        lw = weight.loc[links.index.get_level_values("period")].to_numpy() / weight.sum()
        agg = (links.assign(f=links["gbps_forward"] * lw, b=links["gbps_backward"] * lw,
                            u=links["utilisation"])
               .groupby(level="link")
               .agg(a=("from", "first"), b_=("to", "first"), f=("f", "sum"),
                    back=("b", "sum"), tb=("tb_moved", "sum"),
                    cap=("bandwidth_gbps", "first"), u=("u", "max")))
        for lid, r in agg.iterrows():
            a, b, f, bk = r["a"], r["b_"], r["f"], r["back"]
            if bk > f:
                a, b, f, bk = b, a, bk, f
            edges.append(Edge("data", lid, a, b, pos[a], pos[b], pos[a], float(f),
                              back=float(bk), tb=float(r["tb"]), capacity=float(r["cap"]),
                              utilisation=float(r["u"])))
    pl = result.power_lines
    if len(pl):
        lw = weight.loc[pl.index.get_level_values("period")].to_numpy() / weight.sum()
        agg = (pl.assign(m=pl["sent_mw"] * lw)
               .groupby(level="arc")
               .agg(line=("line", "first"), a=("from", "first"), b=("to", "first"),
                    m=("m", "sum"), mwh=("sent_mwh", "sum"), cap=("capacity_mw", "first"),
                    u=("utilisation", "max")))
        for line, g in agg.groupby("line", sort=False):
            g = g.sort_values("m", ascending=False)
            r = g.iloc[0]  # the busier direction of a two-way line
            back = float(g["m"].iloc[1]) if len(g) > 1 else 0.0
            edges.append(Edge("power", line, r["a"], r["b"], pos[r["a"]], pos[r["b"]],
                              pos[r["a"]], float(r["m"]), back=back, mwh=float(g["mwh"].sum()),
                              capacity=float(r["cap"]), utilisation=float(r["u"])))
    _fan(edges)

    code = None
    if focus == "auto":
        counts = province_col.value_counts()
        if len(counts) and counts.iloc[0] > len(nodes_df) / 2:
            code = province_code(counts.index[0])
    elif focus:
        code = province_code(focus)
    if code:
        frame = _frame_on(code, [pos[n] for n in nodes_df.index[province_col == counts.index[0]]]
                          if focus == "auto" else [])
    else:
        pts = np.array(list(pos.values()))
        frame = _pad(pts[:, 0].min(), pts[:, 0].max(), pts[:, 1].min(), pts[:, 1].max(), 0.08)
    lay = Layout(net.name, net.settings.currency, nodes, edges, frame, code,
                 hours=float(weight.sum()))
    reframe(lay, frame)
    lay.cluster = _cluster(lay)
    return lay


def reframe(lay: Layout, frame) -> None:
    """Set the frame, and mark the edges with one end outside it."""
    lay.frame = tuple(float(v) for v in frame)
    for e in lay.edges:
        ina, inb = _inside(e.p0, frame), _inside(e.p1, frame)
        e.exits = ina != inb
        e.outside = (e.b if ina else e.a) if e.exits else None


def _pad(x0, x1, y0, y1, frac):
    dx, dy = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    m = frac * max(dx, dy)
    return (x0 - m, x1 + m, y0 - m, y1 + m)


def _frame_on(code: str, extra) -> tuple[float, float, float, float]:
    rings = boundaries()["provinces"][code]["rings"]
    pts = np.vstack(rings + [np.asarray(extra).reshape(-1, 2)])
    return _pad(pts[:, 0].min(), pts[:, 0].max(), pts[:, 1].min(), pts[:, 1].max(), 0.05)


def _inside(p, frame) -> bool:
    return frame[0] <= p[0] <= frame[1] and frame[2] <= p[1] <= frame[3]


def _fan(edges: list[Edge], base: float = 0.12, step: float = 0.07) -> None:
    """Curve every edge a little (so that links out of one hub separate), and fan the
    edges that share a corridor (one pair of nodes) side by side: power lines first,
    then data links."""
    groups: dict[tuple, list[Edge]] = {}
    for e in edges:
        groups.setdefault(tuple(sorted((e.a, e.b))), []).append(e)
    for (u, _v), group in groups.items():
        group.sort(key=lambda e: (e.kind != "power", e.id))
        k = len(group)
        for i, e in enumerate(group):
            rad = base + step * (i - (k - 1) / 2) if k > 1 else base
            if e.a != u:  # same side of the corridor whichever way the edge is drawn
                rad = -rad
            d = e.p1 - e.p0
            e.ctrl = (e.p0 + e.p1) / 2 + rad * np.array([d[1], -d[0]])


def _cluster(lay: Layout) -> list[str]:
    """The largest group (3 or more) of nodes within 8 % of the frame's width of each
    other (single linkage) inside the frame: drawn again in an inset."""
    ids = [n for n, v in lay.nodes.items() if _inside((v.x, v.y), lay.frame)]
    if len(ids) < 3:
        return []
    pts = np.array([(lay.nodes[n].x, lay.nodes[n].y) for n in ids])
    width = max(lay.frame[1] - lay.frame[0], lay.frame[3] - lay.frame[2])
    d = np.hypot(*(pts[:, None, :] - pts[None, :, :]).transpose(2, 0, 1))
    near = d < 0.08 * width
    label = list(range(len(ids)))
    for i in range(len(ids)):
        for j in range(len(ids)):
            if near[i, j] and label[i] != label[j]:
                old, new = label[j], label[i]
                label = [new if v == old else v for v in label]
    best = max(set(label), key=label.count)
    members = [n for n, v in zip(ids, label) if v == best]
    return members if len(members) >= 3 else []


def clip_to_frame(p_in: np.ndarray, p_out: np.ndarray, frame) -> np.ndarray:
    """Where the segment from a point inside the frame to one outside crosses the edge."""
    d = p_out - p_in
    ts = []
    for k, (lo, hi) in enumerate(((frame[0], frame[1]), (frame[2], frame[3]))):
        if d[k] > 0:
            ts.append((hi - p_in[k]) / d[k])
        elif d[k] < 0:
            ts.append((lo - p_in[k]) / d[k])
    t = min([v for v in ts if v >= 0] or [1.0])
    return p_in + t * d
