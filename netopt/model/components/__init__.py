"""The components of the placement LP, one module each (docs/model.md numbers their
equations; each module cites them).

A component is a module that defines any of these functions; `formulate` calls them
for every module in `COMPONENTS`, in that order, and knows no component's equations:

``structure(net) -> tuple``
    What its part of the matrix depends on (ids, topology, coefficients). Two networks
    with equal structures share one matrix; only `fill` differs (sweeps reuse it).
``add_variables(m)``
    Its per-period variables (``m.add_per_period``).
``add_build_variables(m)``
    Its variables held for the whole horizon: capacity built, a site opened
    (``m.add_once``). Called after every component's `add_variables`.
``add_constraints(m)``
    Its constraint blocks (``m.add_constraint`` with terms from ``m.each_period``,
    ``m.every_period``, ``m.sum_options``).
``power_nodes(m) -> list of arrays`` and ``power_terms(m) -> list of Terms``
    Where it takes or gives power: the nodes, then its terms in the power balance (6)
    (``m.at_nodes``). The balance itself is the core's.
``fill(v)``
    Its costs (``v.cost_per_mwh``, ``v.cost``), column bounds (``v.upper``) and row
    bounds (``v.bounds``) from the network's data (`data_vectors`).

``m`` is a `netopt.model.assembly.Model`, ``v`` a `netopt.model.assembly.Fill`.

Adding a component (README, "Adding a component"): its table(s) in
``data/schema.py``, a module here appended to `COMPONENTS`, its result table in
``solving/results.py``, its equations in ``docs/model.md``. Nothing in
``formulation.py`` or ``assembly.py`` changes; blocks of a component appended last
come after every existing column and row, so existing labels and positions hold.
"""

from . import (lines, links, loads, placement, sites, sources, storage, transport_energy,
               windows)

__all__ = ["COMPONENTS"]

#: In assembly order (it fixes the order of blocks): placement first, since every
#: other component indexes its options.
COMPONENTS = (placement, windows, sources, sites, links, lines, transport_energy,
              storage, loads)  # each appended when added, so existing blocks keep their place
