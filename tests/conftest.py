"""Shared fixtures: small networks built in code, and copies of built-in instances."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

import netopt

# CI (.ci/run sets CI) draws the same examples on every run, so whether a change lands
# never hinges on a new random draw; local runs stay random and keep finding new cases.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = ROOT / "instances"
#: Published cases the tests check against, with their provenance (tests/data/README.md).
DATA = ROOT / "tests" / "data"


def two_node(*, price_w=300.0, tariff=65.0, eta=0.94, pue_e=1.25, pue_w=1.2,
             cost_per_tb=30.0, delta=1.0, demand=1.0, price_e=None, sla=float("inf"),
             latency=10.0, line_cap=float("inf"), weight=8760.0, **settings) -> netopt.Network:
    """East origin with a site, west site with cheap power, a line west -> east, fibre.

    Without ``price_e`` the east has no power of its own: it imports over the line.
    """
    sources = [{"id": "w", "node": "west", "marginal_cost": price_w}]
    if price_e is not None:
        sources.append({"id": "e", "node": "east", "marginal_cost": price_e})
    return netopt.Network(
        nodes=pd.DataFrame({"id": ["east", "west"], "lat": [31.2, 26.4],
                            "lon": [121.5, 106.3], "region": ["east", "west"]}),
        sites=pd.DataFrame({"id": ["site_e", "site_w"], "node": ["east", "west"],
                            "it_capacity_mw": [float("inf")] * 2, "pue": [pue_e, pue_w]}),
        sources=pd.DataFrame(sources),
        backbone_links=pd.DataFrame({"id": ["fibre"], "from": ["east"], "to": ["west"],
                                     "latency_ms": [latency], "cost_per_tb": [cost_per_tb]}),
        power_lines=pd.DataFrame({"id": ["line"], "from": ["west"], "to": ["east"],
                                  "capacity_mw": [line_cap], "efficiency": [eta],
                                  "tariff": [tariff]}),
        classes=pd.DataFrame({"id": ["k"], "data_intensity_tb_per_mwh": [delta],
                              "max_latency_ms": [sla]}),
        demand=pd.DataFrame({"node": ["east"], "class": ["k"], "mw_it": [demand]}),
        periods=pd.DataFrame({"id": ["p"], "weight_h": [weight]}),
        settings={"name": "two-node", **settings})


@pytest.fixture
def toy() -> netopt.Network:
    return netopt.load(INSTANCES / "toy")


@pytest.fixture
def toy_dir(tmp_path) -> Path:
    """A writable copy of the toy instance folder."""
    dst = tmp_path / "toy"
    shutil.copytree(INSTANCES / "toy", dst)
    return dst


@pytest.fixture(scope="session")
def china() -> netopt.Network:
    return netopt.load(INSTANCES / "china-edwc")


@pytest.fixture(scope="session")
def china_result(china) -> netopt.Result:
    return netopt.solve(china)
