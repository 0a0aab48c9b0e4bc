"""The ``markdown`` entry point: registers the ``.md`` reporter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nnbench import BenchmarkRecord, hookimpl
from nnbench.errors import ReporterError
from nnbench.files import write_bytes_atomic

from nnbench_markdown.render import render


class MarkdownReporter:
    """Writes a Markdown summary; write-only (a summary is not a lossless format)."""

    def write(self, records: list[BenchmarkRecord], destination: str) -> None:
        data = render(records).encode("utf-8")  # render fully before touching the disk
        try:
            write_bytes_atomic(Path(destination).expanduser(), data)
        except OSError as exc:
            raise ReporterError(f"cannot write {destination}: {exc.strerror or exc}") from exc


@hookimpl
def nnbench_register_reporters(register: Any) -> None:
    register(".md", MarkdownReporter, description="Markdown summary table (PR comments)")
