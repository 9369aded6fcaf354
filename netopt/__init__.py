"""netopt: plan where a nation's computing should run.

The flow: an instance folder (`load`) or tables built in code become a validated
`Network`; `solve` formulates the placement LP, hands it to HiGHS or a PuLP solver and
returns a `Result` of pandas DataFrames.

The folders follow that flow, each layer importing only those before it (README,
"Architecture"): `data` (instances, schema, validation, `Network`), `model` (routes,
LP blocks, the components and their formulation), `solving` (solvers, `solve`,
`Result`, diagnosis, ranging), `analysis` (compare, sweeps, scenarios, break-even,
Pareto), `views` (text summary, plots, HTML report) and `cli`.

>>> import netopt
>>> result = netopt.solve(netopt.load("toy"))
>>> bool(abs(result.costs["total"] - result.objective) < 1e-6 * result.objective)
True
"""

import importlib
import importlib.abc
import importlib.util
import sys

__version__ = "0.2.0"

#: The public API, name -> the module that defines it. Imported on first use (PEP 562),
#: so ``netopt --help`` and ``import netopt`` do not pay for pandas, scipy and HiGHS.
_API = {
    **dict.fromkeys(["Comparison", "breakeven_table", "compare", "flexibility"],
                    "netopt.analysis.counterfactuals"),
    **dict.fromkeys(["cost_by_demand", "levelised_cost"], "netopt.analysis.levelised"),
    "pareto": "netopt.analysis.pareto",
    **dict.fromkeys(["ScenarioError", "apply"], "netopt.analysis.scenarios"),
    **dict.fromkeys(["BreakEven", "breakeven"], "netopt.analysis.breakeven_search"),
    "sweep": "netopt.analysis.sweep",
    **dict.fromkeys(["solve_totals", "sweep_totals", "WindowTotals"],
                    "netopt.solving.window_totals"),
    "generate": "netopt.data.generate",
    "design_year": "netopt.analysis.design",
    **dict.fromkeys(["builtin_instances", "load", "save"], "netopt.data.instance"),
    **dict.fromkeys(["Network", "Settings"], "netopt.data.network"),
    **dict.fromkeys(["InfeasibleError", "InstanceNotFoundError", "Issue", "NetoptError",
                     "NotOptimalError", "SolverError", "ValidationError"], "netopt.errors"),
    **dict.fromkeys(["Formulation", "formulate"], "netopt.model.formulation"),
    "diagnose": "netopt.solving.diagnosis",
    "solve": "netopt.solving.optimize",
    **dict.fromkeys(["Ranging", "ranging"], "netopt.solving.ranging"),
    "Result": "netopt.solving.results",
    **dict.fromkeys(["Status", "available_solvers"], "netopt.solving.solvers"),
}

__all__ = [
    "Network", "Settings", "load", "save", "builtin_instances", "formulate", "Formulation",
    "solve", "Result", "Status", "available_solvers", "NetoptError", "ValidationError",
    "Issue", "InstanceNotFoundError", "SolverError", "NotOptimalError", "InfeasibleError",
    "diagnose", "compare", "Comparison", "breakeven_table", "ranging", "Ranging",
    "sweep", "breakeven", "BreakEven", "pareto", "apply", "ScenarioError", "generate",
    "flexibility", "cost_by_demand", "levelised_cost", "design_year", "solve_totals",
    "sweep_totals", "WindowTotals",
]

#: Modules the README and notebooks name by their place before the layers: still
#: importable there (``from netopt.surplus import ...``, ``from netopt import plot``),
#: as the same module object, loaded only when first asked for.
PUBLIC_MODULES = {"plot": "netopt.views.plot", "sensitivity": "netopt.analysis.sensitivity",
                  "surplus": "netopt.analysis.surplus", "scenarios": "netopt.analysis.scenarios",
                  "levelised": "netopt.analysis.levelised"}


class _PublicModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``netopt.plot`` & co. (`PUBLIC_MODULES`) as their module in its layer."""

    def find_spec(self, name, path=None, target=None):
        package, _, short = name.rpartition(".")
        if package == __name__ and short in PUBLIC_MODULES:
            return importlib.util.spec_from_loader(name, self)
        return None

    def __init__(self):
        self._own = {}  # alias -> the module's own spec, while the alias is loaded

    def create_module(self, spec):
        module = importlib.import_module(PUBLIC_MODULES[spec.name.rpartition(".")[2]])
        self._own[spec.name] = module.__spec__
        return module

    def exec_module(self, module):
        # the import system gave the module the alias's spec: give it back its own
        module.__spec__ = self._own.pop(module.__spec__.name)


if not any(isinstance(f, _PublicModules) for f in sys.meta_path):
    sys.meta_path.append(_PublicModules())


def __getattr__(name: str):
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        # every Result says itself in words (Result.summary): the text view registers
        # itself when imported, and results may not import a view (README, "Architecture")
        importlib.import_module("netopt.views.report")
        globals()[name] = value  # the next access is a plain attribute
        return value
    if name in PUBLIC_MODULES:  # netopt.plot without importing it first
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API) | set(PUBLIC_MODULES))
