"""The serial executor: every unit in this process, one after another (the default)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from nnbench.executors.events import UnitEvent
from nnbench.runner import run_unit, worker_facts

if TYPE_CHECKING:
    from nnbench.plan import Unit
    from nnbench.plugins.manager import PluginManager


class SerialExecutor:
    """Runs units in order in the calling process; frees artifacts the next unit does not use."""

    name = "serial"

    def __init__(self, target: str | None = None, *, plugins: PluginManager | None = None,
                 **options: Any) -> None:
        if target:
            from nnbench.errors import UsageError

            raise UsageError(f"--executor serial:{target}: the serial executor takes no target")
        self.plugins = plugins

    def run(self, units: list[Unit]) -> Iterator[UnitEvent]:
        worker = worker_facts(self.name)
        announce = self.plugins is None or self.plugins.implements("nnbench_benchmark_start")
        for i, unit in enumerate(units):
            try:
                yield from run_unit(unit, i, plugins=self.plugins, worker=worker,
                                    announce=announce)
            finally:
                _release_unshared(unit, units[i + 1] if i + 1 < len(units) else None)

    def close(self) -> None:
        pass


def _release_unshared(unit: Unit, upcoming: Unit | None) -> None:
    """Free this unit's artifacts that the next one does not use, before it loads its own."""
    keep = {id(a) for a in upcoming.artifacts().values()} if upcoming is not None else set()
    for artifact in unit.artifacts().values():
        if id(artifact) not in keep:
            artifact.release()
