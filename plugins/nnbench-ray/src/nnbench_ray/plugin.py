"""The entry point: registers the ``ray`` executor (ray is imported only when used)."""

from __future__ import annotations

from typing import Any

from nnbench.plugins.hookspecs import hookimpl


def make_executor(target: str | None = None, **options: Any) -> Any:
    """``--executor ray[:TARGET]``: a local instance, or the cluster ``TARGET`` names."""
    from nnbench_ray.executor import RayExecutor

    return RayExecutor(target, **options)


@hookimpl
def nnbench_register_executors(register: Any) -> None:
    register("ray", make_executor,
             description="units as Ray tasks with their GPU/CPU/custom resources: a local "
                         "instance (ray), or an existing cluster (ray:auto, ray:HOST:PORT, "
                         "ray://HOST:10001)")
