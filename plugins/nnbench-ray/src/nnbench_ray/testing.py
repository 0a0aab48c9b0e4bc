"""nnbench-ray's pytest fixtures, registered by its ``pytest11`` entry point.

Every pytest session where nnbench-ray is installed loads this module, so it imports nothing
but pytest at import time; ray is imported when a test asks for a cluster.

- ``ray_auth`` (session scope): a token for every Ray instance the tests start or join
  (``RAY_AUTH_MODE=token``, a random ``RAY_AUTH_TOKEN``) set in this process for the session,
  unless the environment already chose; so no test writes ``~/.ray/auth_token``.
- ``ray_temp`` (session scope): ``RAY_TMPDIR`` set to a new short folder for the session, so
  every Ray instance the tests start keeps its session files there (not in ``/tmp/ray``),
  removed after.
- ``ray_local`` (module scope): ``ray.init(num_cpus=2, resources={"FakeGPU": 1},
  include_dashboard=False)`` with a 200 MB object store, in this process; ``--executor ray``
  then runs on it. ``ray.shutdown()`` after the module.
- ``ray_head`` (module scope): ``ray start --head --block`` in a process group of its own, every
  port a free one, its own temp folder, two CPUs, ``--num-gpus 1`` (a GPU as far as Ray's
  scheduler knows: there is no device) and ``FakeGPU=1``; gives ``.gcs_address``
  (``127.0.0.1:PORT``), ``.client_address`` (``ray://127.0.0.1:PORT``) and ``.logs()``. Stopped
  after the module by ending that process group (``ray stop`` would stop every Ray instance on
  the machine, other test sessions' too); a watchdog process ends the group if the test
  process dies first.

Override any with a fixture of the same name in a ``conftest.py``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

#: A small object store: the tests move events, not tensors.
OBJECT_STORE = 200 * 1024**2
#: Ray's own variables a local ``ray.init`` sets in the process that calls it.
RAY_SETS = ("RAY_AUTH_MODE", "PYTHONBREAKPOINT", "RAY_USAGE_STATS_ENABLED", "RAY_CLIENT_MODE")

__all__ = ["RayHead", "free_port", "ray_auth", "ray_head", "ray_local", "ray_temp",
           "start_head"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _kept_environ(names: tuple[str, ...]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in names}
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="session")
def ray_auth() -> Iterator[dict[str, str]]:
    """``RAY_AUTH_MODE=token`` and a random ``RAY_AUTH_TOKEN`` for the session (kept as they
    are when already set); yields the variables a subprocess driver needs."""
    names = ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN")
    with _kept_environ(names):
        if not os.environ.get("RAY_AUTH_TOKEN") and not os.environ.get("RAY_AUTH_TOKEN_PATH"):
            os.environ["RAY_AUTH_TOKEN"] = secrets.token_hex(32)
        os.environ.setdefault("RAY_AUTH_MODE", "token")
        _reread_ray_config()
        yield {name: os.environ[name] for name in names if name in os.environ}
    _reread_ray_config()


def _reread_ray_config() -> None:
    """Ray reads RAY_AUTH_MODE into its configuration when imported; a test module that
    imported ray before this fixture ran needs it read again (as ray.init does when it
    turns token authentication on itself)."""
    if "ray" not in sys.modules:
        return
    try:
        from ray._raylet import Config

        Config.initialize("")
    except Exception:  # noqa: BLE001 -- a Ray without it reads the variable when it connects
        pass


@pytest.fixture(scope="session")
def ray_temp() -> Iterator[Path]:
    """``RAY_TMPDIR``: a short folder of the session's own (Ray's Unix sockets live below it,
    at most 107 bytes a path), removed after."""
    folder = Path(tempfile.mkdtemp(prefix="nnbench-rt-"))
    with _kept_environ(("RAY_TMPDIR",)):
        os.environ["RAY_TMPDIR"] = str(folder)
        yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def ray_local(ray_auth: dict[str, str], ray_temp: Path) -> Iterator[Any]:
    """``ray.init(num_cpus=2, resources={"FakeGPU": 1}, include_dashboard=False)`` for the
    module; the Ray context it returned."""
    pytest.importorskip("ray", reason="needs ray (`pip install nnbench-ray`)")
    import ray

    if ray.is_initialized():
        pytest.fail("ray is already initialized in this process; ray_local starts its own")
    with _kept_environ(RAY_SETS):
        context = ray.init(address="local", num_cpus=2, resources={"FakeGPU": 1},
                           include_dashboard=False, object_store_memory=OBJECT_STORE,
                           log_to_driver=False, logging_level=logging.ERROR)
        try:
            yield context
        finally:
            ray.shutdown()


#: Runs beside each head: when the test process ends without stopping the head (a crash),
#: it ends the head's process group, so no cluster outlives its tests.
_WATCHDOG = """
import os, signal, sys, time
group = int(sys.argv[1])
sys.stdin.buffer.read()  # until the test process closes its end, or dies

def alive():
    try:
        os.killpg(group, 0)
    except OSError:
        return False
    return True

for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 5)):
    if alive():
        os.killpg(group, sig)
    deadline = time.monotonic() + wait
    while alive() and time.monotonic() < deadline:
        time.sleep(0.2)
"""


def _watch(group: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-I", "-S", "-c", _WATCHDOG, str(group)],
                            stdin=subprocess.PIPE, start_new_session=True)


@dataclasses.dataclass
class RayHead:
    """A head node started with ``ray start --head --block``."""

    gcs_address: str
    client_address: str
    folder: Path
    process: subprocess.Popen[bytes]
    watchdog: subprocess.Popen[bytes] | None = None

    def logs(self) -> str:
        """``ray start``'s output so far (for failure messages)."""
        path = self.folder / "head.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        """End the head's process group (``ray start --block`` stops its processes on
        SIGTERM), then remove its folder."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        with contextlib.suppress(ProcessLookupError):  # whatever it left behind
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        if self.watchdog is not None:  # the group is gone: it finds nothing to end
            self.watchdog.stdin.close()  # type: ignore[union-attr]
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.watchdog.wait(timeout=40)
        shutil.rmtree(self.folder, ignore_errors=True)


def start_head(*, cpus: int = 2, gpus: int = 0, resources: dict[str, float] | None = None,
               timeout: float = 90, env: dict[str, str] | None = None) -> RayHead:
    """``ray start --head --block`` on free ports, no dashboard, in a new temp folder.

    ``gpus``: GPUs Ray is told the node has (``--num-gpus``), whether or not it has them: Ray
    then schedules by them and sets ``CUDA_VISIBLE_DEVICES``, which tests the path of a GPU
    request on a machine without one.

    Ray binds its ports on every interface and will not take 127.0.0.1 as the node's address
    (it picks the host's); the tests reach it through 127.0.0.1. Returns once the Ray Client
    server accepts connections.
    """
    import json

    # a short path: Ray's Unix sockets live below it (a socket path has at most 107 bytes)
    folder = Path(tempfile.mkdtemp(prefix="nnbench-ray-"))
    gcs, client = free_port(), free_port()
    ports = {"--port": gcs, "--ray-client-server-port": client}
    for flag in ("--dashboard-port", "--dashboard-agent-listen-port",
                 "--dashboard-agent-grpc-port", "--runtime-env-agent-port",
                 "--metrics-export-port", "--node-manager-port", "--object-manager-port"):
        ports[flag] = free_port()
    ray_cmd = [sys.executable, "-c", "from ray.scripts.scripts import main; main()"]
    cmd = [*ray_cmd, "start", "--head", "--block", "--include-dashboard", "false",
           "--disable-usage-stats", "--num-cpus", str(cpus), "--num-gpus", str(gpus),
           "--object-store-memory", str(OBJECT_STORE), "--temp-dir", str(folder),
           "--resources", json.dumps(resources if resources is not None else {"FakeGPU": 1}),
           *[str(x) for flag, port in ports.items() for x in (flag, port)]]
    full = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", **(env or {})}
    with open(folder / "head.log", "wb") as log:
        process = subprocess.Popen(cmd, cwd=folder, env=full, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    head = RayHead(f"127.0.0.1:{gcs}", f"ray://127.0.0.1:{client}", folder, process,
                   _watch(process.pid))
    deadline = time.monotonic() + timeout
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"ray start exited with {process.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Ray head did not start within {timeout:g} s")
            if "Ray runtime started" in head.logs() and _accepts(client):
                return head
            time.sleep(0.2)
    except BaseException as exc:
        logs = head.logs()
        head.stop()
        if isinstance(exc, Exception):
            raise RuntimeError(f"{exc}\n{logs}") from exc
        raise


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def ray_head(ray_auth: dict[str, str], ray_temp: Path) -> Iterator[RayHead]:
    """``ray start --head`` (two CPUs, one GPU as far as Ray knows, ``FakeGPU=1``) on free
    loopback ports for the module."""
    pytest.importorskip("ray", reason="needs ray (`pip install nnbench-ray`)")
    head = start_head(gpus=1)
    try:
        yield head
    finally:
        head.stop()
