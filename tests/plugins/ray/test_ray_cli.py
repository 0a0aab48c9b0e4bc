"""`nnbench run --executor ray...` through the CLI: a local instance of its own, clusters that
cannot be reached, malformed targets, resources no local node has."""

from __future__ import annotations

import json
import os
import textwrap

import pytest
from nnbench.testing.executor_suites import (
    lists_executor,
    nothing_written,
    one_error_line,
    trivial_suite,
)

pytest.importorskip("ray")

@pytest.fixture
def bench(tmp_path):
    return trivial_suite(tmp_path)


def test_plugins_lists_the_ray_executor(nnbench_cli):
    lists_executor(nnbench_cli, "ray", "nnbench-ray")


@pytest.mark.parametrize("target", ["ray://127.0.0.1:{port}", "ray:127.0.0.1:{port}"])
def test_a_closed_port_is_refused_at_once(nnbench_cli, bench, nnbench_store, tmp_path,
                                          target):
    from nnbench_ray.testing import free_port

    spec = target.format(port=free_port())
    result = nnbench_cli("run", str(bench), "--executor", spec, "-o", "out.json")
    line = one_error_line(result)
    assert "refused the connection; check that the cluster is running" in line, line
    nothing_written(tmp_path, nnbench_store)


def test_ray_auto_with_a_stale_address_is_refused_at_once(nnbench_cli, bench, nnbench_store,
                                                         tmp_path, monkeypatch):
    from nnbench_ray.testing import free_port

    monkeypatch.setenv("RAY_ADDRESS", f"127.0.0.1:{free_port()}")
    line = one_error_line(nnbench_cli("run", str(bench), "--executor", "ray:auto"))
    assert line.startswith("error: --executor ray:auto: the Ray cluster at ")
    assert "refused the connection" in line
    nothing_written(tmp_path, nnbench_store)


def test_ray_auto_without_a_cluster_says_how_to_get_one(nnbench_cli, bench, nnbench_store,
                                                        tmp_path, monkeypatch):
    from ray._private.services import find_gcs_addresses

    if find_gcs_addresses():
        pytest.skip("a Ray cluster runs on this machine; ray:auto would find it")
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    monkeypatch.setenv("RAY_TMPDIR", str(tmp_path / "no-ray"))  # no `ray start` recorded here
    line = one_error_line(nnbench_cli("run", str(bench), "--executor", "ray:auto"))
    assert "no running Ray cluster found" in line and "ray start" in line
    nothing_written(tmp_path, nnbench_store)


@pytest.mark.parametrize(("target", "says"), [
    ("ray:nowhere", "expected HOST:PORT"),
    ("ray://", "expected HOST[:PORT] after ray://"),
    ("ray:http://127.0.0.1:8265", "unknown protocol 'http'"),
    ("ray:", "use NAME, NAME:TARGET or NAME://HOST:PORT"),
])
def test_malformed_targets(nnbench_cli, bench, nnbench_store, tmp_path, target, says):
    line = one_error_line(nnbench_cli("run", str(bench), "--executor", target))
    assert says in line
    nothing_written(tmp_path, nnbench_store)


def test_ray_alone_runs_on_a_local_instance_it_shuts_down(nnbench_cli, bench, nnbench_store,
                                                          tmp_path):
    result = nnbench_cli.subprocess("run", str(bench), "--executor", "ray", "-q",
                                    "-o", "out.json", timeout=180)
    assert result.exit_code == 0, result
    assert result.stderr == "", result  # no cluster chatter
    record = json.loads((tmp_path / "out.json").read_text())
    assert [r["value"] for r in record["benchmarks"]] == [42, 0, 1, 4]
    execution = record["context"]["execution"]
    assert execution["executor"] == "ray" and execution["threads"] == 1
    assert execution["resources"] == {"CPU": 1.0} and execution["ray_node"]
    assert nnbench_store.exists()


def test_resources_the_local_instance_lacks_fail_at_once(nnbench_cli, tmp_path):
    folder = tmp_path / "benchmarks"
    folder.mkdir()
    (folder / "bench_gpu.py").write_text(textwrap.dedent('''
        import nnbench


        @nnbench.benchmark(resources={"GPU": 1, "FakeGPU": 2})
        def on_gpu() -> int:
            return 1
    '''))
    result = nnbench_cli.subprocess("run", str(folder), "--executor", "ray", "--no-store",
                                    timeout=180)
    assert result.exit_code != 0, result
    assert ("needs FakeGPU=2, GPU=1, which the local Ray instance does not have; start a "
            "cluster that has it (e.g. `ray start --head --num-gpus 1 --resources "
            "'{\"FakeGPU\": 2}'`) and use --executor ray:auto") in result.stderr, result
    assert os.environ.get("RAY_ADDRESS") is None


def test_a_local_instance_is_shut_down_and_the_environment_restored():
    import ray
    from nnbench.errors import UsageError
    from nnbench_ray import RayExecutor

    before = dict(os.environ)
    executor = RayExecutor(None, workers=1)
    assert ray.is_initialized() and executor.owned
    executor.close()
    assert not ray.is_initialized()
    assert dict(os.environ) == before  # ray.init's RAY_AUTH_MODE, PYTHONBREAKPOINT, ... undone
    with pytest.raises(UsageError, match="this RayExecutor is closed"):
        next(executor.run([]))
