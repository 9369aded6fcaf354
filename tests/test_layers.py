"""The package's layers (README, "Architecture"): lower layers never import higher ones,
and no module imports itself back through others. One exception: any module may read
the package's ``__version__``.

Read from the source (ast), so an import inside a function or under TYPE_CHECKING
counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "netopt"

#: Bottom to top. A module may import its own layer and those below it.
LAYERS = ["base", "data", "model", "solving", "analysis", "views", "cli", "root"]
BASE = {"errors", "_files", "_format", "_version", "_dask", "_pool"}


def layer_of(module: str) -> str:
    """Layer of a dotted module name inside netopt (``netopt.model.lp`` -> model)."""
    parts = module.split(".")[1:]
    if not parts:
        return "root"
    if parts[0] in BASE:
        return "base"
    if parts[0] in ("cli", "cli_args"):
        return "cli"
    return parts[0]


def module_name(path: Path, package: Path = PACKAGE) -> str:
    rel = path.relative_to(package.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(source: str, module: str, is_package: bool = False) -> set[str]:
    """What ``source`` (the module ``module``) imports of netopt, by dotted name.

    ``from X import name`` yields both ``X`` and ``X.name``: the caller keeps those that
    are modules.
    """
    here = module if is_package else module.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")[: len(here.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "netopt" and {a.name for a in node.names} == {"__version__"}:
                continue  # the package's version: any layer may read it
            if target.split(".")[0] == "netopt":
                out.add(target)
                out.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "netopt")
    return out


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (every .py file under ``package``)."""
    files = {module_name(p, package): p for p in package.rglob("*.py")}
    graph = {}
    for name, p in files.items():
        found = imports(p.read_text(encoding="utf-8"), name, p.name == "__init__.py")
        graph[name] = {t for t in found if t in files and t != name}
    return graph


def violations(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a higher layer, as 'module (layer) -> module (layer)'."""
    rank = {name: i for i, name in enumerate(LAYERS)}
    bad = []
    for mod, targets in sorted(graph.items()):
        for t in sorted(targets):
            if rank[layer_of(t)] > rank[layer_of(mod)]:
                bad.append(f"{mod} ({layer_of(mod)}) -> {t} ({layer_of(t)})")
    return bad


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_every_module_has_a_layer():
    for mod in import_graph():
        assert layer_of(mod) in LAYERS, mod


def test_lower_layers_never_import_higher_ones():
    assert violations(import_graph()) == []


def test_no_import_circles():
    assert circles(import_graph()) == []


@pytest.mark.parametrize("module, line", [
    ("netopt.model.formulation", "from ..views import plot"),
    ("netopt.model.formulation", "def f():\n    from ..solving.results import Result"),
    ("netopt.data.network", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                            "    from ..model.lp import Block"),
    ("netopt.solving.results", "import netopt.views.report"),
    ("netopt.analysis.sweep", "from .. import cli"),
    ("netopt.errors", "from .data import schema"),
    ("netopt.model.routes", "from .. import solve"),
    ("netopt.model.components.sites", "from ...solving import solvers"),
])
def test_the_rule_catches_an_upward_import(module, line):
    graph = import_graph()
    graph[module] = graph.get(module, set()) | {
        t for t in imports(line, module) if t in graph}
    assert violations(graph), line
