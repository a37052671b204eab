"""No import cycle among the modules of `verifier/`.

Every module's imports are read with `ast` (all of them: module level, under `if TYPE_CHECKING:` and inside
functions, since a late import only hides a cycle), relative imports are resolved against the module's
package, and the graph of imports between `verifier` modules is searched for strongly connected components.
An edge goes to the module named by the import (`from .dates import mentions` goes to `dates.mentions` when
that is a module, else to the `dates` package); a package's own `__init__` is not implied by importing one
of its submodules, which is how Python resolves it without a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "verifier"


def module_names(root: Path = PACKAGE) -> dict[str, Path]:
    """Dotted name -> file of every module under `root` (a package's name stands for its `__init__.py`)."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def imports_of(name: str, path: Path, modules: set[str]) -> set[str]:
    """The `verifier` modules that module `name` (file `path`) imports anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                if node.module:
                    base.append(node.module)
                source = ".".join(base)
            else:
                source = node.module or ""
            targets = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # `import verifier.checks.dates.compare as x` and the like
                target = target.rpartition(".")[0]
            if target:
                found.add(target)
    return found


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    files = module_names(root)
    return {name: imports_of(name, path, set(files)) for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module, and modules that import themselves (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
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
            if len(component) > 1 or v in graph[v]:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle_and_a_self_loop():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"a"}, "b": set()}) == [["a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_relative_imports_resolve_against_the_package(tmp_path):
    pkg = tmp_path / "verifier"
    (pkg / "checks" / "dates").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "settings.py").write_text("")
    (pkg / "checks" / "__init__.py").write_text("from .dates import check_dates\n")
    (pkg / "checks" / "findings.py").write_text("")
    (pkg / "checks" / "dates" / "__init__.py").write_text("from .compare import check_dates\n")
    (pkg / "checks" / "dates" / "compare.py").write_text(
        "from ...settings import Settings\nfrom ..findings import Finding\n"
        "def f():\n    from . import mentions\n"
    )
    (pkg / "checks" / "dates" / "mentions.py").write_text("import verifier.checks.dates.compare\n")
    graph = import_graph(pkg)
    assert graph["verifier.checks"] == {"verifier.checks.dates"}
    assert graph["verifier.checks.dates"] == {"verifier.checks.dates.compare"}
    assert graph["verifier.checks.dates.compare"] == {
        "verifier.settings", "verifier.checks.findings", "verifier.checks.dates.mentions"}
    assert cycles(graph) == [["verifier.checks.dates.compare", "verifier.checks.dates.mentions"]]


def test_no_import_cycle_in_verifier():
    found = cycles(import_graph())
    assert not found, "import cycles among verifier modules: " + "; ".join(" <-> ".join(c) for c in found)
