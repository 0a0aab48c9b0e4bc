"""What a record becomes before any request: metrics, params, tags, batches (no MLflow here)."""

from __future__ import annotations

import json

import pytest
from nnbench.errors import ReporterError
from nnbench.testing.samples import failing_records, sample_records
from nnbench.types import BenchmarkRecord
from nnbench_mlflow.convert import (
    MAX_BATCH_BYTES,
    Metric,
    batches,
    payload,
    run_params,
)


def result(name: str, value: object, **extra: object) -> dict:
    base = {"name": name, "function": name, "description": "", "value": value, "unit": "",
            "parameters": {}, "tags": [], "time_ns": 2_000_000, "error_occurred": False,
            "error_type": None, "error_message": None, "traceback": None}
    return {**base, **extra}


def test_metrics_values_times_and_memory() -> None:
    record = BenchmarkRecord("r", {}, [
        result("f1_per_class_class_label=B-PER", 0.5),
        result("latency", 0.1, timing={"samples_ns": [1e6, 2e6, 3e6]}),
        result("peak", 1, memory={"rss_peak_increase_bytes": 4096}),
        result("text", "not a number"), result("flag", True),
        result("broken", None, error_occurred=True, time_ns=5),
    ], "id", 1700000000.0)
    body = payload(record, "r")
    values = {(m.key, m.step): m.value for m in body.metrics}
    assert values[("f1_per_class_class_label.x3dB-PER", 0)] == 0.5
    assert [values[("latency.time", s)] for s in range(3)] == [0.001, 0.002, 0.003]  # seconds
    assert values[("peak.memory", 0)] == 4096
    assert "text" not in {k for k, _ in values} and "flag" not in {k for k, _ in values}
    assert ("broken", 0) not in values and values[("broken.time", 0)] == 5e-9
    assert {m.timestamp for m in body.metrics} == {1700000000000}
    assert body.status == "FAILED"


def test_run_params_are_those_with_one_value() -> None:
    results = [result("a", 1, parameters={"model": "m", "class_label": "B-PER", "batch": 8}),
               result("b", 1, parameters={"model": "m", "class_label": "I-PER"})]
    assert run_params(results) == {"model": "m", "batch": 8}


def test_tags_and_artifact_params() -> None:
    first = sample_records()[0]
    first.context["execution"] = {"executor": "processes"}
    body = payload(first, "nightly", position=3)
    assert body.name == "nightly"
    assert body.tags["nnbench.run"] == "contract-run-1"
    assert body.tags["nnbench.run_id"] == first.run_id
    assert body.tags["nnbench.position"] == "3"
    assert body.tags["nnbench.executor"] == "processes"
    assert body.tags["mlflow.source.git.commit"] == "abc123"
    assert body.tags["nnbench.interrupted"] == "false" and body.tags["nnbench.failed"] == "0"
    assert body.params["artifact/model/spec"] == "hf:org/model@main"
    assert body.params["batch"] == "8"
    assert json.loads(body.record_json) == first.to_dict()


def test_specs_are_redacted_everywhere() -> None:
    secret = "hunter2-secret-value"
    spec = f"s3://user:{secret}@bucket/model?token={secret}"
    record = BenchmarkRecord("r", {"artifacts": {"model": {"spec": spec}}},
                             [result("acc", 1.0, parameters={"model": spec})], "id", 1.0)
    body = payload(record, "r")
    everything = json.dumps([body.params, body.tags, body.record_json])
    assert secret not in everything
    assert "bucket/model" in body.params["model"]


def test_interrupted_is_killed() -> None:
    record = BenchmarkRecord("r", {"interrupted": True}, [result("a", 1.0)], "id", 1.0)
    assert payload(record, "r").status == "KILLED"


def test_an_unwritable_record_fails_before_any_request() -> None:
    with pytest.raises(ReporterError, match="contract-run-bad"):
        payload(failing_records()[1], "x")


def test_batches_keep_mlflow_limits() -> None:
    metrics = [Metric(f"m{i}", float(i), 0, 0) for i in range(2500)]
    params = {f"p{i}": "v" * 5000 for i in range(250)}
    chunks = list(batches(metrics, params))
    assert sum(len(m) for m, _ in chunks) == 2500 and sum(len(p) for _, p in chunks) == 250
    for m, p in chunks:
        assert len(m) <= 1000 and len(p) <= 100 and len(m) + len(p) <= 1000
        body = json.dumps({"metrics": [vars(x) for x in m],
                           "params": [{"key": k, "value": v} for k, v in p.items()]})
        assert len(body) <= MAX_BATCH_BYTES + 100_000  # MLflow's limit is 1 MB


def test_metrics_alone_go_a_thousand_a_request() -> None:
    metrics = [Metric(f"m{i}", 1.0, 0, 0) for i in range(10_000)]
    assert [len(m) for m, _ in batches(metrics, {})] == [1000] * 10
