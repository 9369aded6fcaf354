"""Figures for planners (matplotlib, no network access): the solution map, cost
breakdown, sweep curves, the cost-carbon frontier and the break-even chart.

Every function returns a `matplotlib.figure.Figure` with titles, units and legends. The
figures are made without pyplot, so no backend or global state is touched: save them
with ``fig.savefig(...)``, or let a notebook display them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..data.network import Network
from ..solving.results import Result


def _figure(w: float, h: float):
    fig = Figure(figsize=(w, h), layout="constrained")
    return fig, fig.subplots()

__all__ = ["solution_map", "cost_breakdown", "sweep_curve", "frontier", "breakeven_chart",
           "two_way_chart"]


def solution_map(result: Result, *, labels: bool = True) -> Figure:
    """Nodes at their coordinates; data flows (solid, blue) and power flows (dashed,
    orange), widths by volume; sites sized by IT load and coloured by electricity price.
    """
    net = result.network
    nodes = net.nodes
    fig, ax = _figure(9, 7)
    ax.scatter(nodes["lon"], nodes["lat"], s=12, c="0.6", zorder=2)
    links = result.links.groupby("link").agg(tb=("tb_moved", "sum"), a=("from", "first"),
                                             b=("to", "first"))
    top = max(links["tb"].max(), 1e-9)
    for _, l in links.iterrows():
        x, y = nodes.loc[[l.a, l.b], "lon"], nodes.loc[[l.a, l.b], "lat"]
        ax.plot(x, y, color="0.85", lw=0.6, zorder=1)
        if l.tb > 0:
            ax.plot(x, y, color="tab:blue", lw=0.8 + 6 * l.tb / top, alpha=0.7, zorder=3)
    lines = result.power_lines.groupby("arc").agg(mwh=("sent_mwh", "sum"), a=("from", "first"),
                                                  b=("to", "first"))
    ptop = max(lines["mwh"].max(), 1e-9)
    for _, l in lines.iterrows():
        if l.mwh > 0:
            ax.plot(nodes.loc[[l.a, l.b], "lon"], nodes.loc[[l.a, l.b], "lat"],
                    color="tab:orange", ls="--", lw=0.8 + 6 * l.mwh / ptop, alpha=0.8, zorder=3)
    s = result.sites.groupby("site").agg(node=("node", "first"), mw=("it_load_mw", "mean"),
                                         price=("price", "mean"))
    xy = nodes.loc[s["node"], ["lon", "lat"]].to_numpy()
    size = 30 + 600 * s["mw"].to_numpy() / max(s["mw"].max(), 1e-9)
    sc = ax.scatter(xy[:, 0], xy[:, 1], s=size, c=s["price"], cmap="viridis", zorder=4,
                    edgecolors="k", linewidths=0.5)
    cur = net.settings.currency
    fig.colorbar(sc, ax=ax, label=f"electricity price at the site ({cur}/MWh)", shrink=0.8)
    if labels:
        for nid, row in nodes.iterrows():
            ax.annotate(nid, (row["lon"], row["lat"]), fontsize=7, xytext=(3, 3),
                        textcoords="offset points", zorder=5)
    ax.legend(handles=[
        Line2D([], [], color="tab:blue", lw=3, label=f"data moved (max {top:,.0f} TB)"),
        Line2D([], [], color="tab:orange", ls="--", lw=3,
               label=f"power sent (max {ptop:,.0f} MWh)"),
        Line2D([], [], marker="o", ls="", color="tab:green", markeredgecolor="k",
               label="site: size = IT load, colour = price")], loc="lower left", fontsize=8)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.set_title(f"{net.name}: where work runs, what moves")
    ax.set_aspect("equal", adjustable="datalim")
    return fig


def cost_breakdown(result: Result) -> Figure:
    """The total cost by part, as horizontal bars."""
    c = result.costs.drop("total")
    c = c[c.abs() > 0]
    cur = result.network.settings.currency
    fig, ax = _figure(7, 3.5)
    ax.barh(c.index[::-1], c.to_numpy()[::-1] / 1e6, color="tab:blue")
    ax.set_xlabel(f"million {cur} over the horizon")
    ax.set_ylabel("cost part")
    ax.set_title(f"{result.network.name}: cost by part (total "
                 f"{result.costs['total'] / 1e9:,.2f} bn {cur})")
    return fig


def sweep_curve(df: pd.DataFrame, x: str, y: str = "objective", *, hue: str | None = None,
                xlabel: str | None = None, ylabel: str | None = None) -> Figure:
    """A metric of a sweep (`netopt.sweep`) against one parameter, a line per ``hue``."""
    fig, ax = _figure(7, 4)
    groups = df.groupby(hue) if hue else [(None, df)]
    for key, g in groups:
        g = g.sort_values(x)
        ax.plot(g[x], g[y], marker="o", label=f"{hue} = {key}" if hue else y)
    ax.set_xlabel(xlabel or x)
    ax.set_ylabel(ylabel or y)
    ax.set_title(f"{ylabel or y} against {xlabel or x}")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def frontier(front: pd.DataFrame, currency: str = "CNY") -> Figure:
    """The cost-carbon frontier (`netopt.pareto`)."""
    fig, ax = _figure(7, 4)
    ax.plot(front["emissions_t"] / 1e6, front["objective"] / 1e9, marker="o",
            label="least cost for each emission cap")
    ax.set_xlabel("emissions (Mt CO2 over the horizon)")
    ax.set_ylabel(f"total cost (bn {currency})")
    ax.set_title("Cost-carbon frontier")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def breakeven_chart(network: Network, *, origin: str | None = None, sites: int = 4,
                    max_delta: float | None = None) -> Figure:
    """Cost per MWh of IT work by moving data (rising with data intensity, one line per
    route) against moving power (flat, at the origin's home site), for one origin."""
    from ..analysis.counterfactuals import breakeven_table
    table = breakeven_table(network)
    table = table[table["cost_move_power"].notna()] if table["cost_move_power"].notna().any() \
        else table
    origin = origin or table["origin"].iloc[0]
    t = (table[table["origin"] == origin].sort_values("cost_move_data")
         .drop_duplicates("site").head(sites))
    top = max_delta or float(np.nanmax(np.r_[t["delta_star"].to_numpy(), 1.0]) * 2)
    d = np.linspace(0, top, 100)
    cur = network.settings.currency
    fig, ax = _figure(7, 4.5)
    for r in t.itertuples():
        pue = network.sites.loc[r.site, "pue"]
        ax.plot(d, d * r.cost_per_tb + pue * r.site_price, label=f"move data to {r.site}")
        if np.isfinite(r.cost_move_power):
            ax.axhline(r.cost_move_power, ls="--", lw=1, color=ax.lines[-1].get_color(),
                       label=f"move {r.site}'s power to {r.home_site}")
    if t["cost_local_power"].notna().any():
        ax.axhline(t["cost_local_power"].min(), color="k", lw=1, ls=":",
                   label="local power at home")
    ax.set_xlabel("data intensity of the work (TB per MWh of IT energy)")
    ax.set_ylabel(f"cost per MWh of IT work ({cur})")
    ax.set_title(f"Move data or move power? Work from {origin}")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    return fig


def two_way_chart(table: pd.DataFrame, x: str, y: str, *, xlabel: str | None = None,
                  ylabel: str | None = None, xscale: float = 1.0, yscale: float = 1.0,
                  title: str | None = None) -> Figure:
    """Where each class runs over a two-way grid (`netopt.sensitivity.two_way`).

    One panel per class; each cell is coloured by the share of the class's work that
    moves (0 stays at home, 1 moves) and labelled with it in per cent. ``xscale`` and
    ``yscale`` multiply the axis values for display (e.g. CNY/(TB km) x 2000 = CNY/TB
    over 2,000 km).
    """
    shares = [c for c in table.columns if c.startswith("share:")]
    shares = [c for c in shares if table[c].notna().any()]
    cols = min(3, max(1, len(shares)))
    rows = -(-len(shares) // cols)
    fig = Figure(figsize=(3.6 * cols + 0.8, 3.0 * rows + 0.9), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    xs = np.sort(table[x].unique())
    ys = np.sort(table[y].unique())
    image = None
    for ax, col in zip(axes.ravel(), shares):
        grid = (table.pivot_table(index=y, columns=x, values=col, aggfunc="mean")
                .reindex(index=ys, columns=xs))
        image = ax.imshow(grid.to_numpy(), origin="lower", cmap="RdBu", vmin=0, vmax=1,
                          aspect="auto")
        for (i, j), v in np.ndenumerate(grid.to_numpy()):
            if v == v:
                ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=7,
                        color="white" if abs(v - 0.5) > 0.3 else "black")
        ax.set_xticks(range(len(xs)), [f"{v * xscale:,.3g}" for v in xs], fontsize=7,
                      rotation=45)
        ax.set_yticks(range(len(ys)), [f"{v * yscale:,.3g}" for v in ys], fontsize=7)
        ax.set_title(col.split(":", 1)[1], fontsize=9)
        ax.set_xlabel(xlabel or x, fontsize=8)
        ax.set_ylabel(ylabel or y, fontsize=8)
    for ax in axes.ravel()[len(shares):]:
        ax.set_visible(False)
    if image is not None:
        bar = fig.colorbar(image, ax=axes.ravel().tolist(), shrink=0.8)
        bar.set_label("share of the work that moves (data sent away)", fontsize=8)
    fig.suptitle(title or "Where each class runs", fontsize=10)
    return fig
