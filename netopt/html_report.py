"""One self-contained HTML report: every figure embedded, nothing fetched from outside."""

from __future__ import annotations

import base64
import html
import io
import os
from pathlib import Path

import pandas as pd

from . import plot
from ._files import _version, check_file, write_text_atomic
from .counterfactuals import compare
from .errors import NetoptError
from .network import Network
from .optimize import solve
from .results import Result

__all__ = ["html_report", "write_html_report"]

# marks the file as netopt's, so a later report may replace it (README, "Trust")
_MARK = '<meta name="generator" content="netopt'

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;
color:#222}
h1{font-size:1.6em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:2em}
table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .6em;
text-align:right}th:first-child,td:first-child{text-align:left}
pre{background:#f6f6f6;padding:1em;overflow-x:auto;font-size:.85em}
img{max-width:100%}
"""
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
});
"""


def _img(fig, alt: str) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    data = base64.b64encode(buf.getvalue()).decode()
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _table(df: pd.DataFrame, fmt: str = "{:,.0f}") -> str:
    return df.to_html(float_format=lambda v: fmt.format(v), border=0, escape=True)


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
        The instance's SOURCES.md, shown verbatim.
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
        costs = result.costs.to_frame(f"{cur} over the horizon")
        parts += ["<h2>Costs</h2>", _table(costs), _img(plot.cost_breakdown(result),
                                                        "cost breakdown")]
        parts += ["<h2>Map</h2>", _img(plot.solution_map(result), "solution map")]
        bc = result.by_class()
        parts += ["<h2>Placement by class (MWh of IT work)</h2>", _table(bc)]
        comp = compare(network)
        t = comp.table.set_index("scenario")
        cols = [c for c in ("total", "data_transport", "electricity", "carbon",
                            "transmission", "unserved", "transmission_losses_mwh",
                            "emissions_t", "data_moved_tb", "saving_by_joint") if c in t]
        parts += ["<h2>Move data or move power</h2>",
                  "<p>The joint optimum against moving power only (work stays in its "
                  "origin's zone) and moving data only (no power line carries power).</p>",
                  _table(t[cols].T)]
        if len(comp.unserved):
            parts += ["<p>Unserved demand in the counterfactuals:</p>",
                      _table(comp.unserved, "{:,.0f}")]
        parts.append(_img(plot.breakeven_chart(network), "break-even chart"))
    else:
        parts.append(f"<p><strong>No optimal solution: {html.escape(str(result.status))}"
                     f"</strong> ({html.escape(result.message)})</p>")
    if sources is not None:
        parts += ["<h2>Sources</h2>", f"<pre>{html.escape(sources)}</pre>"]
    body = "\n".join(parts)
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"{_MARK} {html.escape(_version())}\">"
            f"<title>netopt: {html.escape(network.name)}</title><style>{_STYLE}</style>"
            f"<script>{_CHECK}</script></head><body>\n{body}\n</body></html>\n")


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
