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

from .analysis.counterfactuals import Comparison, breakeven_table, compare, flexibility
from .analysis.levelised import cost_by_demand, levelised_cost
from .analysis.pareto import pareto
from .analysis.scenarios import ScenarioError, apply
from .analysis.sweep import BreakEven, breakeven, sweep
from .data.generate import generate
from .data.instance import builtin_instances, load, save
from .data.network import Network, Settings
from .errors import (InfeasibleError, InstanceNotFoundError, Issue, NetoptError,
                     NotOptimalError, SolverError, ValidationError)
from .model.formulation import Formulation, formulate
from .solving.diagnosis import diagnose
from .solving.optimize import solve
from .solving.ranging import Ranging, ranging
from .solving.results import Result
from .solving.solvers import Status, available_solvers
from .views import report as _report  # the text of Result.summary()
from .analysis import sensitivity

__version__ = "0.1.0"

__all__ = [
    "Network", "Settings", "load", "save", "builtin_instances", "formulate", "Formulation",
    "solve", "Result", "Status", "available_solvers", "NetoptError", "ValidationError",
    "Issue", "InstanceNotFoundError", "SolverError", "NotOptimalError", "InfeasibleError",
    "diagnose", "compare", "Comparison", "breakeven_table", "ranging", "Ranging",
    "sweep", "breakeven", "BreakEven", "pareto", "apply", "ScenarioError", "generate",
    "flexibility", "cost_by_demand", "levelised_cost",
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
    if name in PUBLIC_MODULES:  # netopt.plot without importing it first
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
