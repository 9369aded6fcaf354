"""One self-contained HTML report: every figure embedded, nothing fetched from outside."""

from __future__ import annotations

import base64
import html
import io
import os
from pathlib import Path

import numpy as np
import pandas as pd

from . import _svgmap, plot
from .._files import _version, check_file, write_text_atomic
from ..analysis.counterfactuals import SCENARIOS, compare
from ..errors import NetoptError
from ..data.network import Network
from ..solving.optimize import solve
from ..solving.results import Result

__all__ = ["html_report", "write_html_report"]

# marks the file as netopt's, so a later report may replace it (README, "Trust")
_MARK = '<meta name="generator" content="netopt'

# Fonts: a stack that has the CJK glyphs of place names and of 东数西算 on each system
# (Noto CJK on Linux, as CI installs it; PingFang, Microsoft YaHei elsewhere).
_FONTS = ('system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",'
          '"Noto Sans SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB",'
          '"Microsoft YaHei","WenQuanYi Micro Hei",sans-serif')
_STYLE = """
*{box-sizing:border-box}
body{font-family:%s;max-width:980px;margin:2em auto;padding:0 1em;color:#222;
line-height:1.45}
h1{font-size:1.6em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:2em}
.tbl{overflow-x:auto;max-width:100%%;margin:.5em 0}
table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;
padding:.25em .6em;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}th{background:#f3f3f3}
.sources td,.sources th{text-align:left}
pre{background:#f6f6f6;padding:1em;overflow-x:auto;font-size:.85em}
img{max-width:100%%;height:auto}figure{margin:1em 0}
figcaption{font-size:.85em;color:#444;margin-top:.3em}
p,li,td,th,figcaption{overflow-wrap:anywhere}
.sources{font-size:.92em}.sources table{font-size:.85em}
@media (max-width:600px){body{margin:1em auto;padding:0 .6em}h1{font-size:1.3em}
pre{font-size:.7em;padding:.6em}table{font-size:.8em}}
@media print{body{max-width:none;margin:0;font-size:10pt}h2{break-after:avoid}
img,figure,table,pre{break-inside:avoid}.tbl{overflow:visible}pre{white-space:pre-wrap}
a{color:inherit;text-decoration:none}}
""" % _FONTS
# Words for the columns and rows of the tables: the text summary's words.
_WORDS = {"data_transport": "moving data", "electricity": "electricity", "carbon": "carbon",
          "transmission": "power-line tariffs", "unserved": "unserved demand",
          "expansion": "capacity built", "fixed": "sites opened", "total": "total",
          "capital": "capital (annualised)", "operating": "operating",
          "transmission_losses_mwh": "line losses (MWh)", "emissions_t": "emissions (t CO2)",
          "data_moved_tb": "data moved (TB)", "saving_by_joint": "saved by the joint plan",
          "joint": "joint plan", "move_power_only": "move power only",
          "move_data_only": "move data only", "east": "east", "west": "west",
          "scenario": "case", "kind": "what", "unit": "unit", "amount": "amount",
          "cost": "cost", "class": "class", "origin": "origin", "mwh_it": "MWh of IT work",
          "reason": "why", "site": "site", "link": "fibre link", "line": "power line",
          "open site": "site opened", "MW_IT": "MW of IT"}


# storage and the four levers (issue #11)
_WORDS.update({"power_mw": "power (MW)", "energy_mwh": "energy (MWh)",
               "discharged_mwh": "discharged (MWh)", "losses_mwh": "lost (MWh)",
               "cycles_per_year": "cycles a year", "throughput_cost": "throughput cost",
               "value_per_mw": "value of one more MW a year",
               "value_per_mwh": "value of one more MWh a year", "node": "node",
               "alone": "value alone", "last_added": "value last added",
               "overlap": "overlap", "emissions_cut_alone": "CO2 cut alone (t)",
               "emissions_cut_last_added": "CO2 cut last added (t)",
               "storage_mw": "storage power", "storage_mwh": "storage energy",
               "pumped_hydro": "pumped hydro", "battery": "battery"})
# electric loads
_WORDS.update({"supplied_mwh": "supplied (MWh)", "shed_mwh": "shed (MWh)",
               "average_price": "average price", "shed_cost": "cost of shedding",
               "load_mwh": "electric loads supplied (MWh)",
               "load_shed_mwh": "electric load shed (MWh)",
               "loads_power_cost": "electric loads' power"})


def _word(key) -> str:
    if isinstance(key, tuple):
        return " / ".join(_word(k) for k in key)
    return _WORDS.get(str(key), str(key))


# Marks the page once every figure has decoded, so a browser test can check it.
_CHECK = """
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var ok = imgs.every(function (i) { return i.complete && i.naturalWidth > 0; });
  document.body.setAttribute('data-figures', imgs.length);
  document.body.setAttribute('data-figures-ok', ok ? 'true' : 'false');
  var fetched = performance.getEntriesByType('resource').filter(function (e) {
    return /^(https?|ftp|wss?):/.test(e.name); });
  document.body.setAttribute('data-external-requests', fetched.length);
  // the page fits the window: nothing wider than the screen but the tables' own scroll
  document.body.setAttribute('data-page-overflow',
    document.documentElement.scrollWidth > window.innerWidth + 1 ? 'true' : 'false');
});
"""


def _img(fig, alt: str) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    data = base64.b64encode(buf.getvalue()).decode()
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _table(df: pd.DataFrame, fmt: str = "{:,.0f}", index: str | None = None) -> str:
    """A table in the report's words: no index name row, no row numbers; ``index`` names
    the first column (the index), which is left out when it is a plain 0..n-1 range."""
    plain = isinstance(df.index, pd.RangeIndex)
    head = ([] if plain else [index or _word(df.index.name or "")]) + [_word(c) for c in
                                                                         df.columns]
    rows = []
    for key, row in df.iterrows():
        cells = [] if plain else [f"<th>{html.escape(_word(key))}</th>"]
        for v in row:
            if isinstance(v, (int, float, np.floating, np.integer)) and not isinstance(v, bool):
                text = fmt.format(v) if np.isfinite(v) else ("unlimited" if v > 0 else "—")
            else:
                text = _word(v)
            cells.append(f"<td>{html.escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return ('<div class="tbl"><table><thead><tr>' + "".join(
        f"<th>{html.escape(h)}</th>" for h in head) + "</tr></thead><tbody>" +
        "".join(rows) + "</tbody></table></div>")


def _markdown(text: str) -> str:
    """SOURCES.md as HTML (tables, lists, emphasis), with raw HTML and images turned
    off: the report must fetch nothing and run nothing it did not write."""
    import markdown
    md = markdown.Markdown(extensions=["tables", "sane_lists"])
    md.preprocessors.deregister("html_block")
    for name in ("html", "image_link", "image_reference", "short_image_ref"):
        if name in md.inlinePatterns:
            md.inlinePatterns.deregister(name)
    body = md.convert(text)
    return body.replace("<table>", '<div class="tbl"><table>').replace(
        "</table>", "</table></div>")


def html_report(network: Network, result: Result | None = None, *,
                sources_file: str | os.PathLike | None = None) -> str:
    """The report as one HTML string: summary, costs, map, placement by class, the
    data-vs-power comparison and the instance's sources.

    Parameters
    ----------
    network : Network
    result : Result, optional
        A solved result; solved here if not given.
    sources_file : path, optional
        The instance's SOURCES.md, rendered from its Markdown.
    """
    # Read first: a bad SOURCES.md should fail before the solve and the figures.
    sources = (_sources_text(sources_file)
               if sources_file and Path(sources_file).is_file() else None)
    result = result or solve(network)
    cur = network.settings.currency
    parts = [f"<h1>netopt report: {html.escape(network.name)}</h1>",
             f"<p>{html.escape(network.settings.description)}</p>",
             "<h2>Summary</h2>", f"<pre>{html.escape(result.summary())}</pre>"]
    if result.ok:
        c = result.costs
        c = c[[k for k in c.index if k not in ("expansion", "fixed") or c[k]]]
        costs = c.to_frame(f"{cur} over the horizon")
        costs["share"] = [f"{v / c['total']:.1%}" if c["total"] else "—" for v in c]
        parts += ["<h2>Costs</h2>", _table(costs, index="part"),
                  _img(plot.cost_breakdown(result), "cost breakdown")]
        parts += ["<h2>Map</h2>", _svgmap.svg_map(result),
                  "<p>The same map as a picture (for print and for the command line's "
                  "<code>--plot</code>):</p>", _img(plot.solution_map(result), "solution map")]
        bc = result.by_class
        parts += ["<h2>Placement by class (MWh of IT work)</h2>", _table(bc, index="class")]
        if len(network.storage):  # storage (issue #11.2)
            su = result.storage_units[
                ["node", "kind", "power_mw", "energy_mwh", "discharged_mwh", "losses_mwh",
                 "cycles_per_year", "throughput_cost", "value_per_mw", "value_per_mwh"]]
            parts += ["<h2>Storage</h2>",
                      f"<p>Each unit's power and energy (with what is built), MWh "
                      f"discharged and lost over the horizon, cycles a year, and what one "
                      f"more MW or MWh would save a year ({cur}; duals).</p>",
                      _table(su, index="storage")]
        if len(network.loads):  # electric loads: power, not computing
            ld = result.loads.groupby(level="node", sort=False)[
                ["supplied_mwh", "shed_mwh", "cost", "shed_cost"]].sum()
            ld.insert(2, "average_price", (ld["cost"] / ld["supplied_mwh"]).where(
                ld["supplied_mwh"] > 0))
            parts += ["<h2>Electric loads</h2>",
                      f"<p>Power taken at a node that is not computing (a receiving grid's "
                      f"own demand): MWh supplied and shed over the horizon, the node's "
                      f"marginal price averaged over the MWh supplied ({cur}/MWh), what "
                      f"the load pays at that price and the cost of what is shed "
                      f"({cur}).</p>", _table(ld, index="node")]
        comp = compare(network)
        t = comp.table.set_index("scenario").loc[list(SCENARIOS)]
        t.index.name = "case"
        cols = [c for c in ("total", "capital", "operating", "data_transport",
                            "electricity", "carbon", "transmission", "unserved",
                            "transmission_losses_mwh", "emissions_t", "data_moved_tb",
                            "load_mwh", "load_shed_mwh", "loads_power_cost",
                            "saving_by_joint") if c in t]
        parts += ["<h2>Move data or move power</h2>",
                  "<p>The joint optimum against moving power only (work stays in its "
                  "origin's zone) and moving data only (no power line carries power). "
                  "Each case may build what the instance lets it build; capital is "
                  "annualised.</p>",
                  _table(t[cols].T, index="per year, " + cur)]
        b3 = comp.builds[comp.builds["scenario"].isin(SCENARIOS)]
        if len(b3):
            parts += ["<p>What each case builds:</p>",
                      _table(b3.groupby(["scenario", "kind", "unit"])[
                          ["amount", "cost"]].sum(), index="case / what / unit")]
        if len(comp.levelised):
            parts += [f"<p>Cost per MWh of eastern computing served ({cur}/MWh of IT "
                      "energy, every cost of the plan included):</p>",
                      _table(comp.levelised, index="class")]
        lev = comp.table.set_index("scenario")[["total", "emissions_t", "curtailed_mwh",
                                                 "unserved_mwh"]]
        lev.index = [k.replace("_", " ") for k in lev.index]
        parts += ["<h3>Four levers: move data, move power, shift in time, store "
                  "energy</h3>",
                  "<p>Nothing moves: work runs in its origin's zone, no power line "
                  "carries power, deferrable work is served hour by hour as it comes, "
                  "no storage. Each lever alone, and all levers but one. A lever's value "
                  "alone is what it saves against nothing moving; last added, what it "
                  "saves on top of all the others; the difference is their overlap.</p>",
                  _table(lev.rename(columns={
                      "total": f"total cost ({cur})", "emissions_t": "emissions (t)",
                      "curtailed_mwh": "clean supply unused (MWh)",
                      "unserved_mwh": "unserved (MWh)"}), index="case"),
                  _table(comp.levers.rename(lambda k: k.replace("_", " ")),
                         index="lever"),
                  _img(plot.levers_chart(comp), "the value of each lever")]
        if len(comp.unserved):
            parts += ["<p>Unserved demand in the counterfactuals:</p>",
                      _table(comp.unserved, "{:,.0f}")]
        try:  # the chart computes the break-even table once; empty, it says so
            chart = _img(plot.breakeven_chart(network), "break-even chart")
        except plot.NoBreakEvenError:
            parts.append("<p>No origin's work can choose between moving its data to a "
                         "western site and moving power to it: no break-even to show.</p>")
        else:
            parts += ["<p>Which is cheaper for each origin's work, by how much data it "
                      "carries per MWh: moving the data to a western site (solid lines), or "
                      "bringing western power to the origin's home site (dashed), or local "
                      "power (dotted). A class to the left of where the lines cross goes "
                      "west.</p>", chart]
        parts += _sensitivity(network)
    else:
        parts.append(f"<p><strong>No optimal solution: {html.escape(str(result.status))}"
                     f"</strong> ({html.escape(result.message)})</p>")
    if sources is not None:
        parts += ["<h2>Sources</h2>", f'<div class="sources">{_markdown(sources)}</div>']
    body = "\n".join(parts)
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"{_MARK} {html.escape(_version())}\">"
            f"<title>netopt: {html.escape(network.name)}</title><style>{_STYLE}</style>"
            f"<script>{_CHECK}</script></head><body>\n{body}\n</body></html>\n")


def _sensitivity(network: Network, growth: float = 2.0) -> list[str]:
    """The two-way chart of the price of moving data against the cost of building in
    the east, with demand grown by ``growth`` (where to build is a question about
    growth); nothing when the instance has no data price setting or no eastern site
    that may grow."""
    from ..analysis.scenarios import apply
    from ..analysis.sensitivity import two_way
    per_km = network.settings.data_cost_per_tb_km
    sites = network.sites
    east = sites.index[(network.nodes.loc[sites["node"], "region"].to_numpy() == "east")
                       & sites["max_it_capacity_mw"].notna().to_numpy()
                       & (sites["capex_per_mw"] > 0).to_numpy()]
    if not per_km or not len(east):
        return []
    base = float(sites.loc[east, "capex_per_mw"].mean())
    x = "settings.data_cost_per_tb_km"
    y = f"sites.capex_per_mw[id={'|'.join(east)}]"
    grid = two_way(apply(network, {"demand.mw_it": f"*{growth:g}"}),
                   (x, [per_km * f for f in (0.5, 1, 2, 4, 8)]),
                   (y, [base * f for f in (0.6, 0.8, 1, 1.2, 1.4)]))
    cur = network.settings.currency
    fig = plot.two_way_chart(grid, x, y, xscale=2000, yscale=1e-6,
                             xlabel=f"moving data ({cur} per TB over 2,000 km)",
                             ylabel=f"east build cost (M {cur}/MW_IT)",
                             title=f"Share of eastern work served in the west, demand "
                                   f"x {growth:g}")
    return ["<h2>How the answer moves</h2>",
            f"<p>The two least certain inputs: the price of moving data and the cost of "
            f"building a data centre in the east. Demand is multiplied by {growth:g} (a "
            f"growth scenario, not a forecast), so that new capacity must be built.</p>",
            _img(fig, "two-way sensitivity chart")]


def _sources_text(path: str | os.PathLike) -> str:
    """SOURCES.md as text; a file that is not UTF-8 is an input error (exit 2), not a
    traceback."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NetoptError(f"{Path(path).name} is not UTF-8 text (byte {exc.start}); save "
                          "it as UTF-8") from None


def write_html_report(path: str | os.PathLike, network: Network,
                      result: Result | None = None, overwrite: bool = False, **kw) -> Path:
    """Write the report, whole or not at all (a temporary file is moved into place).

    Parameters
    ----------
    path : str or path
        The HTML file. An existing report netopt wrote (it carries
        ``<meta name="generator" content="netopt ...">``) is replaced only with
        ``overwrite``; any other existing file never is.
    network, result, **kw
        As for `html_report`.
    overwrite : bool
        Replace a report netopt wrote before.

    Raises
    ------
    OutputExistsError
        If ``path`` may not be replaced; nothing is written.
    OSError
        If writing fails (a full disk); ``path`` is unchanged and no temporary file
        is left behind.
    """
    check_file(path, is_netopt_html, overwrite=overwrite)
    text = html_report(network, result, **kw)
    check_file(path, is_netopt_html, overwrite=overwrite)  # it may have appeared meanwhile
    return write_text_atomic(path, text)


def is_netopt_html(path: str | os.PathLike) -> bool:
    """True if the file at ``path`` is a report netopt wrote (by its generator tag)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return _MARK.encode() in head
