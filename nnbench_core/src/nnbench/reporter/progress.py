"""A live progress display (benchmarks done/total and the current one) for terminals."""

from __future__ import annotations

from typing import Any

from nnbench.plugins.hookspecs import hookimpl


class ProgressPlugin:
    """Hook implementations driving a rich progress bar on stderr."""

    def __init__(self) -> None:
        self.progress: Any = None
        self.task: Any = None

    @hookimpl
    def nnbench_run_start(self, run: Any) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[current]}"),
            console=Console(stderr=True), transient=True,
        )
        self.progress.start()
        self.task = self.progress.add_task(run.name, total=len(run.benchmarks), current="")

    @hookimpl
    def nnbench_benchmark_start(self, benchmark: Any, parameters: Any, run: Any) -> None:
        if self.progress is not None:
            self.progress.update(self.task, current=benchmark.name)

    @hookimpl
    def nnbench_benchmark_finish(self, result: Any, run: Any) -> None:
        if self.progress is not None:
            self.progress.advance(self.task)

    @hookimpl
    def nnbench_run_finish(self, record: Any, run: Any) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
