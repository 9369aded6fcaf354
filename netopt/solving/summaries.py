"""What a `Result` says about itself as a whole: costs, totals, work by class, units, and
the JSON summary; mixed into `Result`.

Data are properties, actions are methods: ``costs``, ``totals``, ``by_class`` and
``units`` are properties (cached), ``to_dict()`` converts. Until netopt 0.2.0
``by_class()`` and ``totals()`` were methods: calling them still works for one release
and warns (`FutureWarning`).
"""

from __future__ import annotations

import warnings
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from .keys import LOAD_TABLES, STORAGE_TABLES, TABLE_KEYS, TABLE_NAMES
from .units import units_of

__all__ = ["Summaries", "ByClassFrame", "TotalsSeries"]


def _called(name: str) -> None:
    warnings.warn(f"Result.{name} is a property since netopt 0.2.0: write "
                  f"`result.{name}`, not `result.{name}()` (the call goes in 0.3.0)",
                  FutureWarning, stacklevel=3)


class ByClassFrame(pd.DataFrame):
    """`Result.by_class`: a plain DataFrame that may still be called as before 0.2.0.

    ``result.by_class()`` warns and returns the frame itself. pandas builds the result
    of any operation on it as a plain DataFrame or Series (``_constructor`` is not
    overridden). When pandas itself calls it (a callable passed where a value may be a
    function: ``df.loc[...]``, ``assign``, ``where``), it stands for itself, silently.
    """

    def __call__(self, *args, **kwargs):
        if not args and not kwargs:
            _called("by_class")
        return self


class TotalsSeries(pd.Series):
    """`Result.totals`: a plain Series that may still be called as before 0.2.0
    (``result.totals()`` warns and returns the Series; see `ByClassFrame`)."""

    def __call__(self, *args, **kwargs):
        if not args and not kwargs:
            _called("totals")
        return self


class Summaries:
    """The summaries of a `Result` (a mixin: it reads the Result's tables)."""

    @cached_property
    def costs(self) -> pd.Series:
        """Cost breakdown over the horizon: data_transport, electricity, carbon,
        transmission, unserved, expansion, fixed, storage (with storage) and total
        (currency), indexed by part."""
        self._need("the cost breakdown")
        s = self.sources
        parts = pd.Series({
            "data_transport": float(self.placement["data_cost"].sum()),
            "electricity": float(s["energy_cost"].sum()),
            "carbon": float(s["carbon_cost"].sum()),
            "transmission": float(self.power_lines["tariff_cost"].sum()),
            "unserved": float(self.unserved["cost"].sum()),
        })
        if len(self.network.loads):  # electric load shed: lost load too
            parts["unserved"] += float(self.loads["shed_cost"].sum())
        b = self.builds
        opened = b.index.get_level_values("kind") == "open site"
        parts["expansion"] = float(b.loc[~opened, "cost"].sum())
        parts["fixed"] = float(b.loc[opened, "cost"].sum())
        if len(self.network.storage):  # throughput; storage capital is in expansion
            parts["storage"] = float(self.storage["throughput_cost"].sum())
        parts["total"] = parts.sum()
        parts.name = self.network.settings.currency
        parts.index.name = TABLE_KEYS["costs"][0]
        return parts

    @cached_property
    def totals(self) -> TotalsSeries:
        """Energy, emissions, data and power moved over the horizon (float Series,
        indexed by quantity; each quantity's name carries its unit).

        ``energy_drawn_mwh`` is what the sites draw (IT x PUE); ``transport_energy_mwh``
        what moving data draws along the routes (6d), and ``transport_emissions_t`` its
        emissions at the average factor of the power used where it is drawn
        (`node_emission_factors`); both are inside ``emissions_t``.
        """
        pl, src, pw = self.placement, self.sources, self.power_lines
        t = {
            "it_energy_mwh": pl["mwh_it"].sum(),
            "energy_drawn_mwh": self.sites["energy_mwh"].sum(),
            "generation_mwh": src["generation_mwh"].sum(),
            "curtailed_mwh": src["curtailed_mwh"].sum(),
            "emissions_t": src["emissions_t"].sum(),
            "data_moved_tb": pl["tb_moved"].sum(),
            "power_sent_mwh": pw["sent_mwh"].sum(),
            "power_delivered_mwh": pw["delivered_mwh"].sum(),
            "transmission_losses_mwh": pw["losses_mwh"].sum(),
            "unserved_mwh": self.unserved["mwh_it"].sum(),
            # moving data (6d): MWh drawn by the network equipment, and its emissions
            # at the average factor of the power used where it is drawn
            "transport_energy_mwh": self.links["energy_mwh"].sum(),
            "transport_emissions_t": self.transport_energy["emissions_t"].sum(),
        }
        if len(self.network.storage):
            t["storage_charged_mwh"] = self.storage["charge_mwh"].sum()
            t["storage_discharged_mwh"] = self.storage["discharge_mwh"].sum()
        if len(self.network.loads):
            t["load_mwh"] = self.loads["supplied_mwh"].sum()
            t["load_shed_mwh"] = self.loads["shed_mwh"].sum()
        out = TotalsSeries({k: float(v) for k, v in t.items()}, dtype=float)
        out.index.name = TABLE_KEYS["totals"][0]
        return out

    @cached_property
    def by_class(self) -> ByClassFrame:
        """MWh of IT work per class (the index) by region of the serving site (the
        columns, ``(none)`` for a node without a region), plus ``unserved``."""
        pl = self.placement
        region = self.network.nodes["region"].replace("", "(none)")
        t = (pl.assign(region=region.loc[pl["node"]].to_numpy())
             .pivot_table(index="class", columns="region", values="mwh_it", aggfunc="sum",
                          fill_value=0.0))
        un = self.unserved.groupby(level="class")["mwh_it"].sum()
        classes = self.network.classes.index
        t = t.reindex(classes, fill_value=0.0)
        t["unserved"] = un.reindex(t.index, fill_value=0.0)
        t.columns.name = None
        t.index = pd.Index(classes.astype(str), name=TABLE_KEYS["by_class"][0])
        return ByClassFrame(t.astype(float))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: status, objective, costs, totals, placement by class
        and site, and electricity prices at the site nodes."""
        out: dict[str, Any] = {"network": self.network.name, "status": str(self.status),
                               "message": self.message, "solver": self.solver,
                               "method": self.method, "decompose": self.decompose,
                               "currency": self.network.settings.currency,
                               "objective": None if not self.ok else float(self.objective)}
        if not self.ok:
            out["costs"] = None
            if not np.isnan(self.partial_objective):
                out["partial_objective"] = float(self.partial_objective)
            return out
        out["costs"] = {k: float(v) for k, v in self.costs.items()}
        out["totals"] = {k: float(v) for k, v in self.totals.items()}
        out["by_class_mwh"] = {k: {c: float(v) for c, v in row.items()}
                               for k, row in self.by_class.iterrows()}
        by_site = self.sites.groupby(level="site")  # sorted by site id, as before 0.2.0
        out["by_site_mwh"] = {k: float(v) for k, v in by_site["it_energy_mwh"].sum().items()}
        out["site_prices"] = {k: float(v) for k, v in by_site["price"].mean().items()}
        return out

    @property
    def written_tables(self) -> tuple[str, ...]:
        """The tables `write` writes: `TABLE_NAMES`, and the storage and load tables
        where the network has storage or loads."""
        return (TABLE_NAMES + (STORAGE_TABLES if len(self.network.storage) else ())
                + (LOAD_TABLES if len(self.network.loads) else ()))

    @property
    def units(self) -> pd.DataFrame:
        """The unit of every number in the written tables, indexed by (table, column),
        key columns included where they have one (ids and periods have none;
        `netopt.solving.units`; written as ``units.csv`` by `write`)."""
        cur = self.network.settings.currency
        rows = []
        for t in self.written_tables:
            df = getattr(self, t)
            rows += [(t, c, u) for c, u in units_of(
                t, [*df.index.names, *df.columns], cur).items()]
        rows += [("costs", "value", cur)]
        return pd.DataFrame(rows, columns=["table", "column", "unit"]).set_index(
            list(TABLE_KEYS["units"]))
