"""Text report of a `Result` for people: fits 80 columns, plain when piped."""

from __future__ import annotations

from typing import TYPE_CHECKING

import textwrap

import numpy as np

from .._format import human
from ..solving import results

if TYPE_CHECKING:
    from ..solving.results import Result

__all__ = ["summary_text", "human"]

WIDTH = 80


def _table(headers: list[str], rows: list[list[str]], first_left: bool = True) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    def line(cells):
        out = []
        for i, (c, w) in enumerate(zip(cells, widths)):
            out.append(c.ljust(w) if (i == 0 and first_left) else c.rjust(w))
        return "  " + "  ".join(out)
    return [line(headers)] + [line(r) for r in rows]


def _names_within(names: list[str], width: int) -> str:
    """Names joined by commas, as many whole ones as fit in ``width`` characters, then
    ``+N`` for the rest (a name is never cut); the first is cut with "…" only if it
    alone is too long.

    >>> _names_within(["tianfu_supercomputing", "yaan_dc"], 26)
    'tianfu_supercomputing +1'
    >>> _names_within(["a_very_long_site_name_indeed_yes"], 10)
    'a_very_lo…'
    """
    shown: list[str] = []
    for i, name in enumerate(names):
        rest = len(names) - i - 1
        text = ", ".join(shown + [name]) + (f" +{rest}" if rest else "")
        if len(text) > width:
            if not shown:
                return name[:width - 1] + "…"
            return ", ".join(shown) + f" +{len(names) - len(shown)}"
        shown.append(name)
    return ", ".join(shown)


def summary_text(result: Result) -> str:
    """The solution in words and small tables."""
    net = result.network
    cur = net.settings.currency
    hours = float(net.periods["weight_h"].sum())
    head = f"netopt: {net.name} -- {result.status} ({result.seconds:.2f} s)"
    lines = [head[:WIDTH]] + textwrap.wrap(result.message, WIDTH, initial_indent="  ",
                                            subsequent_indent="  ")
    if not result.ok:
        lines.append("No solution to report: the solve did not reach an optimum.")
        return "\n".join(lines)

    c = result.costs
    lines += ["", f"Total cost {human(c['total'], cur)} over {hours:,.0f} h"]
    labels = {"data_transport": "moving data", "electricity": "electricity",
              "carbon": "carbon", "transmission": "power-line tariffs",
              "unserved": "unserved demand", "expansion": "capacity built",
              "fixed": "sites opened", "storage": "storage throughput"}
    labels = {k: v for k, v in labels.items()
              if k in c and (k not in ("expansion", "fixed", "storage") or c[k])}
    lines += _table(["part", cur, "share"],
                    [[labels[k], f"{c[k]:,.0f}", f"{c[k] / c['total']:.1%}" if c["total"]
                      else "-"] for k in labels])
    t = result.totals
    lines += ["", f"Energy drawn {human(t['energy_drawn_mwh'], 'MWh')}; emissions "
              f"{human(t['emissions_t'], 't CO2')}",
              f"Limited (clean) supply left unused {human(t['curtailed_mwh'], 'MWh')}",
              f"Data moved {human(t['data_moved_tb'], 'TB')}; power sent "
              f"{human(t['power_sent_mwh'], 'MWh')}, losses "
              f"{human(t['transmission_losses_mwh'], 'MWh')}"]
    if "load_mwh" in t:  # electric loads: power, not computing
        lines.append(f"Electric loads (not computing) supplied {human(t['load_mwh'], 'MWh')}"
                     f", shed {human(t['load_shed_mwh'], 'MWh')}")
    if t["transport_energy_mwh"] > 0:
        lines.append(f"Moving data drew {human(t['transport_energy_mwh'], 'MWh')} "
                     f"({human(t['transport_emissions_t'], 't CO2')}, at the local "
                     "average factor)")
    if len(net.storage):  # storage (issue #11.2)
        su = result.storage_units
        used = su[su["power_mw"] > 1e-6]
        lines.append(f"Storage {human(used['power_mw'].sum(), 'MW')} / "
                     f"{human(used['energy_mwh'].sum(), 'MWh')} in {len(used)} of "
                     f"{len(su)} units; discharged {human(t['storage_discharged_mwh'], 'MWh')}"
                     f", lost {human(su['losses_mwh'].sum(), 'MWh')}")
    if t["unserved_mwh"] > 0:
        lines += ["", f"!! UNSERVED DEMAND: {human(t['unserved_mwh'], 'MWh')} of IT work "
                  f"could not be served (priced at the value of lost load):"]
        un = result.unserved.groupby(level=["origin", "class"])["mwh_it"].sum()
        lines += [f"   {o} / {k}: {human(v, 'MWh')}" for (o, k), v in un.items()]
    if t.get("load_shed_mwh", 0.0) > 0:
        lines += ["", f"!! ELECTRIC LOAD SHED: {human(t['load_shed_mwh'], 'MWh')} could not "
                  "be supplied (priced at its value of lost load):"]
        shed = result.loads.groupby(level="node")["shed_mwh"].sum()
        lines += [f"   {n}: {human(v, 'MWh')}" for n, v in shed[shed > 0].items()]

    bc = result.by_class.copy()  # a column is added: not to the Result's own table
    lines += ["", "Where each class runs (share of its IT energy by region of the site;",
              "'moved': served in another region than its origin's)"]
    cols = list(bc.columns)
    total = bc.sum(axis=1).replace(0, np.nan)
    pl = result.placement
    region = net.nodes["region"]
    origin = pl.index.get_level_values("origin")
    away = pl[region.loc[origin].to_numpy() != region.loc[pl["node"]].to_numpy()]
    bc["moved"] = away.groupby(level="class")["mwh_it"].sum().reindex(bc.index,
                                                                      fill_value=0.0)
    cols.append("moved")
    top = (pl.groupby(level=["class", "site"])["mwh_it"].sum().sort_values(ascending=False)
           .groupby(level=0).head(2))
    rows = []
    for k in bc.index:
        sites = _names_within([s for (kk, s) in top.index if kk == k], 26)
        rows.append([k] + [f"{bc.loc[k, col] / total[k]:.0%}" if total[k] == total[k]
                           else "-" for col in cols] + [sites])
    lines += _table(["class"] + cols + ["main sites"], rows)

    if len(result.builds):
        lines += ["", "Build-out (annualised cost over the horizon)"]
        lines += _table(["kind", "item", "amount", "unit", cur],
                        [[kind, str(item), f"{r.amount:,.1f}", r.unit, f"{r.cost:,.0f}"]
                         for (kind, item), r in result.builds.iterrows()])
    if result.mip_gap == result.mip_gap:
        lines.append(f"MIP: best bound {human(result.mip_bound, cur)}, gap "
                     f"{result.mip_gap:.2e}")
    s = result.sites.groupby(level="site").agg(node=("node", "first"),
                                                load=("it_load_mw", "mean"),
                                                cap=("it_capacity_mw", "first"),
                                                price=("price", "mean"))
    lines += ["", f"Sites (average IT load, MW; local electricity price, {cur}/MWh)"]
    lines += _table(["site", "node", "MW_IT", "capacity", "use", "price"],
                    [[i, r.node, f"{r.load:,.0f}", f"{r.cap:,.0f}",
                      f"{r.load / r.cap:.0%}" if r.cap > 0 and np.isfinite(r.cap) else "-",
                      f"{r.price:,.0f}"] for i, r in s.iterrows()])
    return "\n".join(line[:WIDTH] for line in lines)


results.set_summary_view(summary_text)  # Result.summary() is this text
