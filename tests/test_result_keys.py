"""Result tables a pandas user expects (issue #13, item 4): every table indexed by its
natural key, numbers numeric, empty tables shaped like full ones, CSVs that read back
on their key; data are properties, and the old calls ``by_class()`` / ``totals()`` warn
for one release."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest

import netopt
from netopt.solving.keys import STORAGE_TABLES, TABLE_KEYS, TABLE_NAMES

TABLES = TABLE_NAMES + STORAGE_TABLES + ("transport_energy",)
#: Data columns that are not numbers: ids, labels, routes (and sites' boolean "open").
TEXT = {"node", "route", "region", "from", "to", "line", "kind", "unit", "open"}


def _rich() -> netopt.Network:
    """The toy instance with all that a key must survive: two periods (given as t2, t10,
    so that alphabetical order would swap them), two parallel fibre links east-west
    with limited bandwidth (two routes from east to the western site, with the same path
    of nodes), a site that grows, demand beyond what can grow (unserved), storage, and
    the energy of moving data."""
    toy = netopt.load("toy")
    t = dict(toy.tables)
    t["periods"] = pd.DataFrame({"id": ["t2", "t10"], "weight_h": [4380.0, 4380.0]})
    t["backbone_links"] = pd.DataFrame({
        "id": ["fibre", "fibre_b"], "from": ["east", "east"], "to": ["west", "west"],
        "latency_ms": [10.0, 12.0], "bandwidth_gbps": [4.0, 100.0],
        "cost_per_tb": [30.0, 35.0]})
    t["demand"] = pd.DataFrame({"node": ["east"] * 3,
                                "class": ["ai", "archive", "interactive"],
                                "mw_it": [100.0, 20.0, 100.0]})
    t["sites"] = toy.sites.assign(max_it_capacity_mw=[70.0, np.nan],
                                  capex_per_mw_year=[100_000.0, 0.0])
    t["storage"] = pd.DataFrame([{"id": "bat", "node": "east", "power_mw": 5.0,
                                  "energy_mwh": 10.0, "efficiency_charge": 0.95,
                                  "efficiency_discharge": 0.95}])
    settings = {**dataclasses.asdict(toy.settings), "name": "rich", "routes_per_pair": 2,
                "allow_unserved": True, "transport_kwh_per_tb_hop": 2.0}
    return netopt.Network(**t, settings=settings)


@pytest.fixture(scope="module")
def rich() -> netopt.Result:
    r = netopt.solve(_rich())
    assert r.ok
    return r


@pytest.fixture(scope="module")
def plain() -> netopt.Result:
    """Nothing unserved, nothing built, no energy of moving data."""
    r = netopt.solve(netopt.load("toy"))
    assert r.unserved.empty and r.builds.empty and r.transport_energy.empty
    return r


def test_the_rich_case_has_what_the_keys_must_survive(rich):
    assert len(rich.unserved) and len(rich.builds) and len(rich.transport_energy)
    assert len(rich.storage) and len(rich.storage_units)
    flat = rich.placement.reset_index()
    # two routes to one site: (origin, class, site, period) alone is not a key, and the
    # path of nodes does not tell parallel links apart; the route's rank does
    assert flat.duplicated(["origin", "class", "site", "period"]).any()
    assert flat.duplicated(["origin", "class", "site", "route", "period"]).any()
    assert sorted(flat["route_rank"].unique()) == [0, 1]


@pytest.mark.parametrize("table", TABLES + ("by_class", "units"))
def test_each_table_is_indexed_by_its_declared_key(rich, table):
    df = getattr(rich, table)
    assert list(df.index.names) == list(TABLE_KEYS[table])
    assert df.index.is_unique, table
    assert not set(df.columns) & set(df.index.names), "a key column repeated as data"
    assert len(df), table


@pytest.mark.parametrize("table", TABLES + ("by_class",))
def test_numbers_have_numeric_dtypes(rich, table):
    df = getattr(rich, table)
    numbers = set(df.select_dtypes("number").columns)
    for col in df.columns:
        assert col in numbers or col in TEXT, (table, col, df[col].dtype)
    for col in TEXT & set(df.columns) - {"open"}:
        assert not pd.api.types.is_numeric_dtype(df[col]), (table, col)
    if "open" in df:
        assert df["open"].dtype == bool


@pytest.mark.parametrize("table", TABLES)
def test_id_levels_are_text_and_route_rank_whole(rich, table):
    idx = getattr(rich, table).index
    for name in idx.names:
        level = idx.get_level_values(name)
        if name == "route_rank":
            assert level.dtype == np.int64
        else:
            assert level.dtype == pd.Series([], dtype=str).dtype, (table, name, level.dtype)


def test_costs_and_totals_are_float_series_on_their_keys(rich):
    for s, key in ((rich.costs, "part"), (rich.totals, "quantity")):
        assert isinstance(s, pd.Series) and s.dtype == float
        assert s.index.name == key and s.index.is_unique
    assert rich.totals["unserved_mwh"] > 0
    assert rich.totals["storage_charged_mwh"] >= 0


@pytest.mark.parametrize("table", [t for t in TABLES if "period" in TABLE_KEYS[t]])
def test_periods_keep_the_networks_order(rich, table):
    """t2 before t10, as the network has them (alphabetical order would swap them)."""
    df = getattr(rich, table)
    seen = pd.unique(df.index.get_level_values("period"))
    assert list(seen) == [p for p in rich.network.periods.index if p in set(seen)]
    assert list(seen) == ["t2", "t10"]


@pytest.mark.parametrize("table", ["unserved", "builds", "transport_energy"])
def test_empty_tables_keep_index_names_and_dtypes(rich, plain, table):
    empty, full = getattr(plain, table), getattr(rich, table)
    assert empty.empty and len(full)
    assert list(empty.index.names) == list(full.index.names) == list(TABLE_KEYS[table])
    for name in full.index.names:
        assert (empty.index.get_level_values(name).dtype
                == full.index.get_level_values(name).dtype), (table, name)
    pd.testing.assert_series_equal(empty.dtypes, full.dtypes)


def test_empty_csvs_start_with_their_key(plain, tmp_path):
    plain.write(tmp_path / "out")
    head = (tmp_path / "out" / "unserved.csv").read_text().splitlines()
    assert head == ["origin,class,period,mw_it,mwh_it,cost"]
    head = (tmp_path / "out" / "builds.csv").read_text().splitlines()
    assert head == ["kind,item,amount,unit,cost"]


def test_csvs_read_back_on_their_key(rich, tmp_path):
    rich.write(tmp_path / "out")
    written = TABLE_NAMES + STORAGE_TABLES
    assert {p.stem for p in (tmp_path / "out").glob("*.csv")} == {
        *written, "costs", "units"}
    for table in written:
        key = list(TABLE_KEYS[table])
        df = getattr(rich, table)
        # a whole float is written as one ("10"), and a blank is NaN in a number but ""
        # in text: say which columns are floats and which text, as a reader would
        floats = list(df.select_dtypes("float").columns)
        types = {**dict.fromkeys(floats, float),
                 **dict.fromkeys(TEXT & set(df.columns) - {"open"}, str)}
        back = pd.read_csv(tmp_path / "out" / f"{table}.csv", index_col=key, dtype=types,
                           keep_default_na=False, na_values=dict.fromkeys(floats, [""]))
        assert list(back.columns) == list(df.columns), table
        if "open" in back:  # booleans are written as true/false
            back["open"] = back["open"].map({True: True, False: False, "true": True,
                                             "false": False}).astype(bool)
        # 12 significant digits are written (no float noise)
        pd.testing.assert_frame_equal(back, df, check_index_type=False, rtol=1e-11,
                                      atol=1e-9, obj=table)
    costs = pd.read_csv(tmp_path / "out" / "costs.csv", index_col="part")["value"]
    pd.testing.assert_series_equal(costs, rich.costs.rename("value"), rtol=1e-11)


def test_units_name_every_written_number(rich, tmp_path):
    rich.write(tmp_path / "out")
    units = pd.read_csv(tmp_path / "out" / "units.csv", index_col=["table", "column"])
    pd.testing.assert_frame_equal(units, rich.units, check_index_type=False)
    for table in TABLE_NAMES + STORAGE_TABLES:
        df = getattr(rich, table)
        for col in df.select_dtypes("number").columns:
            assert (table, col) in units.index, (table, col)
        # key columns are ids, periods and route ranks: none has a unit to list
        assert not any((table, k) in units.index for k in df.index.names)
    assert units.loc[("storage", "power_price"), "unit"] == "CNY/(MW h)"


def test_old_calls_warn_and_return_the_same_values(rich):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # reading the properties says nothing
        by_class, totals = rich.by_class, rich.totals
    with pytest.warns(FutureWarning, match=r"result\.by_class`, not `result\.by_class\(\)"):
        old = rich.by_class()
    pd.testing.assert_frame_equal(old, by_class)
    with pytest.warns(FutureWarning, match=r"result\.totals`, not `result\.totals\(\)"):
        old = rich.totals()
    pd.testing.assert_series_equal(old, totals)
    assert old["it_energy_mwh"] == pytest.approx(rich.placement["mwh_it"].sum())
    assert rich.to_dict()["totals"] == {k: float(v) for k, v in totals.items()}


def test_pandas_operations_on_the_shims_give_plain_pandas(rich):
    bc, t = rich.by_class, rich.totals
    frames = [bc.copy(), bc + 1, bc[["unserved"]], bc.loc[bc.index[:2]], bc.round(0),
              bc.reset_index(), bc.T, pd.concat([bc, bc]), bc.astype(float),
              bc.assign(x=1.0), bc.head(2), t.to_frame()]
    series = [bc["unserved"], bc.sum(), bc.sum(axis=1), bc.iloc[0], t.copy(), t * 2,
              t[t > 0], t.round(1), pd.concat([t, t]), t.astype(float), t.loc[["emissions_t"]]]
    assert all(type(f) is pd.DataFrame for f in frames), [type(f) for f in frames]
    assert all(type(s) is pd.Series for s in series), [type(s) for s in series]
    # pandas may call a callable it is given (loc, assign, where): the shim stands for
    # itself there, silently
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert type(pd.DataFrame(index=bc.index).assign(v=bc["unserved"])) is pd.DataFrame
        assert t.where(t > 0).equals(t.where((t > 0).to_numpy()))
        assert bc.loc[bc["unserved"] >= 0].shape == bc.shape



def test_loads_are_keyed_by_node_and_period_and_read_back(tmp_path):
    """sichuan's receiving grids are electric loads (`Result.loads`)."""
    r = netopt.solve(netopt.load("sichuan"))
    loads = r.loads
    assert list(loads.index.names) == list(TABLE_KEYS["loads"]) and loads.index.is_unique
    assert set(loads.select_dtypes("number").columns) == set(loads.columns)
    assert "loads" in r.written_tables and "load_mwh" in r.totals
    r.write(tmp_path / "out")
    back = pd.read_csv(tmp_path / "out" / "loads.csv", index_col=["node", "period"],
                       dtype=dict.fromkeys(loads.columns, float))
    pd.testing.assert_frame_equal(back, loads, check_index_type=False, rtol=1e-11)
    units = r.units
    assert units.loc[("loads", "shed_cost"), "unit"] == "CNY"
