"""Energy storage (batteries, pumped hydro, thermal storage at a data-centre site):
charge, discharge and a state of charge that links the periods of each window, which is
a cycle (it ends where it starts).

Variables ``p_ch[s, t]``, ``p_dis[s, t]`` (MW, at the grid side), ``soc[s, t]`` (MWh,
at the end of period t), ``storage_build_mw[s]`` and ``storage_build_mwh[s]``;
constraints (7) ``storage_soc``, (8) ``storage_charge_capacity``, (9)
``storage_discharge_capacity``, (10) ``storage_energy_capacity``; cost terms (C6)
throughput and (C4) capital; power term (6d) (docs/model.md, "Storage").

Periods follow each other in the order of their ids (the network's canonical order);
a period lasts ``span_h`` real hours (default its weight), which is the hours of (7):
a representative hour standing for 91 days (weight 2,190 h) spans 1 h, so a day's
cycle repeats on each of those days.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...data.network import Network
from ..assembly import Fill, Model, Terms
from .windows import windows

__all__ = ["structure", "add_variables", "add_build_variables", "add_constraints",
           "power_nodes", "power_terms", "fill", "previous_period"]


def structure(net: Network) -> tuple:
    st = net.storage
    if not len(st):
        return ()
    return (tuple(st.index), tuple(st["node"]), tuple(st["efficiency_charge"]),
            tuple(st["efficiency_discharge"]), tuple(st["standing_loss_per_h"]),
            tuple(st["duration_h"].fillna(-1.0)), tuple(st["max_power_mw"].notna()),
            tuple(st["max_energy_mwh"].notna()), tuple(net.period_span),
            tuple(net.periods["window"]))


def previous_period(net: Network) -> np.ndarray:
    """Position of the period before each period within its window; the first period
    of a window is preceded by the window's last (the cycle)."""
    of_t = windows(net)[0]
    prev = np.empty(len(of_t), dtype=np.int64)
    for w in np.unique(of_t):
        pos = np.flatnonzero(of_t == w)
        prev[pos] = np.roll(pos, 1)
    return prev


def _grow_mw(net: Network) -> pd.Index:
    return net.storage.index[net.storage["max_power_mw"].notna().to_numpy()]


def _grow_mwh(net: Network) -> pd.Index:
    return net.storage.index[net.storage["max_energy_mwh"].notna().to_numpy()]


def add_variables(m: Model) -> None:
    ids = m.net.storage.index.to_numpy()
    for name in ("p_ch", "p_dis", "soc"):
        m.add_per_period(name, ids, "storage")


def add_build_variables(m: Model) -> None:
    m.add_once("storage_build_mw", pd.DataFrame({"storage": _grow_mw(m.net)}))
    m.add_once("storage_build_mwh", pd.DataFrame({"storage": _grow_mwh(m.net)}))


def add_constraints(m: Model) -> None:
    net, st = m.net, m.net.storage
    S, T = len(st), m.T
    items = np.arange(S)
    soc, p_ch, p_dis = m.var("soc"), m.var("p_ch"), m.var("p_dis")
    span = net.period_span.to_numpy()                                      # d_t, hours
    keep = 1.0 - st["standing_loss_per_h"].to_numpy()
    # (7) storage_soc: soc[s,t] - (1 - loss_s)^d_t soc[s,prev(t)]
    #                  - d_t eta_ch p_ch[s,t] + d_t / eta_dis p_dis[s,t] = 0
    prev = previous_period(net)
    t = np.repeat(np.arange(T), S)
    e = np.tile(items, T)
    carry = Terms(t * S + e, soc.start + prev[t] * S + e,
                  -(keep[e] ** span[t]) if S else np.zeros(0))
    m.add_constraint("storage_soc", m.labels(st.index.to_numpy(), "storage"), [
        m.each_period(soc, items, S), carry,
        m.each_period(p_ch, items, S, -st["efficiency_charge"].to_numpy(),
                      period_value=span),
        m.each_period(p_dis, items, S, 1.0 / st["efficiency_discharge"].to_numpy(),
                      period_value=span)], 0.0, 0.0)
    # (8), (9) p_ch[s,t] - storage_build_mw[s] <= P_s;  p_dis[s,t] - storage_build_mw[s] <= P_s
    bmw, bmwh = m.var("storage_build_mw"), m.var("storage_build_mwh")
    row_mw = st.index.get_indexer(bmw.labels["storage"])
    for name, var in (("storage_charge_capacity", p_ch),
                      ("storage_discharge_capacity", p_dis)):
        m.add_constraint(name, m.labels(st.index.to_numpy(), "storage"), [
            m.each_period(var, items, S), m.every_period(bmw, row_mw, S, -1.0)],
            -np.inf, 0.0)
    # (10) soc[s,t] - storage_build_mwh[s] - h_s storage_build_mw[s] <= E_s
    #      (h_s the duration of a unit given by duration_h: its energy grows with its power)
    dur = st["duration_h"].to_numpy()[row_mw]
    by_hours = np.flatnonzero(~np.isnan(dur))
    m.add_constraint("storage_energy_capacity", m.labels(st.index.to_numpy(), "storage"), [
        m.each_period(soc, items, S),
        m.every_period(bmwh, st.index.get_indexer(bmwh.labels["storage"]), S, -1.0),
        m.every_period(bmw, row_mw[by_hours], S, -dur[by_hours], items=by_hours)],
        -np.inf, 0.0)


def power_nodes(m: Model) -> list[np.ndarray]:
    return [m.net.storage["node"].to_numpy(dtype=object)]


def power_terms(m: Model) -> list:
    # (6d) a unit takes p_ch[s, t] from its node and gives p_dis[s, t] back
    node = m.net.storage["node"]
    return [m.at_nodes(m.var("p_ch"), node, -1.0), m.at_nodes(m.var("p_dis"), node, 1.0)]


def fill(v: Fill) -> None:
    net, st = v.net, v.net.storage
    if not len(st):
        return
    capex = net.annual_capex
    # (C6) throughput: marginal cost per MWh discharged
    v.cost_per_mwh("p_dis", st["marginal_cost"].to_numpy())
    # (C4) capital: per MW added (a unit given by duration_h also pays its energy,
    #      duration_h x capex per MWh), per MWh added; up to max_power_mw, max_energy_mwh
    lab = v.var("storage_build_mw").labels["storage"]
    per_mw = (capex["storage_mw"].loc[lab].to_numpy()
              + st.loc[lab, "duration_h"].fillna(0.0).to_numpy()
              * capex["storage_mwh"].loc[lab].to_numpy())
    v.cost("storage_build_mw", per_mw / 8760)
    v.upper("storage_build_mw", (st.loc[lab, "max_power_mw"]
                                 - st.loc[lab, "power_mw"]).to_numpy())
    lab = v.var("storage_build_mwh").labels["storage"]
    v.cost("storage_build_mwh", capex["storage_mwh"].loc[lab].to_numpy() / 8760)
    v.upper("storage_build_mwh", (st.loc[lab, "max_energy_mwh"]
                                  - st.loc[lab, "energy_mwh"]).to_numpy())
    power = np.tile(st["power_mw"].to_numpy(), v.T)
    v.bounds("storage_charge_capacity", -np.inf, power)
    v.bounds("storage_discharge_capacity", -np.inf, power)
    v.bounds("storage_energy_capacity", -np.inf, np.tile(net.storage_energy.to_numpy(), v.T))
