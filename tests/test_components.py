"""The component interface (netopt/model/components/__init__.py): a component added to
COMPONENTS takes part in assembly, data refill and the power balance with no change to
formulation.py or assembly.py."""

from types import SimpleNamespace

import numpy as np

import netopt
from netopt.model import components, formulation
from netopt.model.formulation import data_vectors, formulate

STEPS = {"structure", "add_variables", "add_build_variables", "add_constraints",
         "power_nodes", "power_terms", "fill"}


def _dump_load(price: float):
    """A made-up component: at each source's node, a load that buys power at ``price``
    per MWh (a negative cost: it pays) up to 1 MW."""
    def add_variables(m):
        m.add_per_period("dump", m.net.sources["node"].unique(), "node")

    def power_nodes(m):
        return [m.net.sources["node"].unique()]

    def power_terms(m):
        return [m.at_nodes(m.var("dump"), m.net.sources["node"].unique(), -1.0)]

    def fill(v):
        v.cost_per_mwh("dump", -price)
        v.upper("dump", 1.0)

    return SimpleNamespace(structure=lambda net: (), add_variables=add_variables,
                           power_nodes=power_nodes, power_terms=power_terms, fill=fill)


def test_every_component_defines_only_known_steps():
    for c in components.COMPONENTS:
        public = {n for n in getattr(c, "__all__", []) if callable(getattr(c, n))}
        steps = public & STEPS
        assert steps, c.__name__
        assert c.__doc__ and "docs/model.md" in c.__doc__, c.__name__


def test_a_new_component_takes_part_without_touching_the_core(toy, monkeypatch):
    base = netopt.solve(toy)
    monkeypatch.setattr(formulation, "COMPONENTS", (*components.COMPONENTS,
                                                    _dump_load(price=0.0)))
    f = formulate(toy)
    names = list(f.lp.variables)
    # per-period variables first (component order), then build variables
    assert names.index("soc") + 1 == names.index("dump") < names.index("site_build")
    for name in ("x", "u", "g", "f"):
        assert f.lp.variables[name].start == base.formulation.lp.variables[name].start
    assert f.lp.constraints["balance"].size == base.formulation.lp.constraints["balance"].size
    # free to take, worth nothing: the optimum is unchanged
    r = netopt.solve(toy)
    assert np.isclose(r.objective, base.objective, rtol=1e-9)
    # a buyer paying more than any source costs takes its 1 MW at every source node
    monkeypatch.setattr(formulation, "COMPONENTS", (*components.COMPONENTS,
                                                    _dump_load(price=1e6)))
    paid = netopt.solve(toy)
    dump = paid.formulation.lp.variables["dump"].take(paid.output.x)
    assert np.allclose(dump, 1.0)
    # and the matrix is reused when only data changes (the component's fill runs)
    vec = data_vectors(toy, paid.formulation)
    assert vec is not None and np.array_equal(vec.c, paid.formulation.lp.c)


def test_only_a_change_of_structure_means_formulate_anew(toy):
    f = formulate(toy)
    assert data_vectors(netopt.apply(toy, {"sources.marginal_cost": "*1.2"}), f) is not None
    assert data_vectors(netopt.apply(toy, {"sites.pue[dc_east]": 1.3}), f) is None  # (6a)
