"""Synthetic networks: seeded, valid, feasible unless asked, in the instance format."""

from __future__ import annotations

import filecmp

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netopt


def test_same_seed_same_files(tmp_path):
    netopt.save(netopt.generate(40, periods=3, seed=7), tmp_path / "a")
    netopt.save(netopt.generate(40, periods=3, seed=7), tmp_path / "b")
    netopt.save(netopt.generate(40, periods=3, seed=8), tmp_path / "c")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert all(filecmp.cmp(tmp_path / "a" / n, tmp_path / "b" / n, shallow=False)
               for n in names)
    assert not all(filecmp.cmp(tmp_path / "a" / n, tmp_path / "c" / n, shallow=False)
                   for n in names)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nodes=st.integers(2, 60), periods=st.integers(1, 5), classes=st.integers(1, 5),
       seed=st.integers(0, 10_000))
def test_generated_networks_serve_all_demand_strictly(nodes, periods, classes, seed):
    net = netopt.generate(nodes, periods=periods, classes=classes, seed=seed)
    assert len(net.nodes) == nodes and len(net.periods) == periods
    assert float(net.periods["weight_h"].sum()) == pytest.approx(8760)
    assert net.availability["availability"].between(0, 1).all()
    r = netopt.solve(net, allow_unserved=False)
    assert r.ok and r.unserved.empty


def test_infeasible_when_asked():
    net = netopt.generate(40, seed=3, feasible=False)
    with pytest.raises(netopt.InfeasibleError) as exc:
        netopt.solve(net)
    short = exc.value.diagnosis
    assert (short["constraint"] == "demand").any()


def test_cli_generate_round_trips(tmp_path):
    from netopt.cli import main
    out = tmp_path / "g"
    assert main(["generate", str(out), "--nodes", "25", "--periods", "2", "--seed", "4"]) == 0
    net = netopt.load(out)
    assert len(net.nodes) == 25 and netopt.solve(net).ok
    ref = netopt.generate(25, periods=2, seed=4)
    np.testing.assert_allclose(netopt.solve(ref).objective, netopt.solve(net).objective,
                               rtol=1e-9)
