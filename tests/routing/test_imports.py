"""Tests of countyhub.routing's imports: no cycle, private modules kept private."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import networkx as nx
import pytest

import countyhub.routing

ROUTING = "countyhub.routing"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    """The static import graph of countyhub and bench (no cache left behind)."""
    return grimp.build_graph("countyhub", "bench", cache_dir=None)


def routing_imports(graph: grimp.ImportGraph) -> nx.DiGraph:
    """The direct imports among the modules of countyhub.routing."""
    modules = {m for m in graph.modules if m == ROUTING or m.startswith(ROUTING + ".")}
    digraph = nx.DiGraph()
    digraph.add_nodes_from(modules)
    for importer in modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            if imported in modules:
                digraph.add_edge(importer, imported)
    return digraph


def cycle_of(digraph: nx.DiGraph) -> list[str]:
    """One import cycle as ``a -> b -> … -> a``, or empty when there is none."""
    try:
        edges = nx.find_cycle(digraph)
    except nx.NetworkXNoCycle:
        return []
    return [edges[0][0], *(b for _, b in edges)]


def private_package(module: str) -> str | None:
    """The package a private module belongs to, or None for a public module.

    ``countyhub.routing.daily._stops`` is private to ``countyhub.routing.daily``;
    so is anything under a private package.
    """
    parts = module.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:i])
    return None


def test_routing_has_no_import_cycle(graph: grimp.ImportGraph) -> None:
    """The modules of countyhub.routing import one another without a cycle."""
    digraph = routing_imports(graph)
    assert digraph.number_of_nodes() > 10  # the graph really holds the package
    cycle = cycle_of(digraph)
    assert not cycle, "import cycle: " + " -> ".join(cycle)
    assert nx.is_directed_acyclic_graph(digraph)


def test_a_cycle_would_be_found() -> None:
    """The check itself fails on a cycle: a → b → a is reported as such."""
    digraph = nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")])
    assert not nx.is_directed_acyclic_graph(digraph)
    assert cycle_of(digraph) in (["a", "b", "a"], ["b", "a", "b"])


def test_private_routing_modules_are_imported_only_inside_their_package(
    graph: grimp.ImportGraph,
) -> None:
    """Nothing outside ``routing/x/`` imports ``routing/x/_y`` (bench included)."""
    trespasses = []
    for imported in graph.modules:
        owner = private_package(imported)
        if owner is None or not imported.startswith(ROUTING + "."):
            continue
        for importer in graph.find_modules_that_directly_import(imported):
            if not importer.startswith(owner + "."):
                trespasses.append(f"{importer} imports {imported}")
    assert not trespasses, "\n".join(sorted(trespasses))


def unexplained_local_imports(source: str) -> list[int]:
    """Lines of imports inside a function with no comment on or above them."""
    lines = source.splitlines()
    found = []
    for func in ast.walk(ast.parse(source)):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            line, above = lines[node.lineno - 1], lines[node.lineno - 2]
            if "#" not in line and not above.strip().startswith("#"):
                found.append(node.lineno)
    return found


def test_routing_imports_are_at_module_level() -> None:
    """No import hides in a function without its reason: it could hide a cycle."""
    root = Path(countyhub.routing.__file__).parent
    found = [
        f"{path.relative_to(root)}:{line}"
        for path in sorted(root.rglob("*.py"))
        for line in unexplained_local_imports(path.read_text(encoding="utf-8"))
    ]
    assert not found, "function-local imports without a reason: " + ", ".join(found)


def test_a_local_import_is_found_unless_explained() -> None:
    """The check sees a bare local import, and accepts one with its reason."""
    bare = "def f():\n    import json\n"
    explained = "def f():\n    # optional: heavy\n    import json\n"
    assert unexplained_local_imports(bare) == [2]
    assert unexplained_local_imports(explained) == []
