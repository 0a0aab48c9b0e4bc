"""Records read from upstream nnbench's row files (``.ndjson``, ``.parquet``), whose rows hold
each result and the run's context as JSON text, turned into this project's records."""

from __future__ import annotations

import json

from nnbench.errors import ReporterError
from nnbench.types import BenchmarkRecord


def from_upstream_rows(record: BenchmarkRecord) -> BenchmarkRecord:
    """A record read from upstream's row format (``benchmark`` and ``context`` as JSON text),
    as this project's; any other record unchanged."""
    rows = record.benchmarks
    if not rows or not all(set(r) <= {"benchmark", "name", "function"} and
                            isinstance(r.get("benchmark"), str) for r in rows):
        return record
    try:
        benchmarks = [json.loads(r["benchmark"]) for r in rows]
        context = record.context
        if isinstance(context, str):
            context = json.loads(context or "{}")
    except ValueError as exc:
        raise ReporterError(f"a result row of run {record.run!r} is not valid JSON: {exc}") from exc
    return BenchmarkRecord(record.run, dict(context), benchmarks, record.run_id, record.timestamp)
