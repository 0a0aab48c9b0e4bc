"""Built-in plugin: the local loader, file, SQLite and HTML reporters, the serial and processes
executors, the standard context.

Registered through the same hooks any third-party plugin uses.
"""

from __future__ import annotations

from typing import Any

from nnbench.plugins.hookspecs import hookimpl


def _local_loader(spec: Any, **kwargs: Any) -> Any:
    from nnbench.artifacts.loaders import LocalArtifactLoader

    path = spec.rest if not spec.slashes else "/" + spec.rest.lstrip("/")
    return LocalArtifactLoader(path, spec.options)


@hookimpl
def nnbench_register_loaders(register: Any) -> None:
    register("file", _local_loader, description="local files and directories (file:PATH)")


def _reporter(name: str) -> Any:
    def factory() -> Any:
        from nnbench.reporter import files

        return files.FORMATS[name]()

    return factory


def _sqlite() -> Any:
    from nnbench.store.results import SQLiteReporter

    return SQLiteReporter()


def _html() -> Any:
    from nnbench.reporter.html import HTMLReporter

    return HTMLReporter()


@hookimpl
def nnbench_register_reporters(register: Any) -> None:
    for ext, desc in (
        (".json", "one JSON document"),
        (".ndjson", "one JSON object per benchmark result"),
        (".jsonl", "one JSON object per benchmark result"),
        (".csv", "one row per benchmark result"),
        (".yaml", "YAML document"),
        (".yml", "YAML document"),
        (".parquet", "Parquet table (needs pyarrow)"),
    ):
        register(ext, _reporter(ext), description=desc)
    register("sqlite", _sqlite, description="SQLite results store (sqlite:///path.db)")
    register(".html", _html, description="self-contained HTML report with charts (write only)")


def _serial(target: str | None = None, **options: Any) -> Any:
    from nnbench.executors.serial import SerialExecutor

    return SerialExecutor(target, **options)


def _processes(target: str | None = None, **options: Any) -> Any:
    from nnbench.executors.processes import ProcessesExecutor

    return ProcessesExecutor(target, **options)


@hookimpl
def nnbench_register_executors(register: Any) -> None:
    register("serial", _serial, description="one unit after another in this process (default)")
    register("processes", _processes,
             description="N spawned worker processes on this machine (-j N; N = cores)")


@hookimpl
def nnbench_context_providers(register: Any) -> None:
    from nnbench import context

    register("python", context.python_info)
    register("cpu", context.cpu_info)
    register("git", context.git_info)
    register("nnbench", context.nnbench_versions)
    register("torch", context.torch_info)
    register("packages", context.imported_packages)
