"""nnbench: benchmark trained machine-learning models.

Exports are loaded lazily so ``import nnbench`` (and ``nnbench --help``) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# Imported eagerly: the function must shadow the submodule of the same name.
from nnbench.memo import memo  # noqa: E402, F401

_EXPORTS = {
    "benchmark": "nnbench.core",
    "parametrize": "nnbench.core",
    "product": "nnbench.core",
    "BenchmarkRunner": "nnbench.runner",
    "Benchmark": "nnbench.types",
    "BenchmarkRecord": "nnbench.types",
    "Parameters": "nnbench.types",
    "Artifact": "nnbench.types",
    "ArtifactLoader": "nnbench.types",
    "LocalArtifactLoader": "nnbench.types",
    "Context": "nnbench.context",
    "hookimpl": "nnbench.hookspecs",
    "resolve": "nnbench.loaders",
    "NNBenchError": "nnbench.errors",
}

__all__ = sorted([*_EXPORTS, "memo"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'nnbench' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
