"""Every validation error path: the error names file, row (spreadsheet numbering) and
column, and every problem is reported together."""

from __future__ import annotations

import pandas as pd
import pytest

import netopt
from conftest import two_node


def _edit(folder, file, fn):
    path = folder / file
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = fn(df)
    df.to_csv(path, index=False)


def _set(row, col, value):
    def fn(df):
        df.loc[row, col] = value
        return df
    return fn


def _issues(folder):
    with pytest.raises(netopt.ValidationError) as exc:
        netopt.load(folder)
    return exc.value.issues


def _has(issues, file, row, column, text):
    for i in issues:
        if i.file == file and i.row == row and i.column == column and text in i.message:
            return True
    raise AssertionError(f"no issue ({file}, {row}, {column}, '{text}') in:\n" +
                         "\n".join(map(str, issues)))


CASES = [
    # (file, data row edited (0 = first), column, new value, spreadsheet row reported,
    #  text): the error must name that file, row and column
    ("sites.csv", 0, "pue", "abc", 2, "expected a number"),
    ("sites.csv", 1, "pue", "0.9", 3, "must be >= 1"),
    ("sites.csv", 0, "pue", "inf", 2, "must be finite"),
    ("sites.csv", 0, "pue", "nan", 2, "expected a number"),
    ("sites.csv", 0, "pue", "", 2, "a value is required"),
    ("sites.csv", 0, "it_capacity_mw", "-5", 2, "must be >= 0"),
    ("sites.csv", 1, "node", "mars", 3, "unknown node 'mars'"),
    ("power_lines.csv", 0, "efficiency", "1.2", 2, "must be <= 1"),
    ("power_lines.csv", 0, "efficiency", "0", 2, "must be > 0"),
    ("power_lines.csv", 0, "bidirectional", "maybe", 2, "expected true or false"),
    ("sources.csv", 1, "marginal_cost", "-1", 3, "must be >= 0"),
    ("nodes.csv", 0, "lat", "95", 2, "must be <= 90"),
    ("nodes.csv", 1, "lon", "-200", 3, "must be >= -180"),
    ("nodes.csv", 1, "id", "east", 3, "duplicate id 'east'"),
    ("demand.csv", 2, "class", "gaming", 4, "unknown class 'gaming'"),
    ("demand.csv", 0, "node", "nowhere", 2, "unknown node"),
    ("backbone_links.csv", 0, "to", "east", 2, "two different nodes"),
    ("classes.csv", 0, "data_intensity_tb_per_mwh", "lots", 2, "expected a number"),
]


@pytest.mark.parametrize("file,index,column,value,row,text", CASES,
                         ids=[f"{c[0]}:{c[5]}" for c in CASES])
def test_bad_value_is_named(toy_dir, file, index, column, value, row, text):
    _edit(toy_dir, file, _set(index, column, value))
    _has(_issues(toy_dir), file, row, column, text)


def test_missing_column(toy_dir):
    _edit(toy_dir, "sites.csv", lambda df: df.drop(columns="pue"))
    _has(_issues(toy_dir), "sites.csv", None, "pue", "missing column")


def test_unknown_column_suggests_the_right_one(toy_dir):
    _edit(toy_dir, "sites.csv", lambda df: df.rename(columns={"pue": "peu"}))
    issues = _issues(toy_dir)
    _has(issues, "sites.csv", None, "peu", "did you mean 'pue'")


def test_duplicate_demand_rows(toy_dir):
    (toy_dir / "demand.csv").write_text("node,class,mw_it\neast,ai,1\neast,ai,2\n")
    _has(_issues(toy_dir), "demand.csv", 3, "period", "duplicate row")


def test_demand_no_site_can_reach_within_latency(toy_dir):
    # Without the eastern site, interactive work (5 ms) would have to go 10 ms west.
    (toy_dir / "sites.csv").write_text("id,node,it_capacity_mw,pue\ndc_west,west,200,1.2\n")
    issues = _issues(toy_dir)
    _has(issues, "demand.csv", 4, "node", "within 5 ms of 'east' (the nearest is 10.00 ms")
    assert len(issues) == 1  # ai and archive (no SLA) can still go west


def test_demand_with_no_backbone_to_any_site(toy_dir):
    (toy_dir / "backbone_links.csv").unlink()
    (toy_dir / "sites.csv").write_text("id,node,it_capacity_mw,pue\ndc_west,west,200,1.2\n")
    _has(_issues(toy_dir), "demand.csv", 2, "node", "no data-centre site is connected")


def test_site_without_power(toy_dir):
    (toy_dir / "power_lines.csv").unlink()
    (toy_dir / "sources.csv").write_text(
        "id,node,kind,capacity_mw,marginal_cost,emissions\nhydro,west,hydro,inf,300,0\n")
    _has(_issues(toy_dir), "sites.csv", 2, "node", "site 'dc_east' has no way to get power")


def test_zero_capacity_line_gives_no_power(toy_dir):
    _edit(toy_dir, "power_lines.csv", _set(0, "capacity_mw", "0"))
    (toy_dir / "sources.csv").write_text(
        "id,node,kind,capacity_mw,marginal_cost,emissions\nhydro,west,hydro,inf,300,0\n")
    _has(_issues(toy_dir), "sites.csv", 2, "node", "no way to get power")


def test_every_problem_reported_together(toy_dir):
    _edit(toy_dir, "sites.csv", _set(0, "pue", "0.5"))
    _edit(toy_dir, "nodes.csv", _set(1, "lat", "100"))
    _edit(toy_dir, "classes.csv", _set(2, "max_latency_ms", "-3"))
    (toy_dir / "network.yaml").write_text("name: toy\ncarbon_prise: 5\n")
    issues = _issues(toy_dir)
    _has(issues, "sites.csv", 2, "pue", ">= 1")
    _has(issues, "nodes.csv", 3, "lat", "<= 90")
    _has(issues, "classes.csv", 4, "max_latency_ms", ">= 0")
    _has(issues, "network.yaml", None, "carbon_prise", "did you mean 'carbon_price'")


def test_missing_required_file(toy_dir):
    (toy_dir / "demand.csv").unlink()
    _has(_issues(toy_dir), "demand.csv", None, None, "missing")


def test_unknown_csv_file(toy_dir):
    (toy_dir / "site.csv").write_text("id\n")
    _has(_issues(toy_dir), "site.csv", None, None, "did you mean 'sites.csv'")


def test_empty_file_and_empty_table(toy_dir):
    (toy_dir / "classes.csv").write_text("")
    (toy_dir / "sites.csv").write_text("id,node,it_capacity_mw,pue\n")
    issues = _issues(toy_dir)
    _has(issues, "classes.csv", None, None, "empty")
    _has(issues, "sites.csv", None, None, "no rows")


@pytest.mark.parametrize("text,needle", [
    ("- just\n- a list\n", "expected a mapping"),
    ("name: [unclosed\n", "not valid YAML"),
    ("name: toy\nallow_unserved: perhaps\n", "expected true or false"),
    ("name: toy\nroutes_per_pair: 1.5\n", "whole number"),
    ("name: toy\nvalue_of_lost_load: 0\n", "must be > 0"),
])
def test_bad_network_yaml(toy_dir, text, needle):
    (toy_dir / "network.yaml").write_text(text)
    issues = _issues(toy_dir)
    assert any(i.file == "network.yaml" and needle in i.message for i in issues), issues


def test_link_cost_needs_a_price(toy_dir):
    _edit(toy_dir, "backbone_links.csv", _set(0, "cost_per_tb", ""))
    _has(_issues(toy_dir), "backbone_links.csv", 2, "cost_per_tb",
         "no cost_per_tb, and network.yaml sets no data_cost_per_tb_km")


def test_network_built_in_code_names_table_and_index():
    net = two_node()
    sites = net.sites.reset_index()
    sites.loc[1, "pue"] = 0.2
    with pytest.raises(netopt.ValidationError) as exc:
        netopt.Network(**{**net.tables, "sites": sites}, settings=net.settings)
    _has(exc.value.issues, "sites table", 1, "pue", ">= 1")


def test_bom_crlf_and_chinese_names_load(toy_dir):
    nodes = toy_dir / "nodes.csv"
    text = nodes.read_text(encoding="utf-8").replace("East demand centre", "上海 东部")
    nodes.write_bytes("\ufeff".encode() + text.replace("\n", "\r\n").encode("utf-8"))
    net = netopt.load(toy_dir)
    assert net.nodes.loc["east", "name"] == "上海 东部"
    assert netopt.solve(net).objective == pytest.approx(575_137_800, rel=1e-9)


def test_ragged_csv_row(toy_dir):
    with open(toy_dir / "sites.csv", "a") as fh:
        fh.write("dc_x,east,1,1.2,extra,cells\n")
    _has(_issues(toy_dir), "sites.csv", None, None, "not a valid CSV table")
