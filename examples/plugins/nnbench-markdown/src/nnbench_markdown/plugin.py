"""The ``markdown`` entry point: registers the ``.md`` reporter."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from nnbench import BenchmarkRecord, hookimpl
from nnbench.errors import ReporterError

from nnbench_markdown.render import render


class MarkdownReporter:
    """Writes a Markdown summary; write-only (a summary is not a lossless format)."""

    def write(self, records: list[BenchmarkRecord], destination: str) -> None:
        data = render(records).encode("utf-8")  # render fully before touching the disk
        path = Path(destination).expanduser()
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as exc:
            raise ReporterError(f"cannot write {destination}: {exc.strerror or exc}") from exc
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError as exc:
            raise ReporterError(f"cannot write {destination}: {exc.strerror or exc}") from exc
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


@hookimpl
def nnbench_register_reporters(register: Any) -> None:
    register(".md", MarkdownReporter, description="Markdown summary table (PR comments)")
