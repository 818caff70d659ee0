"""The pipeline/ package has no import cycle, counting function-level imports as well as module-level ones.

The graph is built from the source with `ast` (nothing is imported): one node per module, one edge per
`import` / `from ... import` naming another pipeline module, wherever it sits in the file (a function-local
import or one inside `try`/`except ImportError` hides a cycle at import time but is still a cycle).
`from package import name` points at the submodule `package.name` when there is one, else at the package.
Run this file as a script to print the graph's edges and its cycles.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from pipeline.paths import REPO

PACKAGE_ROOT = REPO / "pipeline"
PACKAGE = PACKAGE_ROOT.name


def module_files(root: Path = PACKAGE_ROOT) -> dict[str, Path]:
    """Dotted module name -> source file, for every .py file under the package (packages by their __init__)."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = [root.name, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _absolute(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The absolute dotted name of a (possibly relative) import written inside `module`."""
    if level == 0:
        return name or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def _nearest_module(name: str, modules: dict[str, Path]) -> str | None:
    """`name` if it is a pipeline module, else its longest dotted prefix that is one (an attribute import)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every pipeline module that `module` imports, at any depth of its syntax tree."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, is_package, node.level, node.module)
            targets = [f"{source}.{alias.name}" for alias in node.names if alias.name != "*"] or [source]
        else:
            continue
        for target in targets:
            if target.split(".")[0] != PACKAGE:
                continue
            resolved = _nearest_module(target, modules)
            if resolved and resolved != module:
                found.add(resolved)
    return found


def import_graph(root: Path = PACKAGE_ROOT) -> dict[str, set[str]]:
    modules = module_files(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component with more than one module (Tarjan), as a closed path."""
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = lowlink[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                lowlink[node] = min(lowlink[node], lowlink[nxt])
            elif nxt in on_stack:
                lowlink[node] = min(lowlink[node], index[nxt])
        if lowlink[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_cycle_within(graph, set(component)) for component in components]


def _cycle_within(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    """A shortest closed path through the component's first module, staying inside the component."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(graph[node] & component):
                if nxt == start:
                    return paths[node] + [start]
                if nxt not in paths:
                    paths[nxt] = paths[node] + [nxt]
                    following.append(nxt)
        frontier = following
    return sorted(component)


def test_graph_sees_function_level_and_relative_imports(tmp_path):
    root = tmp_path / PACKAGE
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "sub" / "__init__.py").write_text("from .. import top\n")
    (root / "top.py").write_text("def f():\n    from .sub import leaf\n")
    (root / "sub" / "leaf.py").write_text("try:\n    from ..top import f\nexcept ImportError:\n    pass\n")
    graph = import_graph(root)
    assert graph[f"{PACKAGE}.top"] == {f"{PACKAGE}.sub.leaf"}
    assert graph[f"{PACKAGE}.sub.leaf"] == {f"{PACKAGE}.top"}
    assert graph[f"{PACKAGE}.sub"] == {f"{PACKAGE}.top"}
    assert find_cycles(graph) == [[f"{PACKAGE}.sub.leaf", f"{PACKAGE}.top", f"{PACKAGE}.sub.leaf"]]


def test_pipeline_has_no_import_cycle():
    cycles = find_cycles(import_graph())
    assert not cycles, "import cycles in pipeline/:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_training_scoring_is_a_leaf():
    """Scoring imports no other training module: train, evaluate and the model card all build on it."""
    graph = import_graph()
    assert not {m for m in graph[f"{PACKAGE}.training.scoring"] if m.startswith(f"{PACKAGE}.training.")}


if __name__ == "__main__":
    graph = import_graph()
    for name in sorted(graph):
        print(f"{name} -> {', '.join(sorted(graph[name])) or '(nothing)'}")
    cycles = find_cycles(graph)
    print("\n".join(["", "cycles:"] + [" -> ".join(c) for c in cycles]) if cycles else "\nno cycles")
    sys.exit(1 if cycles else 0)
