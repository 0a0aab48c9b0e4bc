"""nnbench-mlflow: logging a 10,000-result run, timed, with its requests counted.

1. ``write_records`` of one 10,000-result record (a family, ``f1_per_class_class_label=L{i}``:
   a value and a time each, so 20,000 metric values) to a local SQLite tracking store. Client
   calls are counted by wrapping the ``MlflowClient`` methods. Goal: batched, one ``log_batch``
   per 1,000 entities (MLflow counts params with the metrics), a handful of other calls.
2. The baseline in the same run: what upstream nnbench 0.5 does, one ``log_metric`` call per
   metric, on the first 1,000 results (scaled to 10,000 for the ratio).
3. Reading the run back (``read_records``) for ``nnbench compare``.
4. With ``--server``: the same write through ``mlflow server`` in its own process, REST
   requests counted in its access log (the server takes ~30 s to start).

Needs: the nnbench-mlflow plugin installed. Usage: python perf/mlflow_reporter.py [--server]
"""

from __future__ import annotations

import argparse
import collections
import functools
import math
import tempfile
import time
from pathlib import Path

from nnbench.reporter import read_records, write_records
from nnbench.types import BenchmarkRecord


def big_record(n: int) -> BenchmarkRecord:
    results = [{"name": f"f1_per_class_class_label=L{i}", "function": "f1_per_class",
                "description": "", "value": (i % 97) / 97, "unit": "",
                "parameters": {"class_label": f"L{i}", "model": "hf:org/model@main"},
                "tags": ["metric"], "time_ns": 1500 + i, "error_occurred": False,
                "error_type": None, "error_message": None, "traceback": None}
               for i in range(n)]
    return BenchmarkRecord("perf", {"artifacts": {"model": {"spec": "hf:org/model@main"}}},
                           results, f"{n:032x}", time.time())


def count_client_calls() -> collections.Counter[str]:
    """Wrap the public MlflowClient methods so every call is counted (by name)."""
    from mlflow import MlflowClient

    calls: collections.Counter[str] = collections.Counter()
    for name in ("get_experiment_by_name", "create_experiment", "get_experiment", "create_run",
                 "search_runs", "log_batch", "log_text", "set_terminated", "delete_run",
                 "download_artifacts", "log_metric"):
        method = getattr(MlflowClient, name)

        @functools.wraps(method)
        def counted(self, *args, __name=name, __method=method, **kwargs):
            calls[__name] += 1
            return __method(self, *args, **kwargs)

        setattr(MlflowClient, name, counted)
    return calls


def per_metric_baseline(uri: str, record: BenchmarkRecord, n: int) -> float:
    """Seconds for upstream's way: one log_metric per value (and per time), n results."""
    from mlflow import MlflowClient
    from nnbench_mlflow.names import metric_key

    client = MlflowClient(uri)
    experiment = client.create_experiment("baseline", artifact_location=uri[10:] + ".base")
    run = client.create_run(experiment).info.run_id
    ts = int(record.timestamp * 1000)
    start = time.perf_counter()
    for result in record.benchmarks[:n]:
        client.log_metric(run, metric_key(result["name"]), result["value"], ts, 0)
        client.log_metric(run, metric_key(result["name"], "time"), result["time_ns"] / 1e9, ts, 0)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=1_000, help="results for the baseline")
    parser.add_argument("--server", action="store_true", help="also through `mlflow server`")
    args = parser.parse_args()

    from nnbench_mlflow.testing import MlflowServer, tracking_db

    record = big_record(args.results)
    values = 2 * args.results
    work = Path(tempfile.mkdtemp(prefix="nnbench-perf-mlflow-"))
    uri = tracking_db(work / "sqlite")  # a migrated, empty database (not part of the timing)
    calls = count_client_calls()

    start = time.perf_counter()
    write_records([record], f"mlflow://perf/run?tracking_uri={uri}")
    ours = time.perf_counter() - start
    write_calls = dict(calls)
    calls.clear()
    start = time.perf_counter()
    [back] = read_records(f"mlflow://perf/run?tracking_uri={uri}")
    reading = time.perf_counter() - start
    assert back.to_dict() == record.to_dict()
    read_calls = dict(calls)

    calls.clear()
    base = per_metric_baseline(uri, record, args.baseline) * args.results / args.baseline
    print(f"SQLite, {args.results:,} results ({values:,} metric values):")
    params = 2  # model and artifact/model/spec; MLflow takes 1,000 entities a request
    print(f"  write {ours:.2f} s, {sum(write_calls.values())} client calls "
          f"({write_calls.get('log_batch', 0)} log_batch for {values:,} values + {params} "
          f"params; the fewest MLflow allows: {math.ceil((values + params) / 1000)}): "
          f"{write_calls}")
    print(f"  read back {reading:.2f} s, {sum(read_calls.values())} client calls: {read_calls}")
    print(f"  baseline, one log_metric per value: {base:.1f} s "
          f"({2 * args.baseline:,} calls timed, scaled) -> ratio {ours / base:.3f}x "
          "(goal: batched, far below 1x)")

    if args.server:
        with MlflowServer(work / "server") as server:
            dest = f"mlflow://perf/run?tracking_uri={server.url}"
            mark = server.mark()
            start = time.perf_counter()
            write_records([record], dest)
            took = time.perf_counter() - start
            rest = server.requests(since=mark)
            kinds = collections.Counter(path.split("?")[0].rsplit("/", 2)[-2] + "/" +
                                        path.split("?")[0].rsplit("/", 1)[-1]
                                        for _, path, _ in rest)
            print(f"mlflow server (REST): write {took:.2f} s, {len(rest)} requests: {dict(kinds)}")


if __name__ == "__main__":
    main()
