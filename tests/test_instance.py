"""Instance folders: load -> save -> load round trips exactly; built-ins are found."""

from __future__ import annotations

import filecmp
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from setuptools import Distribution

import netopt
from conftest import INSTANCES, two_node
from netopt.data.schema import SETTINGS, TABLES


def _same(a: netopt.Network, b: netopt.Network):
    assert a.settings == b.settings
    for name in a.tables:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True,
                                      check_dtype=False, check_index_type=False)


@pytest.mark.parametrize("name", sorted(netopt.builtin_instances()))
def test_round_trip_builtin(tmp_path, name):
    a = netopt.load(name)
    netopt.save(a, tmp_path / "copy")
    b = netopt.load(tmp_path / "copy")
    _same(a, b)
    netopt.save(b, tmp_path / "again")
    for f in (tmp_path / "copy").iterdir():  # byte-identical the second time round
        assert filecmp.cmp(f, tmp_path / "again" / f.name, shallow=False), f.name


def test_round_trip_network_built_in_code(tmp_path):
    a = two_node(price_w=123.456789012345, delta=0.1 + 0.2, carbon_price=12.5)
    netopt.save(a, tmp_path / "n")
    b = netopt.load(tmp_path / "n")
    _same(a, b)
    assert b.sources.loc["w", "marginal_cost"] == 123.456789012345
    assert netopt.solve(a).objective == netopt.solve(b).objective


def test_save_refuses_to_clobber_and_keeps_other_files(tmp_path, toy):
    target = tmp_path / "t"
    netopt.save(toy, target)
    (target / "README.md").write_text("keep me")
    with pytest.raises(FileExistsError):
        netopt.save(toy, target)
    netopt.save(toy, target, overwrite=True)
    assert (target / "README.md").read_text() == "keep me"


def test_builtins_listed_with_descriptions():
    found = netopt.builtin_instances()
    assert {"china-edwc", "toy"} <= set(found)
    assert all(found.values())


def test_default_instance_is_china():
    assert netopt.load().name == "china-edwc"


def test_unknown_instance_suggests(tmp_path):
    with pytest.raises(netopt.InstanceNotFoundError, match="did you mean 'toy'"):
        netopt.load("toyy")


def test_instance_docs_match_the_schema():
    from netopt.data.schema import markdown_tables
    doc = (INSTANCES / "README.md").read_text(encoding="utf-8")
    assert doc.endswith(markdown_tables()), (
        "instances/README.md is out of date: its reference part must be "
        "netopt.data.schema.markdown_tables()")
    for c in SETTINGS:
        assert f"`{c.name}`" in doc
    for t in TABLES.values():
        assert f"`{t.file}`" in doc


def test_every_builtin_cites_its_sources():
    for name in netopt.builtin_instances():
        folder = INSTANCES / name
        assert (folder / "SOURCES.md").is_file() or (folder / "README.md").is_file(), name


def test_graph_has_backbone_and_power_layers(china):
    g = china.graph
    layers = {d["layer"] for _, _, d in g.edges(data=True)}
    assert layers == {"backbone", "power"}
    assert g.number_of_nodes() == len(china.nodes)
    backbone = [(u, v, k) for u, v, k, d in g.edges(keys=True, data=True)
                if d["layer"] == "backbone"]
    assert len(backbone) == len(china.backbone_links)
    # latency derived from great-circle length: Beijing-Gui'an about 12 ms one way
    assert g.edges["beijing", "guian", "beijing-guian"]["latency_ms"] == pytest.approx(12, abs=0.5)


LARGE = '''
import resource, sys, numpy as np, pandas as pd
from pathlib import Path
out = Path(sys.argv[1]); out.mkdir()
n, k, t = 1000, 10, 100          # 10^6 demand rows
nodes = [f"n{i}" for i in range(n)]
(out / "network.yaml").write_text("name: big\\ndata_cost_per_tb_km: 0.015\\n")
rng = np.random.default_rng(1)
pd.DataFrame({"id": nodes, "lat": rng.uniform(20, 45, n),
              "lon": rng.uniform(90, 125, n)}).to_csv(out / "nodes.csv", index=False)
pd.DataFrame({"id": nodes[::10], "node": nodes[::10], "it_capacity_mw": 100.0,
              "pue": 1.2}).to_csv(out / "sites.csv", index=False)
pd.DataFrame({"id": nodes[::10], "node": nodes[::10],
              "marginal_cost": 400.0}).to_csv(out / "sources.csv", index=False)
pd.DataFrame({"id": nodes[:-1], "from": nodes[:-1],
              "to": nodes[1:]}).to_csv(out / "backbone_links.csv", index=False)
pd.DataFrame({"id": [f"c{i}" for i in range(k)],
              "data_intensity_tb_per_mwh": 1.0}).to_csv(out / "classes.csv", index=False)
pd.DataFrame({"id": [f"t{i}" for i in range(t)],
              "weight_h": 87.6}).to_csv(out / "periods.csv", index=False)
d = pd.MultiIndex.from_product([nodes, [f"c{i}" for i in range(k)],
                                [f"t{i}" for i in range(t)]]).to_frame(
    index=False, name=["node", "class", "period"])
d.assign(mw_it=0.5).to_csv(out / "demand.csv", index=False)
'''


def test_million_row_demand_loads_with_bounded_memory(tmp_path):
    import subprocess
    import sys
    subprocess.run([sys.executable, "-c", LARGE, str(tmp_path / "big")], check=True)
    probe = ("import logging, resource, sys, netopt\n"
             "logging.basicConfig(level=logging.INFO, format='%(message)s')\n"
             "net = netopt.load(sys.argv[1])\n"
             "print(len(net.demand), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    proc = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "big")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "read demand.csv: 1,000,000 rows" in proc.stderr  # the progress message
    rows, peak_kb = map(int, proc.stdout.split())
    assert rows == 1_000_000
    # 18 MB of CSV; the loader must not blow up by orders of magnitude (measured ~300 MB)
    assert peak_kb / 1024 < 1500


def test_seasons_instance_is_reproduced_by_its_script(tmp_path):
    import runpy
    folder = INSTANCES / "china-edwc-seasons"
    mod = runpy.run_path(str(folder / "synthesize.py"))
    out = tmp_path / "s"
    out.mkdir()
    mod["main"](out)
    for f in out.iterdir():
        assert f.read_bytes() == (folder / f.name).read_bytes(), f.name
    net = netopt.load(folder)
    assert len(net.periods) == 96 and net.classes["deferrable"].sum() == 2
    # a year's clean energy is the annual instance's
    base = netopt.load("china-edwc")
    for sid in ("hydro_sichuan", "green_horinger"):
        mean = net.availability_matrix.loc[sid].mean() * net.sources.loc[sid, "capacity_mw"]
        assert mean == pytest.approx(base.sources.loc[sid, "capacity_mw"], rel=1e-3)


def test_sichuan_wet_and_dry_seasons():
    r = netopt.solve(netopt.load("sichuan"))
    src = r.sources
    hydro = src[src["kind"] == "hydro"].groupby("period")["generation_mwh"].sum()
    assert hydro["dry"] == 0 and hydro["wet"] > 0  # surplus hydro only when rivers run
    price = r.node_prices["price"]
    assert price[("yaan", "wet")] < price[("yaan", "dry")]
    assert r.unserved.empty


def test_wheel_build_ships_the_builtin_instances(tmp_path, monkeypatch):
    # Build the package as a wheel would (setup.py's build_py), then import it from the
    # build folder alone: no source checkout beside it, no NETOPT_INSTANCES.
    root = Path(netopt.__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("netopt_setup", root / "setup.py")
    setup_py = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(setup_py)
    monkeypatch.chdir(root)
    build = tmp_path / "lib"
    dist = Distribution({"packages": ["netopt"], "script_name": "setup.py"})
    cmd = setup_py.BuildWithInstances(dist)
    cmd.instances = tmp_path / "instances"  # a copy holding a compiled script's cache
    shutil.copytree(INSTANCES, cmd.instances)
    (cmd.instances / "toy" / "__pycache__").mkdir()
    (cmd.instances / "toy" / "__pycache__" / "synthesize.cpython-311.pyc").write_bytes(b"")
    cmd.build_lib = str(build)
    cmd.ensure_finalized()
    cmd.run()
    probe = ("import netopt; print(netopt.load().name); "
             "print(','.join(sorted(netopt.builtin_instances())))")
    env = {k: v for k, v in os.environ.items() if k != "NETOPT_INSTANCES"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, text=True,
                         capture_output=True, env={**env, "PYTHONPATH": str(build)},
                         check=True).stdout.split()
    assert out == ["china-edwc", ",".join(sorted(netopt.builtin_instances()))]
    assert not list((build / "netopt" / "instances").rglob("__pycache__"))
    assert filecmp.cmp(build / "netopt" / "instances" / "toy" / "sites.csv",
                       INSTANCES / "toy" / "sites.csv", shallow=False)
