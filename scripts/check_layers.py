#!/usr/bin/env python3
"""Check that the apps' imports point one way: down the layers, never up, and never in a cycle.

The layers, lowest first (an app may use apps in lower layers; apps in one layer may use each other
only without a cycle, and preferably through a service, a selector or a registry):

    core | programmes | accounts | recruitment, training | matching, mentoring
         | safeguarding, evaluation, resources, community | home, demo

An edge is any import of another app's module in an app's code (tests and migrations left out,
imports inside functions included) and any foreign key written as a string ("mentoring.Goal").
docs/architecture.md carries the same table between `<!-- layers -->` markers; the check fails when
the two differ, when an app is in no layer, on an upward edge and on a cycle.

Usage: python scripts/check_layers.py [--graph]   (exit status 1 on any problem)
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAYERS: list[tuple[str, ...]] = [
    ("core",),
    ("programmes",),
    ("accounts",),
    ("recruitment", "training"),
    ("matching", "mentoring"),
    ("safeguarding", "evaluation", "resources", "community"),
    ("home", "demo"),
]

RELATION_CALLS = {"ForeignKey", "OneToOneField", "ManyToManyField"}
SKIPPED_DIRS = {"tests", "migrations", "__pycache__"}


def find_apps(root: Path) -> list[str]:
    return sorted(path.parent.name for path in root.glob("*/apps.py"))


def _modules(root: Path, app: str):
    for path in sorted((root / app).rglob("*.py")):
        parts = path.relative_to(root).parts
        if SKIPPED_DIRS.intersection(parts) or path.name.startswith("test"):
            continue
        yield path


def app_edges(root: Path, apps: list[str]) -> dict[tuple[str, str], list[str]]:
    """{(from app, to app): [where, ...]} for every import or string foreign key between two apps."""
    known = set(apps)
    edges: dict[tuple[str, str], list[str]] = {}

    def add(source: str, target: str, where: str) -> None:
        if target in known and target != source:
            edges.setdefault((source, target), []).append(where)

    for app in apps:
        for path in _modules(root, app):
            where = str(path.relative_to(root))
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=where)
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        add(app, alias.name.split(".")[0], f"{where}:{node.lineno}")
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    add(app, node.module.split(".")[0], f"{where}:{node.lineno}")
                elif isinstance(node, ast.Call) and node.args:
                    name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                    first = node.args[0]
                    if (
                        name in RELATION_CALLS
                        and isinstance(first, ast.Constant)
                        and isinstance(first.value, str)
                    ):
                        if re.fullmatch(r"[a-z_]+\.[A-Z]\w*", first.value):
                            add(app, first.value.split(".")[0], f"{where}:{node.lineno}")
    return edges


def cycles(apps: list[str], edges) -> list[list[str]]:
    """Strongly connected components with more than one app (Tarjan)."""
    graph = {app: sorted({b for (a, b) in edges if a == app}) for app in apps}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
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

    for app in apps:
        if app not in index:
            visit(app)
    return found


def documented_layers(text: str) -> list[tuple[str, ...]] | None:
    """The layers table in docs/architecture.md: rows `| n | `app`, `app` | ... |` between markers."""
    match = re.search(r"<!-- layers -->(.*?)<!-- /layers -->", text, re.S)
    if not match:
        return None
    layers = []
    for line in match.group(1).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].isdigit():
            layers.append(tuple(re.findall(r"`([a-z_]+)`", cells[1])))
    return layers


def problems(root: Path = ROOT, layers=LAYERS, docs: Path | None = None) -> list[str]:
    apps = find_apps(root)
    rank = {app: number for number, layer in enumerate(layers) for app in layer}
    found = [
        f"app `{app}` is in no layer (add it to LAYERS in scripts/check_layers.py)"
        for app in apps
        if app not in rank
    ]
    edges = app_edges(root, apps)
    for (source, target), places in sorted(edges.items()):
        if source in rank and target in rank and rank[target] > rank[source]:
            found.append(f"upward: {source} -> {target} ({', '.join(places[:3])})")
    for component in cycles(apps, edges):
        inside = [
            f"{a}->{b} ({places[0]})"
            for (a, b), places in sorted(edges.items())
            if a in component and b in component
        ]
        found.append(f"cycle: {' <-> '.join(component)}: {'; '.join(inside)}")
    docs = docs if docs is not None else root / "docs" / "architecture.md"
    if docs.exists():
        table = documented_layers(docs.read_text(encoding="utf-8"))
        if table is None:
            found.append(f"{docs.name} has no layers table between <!-- layers --> markers")
        elif [tuple(sorted(layer)) for layer in table] != [tuple(sorted(layer)) for layer in layers]:
            found.append(f"{docs.name}'s layers table differs from LAYERS in scripts/check_layers.py")
    return found


def main(argv: list[str]) -> int:
    if "--graph" in argv:
        apps = find_apps(ROOT)
        for (source, target), places in sorted(app_edges(ROOT, apps).items()):
            print(f"{source} -> {target}  ({len(places)}: {places[0]})")
    found = problems()
    for problem in found:
        print(problem)
    apps = find_apps(ROOT)
    print(f"{len(apps)} apps in {len(LAYERS)} layers: {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
