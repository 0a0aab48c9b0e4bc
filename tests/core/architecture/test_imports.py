"""The layout's rules, checked on the source with ``ast`` (imports inside functions count).

1. No import cycle between modules of ``nnbench``.
2. No module of ``nnbench`` imports a plugin package (``nnbench_hf``, ``nnbench_fsspec``, ...).
3. ``nnbench.cli`` imports only the library's public API: ``nnbench`` itself or a feature
   package's ``__init__`` (``nnbench.session``, ``nnbench.store``, ...), never a private name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nnbench

ROOT = Path(nnbench.__file__).parent
PLUGIN_PACKAGES = ("nnbench_hf", "nnbench_fsspec", "nnbench_dask", "nnbench_ray",
                   "nnbench_mlflow", "nnbench_markdown")
#: What the CLI may import: the package, its public modules and feature packages.
PUBLIC = {"nnbench", "nnbench.types", "nnbench.errors", "nnbench.session", "nnbench.context",
          "nnbench.artifacts", "nnbench.compare", "nnbench.store", "nnbench.plugins",
          "nnbench.reporter", "nnbench.executors", "nnbench.measure", "nnbench.redact",
          "nnbench.files", "nnbench.durations", "nnbench.envflags", "nnbench.plan",
          "nnbench.cli", "nnbench.config", "nnbench.compare.upstream"}


def module_name(path: Path, root: Path = ROOT) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_lines(tree: ast.AST) -> set[int]:
    """Line numbers of imports under ``if TYPE_CHECKING:`` (not run, not a dependency)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in ast.walk(node):
                if isinstance(child, (ast.Import, ast.ImportFrom)):
                    lines.add(child.lineno)
    return lines


def imports(path: Path, root: Path = ROOT) -> list[tuple[str, list[str]]]:
    """(module, names) for every import in the file, at any depth, as absolute names."""
    tree = ast.parse(path.read_text())
    skip = _type_checking_lines(tree)
    me = module_name(path, root)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.append((base, [a.name for a in node.names]))
    return found


def graph(root: Path = ROOT) -> dict[str, set[str]]:
    modules = {module_name(p, root): p for p in root.rglob("*.py") if "templates" not in p.parts}
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for target, names in imports(path, root):
            candidates = [f"{target}.{n}" for n in names] + [target]
            for cand in candidates:
                if cand in modules and cand != name:
                    edges[name].add(cand)
                    break
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                raise _Cycle(stack[stack.index(nxt):] + [nxt])
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    try:
        for node in sorted(edges):
            if node not in state:
                visit(node)
    except _Cycle as found:
        return found.modules
    return None


class _Cycle(Exception):
    def __init__(self, modules: list[str]) -> None:
        self.modules = modules


def test_no_import_cycle() -> None:
    assert find_cycle(graph()) is None


def test_core_imports_no_plugin_package() -> None:
    offenders = [
        f"{module_name(p)} imports {target}"
        for p in ROOT.rglob("*.py") if "templates" not in p.parts
        for target, _ in imports(p) if target.split(".")[0] in PLUGIN_PACKAGES
    ]
    assert offenders == []


def test_cli_imports_only_the_public_api() -> None:
    offenders = []
    for path in (ROOT / "cli").rglob("*.py"):
        for target, names in imports(path):
            if not target.startswith("nnbench"):
                continue
            if target.startswith("nnbench.cli"):
                continue
            if target not in PUBLIC:
                offenders.append(f"{module_name(path)} imports {target}")
            offenders += [f"{module_name(path)} imports private {target}.{n}"
                          for n in names if n.startswith("_") and not n.endswith("__")]
    assert offenders == []


def test_the_checker_finds_a_cycle_through_function_imports(tmp_path: Path) -> None:
    """The rule can fail: modules importing each other inside functions are a cycle, while
    an import under ``TYPE_CHECKING`` is not."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from pkg.b import x\n")
    (pkg / "b.py").write_text("from . import c\nx = 1\n")
    (pkg / "c.py").write_text("def g():\n    from pkg import a\n")
    assert find_cycle(graph(pkg)) == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]
    (pkg / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                              "    from pkg import a\n")
    assert find_cycle(graph(pkg)) is None
