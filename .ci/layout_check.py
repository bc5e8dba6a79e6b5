"""Static checks of assistant/'s layout: no import cycles, a pure kernel, small modules, few top-level files.

Imports are read from the source (ast), function-level ones included; imports under
`if TYPE_CHECKING:` are left out, since they never run. Exit 1 with one line per problem.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = "assistant"
KERNEL = {"config", "errors", "types", "messages", "text"}  # import nothing from the stage folders
MAX_LINES = 300
MAX_TOP_LEVEL = 10


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = (
                test.id
                if isinstance(test, ast.Name)
                else test.attr
                if isinstance(test, ast.Attribute)
                else ""
            )
            if name == "TYPE_CHECKING":
                for child in node.body:
                    skip.update(id(n) for n in ast.walk(child))
    return skip


def imports_of(path: Path, name: str, modules: set[str]) -> set[str]:
    """Modules of the package that `path` imports at run time."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _type_checking_nodes(tree)
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_pkg else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                # `from assistant.answer import chain` names a module; `from assistant.types import X` does not
                sub = f"{base}.{alias.name}"
                out.add(sub if sub in modules else base)
    out.discard(name)
    return {m for m in out if m.startswith(PACKAGE)}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
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
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def problems(root: Path) -> list[str]:
    """Every layout rule broken under root/assistant."""
    files = {module_name(p, root): p for p in sorted((root / PACKAGE).rglob("*.py"))}
    modules = set(files)
    # package __init__ files only name the stage; edges to them say nothing about layering
    graph = {
        m: {t for t in imports_of(p, m, modules) if files[t].name != "__init__.py"} for m, p in files.items()
    }
    out = [f"import cycle: {' <-> '.join(c)}" for c in cycles(graph)]
    for m in sorted(modules):
        leaf = m.split(".")
        if len(leaf) == 2 and leaf[1] in KERNEL:
            bad = sorted(t for t in graph[m] if t.count(".") > 1)
            out += [f"kernel module {m} imports stage module {t}" for t in bad]
    for p in files.values():
        n = len(p.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES:
            out.append(f"{p.relative_to(root)} has {n} lines (max {MAX_LINES})")
    top = sorted(p.name for p in (root / PACKAGE).glob("*.py"))
    if len(top) > MAX_TOP_LEVEL:
        out.append(f"{PACKAGE}/ has {len(top)} top-level modules (max {MAX_TOP_LEVEL}): {', '.join(top)}")
    return out


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]
    found = problems(root)
    for line in found:
        print(line)
    print(
        f"layout: {len(found)} problem(s)"
        if found
        else "layout: ok (no import cycles, kernel pure, modules small)"
    )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
