"""Reporters: the rich console table, files by extension, the SQLite results store, HTML."""

from __future__ import annotations

from typing import Any

__all__ = ["BenchmarkReporter", "ConsoleReporter", "FileReporter", "build_report",
           "check_writable", "make_console", "read_records", "render_report", "reporter_for",
           "write_records", "write_report"]


def __getattr__(name: str) -> Any:
    if name in ("BenchmarkReporter", "make_console"):
        from nnbench.reporter import console

        return getattr(console, name)
    if name in ("reporter_for", "read_records", "write_records"):
        from nnbench.reporter import dispatch

        return getattr(dispatch, name)
    if name in ("build_report", "render_report", "write_report"):
        from nnbench.reporter import html

        return getattr(html, name)
    if name in ("ConsoleReporter", "FileReporter"):  # upstream nnbench's classes
        from nnbench.reporter import compat

        return getattr(compat, name)
    if name == "check_writable":
        from nnbench.reporter import files

        return files.check_writable
    raise AttributeError(name)
