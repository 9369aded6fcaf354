"""Figures carry titles, units and legends; the CLI writes the map; the map is a map
(outlines, equal-area projection, flows along their links, no label on another)."""

from __future__ import annotations

import hashlib
from importlib import resources

import numpy as np
import pytest

import netopt
from netopt import plot
from netopt.views import _geo


@pytest.fixture(scope="module")
def toy_result():
    return netopt.solve(netopt.load("toy"))


@pytest.fixture(scope="module")
def china_result():
    return netopt.solve(netopt.load("china-edwc"))


def _labelled(fig):
    ax = fig.axes[0]
    title = ax.get_title() or (fig._suptitle.get_text() if fig._suptitle else "")
    assert title and ax.get_xlabel() and ax.get_ylabel()
    return ax


def _legend_texts(fig):
    return [t.get_text() for ax in fig.axes for leg in ax.findobj(
        lambda a: a.__class__.__name__ == "Legend") for t in leg.get_texts()] + \
        [leg.get_title().get_text() for ax in fig.axes for leg in ax.findobj(
            lambda a: a.__class__.__name__ == "Legend")]


def test_map_draws_flows_sites_and_legend(toy_result):
    fig = plot.solution_map(toy_result)
    ax = _labelled(fig)
    assert "projection" in ax.get_xlabel()
    assert ax.get_aspect() == 1.0  # km on both axes, one scale
    texts = " ".join(_legend_texts(fig))
    # a legend for every encoding: flow widths with units, disc sizes, colour
    assert "Gbit/s" in texts or "Tbit/s" in texts
    assert "MW" in texts and "IT load" in texts and "unused" in texts
    axes = fig.axes + [c for a in fig.axes for c in a.child_axes]
    assert any("price" in a.get_xlabel() and "/MWh" in a.get_xlabel() for a in axes)


def test_map_has_outlines_and_no_overlapping_labels(china_result):
    fig = plot.solution_map(china_result)
    fig.canvas.draw()
    ax = fig.axes[0]
    # provinces and countries drawn from the committed boundary data
    assert len(ax.patches) > 100
    r = fig.canvas.get_renderer()
    for a in [ax] + [c for c in ax.child_axes]:
        boxes = [t.get_window_extent(r) for t in a.texts
                 if t.get_text() and "km" not in t.get_text()]
        for i, b in enumerate(boxes):
            for c in boxes[i + 1:]:
                assert not b.overlaps(c), (b, c)
    # the YRD cluster is drawn again, larger, in an inset
    assert ax.child_axes
    inset_names = {t.get_text().replace("\n", " ") for t in ax.child_axes[0].texts}
    assert {"Shanghai", "Hangzhou", "Nanjing"} <= inset_names


def test_flows_follow_links_and_fan_out_on_a_corridor(china_result):
    lay = _geo.layout(china_result)
    data = [e for e in lay.edges if e.kind == "data"]
    assert {e.id for e in data} == set(china_result.network.link_data.index)
    # five lines from Ya'an to the YRD node: five different curves
    yaan = [e for e in lay.edges if e.kind == "power" and {e.a, e.b} == {"yaan", "yrd_demo"}]
    assert len(yaan) >= 5
    assert len({tuple(np.round(e.ctrl)) for e in yaan}) == len(yaan)
    # a flow is drawn in its direction: the arrow ends where the data goes
    for e in data:
        assert e.value >= e.back


def test_sichuan_is_framed_on_sichuan_with_links_leaving(tmp_path):
    lay = _geo.layout(netopt.solve(netopt.load("sichuan")))
    assert lay.focus == "SC"
    exits = {e.outside for e in lay.edges if e.exits}
    assert {"shanghai", "beijing", "guangzhou"} <= exits
    x0, x1, y0, y1 = lay.frame
    chengdu = lay.nodes["chengdu"]
    assert x0 < chengdu.x < x1 and y0 < chengdu.y < y1
    sh = lay.nodes["shanghai"]
    assert not (x0 < sh.x < x1 and y0 < sh.y < y1)


def test_projection_is_equal_area():
    # a 1°x1° cell keeps its area (sphere) wherever it is drawn
    def cell_area(lon, lat):
        x, y = _geo.project([lon, lon + 1, lon + 1, lon], [lat, lat, lat + 1, lat + 1])
        return 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))
    for lon, lat in ((80, 30), (120, 30), (100, 45)):
        true = (_geo.R_KM ** 2 * np.radians(1) *
                (np.sin(np.radians(lat + 1)) - np.sin(np.radians(lat))))
        assert cell_area(lon, lat) == pytest.approx(true, rel=2e-3)


def test_boundary_data_is_the_documented_file():
    root = resources.files("netopt").joinpath("views/boundaries")
    digest = hashlib.sha256(root.joinpath("china.json").read_bytes()).hexdigest()
    readme = root.joinpath("README.md").read_text(encoding="utf-8")
    assert digest in readme and "LGPL" in readme
    assert root.joinpath("LICENSE-LGPL-3").is_file()
    b = _geo.boundaries()
    assert len(b["provinces"]) == 34 and _geo.province_code("Sichuan") == "SC"


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


def test_breakeven_shows_every_origin_and_marks_the_classes():
    net = netopt.load("china-edwc")
    fig = plot.breakeven_chart(net)
    panels = [a for a in fig.axes if a.get_visible()]
    names = {t.get_text() for a in panels for t in a.texts}
    assert {f"work from {o}" for o in ("beijing", "shanghai", "guangzhou", "chengdu")} <= names
    assert {"ai training", "video cdn"} <= names
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "local power at the home site" in labels


def test_cli_plot_writes_png(tmp_path):
    from netopt.cli import main
    assert main(["solve", "toy", "--plot", str(tmp_path / "map.png")]) == 0
    assert (tmp_path / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_offers_only_its_figures():
    assert set(dir(plot)) == set(plot.__all__)
    assert all(callable(getattr(plot, name)) for name in plot.__all__)
    assert "np" not in dir(plot) and "Figure" not in dir(plot)


def test_breakeven_chart_without_any_choice_says_so():
    # demand only where its site and power are: nothing to break even (the HTML report
    # then says so instead of failing with a ZeroDivisionError)
    import pandas as pd
    from netopt.errors import NetoptError
    net = netopt.Network(
        nodes=pd.DataFrame({"id": ["a"], "lat": [30.0], "lon": [104.0]}),
        sites=pd.DataFrame({"id": ["dc"], "node": ["a"], "it_capacity_mw": [10.0],
                            "pue": [1.0]}),
        sources=pd.DataFrame({"id": ["g"], "node": ["a"], "capacity_mw": [100.0],
                              "marginal_cost": [300.0]}),
        classes=pd.DataFrame({"id": ["batch"], "data_intensity_tb_per_mwh": [1.0]}),
        demand=pd.DataFrame({"node": ["a"], "class": ["batch"], "mw_it": [1.0]}))
    with pytest.raises(NetoptError, match="break-even table is empty"):
        plot.breakeven_chart(net)
