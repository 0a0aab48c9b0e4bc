"""The live sink: hook implementations that append each result to the store as it arrives.

Results are written by a background thread in batches, at least every ``FLUSH_INTERVAL``
seconds: a run killed outright (SIGKILL, out of memory) loses at most the results that
finished within that interval before the kill; Ctrl-C and normal ends lose nothing.
"""

from __future__ import annotations

import collections
import threading
from typing import TYPE_CHECKING, Any

from nnbench.plugins.hookspecs import hookimpl
from nnbench.store.results import ResultsStore
from nnbench.types import BenchmarkRecord

if TYPE_CHECKING:
    from nnbench.records import RunInfo

#: The longest a finished result waits before it is committed, in seconds.
FLUSH_INTERVAL = 0.25
#: A batch this large is written at once, without waiting for the interval.
BATCH = 2000


class LiveStorePlugin:
    """Appends each run and result to the store as the run goes (see the module docstring)."""

    def __init__(self, store: ResultsStore, interval: float = FLUSH_INTERVAL) -> None:
        self.store = store
        self.interval = interval
        self._pending: collections.deque[tuple[str, int, dict[str, Any]]] = collections.deque()
        self._flushing = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._writer = threading.Thread(target=self._write_loop, name="nnbench-store-writer",
                                        daemon=True)
        self._writer.start()

    def _write_loop(self) -> None:
        while not self._closed:
            self._wake.wait(self.interval)
            self._wake.clear()
            self.flush()

    def flush(self) -> None:
        """Write every pending result now (one transaction)."""
        with self._flushing:  # the writer thread and the hooks may both flush
            pending, batch = self._pending, []
            while pending:  # deque pops are atomic: nothing appended meanwhile is lost
                batch.append(pending.popleft())
            if batch:
                self.store.add_results(batch)

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        self._writer.join()
        self.flush()
        self.store.close()

    @hookimpl
    def nnbench_run_start(self, run: RunInfo) -> None:
        self.store.start_run(run.name, run.run_id, run.context, len(run.benchmarks),
                             run.timestamp)

    @hookimpl
    def nnbench_benchmark_finish(self, result: dict[str, Any], run: RunInfo, position: int) -> None:
        self._pending.append((run.run_id, position, result))
        if len(self._pending) >= BATCH:
            self._wake.set()

    @hookimpl
    def nnbench_run_finish(self, record: BenchmarkRecord, run: RunInfo) -> None:
        self.flush()
        if not record.context.get("interrupted"):
            self.store.finish_run(run.run_id, record.context)
