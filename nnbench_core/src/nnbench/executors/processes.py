"""The ``processes`` executor: units in N spawned worker processes on this machine (``-j N``).

Each worker runs one unit at a time; results stream back through a queue as each benchmark
finishes. A worker that dies mid-unit (killed, out of memory) gets the unit retried once in a
fresh worker, then recorded as failed. Closing the event stream (Ctrl-C) stops the workers.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from nnbench.errors import UsageError
from nnbench.executors.events import UnitEvent
from nnbench.executors.remote import execute_unit, limit_threads, thread_budget

if TYPE_CHECKING:
    from nnbench.plan import Unit
    from nnbench.plugins.manager import PluginManager

_events: Any = None


def _init_worker(events: Any, threads: int | None) -> None:
    global _events
    _events = events
    limit_threads(threads)


def _run(payload: bytes, index: int, blocked: tuple[str, ...], workers: int) -> list[UnitEvent]:
    """In the worker: unpickle the unit here, so a failure to is this unit's error event."""
    try:
        unit = pickle.loads(payload)
    except Exception as exc:
        event = UnitEvent("done", index, error=f"cannot receive the unit in a worker process: "
                          f"{type(exc).__name__}: {exc}", error_type=type(exc).__name__)
        _events.put(event)
        return [event]
    return execute_unit(unit, index, "processes", blocked=blocked, emit=_events.put,
                        workers=workers)


class ProcessesExecutor:
    """Runs units in ``workers`` spawned processes (default: the number of usable cores)."""

    name = "processes"

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
        self._pool: ProcessPoolExecutor | None = None

    def _start(self) -> tuple[ProcessPoolExecutor, Any]:
        ctx = multiprocessing.get_context("spawn")
        events = ctx.Queue()
        pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init_worker,
                                   initargs=(events, self.threads))
        self._pool = pool
        return pool, events

    def run(self, units: list[Unit]) -> Iterator[UnitEvent]:
        pending = list(range(len(units)))
        tries = dict.fromkeys(pending, 0)
        while pending:
            pool, events = self._start()
            futures: dict[Future[list[UnitEvent]], int] = {
                pool.submit(_run, pickle.dumps(units[i]), i, self.blocked, self.workers): i
                for i in pending}
            started: set[int] = set()
            reported: set[int] = set()
            finished: dict[int, list[UnitEvent]] = {}
            broken = False
            try:
                while futures or set(finished) - reported:
                    yield from _drain(events, started, reported)
                    done, _ = wait(futures, timeout=0.05, return_when=FIRST_COMPLETED) \
                        if futures else (set(), set())
                    for future in done:
                        index = futures.pop(future)
                        try:
                            finished[index] = future.result()
                        except BrokenProcessPool:
                            broken = True
                    if broken:
                        break
                    if not futures:
                        yield from _drain(events, started, reported, wait_s=2.0)
                        for index in set(finished) - reported:  # the queue lost them: replay
                            reported.add(index)
                            yield from finished[index]
            finally:
                self._stop()
            pending = [i for i in pending if i not in finished]
            if not broken:
                break
            for i in pending:  # a unit that was running when its worker died used a try
                if i in started:
                    tries[i] += 1
            for i in [i for i in pending if tries[i] > self.retries]:
                pending.remove(i)
                yield UnitEvent("done", i, error=f"its worker process died {tries[i]} times "
                                "(killed or out of memory); see the system log",
                                error_type="WorkerDied")

    def _stop(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for process in list(getattr(pool, "_processes", {}).values()):
            if process.is_alive():
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        self._stop()


def _drain(events: Any, started: set[int], reported: set[int],
           wait_s: float = 0.0) -> Iterator[UnitEvent]:
    """Yield the events the workers queued; ``wait_s`` waits that long for the first one."""
    while True:
        try:
            event = events.get(timeout=wait_s) if wait_s else events.get_nowait()
        except (queue.Empty, OSError, EOFError):
            return
        wait_s = 0.0
        if event.kind == "loaded":
            started.add(event.unit)
        elif event.kind == "done":
            reported.add(event.unit)
        yield event
