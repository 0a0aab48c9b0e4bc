"""Against ``mlflow server`` in its own process: the REST path, batching counted on the wire.

The server starts once per session (``mlflow_server``); it takes half a minute on a small machine.
"""

from __future__ import annotations

import math

import pytest
from mlflow import MlflowClient
from nnbench.reporter import read_records, write_records
from nnbench.testing.samples import sample_records
from nnbench.types import BenchmarkRecord
from nnbench_mlflow.testing import MlflowServer


def big_record(n: int) -> BenchmarkRecord:
    results = [{"name": f"f1_per_class_class_label=L{i}", "function": "f1_per_class",
                "description": "", "value": i / n, "unit": "",
                "parameters": {"class_label": f"L{i}", "model": "hf:org/m@main"},
                "tags": ["metric"], "time_ns": 1000 + i, "error_occurred": False,
                "error_type": None, "error_message": None, "traceback": None}
               for i in range(n)]
    return BenchmarkRecord("big", {"artifacts": {"model": {"spec": "hf:org/m@main"}}},
                           results, "b" * 32, 1700000000.0)


@pytest.fixture
def server(mlflow_server: MlflowServer, monkeypatch: pytest.MonkeyPatch) -> MlflowServer:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_server.url)
    return mlflow_server


@pytest.mark.slow
def test_round_trip_over_rest(server: MlflowServer) -> None:
    records = sample_records()
    write_records(records, "mlflow://rest/pair")
    assert [r.to_dict() for r in read_records("mlflow://rest/pair")] == \
        [r.to_dict() for r in records]
    client = MlflowClient(server.url)
    experiment = client.get_experiment_by_name("rest")
    assert experiment.artifact_location.startswith("mlflow-artifacts:")  # proxied by the server


@pytest.mark.slow
def test_metrics_go_in_batches_of_a_thousand(server: MlflowServer) -> None:
    record = big_record(2500)
    mark = server.mark()
    write_records([record], "mlflow://rest/big")
    calls = [path.split("?")[0] for _, path, _ in server.requests(since=mark)]
    batches = calls.count("/api/2.0/mlflow/runs/log-batch")
    # a value and a time per result, plus 2 params: MLflow takes 1,000 entities a request
    assert batches == math.ceil((2 * 2500 + 2) / 1000)
    assert len(calls) <= batches + 8, calls  # a handful more: experiment, run, record, end
    run = MlflowClient(server.url).search_runs(
        [MlflowClient(server.url).get_experiment_by_name("rest").experiment_id],
        filter_string="attributes.run_name = 'big'")[0]
    assert len(run.data.metrics) == 5000 and run.data.params["model"] == "hf:org/m@main"
    [back] = read_records("mlflow://rest/big")
    assert back.to_dict() == record.to_dict()
