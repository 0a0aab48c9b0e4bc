"""``MlflowReporter``: the reporter registered for ``mlflow://`` outputs and sources."""

from __future__ import annotations

from nnbench.types import BenchmarkRecord

from nnbench_mlflow.destination import parse_destination

__all__ = ["MlflowReporter"]


class MlflowReporter:
    """``write(records, "mlflow://EXP[/RUN]")`` logs MLflow runs; ``read(...)`` gives them back.

    Writing: one run per record (several become children of one parent run named RUN, or the
    records' common run name). Reading: see :mod:`nnbench_mlflow.reader`. Errors are one-line
    :class:`nnbench.errors.ReporterError`\\ s (or ``UsageError`` for a malformed URI).
    """

    def write(self, records: list[BenchmarkRecord], destination: str) -> None:
        from nnbench_mlflow.writer import write

        write(records, parse_destination(destination))

    def read(self, source: str) -> list[BenchmarkRecord]:
        from nnbench_mlflow.reader import read

        return read(parse_destination(source))
