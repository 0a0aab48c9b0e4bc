"""The entry point: registers a loader for every protocol fsspec knows."""

from __future__ import annotations

from typing import Any

from nnbench.hookspecs import hookimpl

from nnbench_fsspec.protocols import describe, protocols


@hookimpl
def nnbench_register_loaders(register: Any) -> None:
    from nnbench_fsspec.factory import make_loader

    for protocol in protocols():
        register(protocol, make_loader, description=describe(protocol))
