"""nnbench-ray on a Ray instance this test process starts (`ray.init(num_cpus=2,
resources={"FakeGPU": 1})`, module scope): ExecutorContract, where results ran, resources,
dead workers, missing packages, a run closed early."""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from pathlib import Path

import pytest
from nnbench.errors import NNBenchError, UsageError
from nnbench.session import Session
from nnbench.testing import ExecutorContract, isolated_plugin_manager
from nnbench.testing.executor_suites import (
    KILLER,
    cancel_after_first_result,
    killed_unit_failure,
    write,
)

ray = pytest.importorskip("ray")


class TestRayLocal(ExecutorContract):
    plugin = "nnbench_ray.plugin"
    plugin_name = "ray"

    @pytest.fixture
    def contract_executor(self, ray_local):
        return "ray"  # a process connected to Ray runs on that connection

    def test_results_record_where_they_ran(self, contract_plugin_manager, contract_suite,
                                           contract_executor):
        records = self._run(contract_plugin_manager, contract_suite, contract_executor)
        node = ray.get_runtime_context().get_node_id()
        for record in records:
            execution = record.context["execution"]
            assert execution["executor"] == "ray" and execution["pid"] != os.getpid()
            assert execution["ray_node"] == node and execution["ray_node_ip"]
            assert execution["resources"] == {"CPU": 1.0}  # a unit takes one CPU
            assert execution["threads"] == 1  # Ray's OMP_NUM_THREADS: the task's CPUs
            assert execution["accelerator_ids"] == {}


@pytest.fixture
def manager():
    with isolated_plugin_manager("nnbench_ray.plugin", "ray") as manager:
        yield manager



SPANS = '''
    import os
    import time
    from pathlib import Path

    import nnbench
    from nnbench.types import Artifact


    class Blob(Artifact[bytes]):
        def deserialize(self):
            self._value = self.path.read_bytes()


    @nnbench.benchmark(resources={resources!r}, repeat=1, warmup=0, number=1)
    def on_accelerator(model: Blob) -> str:
        """Records when it held the resource; returns what Ray showed it."""
        start = time.time()
        time.sleep(0.4)
        with open({log!r}, "a") as f:
            f.write(f"{{start}} {{time.time()}}\\n")
        return os.environ.get("CUDA_VISIBLE_DEVICES", "")
'''


def _spans(log: Path) -> list[tuple[float, float]]:
    return sorted(tuple(map(float, line.split())) for line in log.read_text().splitlines())


def test_a_custom_resource_stands_in_for_a_gpu(manager, ray_local, tmp_path):
    """Two units that each need the one FakeGPU run one after the other, each told so."""
    log = tmp_path / "spans.txt"
    bench = write(tmp_path / "b", "bench_fake_gpu.py",
                   SPANS.format(resources={"FakeGPU": 1}, log=str(log)))
    models = []
    for name in ("model-a", "model-b"):
        (tmp_path / name).write_bytes(name.encode())
        models.append(str(tmp_path / name))
    session = Session(plugins=manager, store=None, executor="ray")
    records = session.run(bench, loaders=models, name="fake-gpu")
    for record in records:
        assert record.benchmarks[0]["error_type"] is None
        assert record.context["execution"]["resources"] == {"CPU": 1.0, "FakeGPU": 1.0}
    (a_start, a_end), (b_start, b_end) = _spans(log)
    assert b_start >= a_end, "Ray gave the single FakeGPU to one unit at a time"


def test_a_unit_without_resources_runs_beside_another(manager, ray_local, tmp_path):
    log = tmp_path / "spans.txt"
    bench = write(tmp_path / "b", "bench_cpu.py", SPANS.format(resources={}, log=str(log))
                   .replace("@nnbench.benchmark(resources={}, ", "@nnbench.benchmark("))
    models = []
    for name in ("model-a", "model-b"):
        (tmp_path / name).write_bytes(name.encode())
        models.append(str(tmp_path / name))
    Session(plugins=manager, store=None, executor="ray").run(bench, loaders=models)
    (a_start, a_end), (b_start, b_end) = _spans(log)
    assert b_start < a_end, "two CPUs: the two units ran side by side"


def test_a_killed_worker_gets_the_unit_retried(manager, ray_local, tmp_path):
    bench = write(tmp_path / "b", "bench_killer.py", KILLER.format(marks=str(tmp_path / "m")))
    session = Session(plugins=manager, store=tmp_path / "store.db", executor="ray")
    [record] = session.run(bench, name="killed")
    assert [r["value"] for r in record.benchmarks] == [1, 7]
    assert record.context["interrupted"] is False and not session.failures
    assert len(list((tmp_path / "m").iterdir())) == 1  # it ran twice: killed once


def test_a_unit_whose_worker_dies_twice_fails_with_the_reason(manager, ray_local, tmp_path):
    bench = write(tmp_path / "b", "bench_killer.py", KILLER.format(marks=str(tmp_path / "m")))
    session = Session(plugins=manager, store=None, executor="ray")
    message = killed_unit_failure(session, bench)
    assert re.match(r"its Ray worker died 2 times while running it \(killed or out of memory; "
                    r"on [\d.]+ pid \d+, [\d.]+ pid \d+\); see the Ray logs", message), message
    assert len(list((tmp_path / "m").iterdir())) == 2


def test_retries_zero_stops_at_the_first_death(manager, ray_local, tmp_path):
    from nnbench_ray import RayExecutor

    bench = write(tmp_path / "b", "bench_killer.py", KILLER.format(marks=str(tmp_path / "m")))
    executor = RayExecutor(None, plugins=manager, retries=0)
    session = Session(plugins=manager, store=None, executor=executor)
    message = killed_unit_failure(session, bench)
    assert message.startswith("its Ray worker died once while running it")


def test_a_package_missing_on_the_worker_is_one_clear_error(manager, ray_local, tmp_path,
                                                            monkeypatch):
    module = f"driver_only_{uuid.uuid4().hex[:8]}"
    write(tmp_path / "site", f"{module}.py", "VALUE = 3\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))  # after ray.init: workers lack it
    bench = write(tmp_path / "b", "bench_needs.py", f'''
        import nnbench
        import {module}


        @nnbench.benchmark
        def uses() -> int:
            return {module}.VALUE
    ''')
    session = Session(plugins=manager, store=None, executor="ray")
    with pytest.raises(NNBenchError) as info:
        session.run(bench, name="missing")
    message = str(info.value)
    assert "\n" not in message
    assert f"No module named '{module}'" in message
    assert re.search(r"on ray node [\d.]+ \S+ \(pid \d+\): cannot import", message), message


def test_a_complete_run_cancels_nothing(manager, ray_local, tmp_path, monkeypatch):
    """Its tasks report ``done`` before they return: cancelling them then tripped a check in
    Ray's task manager that ended the driver process (exit 1, no output) in one CI run of three.
    A complete run waits for them instead. ``ray.cancel`` is the real one, counted."""
    import ray

    calls = []
    real = ray.cancel
    monkeypatch.setattr(ray, "cancel", lambda *a, **k: calls.append(a) or real(*a, **k))
    bench = write(tmp_path / "b", "bench_many.py", '''
        import nnbench


        @nnbench.parametrize([{"i": i} for i in range(3)])
        def member(i: int) -> int:
            return i
    ''')
    from nnbench_ray import RayExecutor

    for _ in range(3):
        session = Session(plugins=manager, store=tmp_path / "s.db",
                          executor=RayExecutor(None, plugins=manager))
        [record] = session.run(bench)
        assert [r["value"] for r in record.benchmarks] == [0, 1, 2]
    assert calls == []


def test_closing_the_run_cancels_outstanding_work(manager, ray_local, tmp_path):
    from nnbench_ray import RayExecutor

    log = cancel_after_first_result(RayExecutor(None, plugins=manager), manager, tmp_path)
    assert ray.is_initialized(), "a connection the executor did not make stays open"
    time.sleep(1.0)
    ran = log.read_text().split()
    assert len(ran) < 6, "the cancelled unit stopped where it was"
    # both CPUs are free again: two one-CPU tasks run side by side at once
    start = time.monotonic()
    ray.get([ray.remote(lambda: time.sleep(0.5)).remote() for _ in range(2)], timeout=30)
    assert time.monotonic() - start < 10


def test_runtime_env_reaches_every_task(manager, ray_local, tmp_path):
    from nnbench_ray import RayExecutor

    bench = write(tmp_path / "b", "bench_env.py", '''
        import os

        import nnbench


        @nnbench.benchmark
        def probe() -> str:
            return os.environ.get("NNBENCH_RAY_PROBE", "")
    ''')
    executor = RayExecutor(None, plugins=manager,
                           runtime_env={"env_vars": {"NNBENCH_RAY_PROBE": "from runtime_env"}})
    [record] = Session(plugins=manager, store=None, executor=executor).run(bench)
    assert record.benchmarks[0]["value"] == "from runtime_env"


def test_resources_ray_cannot_schedule_fail_their_unit(manager, ray_local, tmp_path):
    bench = write(tmp_path / "b", "bench_bad.py", '''
        import nnbench


        @nnbench.benchmark(resources={"GPU": 1.5})
        def odd() -> int:
            return 1
    ''')
    with pytest.raises(NNBenchError, match=r"GPU=1\.5: Ray takes fractions up to 1 or whole"):
        Session(plugins=manager, store=None, executor="ray").run(bench, name="odd")


def test_an_address_while_connected_is_refused(manager, ray_local):
    from nnbench_ray import RayExecutor

    with pytest.raises(UsageError, match=r"--executor ray:auto: this process is already "
                                         r"connected to Ray \(ray.init was called\)"):
        RayExecutor("auto", plugins=manager)


def test_records_are_json(manager, ray_local, tmp_path):
    bench = write(tmp_path / "b", "bench_plain.py", '''
        import nnbench


        @nnbench.parametrize([{"n": n} for n in range(3)])
        def square(n: int) -> int:
            return n * n
    ''')
    [record] = Session(plugins=manager, store=None, executor="ray").run(bench)
    data = json.loads(json.dumps(record.to_dict()))
    assert [r["value"] for r in data["benchmarks"]] == [0, 1, 4]
