"""Every hook nnbench calls, each documented here; this module is the hook reference.

Plugins implement hooks with ``@nnbench.hookimpl`` in a module named by an entry point in the
``nnbench`` group, e.g. ``[project.entry-points.nnbench] hf = "nnbench_hf.plugin"``. The
built-in loader, reporters, executors and context providers are registered through these same
hooks.

Registration hooks take a ``register`` callback rather than returning values, so one plugin can
register several things and the core controls validation and conflict messages.

Lifecycle hooks (``nnbench_run_start``, ``nnbench_benchmark_start``,
``nnbench_benchmark_finish``, ``nnbench_run_finish``) never abort a run: an exception in one is
reported once as a warning naming the plugin, and the other plugins are still called.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import pluggy

if TYPE_CHECKING:
    from nnbench.records import RunInfo
    from nnbench.types import Benchmark, BenchmarkRecord

hookspec = pluggy.HookspecMarker("nnbench")
hookimpl = pluggy.HookimplMarker("nnbench")


class Register(Protocol):
    """The callback registration hooks receive: ``register(key, factory, *, description="")``."""

    def __call__(self, key: str, factory: Callable[..., Any], *, description: str = "") -> None:
        ...


@hookspec
def nnbench_register_loaders(register: Register) -> None:
    """Register artifact loaders for spec schemes.

    Call ``register(scheme, factory, *, description="")`` once per scheme. ``scheme`` is
    lower-case, two or more characters (``"hf"``, ``"s3"``). ``factory(spec, **kwargs)``
    receives a :class:`nnbench.artifacts.ParsedSpec` and the caller's keyword options and
    returns an :class:`nnbench.artifacts.ArtifactLoader`. It must not download anything:
    loading happens in ``ArtifactLoader.load()``, on first use. A scheme registered twice is an
    error naming both plugins.
    """


@hookspec
def nnbench_register_reporters(register: Register) -> None:
    """Register reporters that write (and optionally read back) benchmark records.

    Call ``register(key, factory, *, description="")``. ``key`` is a file extension with its
    dot (``".json"``), matched against ``--output`` destinations after stripping a ``.gz``
    suffix, or a URI scheme (``"sqlite"``) matched against ``scheme://...`` destinations.
    ``factory()`` returns an object with ``write(records, destination)``, where the format
    can be read back ``read(source) -> list[BenchmarkRecord]``, and optionally
    ``check(destination)``, called before a run to refuse a destination that cannot be
    written (raise :class:`nnbench.errors.ReporterError` or ``UsageError``). Writers must write atomically
    and raise :class:`nnbench.errors.ReporterError` with one clear line on failure.
    """


@hookspec
def nnbench_register_executors(register: Register) -> None:
    """Register executors that run a plan's units (``--executor NAME[:TARGET]``, ``-j N``).

    Call ``register(name, factory, *, description="")``. ``factory(target, **options)``
    receives the text after ``NAME:`` (``None`` when absent) and returns an
    :class:`nnbench.executors.Executor`: ``run(units)`` runs each :class:`nnbench.plan.Unit`
    (in one worker process per unit) and yields :class:`nnbench.executors.UnitEvent` objects
    as they happen, in any order; closing the iterator cancels outstanding work; ``close()``
    frees what the executor started; ``ships_code = True`` asks the session to pack the
    benchmark files into the units. A bad target or an unreachable cluster raises
    :class:`nnbench.errors.UsageError` before anything runs.
    ``nnbench.testing.ExecutorContract`` checks an executor against the serial one;
    ``nnbench.testing.executor_suites`` has the suites and checks for its faults and CLI tests.
    """


@hookspec
def nnbench_context_providers(register: Register) -> None:
    """Register context providers for run records.

    Call ``register(name, provider)``; ``provider()`` returns a JSON-safe dict merged into the
    record's context under ``name``. Providers must be cheap and must never import heavy
    libraries the user's code has not imported.
    """


@hookspec
def nnbench_add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add subcommands to the ``nnbench`` CLI.

    ``subparsers`` is the ``argparse`` sub-parser action; add a parser and set its default
    ``handler=callable(args) -> int`` (the exit code).
    """


@hookspec
def nnbench_collection_modifyitems(benchmarks: list[Benchmark], config: dict[str, Any]) -> None:
    """Filter or reorder the collected benchmarks in place before parameters are checked.

    ``config`` holds the run's ``tags``.
    """


@hookspec
def nnbench_run_start(run: RunInfo) -> None:
    """A run (one loader binding) starts; ``run`` has ``name``, ``run_id``, ``benchmarks`` (to
    run) and ``context``. Called in the driver process, whatever the executor."""


@hookspec
def nnbench_benchmark_start(benchmark: Benchmark, parameters: dict[str, Any],
                            run: RunInfo) -> None:
    """One benchmark is about to run with ``parameters`` (setUp not yet called).

    Called where the benchmark runs, so only with the serial executor; parallel executors
    report ``nnbench_benchmark_finish`` in the driver as results arrive.
    """


@hookspec
def nnbench_benchmark_finish(result: dict[str, Any], run: RunInfo, position: int) -> None:
    """One benchmark finished; ``result`` is its JSON-safe result dict (errors included).

    Called in the driver as each result arrives, from any executor, in the order results
    finish; ``position`` is the result's place in the record (collection order). Used for
    progress displays and for appending to the results store as the run goes, so an
    interrupted run keeps what completed.
    """


@hookspec
def nnbench_run_finish(record: BenchmarkRecord, run: RunInfo) -> None:
    """A run finished (also after Ctrl-C, with what completed); ``record`` is its record,
    results in collection order."""
