"""The solution map as a figure (matplotlib, offline): China in an Albers equal-area
projection with province outlines, flows along the links and lines that carry them,
sites sized by load and coloured by price, labels placed without overlap, an inset for
dense areas and legends for every encoding. `netopt.plot.solution_map` is the public
name; the layout (projection, routing of flows, framing) is `netopt.views._geo`.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..solving.results import Result

__all__ = ["solution_map"]

DATA_COLOUR = "#1f78b4"
POWER_COLOUR = "#e6550d"
STORAGE_COLOUR = "#2ca02c"
_LAND, _NEIGHBOUR, _SEA = "#fbfaf6", "#eeede8", "#dfeaf2"


def _nice(v: float) -> float:
    """The largest 1-2-5 number not above ``v``."""
    if not v > 0:
        return 0.0
    e = 10 ** np.floor(np.log10(v))
    return max(m * e for m in (1, 2, 5) if m * e <= v)


def _num(v: float) -> str:
    return f"{v:,.0f}" if v >= 10 else f"{v:.2g}"


def _unit(value: float, small: str, big: str) -> tuple[float, str]:
    """Scale of a legend: (divisor, unit), e.g. Gbit/s or Tbit/s."""
    return (1000.0, big) if value >= 2000 else (1.0, small)


class _MapStyle:
    """Widths and sizes shared by the map, its inset and its legends."""

    def __init__(self, lay):
        data = [e.value for e in lay.edges if e.kind == "data"]
        power = [e.value for e in lay.edges if e.kind == "power"]
        self.data_top = max(data + [1e-9])
        self.power_top = max(power + [1e-9])
        self.mw_top = max([v for n in lay.nodes.values() for v in (n.capacity_mw, n.load_mw)
                           if np.isfinite(v)] + [1e-9])

    def radius(self, n) -> float:  # marker radius in points (the ring, if drawn)
        if not n.site:
            return 2.5
        return np.sqrt(self.size(_ring(n))) / 2

    def width(self, e) -> float:
        top = self.data_top if e.kind == "data" else self.power_top
        return 1.0 + 7.0 * e.value / top

    def size(self, mw: float) -> float:  # scatter area (pt^2), proportional to MW
        return 16 + 700 * min(mw, self.mw_top) / self.mw_top


def _ring(n) -> float:
    """The MW the marker's outer size shows: capacity if finite, else the load."""
    return n.capacity_mw if np.isfinite(n.capacity_mw) else n.load_mw


def _draw_base(ax, lay, frame) -> None:
    from matplotlib.patches import Polygon
    from ._geo import boundaries
    b = boundaries()
    ax.set_facecolor(_SEA)
    for item in b["countries"].values():
        if item["name"] == "China":
            continue
        for ring in item["rings"]:
            ax.add_patch(Polygon(ring, closed=True, fc=_NEIGHBOUR, ec="#b9b6ad", lw=0.4,
                                 zorder=0))
    for code, item in b["provinces"].items():
        focus = code == lay.focus
        for ring in item["rings"]:
            ax.add_patch(Polygon(ring, closed=True, fc="#ffffff" if focus else _LAND,
                                 ec="#8d8a80" if focus else "#c9c5ba",
                                 lw=1.1 if focus else 0.5, zorder=0.5 if focus else 0.2))
    for ring in b["countries"]["CN"]["rings"]:
        ax.add_patch(Polygon(ring, closed=True, fill=False, ec="#77736a", lw=0.9, zorder=0.6))
    ax.set_xlim(frame[0], frame[1])
    ax.set_ylim(frame[2], frame[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])


def _km_per_pt(ax) -> float:
    x0, x1 = ax.get_xlim()
    return (x1 - x0) / (ax.bbox.width * 72 / ax.figure.dpi)


def _draw_edges(ax, lay, style, frame, *, exits: bool) -> list:
    """Flows along their links and lines, widths by volume, arrows for direction;
    unused links and lines faint. Returns the labels for edges leaving the frame."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path
    from ._geo import clip_to_frame
    kpp = _km_per_pt(ax)
    out_labels = {}
    # unused first (underneath), then the used ones, thickest last
    order = sorted(lay.edges, key=lambda e: (e.used, e.value / (style.data_top if e.kind ==
                                                                   "data" else style.power_top)))
    for e in order:
        colour = DATA_COLOUR if e.kind == "data" else POWER_COLOUR
        na, nb = lay.nodes[e.a], lay.nodes[e.b]
        if e.exits and exits:
            inner, outer = (e.p0, e.p1) if e.outside == e.b else (e.p1, e.p0)
            # parallel offset from the fan: the control point's side
            mid = (e.p0 + e.p1) / 2
            off = (e.ctrl - mid) * 0.15
            edge_pt = clip_to_frame(inner, outer, frame)
            pts = np.array([inner + off * 0.2, edge_pt + off])
            if e.outside == e.a:
                pts = pts[::-1]
            out_labels.setdefault(e.outside, edge_pt)
        elif e.exits:
            continue
        else:
            pts = e.curve()
        # stop short of the markers
        ra, rb = style.radius(na) + 1.5, style.radius(nb) + 1.5
        pts = _trim(pts, ra * kpp if not (e.exits and e.outside == e.a) else 0,
                    rb * kpp if not (e.exits and e.outside == e.b) else 0)
        if pts is None:
            continue
        if not e.used:
            ax.plot(pts[:, 0], pts[:, 1], color=colour, alpha=0.28, lw=0.7,
                    ls="-" if e.kind == "data" else (0, (3, 2)), zorder=1,
                    solid_capstyle="round")
            continue
        w = style.width(e)
        two_way = e.back > 0.05 * e.value
        length_pt = np.hypot(*np.diff(pts, axis=0).T).sum() / kpp
        head = min(2.2 + w * 0.55, length_pt / (4 if two_way else 3) / max(w, 1))
        arrow = FancyArrowPatch(path=Path(pts), arrowstyle=(
            "<|-|>" if two_way else "-|>") + f",head_length={head:.2f},"
            f"head_width={head * 0.75:.2f}", lw=w, color=colour, alpha=0.85,
            zorder=3 if e.kind == "data" else 2.5, capstyle="butt", joinstyle="round")
        ax.add_patch(arrow)
    return list(out_labels.items())


def _trim(pts: np.ndarray, da: float, db: float):
    """Cut a polyline ``da`` km from its start and ``db`` km from its end."""
    seg = np.hypot(*np.diff(pts, axis=0).T)
    s = np.r_[0, np.cumsum(seg)]
    if s[-1] <= da + db:
        return None
    t = np.linspace(da, s[-1] - db, max(len(pts), 2))
    return np.column_stack([np.interp(t, s, pts[:, 0]), np.interp(t, s, pts[:, 1])])


def _draw_nodes(ax, lay, style, cmap, norm, ids) -> None:
    for nid in ids:
        n = lay.nodes[nid]
        if n.site:
            if np.isfinite(n.capacity_mw) and n.capacity_mw > n.load_mw:  # ring: capacity
                ax.scatter(n.x, n.y, s=style.size(n.capacity_mw), facecolors="white",
                           edgecolors="#555", linewidths=0.8, zorder=4)
            ax.scatter(n.x, n.y, s=style.size(n.load_mw), c=[n.price], cmap=cmap, norm=norm,
                       edgecolors="#222", linewidths=0.6, zorder=5)
        else:
            ax.scatter(n.x, n.y, s=22, marker="s", c="#444", edgecolors="white",
                       linewidths=0.6, zorder=5)


def _place_labels(ax, lay, style, ids, fontsize=7.5) -> None:
    """Each node's name where it overlaps no marker, no other label and stays inside
    the axes: the first free spot of 8 around the marker, tried nearest first (greedy,
    biggest sites first); a short leader line when it had to move further out."""
    import matplotlib.patheffects as pe
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData.transform
    box = ax.get_window_extent(renderer)
    placed = []
    markers = []
    for nid in lay.nodes:
        n = lay.nodes[nid]
        x, y = to_px((n.x, n.y))
        r = style.radius(n) * fig.dpi / 72
        markers.append((x - r, y - r, x + r, y + r))
    order = sorted(ids, key=lambda i: -max(lay.nodes[i].load_mw, lay.nodes[i].demand_mw))
    dirs = [(1, 0), (1, 1), (1, -1), (-1, 0), (-1, 1), (-1, -1), (0, 1), (0, -1)]

    def overlap(b, others):
        return sum(max(0, min(b[2], o[2]) - max(b[0], o[0])) *
                   max(0, min(b[3], o[3]) - max(b[1], o[1])) for o in others)

    for nid in order:
        n = lay.nodes[nid]
        x, y = to_px((n.x, n.y))
        r = style.radius(n) * fig.dpi / 72
        t = ax.text(n.x, n.y, textwrap.fill(n.label, 18), fontsize=fontsize, zorder=7,
                    linespacing=1.0,
                    path_effects=[pe.withStroke(linewidth=2.5, foreground="white")])
        bb = t.get_window_extent(renderer)
        w, h = bb.width, bb.height
        best = None
        for step in (1.0, 2.2, 3.6):
            for dx, dy in dirs:
                gap = r * (0.75 if dx and dy else 1.0) + 2 + (step - 1) * 8
                cx = x + dx * gap + (0 if dx > 0 else -w if dx < 0 else -w / 2)
                cy = y + dy * gap + (0 if dy > 0 else -h if dy < 0 else -h / 2)
                b = (cx, cy, cx + w, cy + h)
                if b[0] < box.x0 + 2 or b[2] > box.x1 - 2 or b[1] < box.y0 + 2 \
                        or b[3] > box.y1 - 2:
                    continue
                cost = overlap(b, placed) * 3 + overlap(b, markers) + step * 5
                if best is None or cost < best[0]:
                    best = (cost, b, step)
            if best and best[0] <= step * 5:
                break
        if best is None:
            t.remove()
            continue
        cost, b, step = best
        xd, yd = ax.transData.inverted().transform((b[0], b[1]))
        t.set_position((xd, yd))
        t.set_ha("left")
        t.set_va("baseline")
        # baseline vs bbox bottom: re-measure and shift so the box lands where planned
        nb = t.get_window_extent(renderer)
        xd, yd = ax.transData.inverted().transform((2 * b[0] - nb.x0, 2 * b[1] - nb.y0))
        t.set_position((xd, yd))
        if step > 1:
            cx = min(max(x, b[0]), b[2])
            cy = min(max(y, b[1]), b[3])
            p, q = ax.transData.inverted().transform([(x, y), (cx, cy)])
            ax.plot([p[0], q[0]], [p[1], q[1]], color="#666", lw=0.5, zorder=6)
        placed.append(b)



def _inset_place(lay, frac=0.36):
    """Where the inset goes, as axes fractions: a corner of the map that no node, used
    flow or label-worthy edge crosses; if every corner is taken, the frame is widened
    to the east (the sea, on a map of China) and the inset put there. Returns the
    rectangle and the frame to use."""
    x0, x1, y0, y1 = lay.frame
    used = [e.curve(16) for e in lay.edges if e.used and not e.exits]
    used += [np.linspace(e.p0, e.p1, 16) for e in lay.edges if e.exits]
    for cx, cy in ((1 - frac, 1 - frac), (0, 1 - frac), (0, 0), (1 - frac, 0)):
        lo = np.array([x0 + (cx - 0.03) * (x1 - x0), y0 + (cy - 0.03) * (y1 - y0)])
        hi = lo + (frac + 0.06) * np.array([x1 - x0, y1 - y0])
        inside = lambda p: ((p >= lo) & (p <= hi)).all(-1)  # noqa: E731
        if not any(inside(np.array([v.x, v.y])) for v in lay.nodes.values()) and \
                not any(inside(c).any() for c in used):
            return (cx + 0.01, cy + 0.01, frac - 0.02, frac - 0.02), lay.frame
    grow = 0.5 * (x1 - x0)
    frame = (x0, x1 + grow, y0, y1)
    w = grow / (x1 + grow - x0)
    side = min(w - 0.02, 0.6 * (y1 - y0) / (x1 + grow - x0) * (x1 + grow - x0) / (y1 - y0))
    cyf = np.mean([(lay.nodes[n].y - y0) / (y1 - y0) for n in lay.cluster])
    # the inset is square in data units: its height fraction scales by the aspect
    h = side * (x1 + grow - x0) / (y1 - y0)
    cyb = float(np.clip(cyf - h / 2, 0.01, 0.99 - h))
    return (1 - w + 0.01, cyb, side, h), frame


def solution_map(result: Result, *, labels: bool = True, focus: str | None = "auto",
                 inset: bool = True) -> Figure:
    """The solved network on a map of China (Albers equal-area, provinces outlined).

    Data flows (blue) follow the backbone links that carry them and power flows (orange)
    the lines that carry them; widths by average volume, arrows for direction, lines on
    one corridor side by side, unused links and lines faint. Sites are discs sized by IT
    load (a ring: capacity) and coloured by the local electricity price; squares are
    nodes without a site. Labels are placed so that none overlaps another or a marker,
    and the densest group of nodes is drawn again in an inset.

    ``focus``: a province to frame the map on; by default the one holding more than half
    the nodes, if any (links to nodes outside then leave the frame as arrows).
    """
    import matplotlib as mpl
    from ._geo import layout, reframe
    lay = layout(result, focus)
    style = _MapStyle(lay)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    cluster = lay.cluster if inset else []
    if cluster:
        rect, frame = _inset_place(lay)
        reframe(lay, frame)
    x0, x1, y0, y1 = lay.frame
    height = float(np.clip(8.4 * (y1 - y0) / (x1 - x0) + 1.0, 6.4, 9.5))
    fig = Figure(figsize=(11, height), layout="constrained")
    FigureCanvasAgg(fig)  # the label placer measures text in pixels
    gs = fig.add_gridspec(1, 2, width_ratios=[1, 0.27])
    ax = fig.add_subplot(gs[0, 0])
    side = fig.add_subplot(gs[0, 1])
    side.axis("off")
    prices = [n.price for n in lay.nodes.values() if n.site and np.isfinite(n.price)]
    norm = mpl.colors.Normalize(min(prices, default=0), max(prices, default=1))
    cmap = mpl.colormaps["viridis"]
    _draw_base(ax, lay, lay.frame)
    ax.set_xlabel("Albers equal-area conic projection (25°N, 47°N; km to scale); "
                  "outlines: DCW-GMT", fontsize=7, color="#555")
    ax.set_ylabel(" ")
    ax.set_title(f"{lay.name}: where work runs, what moves" +
                 (f" (framed on {_province_name(lay.focus)})" if lay.focus else ""),
                 fontsize=11)
    stored = _storage_nodes(result)
    # legends first, so that constrained layout settles before labels are placed
    _legends(side, lay, style, cmap, norm, storage=bool(stored))
    fig.canvas.draw()  # settle the layout: the label placer works in pixels
    fig.set_layout_engine("none")
    out = _draw_edges(ax, lay, style, lay.frame, exits=True)
    inside = [n for n, v in lay.nodes.items()
              if lay.frame[0] <= v.x <= lay.frame[1] and lay.frame[2] <= v.y <= lay.frame[3]]
    _draw_nodes(ax, lay, style, cmap, norm, inside)
    _draw_storage(ax, lay, stored, inside)
    _exit_labels(ax, lay, out)
    _scale_bar(ax, lay.frame)
    if labels:
        _place_labels(ax, lay, style, [n for n in inside if n not in cluster])
    if cluster:
        ins = ax.inset_axes(rect)
        pts = np.array([(lay.nodes[n].x, lay.nodes[n].y) for n in cluster])
        span = max(np.ptp(pts[:, 0]), np.ptp(pts[:, 1]), 40.0)
        cx, cy = pts.mean(0)
        half = 0.5 * span + 0.35 * span + 15
        frame = (cx - half, cx + half, cy - half, cy + half)
        _draw_base(ins, lay, frame)
        for s in ins.spines.values():
            s.set_edgecolor("#444")
        sub = _sub_layout(lay, frame)
        _draw_edges(ins, sub, style, frame, exits=False)
        shown = [n for n, v in lay.nodes.items()
                 if frame[0] <= v.x <= frame[1] and frame[2] <= v.y <= frame[3]]
        _draw_nodes(ins, lay, style, cmap, norm, shown)
        _draw_storage(ins, lay, stored, shown)
        _scale_bar(ins, frame)
        if labels:
            _place_labels(ins, lay, style, [n for n, v in lay.nodes.items()
                                            if frame[0] <= v.x <= frame[1]
                                            and frame[2] <= v.y <= frame[3]], fontsize=7)
        ax.indicate_inset((frame[0], frame[2], frame[1] - frame[0], frame[3] - frame[2]),
                          ins, edgecolor="#444", lw=0.8, alpha=0.9)
    return fig


def _province_name(code):
    from ._geo import boundaries
    return boundaries()["provinces"][code]["name"]


def _sub_layout(lay, frame):
    """The layout with edges curved as on the main map but none 'leaving the frame'."""
    import copy
    sub = copy.copy(lay)
    sub.edges = [copy.copy(e) for e in lay.edges]
    for e in sub.edges:
        e.exits = False
    return sub


def _exit_labels(ax, lay, out):
    """Name the far end of the links that leave the frame, at the edge they cross,
    stacked so that no two overlap; "to", "from" or "to/from" by the flows' direction."""
    import matplotlib.patheffects as pe
    x0, x1, y0, y1 = lay.frame
    m = 0.012 * (x1 - x0)
    gap = 0.034 * (y1 - y0)
    sides: dict[str, list] = {}
    for nid, pt in out:
        side = ("right" if pt[0] >= x1 - 1 else "left" if pt[0] <= x0 + 1 else
                "top" if pt[1] >= y1 - 1 else "bottom")
        sides.setdefault(side, []).append((nid, pt))
    for side, items in sides.items():
        items.sort(key=lambda it: -it[1][1] if side in ("left", "right") else it[1][0])
        last = None
        for nid, pt in items:
            ways = {("out" if e.outside == e.b else "in") for e in lay.edges
                    if e.exits and e.outside == nid and e.used}
            word = {frozenset({"out"}): "to", frozenset({"in"}): "from"}.get(
                frozenset(ways), "to/from")
            text = f"{word} {lay.nodes[nid].label}"
            if side in ("left", "right"):
                y = pt[1] - 1.2 * m if last is None else min(pt[1] - 1.2 * m, last - gap)
                x, ha, va = (x1 - m, "right", "top") if side == "right" else (x0 + m, "left",
                                                                                "top")
                last = y
            else:
                x, y, ha = pt[0], (y1 - m if side == "top" else y0 + m), "center"
                va = "top" if side == "top" else "bottom"
            ax.text(x, y, text, fontsize=7, style="italic", ha=ha, va=va, color="#222",
                    zorder=7, path_effects=[pe.withStroke(linewidth=2.5, foreground="white")])


def _scale_bar(ax, frame):
    x0, x1, y0, y1 = frame
    length = _nice((x1 - x0) / 5)
    bx, by = x0 + 0.03 * (x1 - x0), y0 + 0.035 * (y1 - y0)
    ax.plot([bx, bx + length], [by, by], color="#333", lw=2, solid_capstyle="butt", zorder=8)
    ax.text(bx + length / 2, by + 0.012 * (y1 - y0), f"{length:,.0f} km", ha="center",
            va="bottom", fontsize=6.5, color="#333", zorder=8)


def _storage_nodes(result: Result) -> set:
    """Nodes with storage that holds or builds power (issue #11.2)."""
    if not len(result.network.storage):
        return set()
    u = result.storage_units
    return set(u.loc[u["power_mw"] > 1e-6, "node"])


def _draw_storage(ax, lay, nodes: set, ids) -> None:
    """A small diamond up and right of each node with storage."""
    from matplotlib.transforms import offset_copy
    tr = offset_copy(ax.transData, fig=ax.figure, x=7, y=7, units="points")
    for nid in ids:
        if nid in nodes:
            n = lay.nodes[nid]
            ax.scatter(n.x, n.y, s=24, marker="D", c=STORAGE_COLOUR, edgecolors="white",
                       linewidths=0.6, zorder=6, transform=tr)


def _legends(side, lay, style, cmap, norm, storage: bool = False):
    import matplotlib as mpl
    cur = lay.currency
    handles = []
    # two widths for each kind of flow that the map shows, at round values
    for kind, top, colour, small, big in (("data", style.data_top, DATA_COLOUR, "Gbit/s",
                                           "Tbit/s"),
                                          ("power", style.power_top, POWER_COLOUR, "MW",
                                           "GW")):
        scale, unit = _unit(top, small, big)
        for v in sorted({_nice(top), _nice(top / 3)}, reverse=True):
            if v > 0 and any(e.kind == kind for e in lay.edges):
                handles.append(Line2D([], [], color=colour, alpha=0.85,
                                      lw=1.0 + 7.0 * v / top,
                                      label=f"{kind} {_num(v / scale)} {unit}"))
    handles += [Line2D([], [], color=DATA_COLOUR, alpha=0.35, lw=0.8,
                       label="fibre link, unused"),
                Line2D([], [], color=POWER_COLOUR, alpha=0.35, lw=0.8, ls=(0, (3, 2)),
                       label="power line, unused")]
    leg = side.legend(handles=handles, loc="upper left", fontsize=8, title_fontsize=8.5,
                      title="Flows (average over the year;\narrow: direction)",
                      alignment="left", frameon=False, handlelength=2.6)
    side.add_artist(leg)
    sizes = [v for v in sorted({_nice(style.mw_top), _nice(style.mw_top / 3),
                                _nice(style.mw_top / 10)}, reverse=True) if v > 0]
    sh = [Line2D([], [], ls="", marker="o", markersize=np.sqrt(style.size(v)),
                 markerfacecolor="#bbb", markeredgecolor="#222", label=f"{v:,.0f} MW")
          for v in sizes]
    sh += [Line2D([], [], ls="", marker="o", markersize=11, markerfacecolor="white",
                  markeredgecolor="#555", label="ring: capacity"),
           Line2D([], [], ls="", marker="s", markersize=5, markerfacecolor="#444",
                  markeredgecolor="white", label="node without a site")]
    if storage:
        sh.append(Line2D([], [], ls="", marker="D", markersize=5,
                         markerfacecolor=STORAGE_COLOUR, markeredgecolor="white",
                         label="storage at the node"))
    leg2 = side.legend(handles=sh, loc="center left", bbox_to_anchor=(0, 0.36), fontsize=8,
                       title="Sites: disc area = IT load\n(average MW of IT)",
                       title_fontsize=8.5, alignment="left", frameon=False,
                       labelspacing=1.4, borderpad=0.8, handlelength=3.2,
                       handletextpad=1.0)
    side.add_artist(leg2)
    cax = side.inset_axes([0.06, 0.04, 0.8, 0.03])
    bar = side.figure.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cmap), cax=cax,
                               orientation="horizontal")
    bar.set_label(f"electricity price at the site\n({cur}/MWh)", fontsize=8)
    bar.ax.tick_params(labelsize=7)
