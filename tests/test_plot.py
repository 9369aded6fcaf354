"""Figures carry titles, units and legends; the CLI writes the map."""

from __future__ import annotations

import pytest

import netopt
from netopt import plot


@pytest.fixture(scope="module")
def toy_result():
    return netopt.solve(netopt.load("toy"))


def _labelled(fig):
    ax = fig.axes[0]
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    return ax


def test_map_draws_flows_sites_and_legend(toy_result):
    fig = plot.solution_map(toy_result)
    ax = _labelled(fig)
    assert "longitude" in ax.get_xlabel() and ax.get_legend() is not None
    assert any("price" in a.get_ylabel() for a in fig.axes[1:])  # colour bar with unit


def test_other_figures(toy_result, china):
    for fig in (plot.cost_breakdown(toy_result),
                plot.breakeven_chart(netopt.load("toy")),
                plot.frontier(netopt.pareto(netopt.load("toy"), points=3)),
                plot.sweep_curve(netopt.sweep(netopt.load("toy"),
                                              {"power_lines.capacity_mw[uhv]": [0, 25, 50]},
                                              processes=1, progress=False),
                                 "power_lines.capacity_mw[uhv]", xlabel="line capacity (MW)",
                                 ylabel="total cost (CNY)")):
        _labelled(fig)
    

def test_cli_plot_writes_png(tmp_path):
    from netopt.cli import main
    assert main(["solve", "toy", "--plot", str(tmp_path / "map.png")]) == 0
    assert (tmp_path / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
