"""nnbench on Ray: ``--executor ray`` (a local instance), ``ray:auto``, ``ray:HOST:PORT`` or
``ray://HOST:10001`` (an existing cluster)."""

from __future__ import annotations

from typing import Any

__all__ = ["RayExecutor"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:  # lazy, so plugin discovery does not import ray
    if name == "RayExecutor":
        from nnbench_ray.executor import RayExecutor

        return RayExecutor
    raise AttributeError(f"module 'nnbench_ray' has no attribute {name!r}")
