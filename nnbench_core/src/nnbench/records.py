"""Turning unit events into records: one ``RunInfo`` per loader binding, the lifecycle hooks,
results in collection order, lost and failed units."""

from __future__ import annotations

import bisect
import dataclasses
import time
import uuid
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from nnbench.errors import LoaderError, NNBenchError
from nnbench.types import Benchmark, BenchmarkRecord

if TYPE_CHECKING:
    from nnbench.executors import UnitEvent
    from nnbench.plan import Plan, Unit
    from nnbench.plugins.manager import PluginManager
    from nnbench.resume import StoredRun


@dataclasses.dataclass
class RunInfo:
    """What lifecycle hooks receive about one run (one loader binding)."""

    name: str
    run_id: str
    benchmarks: list[Benchmark]
    context: dict[str, Any]
    results: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    timestamp: float = dataclasses.field(default_factory=time.time)
    positions: dict[int, dict[str, Any]] = dataclasses.field(default_factory=dict, repr=False)
    _order: list[int] = dataclasses.field(default_factory=list, repr=False)

    def add(self, position: int, result: dict[str, Any]) -> None:
        """Keep ``result`` at its place in collection order (a result that arrives again, from
        a retried unit, replaces the first)."""
        order = self._order
        if position in self.positions:
            self.results[bisect.bisect_left(order, position)] = result
        elif not order or position > order[-1]:
            order.append(position)
            self.results.append(result)
        else:
            at = bisect.bisect_left(order, position)
            order.insert(at, position)
            self.results.insert(at, result)
        self.positions[position] = result


class RecordBuilder:
    """Consumes a session's unit events in arrival order and builds its records."""

    def __init__(self, plan: Plan, context: Mapping[str, Any], plugins: PluginManager,
                 kept: Mapping[int, StoredRun] | None = None) -> None:
        self.plan = plan
        self.kept = kept or {}  # binding -> what a resumed run keeps from its first attempt
        self.context = context
        self.plugins = plugins
        self.runs: dict[int, RunInfo] = {}
        self.done: dict[int, BenchmarkRecord] = {}
        self.failures: list[tuple[str, NNBenchError]] = []
        self._on_start = plugins.implements("nnbench_benchmark_start")
        self._on_finish = (plugins.notifier("nnbench_benchmark_finish")
                           if plugins.implements("nnbench_benchmark_finish") else None)
        if not plan.units:  # nothing selected: one empty record, like a run of nothing
            from nnbench.runner import default_run_name

            name = plan.bindings[0].name if plan.bindings else default_run_name()
            self.runs[0] = RunInfo(name, uuid.uuid4().hex, [], dict(context))

    def handle(self, event: UnitEvent) -> BenchmarkRecord | None:
        """Apply one event; returns the binding's record when this event completed it."""
        kind = event.kind
        if kind == "result":  # the common case first: one per benchmark
            run = self.runs.get(event.unit)
            if run is not None and event.result is not None:
                self._add(run, event.position, event.result)
            return None
        unit = self.plan.units[event.unit]
        run = self.runs.get(event.unit)
        if kind == "loaded":
            self._start(event, unit)
        elif kind == "start" and self._on_start and run is not None:
            bm = self.plan.benchmarks[event.position]
            self.plugins.notify("nnbench_benchmark_start", benchmark=bm,
                                parameters=_kwargs(bm, unit), run=run)
        elif kind == "done":
            return self._done(event, unit, run)
        return None

    def _start(self, event: UnitEvent, unit: Unit) -> RunInfo:
        context = dict(self.context)
        context["artifacts"] = event.artifacts or {}
        if event.worker is not None:
            context["execution"] = event.worker
        run = self.runs[event.unit] = RunInfo(unit.run_name, unit.run_id, self.plan.benchmarks,
                                              context)
        previous = self.kept.get(unit.binding)
        for position, result in (previous.results.items() if previous else ()):
            run.add(position, result)  # already in the store: no hook
        self.plugins.notify("nnbench_run_start", run=run)
        return run

    def _add(self, run: RunInfo, position: int, result: dict[str, Any]) -> None:
        run.add(position, result)
        if self._on_finish is not None:
            self._on_finish(result, run, position)

    def _done(self, event: UnitEvent, unit: Unit, run: RunInfo | None) -> BenchmarkRecord | None:
        if event.error is not None and event.error_type == "WorkerDied":
            run = run or self._start(event, unit)  # it may have died before loading
            self._record_lost(run, unit, event)
        elif event.error is not None:
            self._failed(event, unit)
            return None
        if run is None:
            return None
        if event.artifacts is not None:
            run.context["artifacts"] = event.artifacts
        record = self.done[event.unit] = self._finish(run, interrupted=False)
        return record

    def _record_lost(self, run: RunInfo, unit: Unit, event: UnitEvent) -> None:
        """Every benchmark of ``unit`` without a result is failed, with the reason."""
        from nnbench.runner import lost_result

        for position, bm in zip(unit.positions, unit.benchmarks or [], strict=False):
            if position not in run.positions:
                self._add(run, position, lost_result(
                    bm, _kwargs(bm, unit), event.error_type or "WorkerDied",
                    event.error or "the worker was lost"))

    def _failed(self, event: UnitEvent, unit: Unit) -> None:
        binding = self.plan.bindings[unit.binding]
        exc = event.exception if isinstance(event.exception, NNBenchError) else \
            LoaderError(event.error or "the unit failed")
        self.failures.append((binding.label, exc))
        if len(self.plan.units) > 1:
            warnings.warn(f"{binding.label}: {exc}", stacklevel=4)

    def _finish(self, run: RunInfo, interrupted: bool) -> BenchmarkRecord:
        run.context["interrupted"] = interrupted or len(run.results) < len(run.benchmarks)
        record = BenchmarkRecord(run.name, run.context, run.results, run.run_id, run.timestamp)
        self.plugins.notify("nnbench_run_finish", record=record, run=run)
        return record

    def close_open_runs(self) -> None:
        """Finish every run that started but did not end (Ctrl-C): marked interrupted."""
        for index, run in self.runs.items():
            if index not in self.done:
                self.done[index] = self._finish(run, interrupted=bool(self.plan.units))

    def records(self) -> list[BenchmarkRecord]:
        """The records, in binding order."""
        return [self.done[i] for i in sorted(self.done)]


def _kwargs(bm: Benchmark, unit: Unit) -> dict[str, Any]:
    return {n: unit.params[n] for n in bm.interface.names
            if n in unit.params and n not in bm.params}
