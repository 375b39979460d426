"""The package's import graph has no cycle, imports inside functions included.

A cycle means a helper lives in the wrong module (or an import was moved into a
function to dodge it); either way the fix is to move the helper to the module
of its concept.
"""
from __future__ import annotations

import ast
from pathlib import Path

import skmkit

ROOT = Path(skmkit.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in ROOT.rglob("*.py") if "__pycache__" not in p.parts}
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # every import, at any depth
            targets = []
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            edges |= {t for t in targets if t in modules and t != name}
        graph[name] = edges
    return graph


def _cycles(graph):
    seen, stack, found = set(), [], []

    def visit(node):
        if node in stack:
            found.append(stack[stack.index(node):] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        stack.append(node)
        for nxt in sorted(graph[node]):
            visit(nxt)
        stack.pop()

    for node in sorted(graph):
        visit(node)
    return found


def test_graph_sees_function_level_imports():
    graph = _graph()
    assert "skmkit.validate" in graph["skmkit.select"]
    assert "skmkit.batch.executors" in graph["skmkit.batch.worker"]
    # the Word edition is a package: the walker draws on its concerns' modules
    assert {"skmkit.word.tables", "skmkit.word.figures", "skmkit.word.signature"} <= graph["skmkit.word.walker"]


def test_no_import_cycle_in_skmkit():
    cycles = _cycles(_graph())
    # a package importing its own submodules (skmkit.batch -> skmkit.batch.plan) is not a cycle
    # unless a submodule imports the package back
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)
