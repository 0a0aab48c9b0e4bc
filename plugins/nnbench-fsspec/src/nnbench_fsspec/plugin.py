"""The entry point: registers a loader for every protocol fsspec knows."""

from __future__ import annotations

from typing import Any

from nnbench.plugins.hookspecs import hookimpl

from nnbench_fsspec.protocols import describe, protocols


def make_loader(spec: Any, **kwargs: Any) -> Any:
    """The registered factory; imports the loader machinery only when a spec is resolved."""
    from nnbench_fsspec.factory import make_loader as make

    return make(spec, **kwargs)


@hookimpl
def nnbench_register_loaders(register: Any) -> None:
    for protocol in protocols():
        register(protocol, make_loader, description=describe(protocol))
