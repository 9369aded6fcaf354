"""Surplus clean power: export it over the lines, compute with it at home, or let it go.

The question behind "East Data, West Computing" for one surplus (Sichuan's wet-season
hydro that would otherwise be spilled): is a MWh of it worth more sent east over the UHV
lines, or used in a data centre next to it for work that comes from the east as data?

Closed form, for the marginal MWh of surplus at price ``p_h`` (all per MWh of surplus):

- **compute at home**: the MWh runs ``1 / PUE_w`` MWh_IT of eastern work in the west; the
  work's data crosses the backbone (``delta`` TB per MWh_IT at ``c`` per TB), and the
  eastern data centre it leaves would have drawn ``PUE_e`` MWh of eastern power at
  ``p_e`` (plus carbon) per MWh_IT. New western capacity adds ``k_s`` per MWh_IT::

      V_home = (PUE_e * p_e' - delta * c - k_s) / PUE_w - p_h'

- **export**: ``eta`` MWh arrive in the east and displace eastern power at ``p_e'``; the
  line charges its tariff ``tau`` per MWh sent (and new line capacity ``k_l``)::

      V_export = eta * p_e' - tau - k_l - p_h'

- **let it go**: ``V_unused = 0``.

``p_e' = p_e + carbon_price * e_e`` and ``p_h' = p_h + carbon_price * e_h``. The surplus
goes to the largest of the three. ``p_h'`` cancels between home and export, so home wins
iff ``delta * c + k_s < PUE_e * p_e' - PUE_w * (eta * p_e' - tau - k_l)``: the right-hand
side is the most moving the data may cost per MWh_IT (`marginal_value`).

`surplus_options` solves a network four ways (unused, export, home, both) and tabulates
what each does with the surplus: MWh used, exported and lost, cost with annualised
capital, emissions, data-centre capacity built (MW and standard racks) and the backbone
traffic the home option needs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.network import Network
from ..solving.optimize import solve
from ..model.formulation import TB_PER_GBPS_HOUR
from ..solving.keys import built as built_of

__all__ = ["marginal_value", "surplus_options", "SCENARIOS", "RACK_KW"]

#: A standard rack is 2.5 kW of IT load (MIIT's convention).
RACK_KW = 2.5

#: The four ways of `surplus_options`, in table order.
SCENARIOS = ("unused", "export", "home", "both")


def marginal_value(*, p_h: float, p_e: float, pue_w: float, pue_e: float, eta: float,
                   tariff: float, delta: float, cost_per_tb: float,
                   carbon_price: float = 0.0, e_e: float = 0.0, e_h: float = 0.0,
                   k_site: float = 0.0, k_line: float = 0.0) -> dict[str, float | str]:
    """What one more MWh of surplus is worth used at home, exported, or left unused.

    Parameters
    ----------
    p_h, p_e : float
        Price of the surplus and of eastern power, per MWh.
    pue_w, pue_e : float
        PUE of the western (home) and the eastern data centre.
    eta, tariff : float
        Line efficiency (share arriving) and tariff per MWh sent.
    delta, cost_per_tb : float
        Data intensity of the work (TB per MWh_IT) and the price of moving a TB east-west.
    carbon_price, e_e, e_h : float
        Carbon price and emission factors (t CO2/MWh) of eastern power and the surplus.
    k_site, k_line : float
        Capital per MWh_IT of new home capacity, per MWh sent of new line capacity.

    Returns
    -------
    dict
        ``home``, ``export``, ``unused`` (0): value per MWh of surplus; ``winner``;
        ``max_data_cost``: the most moving the data may cost per MWh_IT for home to beat
        export (``PUE_e p_e' - PUE_w (eta p_e' - tariff - k_line) - k_site``).

    Examples
    --------
    >>> v = marginal_value(p_h=300, p_e=700, pue_w=1.2, pue_e=1.25, eta=0.94,
    ...                    tariff=68.5, delta=1.5, cost_per_tb=30)
    >>> round(v["home"], 1), round(v["export"], 1), v["winner"]
    (391.7, 289.5, 'home')
    >>> round(v["max_data_cost"], 1)
    167.6
    """
    pe = p_e + carbon_price * e_e
    ph = p_h + carbon_price * e_h
    home = (pue_e * pe - delta * cost_per_tb - k_site) / pue_w - ph
    export = eta * pe - tariff - k_line - ph
    values = {"home": home, "export": export, "unused": 0.0}
    return {**values, "winner": max(values, key=values.get),
            "max_data_cost": pue_e * pe - pue_w * (eta * pe - tariff - k_line) - k_site}


def surplus_options(network: Network, surplus: list[str], export_lines: list[str],
                    home_sites: list[str], *, build_mw: float | None = None,
                    solver: str = "highs") -> pd.DataFrame:
    """Solve a network four ways and say what each does with a surplus.

    - ``unused``: the export lines carry nothing and the home sites cannot grow;
    - ``export``: the export lines are open, the home sites cannot grow;
    - ``home``: the export lines carry nothing, the home sites may grow (their
      ``max_it_capacity_mw`` at their capital cost);
    - ``both``: the network as given.

    Parameters
    ----------
    network : Network
    surplus : list of str
        Source ids whose energy is the surplus.
    export_lines : list of str
        Power-line ids of the export option.
    home_sites : list of str
        Site ids of the home option (data centres next to the surplus).
    build_mw : float, optional
        Force this much IT capacity to be added at the home sites in ``home`` and
        ``both`` (spread in proportion to their room to grow), paying its annualised
        capital even where it runs idle; default: the LP chooses.
    solver : str

    Returns
    -------
    DataFrame
        Indexed by scenario: ``total`` (cost over the horizon with annualised capital),
        ``capital``, ``surplus_used_mwh``, ``surplus_unused_mwh``, ``exported_mwh``
        (sent into the export lines), ``delivered_mwh``, ``losses_mwh``,
        ``home_remote_mwh_it`` (IT energy at home sites of work from outside their zone),
        ``built_mw``, ``built_racks``, ``backbone_tbps`` (busiest period's data rate of
        that work), ``emissions_t``; and against ``unused``: ``saving``,
        ``co2_avoided_t``, ``extra_surplus_used_mwh``.

    Examples
    --------
    >>> import netopt
    >>> net = netopt.load("sichuan")
    >>> t = surplus_options(net, ["hydro_ganzi", "hydro_aba", "hydro_liangshan"],
    ...                     ["xiangjiaba-shanghai", "jinping-sunan", "xiluodu-zhexi",
    ...                      "baihetan-jiangsu", "baihetan-zhejiang"], ["yaan_dc"])
    >>> bool(t.loc["both", "total"] <= t[["total"]].min().iloc[0] + 1e-6 * t["total"].max())
    True
    """
    tables = network.tables
    sites, lines = tables["sites"], tables["power_lines"]
    for name, ids, table in (("source", surplus, tables["sources"]),
                             ("power line", export_lines, lines), ("site", home_sites, sites)):
        unknown = sorted(set(ids) - set(table.index))
        if unknown:
            raise KeyError(f"unknown {name} id(s): {', '.join(map(str, unknown))}")
    closed = lines.copy()
    closed.loc[export_lines, "capacity_mw"] = 0.0
    closed.loc[export_lines, "max_capacity_mw"] = np.nan
    fixed = sites.copy()
    fixed.loc[home_sites, "max_it_capacity_mw"] = np.nan
    forced, capital_forced = sites, 0.0
    if build_mw is not None:
        room = (sites.loc[home_sites, "max_it_capacity_mw"].fillna(0.0)
                - sites.loc[home_sites, "it_capacity_mw"]).clip(lower=0.0)
        if build_mw > room.sum() + 1e-9:
            raise ValueError(f"build_mw={build_mw} exceeds the home sites' room to grow "
                             f"({room.sum():g} MW)")
        add = room / room.sum() * build_mw if room.sum() > 0 else room
        forced = fixed.copy()
        forced.loc[home_sites, "it_capacity_mw"] += add
        hours = float(network.periods["weight_h"].sum())
        capital_forced = float((add * network.annual_capex["sites"].loc[home_sites]).sum()
                               * hours / 8760.0)
    variants = {"unused": (fixed, closed), "export": (fixed, lines),
                "home": (forced, closed), "both": (forced, lines)}
    zone = network.nodes["zone"].where(network.nodes["zone"] != "", network.nodes.index)
    rows = {}
    for name in SCENARIOS:
        s_tab, l_tab = variants[name]
        net = Network(**{**tables, "sites": s_tab, "power_lines": l_tab},
                      settings=network.settings)
        r = solve(net, solver=solver)
        if not r.ok:
            raise RuntimeError(f"{name}: {r.status}")
        src = r.sources[r.sources.index.get_level_values("source").isin(surplus)]
        pl = r.power_lines[r.power_lines["line"].isin(export_lines)]
        place = r.placement.reset_index()  # keys as columns, to filter on
        remote = place[place["site"].isin(home_sites)
                       & (zone.loc[place["origin"]].to_numpy()
                          != zone.loc[place["node"]].to_numpy())]
        hours = net.periods["weight_h"]
        gbps = (remote.groupby("period")["tb_moved"].sum() / hours.reindex(
            remote["period"].unique()) / TB_PER_GBPS_HOUR) if len(remote) else pd.Series(0.0)
        built = built_of(r.builds, "site")
        built = built[built.index.isin(home_sites)]
        capital = float(r.costs["expansion"] + r.costs["fixed"])
        built_mw = float(built.sum())
        if build_mw is not None and name in ("home", "both"):
            capital += capital_forced
            built_mw += build_mw
        rows[name] = {
            "total": float(r.objective) + (capital_forced if build_mw is not None
                                           and name in ("home", "both") else 0.0),
            "capital": capital,
            "surplus_used_mwh": float(src["generation_mwh"].sum()),
            "surplus_unused_mwh": float(src["curtailed_mwh"].sum()),
            "exported_mwh": float(pl["sent_mwh"].sum()),
            "delivered_mwh": float(pl["delivered_mwh"].sum()),
            "losses_mwh": float(pl["losses_mwh"].sum()),
            "home_remote_mwh_it": float(remote["mwh_it"].sum()),
            "built_mw": built_mw,
            "built_racks": built_mw * 1000.0 / RACK_KW,
            "backbone_tbps": float(gbps.max()) / 1000.0 if len(gbps) else 0.0,
            "emissions_t": float(r.totals["emissions_t"]),
        }
    out = pd.DataFrame(rows).T
    out.index.name = "scenario"
    base = out.loc["unused"]
    out["saving"] = base["total"] - out["total"]
    out["co2_avoided_t"] = base["emissions_t"] - out["emissions_t"]
    out["extra_surplus_used_mwh"] = out["surplus_used_mwh"] - base["surplus_used_mwh"]
    return out
