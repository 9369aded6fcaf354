"""Typical days: an hourly year cut to k representative days with tsam.

The input is an ordinary instance whose periods are hours: every period has
``weight_h`` 1 and a ``window`` naming its day, each day has 24 periods (hours in the
natural order of their ids), and every time series given is given for every hour (see
instances/README.md, "An hourly year"). Its days are clustered by tsam (hierarchical
clustering, medoid days rescaled to keep each series' mean) on every series at once:
the demand profile of each class, the availability of each source, the demand of each
node and class given by period and the electric load of each node given by the hour
(`loads.csv`). The result is an instance of ``k × 24`` periods:
typical day ``tdNN``'s hours weigh as many hours as the days it stands for, and each
typical day is one window.

Deferrable work, the only thing that carries energy from one hour to another in the
LP, stays within its window: in the typical-day instance each typical day balances on
its own, cyclically (it ends where it began), and nothing moves between typical days.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.network import Network
from ..errors import Issue, NetoptError, ValidationError, show

__all__ = ["Aggregation", "AggregateError", "hourly_days", "typical_days",
           "objective_error"]

HOURS = 24
MAX_ISSUES = 10


class AggregateError(NetoptError, ValueError):
    """Typical days cannot be made as asked (tsam missing, a day count out of range)."""


@dataclass
class Aggregation:
    """Typical days made from an hourly instance.

    Attributes
    ----------
    network : Network
        The instance of ``k × 24`` periods.
    days : int
        Days in the hourly input (365 for a year).
    assignment : pandas.Series
        Typical day of each input day (indexed by the input's window ids).
    weights : pandas.Series
        Days each typical day stands for (they add up to ``days``).
    error : pandas.DataFrame
        One row per series clustered (``profile:CLASS``, ``availability:SOURCE``,
        ``demand:NODE:CLASS``): ``rmse`` and ``mae`` of the year rebuilt from the
        typical days against the input, in the series' own unit (factor, share, MW_IT),
        ``mean_input`` and ``mean_typical`` (weighted), and tsam's ``rmse_normalised``
        and ``rmse_duration`` (on series scaled to 0..1).
    objective : dict or None
        Filled by `objective_error`.
    """

    network: Network
    days: int
    assignment: pd.Series
    weights: pd.Series
    error: pd.DataFrame
    objective: dict | None = field(default=None)

    @property
    def k(self) -> int:
        return len(self.weights)

    def to_dict(self) -> dict:
        """JSON-ready: days, typical days, weights, assignment, errors, objective."""
        return {"days": self.days, "typical_days": self.k,
                "weights_days": {k: float(v) for k, v in self.weights.items()},
                "assignment": {str(d): t for d, t in self.assignment.items()},
                "error": {i: {c: float(v) for c, v in row.items()}
                          for i, row in self.error.iterrows()},
                "objective": self.objective,
                "storage": "deferrable work balances within each typical day (cyclic per "
                           "day); nothing moves between typical days"}

    def write(self, folder: str | Path, overwrite: bool = False) -> Path:
        """Write the instance plus ``aggregation.json`` (what `to_dict` gives), whole
        or not at all; `netopt.load` reads the folder back."""
        from .._files import atomic_folder, write_csv
        from ..data.instance import SETTINGS_FILE
        from ..data.schema import TABLE_ORDER, TABLES
        import yaml
        net = self.network
        with atomic_folder(folder, "instance", overwrite=overwrite,
                           writer="netopt aggregate") as tmp:
            settings = {k: v for k, v in net.settings.to_dict().items() if v is not None}
            (tmp / SETTINGS_FILE).write_text(
                yaml.safe_dump(settings, sort_keys=False, allow_unicode=True),
                encoding="utf-8")
            for name in TABLE_ORDER:
                spec, df = TABLES[name], getattr(net, name)
                if not spec.required_file and len(df) == 0:
                    continue
                write_csv(df.reset_index() if spec.key else df, tmp / spec.file)
            (tmp / "aggregation.json").write_text(
                json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n",
                encoding="utf-8")
        return Path(folder)


# -- the hourly input ----------------------------------------------------------------
def hourly_days(net: Network) -> pd.DataFrame:
    """The days of an hourly instance: its periods as a days × 24 table of period ids.

    Raises
    ------
    ValidationError
        Naming file, row and column: a period whose weight is not 1 h or whose window
        is blank, a day without exactly 24 hours (8759 rows leave one day at 23), and a
        class, source or node-class that lacks a row for some hour.
    """
    p = net.periods
    issues: list[Issue] = []

    def rows_of(table, positions):
        return [net.row_of(table, int(i))[1] for i in positions]

    file = net.row_of("periods", 0)[0]
    if len(p) < HOURS:
        raise ValidationError([Issue(file, None, None, f"{len(p)} periods; an hourly "
                                     f"input needs whole days of {HOURS} hours (8760 for a "
                                     "year)")])
    bad = np.flatnonzero(p["weight_h"].to_numpy() != 1.0)
    for i in bad[:MAX_ISSUES]:
        issues.append(Issue(file, rows_of("periods", [i])[0], "weight_h",
                            f"{p['weight_h'].iloc[i]:g} h; every hour of an hourly input "
                            "weighs 1 h"))
    blank = np.flatnonzero(p["window"].to_numpy() == "")
    for i in blank[:MAX_ISSUES]:
        issues.append(Issue(file, rows_of("periods", [i])[0], "window",
                            "blank; every hour of an hourly input names its day here"))
    win = p.loc[p["window"] != "", "window"]
    sizes = win.groupby(win, sort=False).size()
    for day, n in sizes[sizes != HOURS].items():
        pos = np.flatnonzero(p["window"].to_numpy() == day)
        labels = rows_of("periods", pos)
        issues.append(Issue(file, labels[0] if n == 1 else f"{labels[0]}..{labels[-1]}"
                            if _consecutive(labels) else ", ".join(map(str, labels[:5])),
                            "window", f"day {show(day)} has {n} hour{'s' * (n != 1)}; a day "
                            f"needs {HOURS} (the input has {len(p)} periods; a year has "
                            "8760)"))
    if issues:
        raise ValidationError(issues)
    order = pd.unique(win.to_numpy())
    # rows of the days table: each day's periods in the natural order netopt keeps
    days = pd.DataFrame([list(p.index[p["window"].to_numpy() == d]) for d in order],
                        index=pd.Index(order, name="day"))
    issues += _complete(net, "demand_profiles", "class", "factor", p.index)
    issues += _complete(net, "availability", "source", "availability", p.index)
    d = net.demand[net.demand["period"] != ""]
    if len(d):
        issues += _complete(net, "demand", ["node", "class"], "mw_it", p.index, d)
    ld = net.loads[net.loads["period"] != ""]
    if len(ld):
        issues += _complete(net, "loads", "node", "mw", p.index, ld)
    if issues:
        raise ValidationError(issues)
    return days


def _consecutive(labels) -> bool:
    try:
        vals = [int(v) for v in labels]
    except (TypeError, ValueError):
        return False
    return vals == list(range(vals[0], vals[0] + len(vals)))


def _complete(net, table, key, value, periods, rows=None) -> list[Issue]:
    """Each key with rows in ``table`` must have one for every hour."""
    df = getattr(net, table) if rows is None else rows
    if not len(df):
        return []
    file = net.row_of(table, 0)[0]
    keys = [key] if isinstance(key, str) else list(key)
    out = []
    for k, g in df.groupby(keys, sort=False):
        k = k if isinstance(k, tuple) else (k,)
        missing = periods.difference(pd.Index(g["period"]), sort=False)
        if len(missing):
            name = ", ".join(f"{c} {show(v)}" for c, v in zip(keys, k))
            out.append(Issue(file, None, "period",
                             f"{name} has {len(g):,} hourly rows, not {len(periods):,}: no "
                             f"row for period {show(missing[0])}"
                             + (f" (and {len(missing) - 1:,} more)" if len(missing) > 1
                                else "") + "; give every hour or none"))
        if len(out) >= MAX_ISSUES:
            break
    return out


def _series(net: Network, days: pd.DataFrame) -> pd.DataFrame:
    """Every hourly series as one column, hours in day order (days × 24 rows)."""
    order = days.to_numpy().ravel()
    cols = {}
    prof = net.demand_profiles
    if len(prof):
        wide = prof.pivot(index="period", columns="class", values="factor")
        for c in wide.columns:
            cols[f"profile:{c}"] = wide[c].reindex(order).to_numpy()
    av = net.availability
    if len(av):
        wide = av.pivot(index="period", columns="source", values="availability")
        for s in wide.columns:
            cols[f"availability:{s}"] = wide[s].reindex(order).to_numpy()
    d = net.demand[net.demand["period"] != ""]
    if len(d):
        wide = d.pivot_table(index="period", columns=["node", "class"], values="mw_it",
                             aggfunc="first")
        for n, c in wide.columns:
            cols[f"demand:{n}:{c}"] = wide[(n, c)].reindex(order).to_numpy()
    ld = net.loads[net.loads["period"] != ""]
    if len(ld):  # electric loads by the hour (power, not computing)
        wide = ld.pivot_table(index="period", columns="node", values="mw", aggfunc="first")
        for n in wide.columns:
            cols[f"load:{n}"] = wide[n].reindex(order).to_numpy()
    return pd.DataFrame(cols, index=pd.date_range("2001-01-01", periods=len(order),
                                                  freq="h"))


# -- clustering ------------------------------------------------------------------------
def typical_days(net: Network, days: int) -> Aggregation:
    """Cluster an hourly instance's days into ``days`` typical days (tsam).

    Parameters
    ----------
    net : Network
        An hourly instance (`hourly_days` says what that is).
    days : int
        Typical days, 1 to the number of days in the input.

    Returns
    -------
    Aggregation

    Raises
    ------
    ValidationError
        If ``net`` is not an hourly instance.
    AggregateError
        If ``days`` is out of range or tsam is not installed.
    """
    table = hourly_days(net)
    n = len(table)
    if isinstance(days, bool) or not isinstance(days, (int, np.integer)) or \
            not 1 <= days <= n:
        raise AggregateError(f"days={show(days, quote=False)}: the input has {n} day"
                             f"{'s' * (n != 1)}; ask for 1 to {n} typical days")
    days = int(days)
    try:
        import tsam
    except ImportError:
        raise AggregateError("typical days need tsam: pip install 'netopt[aggregate]'"
                             ) from None
    data = _series(net, table)
    varying = [c for c in data.columns if data[c].max() > data[c].min()]
    const = {c: float(data[c].iloc[0]) for c in data.columns if c not in varying}
    day_ids = np.asarray(table.index, dtype=object)
    td_names = [f"td{i + 1:0{len(str(days))}d}" for i in range(days)]
    if varying:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tsam warns of rescaling within 1e-13
            res = tsam.aggregate(data[varying], days, period_duration=HOURS,
                                 temporal_resolution=1.0)
        assign = np.asarray(res.cluster_assignments, dtype=int)
        counts = pd.Series(res.cluster_counts, dtype=float).sort_index()
        rep = res.cluster_representatives
        clusters = list(counts.index)
        values = {c: np.vstack([rep.loc[k, c].to_numpy() for k in clusters])
                  for c in varying}
        rebuilt = res.reconstructed
        acc = res.accuracy
    else:  # nothing varies: every day is alike, any grouping is exact
        assign = np.arange(n) * days // n
        clusters = list(range(days))
        counts = pd.Series(np.bincount(assign, minlength=days), dtype=float)
        values, rebuilt, acc = {}, None, None
    for c, v in const.items():
        values[c] = np.full((days, HOURS), v)
    # typical day i is cluster clusters[i]; name them in that order
    name_of = dict(zip(clusters, td_names))
    weights = pd.Series(counts.to_numpy(), index=pd.Index(td_names, name="typical_day"))
    assignment = pd.Series([name_of[a] for a in assign], index=pd.Index(day_ids, name="day"),
                           name="typical_day")
    for c in values:  # keep what the schema allows (rescaling may step out by 1e-16)
        hi = 1.0 if c.startswith("availability:") else np.inf
        values[c] = np.clip(values[c], 0.0, hi)
    rows = []
    for c in data.columns:
        orig = data[c].to_numpy()
        back = (rebuilt[c].to_numpy()[:len(orig)] if c in varying else orig)
        w = weights.to_numpy()
        rows.append({"series": c,
                     "rmse": float(np.sqrt(np.mean((back - orig) ** 2))),
                     "mae": float(np.mean(np.abs(back - orig))),
                     "mean_input": float(orig.mean()),
                     "mean_typical": float((values[c] * w[:, None]).sum() / (w.sum() * HOURS)),
                     "rmse_normalised": float(acc.rmse[c]) if c in varying else 0.0,
                     "rmse_duration": float(acc.rmse_duration[c]) if c in varying else 0.0})
    error = pd.DataFrame(rows).set_index("series")
    return Aggregation(_build(net, td_names, weights, values), n, assignment, weights,
                       error)


def _build(net, td_names, weights, values) -> Network:
    """The typical-day instance: the input's tables with time replaced."""
    pid = [f"{t}-h{h:02d}" for t in td_names for h in range(HOURS)]
    periods = pd.DataFrame({"id": pid, "weight_h": np.repeat(weights.to_numpy(), HOURS),
                            "window": np.repeat(td_names, HOURS)})
    flat = {c: v.ravel() for c, v in values.items()}
    prof = [pd.DataFrame({"class": c.split(":", 1)[1], "period": pid, "factor": v})
            for c, v in flat.items() if c.startswith("profile:")]
    av = [pd.DataFrame({"source": c.split(":", 1)[1], "period": pid, "availability": v})
          for c, v in flat.items() if c.startswith("availability:")]
    dem = [pd.DataFrame({"node": c.split(":")[1], "class": c.split(":")[2], "period": pid,
                         "mw_it": v}) for c, v in flat.items() if c.startswith("demand:")]
    base = net.demand[net.demand["period"] == ""][["node", "class", "period", "mw_it"]]
    # hourly loads become typical-day loads; each node keeps its value of lost load
    lcols = ["node", "period", "mw", "value_of_lost_load", "description"]
    hourly = net.loads[net.loads["period"] != ""].drop_duplicates("node").set_index("node")
    loads = [pd.DataFrame({"node": n, "period": pid, "mw": v,
                           "value_of_lost_load": hourly.loc[n, "value_of_lost_load"],
                           "description": hourly.loc[n, "description"]})
             for c, v in flat.items() if c.startswith("load:")
             for n in [c.split(":", 1)[1]]]
    tables = {**net.tables, "periods": periods,
              "loads": _cat([net.loads[net.loads["period"] == ""][lcols]] + loads, lcols),
              "demand_profiles": _cat(prof, ["class", "period", "factor"]),
              "availability": _cat(av, ["source", "period", "availability"]),
              "demand": _cat([base] + dem, ["node", "class", "period", "mw_it"])}
    s = net.settings.to_dict()
    k = len(td_names)
    s["name"] = f"{net.name}-{k}days"
    s["description"] = (f"{k} typical day{'s' * (k != 1)} of {net.name} (tsam); "
                        "deferrable work balances within each typical day")
    return Network(**tables, settings=s)


def _cat(frames, columns) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return (pd.concat(frames, ignore_index=True)[columns] if frames
            else pd.DataFrame(columns=columns))


# -- the objective error ---------------------------------------------------------------
def objective_error(hourly: Network, agg: Aggregation, solver: str = "highs",
                    method: str = "auto") -> dict:
    """Solve the hourly input and the typical days, and compare their optima. Fills and
    returns ``agg.objective``.

    The hourly input is solved as `netopt.solve` decides (``decompose="auto"``): day by
    day where nothing couples the days (no build-out left open), else as one LP over
    every hour, which is for networks small enough to solve at once.
    """
    from ..solving.optimize import solve
    full = solve(hourly, solver, method=method)
    typ = solve(agg.network, solver, method=method)
    for r, what in ((full, "the hourly input"), (typ, "the typical days")):
        if not r.ok:
            raise AggregateError(f"{what}: no optimum ({r.status}: {r.message})")
    rel = (typ.objective - full.objective) / abs(full.objective) if full.objective else \
        float(typ.objective - full.objective)
    agg.objective = {"full": float(full.objective), "typical": float(typ.objective),
                     "relative_error": float(rel), "full_seconds": float(full.seconds),
                     "typical_seconds": float(typ.seconds),
                     "full_columns": int(full.formulation.lp.shape[1]),
                     "typical_columns": int(typ.formulation.lp.shape[1])}
    return agg.objective
