"""The same network gives the same answer whatever the order of its rows: the same
objective and byte-identical result files."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netopt
from netopt.data.network import natural_rank


def _tied_routes() -> netopt.Network:
    """Two 4 ms routes east -> west, at 10 and 1 CNY per TB; one route per pair."""
    return netopt.Network(
        nodes=pd.DataFrame({"id": ["east", "west", "a", "b"], "lat": [31.2, 26.4, 30.0, 28.0],
                            "lon": [121.5, 106.3, 115.0, 112.0]}),
        sites=pd.DataFrame({"id": ["site_e", "site_w"], "node": ["east", "west"],
                            "it_capacity_mw": [5.0, float("inf")], "pue": [1.25, 1.2]}),
        sources=pd.DataFrame({"id": ["e", "w"], "node": ["east", "west"],
                              "marginal_cost": [700.0, 300.0]}),
        backbone_links=pd.DataFrame({"id": ["ea", "aw", "eb", "bw"],
                                     "from": ["east", "a", "east", "b"],
                                     "to": ["a", "west", "b", "west"], "latency_ms": 2.0,
                                     "cost_per_tb": [5.0, 5.0, 0.5, 0.5]}),
        classes=pd.DataFrame({"id": ["k"], "data_intensity_tb_per_mwh": [1.0]}),
        demand=pd.DataFrame({"node": ["east"], "class": ["k"], "mw_it": [20.0]}),
        settings={"name": "tied", "routes_per_pair": 1})


NETWORKS = {
    "toy": lambda: netopt.load("toy"),
    "sichuan": lambda: netopt.load("sichuan"),
    "tied-routes": _tied_routes,
    "generated-m1": lambda: netopt.generate(25, periods=3, seed=4),
    "generated-m2": lambda: netopt.generate(18, sites=5, routes_per_pair=2, seed=9),
}


@lru_cache(maxsize=None)
def _network(name: str) -> netopt.Network:
    return NETWORKS[name]()


_REFERENCE: dict[str, tuple[float, dict[str, bytes]]] = {}


def _reference(name: str, folder) -> tuple[float, dict[str, bytes]]:
    if name not in _REFERENCE:
        r = netopt.solve(_network(name))
        _REFERENCE[name] = r.objective, _files(r, folder)
    return _REFERENCE[name]


def _files(result, folder) -> dict[str, bytes]:
    result.write(folder)
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _shuffled(net: netopt.Network, rng: np.random.Generator) -> netopt.Network:
    tables = {}
    for name, df in net.tables.items():
        perm = rng.permutation(len(df))
        tables[name] = df.iloc[perm] if df.index.name == "id" else \
            df.iloc[perm].reset_index(drop=True)
    return netopt.Network(**tables, settings=net.settings)


def test_tied_routes_take_the_cheaper_whatever_the_link_order():
    net = _tied_routes()
    flipped = netopt.Network(**{**net.tables, "backbone_links": net.backbone_links.iloc[
        [2, 3, 0, 1]]}, settings=net.settings)
    a, b = netopt.solve(net), netopt.solve(flipped)
    # 20 MW_IT x 8760 h x 1 TB/MWh over the 1 CNY/TB route, powered in the west at 1.2
    assert a.objective == b.objective == pytest.approx(20 * 8760 * (1.0 + 1.2 * 300))
    assert set(a.placement["route"]) == {"east>b>west"}


def test_tables_are_kept_in_natural_id_order():
    net = _network("generated-m1")
    for name in ("nodes", "sites", "sources", "backbone_links", "power_lines", "periods"):
        idx = getattr(net, name).index
        assert (np.diff(natural_rank(idx)) > 0).all(), name
    assert list(net.periods.index) == ["t0", "t1", "t2"]


def test_error_rows_follow_their_rows_after_reordering(toy_dir):
    # the spreadsheet row of an issue found after sorting is still the file's row
    pd.DataFrame({"id": ["dc_west", "dc_east"], "node": ["west", "east"],
                  "it_capacity_mw": [200, 60], "pue": [1.2, 1.25]}).to_csv(
        toy_dir / "sites.csv", index=False)
    pd.DataFrame({"id": ["hydro_west", "grid_east"], "node": ["west", "east"],
                  "capacity_mw": [0, "inf"], "marginal_cost": [300, 700]}).to_csv(
        toy_dir / "sources.csv", index=False)
    with pytest.raises(netopt.ValidationError) as exc:
        netopt.load(toy_dir)
    [issue] = exc.value.issues
    assert (issue.file, issue.row, issue.column) == ("sites.csv", 2, "node")
    assert "dc_west" in issue.message


@pytest.mark.parametrize("name", sorted(NETWORKS))
@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_shuffled_rows_give_the_same_objective_and_files(name, seed, tmp_path_factory):
    objective, files = _reference(name, tmp_path_factory.mktemp(f"{name}-ref"))
    net = _shuffled(_network(name), np.random.default_rng(seed))
    r = netopt.solve(net)
    assert r.objective == objective
    mine = _files(r, tmp_path_factory.mktemp(f"{name}-shuffled"))
    assert mine.keys() == files.keys()
    for f in files:
        assert mine[f] == files[f], f
