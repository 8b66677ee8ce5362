"""The package's imports: private modules stay private, imports sit at the top.

A module with a leading underscore belongs to its own package: nothing outside
that package imports it (the benchmarks included).  An import inside a function
says why on its line or the line above (it could hide a cycle otherwise).
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "countyhub"
FROZEN = PACKAGE / "platform" / "migrations"  # Alembic's own shape


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    """The static import graph of countyhub and bench (no cache left behind)."""
    return grimp.build_graph("countyhub", "bench", cache_dir=None)


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


def test_private_modules_are_imported_only_inside_their_package(
    graph: grimp.ImportGraph,
) -> None:
    """Nothing outside ``x/`` imports ``x/_y``."""
    trespasses = [
        f"{importer} imports {imported}"
        for imported in graph.modules
        if (owner := private_package(imported)) is not None
        for importer in graph.find_modules_that_directly_import(imported)
        if importer != owner and not importer.startswith(owner + ".")
    ]
    assert not trespasses, "\n".join(sorted(trespasses))


def test_a_private_module_is_recognised() -> None:
    """``a.b._c`` is private to ``a.b``; so is a module under a private package."""
    assert (
        private_package("countyhub.routing.daily._stops") == "countyhub.routing.daily"
    )
    assert private_package("countyhub.cli._context.x") == "countyhub.cli"
    assert private_package("countyhub.routing.daily") is None
    assert private_package("countyhub.api.__init__") is None


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


def test_imports_are_at_module_level() -> None:
    """Every function-local import in countyhub carries its reason."""
    found = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if FROZEN not in path.parents
        for line in unexplained_local_imports(path.read_text(encoding="utf-8"))
    ]
    assert not found, "function-local imports without a reason: " + ", ".join(found)


def test_a_local_import_is_found_unless_explained() -> None:
    """The check sees a bare local import, and accepts one with its reason."""
    bare = "def f():\n    import json\n"
    explained = "def f():\n    # optional: heavy\n    import json\n"
    assert unexplained_local_imports(bare) == [2]
    assert unexplained_local_imports(explained) == []
