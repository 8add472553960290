"""Print frontdesk's package-level import graph and any package cycles.

Usage (from the repository root):

    PYTHONPATH=$PWD python scripts/import_graph.py           # the graph and its cycles
    PYTHONPATH=$PWD python scripts/import_graph.py --detail  # + the imports behind edges

A "package" is the second level of the name (frontdesk.gui, frontdesk.services, ...);
top-level modules (frontdesk.cli, frontdesk.paths) count as packages of their own.
The graph is built by grimp, the library behind import-linter (`lint-imports`), so it
sees the same imports the contracts in pyproject.toml check, including the ones inside
functions and under TYPE_CHECKING.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict

import grimp


def package_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def build(root: str = "frontdesk") -> dict[tuple[str, str], set[tuple[str, str]]]:
    graph = grimp.build_graph(root, cache_dir=None)
    edges: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            a, b = package_of(importer), package_of(imported)
            if a != b:
                edges[(a, b)].add((importer, imported))
    return edges


def cycles(edges) -> list[list[str]]:
    """Strongly connected components with more than one package (Tarjan)."""
    nodes = sorted({n for edge in edges for n in edge})
    succ: dict[str, list[str]] = defaultdict(list)
    for a, b in sorted(edges):
        succ[a].append(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in succ[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for v in nodes:
        if v not in index:
            visit(v)
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detail", action="store_true", help="list the module imports")
    parser.add_argument("--root", default="frontdesk")
    args = parser.parse_args(argv)
    edges = build(args.root)
    by_importer: dict[str, list[str]] = defaultdict(list)
    for a, b in sorted(edges):
        by_importer[a].append(b)
    print(f"# package import graph of {args.root} (package -> packages it imports)")
    packages = sorted({n for edge in edges for n in edge})
    for pkg in packages:
        print(f"{pkg} -> {', '.join(by_importer[pkg]) or '(nothing)'}")
        if args.detail:
            for b in by_importer[pkg]:
                for importer, imported in sorted(edges[(pkg, b)]):
                    print(f"    {importer} -> {imported}")
    found = cycles(edges)
    print()
    print(f"# package cycles: {len(found)}")
    for component in found:
        print("cycle: " + " <-> ".join(component))
        members = set(component)
        for a, b in sorted(edges):
            if a in members and b in members:
                shown = sorted(edges[(a, b)])
                print(f"    {a} -> {b}: " + "; ".join(f"{i} -> {j}" for i, j in shown[:4]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
