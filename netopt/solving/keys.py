"""The natural key of every result table, and how a table is put on it.

Every table of a `Result` is indexed by its key, like the input tables are by their
ids: the key columns are the (Multi)Index, not data columns, and each row's key is
unique. Rows keep the order netopt reads them back in, which does not depend on the
order of the input rows (ids in a canonical order, periods in the network's order):
tables of LP values (placement, sources, power_lines, storage, prices) period by
period, the others (sites, links, storage_units) item by item. Sorting would
change the order in which the summaries add numbers up (so their last digits), and
``sort_index`` would put periods in alphabetical order: neither is done.
``df.reset_index()`` gives the flat shape of netopt 0.1.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["TABLE_KEYS", "TABLE_NAMES", "STORAGE_TABLES", "LOAD_TABLES", "keyed", "built"]

#: The key of each result table (and of the summaries), in index order.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    # several candidate routes may join an origin to a site (``routes_per_pair``): the
    # route's rank (0 = fastest, as in `Formulation.options`) tells them apart
    "placement": ("origin", "class", "site", "route_rank", "period"),
    "unserved": ("origin", "class", "period"),
    "sites": ("site", "period"),
    "links": ("link", "period"),
    "power_lines": ("arc", "period"),
    "sources": ("source", "period"),
    "node_prices": ("node", "period"),
    "demand_prices": ("origin", "class", "period"),
    "builds": ("kind", "item"),
    "storage": ("storage", "period"),
    "storage_units": ("storage",),
    "transport_energy": ("origin", "class", "site", "route_rank", "node", "period"),
    "loads": ("node", "period"),
    "by_class": ("class",),
    "units": ("table", "column"),
    "costs": ("part",),
    "totals": ("quantity",),
}

#: Written by `Result.write` as ``<name>.csv``, key columns first.
TABLE_NAMES = ("placement", "unserved", "sites", "links", "power_lines", "sources",
               "node_prices", "demand_prices", "builds")
#: Written by `Result.write` too when the network has storage.
STORAGE_TABLES = ("storage", "storage_units")
#: Written by `Result.write` too when the network has electric loads.
LOAD_TABLES = ("loads",)

#: The dtype pandas gives text (``str`` from pandas 3, ``object`` before).
TEXT = pd.Series([""]).dtype


def keyed(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """``df`` indexed by the key of ``table`` (a name in `TABLE_KEYS`), rows in the
    order given. Ids and other text (key levels and data columns alike) get pandas's
    text dtype, whether the table is empty or not, whatever dtype they were read with."""
    key = list(TABLE_KEYS[table])
    text = [c for c in df.columns if c in key and c != "route_rank" or df[c].dtype == object]
    return df.astype(dict.fromkeys(text, TEXT)).set_index(key)


def built(builds: pd.DataFrame, kind: str) -> pd.Series:
    """The amounts of one kind of `Result.builds` ("site", "open site", ...), by item;
    empty when nothing of that kind is built."""
    b = builds["amount"]
    return b[b.index.get_level_values("kind") == kind].droplevel("kind")
