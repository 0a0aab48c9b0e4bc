"""The NER example's run logged to MLflow: every numeric result a metric, read back equal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mlflow import MlflowClient
from nnbench import Session
from nnbench.reporter import read_records
from nnbench_mlflow.names import parse_metric_key

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "ner"

pytest.importorskip("transformers")


@pytest.mark.slow
def test_the_ner_run_logs_and_reads_back_equal(mlflow_tracking_uri: str, numeric) -> None:
    [record] = Session(store=None, outputs=["mlflow://ner/example"]).run(EXAMPLE, name="ner")
    assert len(record.benchmarks) >= 71 and not record.failed
    client = MlflowClient(mlflow_tracking_uri)
    [run] = client.search_runs([client.get_experiment_by_name("ner").experiment_id])
    values = [k for k in run.data.metrics if parse_metric_key(k)[1] == "value"]
    assert sorted(parse_metric_key(k)[0] for k in values) == \
        sorted(r["name"] for r in numeric(record))
    assert "f1_per_class_class_label.x3dB-PER" in run.data.metrics
    assert run.data.params["artifact/model/spec"] == str(EXAMPLE / "model")
    [back] = read_records("mlflow://ner/example")
    assert json.dumps(back.to_dict(), sort_keys=True) == \
        json.dumps(record.to_dict(), sort_keys=True)
