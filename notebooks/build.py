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
        "md:Every result is a pandas DataFrame (or Series), indexed by its key as the "
        "inputs are by their ids: `placement` by origin, class, site, route rank and "
        "period, `sites` by site and period, and so on (`netopt.solving.keys.TABLE_KEYS`). "
        "Where does each class run, and what does it cost?",
        "result.costs",
        "result.by_class",
        "result.placement.sort_values(\"mwh_it\", ascending=False).head(8)",
        "md:Prices from the duals: electricity at each site's node, and the marginal cost "
        "of one more MWh of each class at each origin (a compute price).",
        "result.sites[[\"it_load_mw\", \"utilisation\", \"price\", \"capacity_price\"]]",
        "result.demand_prices[\"price\"].unstack(\"class\").round(0)",
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
        "result.node_prices[\"price\"].unstack(\"period\").round(0)",
        "md:Where the work runs, by season, and how much hydro it uses (the receiving grids "
        "in the east are electric loads, `result.loads`: power, not computing):",
        "load = result.sites[\"it_load_mw\"].unstack(\"period\")\n"
        "ax = load.plot.bar(figsize=(7, 3.5), ylabel=\"average IT load (MW_IT)\", "
        "title=\"Site load by season\")",
        "result.sources.groupby([\"kind\", \"period\"])[[\"generation_mwh\", "
        "\"curtailed_mwh\"]].sum().round(0)",
        "md:The UHV lines carry as much of the wet-season surplus east as their spare "
        "capacity allows; the rest is still spilled, because the data centres are too "
        "small to absorb it. The receiving grids' loads and their node's marginal price. Each "
        "load is sized at what its lines can deliver, so the price sits on a kink: one MW "
        "more costs the eastern grid's price (shown), one MW less saves only the import's. "
        "`cost` values the load at that price; its average cost is "
        "`netopt.levelised.cost_by_demand(result).attrs[\"loads\"]`.",
        "result.loads[[\"load_mw\", \"supplied_mwh\", \"price\", \"cost\"]].round(0)",
        "md:Whether the surplus is worth more sent east or used at home, and what it would "
        "take: `07-seed-question`.",
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
        "result.power_lines[[\"sent_mw\", \"shadow_price\"]]",
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

# The question that started the project, answered for Sichuan (issue #15).
BOOKS["07-seed-question"] = [
    """md:# Export the surplus hydro east, or compute with it at home?

At the 2022 Tianfu Digital Economy Summit in Chengdu (24 November 2022), where the
Sichuan hub of the national computing network was launched, academician **Qian Depei**
(钱德沛, Chinese Academy of Sciences) argued, in the words of the *Huaxi Metropolis Daily*
(华西都市报, 25 November 2022, reporters Zhu Ning and Luo Tianyi):

> 在西部清洁能源资源更为充沛，但西电东送存在电力损耗较大且新能源就地使用成本更低的情况下，
> 传输数据比传输电力更具优势。

*Where the west's clean energy is more plentiful, but sending power west to east loses
much of it and using new energy locally costs less, transmitting data has the advantage
over transmitting power.*

Sichuan is the sharpest case: in the wet season (June to October) its rivers carry more
water than the province uses or its lines export, and the rest is spilled ("abandoned
water", 弃水). The `sichuan` instance now holds both ways to use it: five ±800 kV UHV
lines to Shanghai, Jiangsu and Zhejiang (their spare wet-season capacity, NDRC tariff and
losses), and data centres in Sichuan — Ya'an's next to the hydro may grow at a
construction cost — for work that comes from the east as data. Every figure is cited in
`instances/sichuan/SOURCES.md`.""",
    """%matplotlib inline
import numpy as np
import pandas as pd
import netopt
from netopt.surplus import RACK_KW, marginal_value, surplus_options

net = netopt.load("sichuan")
SURPLUS = ["hydro_ganzi", "hydro_aba", "hydro_liangshan"]
UHV = ["xiangjiaba-shanghai", "jinping-sunan", "xiluodu-zhexi", "baihetan-jiangsu",
       "baihetan-zhejiang"]
wet, dry = net.periods.loc["wet", "weight_h"], net.periods.loc["dry", "weight_h"]
surplus_twh = net.sources.loc[SURPLUS, "capacity_mw"].sum() * wet / 1e6
print(f"wet-season surplus {surplus_twh:.1f} TWh = "
      f"{net.sources.loc[SURPLUS, 'capacity_mw'].sum():,.0f} MW over {wet:,.0f} h")
net.power_lines.loc[UHV, ["to", "capacity_mw", "efficiency", "tariff", "length_km"]]""",
    """md:## The closed form: one marginal MWh of surplus

For a MWh of surplus at price `p_h` (through a 0.98 feeder to Ya'an or to the UHV
sending stations):

- **compute at home**: it runs `1/PUE_w` MWh_IT of eastern work in Sichuan; the work's
  data crosses the backbone (`delta` TB per MWh_IT at `c` per TB) and the eastern data
  centre it leaves would have drawn `PUE_e` MWh at the eastern price with carbon, `p_e'`:
  `V_home = (PUE_e p_e' - delta c - k_s) / PUE_w - p_h` (`k_s`: capital of new capacity
  per MWh_IT);
- **export**: `eta` MWh arrive east and displace eastern power: `V_export = eta p_e' -
  tariff - p_h`;
- **let it go**: 0.

Home beats export while moving the data costs less than `PUE_e p_e' - PUE_w (eta p_e' -
tariff) - k_s` per MWh_IT. `tests/test_sichuan_question.py` checks that the LP picks
what this predicts over random prices, PUEs, efficiencies, tariffs and data costs.""",
    """cp = net.settings.carbon_price
e_e = net.sources.loc[["grid_fengxian", "grid_suzhou", "grid_hangzhou"], "emissions"].mean()
c = net.link_data.loc[["chengdu-shanghai", "chengdu-yaan"], "cost_per_tb"].sum()
FEED = 0.98

def value(delta, *, c=c, tariff=68.5, eta=0.94, k_site=0.0):
    \"\"\"CNY per MWh of surplus at the plant (the feeder passes 0.98 of it).\"\"\"
    v = marginal_value(p_h=300 / FEED, p_e=700, pue_w=1.2, pue_e=1.25, eta=eta,
                       tariff=tariff, delta=delta, cost_per_tb=c, carbon_price=cp, e_e=e_e,
                       k_site=k_site)
    return {"home": FEED * v["home"], "export": FEED * v["export"], "unused": 0.0}

# new capacity in Ya'an: its annualised construction cost, less what it earns in the
# dry season running eastern work on Sichuan grid power, spread over the wet hours
capex_year = net.annual_capex["sites"].loc["yaan_dc"]
grid = net.sources.loc["grid_yaan"]
def k_new(delta, capex_year=capex_year):
    dry_margin = (1.25 * (700 + cp * e_e) - 1.2 * (grid.marginal_cost + cp * grid.emissions)
                  - delta * c)
    return (capex_year - dry * max(dry_margin, 0.0)) / wet

classes = net.classes.loc[["ai_training", "batch_analytics", "backup_archive"],
                          "data_intensity_tb_per_mwh"]
rows = {}
for k, d in classes.items():
    rows[k] = {"TB per MWh_IT": d, "home, idle capacity": value(d)["home"],
               "home, new Ya'an capacity": value(d, k_site=k_new(d))["home"],
               "export over UHV": value(d)["export"], "let it go": 0.0}
print(f"data transport Shanghai-Ya'an: {c:.1f} CNY/TB; eastern power with carbon "
      f"{700 + cp * e_e:.0f} CNY/MWh; new capacity {capex_year / 1e6:.2f} M CNY per "
      "MW_IT-year")
pd.DataFrame(rows).T.round(0).assign(**{"TB per MWh_IT": classes})""",
    """md:Per marginal MWh, **Qian Depei is right where the data centre already stands**:
eastern AI or batch work run on the surplus in Sichuan is worth 420–470 CNY per MWh,
against about 330 for the same MWh sent east over the UHV lines (6 % lost, 68.5 CNY/MWh
tariff) and nothing spilled. Backup (50 TB per MWh) is the exception: its data costs
more than the power. **But a data centre built for the surplus does not pay**: at a
mainland construction cost of 50.5 M CNY per MW_IT over 20 years at 8 %, it costs more
a year than it earns in the wet season on hydro plus the dry season on grid power.

## The network: what each way does with the whole surplus

`surplus_options` solves the instance four ways: spill (no export, no new capacity),
export only, home only, both.""",
    """t = surplus_options(net, SURPLUS, UHV, ["yaan_dc"])
def tidy(t):
    return pd.DataFrame({
        "surplus used (TWh)": t["surplus_used_mwh"] / 1e6,
        "spilled (TWh)": t["surplus_unused_mwh"] / 1e6,
        "sent east (TWh)": t["exported_mwh"] / 1e6,
        "lost on the lines (TWh)": t["losses_mwh"] / 1e6,
        "built (MW_IT)": t["built_mw"], "racks built": t["built_racks"],
        "backbone (Tbps)": t["backbone_tbps"],
        "capital (bn CNY/yr)": t["capital"] / 1e9,
        "saving vs spilling (bn CNY/yr)": t["saving"] / 1e9,
        "CO2 avoided (Mt/yr)": t["co2_avoided_t"] / 1e6}).round(2)
tidy(t)""",
    """md:The UHV lines are full of their own plants' output in the wet season (that is
why water is spilled); with 10 % of their rating spare (an estimate) they carry
13.8 TWh of the surplus east, saving about 4.6 bn CNY and 7 Mt CO2 a year; the rest is
still spilled. Compute at home changes nothing on its own: Sichuan's data centres already
run all the work they have, and new capacity does not pay.

## How much data-centre capacity it takes

Suppose there were enough eastern work to come west (a what-if: 5 GW_IT of batch work in
Shanghai that could run in Sichuan), and Ya'an were built out by a given amount, paying
its capital even when the work runs on grid power in the dry season:""",
    """pool = netopt.apply(net, {"demand.mw_it[node=shanghai&class=batch_analytics]": 5000})
rows = []
for built in (0, 1000, 2000, 3000, 4500):
    t = surplus_options(pool, SURPLUS, UHV, ["yaan_dc"], build_mw=built)
    h, both = t.loc["home"], t.loc["both"]
    rows.append({"built (MW_IT)": built, "standard racks": built * 1000 / RACK_KW,
                 "absorbed at home (TWh)": h["extra_surplus_used_mwh"] / 1e6,
                 "capital (bn CNY/yr)": h["capital"] / 1e9,
                 "home: saving vs spilling (bn CNY/yr)": h["saving"] / 1e9,
                 "backbone (Tbps)": h["backbone_tbps"],
                 "both: absorbed (TWh)": both["extra_surplus_used_mwh"] / 1e6,
                 "both: saving (bn CNY/yr)": both["saving"] / 1e9})
build = pd.DataFrame(rows).set_index("built (MW_IT)")
per_gw = build.loc[1000]
breakeven_capex = (net.sites.loc["yaan_dc", "capex_per_mw"]
                   * (1 + per_gw["home: saving vs spilling (bn CNY/yr)"]
                      / per_gw["capital (bn CNY/yr)"]))
print(f"each GW_IT absorbs {per_gw['absorbed at home (TWh)']:.1f} TWh; new capacity pays "
      f"against spilling below {breakeven_capex / 1e6:.0f} M CNY per MW_IT")
build.round(2)""",
    """md:Absorbing the whole 2020 surplus at home takes about 4.5 GW_IT — 1.8 million
standard racks, seven times Sichuan's 250,000 and more than the 1.46 million of all ten
national clusters — and its data (batch work at 1.5 TB per MWh) needs about 15 Tbps of
backbone, a few percent of the roughly 750 Tbps reported between the hubs. Each GW costs
about 1.4 bn CNY a year more than it saves at 50.5 M CNY per MW_IT; it pays below about
37 M CNY per MW_IT.

## Sensitivity: the three inputs the answer turns on

**Data-transport price** and **UHV tariff and losses** move the per-MWh comparison (closed
form above, checked against the LP); the **surplus volume** moves how much of it the
lines can take (LP).""",
    """prices = [10, 30, 37.4, 60, 100, 150, 200, 300]
sens_c = pd.DataFrame({p: {"home (batch, idle)": value(1.5, c=p)["home"],
                           "home (AI, idle)": value(0.03, c=p)["home"],
                           "export": value(1.5, c=p)["export"]} for p in prices}).T
sens_c.index.name = "CNY per TB Shanghai-Ya'an"
star = (1.25 * (700 + cp * e_e) - 1.2 * (0.94 * (700 + cp * e_e) - 68.5)) / 1.5
print(f"batch work stops beating export at {star:.0f} CNY/TB ({star / c:.1f} x today's)")
sens_c.round(0)""",
    """grid_te = pd.DataFrame({(tariff, eta): value(1.5, tariff=tariff, eta=eta)
                        for tariff in (40, 68.5, 100) for eta in (0.92, 0.94, 0.96)}).T
grid_te.index.names = ["tariff (CNY/MWh)", "efficiency"]
grid_te.round(0)""",
    """# the LP agrees: its saving per MWh sent east moves with the closed form's value
lp = {}
for tariff, eta in ((40, 0.96), (68.5, 0.94), (100, 0.92)):
    n = netopt.apply(net, {"power_lines.tariff[from=uhv_west]": tariff,
                           "power_lines.efficiency[from=uhv_west]": eta})
    s = surplus_options(n, SURPLUS, UHV, ["yaan_dc"]).loc["export"]
    lp[(tariff, eta)] = {"closed form: export, per MWh of surplus":
                         value(1.5, tariff=tariff, eta=eta)["export"],
                         "LP: export saving (bn CNY/yr)": s["saving"] / 1e9,
                         "LP: saving per MWh sent": s["saving"] / s["exported_mwh"]}
lp = pd.DataFrame(lp).T
lp.index.names = ["tariff (CNY/MWh)", "efficiency"]
lp.round(1)""",
    """vol = {}
for twh in (5, 10, 13.8, 20.2, 25):
    n = netopt.apply(net, {"sources.capacity_mw[kind=hydro]": f"*{twh / surplus_twh}"})
    s = surplus_options(n, SURPLUS, UHV, ["yaan_dc"])
    vol[twh] = {"sent east (TWh)": s.loc["export", "exported_mwh"] / 1e6,
                "still spilled (TWh)": s.loc["export", "surplus_unused_mwh"] / 1e6,
                "export saving (bn CNY/yr)": s.loc["export", "saving"] / 1e9,
                "GW_IT to absorb it all at home": twh * 1e6 / wet / 1.2 * FEED / 1e3}
vol = pd.DataFrame(vol).T
vol.index.name = "surplus (TWh)"
vol.round(2)""",
    """md:## One chart for the slide""",
    """from matplotlib.figure import Figure
fig = Figure(figsize=(9, 6.6))
ax = fig.subplots()
cs = np.linspace(0, 300, 121)
home_b = [value(1.5, c=x)["home"] for x in cs]
home_a = [value(0.03, c=x)["home"] for x in cs]
new_b = [value(1.5, c=x, k_site=k_new(1.5))["home"] for x in cs]
lo = value(1.5, tariff=100, eta=0.92)["export"]
hi = value(1.5, tariff=40, eta=0.96)["export"]
ax.axhspan(lo, hi, color="tab:orange", alpha=0.2, lw=0)
ax.axhline(value(1.5)["export"], color="tab:orange", lw=2.5,
           label="export east over UHV (6 % loss, 68.5 CNY/MWh; band 4-8 %, 40-100)")
ax.plot(cs, home_a, color="tab:green", lw=2.5, ls="--",
        label="compute at home, existing data centres: AI training (0.03 TB/MWh)")
ax.plot(cs, home_b, color="tab:green", lw=2.5,
        label="compute at home, existing data centres: batch (1.5 TB/MWh)")
ax.plot(cs, new_b, color="tab:red", lw=2.5,
        label="compute at home in new Ya'an capacity (batch; capital and dry season counted)")
ax.axhline(0, color="grey", lw=1.5, label="let it spill")
ax.axvline(c, color="black", lw=1, ls=":")
ax.annotate(f"today's assumption\\n{c:.0f} CNY/TB", (c, -250), xytext=(6, 0),
            textcoords="offset points", fontsize=9)
star_c = (1.25 * (700 + cp * e_e) - 1.2 * (0.94 * (700 + cp * e_e) - 68.5)) / 1.5
ax.plot([star_c], [value(1.5, c=star_c)["export"]], "o", color="black")
ax.annotate(f"batch work: data beats power\\nup to {star_c:.0f} CNY/TB", (star_c, value(1.5)["export"]),
            xytext=(12, -48), textcoords="offset points", fontsize=9)
ax.set_xlim(0, 300)
ax.set_ylim(-500, 600)
ax.set_xlabel("price of moving a TB between Shanghai and Ya'an (CNY)")
ax.set_ylabel("CNY per MWh of wet-season surplus")
ax.set_title("Sichuan's spilled hydro: data beats power where the data centre already "
             "stands,\\nbut a data centre built for the surplus does not pay",
             fontsize=12, loc="left")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), fontsize=9, frameon=False)
fig.text(0.01, 0.01, f"Surplus {surplus_twh:.1f} TWh (NEA, 2020); the UHV lines' spare wet "
         "capacity takes 13.8 TWh; all of it at home: 4.5 GW_IT = 1.8 M racks. "
         "Sources: instances/sichuan", fontsize=8, color="dimgrey")
fig.tight_layout()
fig.set_dpi(70)
fig""",
]


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
