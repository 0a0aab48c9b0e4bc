"""The pieces of nnbench-dask that need no cluster: targets, the thread budget."""

from __future__ import annotations

import os
import types

import pytest
from nnbench.errors import UsageError
from nnbench_dask.executor import parse_target
from nnbench_dask.worker import _budget, _forget_dask_default_threads


@pytest.mark.parametrize(("target", "parsed"), [
    (None, ("local", None)),
    ("dask://sched:8786", ("address", "tcp://sched:8786")),
    ("dask://sched", ("address", "tcp://sched:8786")),
    ("DASK://10.0.0.5:9000", ("address", "tcp://10.0.0.5:9000")),
    ("tcp://10.0.0.5:9000", ("address", "tcp://10.0.0.5:9000")),
    ("tls://sched.example.org:8786", ("address", "tls://sched.example.org:8786")),
    ("dask://[::1]:8786", ("address", "tcp://[::1]:8786")),
    ("scheduler.json", ("file", "scheduler.json")),
    ("/shared/home/me/sched.json", ("file", "/shared/home/me/sched.json")),
])
def test_targets(target, parsed):
    assert parse_target(target) == parsed


@pytest.mark.parametrize("target", ["nowhere", "dask://", "dask://h:0x1", "ftp://h:21",
                                    "tcp://h:1/x", "tcp://h:1?a=b"])
def test_malformed_targets(target):
    with pytest.raises(UsageError, match="--executor dask"):
        parse_target(target)


def _worker(address, nthreads):
    return types.SimpleNamespace(address=address, state=types.SimpleNamespace(nthreads=nthreads))


def test_thread_budget_splits_the_host_between_its_task_slots(monkeypatch):
    import dask.system

    monkeypatch.setattr(dask.system, "CPU_COUNT", 16)
    assert _budget(_worker("tcp://10.0.0.5:4000", 1), {"10.0.0.5": 4}) == 4
    assert _budget(_worker("tcp://10.0.0.5:4000", 2), {"10.0.0.5": 8}) == 2
    assert _budget(_worker("tcp://10.0.0.6:4000", 4), {}) == 4  # joined later: its own slots
    assert _budget(_worker("tcp://10.0.0.5:4000", 1), {"10.0.0.5": 64}) == 1


def test_only_dasks_own_default_of_one_thread_is_replaced(monkeypatch):
    import dask

    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        monkeypatch.setenv(var, "1")
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")  # configured: kept
    with dask.config.set({"distributed.nanny.pre-spawn-environ": {
            "OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 3}}):
        _forget_dask_default_threads()
    assert "OMP_NUM_THREADS" not in os.environ and "MKL_NUM_THREADS" not in os.environ
    assert os.environ["OPENBLAS_NUM_THREADS"] == "3"
