"""The live sink: hook implementations that append each result to the store as it arrives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nnbench.plugins.hookspecs import hookimpl
from nnbench.store.results import ResultsStore
from nnbench.types import BenchmarkRecord

if TYPE_CHECKING:
    from nnbench.records import RunInfo


class LiveStorePlugin:
    """Hook implementations that append each result to the store as the run goes."""

    def __init__(self, store: ResultsStore) -> None:
        self.store = store

    def close(self) -> None:
        self.store.close()

    @hookimpl
    def nnbench_run_start(self, run: RunInfo) -> None:
        self.store.start_run(run.name, run.run_id, run.context, len(run.benchmarks),
                             run.timestamp)

    @hookimpl
    def nnbench_benchmark_finish(self, result: dict[str, Any], run: RunInfo, position: int) -> None:
        self.store.add_result(run.run_id, position, result)

    @hookimpl
    def nnbench_run_finish(self, record: BenchmarkRecord, run: RunInfo) -> None:
        if not record.context.get("interrupted"):
            self.store.finish_run(run.run_id, record.context)
