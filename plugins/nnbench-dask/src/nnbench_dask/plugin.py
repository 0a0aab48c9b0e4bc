"""The entry point: registers the ``dask`` executor (distributed is imported only when used)."""

from __future__ import annotations

from typing import Any

from nnbench.plugins.hookspecs import hookimpl


def make_executor(target: str | None = None, **options: Any) -> Any:
    """``--executor dask[:TARGET]``: a local cluster, or the scheduler ``TARGET`` names."""
    from nnbench_dask.executor import DaskExecutor

    return DaskExecutor(target, **options)


@hookimpl
def nnbench_register_executors(register: Any) -> None:
    register("dask", make_executor,
             description="units as Dask tasks: a local cluster (dask), or an existing one "
                         "(dask://HOST:PORT, dask:tcp://..., dask:scheduler.json)")
