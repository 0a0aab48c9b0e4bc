"""Reporters: the rich console table, files by extension, and the SQLite results store."""

from __future__ import annotations

from typing import Any

__all__ = ["BenchmarkReporter", "make_console", "reporter_for", "read_records", "write_records"]


def __getattr__(name: str) -> Any:
    if name in ("BenchmarkReporter", "make_console"):
        from nnbench.reporter import console

        return getattr(console, name)
    if name in ("reporter_for", "read_records", "write_records"):
        from nnbench.reporter import dispatch

        return getattr(dispatch, name)
    raise AttributeError(name)
