"""What the benchmarks share: netopt timed phase by phase (`netopt_timed`), its LP saved
(`save_npz`: the CSC matrix, costs and bounds), and the two references built from a saved
LP: the floor (HiGHS given the matrix directly through highspy) and the textbook PuLP
model (a dict of LpVariable, one lpSum per constraint). Benchmarks run them in child
processes that import this file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_child(code: str, *args: str, code_dir: str | None = None) -> dict:
    """Run ``code`` in a fresh Python with ``args``; return the JSON its last line prints.

    The child finds this folder's modules (``from _lp import ...``) and, with
    ``code_dir``, imports netopt from there instead of the installed one.
    """
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (code_dir, str(HERE)) if p))
    proc = subprocess.run([sys.executable, "-W", "ignore", "-c", code, *args],
                          capture_output=True, text=True, env=env, cwd=code_dir)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def netopt_timed(folder: str, solve):
    """netopt on an instance folder, timed by phase: routes and assembly (`formulate`),
    ``solve(lp)`` (returns a `SolverOutput`), and reading the main tables back
    (extract). Returns the times (with their ``total``), the formulation and the output."""
    import netopt
    from netopt.model import formulation as fm
    from netopt.solving.results import Result
    net = netopt.load(folder)
    t: dict = {}
    f = fm.formulate(net, timings=t)  # fills t["routes"] and t["assembly"]
    t0 = time.perf_counter()
    out = solve(f.lp)
    t["solve"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    r = Result(net, f, out)
    for name in ("placement", "sites", "links", "power_lines", "sources", "costs"):
        getattr(r, name)
    t["extract"] = time.perf_counter() - t0
    t["total"] = t["routes"] + t["assembly"] + t["solve"] + t["extract"]
    return t, f, out


def save_npz(lp, path: str):
    """Save ``lp`` for the references (`highs_from_npz`, `textbook_pulp`); returns its
    matrix (CSC)."""
    import numpy as np
    A = lp.A.tocsc()
    np.savez(path, data=A.data, indices=A.indices, indptr=A.indptr, shape=A.shape, c=lp.c,
             cl=lp.col_lower, cu=lp.col_upper, rl=lp.row_lower, ru=lp.row_upper)
    return A


def highs_from_npz(z, options: dict | None = None):
    """A quiet `highspy.Highs` holding the LP of ``z`` (``np.load`` of the npz), with
    ``options`` set; returns the model and the options HiGHS refused."""
    import highspy
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    refused = [k for k, v in (options or {}).items()
               if h.setOptionValue(k, v) != highspy.HighsStatus.kOk]
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = int(z["shape"][1]), int(z["shape"][0])
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = z["c"], z["cl"], z["cu"]
    lp.row_lower_, lp.row_upper_ = z["rl"], z["ru"]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    lp.a_matrix_.start_, lp.a_matrix_.index_ = z["indptr"], z["indices"]
    lp.a_matrix_.value_ = z["data"]
    h.passModel(lp)
    return h, refused


def textbook_pulp(z):
    """The LP of ``z`` as a user of PuLP writes it; returns the problem and the seconds
    the building took."""
    import numpy as np
    import pulp
    import scipy.sparse as sp
    A = sp.csc_matrix((z["data"], z["indices"], z["indptr"]),
                      shape=tuple(z["shape"])).tocsr()
    c, cl, cu, rl, ru = z["c"], z["cl"], z["cu"], z["rl"], z["ru"]
    t0 = time.perf_counter()
    prob = pulp.LpProblem("textbook", pulp.LpMinimize)
    x = {j: pulp.LpVariable(f"x{j}", lowBound=cl[j],
                            upBound=None if np.isinf(cu[j]) else cu[j])
         for j in range(A.shape[1])}
    prob += pulp.lpSum(c[j] * x[j] for j in range(A.shape[1]) if c[j] != 0)
    for i in range(A.shape[0]):
        s, e = A.indptr[i], A.indptr[i + 1]
        expr = pulp.lpSum(v * x[j] for j, v in zip(A.indices[s:e], A.data[s:e]))
        if rl[i] == ru[i]:
            prob += expr == rl[i]
        elif np.isinf(rl[i]):
            prob += expr <= ru[i]
        else:
            prob += expr >= rl[i]
    return prob, time.perf_counter() - t0
