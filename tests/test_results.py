"""Result tables, summaries and the all-or-nothing writer."""

from __future__ import annotations

import filecmp
import json

import pandas as pd
import pytest

import netopt


def test_tables_are_consistent_with_costs(china_result):
    r = china_result
    c = r.costs
    assert c["total"] == pytest.approx(r.objective, rel=1e-9)
    assert c["data_transport"] == pytest.approx(r.placement["data_cost"].sum(), rel=1e-9)
    # energy balance: what sites draw, and moving data (6d), equals generation less
    # line losses
    drawn = r.sites["energy_mwh"].sum() + r.totals["transport_energy_mwh"]
    assert r.totals["transport_energy_mwh"] > 0
    supplied = r.sources["generation_mwh"].sum() - r.power_lines["losses_mwh"].sum()
    assert drawn == pytest.approx(supplied, rel=1e-7)
    # every MW of demand is placed or unserved
    demand = r.network.demand["mw_it"].sum()
    assert r.placement["mw_it"].sum() + r.unserved["mw_it"].sum() == pytest.approx(demand)
    assert (r.sites["it_load_mw"] <= r.sites["it_capacity_mw"] + 1e-6).all()


def test_to_dict_is_json_with_status_objective_costs(china_result):
    d = json.loads(json.dumps(china_result.to_dict()))
    assert d["status"] == "optimal"
    assert d["objective"] == pytest.approx(china_result.objective)
    assert set(d["costs"]) == {"data_transport", "electricity", "carbon", "transmission",
                               "unserved", "expansion", "fixed", "total"} | (
        {"storage"} if len(china_result.network.storage) else set())


def test_summary_fits_80_columns(china_result):
    text = china_result.summary()
    assert max(map(len, text.splitlines())) <= 80
    for needle in ("Total cost", "moving data", "ai_training", "Sites"):
        assert needle in text


def test_write_is_whole_and_deterministic(tmp_path, toy):
    r = netopt.solve(toy)
    r.write(tmp_path / "a")
    netopt.solve(toy).write(tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "summary.json" in names and "placement.csv" in names and "costs.csv" in names
    for n in names:
        assert filecmp.cmp(tmp_path / "a" / n, tmp_path / "b" / n, shallow=False), n
    placement = pd.read_csv(tmp_path / "a" / "placement.csv")
    assert placement["mw_it"].sum() == pytest.approx(150)


def test_failed_write_leaves_previous_results(tmp_path, toy, monkeypatch):
    r = netopt.solve(toy)
    out = tmp_path / "out"
    r.write(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    import netopt.solving.results as results

    def boom(df, path, index=False):
        if path.name == "sources.csv":
            raise OSError("disk full")
        df.to_csv(path)
    monkeypatch.setattr(results, "write_csv", boom)
    with pytest.raises(OSError, match="disk full"):
        netopt.solve(toy).write(out, overwrite=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary left behind


@pytest.mark.parametrize("name", ["toy", "china-edwc"])
def test_numeric_columns_have_numeric_dtypes(name):
    """select_dtypes("number") keeps every number: only ids, labels and routes are text."""
    from netopt.solving.results import TABLE_NAMES
    r = netopt.solve(netopt.load(name))
    text_ok = {"origin", "class", "site", "node", "route", "period", "link", "from", "to",
               "arc", "line", "source", "kind", "item", "unit", "region"}
    for t in TABLE_NAMES:
        df = getattr(r, t)
        for col, dtype in df.dtypes.items():
            if col in text_ok or dtype == bool:
                continue
            assert pd.api.types.is_numeric_dtype(dtype), (t, col, dtype)


def test_library_sweep_shows_no_progress_bar_unless_asked(toy, capfd):
    netopt.sweep(toy, {"settings.carbon_price": [0, 50]}, processes=1)
    assert capfd.readouterr().err == ""


def test_result_csvs_carry_no_float_noise(tmp_path):
    # 0.1 * 178 is 17.799999999999997 in binary floating point; a result file says 17.8
    import pandas as pd
    from netopt._files import write_csv
    write_csv(pd.DataFrame({"v": [0.1 * 178, 1 / 3]}), tmp_path / "r.csv")
    assert (tmp_path / "r.csv").read_text() == "v\n17.8\n0.333333333333\n"
    write_csv(pd.DataFrame({"v": [0.1 * 178]}), tmp_path / "i.csv", exact=True)
    assert float((tmp_path / "i.csv").read_text().split()[1]) == 0.1 * 178  # round-trips


def test_every_reported_number_has_a_unit(tmp_path, toy):
    """Result columns that do not say their unit in their name get it from units.csv;
    numbers with no unit at all would be a gap in the convention (README, "Units")."""
    r = netopt.solve(toy)
    r.write(tmp_path / "out")
    units = pd.read_csv(tmp_path / "out" / "units.csv")
    listed = set(zip(units["table"], units["column"]))
    from netopt.solving.results import TABLE_NAMES
    for t in TABLE_NAMES:
        df = getattr(r, t)
        for col in df.select_dtypes("number").columns:
            assert (t, col) in listed, (t, col)
    assert dict(zip(units["column"], units["unit"]))["shadow_price"].startswith("CNY/")
    front = netopt.pareto(toy, points=3)
    assert front.attrs["units"]["carbon_shadow_price"] == "CNY/t CO2"
    assert front.attrs["units"]["epsilon"] == "t CO2"
