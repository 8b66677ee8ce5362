"""Tests of countyhub.routing's imports: no cycle, private modules kept private."""

from __future__ import annotations

import grimp
import networkx as nx
import pytest

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
