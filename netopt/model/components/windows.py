"""Deferrable windows: a deferrable class serves its energy within each window, in any
of the window's periods.

Constraint (2) ``demand_window``, in average MW over the window; the class's rows of
(1) are then free (docs/model.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...data.network import Network
from ..assembly import Fill, Model

__all__ = ["structure", "add_constraints", "fill", "windows"]


def windows(net: Network) -> tuple[np.ndarray, pd.Index, np.ndarray]:
    """Window of each period (a blank window is the period alone), the windows, and
    each period's share of its window's hours."""
    p = net.periods
    win = np.where(p["window"].to_numpy() == "", p.index.to_numpy(), p["window"].to_numpy())
    ids = pd.Index(pd.unique(win))
    of_t = ids.get_indexer(win)
    w = p["weight_h"].to_numpy(dtype=float)
    return of_t, ids, w / np.bincount(of_t, weights=w)[of_t]


def structure(net: Network) -> tuple:
    """The windows, and the periods' weights when a class is deferrable (the shares)."""
    return (tuple(net.periods["window"]),
            tuple(net.periods["weight_h"]) if net.classes["deferrable"].any() else ())


def _deferrable_pairs(m: Model) -> np.ndarray:
    return np.flatnonzero(m.net.classes["deferrable"].loc[m.pairs["class"]].to_numpy())


def add_constraints(m: Model) -> None:
    # (2) demand_window: sum_{t in w} h_t/H_w (sum_{s,p} x[r,k,s,p,t] + u[r,k,t]) = E[r,k,w]
    win_of_t, win_ids, share = windows(m.net)
    dp = _deferrable_pairs(m)
    D = len(dp)
    row_of_pair = np.full(m.P, -1)
    row_of_pair[dp] = np.arange(D)
    terms = [m.sum_options(row_of_pair[m.options["pair"].to_numpy()], D,
                           period_row=win_of_t, period_value=share)]
    if m.allow_unserved:
        terms.append(m.each_period(m.var("u"), np.arange(D), D, items=dp,
                                   period_row=win_of_t, period_value=share))
    pairs = m.pairs.iloc[dp]
    m.add_constraint("demand_window", pd.DataFrame({
        "origin": np.tile(pairs["node"].to_numpy(dtype=object), len(win_ids)),
        "class": np.tile(pairs["class"].to_numpy(dtype=object), len(win_ids)),
        "window": np.repeat(win_ids.to_numpy(dtype=object), D)}), terms, 0, 0)


def fill(v: Fill) -> None:
    blk = v.row("demand_window")
    if not blk.size:
        return
    # E[r,k,w]: average MW over each window = sum over its periods of share x demand
    of_t, ids, share = windows(v.net)
    P = len(v.f.pairs)
    dmat = v.demand.reshape(v.T, P) * share[:, None]
    per_window = np.zeros((len(ids), P))
    np.add.at(per_window, of_t, dmat)
    wl = blk.labels
    pidx = pd.MultiIndex.from_frame(v.f.pairs[["origin", "class"]]).get_indexer(
        pd.MultiIndex.from_frame(wl[["origin", "class"]]))
    rhs = per_window[ids.get_indexer(wl["window"]), pidx]
    v.bounds("demand_window", rhs, rhs)
