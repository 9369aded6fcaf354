"""Move data or move power: counterfactual solves and the break-even table.

`compare` solves one assembled model three ways — the joint optimum, *move power only*
(work runs in its origin's zone; power lines may carry power) and *move data only*
(power lines carry nothing) — by changing bounds of one HiGHS instance, and then the
menu of four levers (move data, move power, shift in time, store energy): nothing
moves, each lever alone, and all but each (`LEVERS`, `CASES`). Each case may
build what the instance lets it build (sites, lines, bandwidth), so it is the whole cost
of serving the same work each way, capital included. `breakeven_table` states the
trade-off of the model (README, "The model") for every origin, site and class, with the capital of
new capacity on both sides when asked (`capital=True`).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..model.formulation import TB_PER_GBPS_HOUR, Formulation, formulate, option_paths
from .levelised import cost_by_demand, levelised_cost
from .._format import human
from ..data.network import Network
from ..solving.results import Result
from ..solving.solvers import HighsModel, solve_lp
from .sweep import result_metrics

__all__ = ["compare", "Comparison", "breakeven_table", "flexibility", "zones", "LEVERS",
           "CASES"]

SCENARIOS = ("joint", "move_power_only", "move_data_only")

# -- the four levers (issue #11.4) --------------------------------------------------------
#: The flexibility menu: move data (work runs outside its origin's zone), move power
#: (power lines carry power), shift in time (deferrable classes follow the hours within
#: their windows), store energy (storage charges and discharges).
LEVERS = ("move_data", "move_power", "shift_in_time", "store_energy")
#: Every case of `compare` and the levers it may pull. The first three keep their
#: names and meaning: ``move_power_only`` is all levers but moving data,
#: ``move_data_only`` all but moving power (``all_but_move_data`` and
#: ``all_but_move_power`` are the same solves under the menu's names).
CASES: dict[str, frozenset] = {
    "joint": frozenset(LEVERS),
    "move_power_only": frozenset(LEVERS) - {"move_data"},
    "move_data_only": frozenset(LEVERS) - {"move_power"},
    "nothing_moves": frozenset(),
    **{f"{lever}_alone": frozenset({lever}) for lever in LEVERS},
    **{f"all_but_{lever}": frozenset(LEVERS) - {lever} for lever in LEVERS},
}


def zones(network: Network) -> pd.Series:
    """Each node's zone (the ``zone`` column; a node without one is its own zone)."""
    z = network.nodes["zone"]
    return z.where(z != "", pd.Series(network.nodes.index, index=network.nodes.index))


@dataclass
class Comparison:
    """The three solves side by side.

    Attributes
    ----------
    table : DataFrame
        One row per scenario (joint, move_power_only, move_data_only): total cost and
        parts, ``capital`` (annualised build-out and opened sites), ``operating``
        (moving data, electricity, carbon, line tariffs), energy drawn, transmission
        losses, emissions, data moved, unserved MWh, ``west_share:<class>``, and
        ``saving_by_joint`` (this scenario's cost less the joint optimum's, >= 0).
    results : dict
        Scenario -> `Result`.
    unserved : DataFrame
        Demand a case could not serve (priced at the value of lost load), with the
        reason; empty where every case could build what it needed.
    builds : DataFrame
        What each case builds: scenario, kind, item, amount, unit, cost (annualised,
        over the horizon).
    levelised : DataFrame
        Cost per MWh_IT of eastern computing served (`levelised_cost`), one row per
        class and ``all classes``, one column per scenario (the first three).
    levers : DataFrame
        The value of each lever (`LEVERS`): ``alone`` (nothing_moves less the lever
        alone: what it is worth by itself), ``last_added`` (all but the lever less the
        joint plan: what it adds to the others), ``overlap`` (alone less last_added:
        > 0 where the others can do part of its work, < 0 where it needs them), and the
        same for emissions (``emissions_cut_alone``, ``emissions_cut_last_added``, t),
        all over the horizon.

    ``unserved`` lists the first three cases' unserved demand, as before;
    ``menu_unserved`` the same for the other cases of the menu.

    The table's rows after the first three are the menu of `CASES`: ``nothing_moves``
    (work runs in its origin's zone, no power line carries power, deferrable work is
    fixed in time, no storage), ``<lever>_alone`` and ``all_but_<lever>``.
    """

    table: pd.DataFrame
    results: dict[str, Result]
    unserved: pd.DataFrame
    builds: pd.DataFrame
    levelised: pd.DataFrame
    levers: pd.DataFrame | None = None
    menu_unserved: pd.DataFrame | None = None

    def __str__(self) -> str:
        t = self.table.set_index("scenario").loc[list(SCENARIOS)]
        cur = next(iter(self.results.values())).network.settings.currency
        lines = [f"{'':28s}" + "".join(f"{s:>17s}" for s in t.index)]
        rows = [("total cost", "total", cur), ("  capital (annualised)", "capital", cur),
                ("  moving data", "data_transport", cur),
                ("  electricity", "electricity", cur), ("  carbon", "carbon", cur),
                ("  line tariffs", "transmission", cur), ("  unserved", "unserved", cur),
                ("energy drawn", "energy_drawn_mwh", "MWh"),
                ("transmission losses", "transmission_losses_mwh", "MWh"),
                ("emissions", "emissions_t", "t"), ("data moved", "data_moved_tb", "TB"),
                ("saving by joint plan", "saving_by_joint", cur)]
        if "load_mwh" in t:  # electric loads (power, not computing) move costs too
            rows[-1:-1] = [("electric loads supplied", "load_mwh", "MWh"),
                           ("  shed", "load_shed_mwh", "MWh"),
                           ("  their power's cost", "loads_power_cost", cur)]
        for label, col, unit in rows:
            lines.append(f"{label:28s}" + "".join(f"{human(v, unit):>17s}" for v in t[col]))
        for col in [c for c in t.columns if c.startswith("west_share:")]:
            lines.append(f"{'west share ' + col.split(':', 1)[1]:28s}"[:28] + "".join(
                f"{v:>17.0%}" if v == v else f"{'-':>17s}" for v in t[col]))
        built = self.builds.groupby(["scenario", "kind"])["amount"].sum()
        for kind, unit, label in (("site", "MW_IT", "data centres built"),
                                  ("line", "MW", "power lines built"),
                                  ("link", "Gbps", "bandwidth built"),
                                  ("storage_mw", "MW", "storage built"),
                                  ("storage_mwh", "MWh", "  its energy")):
            if kind.startswith("storage") and not (self.builds["kind"] == kind).any():
                continue
            lines.append(f"{label:28s}" + "".join(
                f"{human(built.get((s, kind), 0.0), unit):>17s}" for s in t.index))
        if len(self.levelised):
            lines += ["", f"Cost per MWh of eastern computing served ({cur}/MWh_IT, "
                      "capital included):"]
            for k, row in self.levelised.iterrows():
                lines.append(f"{'  ' + str(k):28.28s}" + "".join(
                    f"{v:>17,.0f}" if v == v else f"{'-':>17s}" for v in row))
        if self.levers is not None:
            lines += [""] + self.lever_text(cur)
        if len(self.unserved):
            lines += ["", "Unserved demand in the counterfactuals (priced at the value of "
                      "lost load):"]
            shown = self.unserved
            groups = shown.groupby(["scenario", "reason"], sort=False)
            for (scenario, reason), rows in groups:
                lines += textwrap.wrap(f"{scenario}: {reason}", 78, initial_indent="  ",
                                       subsequent_indent="    ")
                lines += [f"    {r['class'] + ' at ' + r['origin']:<52.52s}"
                          f"{human(r['mwh_it'], 'MWh'):>22s}" for _, r in rows.iterrows()]
        return "\n".join(lines)

    def lever_text(self, cur: str) -> list[str]:
        """The four levers, compactly (80 columns): each case's cost, emissions, clean
        supply left unused and unserved demand, then each lever's value."""
        t = self.table.set_index("scenario")
        cases = ["joint", "nothing_moves", *(f"{x}_alone" for x in LEVERS),
                 *(f"all_but_{x}" for x in LEVERS)]
        out = ["Four levers: move data, move power, shift in time, store energy",
               f"{'case':24s}{'total cost':>14s}{'emissions':>14s}{'clean unused':>14s}"
               f"{'unserved':>14s}"]
        for c in cases:
            r = t.loc[c]
            label = "all levers (joint)" if c == "joint" else c.replace("_", " ")
            out.append(f"{label:24.24s}{human(r['total'], cur):>14s}"
                       f"{human(r['emissions_t'], 't'):>14s}"
                       f"{human(r['curtailed_mwh'], 'MWh'):>14s}"
                       f"{human(r['unserved_mwh'], 'MWh'):>14s}")
        out += ["", f"{'value of each lever':24s}{'alone':>14s}{'last added':>14s}"
                f"{'overlap':>14s}{'CO2 cut alone':>14s}"]
        for lever, r in self.levers.iterrows():
            out.append(f"{lever.replace('_', ' '):24s}{human(r['alone'], cur):>14s}"
                       f"{human(r['last_added'], cur):>14s}{human(r['overlap'], cur):>14s}"
                       f"{human(r['emissions_cut_alone'], 't'):>14s}")
        out += ["  alone: nothing moves less the lever alone; last added: all but the "
                "lever less", "  all levers; overlap: alone less last added."]
        return out


def _case_bounds(network: Network, f: Formulation, away: np.ndarray,
                 levers: frozenset) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column upper bounds and row bounds of the LP with only ``levers`` pulled."""
    lp, T = f.lp, len(network.periods)
    up, lo_r, up_r = lp.col_upper.copy(), lp.row_lower.copy(), lp.row_upper.copy()
    if "move_data" not in levers:   # work runs in its origin's zone
        xb = lp.variables["x"]
        up[xb.start:xb.stop] = np.where(np.tile(away, T), 0.0, up[xb.start:xb.stop])
    if "move_power" not in levers:  # no power line carries power
        fb = lp.variables["f"]
        up[fb.start:fb.stop] = 0.0
    if "shift_in_time" not in levers:  # deferrable work served as it comes, hour by hour
        d = lp.constraints["demand"]
        defer = network.classes["deferrable"].loc[d.labels["class"]].to_numpy()
        dem = f.demand.ravel()
        lo_r[d.start:d.stop] = np.where(defer, dem, lo_r[d.start:d.stop])
        up_r[d.start:d.stop] = np.where(defer, dem, up_r[d.start:d.stop])
    if "store_energy" not in levers:  # storage neither charges nor discharges nor grows
        for name in ("p_ch", "p_dis", "storage_build_mw", "storage_build_mwh"):
            b = lp.variables[name]
            up[b.start:b.stop] = 0.0
    return up, lo_r, up_r


def _lever_values(table: pd.DataFrame) -> pd.DataFrame:
    t = table.set_index("scenario")
    rows = {}
    for x in LEVERS:
        none, alone = t.loc["nothing_moves"], t.loc[f"{x}_alone"]
        rest, joint = t.loc[f"all_but_{x}"], t.loc["joint"]
        rows[x] = {"alone": none["total"] - alone["total"],
                   "last_added": rest["total"] - joint["total"],
                   "emissions_cut_alone": none["emissions_t"] - alone["emissions_t"],
                   "emissions_cut_last_added": rest["emissions_t"] - joint["emissions_t"]}
    out = pd.DataFrame(rows).T
    out.insert(2, "overlap", out["alone"] - out["last_added"])
    # differences within the solver's tolerance are no value: show them as 0
    tol = 1e-9 * max(abs(float(t.loc["nothing_moves", "total"])), 1.0)
    etol = 1e-9 * max(abs(float(t.loc["nothing_moves", "emissions_t"])), 1.0)
    for c in out.columns:
        out[c] = out[c].where(out[c].abs() > (etol if c.startswith("emissions") else tol),
                              0.0)
    out.index.name = "lever"
    return out


def compare(network: Network, *, routes_per_pair: int | None = None,
            solver: str = "highs") -> Comparison:
    """Solve the joint optimum and the two counterfactuals (README, "Move data or move power").

    Each case may build what the network lets it build (``max_*`` columns): *move power
    only* may grow data centres in each origin's zone and the lines that feed them,
    *move data only* may grow sites anywhere and the bandwidth to reach them. Always in
    elastic mode, so demand that no case can serve even by building is priced at the
    value of lost load instead of failing; `Comparison.unserved` says which and why.

    ``solver``: ``"highs"`` (default) keeps one model and changes only bounds between
    cases (warm starts); any other solver `netopt.solve` takes solves each case anew.

    Examples
    --------
    >>> import netopt
    >>> c = compare(netopt.load("toy"))
    >>> bool((c.table["saving_by_joint"] >= -1e-6).all())
    True
    """
    f = formulate(network, allow_unserved=True, routes_per_pair=routes_per_pair)
    lp = f.lp
    model = HighsModel(lp) if solver == "highs" else None
    z = zones(network)
    opt = f.options
    away = (z.loc[opt["origin"]].to_numpy() != z.loc[opt["node"]].to_numpy())

    results, rows, unserved, builds, levelised = {}, [], [], [], {}
    solved: dict[bytes, Result] = {}  # cases with the same bounds are solved once
    for name, levers in CASES.items():
        up, lo_r, up_r = _case_bounds(network, f, away, levers)
        key = up.tobytes() + lo_r.tobytes() + up_r.tobytes()
        if key not in solved:
            fs = replace(f, lp=replace(lp, col_upper=up, row_lower=lo_r, row_upper=up_r))
            if model is None:
                out = solve_lp(fs.lp, solver)
            else:
                model.update(col_upper=up, row_lower=lo_r, row_upper=up_r)
                out = model.solve()
            solved[key] = Result(network, fs, out)
        r = results[name] = solved[key]
        row = {"scenario": name, **result_metrics(r)}
        if r.ok:
            c = r.costs
            row["total"] = r.objective
            row["capital"] = c["expansion"] + c["fixed"]
            row["operating"] = (c["data_transport"] + c["electricity"] + c["carbon"]
                                + c["transmission"] + c.get("storage", 0.0))
            totals = r.totals
            row["energy_drawn_mwh"] = float(totals["energy_drawn_mwh"])
            row["curtailed_mwh"] = float(totals["curtailed_mwh"])
            alloc = (cost_by_demand(r) if name in SCENARIOS or len(network.loads)
                     else None)  # allocated once, for both uses below
            if len(network.loads):  # electric loads: kept apart from computing's cost
                row["loads_power_cost"] = alloc.attrs["loads"]
            unserved += _unserved(name, r, r.formulation, away,
                                  in_zone="move_data" not in levers)
            builds.append(r.builds.reset_index().assign(scenario=name))  # flat, by scenario
            if name in SCENARIOS:
                levelised[name] = levelised_cost(r, allocated=alloc)
        rows.append(row)
    table = pd.DataFrame(rows)
    table["saving_by_joint"] = table["total"] - table.loc[0, "total"]
    lead = ["scenario", "status", "total", "capital", "operating", "data_transport",
            "electricity", "carbon", "transmission", "unserved", "expansion", "fixed",
            "energy_drawn_mwh", "transmission_losses_mwh", "emissions_t", "data_moved_tb",
            "power_sent_mwh", "unserved_mwh", "curtailed_mwh"]
    rest = [c for c in table.columns if c not in lead]
    build_cols = ["scenario", "kind", "item", "amount", "unit", "cost"]
    built = (pd.concat([b for b in builds if len(b)] or [pd.DataFrame(columns=build_cols)],
                       ignore_index=True)[build_cols]
             .astype({"amount": float, "cost": float}))
    table = table[[c for c in lead if c in table] + rest]
    un = pd.DataFrame(unserved, columns=["scenario", "origin", "class", "mwh_it", "reason"])
    first = un["scenario"].isin(SCENARIOS)
    return Comparison(table, results, un[first].reset_index(drop=True), built,
                      pd.DataFrame(levelised), _lever_values(table),
                      un[~first].reset_index(drop=True))


def _unserved(name: str, r: Result, f: Formulation, away: np.ndarray,
              in_zone: bool = False) -> list[dict]:
    out = []
    un = r.unserved.groupby(level=["origin", "class"])["mwh_it"].sum()
    opt = f.options
    sites = r.network.sites
    can_grow = sites["max_it_capacity_mw"].notna() | sites["fixed_cost_year"].notna()
    for (o, k), mwh in un.items():
        mine = opt[(opt["origin"] == o) & (opt["class"] == k)]
        allowed = mine if not in_zone else mine[~away[mine.index]]
        where = "in its zone" if in_zone else "in reach"
        if allowed.empty:
            why = "no site in its zone within its latency limit, and none may be built"
        elif not can_grow.loc[allowed["site"].unique()].any():
            why = (f"sites {where} lack capacity or power, and the instance lets none "
                   "of them grow (no max_it_capacity_mw)")
        else:
            why = (f"sites {where} are at their build limit (max_it_capacity_mw) or "
                   "lack power that can be brought to them")
        out.append({"scenario": name, "origin": o, "class": k, "mwh_it": mwh,
                    "reason": why})
    return out


def flexibility(network: Network) -> pd.DataFrame:
    """What deferrable work is worth: the plan as given against all work fixed in time.

    Returns
    -------
    DataFrame
        Rows ``as_planned``, ``all_fixed`` and ``flexibility_gain`` (fixed less planned):
        total cost, curtailed_mwh (limited clean supply left unused), emissions_t, and
        ``curtailed_mwh_west`` (at sources in the west). The gain's curtailment is the
        clean energy the flexible work absorbs.

    Examples
    --------
    >>> import netopt
    >>> gain = flexibility(netopt.load("china-edwc-seasons")).loc["flexibility_gain"]
    >>> bool(gain["total"] >= 0 and gain["curtailed_mwh"] >= -1e-6)
    True
    """
    from ..solving.optimize import solve
    fixed = Network(**{**network.tables,
                       "classes": network.classes.assign(deferrable=False)},
                    settings=network.settings)
    rows = {}
    for name, net in (("as_planned", network), ("all_fixed", fixed)):
        r = solve(net)
        src = r.sources
        west = network.nodes["region"].reindex(src["node"]).to_numpy() == "west"
        rows[name] = {"total": r.objective,
                      "curtailed_mwh": float(r.totals["curtailed_mwh"]),
                      "curtailed_mwh_west": float(src.loc[west, "curtailed_mwh"].sum()),
                      "emissions_t": float(r.totals["emissions_t"])}
    out = pd.DataFrame(rows).T
    out.loc["flexibility_gain"] = out.loc["all_fixed"] - out.loc["as_planned"]
    return out


def _local_price(network: Network) -> pd.Series:
    """Cheapest energy (marginal cost + carbon) of a source at each node."""
    s = network.sources
    unit = s["marginal_cost"] + network.settings.carbon_price * s["emissions"]
    live = s["capacity_mw"] > 0
    return unit[live].groupby(s.loc[live, "node"]).min()


def _delivered(network: Network, origin_prices: pd.Series,
               capital: bool = False) -> pd.Series:
    """Least price of power at every node, from given prices at some nodes, over the
    power arcs: along an arc a price p becomes (p + tariff) / efficiency. With
    ``capital``, lines that may grow also charge their capital per MWh sent (one MW
    sent all year needs one MW of line: annual capex / 8760), and new lines (capacity
    0 that may grow) count."""
    price = pd.Series(np.inf, index=network.nodes.index)
    price.loc[origin_prices.index] = origin_prices.to_numpy()
    arcs = network.power_arcs
    grows = network.power_lines["max_capacity_mw"].notna().reindex(arcs["line"]).to_numpy()
    tariff = arcs["tariff"].to_numpy()
    if capital:
        per_mwh = network.annual_capex["power_lines"].reindex(arcs["line"]).to_numpy() / 8760
        tariff = tariff + np.where(grows, per_mwh, 0.0)
    live = (arcs["capacity_mw"].to_numpy() > 0) | (capital & grows)
    arcs, tariff = arcs[live], tariff[live]
    frm, to = arcs["from"].to_numpy(), arcs["to"].to_numpy()
    eta = arcs["efficiency"].to_numpy()
    for _ in range(len(price)):  # Bellman-Ford: a price only improves along a path
        cand = (price.loc[frm].to_numpy() + tariff) / eta
        better = pd.Series(cand).groupby(to).min()
        new = np.minimum(price.loc[better.index].to_numpy(), better.to_numpy())
        if np.array_equal(new, price.loc[better.index].to_numpy()):
            break
        price.loc[better.index] = new
    return price


def breakeven_table(network: Network, *, routes_per_pair: int | None = None,
                    capital: bool = False) -> pd.DataFrame:
    """For each origin, remote site and class: move the data or move the power?

    The origin's *home* sites are those in its zone (see `zones`); *remote* sites are
    the others it can reach within the class's latency limit. Per MWh of IT work:

    - move data: ``delta x c_s + PUE_s x p_s`` — the cheapest route to remote site s,
      and ``p_s`` the cheapest energy at s's node;
    - move power: ``delta x c_h + PUE_h x q_h`` at the best home site h, ``q_h`` the
      price of s's energy delivered to h's node over the power lines (each line adds its
      tariff and divides by its efficiency), ``c_h`` the short route to h;
    - local power: the same home site on its own cheapest energy.

    The break-even data intensity is ``delta* = (PUE_h q_h - PUE_s p_s) / (c_s - c_h)``;
    below it, data should move. Each route's ``c`` is everything a TB costs along it:
    its price, and the energy the network equipment draws (``transport_mwh_per_tb``,
    (6d): half of each link's energy at each of its ends) at the least price of power
    where it is drawn (``transport_energy_per_tb``): ``c = c_price + sum_n e_n p_n``. Capacities are ignored: this is
    the marginal trade-off, which the LP then weighs against capacity.

    With ``capital=True`` it is the trade-off of serving new work with new capacity
    (a long-run break-even): each side also pays for what it must build, per MWh of IT
    work run all year. A site that may grow adds ``k = annual capex / 8760`` per MWh_IT;
    a line that may grow adds its annual capex / 8760 to the tariff of each MWh sent
    (so ``q_h`` grows by it, divided by the efficiency); a link that may grow adds
    ``annual capex per Gbps / (0.45 x 8760)`` to each TB it carries (so ``c`` grows).
    Then ``delta* = (PUE_h q_h + k_h - PUE_s p_s - k_s) / (c_s - c_h)``. Capacity that
    may not grow counts as existing and paid for.

    Parameters
    ----------
    network : Network
    routes_per_pair : int, optional
    capital : bool
        Count the capital of new capacity on both sides (see above).

    Returns
    -------
    DataFrame
        origin, class, site, home_site, route, latency_ms, cost_per_tb, site_price,
        cost_move_data, cost_move_power (NaN where no line brings s's power home),
        cost_local_power, delta_star, winner (``data``, ``power`` or ``local``),
        transport_mwh_per_tb (energy drawn along the route to s, MWh per TB) and
        transport_energy_per_tb (its cost per TB, inside cost_per_tb).

    Examples
    --------
    >>> import netopt
    >>> t = breakeven_table(netopt.load("toy"))
    >>> t[["class", "winner"]].to_dict("records")
    [{'class': 'ai', 'winner': 'data'}, {'class': 'archive', 'winner': 'power'}]
    >>> round(float(t["delta_star"].iloc[0]), 3)
    4.179
    """
    f = formulate(network, allow_unserved=True, routes_per_pair=routes_per_pair)
    z = zones(network)
    opt = f.options.assign(path=option_paths(f, network.link_data))
    site_k = pd.Series(0.0, index=network.sites.index)
    local = _local_price(network)
    if capital:
        opt["cost_per_tb"] = opt["cost_per_tb"] + _bandwidth_capital_per_tb(network, f)
        grows = network.sites["max_it_capacity_mw"].notna()
        site_k = network.annual_capex["sites"].where(grows, 0.0) / 8760
    # the energy of moving data (docs/model.md, (6d)), at the price where it is drawn
    e_route, e_cost = _transport_energy_per_tb(network, f, local, capital)
    opt["transport_mwh_per_tb"] = e_route
    opt["transport_energy_per_tb"] = e_cost
    opt["cost_per_tb"] = opt["cost_per_tb"] + e_cost
    opt = opt.sort_values("cost_per_tb").drop_duplicates(["origin", "class", "site"])
    opt = opt.assign(home=z.loc[opt["origin"]].to_numpy() == z.loc[opt["node"]].to_numpy())
    pue = network.sites["pue"]
    delta = network.classes["data_intensity_tb_per_mwh"]
    delivered: dict[str, pd.Series] = {}
    rows = []
    for (origin, k), group in opt.groupby(["origin", "class"], sort=True):
        home, remote = group[group["home"]], group[~group["home"]]
        d = delta.loc[k]
        own = [d * h.cost_per_tb + pue[h.site] * local.get(h.node, np.inf) + site_k[h.site]
               for h in home.itertuples()]
        cost_local = min(own, default=np.inf)
        for s in remote.itertuples():
            p_s = local.get(s.node, np.inf)
            if s.node not in delivered:
                delivered[s.node] = (_delivered(network, local.loc[[s.node]], capital)
                                     if s.node in local.index else
                                     pd.Series(np.inf, index=network.nodes.index))
            q = delivered[s.node]
            best = None  # home site with the cheapest delivered power
            for h in home.itertuples():
                v = pue[h.site] * q.loc[h.node] + site_k[h.site]
                if np.isfinite(v) and (best is None or v < best[0]):
                    best = (v, h)
            move_data = d * s.cost_per_tb + pue[s.site] * p_s + site_k[s.site]
            if best is not None:
                v, h = best
                move_power = d * h.cost_per_tb + v
                gap = s.cost_per_tb - h.cost_per_tb
                star = (v - pue[s.site] * p_s - site_k[s.site]) / gap if gap > 0 else np.nan
                home_site = h.site
            else:
                move_power, star, home_site = np.nan, np.nan, ""
            choices = {"data": move_data, "power": move_power, "local": cost_local}
            choices = {c: v for c, v in choices.items() if np.isfinite(v)}
            rows.append({"origin": origin, "class": k, "site": s.site, "home_site": home_site,
                         "route": s.path, "latency_ms": s.latency_ms,
                         "cost_per_tb": s.cost_per_tb, "site_price": p_s,
                         "cost_move_data": move_data, "cost_move_power": move_power,
                         "cost_local_power": cost_local if np.isfinite(cost_local) else np.nan,
                         "delta_star": star,
                         "winner": min(choices, key=choices.get) if choices else "",
                         "transport_mwh_per_tb": s.transport_mwh_per_tb,
                         "transport_energy_per_tb": s.transport_energy_per_tb})
    cols = ["origin", "class", "site", "home_site", "route", "latency_ms", "cost_per_tb",
            "site_price", "cost_move_data", "cost_move_power", "cost_local_power",
            "delta_star", "winner", "transport_mwh_per_tb", "transport_energy_per_tb"]
    return (pd.DataFrame(rows, columns=cols)
            .sort_values(["origin", "class", "cost_move_data"], ignore_index=True))


def _transport_energy_per_tb(network: Network, f: Formulation, local: pd.Series,
                             capital: bool) -> tuple[np.ndarray, np.ndarray]:
    """MWh the network equipment draws per TB along each option's route (half of each
    link's energy at each of its ends, (6d)), and its cost: each node's share at the
    least price of power there (its own sources, or power delivered over the lines,
    with the lines' capital when ``capital``)."""
    from ..model.components.transport_energy import route_node_energy
    per = route_node_energy(network.link_data, f.routes.hops)
    n_routes = len(f.routes.table)
    route = f.options["route"].to_numpy(dtype=np.int64)
    if not len(per):
        return np.zeros(len(route)), np.zeros(len(route))
    price = _delivered(network, local, capital)
    r = per["route"].to_numpy(dtype=np.int64)
    e = per["mwh_per_tb"].to_numpy()
    mwh = np.bincount(r, weights=e, minlength=n_routes)
    cost = np.bincount(r, weights=e * price.reindex(per["node"]).to_numpy(),
                       minlength=n_routes)
    return mwh[route], cost[route]


def _bandwidth_capital_per_tb(network: Network, f: Formulation) -> np.ndarray:
    """Capital of new bandwidth per TB along each option's route: links that may grow
    charge annual capex per Gbps / (0.45 TB per Gbps-hour x 8760 h)."""
    ld = network.link_data
    per_tb = (network.annual_capex["backbone_links"].where(ld["max_bandwidth_gbps"].notna(),
                                                           0.0)
              / (TB_PER_GBPS_HOUR * 8760))
    h = f.routes.hops
    per_route = np.bincount(h["route"].to_numpy(dtype=np.int64),
                            weights=per_tb.reindex(h["link"]).to_numpy(),
                            minlength=len(f.routes.table))
    return per_route[f.options["route"].to_numpy(dtype=np.int64)]
