"""What instances/README.md says about the format is what netopt does: each documented
fact is read from the README and checked against the code."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest

import netopt
from conftest import INSTANCES
from netopt.analysis.counterfactuals import zones
from netopt.data.network import EARTH_RADIUS_KM, great_circle_km

DOC = (INSTANCES / "README.md").read_text(encoding="utf-8")
PROSE = DOC[:DOC.index("## network.yaml")]


def _says(*phrases):
    text = " ".join(PROSE.split())  # across line breaks
    for p in phrases:
        assert p in text, f"instances/README.md does not say {p!r}"


def test_earth_radius_is_documented_and_used():
    prose = " ".join(PROSE.split())
    radius = float(re.search(r"sphere of radius ([\d.]+) km", prose).group(1))
    assert radius == EARTH_RADIUS_KM == 6371.0088
    # haversine by hand, Beijing -> Gui'an
    p1, p2, l1, l2 = map(math.radians, (39.90, 26.37, 116.40, 106.33))
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2)
    by_hand = 2 * radius * math.asin(math.sqrt(a))
    assert great_circle_km(39.90, 116.40, 26.37, 106.33) == pytest.approx(by_hand, rel=1e-15)
    assert by_hand * 6371.0 / radius != pytest.approx(by_hand, rel=1e-7)


def _net(zone, **tables):
    base = dict(
        nodes=pd.DataFrame({"id": ["a", "b"], "lat": [30.0, 30.0], "lon": [104.0, 105.0],
                            "zone": zone}),
        sites=pd.DataFrame({"id": ["dc_b"], "node": ["b"], "it_capacity_mw": [10.0],
                            "pue": [1.2]}),
        sources=pd.DataFrame({"id": ["g"], "node": ["b"], "marginal_cost": [300.0]}),
        backbone_links=pd.DataFrame({"id": ["ab"], "from": ["a"], "to": ["b"],
                                     "latency_ms": [1.0], "cost_per_tb": [1.0]}),
        classes=pd.DataFrame({"id": ["k"], "data_intensity_tb_per_mwh": [1.0]}),
        demand=pd.DataFrame({"node": ["a"], "class": ["k"], "mw_it": [1.0]}))
    return netopt.Network(**{**base, **tables}, settings={"name": "zones"})


def test_a_blank_zone_is_a_zone_of_its_own_node():
    _says("A blank `zone` is a zone of its own node")
    blank = _net(["", ""])
    assert zones(blank).to_dict() == {"a": "a", "b": "b"}
    # moving power only, work at a may not run at b: a shared blank zone would allow it
    unserved = netopt.compare(blank).table.set_index("scenario")["unserved_mwh"]
    assert unserved["move_power_only"] == pytest.approx(8760)
    shared = netopt.compare(_net(["z", "z"])).table.set_index("scenario")["unserved_mwh"]
    assert shared["move_power_only"] == 0


def test_no_periods_file_is_one_period_year_of_8760_hours():
    _says("Without `periods.csv` there is one period, `year`, of 8760 h")
    toy = netopt.load("toy")
    assert not (INSTANCES / "toy" / "periods.csv").exists()
    assert list(toy.periods.index) == ["year"] and toy.periods["weight_h"].tolist() == [8760]


def test_parallel_links_are_two_routes():
    _says("two links between the same two nodes (parallel links) are two different routes")
    links = pd.DataFrame({"id": ["ab", "ab2"], "from": ["a", "b"], "to": ["b", "a"],
                          "latency_ms": [1.0, 2.0], "cost_per_tb": [9.0, 1.0]})
    net = _net(["", ""], backbone_links=links)
    f = netopt.model.formulation.formulate(net, routes_per_pair=2)
    assert sorted(f.options["cost_per_tb"]) == [1.0, 9.0]


def test_a_candidate_site_may_not_also_expand():
    _says("may not also have `max_it_capacity_mw`")
    sites = pd.DataFrame({"id": ["dc_b"], "node": ["b"], "it_capacity_mw": [10.0],
                          "pue": [1.2], "fixed_cost_year": [1e5],
                          "max_it_capacity_mw": [20.0]})
    with pytest.raises(netopt.ValidationError, match="cannot also expand"):
        _net(["", ""], sites=sites)


def test_a_bidirectional_line_has_its_capacity_in_each_direction():
    _says("a bidirectional line has that capacity in each direction")
    # the source is at a, the site at b: power must flow against the line's from -> to
    net = _net(["", ""], sources=pd.DataFrame({"id": ["g"], "node": ["a"],
                                               "marginal_cost": [300.0]}),
               power_lines=pd.DataFrame({"id": ["l"], "from": ["b"], "to": ["a"],
                                         "capacity_mw": [0.6], "efficiency": [1.0],
                                         "bidirectional": [True]}),
               demand=pd.DataFrame({"node": ["b"], "class": ["k"], "mw_it": [1.0]}))
    arcs = net.power_arcs
    assert arcs["capacity_mw"].tolist() == [0.6, 0.6]
    r = netopt.solve(net)
    sent = r.power_lines["sent_mw"].droplevel("period")
    assert sent["l~rev"] == pytest.approx(0.6) and sent["l"] == pytest.approx(0)
    assert r.unserved["mw_it"].sum() == pytest.approx(1 - 0.6 / 1.2)


def test_the_builtin_table_lists_every_builtin():
    table = PROSE[PROSE.index("| built-in |"):].split("\n\n")[0]
    listed = set(re.findall(r"^\| `([\w-]+)`", table, flags=re.MULTILINE))
    assert listed == set(netopt.builtin_instances())


def test_row_order_and_route_ties_are_documented():
    _says("Row order never matters", "Ties go to the lower cost, then the fewer links, "
          "then the link ids")
    assert np.isfinite(netopt.model.routes.MAX_TIED)
