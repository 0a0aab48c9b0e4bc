"""Records logged to a real SQLite tracking store and checked with ``MlflowClient``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mlflow import MlflowClient
from nnbench import Session
from nnbench.reporter import read_records, write_records
from nnbench.testing.samples import sample_records
from nnbench_mlflow.names import metric_key, parse_metric_key


def runs_of(client: MlflowClient, experiment: str) -> list:
    exp = client.get_experiment_by_name(experiment)
    return client.search_runs([exp.experiment_id], order_by=["attributes.start_time ASC"])


def artifact_json(client: MlflowClient, run_id: str, tmp_path: Path) -> dict:
    path = client.download_artifacts(run_id, "nnbench/record.json", str(tmp_path))
    return json.loads(Path(path).read_text())


def test_a_run_logs_metrics_params_tags_and_the_record(
        bench_file: Path, mlflow_tracking_uri: str, tmp_path: Path, numeric) -> None:
    [record] = Session(store=None, outputs=["mlflow://bench/nightly"]).run(
        bench_file, name="n1", params={"model": "hf:org/model@main"})
    client = MlflowClient(mlflow_tracking_uri)
    [run] = runs_of(client, "bench")
    assert run.info.run_name == "nightly" and run.info.status == "FAILED"  # broken() failed

    metrics = run.data.metrics
    values = {parse_metric_key(k)[0] for k in metrics if parse_metric_key(k)[1] == "value"}
    assert values == {r["name"] for r in numeric(record)}
    assert metrics[metric_key("f1_per_class_class_label=B-PER")] == 0.8
    samples = client.get_metric_history(run.info.run_id, "latency.time")
    assert [m.step for m in samples] == [0, 1, 2, 3]
    latency = next(r for r in record.benchmarks if r["name"] == "latency")
    assert [m.value for m in samples] == [ns / 1e9 for ns in latency["timing"]["samples_ns"]]
    assert "allocate.memory" in metrics
    assert {parse_metric_key(k)[0] for k in metrics if k.endswith(".time")} == \
        {r["name"] for r in record.benchmarks}

    assert run.data.params["model"] == "hf:org/model@main"
    tags = run.data.tags
    assert tags["nnbench.run"] == "n1" and tags["nnbench.run_id"] == record.run_id
    assert tags["nnbench.failed"] == "1" and tags["nnbench.interrupted"] == "false"
    assert tags["nnbench.executor"] == "serial"
    assert set(tags["nnbench.tags"].split(",")) == {"metric", "per-class", "speed", "memory"}
    assert artifact_json(client, run.info.run_id, tmp_path) == record.to_dict()
    # artifacts beside the database, not in the working directory
    assert (Path(mlflow_tracking_uri[len("sqlite:///"):]).parent / "mlruns").is_dir()


def test_several_records_are_children_of_one_parent(mlflow_tracking_uri: str) -> None:
    records = sample_records()
    write_records(records, "mlflow://group/both")
    client = MlflowClient(mlflow_tracking_uri)
    runs = runs_of(client, "group")
    [parent] = [r for r in runs if r.data.tags.get("nnbench.kind") == "group"]
    children = [r for r in runs if r is not parent]
    assert parent.info.run_name == "both" and parent.info.status == "FAILED"
    assert [c.data.tags["mlflow.parentRunId"] for c in children] == [parent.info.run_id] * 2
    assert [c.info.run_name for c in children] == [r.run for r in records]
    back = read_records("mlflow://group/both")  # the parent's name gives its children
    assert [r.to_dict() for r in back] == [r.to_dict() for r in records]
    assert [r.run for r in read_records(f"mlflow://group/{parent.info.run_id}")] == \
        [r.run for r in records]


def test_reading_by_name_id_and_prefix(mlflow_tracking_uri: str) -> None:
    first, second = sample_records()
    write_records([first], "mlflow://pick")
    write_records([second], "mlflow://pick/named")
    assert [r.run for r in read_records("mlflow://pick")] == [first.run, second.run]
    assert read_records("mlflow://pick/named")[0].run_id == second.run_id
    assert read_records(f"mlflow://pick/{first.run}")[0].run_id == first.run_id
    assert read_records(f"mlflow://pick/{second.run_id}")[0].run == second.run
    assert read_records("mlflow://pick/" + "0" * 31 + "1")[0].run == first.run


def test_writing_a_record_again_replaces_its_run(mlflow_tracking_uri: str) -> None:
    records = sample_records()
    write_records(records, "mlflow://again")
    write_records(records[:1], "mlflow://again")
    back = read_records("mlflow://again")
    assert sorted(r.run_id for r in back) == sorted(r.run_id for r in records)
    client = MlflowClient(mlflow_tracking_uri)
    kinds = [r.data.tags.get("nnbench.kind") for r in runs_of(client, "again")]
    assert sorted(kinds) == ["group", "record", "record"]  # the parent still has a child


def test_secrets_never_reach_mlflow(mlflow_tracking_uri: str, tmp_path: Path) -> None:
    secret = "s3cr3t-value-that-must-not-leak"
    [record, _] = sample_records()
    spec = f"https://user:{secret}@example.org/model?token={secret}"
    record.benchmarks[0]["parameters"]["model"] = spec
    record.context["artifacts"]["model"]["spec"] = spec
    write_records([record], "mlflow://secrets")
    db = Path(mlflow_tracking_uri[len("sqlite:///"):])
    stored = b"".join(p.read_bytes() for p in db.parent.rglob("*") if p.is_file())
    assert secret.encode() not in stored
    assert b"example.org/model" in stored


def test_missing_experiment_and_run(mlflow_tracking_uri: str) -> None:
    from nnbench.errors import ReporterError

    with pytest.raises(ReporterError, match="no MLflow experiment 'nope'"):
        read_records("mlflow://nope")
    write_records(sample_records()[:1], "mlflow://there")
    with pytest.raises(ReporterError, match="no nnbench run 'ghost'"):
        read_records("mlflow://there/ghost")


LOADER_SUITE = '''
import nnbench
from nnbench.types import Artifact

class Text(Artifact[str]):
    def deserialize(self):
        self._value = self.path.read_text()

@nnbench.benchmark(tags=("metric",))
def length(doc: Text) -> int:
    return len(doc.value)
'''


def test_two_loaders_become_children_named_after_their_bindings(
        tmp_path: Path, mlflow_tracking_uri: str) -> None:
    (tmp_path / "a.txt").write_text("ab")
    (tmp_path / "b.txt").write_text("abcde")
    (tmp_path / "doc_bench.py").write_text(LOADER_SUITE)
    records = Session(store=None, outputs=["mlflow://loaders"]).run(
        tmp_path / "doc_bench.py", loaders=[str(tmp_path / "a.txt"), str(tmp_path / "b.txt")],
        name="s")
    client = MlflowClient(mlflow_tracking_uri)
    runs = runs_of(client, "loaders")
    [parent] = [r for r in runs if r.data.tags["nnbench.kind"] == "group"]
    children = [r for r in runs if r is not parent]
    assert parent.info.run_name == "s"  # the common name, without the [binding] suffix
    assert [c.info.run_name for c in children] == [r.run for r in records]
    assert [c.data.params["artifact/doc/spec"] for c in children] == \
        [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert [c.data.metrics["length"] for c in children] == [2, 5]
    assert [r.run for r in read_records("mlflow://loaders/s")] == [r.run for r in records]
