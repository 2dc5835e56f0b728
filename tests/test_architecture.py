"""The shape of the code (STYLE.md): one room per job, nothing importing upward, no cycles.

Walks the imports of every module under ``src/theodoi`` (those inside functions too), so the
rules stay true as code is added: the command line is on top and nothing imports it; no two
packages import each other, directly or round a longer loop; the pure rules in ``domain``
import nothing of the project's; no module grows past the size at which it is two jobs.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "src" / "theodoi"
MAX_LINES = 600
# Entry points, in the order of who may import whom: a package may import those before it.
ENTRY_POINTS = ("web", "api", "bench", "cli")


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(("theodoi", *parts))] = path
    return found


def _imports(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project's modules ``module`` imports, at any depth of its code: "from a.b import c"
    imports the module a.b.c when there is one, else a.b."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                child = f"{target}.{alias.name}"
                names.add(child if child in modules else target)
    found = set()
    for name in names:
        while name not in modules and "." in name:
            name = name.rpartition(".")[0]
        if name in modules and name != module:
            found.add(name)
    return found


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    edges: dict[str, set[str]] = defaultdict(set)
    for module, path in modules.items():
        edges[module] = _imports(module, path, modules)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_nothing_outside_the_command_line_imports_it(graph):
    offenders = sorted(
        f"{source} → {target}"
        for source, targets in graph.items()
        for target in targets
        if _package(target) == "cli" and _package(source) != "cli"
    )
    assert offenders == []


def test_no_two_packages_import_each_other(graph):
    packages: dict[str, set[str]] = defaultdict(set)
    for source, targets in graph.items():
        for target in targets:
            if _package(source) != _package(target):
                packages[_package(source)].add(_package(target))
    assert _cycles(packages) == []


def test_no_import_cycle_between_modules(graph):
    assert _cycles(graph) == []


def test_entry_points_are_imported_only_by_those_above_them(graph):
    offenders = []
    for source, targets in graph.items():
        for target in targets:
            low, high = _package(source), _package(target)
            if high in ENTRY_POINTS and low != high:
                allowed = (*ENTRY_POINTS[ENTRY_POINTS.index(high) + 1 :], "urls")
                if low not in allowed:
                    offenders.append(f"{source} → {target}")
    assert sorted(offenders) == []


def test_domain_imports_nothing_of_the_project_but_itself(graph):
    offenders = sorted(
        f"{source} → {target}"
        for source, targets in graph.items()
        if _package(source) == "domain"
        for target in targets
        if _package(target) != "domain"
    )
    assert offenders == []


def test_no_module_is_two_jobs_long():
    long = sorted(
        f"{path.relative_to(ROOT)}: {count} dòng"
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts
        and (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    )
    assert long == []


def test_the_walk_sees_the_imports_it_checks(graph):
    # The checks above pass on an empty graph too; make sure they had something to look at.
    assert "theodoi.cli.common" in graph["theodoi.cli.main"]
    assert "theodoi.domain.text" in graph["theodoi.search.index"]
    assert any(_package(t) == "plans" for t in graph["theodoi.search.selectors"])
