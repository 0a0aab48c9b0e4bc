"""nnbench on Dask: ``--executor dask`` (a local cluster) or ``dask://HOST:PORT`` (an existing one)."""

from __future__ import annotations

from typing import Any

__all__ = ["DaskExecutor"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:  # lazy, so plugin discovery does not import distributed
    if name == "DaskExecutor":
        from nnbench_dask.executor import DaskExecutor

        return DaskExecutor
    raise AttributeError(f"module 'nnbench_dask' has no attribute {name!r}")
