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
    from nnbench.plugins.providers import provider_of
    from nnbench.redact import redact_url

    known = ", ".join(sorted(reporters))
    scheme = destination.split("://", 1)[0] if "://" in destination else ""
    hint = provider_of("reporter", scheme) if scheme else None
    install = f"; install it with `pip install {hint}`" if hint else ""
    raise ReporterError(
        f"no reporter for output {redact_url(destination)!r}{install} (use one of: {known})"
    )


def reporter_for(destination: str, plugins: Any = None) -> Any:
    """The reporter object registered for ``destination``'s scheme or extension."""
    if plugins is None:
        from nnbench.plugins import get_plugin_manager

        plugins = get_plugin_manager()
    reporters = plugins.reporters()
    return reporters[_key_for(destination, reporters)].factory()


def check_destination(destination: str, plugins: Any = None) -> None:
    """Fail before a run on an output that cannot be written: no reporter for it, or the
    reporter's optional ``check(destination)`` (a dead server, a refused name) raises."""
    reporter = reporter_for(destination, plugins)
    check = getattr(reporter, "check", None)
    if check is not None:
        check(destination)


def write_records(records: list[BenchmarkRecord], destination: str, plugins: Any = None) -> None:
    reporter_for(destination, plugins).write(records, destination)


def write_all(records: list[BenchmarkRecord], destinations: list[str],
              plugins: Any = None) -> None:
    """Write to every destination; one that fails does not keep the others from being
    written, and the first failure is raised afterwards."""
    failures: list[Exception] = []
    for destination in destinations:
        try:
            write_records(records, destination, plugins)
        except Exception as exc:  # noqa: BLE001 -- reported after the others were written
            failures.append(exc)
    if len(failures) > 1:
        import warnings

        for exc in failures[1:]:
            warnings.warn(f"output not written: {exc}", stacklevel=2)
    if failures:
        raise failures[0]


def read_records(source: str, plugins: Any = None) -> list[BenchmarkRecord]:
    reporter = reporter_for(source, plugins)
    if not hasattr(reporter, "read"):
        raise ReporterError(f"{source!r}: this format can be written but not read back")
    from nnbench.reporter.upstream_rows import from_upstream_rows

    return [from_upstream_rows(r) for r in reporter.read(source)]
