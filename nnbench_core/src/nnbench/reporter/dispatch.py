"""Pick the reporter for a destination: ``scheme://`` first, then the file extension."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from nnbench.errors import ReporterError
from nnbench.types import BenchmarkRecord


def _key_for(destination: str, reporters: dict[str, Any]) -> str:
    if "://" in destination:
        scheme = destination.split("://", 1)[0].lower()
        if scheme in reporters:
            return scheme
    name = PurePosixPath(destination.split("?", 1)[0]).name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    suffix = PurePosixPath(name).suffix
    if suffix in reporters:
        return suffix
    known = ", ".join(sorted(reporters))
    raise ReporterError(
        f"no reporter for output {destination!r}; use one of: {known}"
    )


def reporter_for(destination: str, plugins: Any = None) -> Any:
    """The reporter object registered for ``destination``'s scheme or extension."""
    if plugins is None:
        from nnbench.plugins import get_plugin_manager

        plugins = get_plugin_manager()
    reporters = plugins.reporters()
    return reporters[_key_for(destination, reporters)].factory()


def write_records(records: list[BenchmarkRecord], destination: str, plugins: Any = None) -> None:
    reporter_for(destination, plugins).write(records, destination)


def read_records(source: str, plugins: Any = None) -> list[BenchmarkRecord]:
    reporter = reporter_for(source, plugins)
    if not hasattr(reporter, "read"):
        raise ReporterError(f"{source!r}: this format can be written but not read back")
    from nnbench.reporter.upstream_rows import from_upstream_rows

    return [from_upstream_rows(r) for r in reporter.read(source)]
