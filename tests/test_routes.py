"""Candidate routes against networkx's own path enumeration."""

from __future__ import annotations

import itertools

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netopt.routes import candidate_routes


def _links(rows):
    return pd.DataFrame(rows, columns=["id", "from", "to", "latency_ms", "cost_per_tb"]
                        ).set_index("id")


def test_parallel_links_are_distinct_routes():
    links = _links([("fast", "a", "b", 1.0, 9.0), ("cheap", "a", "b", 2.0, 1.0)])
    r = candidate_routes(links, {"a": float("inf")}, ["b"], per_pair=3)
    assert [x for x in r["links"]] == [("fast",), ("cheap",)]
    assert list(r["cost_per_tb"]) == [9.0, 1.0]


def test_direction_follows_link_orientation():
    links = _links([("l1", "b", "a", 1.0, 1.0), ("l2", "b", "c", 1.0, 1.0)])
    r = candidate_routes(links, {"a": float("inf")}, ["c"], per_pair=1)
    assert r.iloc[0]["path"] == ("a", "b", "c")
    assert r.iloc[0]["directions"] == (-1, 1)


def test_latency_cutoff_drops_slow_routes():
    links = _links([("ab", "a", "b", 4.0, 1.0), ("ac", "a", "c", 1.0, 1.0),
                    ("cb", "c", "b", 1.0, 1.0)])
    r = candidate_routes(links, {"a": 3.0}, ["b"], per_pair=5)
    assert list(r["path"]) == [("a", "c", "b")]


@settings(max_examples=40, deadline=None)
@given(st.integers(4, 8), st.data())
def test_routes_are_the_m_fastest_simple_paths(n, data):
    pairs = list(itertools.combinations(range(n), 2))
    chosen = data.draw(st.lists(st.sampled_from(pairs), min_size=n - 1, unique=True))
    lat = data.draw(st.lists(st.integers(1, 20), min_size=len(chosen),
                             max_size=len(chosen)))
    links = _links([(f"l{i}", f"n{a}", f"n{b}", float(w), 1.0)
                    for i, ((a, b), w) in enumerate(zip(chosen, lat))])
    m = data.draw(st.integers(1, 4))
    r = candidate_routes(links, {"n0": float("inf")}, [f"n{i}" for i in range(n)], m)
    g = nx.Graph()
    g.add_weighted_edges_from((f"n{a}", f"n{b}", w) for (a, b), w in zip(chosen, lat))
    for target in (f"n{i}" for i in range(1, n)):
        mine = sorted(r.loc[r["node"] == target, "latency_ms"])
        if target not in g or "n0" not in g or not nx.has_path(g, "n0", target):
            assert mine == []
            continue
        expected = [nx.path_weight(g, p, "weight") for p in itertools.islice(
            nx.shortest_simple_paths(g, "n0", target, weight="weight"), m)]
        assert mine == pytest.approx(sorted(expected))
