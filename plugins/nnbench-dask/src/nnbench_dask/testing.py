"""nnbench-dask's pytest fixtures, registered by its ``pytest11`` entry point.

Every pytest session where nnbench-dask is installed loads this module, so it imports nothing
but pytest at import time; distributed is imported when a test asks for a cluster.

- ``dask_local_cluster`` (module scope): a ``distributed.LocalCluster`` with two worker
  processes, one thread each, no dashboard, a worker death retried once
  (``distributed.scheduler.allowed-failures = 1``). Use ``cluster.scheduler_address``.
- ``dask_cli_cluster`` (module scope): a scheduler and a worker started as separate processes
  with the ``dask scheduler`` / ``dask worker`` commands on free loopback ports (two worker
  processes, one thread each), in their own folder, so nothing is shared with the test
  process but the network. Gives ``.address``, ``.scheduler_file`` and ``.logs()``; both
  processes are stopped after the module.

Override either with a fixture of the same name in a ``conftest.py``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

#: No dashboard, and the scheduler's HTTP server on a free loopback port (not 8787).
QUIET_HTTP = {"dashboard_address": "127.0.0.1:0"}

__all__ = ["CLICluster", "dask_cli_cluster", "dask_local_cluster", "free_port", "start_cli_cluster"]


@pytest.fixture(scope="module")
def dask_local_cluster() -> Iterator[Any]:
    """A LocalCluster(processes=True, n_workers=2, threads_per_worker=1) for the module."""
    pytest.importorskip("distributed", reason="needs distributed (`pip install nnbench-dask`)")
    import dask
    from distributed import LocalCluster

    from nnbench_dask.executor import nanny_environ, restore_environ

    saved = nanny_environ()  # the nannies set OMP_NUM_THREADS=1 etc. in this process too
    try:
        with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
            cluster = LocalCluster(processes=True, n_workers=2, threads_per_worker=1,
                                   dashboard_address=None, host="127.0.0.1",
                                   scheduler_kwargs=QUIET_HTTP)
    finally:
        restore_environ(saved)
    try:
        yield cluster
    finally:
        cluster.close()
        restore_environ(saved)


@dataclasses.dataclass
class CLICluster:
    """A scheduler and worker processes started with the ``dask`` command."""

    address: str
    scheduler_file: Path
    folder: Path
    processes: list[subprocess.Popen[bytes]]

    def logs(self) -> str:
        """The scheduler's and workers' output so far (for failure messages)."""
        parts = []
        for name in ("scheduler.log", "worker.log"):
            path = self.folder / name
            if path.exists():
                parts.append(f"--- {name}\n{path.read_text(errors='replace')[-4000:]}")
        return "\n".join(parts)

    def stop(self) -> None:
        """Workers first, each waited for (a worker that loses its scheduler while closing
        waits for it), then the scheduler."""
        for proc in reversed(self.processes):
            if proc.poll() is None:
                proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_cli_cluster(folder: Path, *, workers: int = 2, timeout: float = 60,
                      env: dict[str, str] | None = None) -> CLICluster:
    """``dask scheduler`` and ``dask worker --nworkers N --nthreads 1`` on loopback ports.

    Runs ``python -m dask`` (the ``dask`` command) from this interpreter, in ``folder``, with
    ``distributed.scheduler.allowed-failures`` at 1. Returns once ``workers`` have joined.
    """
    from distributed import Client

    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler_file = folder / "scheduler.json"
    full = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1", **(env or {})}
    dask_cmd = [sys.executable, "-m", "dask"]
    cluster = CLICluster(address, scheduler_file, folder, [])
    with open(folder / "scheduler.log", "wb") as log:
        cluster.processes.append(subprocess.Popen(
            [*dask_cmd, "scheduler", "--host", "127.0.0.1", "--port", str(port),
             "--no-dashboard", "--scheduler-file", str(scheduler_file)],
            cwd=folder, env=full, stdout=log, stderr=subprocess.STDOUT))
    try:
        deadline = time.monotonic() + timeout
        while not scheduler_file.exists():
            if time.monotonic() > deadline or cluster.processes[0].poll() is not None:
                raise RuntimeError(f"dask scheduler did not start\n{cluster.logs()}")
            time.sleep(0.1)
        with open(folder / "worker.log", "wb") as log:
            cluster.processes.append(subprocess.Popen(
                [*dask_cmd, "worker", address, "--nworkers", str(workers), "--nthreads", "1",
                 "--no-dashboard", "--host", "127.0.0.1",
                 "--local-directory", str(folder / "worker-space")],
                cwd=folder, env=full, stdout=log, stderr=subprocess.STDOUT))
        with Client(address, timeout=timeout, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=max(1.0, deadline - time.monotonic()))
    except BaseException as exc:
        logs = cluster.logs()
        cluster.stop()
        if isinstance(exc, Exception):
            raise RuntimeError(f"dask cluster did not start: {exc}\n{logs}") from exc
        raise
    return cluster


@pytest.fixture(scope="module")
def dask_cli_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CLICluster]:
    """``dask scheduler`` + ``dask worker`` (two processes, one thread each) for the module."""
    pytest.importorskip("distributed", reason="needs distributed (`pip install nnbench-dask`)")
    cluster = start_cli_cluster(tmp_path_factory.mktemp("dask-cli"))
    try:
        yield cluster
    finally:
        cluster.stop()
