"""The import graph of reviewapp/ui and its circle finder (tests/test_layering.py asserts there
is no circle): the window sits on top and hands its controllers a narrow host; controllers,
panes and dialogs import only what lies below them.

The graph is read with ast, so it sees every import: at module level, inside functions and
under ``if TYPE_CHECKING`` (a type-only import still ties two modules to each other), written
absolutely or relatively.
"""

from __future__ import annotations

import ast
from collections import deque
from dataclasses import dataclass
from pathlib import Path

UI = Path(__file__).resolve().parent.parent / "reviewapp" / "ui"


@dataclass(frozen=True)
class ImportEdge:
    importer: str
    imported: str
    where: str  # file:line of the import statement


def module_name(path: Path, package_dir: Path) -> str:
    parts = path.relative_to(package_dir.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(
    node: ast.Import | ast.ImportFrom, module: str, is_package: bool
) -> list[str]:
    """Every module this statement names; `from a import b` names a.b when b is a module."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        # A relative import counts from the module's package (the module itself for __init__).
        package = module.split(".") if is_package else module.split(".")[:-1]
        base = package[: len(package) - (node.level - 1)]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    return [target, *(f"{target}.{alias.name}" for alias in node.names)]


def ui_import_graph(package_dir: Path = UI) -> dict[str, list[ImportEdge]]:
    """Module -> the imports it makes of other modules of the same package."""
    paths = {module_name(p, package_dir): p for p in sorted(package_dir.rglob("*.py"))}
    graph: dict[str, list[ImportEdge]] = {name: [] for name in paths}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            where = f"{path.relative_to(package_dir.parent.parent)}:{node.lineno}"
            for target in _imported_modules(node, module, path.name == "__init__.py"):
                if target in paths and target != module:
                    graph[module].append(ImportEdge(module, target, where))
    return graph


def _strongly_connected(graph: dict[str, list[ImportEdge]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative (a deep package must not hit the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            edge = next(edges, None)
            if edge is not None:
                target = edge.imported
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph[target])))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(component)
    return components


def _shortest_cycle(
    graph: dict[str, list[ImportEdge]], component: set[str], start: str
) -> list[ImportEdge]:
    """A shortest circle through start, a module of the strongly connected set component."""
    came_by: dict[str, ImportEdge] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for edge in graph[node]:
            if edge.imported not in component:
                continue
            if edge.imported == start:
                cycle = [edge]
                while cycle[0].importer != start:
                    cycle.insert(0, came_by[cycle[0].importer])
                return cycle
            if edge.imported not in came_by:
                came_by[edge.imported] = edge
                queue.append(edge.imported)
    raise AssertionError(f"no circle through {start}")  # cannot happen in a component


def import_cycles(package_dir: Path = UI) -> list[str]:
    """One line per import circle: each module, and the file:line that imports the next.

    Circles through one knot of modules are listed until every module of the knot is in one,
    so the failure names every module that has to change.
    """
    graph = ui_import_graph(package_dir)
    lines = []
    for component in sorted(_strongly_connected(graph), key=min):
        covered: set[str] = set()
        for start in sorted(component):
            if start in covered:
                continue
            cycle = _shortest_cycle(graph, component, start)
            covered.update(edge.importer for edge in cycle)
            steps = " -> ".join(f"{edge.importer} ({edge.where})" for edge in cycle)
            lines.append(f"{steps} -> {start}")
    return lines


def test_the_graph_sees_relative_function_level_and_type_only_imports(tmp_path: Path):
    package = tmp_path / "reviewapp" / "ui"
    (package / "dialogs").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "dialogs" / "__init__.py").write_text("")
    (package / "window.py").write_text("from .dialogs import about\n")
    (package / "dialogs" / "about.py").write_text(
        "def icon():\n    from ..controller import thing\n"
    )
    (package / "controller.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from reviewapp.ui.window import Window\n"
    )
    (package / "lone.py").write_text("import reviewapp.ui.controller\n")

    cycles = import_cycles(package)

    assert cycles == [
        "reviewapp.ui.controller (reviewapp/ui/controller.py:3)"
        " -> reviewapp.ui.window (reviewapp/ui/window.py:1)"
        " -> reviewapp.ui.dialogs.about (reviewapp/ui/dialogs/about.py:2)"
        " -> reviewapp.ui.controller"
    ]
