"""nnbench-ray against a head node started with `ray start --head` (free loopback ports, token
authentication, module scope), reached by address: its GCS address, Ray Client (ray://) and
ray:auto. Nothing is shared with the driver but the network and the machine."""

from __future__ import annotations

import json
import os
import uuid

import pytest
from nnbench.session import Session
from nnbench.testing import ExecutorContract, isolated_plugin_manager
from nnbench.testing.executor_suites import shipped_suite, write

pytest.importorskip("ray")


class TestRayHeadByAddress(ExecutorContract):
    plugin = "nnbench_ray.plugin"
    plugin_name = "ray"

    @pytest.fixture
    def contract_executor(self, ray_head):
        return f"ray:{ray_head.gcs_address}"

    def test_results_record_where_they_ran(self, contract_plugin_manager, contract_suite,
                                           contract_executor):
        records = self._run(contract_plugin_manager, contract_suite, contract_executor)
        for record in records:
            execution = record.context["execution"]
            assert execution["executor"] == "ray" and execution["pid"] != os.getpid()
            assert len(execution["ray_node"]) == 56  # Ray's node id, in hex
            assert execution["resources"] == {"CPU": 1.0}


class TestRayClient(ExecutorContract):
    plugin = "nnbench_ray.plugin"
    plugin_name = "ray"

    @pytest.fixture
    def contract_executor(self, ray_head):
        return ray_head.client_address


@pytest.fixture
def manager():
    with isolated_plugin_manager("nnbench_ray.plugin", "ray") as manager:
        yield manager



GPU = '''
    import os

    import nnbench


    @nnbench.benchmark(resources={"GPU": 1})
    def visible_devices() -> str:
        return os.environ.get("CUDA_VISIBLE_DEVICES", "unset")
'''


def test_a_gpu_request_gets_its_own_device(manager, ray_head, tmp_path):
    """GPU -> num_gpus: Ray assigns the node's GPU (one, as far as Ray knows) and says which."""
    bench = write(tmp_path / "b", "bench_gpu.py", GPU)
    session = Session(plugins=manager, store=None, executor=f"ray:{ray_head.gcs_address}")
    [record] = session.run(bench, name="gpu")
    assert record.benchmarks[0]["value"] == "0"
    execution = record.context["execution"]
    assert execution["accelerator_ids"] == {"GPU": ["0"]}
    assert execution["resources"] == {"CPU": 1.0, "GPU": 1.0}


def test_benchmark_files_travel_in_the_units(manager, ray_head, tmp_path):
    folder = tmp_path / f"suite_{uuid.uuid4().hex[:8]}"
    bench = shipped_suite(folder, manager)
    session = Session(plugins=manager, store=None, executor=ray_head.client_address)
    [record] = session.run(bench, name="shipped")
    assert not folder.exists()
    values = {r["name"]: r.get("value") for r in record.benchmarks}
    assert values == {"from_shipped_copy": 1, "sibling_module": 42}, record.benchmarks


BENCH = '''
    import nnbench


    @nnbench.parametrize([{"n": n} for n in range(3)])
    def square(n: int) -> int:
        return n * n
'''


def test_ray_auto_finds_the_cluster_through_ray_address(nnbench_cli, ray_head, tmp_path,
                                                        monkeypatch):
    monkeypatch.setenv("RAY_ADDRESS", ray_head.gcs_address)
    bench = write(tmp_path / "benchmarks", "bench_cli.py", BENCH)
    result = nnbench_cli("run", str(bench), "--executor", "ray:auto", "-q", "-o", "out.json")
    assert result.exit_code == 0, result
    record = json.loads((tmp_path / "out.json").read_text())
    assert [r["value"] for r in record["benchmarks"]] == [0, 1, 4]
    assert record["context"]["execution"]["executor"] == "ray"


def test_a_driver_without_the_token_is_one_clear_error(nnbench_cli, ray_head, tmp_path):
    """The head wants a token (RAY_AUTH_MODE=token); a driver with another one is turned
    away with what to do, and nothing is written. Ray retries for about 20 s first."""
    bench = write(tmp_path / "benchmarks", "bench_cli.py", BENCH)
    result = nnbench_cli.subprocess(
        "run", str(bench), "--executor", f"ray:{ray_head.gcs_address}", "-o", "out.json",
        env={"RAY_AUTH_TOKEN": "0" * 64, "RAY_BACKEND_LOG_LEVEL": "fatal"}, timeout=180)
    assert result.exit_code == 2, result
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result
    assert "AuthenticationError: the cluster wants a token this driver does not have" \
        in errors[0]
    assert "set RAY_AUTH_MODE=token" in errors[0]
    assert "0" * 64 not in result.stderr + result.stdout
    assert not (tmp_path / "out.json").exists()


def test_a_head_does_not_outlive_a_test_process_that_dies(ray_auth, ray_temp):
    """A test process that crashes never stops its head: the watchdog ends the head's group."""
    import shutil
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    code = ("import os\n"
            "from nnbench_ray.testing import start_head\n"
            "head = start_head(gpus=0)\n"
            "print(head.process.pid, head.folder, flush=True)\n"
            "os._exit(3)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=180)
    assert out.returncode == 3, out.stderr[-2000:]
    pid, folder = out.stdout.split()
    group = int(pid)

    def alive() -> bool:
        try:
            os.killpg(group, 0)
        except OSError:
            return False
        return True

    deadline = time.monotonic() + 60
    while alive() and time.monotonic() < deadline:
        time.sleep(0.5)
    try:
        assert not alive(), "the head outlived the process that started it"
    finally:
        if alive():
            os.killpg(group, signal.SIGKILL)
        shutil.rmtree(Path(folder), ignore_errors=True)
