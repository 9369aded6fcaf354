"""Candidate routes against networkx's own path enumeration."""

from __future__ import annotations

import itertools

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netopt.model.routes import candidate_routes, route_paths


def _links(rows):
    return pd.DataFrame(rows, columns=["id", "from", "to", "latency_ms", "cost_per_tb"]
                        ).set_index("id")


def _hops(r, route):
    h = r.hops[r.hops["route"] == route]
    return list(h["link"]), list(h["direction"])


@pytest.mark.parametrize("m", [1, 3])
def test_parallel_links_are_distinct_routes(m):
    links = _links([("fast", "a", "b", 1.0, 9.0), ("cheap", "a", "b", 2.0, 1.0)])
    r = candidate_routes(links, {"a": float("inf")}, ["b"], per_pair=m)
    expected = [["fast"], ["cheap"]][:m]
    assert [_hops(r, i)[0] for i in r.table["route"]] == expected
    assert list(r.table["cost_per_tb"]) == [9.0, 1.0][:m]
    # and backwards, from b to a, against both links' orientation
    back = candidate_routes(links, {"b": float("inf")}, ["a"], per_pair=m)
    assert _hops(back, 0) == (["fast"], [-1])


@pytest.mark.parametrize("m", [1, 2])
def test_direction_follows_link_orientation(m):
    links = _links([("l1", "b", "a", 1.0, 1.0), ("l2", "b", "c", 1.0, 1.0)])
    r = candidate_routes(links, {"a": float("inf")}, ["c"], per_pair=m)
    assert _hops(r, 0) == (["l1", "l2"], [-1, 1])
    assert route_paths(r, links).tolist() == ["a>b>c"]


@pytest.mark.parametrize("m", [1, 5])
def test_latency_cutoff_drops_slow_routes(m):
    links = _links([("ab", "a", "b", 4.0, 1.0), ("ac", "a", "c", 1.0, 1.0),
                    ("cb", "c", "b", 1.0, 1.0)])
    r = candidate_routes(links, {"a": 3.0}, ["b"], per_pair=m)
    assert route_paths(r, links).tolist() == ["a>c>b"]


def test_origin_with_a_site_has_an_empty_route_and_unreachable_none():
    links = _links([("ab", "a", "b", 1.0, 1.0)])
    r = candidate_routes(links, {"a": float("inf"), "z": float("inf")}, ["a", "y"], 1)
    assert r.table[["origin", "node", "latency_ms"]].values.tolist() == [["a", "a", 0.0]]
    assert r.hops.empty


@settings(max_examples=40, deadline=None)
@given(st.integers(4, 9), st.data())
def test_routes_are_the_m_fastest_simple_paths(n, data):
    pairs = list(itertools.combinations(range(n), 2))
    chosen = data.draw(st.lists(st.sampled_from(pairs), min_size=n - 1, unique=True))
    lat = data.draw(st.lists(st.integers(1, 20), min_size=len(chosen),
                             max_size=len(chosen)))
    links = _links([(f"l{i}", f"n{a}", f"n{b}", float(w), float(w) * 2)
                    for i, ((a, b), w) in enumerate(zip(chosen, lat))])
    m = data.draw(st.integers(1, 4))
    origin = data.draw(st.sampled_from([f"n{i}" for i in range(n)]))
    r = candidate_routes(links, {origin: float("inf")}, [f"n{i}" for i in range(n)], m)
    g = nx.Graph()
    g.add_weighted_edges_from((f"n{a}", f"n{b}", w) for (a, b), w in zip(chosen, lat))
    t = r.table
    assert (t["cost_per_tb"] == 2 * t["latency_ms"]).all()  # summed over the right links
    for target in (f"n{i}" for i in range(n)):
        mine = sorted(t.loc[t["node"] == target, "latency_ms"])
        if target == origin:
            assert mine == [0.0]
        elif target not in g or origin not in g or not nx.has_path(g, origin, target):
            assert mine == []
        else:
            expected = [nx.path_weight(g, p, "weight") for p in itertools.islice(
                nx.shortest_simple_paths(g, origin, target, weight="weight"), m)]
            assert mine == pytest.approx(sorted(expected))
    # every route is a walk from its origin to its target along its links
    for route, path in route_paths(r, links).items():
        nodes = path.split(">")
        row = t.set_index("route").loc[route]
        assert nodes[0] == row["origin"] and nodes[-1] == row["node"]
        assert len(set(nodes)) == len(nodes)  # simple


# -- ties: latency, then cost, then number of links, then link ids ----------------------


def _tied(order):
    """Three routes a -> z of 4 ms each: via b (cost 10), via c (cost 1), via d (cost 5)."""
    rows = [("ab", "a", "b", 2.0, 5.0), ("bz", "b", "z", 2.0, 5.0),
            ("ac", "a", "c", 2.0, 0.5), ("cz", "c", "z", 2.0, 0.5),
            ("ad", "a", "d", 2.0, 2.5), ("dz", "d", "z", 2.0, 2.5)]
    return _links([rows[i] for i in order])


ORDERS = list(itertools.permutations(range(6)))[::37]  # 20 of the 720 row orders


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("m", [1, 2])
def test_latency_ties_are_broken_by_cost_whatever_the_row_order(order, m):
    links = _tied(order)
    r = candidate_routes(links, {"a": float("inf")}, ["z"], per_pair=m)
    assert route_paths(r, links).tolist() == ["a>c>z", "a>d>z"][:m]
    assert r.table["cost_per_tb"].tolist() == [1.0, 5.0][:m]
    assert r.table["rank"].tolist() == list(range(m))


@pytest.mark.parametrize("m", [1, 3])
def test_equal_latency_and_cost_fewer_links_then_smallest_link_id(m):
    # a>z direct (4 ms, cost 2) against a>y>z (2 + 2 ms, cost 1 + 1): the direct wins;
    # two parallel links a-z of equal latency and cost: the smaller id ('p1' < 'p10')
    for order in ([0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2]):
        rows = [("p10", "a", "z", 4.0, 2.0), ("ay", "a", "y", 2.0, 1.0),
                ("yz", "y", "z", 2.0, 1.0), ("p1", "z", "a", 4.0, 2.0)]
        links = _links([rows[i] for i in order])
        r = candidate_routes(links, {"a": float("inf")}, ["z"], per_pair=m)
        assert [_hops(r, i)[0] for i in r.table["route"]] == [["p1"], ["p10"], ["ay", "yz"]][:m]
        assert _hops(r, 0)[1] == [-1]  # p1 runs z -> a


def test_ties_within_a_relative_1e9_count_as_equal():
    # 0.1 + 0.2 != 0.3 in floating point; the cheaper route must still win
    links = _links([("ab", "a", "b", 0.1, 3.0), ("bz", "b", "z", 0.2, 3.0),
                    ("az", "a", "z", 0.3, 5.0)])
    for m in (1, 2):
        r = candidate_routes(links, {"a": float("inf")}, ["z"], per_pair=m)
        assert r.table["cost_per_tb"].iloc[0] == 5.0


@settings(max_examples=30, deadline=None)
@given(st.integers(4, 8), st.data())
def test_routes_do_not_depend_on_link_row_order(n, data):
    # small integer latencies and costs: many exact ties
    pairs = list(itertools.combinations(range(n), 2))
    chosen = data.draw(st.lists(st.sampled_from(pairs), min_size=n - 1, max_size=2 * n))
    rows = [(f"l{i}", f"n{a}", f"n{b}", float(data.draw(st.integers(0, 3))),
             float(data.draw(st.integers(0, 3)))) for i, (a, b) in enumerate(chosen)]
    perm = data.draw(st.permutations(range(len(rows))))
    m = data.draw(st.integers(1, 3))
    targets = [f"n{i}" for i in range(n)]

    def routes(rs):
        links = _links(rs)
        r = candidate_routes(links, {"n0": float("inf"), "n1": 5.0}, targets, m)
        t = r.table.assign(path=route_paths(r, links).reindex(r.table["route"]).to_numpy())
        return t.drop(columns="route").sort_values(["origin", "node", "rank"]).to_dict("records")

    assert routes(rows) == routes([rows[i] for i in perm])
    # the fastest route is the same whatever m
    links = _links(rows)
    one, many = (candidate_routes(links, {"n0": float("inf")}, targets, k) for k in (1, m))
    first = many.table[many.table["rank"] == 0]
    assert (route_paths(one, links).reindex(one.table["route"]).tolist() ==
            route_paths(many, links).reindex(first["route"]).tolist())
