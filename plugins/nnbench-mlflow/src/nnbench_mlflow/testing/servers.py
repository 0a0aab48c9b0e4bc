"""Real MLflow tracking stores for tests: a local SQLite database and ``mlflow server``.

Neither imports pytest. A new SQLite tracking database costs seconds of schema migrations, so
one is migrated per process and copied (``tracking_db``); the server gets such a copy too.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

__all__ = ["MlflowServer", "free_port", "tracking_db"]

_REQUEST = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3})')
_template: Path | None = None
_template_lock = threading.Lock()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _migrated_template() -> Path:
    """An empty, fully migrated tracking database, made once per process."""
    global _template
    with _template_lock:
        if _template is None:
            from mlflow import MlflowClient

            folder = Path(tempfile.mkdtemp(prefix="nnbench-mlflow-template-"))
            atexit.register(shutil.rmtree, folder, True)
            db = folder / "mlflow.db"
            MlflowClient(f"sqlite:///{db}").search_experiments()
            _template = db
        return _template


def tracking_db(folder: str | os.PathLike[str], name: str = "mlflow.db") -> str:
    """``sqlite:///FOLDER/NAME``: a new, empty tracking database (a copy of a migrated one)."""
    target = Path(folder).absolute() / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_migrated_template(), target)
    return f"sqlite:///{target}"


class MlflowServer:
    """``mlflow server`` as a child process on 127.0.0.1, with its SQLite database and
    artifacts under ``root``; ``url``; ``requests()`` lists the REST requests it answered."""

    def __init__(self, root: str | os.PathLike[str], *, startup_timeout: float = 240) -> None:
        self.root = Path(root).absolute()
        self.root.mkdir(parents=True, exist_ok=True)
        self.backend = tracking_db(self.root)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.root / "server.log"
        cmd = [sys.executable, "-m", "mlflow", "server", "--backend-store-uri", self.backend,
               "--artifacts-destination", str(self.root / "artifacts"),
               "--host", "127.0.0.1", "--port", str(self.port), "--workers", "1"]
        self._log = open(self.log_path, "w")
        self._proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, cwd=self.root,
                                      start_new_session=True)
        try:
            self._wait_ready(startup_timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"mlflow server exited ({self._proc.returncode}): "
                                   f"{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"mlflow server not ready after {timeout:.0f} s: {self.log_tail()}")

    def log_tail(self, lines: int = 5) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return " | ".join(text.strip().splitlines()[-lines:])

    def requests(self, since: int = 0) -> list[tuple[str, str, int]]:
        """``(method, path, status)`` of every request answered, from the ``since``-th on."""
        text = self.log_path.read_text(errors="replace")
        found = [(m["method"], m["path"], int(m["status"])) for m in _REQUEST.finditer(text)]
        return found[since:]

    def mark(self) -> int:
        """A position in the request log, for ``requests(since=...)``."""
        return len(self.requests())

    def __enter__(self) -> MlflowServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the server and the workers it started (its own process group)."""
        if self._proc.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self._proc.wait(20)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self._proc.wait(10)
        self._log.close()

    def _signal(self, sig: int) -> None:
        try:
            os.killpg(self._proc.pid, sig)  # the group start_new_session gave it
        except ProcessLookupError:
            pass
