"""Figures for planners (matplotlib, no network access): the solution map (drawn in
`netopt.views.map_figure`), cost breakdown, sweep curves, the cost-carbon frontier, the
break-even chart, the two-way sensitivity chart and the four levers.

Every function returns a `matplotlib.figure.Figure` with titles, units and legends. The
figures are made without pyplot, so no backend or global state is touched: save them
with ``fig.savefig(...)``, or let a notebook display them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..data.network import Network
from ..errors import NetoptError
from ..solving.results import Result
from .map_figure import solution_map


__all__ = ["solution_map", "cost_breakdown", "sweep_curve", "frontier", "breakeven_chart",
           "two_way_chart", "levers_chart"]


class NoBreakEvenError(NetoptError, ValueError):
    """`breakeven_chart` of a network where no origin can choose between moving its
    data and moving power (an empty break-even table)."""


def _figure(w: float, h: float):
    fig = Figure(figsize=(w, h), layout="constrained")
    return fig, fig.subplots()


def cost_breakdown(result: Result) -> Figure:
    """The total cost by part, as horizontal bars."""
    words = {"data_transport": "moving data", "transmission": "power-line tariffs",
             "unserved": "unserved demand", "expansion": "capacity built",
             "fixed": "sites opened"}  # the text summary's words
    c = result.costs.drop("total")
    c = c[c.abs() > 0].rename(lambda k: words.get(k, k))
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


def breakeven_chart(network: Network, *, origin: str | None = None, sites: int = 3,
                    max_delta: float | None = None) -> Figure:
    """Cost per MWh of IT work by moving data (rising with data intensity, one line per
    route to a site) against moving power (flat, dashed: a western site's power sent to
    the origin's home site) and local power (dotted), for each origin with demand (one
    panel each; ``origin`` for one). Data intensity is on a log scale, and each work
    class is marked at its own intensity, so that where it sits shows which way wins."""
    from ..analysis.counterfactuals import breakeven_table
    table = breakeven_table(network)
    origins = [origin] if origin else list(dict.fromkeys(table["origin"]))
    if not origins:
        raise NoBreakEvenError("no origin's work has both a western site to move data to "
                               "and power to move instead: the break-even table is empty")
    classes = network.classes["data_intensity_tb_per_mwh"].sort_values()
    pos = classes[classes > 0]
    top = max_delta or float(max(pos.max() if len(pos) else 1.0, 1.0) * 3)
    low = float(min(pos.min() if len(pos) else 0.01, top / 1e3) / 3)
    d = np.geomspace(low, top, 120)
    cur = network.settings.currency
    cols = min(4, len(origins))
    rows = -(-len(origins) // cols)
    fig = Figure(figsize=(2.9 * cols + 0.6, 2.5 * rows + 1.3), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False, sharex=True, sharey=True)
    palette = {}
    colours = [f"C{i}" for i in range(10)]
    handles = {}
    for ax, o in zip(axes.ravel(), origins):
        t = (table[table["origin"] == o].sort_values("cost_move_data")
             .drop_duplicates("site").head(sites))
        for r in t.itertuples():
            c = palette.setdefault(r.site, colours[len(palette) % 10])
            pue = network.sites.loc[r.site, "pue"]
            h, = ax.plot(d, d * r.cost_per_tb + pue * r.site_price, color=c, lw=1.4)
            handles.setdefault(f"move data to {r.site}", h)
        power = table[(table["origin"] == o) & table["cost_move_power"].notna()]
        for r in power.sort_values("cost_move_power").drop_duplicates("site").head(2).itertuples():
            c = palette.setdefault(r.site, colours[len(palette) % 10])
            h = ax.axhline(r.cost_move_power, ls="--", lw=1.2, color=c)
            handles.setdefault(f"move {r.site}'s power to the home site", h)
        local = table.loc[table["origin"] == o, "cost_local_power"]
        if local.notna().any():
            h = ax.axhline(local.min(), color="k", lw=1.2, ls=":")
            handles.setdefault("local power at the home site", h)
        for k, v in classes.items():
            if v > 0:
                ax.axvline(v, color="0.55", lw=0.7, zorder=0)
        ax.set_xscale("log")
        ax.text(0.97, 0.05, f"work from {o}", transform=ax.transAxes, fontsize=8.5,
                va="bottom", ha="right", fontweight="bold")
        ax.grid(alpha=0.25, which="major")
        ax.tick_params(labelsize=7)
    for ax in axes.ravel()[len(origins):]:
        ax.set_visible(False)
    # the classes, named once along the top row
    for ax in axes[0]:
        if not ax.get_visible():
            continue
        for k, v in classes.items():
            if v > 0:
                ax.text(v, 1.02, k.replace("_", " "), transform=ax.get_xaxis_transform(),
                        rotation=45, fontsize=6.5, ha="left", va="bottom", color="0.3")
    # the flat costs and where the data lines cross them decide: show up to 3x those
    flat = table.loc[table["origin"].isin(origins), ["cost_move_power", "cost_local_power",
                                                     "cost_move_data"]].min()
    ymax = 3.0 * float(np.nanmax(flat.to_numpy())) if flat.notna().any() else None
    if ymax and np.isfinite(ymax):
        axes[0, 0].set_ylim(0, ymax)
    for ax in axes.ravel():
        ax.set_xlabel("data intensity (TB/MWh)", fontsize=7.5)
    for ax in axes[:, 0]:
        ax.set_ylabel(f"{cur} per MWh of IT work", fontsize=7.5)
    fig.suptitle("Move data or move power? The cheapest ways to serve each origin's work "
                 "(grey lines: the work classes)", fontsize=10)
    fig.legend(list(handles.values()), list(handles.keys()), loc="outside lower center",
               ncols=3, fontsize=7.5, frameon=False)
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


def levers_chart(comparison) -> Figure:
    """The value of each lever (`netopt.compare`, issue #11.4): alone (nothing moves
    less the lever alone) and last added (all but the lever less all levers), in the
    network's currency over the horizon. The gap between a lever's two bars is its
    overlap with the others."""
    lev = comparison.levers
    net = next(iter(comparison.results.values())).network
    cur = net.settings.currency
    scale, unit = (1e9, f"bn {cur}") if lev[["alone", "last_added"]].abs().max().max() >= 1e9 \
        else (1e6, f"million {cur}")
    names = [k.replace("_", " ") for k in lev.index]
    y = np.arange(len(lev))
    fig, ax = _figure(7, 3.6)
    ax.barh(y - 0.2, lev["alone"] / scale, height=0.38, color="#9ecae1", label="alone "
            "(against nothing moving)")
    ax.barh(y + 0.2, lev["last_added"] / scale, height=0.38, color="#08519c",
            label="last added (to all the others)")
    for yy, a, b in zip(y, lev["alone"] / scale, lev["last_added"] / scale):
        ax.text(max(a, 0), yy - 0.2, f" {a:,.2f}", va="center", fontsize=7.5)
        ax.text(max(b, 0), yy + 0.2, f" {b:,.2f}", va="center", fontsize=7.5)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.axvline(0, color="#444", lw=0.8)
    ax.set_xlabel(f"cost saved, {unit} over the horizon")
    ax.set_title(f"{net.name}: what each lever is worth")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    ax.margins(x=0.15)
    return fig


def __dir__() -> list[str]:
    # what `netopt.plot.<tab>` offers: the figures, not the modules they are drawn with
    return list(__all__)
