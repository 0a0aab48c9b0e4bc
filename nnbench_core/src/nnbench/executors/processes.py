"""The ``processes`` executor: units in N spawned worker processes on this machine (``-j N``).

Each worker takes one unit at a time from a task queue and streams its events back through its
own pipe as each benchmark finishes (a synchronous write: a result sent is a result kept, even if
the worker is killed right after). Every worker writes the unit it holds into a shared slot before starting
it, so when a worker dies mid-unit (killed, out of memory) the driver knows which unit it took
down: that unit is retried once in a fresh worker, then recorded as failed; the other workers
go on undisturbed. Closing the event stream (Ctrl-C) stops every worker.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Iterator
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from nnbench.errors import UsageError
from nnbench.executors.events import UnitEvent
from nnbench.executors.remote import execute_unit, limit_threads, receive_unit, thread_budget

if TYPE_CHECKING:
    from nnbench.plan import Unit
    from nnbench.plugins.manager import PluginManager

_IDLE = -1


def _worker(slot: int, tasks: Any, events: Connection, holding: Any, threads: int | None,
            blocked: tuple[str, ...], workers: int) -> None:
    """A worker process: run units from ``tasks`` until told to stop (``None``)."""
    limit_threads(threads)
    while True:
        item = tasks.get()
        if item is None:
            return
        index, payload = item
        holding[slot] = index
        unit = receive_unit(payload, index, f"in worker process {os.getpid()}")
        if isinstance(unit, UnitEvent):  # e.g. a package the benchmarks import is missing here
            events.send(unit)
        else:
            execute_unit(unit, index, "processes", blocked=blocked, emit=events.send,
                         workers=workers)
        holding[slot] = _IDLE


class ProcessesExecutor:
    """Runs units in ``workers`` spawned processes (default: the number of usable cores)."""

    name = "processes"
    ships_code = False  # same machine: workers read the benchmark files where they are

    def __init__(self, target: str | None = None, *, plugins: PluginManager | None = None,
                 threads: int | None = None, retries: int = 1, **options: Any) -> None:
        if target is None:
            workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
                else os.cpu_count() or 1
        elif target.isdigit() and int(target) >= 1:
            workers = int(target)
        else:
            raise UsageError(f"--executor processes:{target}: expected a number of worker "
                             "processes >= 1, e.g. processes:4")
        self.workers = workers
        self.threads = threads if threads is not None else thread_budget(workers)
        self.retries = retries
        self.blocked = tuple(sorted(plugins.blocked)) if plugins is not None else ()
        self._processes: list[Any] = []

    def run(self, units: list[Unit]) -> Iterator[UnitEvent]:
        ctx = multiprocessing.get_context("spawn")
        tasks = ctx.Queue()
        holding = ctx.Array("i", [_IDLE] * self.workers, lock=False)
        payloads = [pickle.dumps(unit) for unit in units]
        for index, payload in enumerate(payloads):
            tasks.put((index, payload))
        count = min(self.workers, len(units))
        self._processes = [None] * count
        pipes: list[Connection | None] = [None] * count

        def start(slot: int) -> None:
            holding[slot] = _IDLE
            reader, writer = ctx.Pipe(duplex=False)
            process = ctx.Process(target=_worker, daemon=True, name=f"nnbench-worker-{slot}",
                                  args=(slot, tasks, writer, holding, self.threads,
                                        self.blocked, self.workers))
            process.start()
            writer.close()
            self._processes[slot], pipes[slot] = process, reader

        for slot in range(count):
            start(slot)
        remaining = set(range(len(units)))
        tries = dict.fromkeys(remaining, 0)
        idle_deaths = 0
        try:
            while remaining:
                ready = wait([p for p in pipes if p is not None], timeout=0.5)
                for slot, reader in enumerate(pipes):
                    if reader not in ready:
                        continue
                    try:
                        event = reader.recv()
                    except (EOFError, OSError, pickle.UnpicklingError):
                        pipes[slot] = None  # the worker is gone; handled below
                        continue
                    if event.kind == "done":
                        remaining.discard(event.unit)
                    yield event
                for slot, process in enumerate(self._processes):
                    if process.is_alive() or (pipes[slot] is not None and pipes[slot].poll()):
                        continue  # alive, or its last events are still to be read
                    lost = holding[slot]
                    if lost == _IDLE and remaining:  # died without a unit: it could not start
                        idle_deaths += 1
                        if idle_deaths > 2 * count:
                            raise UsageError(
                                f"worker processes exit right after starting (exit code "
                                f"{process.exitcode}); a script that runs units in processes "
                                "must start them under `if __name__ == \"__main__\":`")
                    if lost != _IDLE and lost in remaining:
                        tries[lost] += 1
                        if tries[lost] > self.retries:
                            remaining.discard(lost)
                            yield UnitEvent("done", lost, error=(
                                f"its worker process died {tries[lost]} times (exit code "
                                f"{process.exitcode}: killed or out of memory); see the "
                                "system log"), error_type="WorkerDied")
                        else:
                            tasks.put((lost, payloads[lost]))
                    if remaining:
                        start(slot)
                    else:
                        pipes[slot] = None
        finally:
            self._stop(tasks)

    def _stop(self, tasks: Any) -> None:
        processes, self._processes = [p for p in self._processes if p is not None], []
        for _ in processes:
            tasks.put(None)
        for process in processes:
            process.join(timeout=2)
            if process.is_alive():
                process.terminate()
                process.join(timeout=2)

    def close(self) -> None:
        for process in self._processes:
            if process is not None and process.is_alive():
                process.terminate()
        self._processes = []
