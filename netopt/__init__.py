"""netopt: plan where a nation's computing should run.

The flow: an instance folder (`load`) or tables built in code become a validated
`Network`; `solve` formulates the placement LP, hands it to HiGHS or a PuLP solver and
returns a `Result` of pandas DataFrames.

>>> import netopt
>>> result = netopt.solve(netopt.load("toy"))
>>> bool(abs(result.costs["total"] - result.objective) < 1e-6 * result.objective)
True
"""

from .counterfactuals import Comparison, breakeven_table, compare, flexibility
from .diagnosis import diagnose
from .errors import (InfeasibleError, InstanceNotFoundError, Issue, NetoptError,
                     NotOptimalError, SolverError, ValidationError)
from .formulation import Formulation, formulate
from .generate import generate
from .instance import builtin_instances, load, save
from .levelised import cost_by_demand, levelised_cost
from .network import Network, Settings
from .optimize import solve
from .pareto import pareto
from .ranging import Ranging, ranging
from .results import Result
from .scenarios import ScenarioError, apply
from .solvers import Status, available_solvers
from .sweep import BreakEven, breakeven, sweep

__version__ = "0.1.0"

__all__ = [
    "Network", "Settings", "load", "save", "builtin_instances", "formulate", "Formulation",
    "solve", "Result", "Status", "available_solvers", "NetoptError", "ValidationError",
    "Issue", "InstanceNotFoundError", "SolverError", "NotOptimalError", "InfeasibleError",
    "diagnose", "compare", "Comparison", "breakeven_table", "ranging", "Ranging",
    "sweep", "breakeven", "BreakEven", "pareto", "apply", "ScenarioError", "generate",
    "flexibility", "cost_by_demand", "levelised_cost",
]
