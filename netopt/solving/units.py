"""The unit of every number netopt reports.

One convention everywhere: input columns carry their unit in their name (``_mw``,
``_mwh``, ``_tb``, ...); result columns that do not (``price``, ``cost``,
``shadow_price``, ...) have it here, by table where a name means different things.
`Result.units` lists them, ``Result.write`` writes them to ``units.csv``, and analysis
tables (`compare`, `pareto`, sweeps) carry them in ``DataFrame.attrs["units"]``.
``{cur}`` stands for the network's currency.
"""

from __future__ import annotations

import re

__all__ = ["unit_of", "units_of"]

_BY_TABLE = {
    ("links", "shadow_price"): "{cur}/(Gbps h)",
    ("power_lines", "shadow_price"): "{cur}/(MW h)",
    ("power_lines", "utilisation"): "share",
    ("sites", "capacity_price"): "{cur}/(MW_IT h)",
    ("sources", "capacity_value"): "{cur}/(MW h)",
    ("demand_prices", "price"): "{cur}/MWh_IT",
    ("storage", "power_price"): "{cur}/(MW h)",
    ("storage", "energy_price"): "{cur}/(MWh h)",
    ("storage_units", "value_per_mw"): "{cur}/(MW year)",
    ("storage_units", "value_per_mwh"): "{cur}/(MWh year)",
    ("builds", "amount"): "see unit",
    ("costs", "value"): "{cur}",
}
_BY_NAME = {
    "price": "{cur}/MWh", "cost": "{cur}", "data_cost": "{cur}", "energy_cost": "{cur}",
    "carbon_cost": "{cur}", "tariff_cost": "{cur}", "objective": "{cur}",
    "total": "{cur}", "capital": "{cur}", "operating": "{cur}", "saving_by_joint": "{cur}",
    "data_transport": "{cur}", "electricity": "{cur}", "carbon": "{cur}",
    "transmission": "{cur}", "unserved": "{cur}", "expansion": "{cur}", "fixed": "{cur}",
    "utilisation": "share", "latency_ms": "ms", "emissions_t": "t CO2", "epsilon": "t CO2",
    "carbon_shadow_price": "{cur}/t CO2", "tb_moved": "TB", "data_moved_tb": "TB",
    "gbps_forward": "Gbps", "gbps_backward": "Gbps", "bandwidth_gbps": "Gbps",
    "mw_it": "MW_IT", "it_load_mw": "MW_IT", "it_capacity_mw": "MW_IT",
    "built_mw": "MW_IT", "mwh_it": "MWh_IT", "it_energy_mwh": "MWh_IT",
    "unserved_mwh": "MWh_IT", "delta_star": "TB/MWh_IT", "cost_per_tb": "{cur}/TB",
    "site_price": "{cur}/MWh", "cost_move_data": "{cur}/MWh_IT",
    "cost_move_power": "{cur}/MWh_IT", "cost_local_power": "{cur}/MWh_IT",
    "shed_cost": "{cur}", "loads_power_cost": "{cur}", "seconds": "s",
    "throughput_cost": "{cur}", "cycles_per_year": "1/year", "emission_factor": "t CO2/MWh",
}
_SUFFIX = [(r"_mwh$", "MWh"), (r"_mw$", "MW"), (r"_tb$", "TB"), (r"_gbps$", "Gbps"),
           (r"_t$", "t CO2"), (r"_ms$", "ms"), (r"^west_share:|^share:", "share")]


def unit_of(table: str, column: str, currency: str = "CNY") -> str:
    """The unit of one column of a result or analysis table ("" for ids and text).

    >>> unit_of("links", "shadow_price"), unit_of("sites", "price")
    ('CNY/(Gbps h)', 'CNY/MWh')
    >>> unit_of("sources", "generation_mwh"), unit_of("placement", "route")
    ('MWh', '')
    """
    unit = _BY_TABLE.get((table, column)) or _BY_NAME.get(column)
    if unit is None:
        unit = next((u for pattern, u in _SUFFIX if re.search(pattern, column)), "")
    return unit.format(cur=currency)


def units_of(table: str, columns, currency: str = "CNY") -> dict[str, str]:
    """``{column: unit}`` for the columns that have one."""
    return {c: u for c in columns if (u := unit_of(table, str(c), currency))}
