"""Write records to MLflow: one run per record, several as children of one parent run.

Requests per record: a search for an earlier copy of it (a record written again replaces its
run), ``create_run`` with the tags, the record's JSON, ``log_batch`` per 1,000 metrics (params
ride along, 100 a request), ``set_terminated``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from nnbench.types import BenchmarkRecord

from nnbench_mlflow.connect import client_for, experiment_for_write, mlflow_errors
from nnbench_mlflow.convert import RECORD_ARTIFACT, RunPayload, batches, payload
from nnbench_mlflow.destination import Destination

__all__ = ["group_name", "write"]


def group_name(records: Sequence[BenchmarkRecord]) -> str:
    """The parent run's name for several records: their common run name without the
    ``[binding]`` suffix nnbench adds per loader, else the first record's."""
    bases = {r.run.rsplit("[", 1)[0] if r.run.endswith("]") else r.run for r in records}
    return bases.pop() if len(bases) == 1 else records[0].run


def write(records: Sequence[BenchmarkRecord], dest: Destination) -> list[str]:
    """Log ``records`` as MLflow runs; returns the MLflow run ids (the parent's last)."""
    if not records:
        return []
    grouped = len(records) > 1
    names = [r.run for r in records] if grouped else [dest.run or records[0].run]
    payloads = [payload(r, name, i) for i, (r, name) in enumerate(zip(records, names, strict=True))]
    client = client_for(dest)
    experiment_id = experiment_for_write(client, dest).experiment_id
    parent = None
    if grouped:
        parent = _start_parent(client, dest, experiment_id, records, payloads)
    run_ids = []
    for rec, body in zip(records, payloads, strict=True):
        old = _earlier_copies(client, dest, experiment_id, rec.run_id)
        if parent is not None:
            body.tags["mlflow.parentRunId"] = parent
            body.tags["nnbench.group"] = dest.run or group_name(records)
        run_ids.append(_log_run(client, dest, experiment_id, body))
        _delete(client, dest, old)
    if parent is not None:
        with mlflow_errors("cannot finish the parent run", dest):
            client.set_terminated(parent, status=_worst(p.status for p in payloads))
        run_ids.append(parent)
    return run_ids


def _worst(statuses: Any) -> str:
    order = ("FINISHED", "FAILED", "KILLED")
    return max(statuses, key=order.index)


def _start_parent(client: Any, dest: Destination, experiment_id: str,
                  records: Sequence[BenchmarkRecord], payloads: list[RunPayload]) -> str:
    name = dest.run or group_name(records)
    tags = {"nnbench.kind": "group", "nnbench.run": name,
            "nnbench.results": str(sum(len(r.benchmarks) for r in records)),
            "nnbench.records": str(len(records))}
    for key in ("mlflow.source.git.commit", "nnbench.version", "nnbench.executor"):
        if key in payloads[0].tags:
            tags[key] = payloads[0].tags[key]
    with mlflow_errors(f"cannot create the parent run {name!r}", dest):
        run = client.create_run(experiment_id, start_time=min(p.start_ms for p in payloads),
                                tags=tags, run_name=name)
    return run.info.run_id


def _earlier_copies(client: Any, dest: Destination, experiment_id: str,
                    run_id: str) -> list[Any]:
    """Active MLflow runs that hold this nnbench run already (an earlier write of it)."""
    if "'" in run_id or "\\" in run_id:
        return []
    with mlflow_errors("cannot search for an earlier copy of the run", dest):
        return list(client.search_runs([experiment_id],
                                       filter_string=f"tags.`nnbench.run_id` = '{run_id}'",
                                       max_results=100))


def _delete(client: Any, dest: Destination, runs: list[Any]) -> None:
    """Soft-delete replaced runs, and a parent run none of whose children is left."""
    parents = {r.data.tags.get("mlflow.parentRunId") for r in runs} - {None}
    with mlflow_errors("cannot delete the replaced run", dest):
        for run in runs:
            client.delete_run(run.info.run_id)
        for parent in parents:
            left = client.search_runs([runs[0].info.experiment_id], max_results=1,
                                      filter_string=f"tags.`mlflow.parentRunId` = '{parent}'")
            if not left:
                client.delete_run(parent)


def _log_run(client: Any, dest: Destination, experiment_id: str, body: RunPayload) -> str:
    from mlflow.entities import Metric, Param

    with mlflow_errors(f"cannot create run {body.name!r}", dest):
        run_id = client.create_run(experiment_id, start_time=body.start_ms, tags=body.tags,
                                   run_name=body.name).info.run_id
    try:
        with mlflow_errors(f"cannot log run {body.name!r}", dest):
            client.log_text(run_id, body.record_json, RECORD_ARTIFACT)
            for metrics, params in batches(body.metrics, body.params):
                client.log_batch(
                    run_id, synchronous=True,
                    metrics=[Metric(m.key, m.value, m.timestamp, m.step) for m in metrics],
                    params=[Param(k, v) for k, v in params.items()])
            client.set_terminated(run_id, status=body.status,
                                  end_time=int(time.time() * 1000))
    except BaseException:
        try:  # best effort: mark the half-written run, then report the first error
            client.set_terminated(run_id, status="FAILED")
        except Exception:
            pass
        raise
    return run_id
