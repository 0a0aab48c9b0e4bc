"""A live progress display on stderr for terminals: results done of planned, and units done,
running and queued (a unit is one loader binding on one worker), with the latest benchmark."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nnbench.executors import UnitEvent
    from nnbench.plan import Plan


class ProgressDisplay:
    """Driven by the session with every event of every executor, in the driver process."""

    def __init__(self) -> None:
        self._progress: Any = None
        self._task: Any = None
        self._units: dict[int, str] = {}
        self._names: list[str] = []
        self._live: Any = None
        self._previous_sink: Any = None
        self._downloads: Any = None
        self._forwarded: dict[Any, Any] = {}

    def start(self, plan: Plan) -> None:
        from rich.console import Console, Group
        from rich.live import Live
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from nnbench.artifacts.transfers import ProgressSink, progress_columns, use_sink

        self._names = [b.name for b in plan.benchmarks]
        self._units = dict.fromkeys(range(len(plan.units)), "queued")
        console = Console(stderr=True)
        self._progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[units]}"), TextColumn("{task.fields[current]}"),
            console=console,
        )
        # Downloads in this process (loaders reporting through nnbench.artifacts.transfers)
        # show as lines below the benchmarks, in the same live display.
        downloads = self._downloads = ProgressSink(Progress(*progress_columns(),
                                                            console=console))
        self._live = Live(Group(self._progress, downloads.progress), console=console,
                          transient=True, refresh_per_second=8)
        total = len(plan.benchmarks) * len(plan.units)
        self._task = self._progress.add_task("benchmarks", total=total, units=self._summary(),
                                             current="")
        self._live.start(refresh=True)
        self._previous_sink = use_sink(downloads)

    def _summary(self) -> str:
        states = list(self._units.values())
        return (f"units: {states.count('done')} done, {states.count('running')} running, "
                f"{states.count('queued')} queued")

    def update(self, event: UnitEvent) -> None:
        if self._progress is None:
            return
        fields: dict[str, Any] = {}
        if event.kind == "transfer":  # a worker's download, shown with this process's
            from nnbench.artifacts.transfers import replay

            replay(self._downloads, self._forwarded, event.unit, event.result or {})
            return
        if event.kind == "loaded":
            self._units[event.unit] = "running"
        elif event.kind == "done":
            self._units[event.unit] = "done"
        elif event.kind == "result":
            self._progress.advance(self._task)
            if 0 <= event.position < len(self._names):
                fields["current"] = self._names[event.position]
        self._progress.update(self._task, units=self._summary(), **fields)

    def stop(self) -> None:
        if self._progress is not None:
            from nnbench.artifacts.transfers import use_sink

            self._live.stop()
            use_sink(self._previous_sink)
            self._progress = None
