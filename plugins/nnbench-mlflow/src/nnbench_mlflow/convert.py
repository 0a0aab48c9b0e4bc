"""A ``BenchmarkRecord`` as what one MLflow run holds: metrics, params, tags and the record.

Pure data work, no MLflow import: everything is built (and every record serialised) before the
first request, so a record that cannot be written fails before anything reaches MLflow.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from nnbench.errors import ReporterError
from nnbench.jsonsafe import to_jsonable
from nnbench.redact import redact_url
from nnbench.types import BenchmarkRecord

from nnbench_mlflow.names import encode_name, metric_key

__all__ = ["RECORD_ARTIFACT", "Metric", "RunPayload", "batches", "payload", "redacted", "scrub"]

#: Where in each run's artifacts the whole record is kept (JSON).
RECORD_ARTIFACT = "nnbench/record.json"
#: MLflow's limits for one log_batch request, and for values.
MAX_METRICS, MAX_PARAMS, MAX_ENTITIES = 1000, 100, 1000
MAX_BATCH_BYTES = 900_000  # MLflow refuses a log_batch body over 1 MB; keep a margin
MAX_PARAM_VALUE, MAX_TAG_VALUE = 6000, 8000


@dataclasses.dataclass(frozen=True)
class Metric:
    key: str
    value: float
    timestamp: int  # milliseconds
    step: int


@dataclasses.dataclass
class RunPayload:
    """One MLflow run's content."""

    name: str
    start_ms: int
    status: str  # FINISHED, FAILED (a benchmark failed) or KILLED (interrupted)
    tags: dict[str, str]
    params: dict[str, str]
    metrics: list[Metric]
    record_json: str


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _metrics(result: Mapping[str, Any], timestamp: int) -> Iterator[Metric]:
    name = result["name"]
    value = None if result.get("error_occurred") else _number(result.get("value"))
    if value is not None:
        yield Metric(metric_key(name), value, timestamp, 0)
    samples = (result.get("timing") or {}).get("samples_ns")
    if not samples and _number(result.get("time_ns")) is not None:
        samples = [result["time_ns"]]
    for step, ns in enumerate(samples or ()):
        if _number(ns) is not None:
            yield Metric(metric_key(name, "time"), ns / 1e9, timestamp, step)
    memory = result.get("memory") or {}
    peak = _number(memory.get("cuda_peak_increase_bytes", memory.get("rss_peak_increase_bytes")))
    if peak is not None:
        yield Metric(metric_key(name, "memory"), peak, timestamp, 0)


def scrub(value: Any) -> Any:
    """``value`` with every string in it passed through ``redact_url`` (specs lose secrets)."""
    if isinstance(value, str):
        return redact_url(value)
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def _text(value: Any, limit: int) -> str:
    """A param/tag value: strings as they are, the rest as JSON; redacted and capped."""
    value = scrub(value if isinstance(value, str) else to_jsonable(value))
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def run_params(results: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The parameters that have one value in every result that takes them (the run's own);
    those that vary are part of the family members' names."""
    common: dict[str, Any] = {}
    varying: set[str] = set()
    for result in results:
        for key, value in (result.get("parameters") or {}).items():
            if key in varying:
                continue
            if key not in common:
                common[key] = value
            elif common[key] != value:
                varying.add(key)
                del common[key]
    return common


def _params(record: BenchmarkRecord) -> dict[str, str]:
    params = {encode_name(str(k)): _text(v, MAX_PARAM_VALUE)
              for k, v in run_params(record.benchmarks).items()}
    for name, facts in (record.context.get("artifacts") or {}).items():
        if not isinstance(facts, Mapping):
            continue
        for field in ("spec", "resolved_revision"):
            if facts.get(field) is not None:
                params[f"artifact/{encode_name(str(name))}/{field}"] = _text(facts[field],
                                                                             MAX_PARAM_VALUE)
    return params


def _tags(record: BenchmarkRecord, position: int) -> dict[str, str]:
    ctx = record.context
    failed = sum(1 for r in record.benchmarks if r.get("error_occurred"))
    labels = sorted({str(t) for r in record.benchmarks for t in r.get("tags") or ()})
    git = ctx.get("git") or {}
    execution = ctx.get("execution") or {}
    versions = ctx.get("nnbench") or {}
    tags = {
        "nnbench.kind": "record",
        "nnbench.run": record.run,
        "nnbench.run_id": record.run_id,
        "nnbench.position": str(position),
        "nnbench.results": str(len(record.benchmarks)),
        "nnbench.failed": str(failed),
        "nnbench.interrupted": "true" if ctx.get("interrupted") else "false",
        "nnbench.tags": ",".join(labels),
    }
    if execution.get("executor"):
        tags["nnbench.executor"] = str(execution["executor"])
    if versions.get("nnbench-core"):
        tags["nnbench.version"] = str(versions["nnbench-core"])
    if git.get("commit"):
        tags["mlflow.source.git.commit"] = str(git["commit"])
        tags["nnbench.git.dirty"] = "true" if git.get("dirty") else "false"
    return {k: _text(v, MAX_TAG_VALUE) for k, v in tags.items()}


def status_of(record: BenchmarkRecord) -> str:
    if record.context.get("interrupted"):
        return "KILLED"
    return "FAILED" if any(r.get("error_occurred") for r in record.benchmarks) else "FINISHED"


def redacted(record: BenchmarkRecord) -> dict[str, Any]:
    """``record.to_dict()`` with specs redacted: in parameters and the artifacts' provenance."""
    doc = record.to_dict()
    doc["benchmarks"] = [{**r, "parameters": scrub(r["parameters"])}
                         if isinstance(r.get("parameters"), dict) else r
                         for r in doc["benchmarks"]]
    artifacts = (doc.get("context") or {}).get("artifacts")
    if isinstance(artifacts, dict):
        doc["context"] = {**doc["context"], "artifacts": {
            k: {**v, "spec": redact_url(v["spec"])} if isinstance(v, dict) and "spec" in v else v
            for k, v in artifacts.items()}}
    return doc


def payload(record: BenchmarkRecord, name: str, position: int = 0) -> RunPayload:
    """Everything one MLflow run gets for ``record``; ReporterError if it cannot be written."""
    try:
        record_json = json.dumps(redacted(record), indent=1)
        timestamp = int(record.timestamp * 1000)
        metrics = [m for r in record.benchmarks for m in _metrics(r, timestamp)]
        params = _params(record)
    except (TypeError, ValueError, RuntimeError, KeyError) as exc:
        raise ReporterError(f"cannot write run {record.run!r} to MLflow: {exc}") from exc
    return RunPayload(name, timestamp, status_of(record), _tags(record, position), params,
                      metrics, record_json)


def _cost(key: str, value: str) -> int:
    return len(key) + len(value.encode()) + 40


def batches(metrics: list[Metric], params: dict[str, str]) -> Iterator[tuple[list[Metric],
                                                                            dict[str, str]]]:
    """``(metrics, params)`` chunks that each fit one ``log_batch`` request."""
    todo_m, todo_p = list(metrics), list(params.items())
    i = j = 0
    while i < len(todo_m) or j < len(todo_p):
        size, chunk_p, chunk_m = 0, {}, []
        while j < len(todo_p) and len(chunk_p) < MAX_PARAMS:
            cost = _cost(*todo_p[j])
            if chunk_p and size + cost > MAX_BATCH_BYTES:
                break
            chunk_p[todo_p[j][0]] = todo_p[j][1]
            size, j = size + cost, j + 1
        room = min(MAX_METRICS, MAX_ENTITIES - len(chunk_p))
        while i < len(todo_m) and len(chunk_m) < room:
            cost = len(todo_m[i].key) + 80
            if (chunk_m or chunk_p) and size + cost > MAX_BATCH_BYTES:
                break
            chunk_m.append(todo_m[i])
            size, i = size + cost, i + 1
        yield chunk_m, chunk_p
