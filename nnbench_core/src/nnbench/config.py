"""``[tool.nnbench]`` in ``pyproject.toml``: a team's benchmark profile, committed once.

The CLI reads the first ``pyproject.toml`` found walking up from the working directory
(stopping at the home folder). Every key is optional::

    [tool.nnbench]
    log-level = "INFO"                # the ``nnbench`` logger's level (as upstream nnbench)
    store = ".nnbench/results.db"     # --store of run, compare, runs, report
    outputs = ["results.json"]        # -o of nnbench run
    executor = "processes:2"          # --executor of nnbench run
    loaders = ["model=./models/a"]    # --loader of nnbench run

    [tool.nnbench.context.myctx]      # a context provider, as upstream nnbench documents
    name = "myctx"                    # optional: the table's name
    classpath = "nnbench.context.PythonInfo"
    arguments = { packages = ["rich"] }

The command line wins over the table (a list given there replaces the table's), and
``NNBENCH_STORE`` wins over ``store``. A provider is a class (instantiated with ``arguments``)
or a function returning a mapping, merged into every run's context.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from nnbench.errors import UsageError

LOG_LEVELS = ("NOTSET", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_LISTS = ("outputs", "loaders")
_STRINGS = ("store", "executor")
_KNOWN = ("log-level", *_STRINGS, *_LISTS, "context", "jsonifier")


@dataclasses.dataclass(frozen=True)
class ProviderDef:
    """A context provider named in ``[tool.nnbench.context.NAME]``."""

    name: str
    classpath: str
    arguments: dict[str, Any] = dataclasses.field(default_factory=dict)
    table: str = ""
    root: str = ""

    def load(self) -> Callable[[], Mapping[str, Any]]:
        """The provider as a callable: the class instantiated with ``arguments``, or the
        function. Fails (``UsageError``) when the class path does not import or fit."""
        target = import_object(self.classpath, self.table, self.root)
        if isinstance(target, type):
            try:
                provider = target(**self.arguments)
            except Exception as exc:
                raise UsageError(f"{self.table}: {self.classpath}({_args(self.arguments)}) "
                                 f"failed: {type(exc).__name__}: {exc}; fix 'arguments'") from None
        elif self.arguments:
            raise UsageError(f"{self.table}: {self.classpath} is a function, which takes no "
                             "arguments; remove 'arguments' or point classpath at a class")
        else:
            provider = target
        if not callable(provider):
            raise UsageError(f"{self.table}: {self.classpath} is not callable; give a class "
                             "or a function returning a mapping")
        return provider


def _args(arguments: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in arguments.items())


def import_object(classpath: str, table: str = "", root: str = "") -> Any:
    """``module.attribute`` imported, with ``root`` (the project's folder) on ``sys.path``."""
    import importlib

    module_name, _, attribute = classpath.rpartition(".")
    if not module_name or not attribute:
        raise UsageError(f"{table}: classpath {classpath!r} is not a dotted path like "
                         "'package.module.Class'")
    if root and root not in sys.path:
        sys.path.insert(0, root)
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except Exception as exc:
        raise UsageError(f"{table}: cannot import {classpath} ({type(exc).__name__}: {exc}); "
                         "check classpath and install what it needs") from None


@dataclasses.dataclass(frozen=True)
class Config:
    """The ``[tool.nnbench]`` table read from ``path`` (None: no ``pyproject.toml``)."""

    path: Path | None = None
    log_level: str = "NOTSET"
    store: str | None = None
    outputs: tuple[str, ...] = ()
    executor: str | None = None
    loaders: tuple[str, ...] = ()
    context: tuple[ProviderDef, ...] = ()

    def providers(self) -> list[Callable[[], Mapping[str, Any]]]:
        """The context providers, loaded now (so a bad class path fails before a run); one
        that raises while a run starts is a warning and gives nothing."""
        return [_Safe(d.name, d.load()) for d in self.context]


class _Safe:
    def __init__(self, name: str, provider: Callable[[], Mapping[str, Any]]) -> None:
        self.name, self.provider = name, provider

    def __call__(self) -> Mapping[str, Any]:
        try:
            value = self.provider()
            if not isinstance(value, Mapping):
                raise TypeError(f"returned {type(value).__name__}, not a mapping")
            return value
        except Exception as exc:
            import warnings

            warnings.warn(f"context provider {self.name!r} failed: {type(exc).__name__}: "
                          f"{exc}", stacklevel=2)
            return {}


def find_pyproject(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The first ``pyproject.toml`` from ``start`` (the working directory) upwards, not
    above the home folder."""
    here = Path(start or os.getcwd()).resolve()
    home = Path.home()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
        if folder == home:
            break
    return None


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """The ``[tool.nnbench]`` table of ``path`` (found with :func:`find_pyproject` when None);
    an empty ``Config`` without one. A bad table raises ``UsageError`` naming the key."""
    found = Path(path) if path is not None else find_pyproject()
    if found is None:
        return Config()
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with open(found, "rb") as fh:
            document = tomllib.load(fh)
    except OSError as exc:
        raise UsageError(f"cannot read {found}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{found} is not valid TOML ({exc}); fix the file") from None
    table = document.get("tool", {}).get("nnbench", {})
    return parse_config(table, found)


def parse_config(table: Any, path: Path | None = None) -> Config:
    """A ``Config`` from a ``[tool.nnbench]`` table (already parsed TOML)."""
    where = f"[tool.nnbench] in {path}" if path else "[tool.nnbench]"
    if not isinstance(table, Mapping):
        raise UsageError(f"{where}: expected a table, got {type(table).__name__}")
    unknown = sorted(set(table) - set(_KNOWN))
    if unknown:
        raise UsageError(f"{where}: unknown key {unknown[0]!r}; known keys: {', '.join(_KNOWN)}")
    level = table.get("log-level", "NOTSET")
    if not isinstance(level, str) or level.upper() not in LOG_LEVELS:
        raise UsageError(f"{where}: log-level {level!r}: use one of {', '.join(LOG_LEVELS)}")
    values: dict[str, Any] = {"path": path, "log_level": level.upper()}
    for key in _STRINGS:
        if key in table:
            if not isinstance(table[key], str) or not table[key]:
                raise UsageError(f"{where}: {key} must be a non-empty string, got "
                                 f"{table[key]!r}")
            values[key] = table[key]
    for key in _LISTS:
        if key in table:
            items = table[key]
            if isinstance(items, str):
                items = [items]
            if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
                raise UsageError(f"{where}: {key} must be a list of strings, got {items!r}")
            values[key] = tuple(items)
    values["context"] = _providers(table.get("context", {}), where, path)
    return Config(**values)


def _providers(tables: Any, where: str, path: Path | None) -> tuple[ProviderDef, ...]:
    if not isinstance(tables, Mapping):
        raise UsageError(f"{where}: context must be tables [tool.nnbench.context.NAME], got "
                         f"{type(tables).__name__}")
    root = str(path.parent) if path else ""
    found = []
    for key, entry in tables.items():
        table = f"[tool.nnbench.context.{key}]" + (f" in {path}" if path else "")
        if not isinstance(entry, Mapping):
            raise UsageError(f"{table}: expected a table with classpath (and optionally name, "
                             "arguments)")
        extra = sorted(set(entry) - {"name", "classpath", "arguments"})
        if extra:
            raise UsageError(f"{table}: unknown key {extra[0]!r}; use name, classpath, arguments")
        classpath, name = entry.get("classpath"), entry.get("name", key)
        arguments = entry.get("arguments", {})
        if not isinstance(classpath, str) or not classpath:
            raise UsageError(f"{table}: classpath must be a dotted path like "
                             "'nnbench.context.PythonInfo'")
        if not isinstance(name, str) or not name:
            raise UsageError(f"{table}: name must be a non-empty string")
        if not isinstance(arguments, Mapping):
            raise UsageError(f"{table}: arguments must be a table, e.g. "
                             "arguments = { packages = [\"rich\"] }")
        found.append(ProviderDef(name, classpath, dict(arguments), table, root))
    return tuple(found)


def set_log_level(level: str) -> None:
    """Give the ``nnbench`` logger ``level`` and a stderr handler (nothing for NOTSET)."""
    import logging

    if level.upper() not in LOG_LEVELS:
        raise UsageError(f"--log-level {level}: use one of {', '.join(LOG_LEVELS)}")
    level = level.upper()
    if level == "NOTSET":
        return
    logger = logging.getLogger("nnbench")
    logger.setLevel(level)
    if not any(getattr(h, "_nnbench", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[{levelname} {name}] {message}", style="{"))
        handler._nnbench = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


__all__ = ["Config", "LOG_LEVELS", "ProviderDef", "find_pyproject", "import_object",
           "load_config", "parse_config", "set_log_level"]
