"""The solution of a placement LP, read back as labelled DataFrames."""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .._files import atomic_folder, write_csv
from ..errors import NotOptimalError
from ..model.components.transport_energy import option_node_energy
from ..model.components.windows import windows
from ..model.formulation import TB_PER_GBPS_HOUR, Formulation, option_paths
from ..data.network import Network
from .keys import STORAGE_TABLES, TABLE_KEYS, TABLE_NAMES, built, keyed  # noqa: F401 (re-exported)
from .solvers import SolverOutput, Status
from .summaries import Summaries

__all__ = ["Result", "set_summary_view", "TABLE_KEYS"]

_TOL = 1e-7  # MW below which a flow is reported as zero (solver round-off)
_BUILDS = (("site_build", "site", "site", "MW_IT"), ("link_build", "link", "link", "Gbps"),
           ("line_build", "line", "line", "MW"), ("open", "site", "open site", "site"),
           # storage (issue #11.2)
           ("storage_build_mw", "storage", "storage_mw", "MW"),
           ("storage_build_mwh", "storage", "storage_mwh", "MWh"))


#: The text of `Result.summary()`. The text view (`netopt.views.report`) sets it when it
#: is imported, and importing netopt imports it: results never import a view (README,
#: "Architecture"), yet every Result can say itself in words.
_summary_view: Callable[[Result], str] | None = None


def set_summary_view(view: Callable[[Result], str]) -> None:
    """Make ``view(result)`` the text of `Result.summary()`."""
    global _summary_view
    _summary_view = view


class Result(Summaries):
    """A solved (or failed) placement.

    Data are properties, actions are methods: the tables (`placement`, `sites`, ...)
    and summaries (`costs`, `totals`, `by_class`, `units`) are properties, computed
    once; `summary()` renders, `to_dict()` converts, `write()` writes.

    Attributes
    ----------
    status : Status
        ``optimal``, ``infeasible``, ``unbounded``, ``time_limit``, ``iteration_limit``
        or ``error``. Only an optimal result carries numbers: otherwise `objective` is
        NaN and every table raises `NotOptimalError`.
    message : str
        The solver's own word on the outcome.
    objective : float
        Total cost over the horizon, in the network's currency.
    network : Network
    formulation : Formulation

    Notes
    -----
    Tables are long, one row per item and period, indexed by their natural key
    (`TABLE_KEYS`: ``placement`` by origin, class, site, route_rank, period; ``sites``
    by site, period; ...) like the input tables are by id; rows in a canonical order,
    periods in the network's (`netopt.solving.keys`). ``table.reset_index()`` gives
    the flat shape of netopt 0.1. Money is in the network's currency;
    energy in MWh over each period's weight; prices in currency per MWh (capacity prices
    in currency per MW per hour, i.e. the value of one more MW held for one hour).
    """

    #: How the LP was solved: "monolithic" (one LP) or "windows" (one LP per window,
    #: stitched; `netopt.solving.windows`).
    decompose: str = "monolithic"

    def __init__(self, network: Network, formulation: Formulation, output: SolverOutput):
        self.network = network
        self.formulation = formulation
        self.output = output
        self.status = output.status
        self.message = output.message
        self.solver = output.solver
        #: HiGHS's LP method that ran ("dual", "ipm", ...; "" for other solvers).
        self.method = getattr(output, "method", "")
        self.seconds = output.seconds
        lp = formulation.lp
        self.objective = (output.objective * lp.objective_scale
                          if self.status is Status.OPTIMAL else float("nan"))
        #: Cost of a feasible plan a time or iteration limit left behind: not proven
        #: optimal, so it is kept apart from `objective` (NaN when there is none).
        self.partial_objective = output.partial_objective * lp.objective_scale
        #: MIP only: best bound on the total cost and the relative gap (NaN for an LP).
        self.mip_bound = output.mip_bound * lp.objective_scale
        self.mip_gap = output.mip_gap
        if not np.isnan(self.partial_objective):
            self.message += (f"; partial: a feasible plan costing "
                             f"{self.partial_objective:,.6g} was found, not proven optimal")

    @property
    def ok(self) -> bool:
        """True when the solve is optimal."""
        return self.status is Status.OPTIMAL

    def __repr__(self) -> str:
        return (f"<Result '{self.network.name}': {self.status}, objective "
                f"{self.objective:,.6g} {self.network.settings.currency}>")

    # -- helpers -------------------------------------------------------------------------
    def _need(self, what: str) -> None:
        if not self.ok:
            raise NotOptimalError(f"{what} is not available: the solve ended "
                                  f"'{self.status}' ({self.message})")

    def _values(self, block: str) -> np.ndarray:
        self._need(f"the value of '{block}'")
        return self.formulation.lp.variables[block].take(self.output.x) + 0.0  # no -0.0

    def _per_mwh(self, block: str, kind: str = "row") -> np.ndarray:
        """Duals of a block as currency per MW per hour of its period."""
        lp = self.formulation.lp
        blk = (lp.constraints if kind == "row" else lp.variables)[block]
        d = blk.take(self.output.row_dual if kind == "row" else self.output.col_dual)
        w = self.formulation.weights.loc[blk.labels["period"]].to_numpy()
        return d * lp.objective_scale / w

    def _weight(self, labels: pd.DataFrame) -> np.ndarray:
        return self.formulation.weights.loc[labels["period"]].to_numpy()

    # -- tables --------------------------------------------------------------------------
    @cached_property
    def placement(self) -> pd.DataFrame:
        """Where work runs, by origin, class, site, route_rank (0 = the fastest of the
        candidate routes to the site) and period: node, route, latency_ms, mw_it,
        mwh_it, tb_moved, data_cost (one row per used option and period)."""
        x = self._values("x")
        f = self.formulation
        lab = f.lp.variables["x"].labels
        keep = x > _TOL
        lab = lab[keep]
        x = x[keep]
        o = lab["option"].to_numpy()
        opt = f.options.iloc[o].reset_index(drop=True)
        w = self._weight(lab)
        delta = self.network.classes["data_intensity_tb_per_mwh"].loc[opt["class"]].to_numpy()
        delta = np.where(opt["origin"].to_numpy() != opt["node"].to_numpy(), delta, 0.0)
        return keyed(pd.DataFrame({
            "origin": opt["origin"], "class": opt["class"], "site": opt["site"],
            "route_rank": opt["rank"].astype(np.int64), "period": lab["period"].to_numpy(),
            "node": opt["node"], "route": option_paths(f, self.network.link_data, o),
            "latency_ms": opt["latency_ms"],
            "mw_it": x, "mwh_it": x * w, "tb_moved": x * w * delta,
            "data_cost": x * w * delta * opt["cost_per_tb"].to_numpy()}), "placement")

    @cached_property
    def unserved(self) -> pd.DataFrame:
        """Demand not served (elastic mode), by origin, class and period: mw_it,
        mwh_it, cost. Empty (same index and columns) when all is served."""
        self._need("unserved demand")
        cols = ["origin", "class", "period", "mw_it", "mwh_it", "cost"]
        if "u" not in self.formulation.lp.variables:
            df = pd.DataFrame({c: pd.Series(dtype=str if c in cols[:3] else float)
                               for c in cols})
            return keyed(df, "unserved")
        u = self._values("u")
        lab = self.formulation.lp.variables["u"].labels
        mwh = u * self._weight(lab)
        df = lab.assign(mw_it=u, mwh_it=mwh,
                        cost=mwh * self.network.settings.value_of_lost_load)
        return keyed(df[u > _TOL][cols], "unserved")

    @cached_property
    def node_prices(self) -> pd.DataFrame:
        """Locational price of electricity (balance dual) by node and period: price
        per MWh."""
        self._need("node prices")
        lab = self.formulation.lp.constraints["balance"].labels
        return keyed(lab.assign(price=self._per_mwh("balance") + 0.0),  # no -0.0
                     "node_prices")

    @cached_property
    def sites(self) -> pd.DataFrame:
        """Per site and period: node, region, it_load_mw, open, built_mw,
        it_capacity_mw, utilisation, it_energy_mwh, energy_mwh (drawn from the grid,
        x PUE), price (local electricity, per MWh), capacity_price (value of one more MW
        of IT capacity for an hour)."""
        p = self.placement
        net = self.network
        periods = net.periods.index
        idx = pd.MultiIndex.from_product([net.sites.index, periods], names=["site", "period"])
        load = p.groupby(level=["site", "period"])["mw_it"].sum().reindex(idx, fill_value=0.0)
        df = idx.to_frame(index=False)
        df["node"] = net.sites["node"].loc[df["site"]].to_numpy()
        df["region"] = net.nodes["region"].loc[df["node"]].to_numpy()
        df["it_load_mw"] = load.to_numpy()
        b = self.builds
        opened = set(built(b, "open site").index)
        candidate = net.sites["fixed_cost_year"].notna()
        df["open"] = [not candidate[s_] or s_ in opened for s_ in df["site"]]
        df["built_mw"] = built(b, "site").reindex(df["site"]).fillna(0.0).to_numpy()
        cap = (np.where(df["open"], net.sites["it_capacity_mw"].loc[df["site"]].to_numpy(), 0.0)
               + df["built_mw"].to_numpy())
        df["it_capacity_mw"] = cap
        df["utilisation"] = np.where(cap > 0, df["it_load_mw"] / np.where(cap > 0, cap, 1), np.nan)
        w = net.periods["weight_h"].loc[df["period"]].to_numpy()
        pue = net.sites["pue"].loc[df["site"]].to_numpy()
        df["it_energy_mwh"] = df["it_load_mw"] * w
        df["energy_mwh"] = df["it_energy_mwh"] * pue
        prices = self.node_prices["price"]
        df["price"] = prices.reindex(pd.MultiIndex.from_frame(df[["node", "period"]])).to_numpy()
        cp = pd.Series(-self._per_mwh("site_capacity"), index=pd.MultiIndex.from_frame(
            self.formulation.lp.constraints["site_capacity"].labels))
        df["capacity_price"] = cp.reindex(pd.MultiIndex.from_frame(
            df[["site", "period"]])).fillna(0.0).clip(lower=0.0).to_numpy() + 0.0
        return keyed(df, "sites")

    @cached_property
    def links(self) -> pd.DataFrame:
        """Per backbone link and period: from, to, gbps_forward (from->to), gbps_backward,
        bandwidth_gbps, utilisation (busier direction), tb_moved, shadow_price (value of
        one more Gbps for an hour, busier direction)."""
        f = self.formulation
        net = self.network
        ld = net.link_data
        idx = pd.MultiIndex.from_product([ld.index, net.periods.index], names=["link", "period"])
        x = self._values("x")
        lab = f.lp.variables["x"].labels
        delta = net.classes["data_intensity_tb_per_mwh"].loc[f.options["class"]].to_numpy()
        o = lab["option"].to_numpy()
        used = pd.DataFrame({"route": f.options["route"].to_numpy()[o],
                             "period": lab["period"].to_numpy(),
                             "gbps": x * delta[o] / TB_PER_GBPS_HOUR})[x > _TOL]
        used = used.groupby(["route", "period"], as_index=False)["gbps"].sum()
        flows = used.merge(f.routes.hops, on="route").rename(columns={"direction": "dir"})
        fw = flows[flows["dir"] > 0].groupby(["link", "period"])["gbps"].sum()
        bw_ = flows[flows["dir"] < 0].groupby(["link", "period"])["gbps"].sum()
        df = idx.to_frame(index=False)
        df["from"] = ld["from"].loc[df["link"]].to_numpy()
        df["to"] = ld["to"].loc[df["link"]].to_numpy()
        df["gbps_forward"] = fw.reindex(idx, fill_value=0.0).to_numpy()
        df["gbps_backward"] = bw_.reindex(idx, fill_value=0.0).to_numpy()
        cap = ld["bandwidth_gbps"].loc[df["link"]].to_numpy()
        df["bandwidth_gbps"] = cap
        busy = np.maximum(df["gbps_forward"], df["gbps_backward"])
        df["utilisation"] = np.where(np.isfinite(cap) & (cap > 0), busy / np.where(cap > 0, cap, 1), 0.0)
        w = net.periods["weight_h"].loc[df["period"]].to_numpy()
        df["tb_moved"] = (df["gbps_forward"] + df["gbps_backward"]) * TB_PER_GBPS_HOUR * w
        # energy of moving data over the link (6d), drawn half at each end node
        df["energy_mwh"] = df["tb_moved"] * ld["mwh_per_tb"].loc[df["link"]].to_numpy()
        blab = f.lp.constraints["bandwidth"].labels
        sp = pd.Series(-self._per_mwh("bandwidth"), index=pd.MultiIndex.from_arrays(
            [blab["link"], blab["period"]])).clip(lower=0.0)
        sp = sp.groupby(level=[0, 1]).max()
        df["shadow_price"] = sp.reindex(idx).fillna(0.0).to_numpy()
        return keyed(df, "links")

    @cached_property
    def transport_energy(self) -> pd.DataFrame:
        """Energy of moving data (docs/model.md, (6d)), where it is drawn, by origin,
        class, site, route_rank (as in `placement`), node (where drawn) and period:
        energy_mwh, price (the node's, per MWh), cost (energy_mwh x price),
        emission_factor (t CO2/MWh: the average of the power used at the node,
        `node_emission_factors`) and emissions_t. One row per used option, node and
        period; empty without transport energy."""
        cols = ["origin", "class", "site", "route_rank", "node", "period", "energy_mwh",
                "price", "cost", "emission_factor", "emissions_t"]
        f = self.formulation
        x = self._values("x")
        d = option_node_energy(self.network, f.options, f.routes.hops)
        if not len(d):
            return keyed(pd.DataFrame({c: pd.Series(
                dtype=np.int64 if c == "route_rank" else str if c in cols[:6] else float)
                for c in cols}), "transport_energy")
        O = len(f.options)
        T = len(self.network.periods)
        t = np.repeat(np.arange(T), len(d))
        o = np.tile(d["option"].to_numpy(), T)
        xv = x[t * O + o]
        keep = xv > _TOL
        t, o, xv = t[keep], o[keep], xv[keep]
        per = np.tile(d["mwh_per_mwh_it"].to_numpy(), T)[keep]
        opt = f.options.iloc[o]
        period = self.network.periods.index.to_numpy(dtype=object)[t]
        w = self.formulation.weights.to_numpy()[t]
        df = pd.DataFrame({"origin": opt["origin"].to_numpy(), "class": opt["class"].to_numpy(),
                           "site": opt["site"].to_numpy(),
                           "route_rank": opt["rank"].to_numpy(dtype=np.int64),
                           "node": np.tile(d["node"].to_numpy(dtype=object), T)[keep],
                           "period": period, "energy_mwh": xv * per * w})
        key = pd.MultiIndex.from_frame(df[["node", "period"]])
        df["price"] = self.node_prices["price"].reindex(key).to_numpy()
        df["cost"] = df["energy_mwh"] * df["price"]
        df["emission_factor"] = self.node_emission_factors.reindex(key).fillna(0.0).to_numpy()
        df["emissions_t"] = df["energy_mwh"] * df["emission_factor"]
        return keyed(df[cols], "transport_energy")

    @cached_property
    def node_emission_factors(self) -> pd.Series:
        """Average emissions of the power used at each node and period (t CO2/MWh), by
        proportional sharing: power arriving over lines mixes with local generation,
        and every MWh leaving the node (to a site, to moving data, into a line) carries
        the mix's average. For node n with local generation G (emissions E) and lines l
        arriving (sent f_l, efficiency eta_l), the factor phi_n solves

            phi_n (G_n + sum_l eta_l f_l) = E_n + sum_l phi_from(l) f_l,

        so a line's losses raise the factor of what it delivers, and the factors times
        the energy used at every node add up to the plan's emissions. 0 where a node
        uses no power."""
        import scipy.sparse as sp
        from scipy.sparse.linalg import spsolve
        net = self.network
        periods, nodes = net.periods.index, net.nodes.index
        src, pw = self.sources, self.power_lines
        N, T = len(nodes), len(periods)

        def key(n, t):
            return nodes.get_indexer(n) * T + periods.get_indexer(t)

        gen, emis = np.zeros(N * T), np.zeros(N * T)
        at = key(src["node"], src.index.get_level_values("period"))
        np.add.at(gen, at, src["generation_mwh"].to_numpy())
        np.add.at(emis, at, src["emissions_t"].to_numpy())
        live = pw[pw["sent_mwh"] > 0]
        live_t = live.index.get_level_values("period")
        to, frm = key(live["to"], live_t), key(live["from"], live_t)
        inflow = gen.copy()
        np.add.at(inflow, to, live["delivered_mwh"].to_numpy())
        idle = inflow <= 0
        A = sp.csr_matrix((np.concatenate([np.where(idle, 1.0, inflow),
                                           -live["sent_mwh"].to_numpy()]),
                           (np.concatenate([np.arange(N * T), to]),
                            np.concatenate([np.arange(N * T), frm]))), shape=(N * T, N * T))
        phi = spsolve(A.tocsc(), np.where(idle, 0.0, emis)) if N * T else np.zeros(0)
        return pd.Series(np.atleast_1d(phi), index=pd.MultiIndex.from_product(
            [nodes, periods], names=["node", "period"]), name="t_co2_per_mwh")

    @cached_property
    def power_lines(self) -> pd.DataFrame:
        """Per power arc and period: line, from, to, capacity_mw, sent_mw,
        delivered_mw, losses_mw, utilisation, the same in MWh, tariff_cost, and
        shadow_price (value of one more MW of line capacity for an hour)."""
        v = self._values("f")
        lab = self.formulation.lp.variables["f"].labels
        arcs = self.network.power_arcs
        w = self._weight(lab)
        a = arcs.loc[lab["arc"]]
        eta = a["efficiency"].to_numpy()
        df = pd.DataFrame({"arc": lab["arc"], "line": a["line"].to_numpy(),
                           "from": a["from"].to_numpy(), "to": a["to"].to_numpy(),
                           "period": lab["period"], "capacity_mw": a["capacity_mw"].to_numpy(),
                           "sent_mw": v, "delivered_mw": v * eta, "losses_mw": v * (1 - eta)})
        df["utilisation"] = np.where(np.isfinite(df["capacity_mw"]) & (df["capacity_mw"] > 0),
                                     v / np.where(df["capacity_mw"] > 0, df["capacity_mw"], 1), 0.0)
        df["sent_mwh"] = v * w
        df["delivered_mwh"] = v * eta * w
        df["losses_mwh"] = v * (1 - eta) * w
        df["tariff_cost"] = v * w * a["tariff"].to_numpy()
        at_cap = np.isfinite(df["capacity_mw"].to_numpy())
        df["shadow_price"] = np.where(at_cap, np.clip(-self._per_mwh("f", "col"), 0, None), 0.0)
        return keyed(df, "power_lines")

    @cached_property
    def sources(self) -> pd.DataFrame:
        """Per source and period: node, kind, generation_mw, available_mw, curtailed_mw (available
        but unused, finite sources), the same in MWh, emissions_t, energy_cost,
        carbon_cost, and capacity_value (value of one more MW available for an hour)."""
        g = self._values("g")
        lab = self.formulation.lp.variables["g"].labels
        src = self.network.sources.loc[lab["source"]]
        avail = self.formulation.lp.variables["g"].take(self.formulation.lp.col_upper)
        w = self._weight(lab)
        cur = np.where(np.isfinite(avail), np.clip(avail - g, 0, None), 0.0)
        df = pd.DataFrame({"source": lab["source"], "node": src["node"].to_numpy(),
                           "kind": src["kind"].to_numpy(), "period": lab["period"],
                           "generation_mw": g, "available_mw": avail, "curtailed_mw": cur,
                           "generation_mwh": g * w, "curtailed_mwh": cur * w})
        df["emissions_t"] = df["generation_mwh"] * src["emissions"].to_numpy()
        df["energy_cost"] = df["generation_mwh"] * src["marginal_cost"].to_numpy()
        df["carbon_cost"] = df["emissions_t"] * self.network.settings.carbon_price
        df["capacity_value"] = np.where(np.isfinite(avail),
                                        np.clip(-self._per_mwh("g", "col"), 0, None), 0.0)
        return keyed(df, "sources")

    @cached_property
    def builds(self) -> pd.DataFrame:
        """What to build, by kind (site, link, line, storage_mw, storage_mwh: added
        capacity; open site: a candidate opened) and item: amount, unit, cost (currency
        over the horizon, annualised). Rows in the order of the kinds above, items in the
        network's order; empty (same index and columns) when nothing is built."""
        self._need("the build-out")
        lp = self.formulation.lp
        rows = []
        for block, col, kind, unit in _BUILDS:
            blk = lp.variables[block]
            v = blk.take(self.output.x)
            cost = blk.take(lp.c) * v * lp.objective_scale
            for item, amount, money in zip(blk.labels[col], v, cost):
                if amount > _TOL:
                    rows.append({"kind": kind, "item": item, "amount": float(amount),
                                 "unit": unit, "cost": float(money)})
        df = pd.DataFrame(rows, columns=["kind", "item", "amount", "unit", "cost"]).astype(
            {"amount": float, "cost": float, "unit": str})  # typed even when nothing is built
        return keyed(df, "builds")

    # -- storage (issue #11.2) ---------------------------------------------------------
    @cached_property
    def storage(self) -> pd.DataFrame:
        """Per storage unit and period: node, charge_mw, discharge_mw (grid side),
        soc_mwh (at the end of the period), charge_mwh and discharge_mwh (over the
        period's weight), throughput_cost, power_price and energy_price (the value of
        one more MW of charge-and-discharge power, and of one more MWh of energy
        capacity, held for one hour of the period: duals of (8)+(9) and (10), currency
        per MW or MWh per hour)."""
        self._need("storage")
        lab = self.formulation.lp.variables["soc"].labels
        st = self.network.storage
        w = self._weight(lab)
        ch, dis = self._values("p_ch"), self._values("p_dis")
        cost = st["marginal_cost"].loc[lab["storage"]].to_numpy()
        df = lab.assign(node=st["node"].loc[lab["storage"]].to_numpy(),
                        charge_mw=ch, discharge_mw=dis, soc_mwh=self._values("soc"),
                        charge_mwh=ch * w, discharge_mwh=dis * w)
        df["throughput_cost"] = df["discharge_mwh"] * cost
        df["power_price"] = np.clip(-self._per_mwh("storage_charge_capacity")
                                    - self._per_mwh("storage_discharge_capacity"), 0, None)
        df["energy_price"] = np.clip(-self._per_mwh("storage_energy_capacity"), 0, None)
        return keyed(df[["storage", "period", "node", "charge_mw", "discharge_mw",
                               "soc_mwh", "charge_mwh", "discharge_mwh", "throughput_cost",
                               "power_price", "energy_price"]], "storage")

    @cached_property
    def storage_units(self) -> pd.DataFrame:
        """Per storage unit: node, kind, power_mw and energy_mwh (with what is built),
        charged_mwh, discharged_mwh, losses_mwh, cycles_per_year (MWh discharged a year
        / energy capacity), throughput_cost, value_per_mw and value_per_mwh (what one
        more MW of power, or MWh of energy capacity, would save a year: the duals summed
        over the year; for a unit given by duration_h, one more MW at the same energy)."""
        st, df = self.network.storage, self.storage
        b = self.builds
        hours = float(self.formulation.weights.sum())
        w = self.formulation.weights.loc[df.index.get_level_values("period")].to_numpy()
        g = df.assign(pv=df["power_price"] * w, ev=df["energy_price"] * w).groupby(
            level="storage", sort=False).agg(charged_mwh=("charge_mwh", "sum"),
                                        discharged_mwh=("discharge_mwh", "sum"),
                                        throughput_cost=("throughput_cost", "sum"),
                                        pv=("pv", "sum"), ev=("ev", "sum"))
        g = g.reindex(st.index)
        mw = st["power_mw"] + built(b, "storage_mw").reindex(st.index).fillna(0.0)
        mwh = (st["energy_mwh"].fillna(0.0)
               + built(b, "storage_mwh").reindex(st.index).fillna(0.0))
        mwh = mwh.where(st["duration_h"].isna(), st["duration_h"] * mw)
        per_year = 8760.0 / hours
        out = pd.DataFrame({
            "node": st["node"], "kind": st["kind"], "power_mw": mw, "energy_mwh": mwh,
            "charged_mwh": g["charged_mwh"], "discharged_mwh": g["discharged_mwh"],
            "losses_mwh": g["charged_mwh"] - g["discharged_mwh"],
            "cycles_per_year": np.where(mwh > 0, g["discharged_mwh"] * per_year
                                        / mwh.where(mwh > 0, 1.0), 0.0),
            "throughput_cost": g["throughput_cost"],
            "value_per_mw": g["pv"] * per_year, "value_per_mwh": g["ev"] * per_year})
        return keyed(out.rename_axis("storage").reset_index(), "storage_units")

    # -- electric loads ----------------------------------------------------------------
    @cached_property
    def loads(self) -> pd.DataFrame:
        """Electric loads (power, not computing), indexed by node and period: load_mw,
        shed_mw (left unsupplied, elastic mode), supplied_mwh, shed_mwh, price (the
        node's, per MWh: the balance dual, which at a kink — lines delivering exactly
        the load — is one side of it), cost (supplied_mwh x price: the load's power at
        the margin; its average cost is `netopt.levelised.cost_by_demand`'s
        ``attrs["loads"]``) and shed_cost (shed_mwh x its value of lost load)."""
        self._need("loads")
        lbp = self.network.loads_by_period
        idx = pd.MultiIndex.from_frame(lbp[["node", "period"]])
        shed = (pd.Series(self._values("shed"), index=pd.MultiIndex.from_frame(
            self.formulation.lp.variables["shed"].labels)).reindex(idx).to_numpy()
            if "shed" in self.formulation.lp.variables else np.zeros(len(lbp)))
        shed = np.where(shed > _TOL, shed, 0.0)
        w = self._weight(lbp)
        load = lbp["mw"].to_numpy()
        price = self.node_prices["price"].reindex(idx)
        df = pd.DataFrame({"node": lbp["node"].to_numpy(), "period": lbp["period"].to_numpy(),
                           "load_mw": load, "shed_mw": shed,
                           "supplied_mwh": (load - shed) * w, "shed_mwh": shed * w})
        df["price"] = price.to_numpy()
        df["cost"] = df["supplied_mwh"] * df["price"] + 0.0  # no -0.0
        df["shed_cost"] = df["shed_mwh"] * lbp["value_of_lost_load"].to_numpy()
        return keyed(df, "loads")

    @cached_property
    def demand_prices(self) -> pd.DataFrame:
        """Demand dual by origin, class and period: price = the cost of serving one more
        MWh of IT work of that class at that origin (a "compute price")."""
        self._need("demand prices")
        lp = self.formulation.lp
        lab = lp.constraints["demand"].labels
        price = self._per_mwh("demand")
        wb = lp.constraints["demand_window"]
        if wb.size:  # deferrable work: the window's price, per MWh of the window
            of_t, ids, share = windows(self.network)
            hours = np.bincount(of_t, weights=self.formulation.weights.to_numpy())
            dual = pd.Series(wb.take(self.output.row_dual) * lp.objective_scale /
                             hours[ids.get_indexer(wb.labels["window"])],
                             index=pd.MultiIndex.from_frame(wb.labels))
            win = pd.Series(ids[of_t], index=self.network.periods.index)
            key = pd.MultiIndex.from_arrays([lab["origin"], lab["class"],
                                             win.loc[lab["period"]].to_numpy()])
            from_window = dual.reindex(key).to_numpy()
            price = np.where(np.isnan(from_window), price, from_window)
        return keyed(lab.assign(price=price), "demand_prices")

    # -- summaries (costs, totals, by_class, units, to_dict: `summaries.Summaries`) ----
    def summary(self) -> str:
        """A readable report of the solution (fits 80 columns;
        `netopt.views.report.summary_text`)."""
        return _summary_view(self)

    def write(self, folder: str | Path, overwrite: bool = False) -> Path:
        """Write every table as CSV plus ``summary.json`` into ``folder``, whole or not
        at all (a temporary folder is filled, then exchanged with ``folder`` in one step).

        Parameters
        ----------
        folder : str or path
            A new or empty folder, or (with ``overwrite``) results netopt wrote.
        overwrite : bool
            Replace results netopt wrote there before. A folder netopt did not write
            (no ``.netopt-manifest.json``), one holding other files, the current folder
            or one above it are never replaced.

        Raises
        ------
        OutputExistsError
            If ``folder`` may not be replaced; nothing is written.
        """
        self._need("writing results")
        with atomic_folder(folder, "results", overwrite=overwrite,
                           writer="Result.write") as tmp:
            # key columns first: the index is written
            for name in self.written_tables:
                write_csv(getattr(self, name), tmp / f"{name}.csv", index=True)
            write_csv(self.costs.rename("value").to_frame(), tmp / "costs.csv", index=True)
            write_csv(self.units, tmp / "units.csv", index=True)
            (tmp / "summary.json").write_text(json.dumps(self.to_dict(), indent=2,
                                                         ensure_ascii=False) + "\n",
                                              encoding="utf-8")
        return Path(folder)
