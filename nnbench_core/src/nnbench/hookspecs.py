"""Every hook nnbench calls, each documented here; this module is the hook reference.

Plugins implement hooks with ``@nnbench.hookimpl`` in a module named by an entry point in the
``nnbench`` group, e.g. ``[project.entry-points.nnbench] hf = "nnbench_hf.plugin"``. The
built-in loader, reporters and context providers are registered through these same hooks.

Registration hooks take a ``register`` callback rather than returning values, so one plugin can
register several things and the core controls validation and conflict messages.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("nnbench")
hookimpl = pluggy.HookimplMarker("nnbench")


@hookspec
def nnbench_register_loaders(register: Any) -> None:
    """Register artifact loaders for spec schemes.

    Call ``register(scheme, factory, *, description="")`` once per scheme. ``scheme`` is
    lower-case, two or more characters (``"hf"``, ``"s3"``). ``factory(spec, **kwargs)``
    receives a :class:`nnbench.loaders.ParsedSpec` and the caller's keyword options and returns
    an :class:`nnbench.types.ArtifactLoader`. It must not download anything: loading happens
    in ``ArtifactLoader.load()``, on first use. A scheme registered twice is an error naming
    both plugins.
    """


@hookspec
def nnbench_register_reporters(register: Any) -> None:
    """Register reporters that write (and optionally read back) benchmark records.

    Call ``register(key, factory, *, description="")``. ``key`` is a file extension with its
    dot (``".json"``), matched against ``--output`` destinations after stripping a ``.gz``
    suffix, or a URI scheme (``"sqlite"``) matched against ``scheme://...`` destinations.
    ``factory()`` returns an object with ``write(records, destination)`` and, where the format
    can be read back, ``read(source) -> list[BenchmarkRecord]``. Writers must write atomically
    and raise :class:`nnbench.errors.ReporterError` with one clear line on failure.
    """


@hookspec
def nnbench_context_providers(register: Any) -> None:
    """Register context providers for run records.

    Call ``register(name, provider)``; ``provider()`` returns a JSON-safe dict merged into the
    record's context under ``name``. Providers must be cheap and must never import heavy
    libraries the user's code has not imported.
    """


@hookspec
def nnbench_add_commands(subparsers: Any) -> None:
    """Add subcommands to the ``nnbench`` CLI.

    ``subparsers`` is the ``argparse`` sub-parser action; add a parser and set its default
    ``handler=callable(args) -> int`` (the exit code).
    """


@hookspec
def nnbench_collection_modifyitems(benchmarks: list[Any], config: dict[str, Any]) -> None:
    """Filter or reorder the collected benchmarks in place before parameters are checked.

    ``config`` holds the run's ``tags`` and ``params``.
    """


@hookspec
def nnbench_run_start(run: Any) -> None:
    """A run starts. ``run`` has ``name``, ``run_id``, ``benchmarks`` (to run), ``context``."""


@hookspec
def nnbench_benchmark_start(benchmark: Any, parameters: dict[str, Any], run: Any) -> None:
    """One benchmark is about to run with ``parameters`` (setUp not yet called)."""


@hookspec
def nnbench_benchmark_finish(result: dict[str, Any], run: Any) -> None:
    """One benchmark finished; ``result`` is its JSON-safe result dict (errors included).

    Used for progress displays and for appending to the results store as the run goes, so an
    interrupted run keeps what completed. An exception here is reported, not fatal.
    """


@hookspec
def nnbench_run_finish(record: Any, run: Any) -> None:
    """A run finished (also after Ctrl-C, with what completed); ``record`` is its record."""
