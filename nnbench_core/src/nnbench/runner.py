"""Collect benchmarks, check parameters, run each one in isolation, build a record."""

from __future__ import annotations

import dataclasses
import os
import time
import traceback
import uuid
import warnings
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import Any

from nnbench.binding import bind_artifacts, check_params
from nnbench.collect import collect
from nnbench.context import Context
from nnbench.jsonsafe import to_jsonable
from nnbench.memo import memo_scope
from nnbench.timing import measure
from nnbench.types import Artifact, Benchmark, BenchmarkRecord, Parameters

ContextLike = Context | Mapping[str, Any] | Callable[[], Mapping[str, Any]] | Iterable[Any] | None


@dataclasses.dataclass
class RunInfo:
    """What lifecycle hooks receive about the current run."""

    name: str
    run_id: str
    benchmarks: list[Benchmark]
    context: dict[str, Any]
    results: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    timestamp: float = dataclasses.field(default_factory=time.time)


def select(benchmarks: list[Benchmark], tags: Iterable[str]) -> list[Benchmark]:
    """Benchmarks carrying at least one of ``tags`` (all of them when no tag is given)."""
    wanted = set(tags)
    if not wanted:
        return list(benchmarks)
    return [b for b in benchmarks if wanted.intersection(b.tags)]


def default_run_name() -> str:
    return time.strftime("run-%Y%m%d-%H%M%S")


class BenchmarkRunner:
    """Runs benchmarks from a file, directory or module and returns a ``BenchmarkRecord``.

    ``plugins`` defaults to the process-wide plugin manager (discovered on first run).
    """

    def __init__(self, plugins: Any = None) -> None:
        self._plugins = plugins
        self.benchmarks: list[Benchmark] = []

    @property
    def plugins(self) -> Any:
        if self._plugins is None:
            from nnbench.plugins import get_plugin_manager

            self._plugins = get_plugin_manager()
        return self._plugins

    def collect(self, path_or_module: str | os.PathLike[str] | ModuleType,
                tags: Iterable[str] = ()) -> list[Benchmark]:
        """Collect afresh (every call), keep those matching ``tags``, let plugins modify."""
        tags = tuple(tags)
        found = select(collect(path_or_module), tags)
        self.plugins.hook.nnbench_collection_modifyitems(
            benchmarks=found, config={"tags": tags}
        )
        self.benchmarks = found
        return found

    def run(
        self,
        path_or_module: str | os.PathLike[str] | ModuleType,
        params: Mapping[str, Any] | Parameters | None = None,
        tags: Iterable[str] = (),
        context: ContextLike = None,
        name: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> BenchmarkRecord:
        """Run the benchmarks; a failing one is recorded and the others still run.

        ``options`` override every benchmark's measurement options (``repeat``, ``warmup``).
        """
        benchmarks = self.collect(path_or_module, tags)
        if not benchmarks:
            warnings.warn(
                f"no benchmarks selected in {path_or_module}"
                + (f" with tags {list(tags)}" if tags else ""),
                stacklevel=2,
            )
        raw = params.to_dict() if isinstance(params, Parameters) else dict(params or {})
        bound = bind_artifacts(benchmarks, raw)
        check_params(benchmarks, bound)
        return self.run_benchmarks(benchmarks, bound, context=context, name=name,
                                   options=options)

    def run_benchmarks(
        self,
        benchmarks: list[Benchmark],
        params: Mapping[str, Any],
        context: ContextLike = None,
        name: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> BenchmarkRecord:
        """Run already collected, checked benchmarks with bound parameters."""
        ctx = build_context(context, self.plugins)
        artifacts = {k: v for k, v in params.items() if isinstance(v, Artifact)}
        run = RunInfo(name or default_run_name(), uuid.uuid4().hex, benchmarks, ctx)
        hook = self.plugins.hook
        for artifact in artifacts.values():
            artifact.path  # noqa: B018 -- load now: a loader error is a usage error, not 40 failures
        ctx["artifacts"] = {k: a.provenance() for k, a in artifacts.items()}
        hook.nnbench_run_start(run=run)
        record = BenchmarkRecord(run.name, ctx, run.results, run.run_id, run.timestamp)
        # Per-benchmark hooks are skipped when nobody implements them (10,000-member families).
        on_start = hook.nnbench_benchmark_start if hook.nnbench_benchmark_start.get_hookimpls() \
            else None
        on_finish = hook.nnbench_benchmark_finish \
            if hook.nnbench_benchmark_finish.get_hookimpls() else None
        try:
            with memo_scope():
                for bm in benchmarks:
                    kwargs = {n: params[n] for n in bm.interface.names
                              if n in params and n not in bm.params}
                    if on_start is not None:
                        on_start(benchmark=bm, parameters=kwargs, run=run)
                    result = run_one(bm, kwargs, options or {})
                    run.results.append(result)
                    if on_finish is not None:
                        _call_safely(on_finish, result=result, run=run)
        finally:
            ctx["artifacts"] = {k: a.provenance() for k, a in artifacts.items()}
            ctx["interrupted"] = len(run.results) < len(benchmarks)
            _call_safely(hook.nnbench_run_finish, record=record, run=run)
        return record


def _call_safely(hook_caller: Any, **kwargs: Any) -> None:
    try:
        hook_caller(**kwargs)
    except Exception as exc:
        from nnbench.plugins import PluginWarning

        warnings.warn(f"a plugin hook failed: {type(exc).__name__}: {exc}", PluginWarning,
                      stacklevel=2)


def build_context(context: ContextLike, plugins: Any) -> Context:
    """The built-in and plugin providers' facts, then the caller's context on top."""
    ctx = Context()
    for name, reg in plugins.context_providers().items():
        try:
            ctx.update_from(name, reg.factory)
        except Exception as exc:
            warnings.warn(f"context provider {name!r} failed: {exc}", stacklevel=3)
    if context is None:
        return ctx
    if isinstance(context, Mapping):
        ctx.update(Context.make(context))
    elif callable(context):
        ctx.update(Context.make(context()))
    else:
        for item in context:
            ctx.update(Context.make(item if isinstance(item, Mapping) else item()))
    return ctx


def run_one(bm: Benchmark, kwargs: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Run one benchmark (setUp, measured call, tearDown) and return its result dict."""
    params = {**bm.params, **kwargs}
    result: dict[str, Any] = {
        "name": bm.name,
        "function": bm.function,
        "description": bm.description,
        "value": None,
        "unit": bm.options.get("unit", ""),
        "parameters": to_jsonable(params),
        "tags": list(bm.tags),
        "time_ns": 0,
        "error_occurred": False,
        "error_type": None,
        "error_message": None,
        "traceback": None,
    }
    if "better" in bm.options:  # direction hint for `nnbench compare`: "higher" or "lower"
        result["better"] = bm.options["better"]
    options = {**bm.options, **overrides}
    stage = "setUp"
    try:
        if bm.setUp is not None:
            bm.setUp(bm, params)
        stage = "benchmark"
        m = measure(bm.fn, params, options)
        result["value"] = to_jsonable(m.value)
        result["time_ns"] = m.time_ns
        if m.timing is not None:
            result["timing"] = m.timing
        if m.memory is not None:
            result["memory"] = m.memory
    except Exception as exc:
        _record_error(result, exc, stage)
    finally:
        if bm.tearDown is not None:
            try:
                bm.tearDown(bm, params)
            except Exception as exc:
                if not result["error_occurred"]:
                    _record_error(result, exc, "tearDown")
    return result


def _record_error(result: dict[str, Any], exc: BaseException, stage: str) -> None:
    result["error_occurred"] = True
    result["error_type"] = type(exc).__name__
    prefix = "" if stage == "benchmark" else f"in {stage}: "
    result["error_message"] = prefix + str(exc)
    result["traceback"] = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
