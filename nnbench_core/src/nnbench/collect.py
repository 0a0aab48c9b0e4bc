"""Find benchmarks in a ``.py`` file, a directory (recursively) or an importable module."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

from nnbench.errors import CollectionError
from nnbench.types import Benchmark

_SKIP_DIRS = {"__pycache__", "node_modules", "site-packages", "build", "dist"}
_SKIP_FILES = {"conftest.py", "setup.py", "__init__.py"}


def benchmarks_in(obj: Any) -> list[Benchmark]:
    """Benchmarks held by a module's globals, directly or in lists/tuples (families)."""
    found: list[Benchmark] = []
    seen: set[int] = set()
    values = vars(obj).values() if isinstance(obj, ModuleType) else [obj]
    for value in values:
        items = value if isinstance(value, (list, tuple)) else [value]
        for item in items:
            if isinstance(item, Benchmark) and id(item) not in seen:
                seen.add(id(item))
                found.append(item)
    return found


def check_unique_names(benchmarks: list[Benchmark]) -> None:
    """Raise ``CollectionError`` when two benchmarks share a full name: their results would be
    indistinguishable (``compare`` matches rows by name)."""
    first: dict[str, Benchmark] = {}
    seen: set[str] = set()
    for bm in benchmarks:
        other = first.setdefault(bm.name, bm)
        if other is bm and bm.name in seen:
            raise CollectionError(f"benchmark {bm.name!r} ({_where(bm)}) is collected twice; "
                                  "give each file, folder or module once")
        seen.add(bm.name)
        if other is not bm:
            raise CollectionError(
                f"two benchmarks are named {bm.name!r} ({_where(other)} and {_where(bm)}); "
                "rename one (@nnbench.benchmark(name=...)) or collect only one of them")


def _where(bm: Benchmark) -> str:
    code = getattr(bm.fn, "__code__", None)
    if code is None:
        return bm.function
    return f"{Path(code.co_filename).name}:{code.co_firstlineno}"


def python_files(directory: Path, private: bool = False) -> list[Path]:
    """``*.py`` below ``directory``, sorted, skipping hidden/private names and build dirs.

    ``private=True`` keeps ``_private.py``, ``__init__.py`` and ``conftest.py`` files and
    ``_private`` folders too: every module a benchmark file may import.
    """
    skip = (".",) if private else (".", "_")
    files = []
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith(skip) and d not in _SKIP_DIRS
                         and d != "__pycache__")
        for name in sorted(names):
            if name.endswith(".py") and not name.startswith(skip) and (
                    private or name not in _SKIP_FILES):
                files.append(Path(root) / name)
    return files


def import_file(path: Path) -> ModuleType:
    """Import a file as a module; its directory goes on ``sys.path`` for sibling imports."""
    path = path.resolve()
    directory = str(path.parent)
    if directory not in sys.path:
        sys.path.insert(0, directory)
    name = path.stem
    existing = sys.modules.get(name)
    if existing is not None:
        if getattr(existing, "__file__", None) and Path(existing.__file__).resolve() == path:
            return existing
        digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
        name = f"nnbench_collected_{digest}_{path.stem}"
        if name in sys.modules:
            return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CollectionError(f"cannot import {path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        sys.modules.pop(name, None)
        raise CollectionError(
            f"syntax error in {exc.filename or path}, line {exc.lineno}: {exc.msg}; fix the file"
        ) from exc
    except SystemExit as exc:
        sys.modules.pop(name, None)
        raise CollectionError(
            f"cannot import {path}: it calls sys.exit({exc.code!r}) at import time; move that "
            "under `if __name__ == \"__main__\":`"
        ) from None
    except Exception as exc:
        sys.modules.pop(name, None)
        line = _line_in(exc, path)
        where = f"{path}, line {line}" if line else str(path)
        raise CollectionError(
            f"cannot import {where}: {type(exc).__name__}: {exc}; fix the file or install what "
            f"it imports"
        ) from exc
    return module


def _line_in(exc: BaseException, path: Path) -> int | None:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and Path(frame.filename).resolve() == path:
            line = frame.lineno
    return line


def collect(target: str | os.PathLike[str] | ModuleType) -> list[Benchmark]:
    """All benchmarks in ``target``: a module object, a file, a directory or a module name."""
    if isinstance(target, ModuleType):
        return benchmarks_in(target)
    text = os.fspath(target)
    path = Path(text)
    if path.is_dir():
        found: list[Benchmark] = []
        for file in python_files(path):
            found.extend(benchmarks_in(import_file(file)))
        return found
    if path.is_file():
        return benchmarks_in(import_file(path))
    if text.endswith(".py") or os.sep in text or "/" in text:
        raise CollectionError(f"benchmark path {text} does not exist; check the path")
    try:
        module = importlib.import_module(text)
    except ModuleNotFoundError as exc:
        raise CollectionError(
            f"{text!r} is neither a path nor an importable module ({exc}); check the name"
        ) from exc
    return benchmarks_in(module)
