"""nnbench: benchmark trained machine-learning models.

Exports are loaded lazily so ``import nnbench`` (and ``nnbench --help``) stays fast.
"""

from __future__ import annotations

import sys
import types as _types  # not `types`: importing nnbench.types rebinds that name
from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# Imported eagerly: the function must shadow the submodule of the same name.
from nnbench.memo import memo  # noqa: E402, F401

_EXPORTS = {
    "benchmark": "nnbench.decorators",
    "parametrize": "nnbench.decorators",
    "product": "nnbench.decorators",
    "Session": "nnbench.session",
    "BenchmarkRunner": "nnbench.session",
    "Benchmark": "nnbench.types",
    "BenchmarkRecord": "nnbench.types",
    "Parameters": "nnbench.types",
    "Samples": "nnbench.samples",
    "Artifact": "nnbench.artifacts",
    "ArtifactLoader": "nnbench.artifacts",
    "LocalArtifactLoader": "nnbench.artifacts",
    "Context": "nnbench.context",
    "PluginManager": "nnbench.plugins",
    "hookimpl": "nnbench.plugins",
    "resolve": "nnbench.artifacts",
    "NNBenchError": "nnbench.errors",
    "BenchmarkResult": "nnbench.types",
    "collect": "nnbench.functional",
    "run": "nnbench.functional",
}

__all__ = sorted([*_EXPORTS, "memo"])


#: Subpackages reachable as attributes after a bare ``import nnbench`` (loaded on first use).
_SUBMODULES = frozenset({"artifacts", "compare", "context", "errors", "executors", "measure",
                         "plugins", "reporter", "session", "store", "types"})


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        value = import_module(f"nnbench.{name}")
        globals()[name] = value
        return value
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'nnbench' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(_types.ModuleType):
    """``nnbench.collect`` stays the function (upstream's API) after the submodule of the same
    name is imported: the import system would bind the module to the package's attribute."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "collect" and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
