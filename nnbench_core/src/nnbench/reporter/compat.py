"""Upstream nnbench's reporter classes, over this project's console table and file formats.

``ConsoleReporter().write(record)`` prints the record's table (with its parameters);
``FileReporter`` writes and reads records by the file's extension (``.json``, ``.ndjson``,
``.csv``, ``.yaml``, ``.parquet``, optionally ``.gz``; ``s3://...`` and other URLs with
fsspec) and also reads the row files upstream's ``FileReporter`` wrote.
"""

from __future__ import annotations

import os
from typing import Any

from nnbench.errors import ReporterError
from nnbench.types import BenchmarkRecord


def _records(result: BenchmarkRecord | list[BenchmarkRecord]) -> list[BenchmarkRecord]:
    return list(result) if isinstance(result, (list, tuple)) else [result]


class ConsoleReporter:
    """Shows records as rich tables; keyword arguments go to ``rich.console.Console``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._kwargs = kwargs
        self._console: Any = None

    @property
    def console(self) -> Any:
        if self._console is None:
            if self._kwargs:
                from rich.console import Console

                self._console = Console(**self._kwargs)
            else:
                from nnbench.reporter.console import make_console

                self._console = make_console()
        return self._console

    def read(self, path: str | os.PathLike[str], **kwargs: Any) -> list[BenchmarkRecord]:
        raise ReporterError("the console cannot be read back; read result files with "
                            "nnbench.reporter.FileReporter")

    def write(self, result: BenchmarkRecord | list[BenchmarkRecord],
              path: str | os.PathLike[str] = "-", **options: Any) -> None:
        """Print each record's table (``path`` is accepted for upstream's protocol)."""
        from nnbench.reporter.console import BenchmarkReporter

        reporter = BenchmarkReporter(self.console)
        for record in _records(result):
            reporter.display(record, exclude=())


class FileReporter:
    """Writes and reads records by the destination's extension."""

    def write(self, result: BenchmarkRecord | list[BenchmarkRecord],
              path: str | os.PathLike[str], **kwargs: Any) -> None:
        from nnbench.reporter.dispatch import write_records

        write_records(_records(result), os.fspath(path))

    def read(self, path: str | os.PathLike[str], **kwargs: Any) -> list[BenchmarkRecord]:
        """The records in ``path`` (also upstream's ``.ndjson``/``.parquet`` row files)."""
        from nnbench.reporter.dispatch import read_records

        return read_records(os.fspath(path))


__all__ = ["ConsoleReporter", "FileReporter"]
