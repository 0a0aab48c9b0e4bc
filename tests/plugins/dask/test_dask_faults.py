"""Faults on real Dask clusters: dead workers, missing packages, files that are not there,
a run closed early, resources no worker has."""

from __future__ import annotations

import os
import re
import time
import uuid

import pytest
from nnbench.errors import NNBenchError
from nnbench.session import Session
from nnbench.testing import isolated_plugin_manager
from nnbench.testing.executor_suites import (
    KILLER,
    cancel_after_first_result,
    killed_unit_failure,
    shipped_suite,
    write,
)


@pytest.fixture
def manager():
    with isolated_plugin_manager("nnbench_dask.plugin", "dask") as manager:
        yield manager



def test_a_killed_worker_gets_the_unit_retried(manager, dask_local_cluster, tmp_path):
    bench = write(tmp_path / "b", "bench_killer.py", KILLER.format(marks=str(tmp_path / "m")))
    session = Session(plugins=manager, store=tmp_path / "store.db",
                      executor=f"dask:{dask_local_cluster.scheduler_address}")
    [record] = session.run(bench, name="killed")
    assert [r["value"] for r in record.benchmarks] == [1, 7]
    assert record.context["interrupted"] is False and not session.failures
    assert len(list((tmp_path / "m").iterdir())) == 1  # it ran twice: killed once


def test_a_unit_whose_worker_dies_twice_fails_with_the_reason(manager, dask_local_cluster,
                                                              tmp_path):
    bench = write(tmp_path / "b", "bench_killer.py", KILLER.format(marks=str(tmp_path / "m")))
    session = Session(plugins=manager, store=None,
                      executor=f"dask:{dask_local_cluster.scheduler_address}")
    message = killed_unit_failure(session, bench)
    assert re.match(r"its Dask worker died 2 times while running it \(killed or out of memory; "
                    r"on tcp://127\.0\.0\.1:\d+, tcp://127\.0\.0\.1:\d+\); see the worker logs$",
                    message), message
    assert len(list((tmp_path / "m").iterdir())) == 2


def test_retries_are_ours_even_when_the_scheduler_allows_more(manager, dask_local_cluster,
                                                               tmp_path):
    """The fixture's scheduler allows one worker death; retries=0 stops at the first."""
    from nnbench_dask.executor import DaskExecutor

    bench = write(tmp_path / "b", "bench_killer.py", KILLER.format(marks=str(tmp_path / "m")))
    executor = DaskExecutor(dask_local_cluster.scheduler_address, plugins=manager, retries=0)
    session = Session(plugins=manager, store=None, executor=executor)
    message = killed_unit_failure(session, bench)
    assert message.startswith("its Dask worker died once while running it")


def test_benchmark_files_travel_to_the_workers(manager, dask_cli_cluster, tmp_path):
    folder = tmp_path / f"suite_{uuid.uuid4().hex[:8]}"
    bench = shipped_suite(folder, manager)
    session = Session(plugins=manager, store=None, executor=f"dask:{dask_cli_cluster.address}")
    [record] = session.run(bench, name="shipped")
    assert not folder.exists()
    values = {r["name"]: r.get("value") for r in record.benchmarks}
    assert values == {"from_shipped_copy": 1, "sibling_module": 42}, record.benchmarks


def test_a_package_missing_on_the_worker_is_one_clear_error(manager, dask_cli_cluster,
                                                            tmp_path, monkeypatch):
    module = f"driver_only_{uuid.uuid4().hex[:8]}"
    write(tmp_path / "site", f"{module}.py", "VALUE = 3\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))  # the driver has it, workers do not
    bench = write(tmp_path / "b", "bench_needs.py", f'''
        import nnbench
        import {module}


        @nnbench.benchmark
        def uses() -> int:
            return {module}.VALUE
    ''')
    session = Session(plugins=manager, store=None, executor=f"dask:{dask_cli_cluster.address}")
    with pytest.raises(NNBenchError) as info:
        session.run(bench, name="missing")
    message = str(info.value)
    assert "\n" not in message
    assert f"No module named '{module}'" in message
    assert "on dask worker tcp://127.0.0.1:" in message


def test_closing_the_run_cancels_outstanding_work(manager, dask_local_cluster, tmp_path):
    from distributed import Client
    from nnbench_dask.executor import DaskExecutor

    log = cancel_after_first_result(
        DaskExecutor(dask_local_cluster.scheduler_address, plugins=manager), manager, tmp_path)
    with Client(dask_local_cluster.scheduler_address, set_as_default=False) as client:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            left = client.run_on_scheduler(
                lambda dask_scheduler: [k for k in dask_scheduler.tasks
                                        if str(k).startswith("nnbench-unit")])
            if not left:
                break
            time.sleep(0.1)
        assert not left
    time.sleep(0.5)
    ran = log.read_text().split()
    assert len(ran) < 12, "the cancelled unit stops at its next result"


def test_resources_no_local_worker_has_fail_the_unit_at_once(manager, tmp_path):
    from nnbench_dask.executor import DaskExecutor

    bench = write(tmp_path / "b", "bench_gpu.py", '''
        import nnbench


        @nnbench.benchmark(resources={"GPU": 1})
        def on_gpu() -> int:
            return 1
    ''')
    executor = DaskExecutor(None, plugins=manager, workers=1)  # a local cluster of our own
    try:
        assert executor.cluster is not None and executor.threads == max(
            1, len(os.sched_getaffinity(0)))
        session = Session(plugins=manager, store=None, executor=executor)
        with pytest.raises(NNBenchError, match=r"needs worker resources GPU=1, which the local "
                                               r"Dask cluster does not have"):
            session.run(bench, name="gpu")
    finally:
        executor.close()
    assert executor.cluster is None and executor.client is None


def test_resources_reach_the_scheduler(manager, tmp_path):
    """A unit needing GPU=1 runs on the worker that has it, and says so in its context."""
    from distributed import LocalCluster
    from nnbench_dask.testing import QUIET_HTTP

    bench = write(tmp_path / "b", "bench_gpu.py", '''
        import nnbench


        @nnbench.benchmark(resources={"GPU": 1})
        def on_gpu() -> int:
            return 1
    ''')
    with LocalCluster(n_workers=1, threads_per_worker=1, resources={"GPU": 1},
                      dashboard_address=None, host="127.0.0.1",
                      scheduler_kwargs=QUIET_HTTP) as cluster:
        session = Session(plugins=manager, store=None,
                          executor=f"dask:{cluster.scheduler_address}")
        [record] = session.run(bench, name="gpu")
    assert record.benchmarks[0]["value"] == 1
    assert record.context["execution"]["resources"] == {"GPU": 1}
