"""A generated network over a year of hours whose LP as one piece would have about 10^8
columns, solved day by day on a Dask LocalCluster of 2 workers (4 GiB each), then
through a 20-scenario sweep (issue #12, item 6).

    python benchmarks/cluster_year.py                     # the year and the sweep
    python benchmarks/cluster_year.py --scenarios 0       # the year only
    python benchmarks/cluster_year.py --sweep-group 5     # sweep in groups of 5 scenarios

The network is `netopt.generate(220, periods=8760, window=24, seed=1)`: each day a
window in which AI training and batch analytics are deferrable, nothing built, so the
days are independent LPs. It is solved by `netopt.solving.window_totals` (each worker
cuts its days from the network, refills its day model and warm-starts it, and keeps
only each day's costs and totals), never as one LP: the columns reported are the day
LPs' columns added up, exactly. Everything runs in a fresh child process; the memory
of the client process and of each worker is sampled every 0.5 s (PSS and RSS from
/proc) and Dask's own worker memory is read at the end. The sweep's scenarios scale the
price of moving data and the grid's prices; a group's result is written to the JSON log
(``--log``) as it finishes, so a sweep stopped midway still reports what it measured.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _report import machine, write_section  # noqa: E402

MEMORY_TARGET_MB = 4 * 1024
DATA_COST = [0.5, 0.75, 1.0, 1.5, 2.0]
GRID_PRICE = [0.8, 0.9, 1.1, 1.2]


def scenarios(n: int) -> list[dict]:
    """The sweep: the price of moving data x the grid's prices (20 = 5 x 4)."""
    grid = [{"settings.data_cost_per_tb_km": f"*{d}",
             "sources.marginal_cost[kind=grid]": f"*{g}"}
            for d in DATA_COST for g in GRID_PRICE]
    return grid[:n]


# -- memory sampling ----------------------------------------------------------------------------
def _proc(pid: int) -> tuple[float, float]:
    """PSS and RSS of a process in MB (one read of smaps_rollup: it walks the page
    tables, so it is read once per sample, not per figure)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            kb = {x.split(":")[0]: int(x.split()[1]) for x in fh if x[:4] in ("Pss:", "Rss:")}
        return kb.get("Pss", 0) / 1024, kb.get("Rss", 0) / 1024
    except (OSError, ValueError):
        return 0.0, 0.0


class Sampler(threading.Thread):
    """Peak PSS and RSS (MB) of the given pids, every ``every`` seconds."""

    def __init__(self, pids: dict[str, int], every: float = 0.5):
        super().__init__(daemon=True)
        self.pids, self.every = pids, every
        self.peak = {name: {"pss": 0.0, "rss": 0.0} for name in pids}
        self.running = True

    def run(self):
        while self.running:
            for name, pid in self.pids.items():
                pss, rss = _proc(pid)
                p = self.peak[name]
                p["pss"], p["rss"] = max(p["pss"], pss), max(p["rss"], rss)
            time.sleep(self.every)

    def reset(self):
        for p in self.peak.values():
            p["pss"] = p["rss"] = 0.0


def _west(by_class) -> float:
    """Share of the served IT energy run at western sites."""
    served = by_class.drop(columns="unserved", errors="ignore")
    return float(served.get("west", served.iloc[:, 0] * 0).sum() / served.to_numpy().sum())


# -- the child ----------------------------------------------------------------------------------
def child(args) -> None:
    import functools
    import resource
    import numpy as np
    import netopt
    from distributed import Client, LocalCluster
    from netopt.analysis.scenarios import apply
    from netopt.solving.window_totals import sweep_totals

    log = open(args.log, "a") if args.log else None

    def emit(kind, **d):
        rec = {"kind": kind, **d}
        print(json.dumps(rec), flush=True)
        if log:
            log.write(json.dumps(rec) + "\n")
            log.flush()

    def progress(done, total):
        print(f"  {done}/{total} windows", file=sys.stderr, flush=True)

    emit("start", load=os.getloadavg(), time=time.time())
    t = {}
    t0 = time.perf_counter()
    net = netopt.generate(args.nodes, periods=24 * args.days, window=24, seed=args.seed)
    t[f"generate the network ({24 * args.days} h of demand and availability)"] = \
        time.perf_counter() - t0
    t0 = time.perf_counter()
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1,
                           memory_limit=args.memory_limit, processes=True,
                           dashboard_address=None)
    client = Client(cluster)
    t["start the LocalCluster"] = time.perf_counter() - t0
    workers = client.run(os.getpid)  # address -> pid of each worker process
    pids = {"client": os.getpid(), **{f"worker {i + 1}": pid
                                      for i, pid in enumerate(workers.values())}}
    sampler = Sampler(pids)
    sampler.start()
    client_before = _proc(os.getpid())[1]

    def dask_memory():  # each worker's own view (its process RSS, as the nanny sees it)
        return {a: client.run(lambda: __import__("psutil").Process().memory_info().rss,
                              workers=[a])[a] / 2**20 for a in workers}

    # the year: no scenario
    emit("setup", setup=t, load=os.getloadavg())
    if not args.skip_year:
        sampler.reset()
        timings = {}
        t0 = time.perf_counter()
        year = sweep_totals(net, [None], scheduler=client, on_done=progress,
                            timings=timings)[0]
        wall = time.perf_counter() - t0
        win = year.windows
        emit("year", load=os.getloadavg(), wall=wall, timings=timings, setup=t, status=str(year.status),
             objective=year.objective, costs=year.costs.to_dict(),
             totals=year.totals.to_dict(), rows=year.rows, columns=year.columns,
             nonzeros=year.nonzeros, windows=len(win),
             window_columns=int(win["columns"].iloc[0]),
             window_rows=int(win["rows"].iloc[0]),
             phases={k: float(win[k].sum()) for k in ("cut", "fill", "solve", "read")},
             iterations=int(win["iterations"].sum()), rebuilt=int(win["rebuilt"].sum()),
             solve_median=float(win.loc[~win["rebuilt"], "solve"].median()),
             solve_max=float(win.loc[~win["rebuilt"], "solve"].max()),
             solve_cold=win.loc[win["rebuilt"], "solve"].round(2).tolist(),
             per_worker=win.groupby("worker").size().astype(int).to_dict(),
             memory=sampler.peak, dask_memory=dask_memory(), client_start_rss=client_before,
             workers_alive=client.run(os.getpid) == workers)
    # the sweep, in groups (each group sends the network again and starts cold)
    sc = scenarios(args.scenarios)
    for g0 in range(args.first, len(sc), args.sweep_group):
        group = sc[g0:g0 + args.sweep_group]
        if args.deadline and time.time() + 60 > args.deadline:
            emit("stopped", reason="deadline", done=g0, asked=len(sc))
            break
        sampler.reset()
        timings = {}
        t0 = time.perf_counter()
        res = sweep_totals(net, [functools.partial(apply, assignments=a) for a in group],
                           scheduler=client, on_done=progress, timings=timings)
        wall = time.perf_counter() - t0
        emit("sweep", load=os.getloadavg(), first=g0, scenarios=group, wall=wall, timings=timings,
             status=[str(r.status) for r in res], objective=[r.objective for r in res],
             costs=[r.costs.to_dict() for r in res],
             west=[_west(r.by_class) for r in res],
             windows=int(sum(len(r.windows) for r in res)),
             phases={k: float(sum(r.windows[k].sum() for r in res))
                     for k in ("cut", "fill", "solve", "read")},
             iterations=int(sum(r.windows["iterations"].sum() for r in res)),
             rebuilt=int(sum(r.windows["rebuilt"].sum() for r in res)),
             columns=res[0].columns, memory=sampler.peak, dask_memory=dask_memory(),
             workers_alive=client.run(os.getpid) == workers)
    sampler.running = False
    emit("end", client_peak_rss=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    client.close()
    cluster.close()
    del np


# -- the report ---------------------------------------------------------------------------------
def _mem(peak: dict) -> str:
    return "; ".join(f"{k} {v['pss']:,.0f} MB PSS / {v['rss']:,.0f} MB RSS"
                     for k, v in peak.items())


def report(recs: list[dict], args) -> str:
    year = next(r for r in recs if r["kind"] == "year")
    sweeps = [r for r in recs if r["kind"] == "sweep"]
    stopped = next((r for r in recs if r["kind"] == "stopped"), None)
    lines = ["## A year of hours at 10^8 columns on a Dask LocalCluster (issue #12, item 6)",
             "", f"Machine: {machine()}", "",
             f"`python benchmarks/cluster_year.py` (fresh child process): "
             f"`netopt.generate({args.nodes}, periods={24 * args.days}, window=24, "
             f"seed={args.seed})`, each day a window (AI training and batch analytics "
             f"deferrable within it), solved by `netopt.solving.window_totals` on "
             f"`LocalCluster(n_workers={args.workers}, threads_per_worker=1, "
             f"memory_limit=\"{args.memory_limit}\")`: each worker cuts its days from "
             "the network, refills and warm-starts its day model and keeps each day's "
             "costs and totals; the client adds them up. The monolithic LP is never "
             "built; its size is the day LPs' added up.", ""]
    y = year
    lines += [f"**LP as one piece**: {y['rows']:,} rows, {y['columns']:,} columns, "
              f"{y['nonzeros']:,} nonzeros = {y['windows']} day LPs of "
              f"{y['window_rows']:,} rows x {y['window_columns']:,} columns. Status "
              f"{y['status']}; total cost {y['objective']:,.0f} CNY.", "",
              "### The year", "", "| phase (wall, client) | seconds |", "|---|---|"]
    lines += [f"| {k} | {v:.1f} |" for k, v in y["setup"].items()]
    lines += [f"| cut into days, check the day model | {y['timings']['split']:.1f} |",
              f"| send the network to the workers, solve {y['windows']} days | "
              f"{y['timings']['solve']:.1f} |",
              f"| add up | {y['timings']['sum']:.2f} |",
              f"| **year, end to end (after the cluster started)** | **{y['wall']:.1f}** |",
              "", f"Windows per second: {y['windows'] / y['wall']:.2f} "
              f"({y['windows'] / y['timings']['solve']:.2f} in the solve phase). "
              f"Workers' seconds, summed over both: "
              + ", ".join(f"{k} {v:.1f}" for k, v in y["phases"].items())
              + f" (solve, warm: median {y['solve_median']:.2f} s a day, max "
              f"{y['solve_max']:.2f} s; cold, each worker's first day: "
              f"{', '.join(f'{v:.2f}' for v in y['solve_cold'])} s); "
              f"{y['iterations']:,} simplex iterations; days per worker "
              f"{list(y['per_worker'].values())}.", "",
              f"Peak memory (sampled every 0.5 s): {_mem(y['memory'])}. Worker RSS "
              f"after the year, once the network and models were released (psutil, as "
              f"Dask's nanny sees it): "
              + ", ".join(f"{v:,.0f} MB" for v in y["dask_memory"].values())
              + f". Workers restarted: {'none' if y['workers_alive'] else 'YES'}.", ""]
    busy = sum(y["phases"].values())
    lines += ["Where the workers' time went: "
              + ", ".join(f"{k} {v / busy:.0%}" for k, v in y["phases"].items())
              + f" of {busy:.0f} s; {busy / (args.workers * y['timings']['solve']):.0%} of "
              f"the two workers' wall time in the solve phase was spent in windows. Load "
              f"average (1 min) at the end of the year: {y['load'][0]:.1f} on "
              f"{os.cpu_count()} cores (the machine was shared with other work).", ""]
    worst = max(v["pss"] for k, v in y["memory"].items() if k != "client")
    lines += [f"Target: within 4 GB per worker: "
              f"{'met' if worst <= MEMORY_TARGET_MB and y['workers_alive'] else 'NOT met'}"
              f" (largest worker peak {worst:,.0f} MB PSS).", ""]
    if sweeps:
        n = sum(len(s["scenarios"]) for s in sweeps)
        wall = sum(s["wall"] for s in sweeps)
        wins = sum(s["windows"] for s in sweeps)
        lines += [f"### The sweep: {n} scenario{'s' * (n != 1)} of the year", "",
                  f"Scenarios: the price of moving data x {DATA_COST} and the grid's "
                  f"prices x {GRID_PRICE} (`netopt.scenarios.apply`, applied to each "
                  f"day's network on the workers), run in groups of "
                  f"{len(sweeps[0]['scenarios'])}: "
                  "each group sends the network again and starts its day models cold; "
                  "each worker then solves its run of consecutive days for one scenario "
                  "after another (warm from the previous day of the same scenario).", "",
                  "| scenarios | wall s | days solved | days/s | workers' solve s | "
                  "read s | iterations | peak worker PSS MB | client PSS MB | load |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for s in sweeps:
            wk = max(v["pss"] for k, v in s["memory"].items() if k != "client")
            lines.append(f"| {s['first'] + 1}-{s['first'] + len(s['scenarios'])} | "
                         f"{s['wall']:.0f} | {s['windows']:,} | "
                         f"{s['windows'] / s['wall']:.2f} | {s['phases']['solve']:.0f} | "
                         f"{s['phases']['read']:.0f} | {s['iterations']:,} | {wk:,.0f} | "
                         f"{s['memory']['client']['pss']:,.0f} | {s['load'][0]:.1f} |")
        peak = max(v["pss"] for s in sweeps for k, v in s["memory"].items()
                   if k != "client")
        alive = all(s["workers_alive"] for s in sweeps)
        lines += ["", f"Within 4 GB per worker through the sweep: "
                  f"{'met' if peak <= MEMORY_TARGET_MB and alive else 'NOT met'} (largest "
                  f"worker peak {peak:,.0f} MB PSS; workers restarted: "
                  f"{'none' if alive else 'YES'}). Worker RSS after each group, its "
                  "network and models released: "
                  + "; ".join(", ".join(f"{v:,.0f}" for v in s["dask_memory"].values())
                              for s in sweeps) + " MB."]
        lines += ["", f"In all: {n} scenarios, {wins:,} day LPs "
                  f"({wins * y['window_columns']:,} columns solved), {wall:.0f} s "
                  f"({wall / 60:.1f} min, {wins / wall:.2f} days/s; the year alone took "
                  f"{y['wall']:.0f} s). All optimal: "
                  f"{all(st == 'optimal' for s in sweeps for st in s['status'])}.", "",
                  "| data cost | grid price | total cost, bn CNY | data transport | "
                  "electricity | carbon | west share of IT energy |",
                  "|---|---|---|---|---|---|---|"]
        for s in sweeps:
            for a, obj, c, w in zip(s["scenarios"], s["objective"], s["costs"], s["west"]):
                lines.append(
                    f"| {a['settings.data_cost_per_tb_km']} | "
                    f"{a['sources.marginal_cost[kind=grid]']} | {obj / 1e9:.3f} | "
                    f"{c['data_transport'] / 1e9:.3f} | {c['electricity'] / 1e9:.3f} | "
                    f"{c['carbon'] / 1e9:.3f} | {w:.1%} |")
        lines.append("")
    if args.scenarios and sum(len(s["scenarios"]) for s in sweeps) < args.scenarios:
        done = sum(len(s["scenarios"]) for s in sweeps)
        lines += [f"**Not run**: scenarios {done + 1}-{args.scenarios} of "
                  f"{args.scenarios} ({'stopped at the time box' if stopped else 'not reached'}"
                  "); the tables hold only what ran.", ""]
    return "\n".join(lines + NOTES + (["", args.note] if args.note else [])).rstrip()


NOTES = """Notes. Why totals and not the stitched `Result`: `solve_windows` stitches the
days into the monolithic order (x, reduced costs, costs, bounds and the labels of every
column) in the client. Measured on the same network over 4 and 12 days (1,139,904 and
3,413,088 columns, in process): peak RSS 618 and 962 MB, about 151 bytes per column,
so some 16 GB at 104 M columns in one process, on a 24 GB machine shared with others;
it was not run at full size. `window_totals` keeps per worker the network (8760 hours of
demand and availability, sent once per sweep), one day model and its HiGHS instance,
and per day only the day's costs and totals. Scenario order: each worker solves its run
of days for one scenario after another; measured on 4 days x 4 price scenarios, that
takes 11,509 simplex iterations where solving each day's scenarios one after another
takes 43,025 (24 s against 87 s of HiGHS): a price change moves the optimum further
than a day does. The load column is the 1-minute load average at the end of each row
(2 cores; other engineers' test runs shared the machine throughout, so times are
slower than on a quiet machine).""".splitlines()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=220)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory-limit", default="4GiB")
    ap.add_argument("--scenarios", type=int, default=20)
    ap.add_argument("--sweep-group", type=int, default=5)
    ap.add_argument("--minutes", type=float, default=0,
                    help="stop starting sweep groups after this many minutes (0: never)")
    ap.add_argument("--log", default=str(Path(tempfile.gettempdir()) / "netopt-cluster-year.jsonl"),
                    help="JSON lines of what was measured, written as it is measured")
    ap.add_argument("--skip-year", action="store_true",
                    help="run only the sweep (the year taken from --with-log)")
    ap.add_argument("--first", type=int, default=0,
                    help="start the sweep at this scenario (0-based; to go on where an "
                    "earlier run stopped)")
    ap.add_argument("--with-log", default="",
                    help="also report the records of these logs (comma-separated: an "
                    "earlier run's year or sweep groups)")
    ap.add_argument("--note", default="", help="a paragraph to add to the section")
    ap.add_argument("--report-only", action="store_true",
                    help="write RESULTS.md from the log, running nothing")
    ap.add_argument("--no-write", action="store_true", help="print, do not write RESULTS.md")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--deadline", type=float, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    if not args.report_only:
        Path(args.log).unlink(missing_ok=True)
        cmd = [sys.executable, "-W", "ignore", __file__, "--child", "--nodes",
               str(args.nodes), "--days", str(args.days), "--seed", str(args.seed),
               "--workers", str(args.workers), "--memory-limit", args.memory_limit,
               "--scenarios", str(args.scenarios), "--sweep-group", str(args.sweep_group),
               "--log", args.log, *(["--skip-year"] if args.skip_year else []),
               "--first", str(args.first),
               "--deadline",
               str(time.time() + 60 * args.minutes if args.minutes else 0)]
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL)
        if proc.returncode != 0:
            print(f"child exited {proc.returncode}; reporting what it logged",
                  file=sys.stderr)
    recs = [json.loads(x) for f in filter(None, [*args.with_log.split(","), args.log])
            for x in Path(f).read_text().splitlines() if x.strip()]
    text = report(recs, args)
    print(text)
    if not args.no_write:
        write_section("cluster-year", text)


if __name__ == "__main__":
    main()
