"""nnbench-dask against ExecutorContract: a LocalCluster, and `dask scheduler` + `dask worker`
processes (nothing shared with the driver but the network; the benchmark files are shipped)."""

from __future__ import annotations

import pytest
from nnbench.testing import ExecutorContract


class TestDaskLocalCluster(ExecutorContract):
    plugin = "nnbench_dask.plugin"
    plugin_name = "dask"

    @pytest.fixture
    def contract_executor(self, dask_local_cluster):
        return f"dask:{dask_local_cluster.scheduler_address}"


class TestDaskCLICluster(ExecutorContract):
    plugin = "nnbench_dask.plugin"
    plugin_name = "dask"

    @pytest.fixture
    def contract_executor(self, dask_cli_cluster):
        host_port = dask_cli_cluster.address.removeprefix("tcp://")
        return f"dask://{host_port}"

    def test_results_record_where_they_ran(self, contract_plugin_manager, contract_suite,
                                           contract_executor, dask_cli_cluster):
        import os

        records = self._run(contract_plugin_manager, contract_suite, contract_executor)
        workers = set()
        for record in records:
            execution = record.context["execution"]
            assert execution["executor"] == "dask"
            assert execution["host"] and execution["pid"] != os.getpid()
            assert execution["dask_worker"].startswith("tcp://127.0.0.1:")
            assert execution["resources"] == {} and execution["nthreads"] == 1
            assert execution["threads"] >= 1
            workers.add(execution["dask_worker"])
        assert workers <= set(_worker_addresses(dask_cli_cluster.address))


def _worker_addresses(address):
    from distributed import Client

    with Client(address, set_as_default=False, timeout=10) as client:
        return list(client.scheduler_info(n_workers=-1)["workers"])
