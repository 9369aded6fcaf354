"""The report's interactive map: inline SVG with a little inline JavaScript (pan with the
mouse or a finger, zoom with the wheel or the buttons, hover or tap a site, node, link or
line for its numbers). Self-contained: no library, no font or tile is fetched.

The geometry is the static map's (`netopt.views._geo.layout`): the same projection, outlines,
curves and widths.
"""

from __future__ import annotations

import html

import numpy as np

from . import _geo

DATA_COLOUR = "#1f78b4"
POWER_COLOUR = "#e6550d"

_STYLE = """
.imap{position:relative;border:1px solid #ccc;background:#dfeaf2;touch-action:none;
user-select:none;overflow:hidden}
.imap svg{display:block;width:100%;height:auto;cursor:grab}
.imap svg.drag{cursor:grabbing}
.imap .tip{position:absolute;pointer-events:none;background:rgba(255,255,255,.96);
border:1px solid #888;border-radius:3px;padding:.3em .5em;font-size:.8em;max-width:22em;
box-shadow:0 1px 3px rgba(0,0,0,.25);display:none;white-space:pre-line}
.imap .zoom{position:absolute;right:.5em;top:.5em;display:flex;flex-direction:column;gap:2px}
.imap .zoom button{width:2em;height:2em;font-size:1em;border:1px solid #888;background:#fff;
border-radius:3px;cursor:pointer}
.imap [data-tip]:hover{filter:brightness(1.15)}
.imap .lbl{font:11px system-ui,sans-serif;paint-order:stroke;stroke:#fff;stroke-width:3px;
fill:#222;pointer-events:none}
@media print{.imap .zoom,.imap .tip{display:none}}
"""

_SCRIPT = """
(function () {
  document.querySelectorAll('.imap').forEach(function (box) {
    var svg = box.querySelector('svg'), tip = box.querySelector('.tip');
    var vb0 = svg.getAttribute('viewBox').split(' ').map(Number), vb = vb0.slice();
    var scale = svg.querySelector('.scalable');
    function set() { svg.setAttribute('viewBox', vb.join(' '));
      var k = vb[2] / vb0[2];
      svg.querySelectorAll('.lbl').forEach(function (t) {
        t.style.fontSize = (11 * k * vb0[2] / svg.clientWidth) + 'px'; });
      svg.querySelectorAll('[data-w]').forEach(function (p) {
        p.setAttribute('stroke-width', p.getAttribute('data-w') * Math.max(k, 0.15)); });
      svg.querySelectorAll('[data-r]').forEach(function (c) {
        c.setAttribute('r', c.getAttribute('data-r') * Math.max(k, 0.15)); });
    }
    function zoom(f, cx, cy) {
      var nw = Math.min(Math.max(vb[2] * f, vb0[2] / 40), vb0[2] * 2);
      f = nw / vb[2];
      if (cx === undefined) { cx = vb[0] + vb[2] / 2; cy = vb[1] + vb[3] / 2; }
      vb = [cx - (cx - vb[0]) * f, cy - (cy - vb[1]) * f, vb[2] * f, vb[3] * f]; set();
    }
    function at(e) { var r = svg.getBoundingClientRect();
      return [vb[0] + (e.clientX - r.left) / r.width * vb[2],
              vb[1] + (e.clientY - r.top) / r.height * vb[3]]; }
    svg.addEventListener('wheel', function (e) { e.preventDefault();
      var p = at(e); zoom(e.deltaY > 0 ? 1.2 : 1 / 1.2, p[0], p[1]); }, {passive: false});
    var drag = null;
    svg.addEventListener('pointerdown', function (e) {
      drag = {x: e.clientX, y: e.clientY, vb: vb.slice()}; svg.classList.add('drag'); });
    window.addEventListener('pointermove', function (e) {
      if (!drag) return; var r = svg.getBoundingClientRect();
      vb[0] = drag.vb[0] - (e.clientX - drag.x) / r.width * vb[2];
      vb[1] = drag.vb[1] - (e.clientY - drag.y) / r.height * vb[3]; set(); });
    window.addEventListener('pointerup', function () { drag = null;
      svg.classList.remove('drag'); });
    box.querySelectorAll('.zoom button').forEach(function (b) {
      b.addEventListener('click', function () { var z = b.getAttribute('data-zoom');
        if (z === 'reset') { vb = vb0.slice(); set(); } else zoom(Number(z)); }); });
    function show(e) { var t = e.target.closest('[data-tip]');
      if (!t) { tip.style.display = 'none'; return; }
      var r = box.getBoundingClientRect();
      tip.textContent = t.getAttribute('data-tip'); tip.style.display = 'block';
      var x = e.clientX - r.left + 12, y = e.clientY - r.top + 12;
      if (x + tip.offsetWidth > r.width) x = Math.max(0, x - tip.offsetWidth - 24);
      if (y + tip.offsetHeight > r.height) y = Math.max(0, y - tip.offsetHeight - 24);
      tip.style.left = x + 'px'; tip.style.top = y + 'px'; }
    svg.addEventListener('pointermove', show);
    svg.addEventListener('click', show);
    svg.addEventListener('pointerleave', function () { tip.style.display = 'none'; });
    set();
    box.setAttribute('data-ready', 'true');
  });
})();
"""


def _f(v: float) -> str:
    return f"{v:.1f}"


def _ring_path(ring: np.ndarray) -> str:
    pts = " ".join(f"{_f(x)},{_f(-y)}" for x, y in ring)
    return f"M{pts}Z"


def _num(v: float, unit: str) -> str:
    if not np.isfinite(v):
        return f"unlimited {unit}".strip()
    for div, pre in ((1e9, " bn"), (1e6, " M"), (1e3, " k")):
        if abs(v) >= 10 * div:
            return f"{v / div:,.1f}{pre} {unit}".strip()
    return f"{v:,.0f} {unit}".strip()


def _gbps(v: float) -> str:
    return f"{v / 1000:,.1f} Tbit/s" if v >= 1000 else f"{v:,.1f} Gbit/s"


def svg_map(result) -> str:
    """The interactive map of a solved result, as an HTML fragment (a ``<figure>``)."""
    lay = _geo.layout(result)
    b = _geo.boundaries()
    cur = lay.currency
    x0, x1, y0, y1 = lay.frame
    scale = 1.3 * (x1 - x0) / 900  # km per CSS pixel at the report's full width, x1.3
    out = []
    for code, item in b["countries"].items():
        if code == "CN":
            continue
        d = "".join(_ring_path(r) for r in item["rings"])
        out.append(f'<path d="{d}" fill="#eeede8" stroke="#b9b6ad" '
                   f'stroke-width="{_f(0.6 * scale)}"><title>{html.escape(item["name"])}'
                   f'</title></path>')
    for code, item in b["provinces"].items():
        d = "".join(_ring_path(r) for r in item["rings"])
        fill = "#ffffff" if code == lay.focus else "#fbfaf6"
        out.append(f'<path d="{d}" fill="{fill}" stroke="#c9c5ba" '
                   f'stroke-width="{_f(0.7 * scale)}"><title>{html.escape(item["name"])} '
                   f'{html.escape(item["zh"])}</title></path>')
    for ring in b["countries"]["CN"]["rings"]:
        out.append(f'<path d="{_ring_path(ring)}" fill="none" stroke="#77736a" '
                   f'stroke-width="{_f(1.0 * scale)}" pointer-events="none"/>')

    data_top = max([e.value for e in lay.edges if e.kind == "data"] + [1e-9])
    power_top = max([e.value for e in lay.edges if e.kind == "power"] + [1e-9])
    out.append(f'<defs><marker id="ad" viewBox="0 0 10 10" refX="8" refY="5" '
               f'markerWidth="3.2" markerHeight="3.2" orient="auto-start-reverse">'
               f'<path d="M0,0L10,5L0,10z" fill="{DATA_COLOUR}"/></marker>'
               f'<marker id="ap" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="3.2" '
               f'markerHeight="3.2" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" '
               f'fill="{POWER_COLOUR}"/></marker></defs>')
    edges = sorted(lay.edges, key=lambda e: (e.used, e.value))
    for e in edges:
        a, bnode = lay.nodes[e.a], lay.nodes[e.b]
        d = (f"M{_f(e.p0[0])},{_f(-e.p0[1])}Q{_f(e.ctrl[0])},{_f(-e.ctrl[1])} "
             f"{_f(e.p1[0])},{_f(-e.p1[1])}")
        colour = DATA_COLOUR if e.kind == "data" else POWER_COLOUR
        if e.kind == "data":
            tip = (f"fibre link {e.id}\n{a.label} → {bnode.label}: {_gbps(e.value)} average"
                   f"\n{bnode.label} → {a.label}: {_gbps(e.back)} average"
                   f"\n{_num(e.tb, 'TB')} moved over the horizon"
                   f"\ncapacity {_gbps(e.capacity) if np.isfinite(e.capacity) else 'unlimited'}"
                   f", busiest period {e.utilisation:.0%} used")
            w = 1.0 + 7.0 * e.value / data_top
        else:
            tip = (f"power line {e.id}\n{a.label} → {bnode.label}: "
                   f"{_num(e.value, 'MW')} average"
                   + (f"\n{bnode.label} → {a.label}: {_num(e.back, 'MW')} average"
                      if e.back > 0 else "")
                   + f"\n{_num(e.mwh, 'MWh')} sent over the horizon"
                   f"\ncapacity {_num(e.capacity, 'MW')}, busiest period "
                   f"{e.utilisation:.0%} used")
            w = 1.0 + 7.0 * e.value / power_top
        if not e.used:
            tip += "\n(unused in this plan)"
            out.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-opacity=".35" '
                       f'data-w="{_f(1.2 * scale)}" stroke-width="{_f(1.2 * scale)}"'
                       + (f' stroke-dasharray="{_f(4 * scale)} {_f(3 * scale)}"'
                          if e.kind == "power" else "")
                       + f' data-tip="{html.escape(tip)}" class="edge"/>')
        else:
            m = "ad" if e.kind == "data" else "ap"
            ends = f' marker-end="url(#{m})"' + (
                f' marker-start="url(#{m})"' if e.back > 0.05 * e.value else "")
            out.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-opacity=".85" '
                       f'data-w="{_f(w * scale)}" stroke-width="{_f(w * scale)}"{ends} '
                       f'data-tip="{html.escape(tip)}" class="edge"/>')

    mw_top = max([v for n in lay.nodes.values() for v in (n.capacity_mw, n.load_mw)
                  if np.isfinite(v)] + [1e-9])
    prices = [n.price for n in lay.nodes.values() if n.site and np.isfinite(n.price)]
    lo, hi = min(prices, default=0.0), max(prices, default=1.0)
    import matplotlib as mpl
    cmap = mpl.colormaps["viridis"]
    labels = []
    for n in sorted(lay.nodes.values(), key=lambda n: -max(n.capacity_mw if
                                                           np.isfinite(n.capacity_mw) else 0,
                                                           n.load_mw)):
        price = (f"electricity {n.price:,.0f} {cur}/MWh" if np.isfinite(n.price)
                 else "electricity price: none (no balance here)")
        if n.site:
            cap = "unlimited" if not np.isfinite(n.capacity_mw) else f"{n.capacity_mw:,.0f} MW"
            util = f" ({n.utilisation:.0%} used)" if np.isfinite(n.utilisation) else ""
            tip = (f"{n.label} (site {n.site}; node {n.id})\nIT load {n.load_mw:,.0f} MW of "
                   f"{cap}{util}\n{price}")
            if n.demand_mw:
                tip += f"\ndemand from here {n.demand_mw:,.0f} MW of IT"
            r_load = np.sqrt(16 + 700 * min(n.load_mw, mw_top) / mw_top) / 2 * scale
            if np.isfinite(n.capacity_mw) and n.capacity_mw > n.load_mw:
                r_cap = np.sqrt(16 + 700 * n.capacity_mw / mw_top) / 2 * scale
                out.append(f'<circle cx="{_f(n.x)}" cy="{_f(-n.y)}" r="{_f(r_cap)}" '
                           f'data-r="{_f(r_cap)}" fill="#fff" stroke="#555" '
                           f'stroke-width="{_f(0.8 * scale)}" data-tip="{html.escape(tip)}" '
                           f'class="node"/>')
            c = mpl.colors.to_hex(cmap((n.price - lo) / (hi - lo) if hi > lo else 0.5))
            out.append(f'<circle cx="{_f(n.x)}" cy="{_f(-n.y)}" r="{_f(r_load)}" '
                       f'data-r="{_f(r_load)}" fill="{c}" stroke="#222" '
                       f'stroke-width="{_f(0.6 * scale)}" data-tip="{html.escape(tip)}" '
                       f'class="node site"/>')
            off = r_load
        else:
            tip = (f"{n.label} (node {n.id}, no site)\ndemand from here "
                   f"{n.demand_mw:,.0f} MW of IT\n{price}")
            s = 3.5 * scale
            out.append(f'<rect x="{_f(n.x - s)}" y="{_f(-n.y - s)}" width="{_f(2 * s)}" '
                       f'height="{_f(2 * s)}" fill="#444" stroke="#fff" '
                       f'stroke-width="{_f(0.6 * scale)}" data-tip="{html.escape(tip)}" '
                       f'class="node"/>')
            off = s
        labels.append(f'<text class="lbl" x="{_f(n.x + off + 3 * scale)}" '
                      f'y="{_f(-n.y + 4 * scale)}">{html.escape(n.label)}</text>')
    out += labels
    vb = f"{_f(x0)} {_f(-y1)} {_f(x1 - x0)} {_f(y1 - y0)}"
    legend = (f'<figcaption>Interactive map of {html.escape(lay.name)}: drag to pan, wheel '
              f'or buttons to zoom, hover (or tap) a site, node, link or line for its '
              f'numbers. <span style="color:{DATA_COLOUR}">━</span> data moved over a fibre '
              f'link, <span style="color:{POWER_COLOUR}">━</span> power sent over a line '
              f'(width: average volume; arrow: direction; faint: unused); discs: sites, '
              f'area = IT load, ring = capacity, colour = electricity price ({lo:,.0f} '
              f'{cur}/MWh dark purple to {hi:,.0f} yellow); squares: nodes without a site. '
              f'Albers equal-area projection; outlines DCW-GMT.</figcaption>')
    return (f'<style>{_STYLE}</style><figure class="imapfig"><div class="imap" '
            f'id="imap"><svg viewBox="{vb}" '
            f'role="img" aria-label="interactive map of {html.escape(lay.name)}">'
            f'<g class="scalable">{"".join(out)}</g></svg><div class="tip"></div>'
            f'<div class="zoom"><button type="button" data-zoom="0.667" aria-label="zoom in">'
            f'+</button><button type="button" data-zoom="1.5" aria-label="zoom out">−'
            f'</button><button type="button" data-zoom="reset" aria-label="reset view">⟲'
            f'</button></div></div>{legend}</figure><script>{_SCRIPT}</script>')
