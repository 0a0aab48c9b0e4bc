"""The executor contract: take a plan's units, run each in one worker, report as it goes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from nnbench.executors.events import UnitEvent
    from nnbench.plan import Unit


@runtime_checkable
class Executor(Protocol):
    """Runs units; registered with ``nnbench_register_executors`` as ``factory(target, **opts)``.

    ``run(units)`` yields :class:`UnitEvent` objects as they happen, in any order; the session
    puts results back in collection order. Each unit runs in one worker process (its artifacts
    load there once, ``@nnbench.memo`` is shared inside it). Closing the iterator early
    (Ctrl-C) cancels outstanding work. ``close()`` frees what the executor started.
    """

    name: str
    #: True when workers may not share the driver's file system: the session then ships the
    #: benchmark files' content in the units (optional attribute; False when absent).
    ships_code: bool

    def run(self, units: list[Unit]) -> Iterator[UnitEvent]: ...

    def close(self) -> None: ...
