"""`nnbench run --executor dask...` through the CLI: targets, bad input, what gets recorded."""

from __future__ import annotations

import json
import os

import pytest
from nnbench.testing.executor_suites import (
    lists_executor,
    nothing_written,
    one_error_line,
    trivial_suite,
)


@pytest.fixture
def bench(tmp_path):
    return trivial_suite(tmp_path)


def test_plugins_lists_the_dask_executor(nnbench_cli):
    lists_executor(nnbench_cli, "dask", "nnbench-dask")


def test_an_unreachable_scheduler_is_one_line_before_anything_runs(nnbench_cli, bench,
                                                                   nnbench_store, tmp_path):
    result = nnbench_cli("run", str(bench), "--executor", "dask://127.0.0.1:1", "-o", "out.json")
    line = one_error_line(result)
    assert "tcp://127.0.0.1:1" in line and "check that the scheduler is running" in line
    nothing_written(tmp_path, nnbench_store)


def test_a_closed_port_is_refused_at_once(nnbench_cli, bench, nnbench_store, tmp_path):
    from nnbench_dask.testing import free_port

    port = free_port()
    result = nnbench_cli("run", str(bench), "--executor", f"dask:tcp://127.0.0.1:{port}")
    assert "refused the connection" in one_error_line(result)
    nothing_written(tmp_path, nnbench_store)


def test_a_scheduler_that_never_answers_times_out(bench, tmp_path):
    """A peer that accepts the connection and says nothing: the deadline is ours."""
    import socket
    import time

    from nnbench.errors import UsageError
    from nnbench_dask.executor import DaskExecutor

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        start = time.monotonic()
        with pytest.raises(UsageError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0"
                                             r"\.1:\d+ within 0\.5 s \(no answer\)"):
            DaskExecutor(f"dask://127.0.0.1:{silent.getsockname()[1]}", connect_timeout=0.5)
        assert time.monotonic() - start < 10


@pytest.mark.parametrize(("target", "says"), [
    ("dask:nowhere", "not a scheduler address or a scheduler file"),
    ("dask://", "expected HOST:PORT after tcp://"),
    ("dask://host:port", "expected HOST:PORT after tcp://"),
    ("dask:http://127.0.0.1:8786", "unknown protocol 'http'"),
    ("dask:tcp://127.0.0.1:8786/path", "expected HOST:PORT after tcp://"),
    ("dask:", "use NAME, NAME:TARGET or NAME://HOST:PORT"),
    ("dask:missing-scheduler.json", "no scheduler file 'missing-scheduler.json'"),
])
def test_malformed_targets(nnbench_cli, bench, nnbench_store, tmp_path, target, says):
    line = one_error_line(nnbench_cli("run", str(bench), "--executor", target))
    assert says in line
    nothing_written(tmp_path, nnbench_store)


def test_a_scheduler_file(nnbench_cli, bench, dask_cli_cluster, tmp_path):
    result = nnbench_cli("run", str(bench), "--executor",
                         f"dask:{dask_cli_cluster.scheduler_file}", "-q", "-o", "out.json")
    assert result.exit_code == 0, result
    record = json.loads((tmp_path / "out.json").read_text())  # one record: one document
    assert [r["value"] for r in record["benchmarks"]] == [42, 0, 1, 4]
    assert record["context"]["execution"]["executor"] == "dask"


def test_dask_alone_runs_on_a_local_cluster_it_closes(nnbench_cli, bench, nnbench_store,
                                                      tmp_path):
    before = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "PYTHONHASHSEED")}
    result = nnbench_cli("run", str(bench), "--executor", "dask", "-q", "-o", "out.json")
    assert result.exit_code == 0, result
    assert result.stderr == "", result  # no cluster chatter
    record = json.loads((tmp_path / "out.json").read_text())  # one record: one document
    assert [r["value"] for r in record["benchmarks"]] == [42, 0, 1, 4]
    execution = record["context"]["execution"]
    cores = len(os.sched_getaffinity(0))
    assert execution["executor"] == "dask" and execution["pid"] != os.getpid()
    assert execution["dask_worker"].startswith("tcp://127.0.0.1:")
    assert execution["nthreads"] == 1 and execution["threads"] == max(1, cores // cores)
    assert nnbench_store.exists()
    # the local cluster's nannies leave this process's thread settings as they were
    assert {k: os.environ.get(k) for k in before} == before
