"""Write and execute the notebooks, so that they carry real output.

    python notebooks/build.py

The test suite executes every notebook again (tests/test_notebooks.py).
"""

from __future__ import annotations

from pathlib import Path

import nbformat as nbf
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
SHOW = "\nfig.set_dpi(70)\nfig"

BOOKS = {
    "01-quickstart": [
        "md:# Quickstart: load, solve, read the results\n\nThe built-in China instance: 8 "
        "hubs, 10 data-centre clusters, West-to-East UHV lines (every number cited in "
        "`instances/china-edwc/SOURCES.md`).",
        "%matplotlib inline\nimport netopt\nfrom netopt import plot\n"
        "net = netopt.load(\"china-edwc\")\nnet",
        "result = netopt.solve(net)\nprint(result.summary())",
        "md:Every result is a pandas DataFrame. Where does each class run, and what does "
        "it cost?",
        "result.costs",
        "result.by_class()",
        "result.placement.sort_values(\"mwh_it\", ascending=False).head(8)",
        "md:Prices from the duals: electricity at each site's node, and the marginal cost "
        "of one more MWh of each class at each origin (a compute price).",
        "result.sites[[\"site\", \"it_load_mw\", \"utilisation\", \"price\", \"capacity_price\"]]",
        "result.demand_prices.pivot(index=\"origin\", columns=\"class\", values=\"price\")"
        ".round(0)",
        "fig = plot.solution_map(result)" + SHOW,
    ],
    "02-move-data-not-power": [
        "md:# Move data, not power\n\nFor which workloads does it pay to send the data "
        "west to cheap power rather than send the power east? The break-even: "
        "`delta* = (PUE_e (p_w + tariff) / eta - PUE_w p_w) / cost(p)`.",
        "%matplotlib inline\nimport netopt\nfrom netopt import plot\n"
        "net = netopt.load(\"china-edwc\")\ntable = netopt.breakeven_table(net)\n"
        "table[table.origin == \"shanghai\"].head(6)",
        "fig = plot.breakeven_chart(net, origin=\"shanghai\")" + SHOW,
        "md:The three ways to run the country: the joint optimum, moving power only (work "
        "stays in its origin's zone), moving data only (no power line carries anything).",
        "comp = netopt.compare(net)\ncomp.table.set_index(\"scenario\")[[\"total\", "
        "\"electricity\", \"data_transport\", \"transmission_losses_mwh\", \"emissions_t\", "
        "\"saving_by_joint\"]]",
        "md:How robust is the westward move? The price of moving data is the least certain "
        "figure (see the instance's SOURCES.md): find where each class stops going west.",
        "for k, high in ((\"batch_analytics\", 1.0), (\"ai_training\", 50.0)):\n"
        "    be = netopt.breakeven(net, \"settings.data_cost_per_tb_km\", 0.001, high,\n"
        "                          f\"west_share:{k}>0.5\", tol=1e-3)\n"
        "    print(f\"{k}: stops going west at {be.value:.3f} CNY/TB/km = \"\n"
        "          f\"{be.value * 2000:,.0f} CNY/TB over 2,000 km ({be.solves} solves)\")",
        "df = netopt.sweep(net, {\"settings.data_cost_per_tb_km\": [0.0075, 0.015, 0.03, "
        "0.06, 0.12, 0.24, 0.48]}, processes=1, progress=False)\n"
        "fig = plot.sweep_curve(df, \"settings.data_cost_per_tb_km\", "
        "\"west_share:batch_analytics\", xlabel=\"data price (CNY per TB and km)\", "
        "ylabel=\"share of batch work served in the west\")" + SHOW,
    ],
    "03-sichuan": [
        "md:# Sichuan: wet season, dry season\n\nThe province behind the Tianfu cluster: "
        "Chengdu's three zones, five other cities, the hydro regions of Ganzi, Aba and "
        "Liangshan, and work sent from the eastern hubs (`instances/sichuan/SOURCES.md`). "
        "Surplus hydro exists only in the wet season (June to October).",
        "%matplotlib inline\nimport netopt\nfrom netopt import plot\n"
        "net = netopt.load(\"sichuan\")\nresult = netopt.solve(net)\n"
        "print(result.summary())",
        "md:Electricity prices at each site's node, by season: in the wet season hydro sets "
        "the price near the hydro regions; in the dry season the grid does.",
        "result.node_prices.pivot(index=\"node\", columns=\"period\", values=\"price\")"
        ".round(0)",
        "md:Where the work runs, by season, and how much hydro it uses:",
        "load = result.sites.pivot(index=\"site\", columns=\"period\", "
        "values=\"it_load_mw\")\nax = load.plot.bar(figsize=(7, 3.5), "
        "ylabel=\"average IT load (MW_IT)\", title=\"Site load by season\")",
        "result.sources.groupby([\"kind\", \"period\"])[[\"generation_mwh\", "
        "\"curtailed_mwh\"]].sum().round(0)",
        "md:Most of the wet-season surplus still goes unused: the data centres are too "
        "small to absorb it. Ya'an, next to the hydro, is full in the wet season and empty in "
        "the dry one: the work follows the water.",
        "fig = plot.solution_map(result)" + SHOW,
    ],
    "04-carbon": [
        "md:# Cost and carbon\n\nThe epsilon-constraint frontier: the least cost for each "
        "cap on emissions, from the cleanest plan to the cheapest. The dual of the cap is "
        "the carbon price that would get there.",
        "%matplotlib inline\nimport netopt\nfrom netopt import plot\n"
        "net = netopt.load(\"china-edwc\")\nfront = netopt.pareto(net, points=9)\n"
        "front[[\"epsilon\", \"objective\", \"emissions_t\", \"carbon_shadow_price\", "
        "\"west_share:ai_training\", \"west_share:backup_archive\"]]",
        "fig = plot.frontier(front)" + SHOW,
        "md:And the other way round: what carbon price moves the plan?",
        "df = netopt.sweep(net, {\"settings.carbon_price\": [0, 100, 200, 400, 800]}, "
        "processes=1, progress=False)\ndf[[\"settings.carbon_price\", \"objective\", "
        "\"emissions_t\", \"west_share:backup_archive\"]]",
    ],
    "05-from-a-planning-tool": [
        "md:# From a planning tool\n\nBuild a network from DataFrames in code, solve it, "
        "sweep it and read the duals: what a planning tool calls.",
        "import pandas as pd\nimport netopt\nnet = netopt.Network(\n"
        "    nodes=pd.DataFrame({\"id\": [\"east\", \"west\"], \"lat\": [31.2, 26.4], "
        "\"lon\": [121.5, 106.3], \"region\": [\"east\", \"west\"]}),\n"
        "    sites=pd.DataFrame({\"id\": [\"dc_east\", \"dc_west\"], \"node\": [\"east\", "
        "\"west\"], \"it_capacity_mw\": [60, 200], \"pue\": [1.25, 1.2]}),\n"
        "    sources=pd.DataFrame({\"id\": [\"grid\", \"hydro\"], \"node\": [\"east\", "
        "\"west\"], \"marginal_cost\": [700, 300], \"emissions\": [0.6, 0.0]}),\n"
        "    backbone_links=pd.DataFrame({\"id\": [\"fibre\"], \"from\": [\"east\"], \"to\": "
        "[\"west\"], \"latency_ms\": [10.0], \"cost_per_tb\": [30.0]}),\n"
        "    power_lines=pd.DataFrame({\"id\": [\"uhv\"], \"from\": [\"west\"], \"to\": "
        "[\"east\"], \"capacity_mw\": [50], \"efficiency\": [0.94], \"tariff\": [65]}),\n"
        "    classes=pd.DataFrame({\"id\": [\"ai\", \"archive\"], "
        "\"data_intensity_tb_per_mwh\": [0.03, 50.0]}),\n"
        "    demand=pd.DataFrame({\"node\": [\"east\", \"east\"], \"class\": [\"ai\", "
        "\"archive\"], \"mw_it\": [100.0, 50.0]}),\n"
        "    settings={\"name\": \"my-plan\", \"carbon_price\": 50})\n"
        "result = netopt.solve(net)\nresult.objective, str(result.status)",
        "md:Bad input is caught before any solve, with the table, row and column:",
        "try:\n    netopt.Network(**{**net.tables, \"sites\": net.sites.reset_index()"
        ".assign(pue=[1.25, 0.9])}, settings=net.settings)\n"
        "except netopt.ValidationError as e:\n    print(e)",
        "md:Duals: the price of electricity at each node, and the value of one more MW of "
        "line capacity.",
        "result.node_prices",
        "result.power_lines[[\"arc\", \"sent_mw\", \"shadow_price\"]]",
        "md:A sweep reuses the assembled model (warm starts) when only prices, capacities "
        "or demand change:",
        "netopt.sweep(net, {\"power_lines.capacity_mw[uhv]\": [0, 25, 50, 100], "
        "\"sources.marginal_cost[grid]\": [\"*0.8\", \"*1.2\"]}, processes=1, "
        "progress=False)[[\"power_lines.capacity_mw[uhv]\", \"sources.marginal_cost[grid]\", "
        "\"objective\", \"emissions_t\"]]",
        "md:And LP ranging: how far each cost may move before the plan changes.",
        "netopt.ranging(result).costs.query(\"block == 'g'\")[[\"source\", \"cost\", "
        "\"cost_low\", \"cost_high\"]]",
    ],
    "06-fair-answer": [
        "md:# The fair answer: move the data or move the power, capital on both sides\n\n"
        "Each way of serving the same eastern computing may build what it needs: *move "
        "power only* builds data centres in the east and brings power over lines (existing "
        "corridors may be widened, new ones built); *move data only* builds western "
        "capacity and fibre bandwidth; the *joint* plan may do both. Construction costs, "
        "lifetimes and the discount rate are in `instances/china-edwc/SOURCES.md`.",
        "%matplotlib inline\nimport pandas as pd\nimport netopt\nfrom netopt import plot\n"
        "net = netopt.load(\"china-edwc\")\ncomp = netopt.compare(net)\n"
        "(comp.table.set_index(\"scenario\")[[\"total\", \"capital\", \"operating\", "
        "\"emissions_t\", \"unserved_mwh\"]] / [1e9, 1e9, 1e9, 1e6, 1]).round(2)"
        ".rename(columns={\"total\": \"total (bn CNY/yr)\", \"capital\": "
        "\"capital (bn CNY/yr)\", \"operating\": \"operating (bn CNY/yr)\", "
        "\"emissions_t\": \"emissions (Mt)\"})",
        "md:What each case builds (MW of IT capacity, MW of line, Gbps of fibre):",
        "comp.builds.groupby([\"scenario\", \"kind\", \"unit\"])[\"amount\"].sum().round(0)",
        "md:The number a planner quotes: the cost per MWh of eastern computing served, per "
        "class, every cost of the plan included (moving data, site and line capital, "
        "energy traced to where it is used; `netopt.levelised`).",
        "comp.levelised.round(0)",
        "md:## How the answer moves with the two least certain inputs\n\n"
        "The price of moving data and the construction cost of an eastern data centre "
        "(the west's is 32.4 M CNY per MW of IT). Today's clusters hold more than today's "
        "demand, so nothing needs building in the joint plan; the question of where to "
        "build is about growth. The scenario below doubles every origin's demand (an "
        "assumption, not a forecast) and maps, per class, the share of eastern work "
        "served in the west.",
        "from netopt.scenarios import apply\nfrom netopt.sensitivity import two_way\n"
        "east = \"|\".join(net.sites.index[net.nodes.loc[net.sites[\"node\"], \"region\"]"
        ".to_numpy() == \"east\"])\ngrown = apply(net, {\"demand.mw_it\": \"*2\"})\n"
        "x = \"settings.data_cost_per_tb_km\"\ny = f\"sites.capex_per_mw[id={east}]\"\n"
        "grid = two_way(grown, (x, [0.0075, 0.015, 0.03, 0.06, 0.12]),\n"
        "               (y, [32.4e6, 41.45e6, 50.5e6, 60e6, 70e6]))\n"
        "fig = plot.two_way_chart(grid, x, y, xscale=2000, yscale=1e-6,\n"
        "    xlabel=\"moving data (CNY per TB over 2,000 km)\",\n"
        "    ylabel=\"east build cost (M CNY/MW_IT)\",\n"
        "    title=\"Share of eastern work served in the west, demand doubled\")" + SHOW,
        "md:AI training moves west everywhere on this grid; batch analytics moves west "
        "unless data is dear and eastern building cheap; backup, video and most "
        "interactive work stay east (backup moves only when data is cheapest and eastern "
        "building dear). The single levers cost about the same in total; the gain is in "
        "choosing per class, which is where this differs from comparisons that move whole "
        "workloads between hubs (Zhang, Li and Wang, Applied Energy 392, 2025, find no "
        "economic gain once duplicated capital is counted).",
    ],
}


def build(name: str, cells: list[str]) -> nbf.NotebookNode:
    nb = nbf.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbf.v4.new_markdown_cell(c[3:]) if c.startswith("md:")
                else nbf.v4.new_code_cell(c) for c in cells]
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(HERE)}}).execute()
    return nb


if __name__ == "__main__":
    import sys
    wanted = set(sys.argv[1:]) or set(BOOKS)  # python notebooks/build.py 06-fair-answer
    for name, cells in BOOKS.items():
        if name not in wanted:
            continue
        nbf.write(build(name, cells), HERE / f"{name}.ipynb")
        print("wrote", name)
