"""``Session``: the run pipeline a CLI, a script and a cluster driver share.

collect -> plan (units: one loader binding each, checked before anything runs) -> executor
(serial, processes, dask, ray) -> each result streamed to the store, progress and plugins as it
arrives -> one :class:`BenchmarkRecord` per loader binding, results in collection order.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any

from nnbench.errors import NNBenchError
from nnbench.store.location import DEFAULT_STORE
from nnbench.types import Benchmark, BenchmarkRecord, Parameters

if TYPE_CHECKING:  # imported where used, so `import nnbench` stays fast
    from nnbench.context import ContextLike
    from nnbench.executors import Executor
    from nnbench.plan import BenchmarkSource, Plan
    from nnbench.plugins.manager import PluginManager
    from nnbench.resume import StoredRun


Target = str | os.PathLike[str] | ModuleType | Benchmark | list[Benchmark]

_DEFAULT = object()


class Session:
    """Plans units, runs them on an executor, streams results to the store and reporters.

    ``plugins``: the plugin manager (the default one when None). ``store``: a results store
    path or ``sqlite:///`` URI (default ``.nnbench/results.db``; ``None`` for none).
    ``executor``: a name (``"serial"``, ``"processes:4"``, ``"dask://host:8786"``) or an
    executor object. ``outputs``: destinations every record is written to after the run
    (``results.json``, ``s3://...``). ``progress``: show a live progress display on stderr.

    After ``run()``, ``failures`` lists the bindings that could not run (label, error): with
    several loaders a loader error skips only its binding.
    """

    def __init__(self, *, plugins: PluginManager | None = None, store: Any = _DEFAULT,
                 executor: str | Executor = "serial", outputs: Iterable[str] = (),
                 progress: bool = False) -> None:
        if plugins is None:
            from nnbench.plugins.manager import get_plugin_manager

            plugins = get_plugin_manager()
        self.plugins = plugins
        self.store = DEFAULT_STORE if store is _DEFAULT else store
        self.executor = executor
        self.outputs = list(outputs)
        self.progress = progress
        self.failures: list[tuple[str, NNBenchError]] = []
        self.last_plan: Plan | None = None

    # -- collection and planning ------------------------------------------------------------
    def collect(self, paths: Iterable[Target], tags: Iterable[str] = ()) -> list[Benchmark]:
        """Collect afresh (every call), keep those matching ``tags``, let plugins modify."""
        from nnbench.plan import BenchmarkSource

        return self._collect(BenchmarkSource.of(_targets(paths)), tuple(tags))[1]

    def _collect(self, source: BenchmarkSource,
                 tags: tuple[str, ...]) -> tuple[list[Benchmark], list[Benchmark]]:
        from nnbench.collect import check_unique_names
        from nnbench.plan import select

        everything = source.collect()
        selected = select(everything, tags)
        self.plugins.hook.nnbench_collection_modifyitems(benchmarks=selected,
                                                         config={"tags": tags})
        check_unique_names(selected)
        return everything, selected

    def plan(self, paths: Target | Iterable[Target], *,
             params: Mapping[str, Any] | Parameters | None = None, tags: Iterable[str] = (),
             loaders: Iterable[str] = (), name: str | None = None,
             options: Mapping[str, Any] | None = None, ship: bool = False) -> Plan:
        """Collect and bind everything; bad input raises here, before anything runs.

        ``ship`` packs the benchmark files' content into the units, for executors whose
        workers may not share this file system (``executor.ships_code``).
        """
        from nnbench.plan import BenchmarkSource, make_plan
        from nnbench.runner import default_run_name

        source = BenchmarkSource.of(_targets(paths))
        if ship:
            source = source.pack()  # the code as the plan saw it, before collection imports it
        everything, selected = self._collect(source, tuple(tags))
        raw = params.to_dict() if isinstance(params, Parameters) else dict(params or {})
        from nnbench.fixtures import resolve_fixtures  # conf.py values for open parameters

        fixed = resolve_fixtures(source.targets if source.live is None else source.live,
                                 everything, selected, raw, _loader_names(loaders, selected),
                                 root=source.root)
        plan = make_plan(source, fixed.everything, fixed.selected, fixed.params, loaders,
                         name=name or default_run_name(),
                         run_ids=iter(lambda: uuid.uuid4().hex, None), options=options,
                         plugins=self.plugins)
        fixed.attach(plan.units)  # a worker process evaluates the fixtures again
        return plan

    # -- running ----------------------------------------------------------------------------
    def run(self, paths: Target | Iterable[Target], *,
            params: Mapping[str, Any] | Parameters | None = None, tags: Iterable[str] = (),
            loaders: Iterable[str] = (), context: ContextLike = None, name: str | None = None,
            options: Mapping[str, Any] | None = None,
            on_record: Callable[[BenchmarkRecord], None] | None = None,
            resume: str | None = None) -> list[BenchmarkRecord]:
        """Run and return one record per loader binding (one when no loader is given).

        ``on_record`` is called with each record as its binding finishes (e.g. to print it).
        ``resume`` names a stored run (name or id) to continue: what completed there is kept,
        the rest runs into the same store entries (see ``nnbench.resume``).
        """
        from nnbench.executors import make_executor

        self.check_outputs()
        stored = self._stored_run(resume) if resume else None
        if stored is not None:
            name = stored[0]
        executor = make_executor(self.executor, self.plugins)  # a bad target fails here
        try:
            plan = self.last_plan = self.plan(
                paths, params=params, tags=tags, loaders=loaders, name=name, options=options,
                ship=getattr(executor, "ships_code", False))
            kept = None
            if stored is not None:
                from nnbench.resume import apply

                kept = apply(plan, stored[1])
        except BaseException:
            executor.close()
            raise
        if not plan.benchmarks:
            warnings.warn(f"no benchmarks selected in {', '.join(map(str, _targets(paths)))}"
                          + (f" with tags {list(tags)}" if tags else ""), stacklevel=2)
        from nnbench.context import build_context

        ctx = build_context(context, self.plugins)
        records, store_error = self._execute(plan, ctx, executor, on_record, kept)
        if self.outputs:
            from nnbench.reporter.dispatch import write_all
            from nnbench.store.location import run_store

            with run_store(self.store):  # a report draws its history from this run's store
                write_all(records, self.outputs, self.plugins)
        if store_error is not None:  # the records and outputs are complete all the same
            raise store_error
        return records

    def check_outputs(self) -> None:
        """Every output has a reporter and a writable place, and the store's folder exists
        (only the default ``.nnbench/`` is created), before anything runs."""
        from nnbench.reporter.files import check_writable
        from nnbench.store.location import store_path

        if self.store is not None and os.fspath(self.store) != DEFAULT_STORE:
            check_writable(os.fspath(store_path(os.fspath(self.store))), os.fspath(self.store))
        if not self.outputs:
            return
        from nnbench.reporter.dispatch import check_destination

        for out in self.outputs:
            check_destination(out, self.plugins)
            if out.lower().startswith("sqlite:///"):
                check_writable(os.fspath(store_path(out)), out)
            elif "://" not in out:
                check_writable(out)

    def _stored_run(self, ref: str) -> tuple[str, dict[str, Any]]:
        """The base name and stored runs of the run to resume."""
        from nnbench.errors import UsageError
        from nnbench.resume import load
        from nnbench.store.results import ResultsStore, store_path

        if self.store is None:
            raise UsageError("--resume continues a run in the results store; drop --no-store")
        store = ResultsStore(store_path(os.fspath(self.store)), create=False)
        try:
            return load(store, ref)
        finally:
            store.close()

    def _execute(self, plan: Plan, ctx: dict[str, Any], executor: Executor,
                 on_record: Callable[[BenchmarkRecord], None] | None,
                 kept: dict[int, StoredRun] | None = None,
                 ) -> tuple[list[BenchmarkRecord], NNBenchError | None]:
        """Feed every executor event to the record builder (and the progress display); the
        records, and the live store's failure to raise once the outputs are written."""
        from nnbench.executors import UnitEvent
        from nnbench.records import RecordBuilder

        live = self._attach()  # before the builder asks which hooks are implemented
        builder = RecordBuilder(plan, ctx, self.plugins, kept)
        # Units with nothing left to run (a resumed binding that completed) are not sent out.
        todo = [i for i, unit in enumerate(plan.units)
                if unit.names or kept is None or unit.binding not in kept]
        for index in set(range(len(plan.units))) - set(todo):
            artifacts = kept[plan.units[index].binding].context.get("artifacts", {})
            for kind in ("loaded", "done"):
                record = builder.handle(UnitEvent(kind, index, artifacts=artifacts))
            if record is not None and on_record is not None:
                on_record(record)
        display = None
        if self.progress:
            from nnbench.reporter.progress import ProgressDisplay

            display = ProgressDisplay()
            display.start(plan)
        events = executor.run([plan.units[i] for i in todo])
        try:
            for event in events:
                event.unit = todo[event.unit]
                if display is not None:
                    display.update(event)
                record = builder.handle(event)
                if record is not None and on_record is not None:
                    on_record(record)
        finally:
            _close(events)
            builder.close_open_runs()
            if display is not None:
                display.stop()
            store_error = self._detach(live)
            executor.close()
        self.failures = builder.failures
        if len(plan.units) == 1 and self.failures:
            raise self.failures[0][1]
        return builder.records(), store_error

    def _attach(self) -> dict[str, Any]:
        """Register the run's live plugins (the results store) by name."""
        live: dict[str, Any] = {}
        if self.store is not None:
            from nnbench.store.live import LiveStorePlugin
            from nnbench.store.results import ResultsStore, store_path

            live["results-store"] = LiveStorePlugin(ResultsStore(store_path(os.fspath(self.store))))
        for name, plugin in live.items():
            self.plugins.register(plugin, name)
        return live

    def _detach(self, live: dict[str, Any]) -> NNBenchError | None:
        """Unregister and close the live plugins; the first close that failed, if any."""
        error = None
        for name, plugin in live.items():
            self.plugins.unregister(name)
            close = getattr(plugin, "close", None)
            try:
                if close is not None:
                    close()
            except NNBenchError as exc:
                error = error or exc
        return error


def _targets(paths: Target | Iterable[Target]) -> list[Target]:
    """One target or several; a list of benchmarks (a family) is one target."""
    if isinstance(paths, (str, os.PathLike, ModuleType, Benchmark)):
        return [paths]
    items = list(paths)
    if items and all(isinstance(i, Benchmark) for i in items):
        return [items]  # type: ignore[list-item]
    return items


def _loader_names(loaders: Iterable[str], selected: list[Benchmark]) -> list[str]:
    """The parameters ``--loader`` values bind (they take no ``conf.py`` fixture)."""
    loaders = list(loaders)
    if not loaders:
        return []
    from nnbench.binding import artifact_params
    from nnbench.plan import assign_loaders

    with warnings.catch_warnings():  # make_plan warns about an ambiguous binding once
        warnings.simplefilter("ignore")
        return list(assign_loaders(loaders, list(artifact_params(selected))))


def _close(events: Any) -> None:
    close = getattr(events, "close", None)
    if close is not None:
        close()


class BenchmarkRunner:
    """Runs benchmarks from a file, directory or module and returns one ``BenchmarkRecord``.

    The seed API, kept as it was: a :class:`Session` without a results store, with the serial
    executor. ``plugins`` defaults to the default plugin manager.
    """

    def __init__(self, plugins: PluginManager | None = None) -> None:
        self.session = Session(plugins=plugins, store=None)
        self.benchmarks: list[Benchmark] = []

    @property
    def plugins(self) -> PluginManager:
        return self.session.plugins

    def collect(self, path_or_module: Target, tags: Iterable[str] = ()) -> list[Benchmark]:
        """Collect afresh (every call), keep those matching ``tags``, let plugins modify."""
        self.benchmarks = self.session.collect([path_or_module], tags)
        return self.benchmarks

    def run(self, path_or_module: Target, params: Mapping[str, Any] | Parameters | None = None,
            tags: Iterable[str] = (), context: ContextLike = None, name: str | None = None,
            options: Mapping[str, Any] | None = None) -> BenchmarkRecord:
        """Run the benchmarks; a failing one is recorded and the others still run.

        ``options`` override every benchmark's measurement options (``repeat``, ``warmup``).
        """
        records = self.session.run([path_or_module], params=params, tags=tags, context=context,
                                   name=name, options=options)
        plan = self.session.last_plan
        self.benchmarks = plan.benchmarks if plan else []
        return records[0]


__all__ = ["BenchmarkRunner", "Session"]
