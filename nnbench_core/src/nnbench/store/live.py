"""The live sink: hook implementations that send each result to the store as it arrives.

Results are handed in batches, at least every ``FLUSH_INTERVAL`` seconds, to a writer process
(``nnbench.store.writer``) that JSON-encodes and commits them on another core, so a 50,000-member
family costs little more with the store than without. A run killed outright (SIGKILL, out of
memory) loses at most the results that finished within that interval before the kill: what
was handed over is committed by the writer even after the run's process is gone. Ctrl-C and
normal ends lose nothing. Where no writer process can start (a frozen application, or a
program embedding Python whose ``sys.executable`` is not an interpreter), the same batches are
committed by a thread of the run's process.
"""

from __future__ import annotations

import collections
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nnbench.errors import ReporterError
from nnbench.plugins.hookspecs import hookimpl
from nnbench.store import writer
from nnbench.store.results import ResultsStore, finish_row, run_row
from nnbench.types import BenchmarkRecord

if TYPE_CHECKING:
    from nnbench.records import RunInfo

#: The longest a finished result waits before it is handed to the writer, in seconds.
FLUSH_INTERVAL = 0.25
#: A batch this large is handed over at once, without waiting for the interval.
BATCH = 500

Frame = list[tuple[str, Any]]

_OWN_GROUP: dict[str, Any] = (
    {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if sys.platform == "win32"
    else {"start_new_session": True})


class LiveStorePlugin:
    """Sends each run and result to the store as the run goes (see the module docstring)."""

    def __init__(self, store: ResultsStore, interval: float = FLUSH_INTERVAL) -> None:
        self.store = store
        self.interval = interval
        self._pending: collections.deque[tuple[str, int, dict[str, Any]]] = collections.deque()
        self._flushing = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._error: str | None = None
        self._lost = 0
        self._path = store.path.resolve()  # a benchmark that changes directory changes nothing
        self._process = _start_writer(self._path)
        if self._process is not None:
            store.close(mark_sound=False)  # checked and set up: the writer is its only connection
        self._writer = threading.Thread(target=self._write_loop, name="nnbench-store-writer",
                                        daemon=True)
        self._writer.start()

    def _write_loop(self) -> None:
        while not self._closed:
            self._wake.wait(self.interval)
            self._wake.clear()
            self.flush()

    def flush(self, then: Frame | None = None) -> None:
        """Hand every pending result over now, followed by the operations ``then``."""
        with self._flushing:  # the writer thread and the hooks may both flush
            pop = self._pending.popleft
            # deque pops are atomic: what is appended meanwhile waits for the next flush
            batch = [pop() for _ in range(len(self._pending))]
            frame: Frame = []
            if batch:
                frame.append(("results", batch))
            frame.extend(then or ())
            if frame:
                self._send(frame, len(batch))

    def _send(self, frame: Frame, results: int) -> None:
        if self._error is not None:
            self._lost += results
            return
        try:
            if self._process is None:
                self.store.write(frame)
                return
            try:
                data = writer.pack(frame)
            except ValueError:  # a value marshal does not carry (a str subclass): encode here
                data = writer.pack(_encoded(frame))
            self._process.stdin.write(data)  # type: ignore[union-attr]
            self._process.stdin.flush()  # type: ignore[union-attr]
        except Exception as exc:  # the writer is gone, the disk is full, the file is locked
            self._error = self._writer_failure() or f"{type(exc).__name__}: {exc}"
            self._lost += results

    def _writer_failure(self) -> str | None:
        """The writer process's one-line reason, once it has exited."""
        proc = self._process
        if proc is None:
            return None
        try:
            proc.stdin.close()  # type: ignore[union-attr]
        except OSError:
            pass
        with proc.stderr:  # type: ignore[union-attr]
            if proc.wait() == 0:
                return None
            message = proc.stderr.read().decode(errors="replace").strip()  # type: ignore[union-attr]
        return message.splitlines()[-1] if message else f"writer exited {proc.returncode}"

    def close(self) -> None:
        """Hand over the rest and wait until it is committed; ``ReporterError`` when results
        could not be stored (the run's records are complete all the same)."""
        self._closed = True
        self._wake.set()
        self._writer.join()
        self.flush([("close", None)] if self._process is not None else [])
        if self._process is None:
            self.store.close()
        elif self._error is None:
            self._error = self._writer_failure()
            if self._error is None:
                from nnbench.store.integrity import stamp

                stamp(self._path)
        if self._error is not None:
            lost = f" (at least {self._lost} results not stored)" if self._lost else ""
            raise ReporterError(f"results store {self.store.path}: writing failed: "
                                f"{self._error}{lost}")

    @hookimpl
    def nnbench_run_start(self, run: RunInfo) -> None:
        self.flush([("run", run_row(run.name, run.run_id, run.context, len(run.benchmarks),
                                    run.timestamp))])

    @hookimpl
    def nnbench_benchmark_finish(self, result: dict[str, Any], run: RunInfo, position: int) -> None:
        pending = self._pending
        pending.append((run.run_id, position, result))
        if len(pending) == BATCH:  # once per batch (a missed wake waits for the interval)
            self._wake.set()

    @hookimpl
    def nnbench_run_finish(self, record: BenchmarkRecord, run: RunInfo) -> None:
        if not record.context.get("interrupted"):
            self.flush([("finish", finish_row(run.run_id, record.context))])
        else:
            self.flush()


def _start_writer(path: Path) -> subprocess.Popen[bytes] | None:
    """The writer process for the store at ``path``; None where none can start."""
    script = Path(writer.__file__)
    if getattr(sys, "frozen", False) or not _is_python(sys.executable) or not script.is_file():
        return None
    try:
        # Its own session: a Ctrl-C to the run's process group does not reach it, even while
        # it starts; it stops when the run closes it (or dies).
        proc = subprocess.Popen([sys.executable, "-I", "-S", str(script), str(path)],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, **_OWN_GROUP)
    except OSError:
        return None
    try:  # a batch fits in the pipe: handing it over rarely waits for the writer (Linux)
        import fcntl

        fcntl.fcntl(proc.stdin.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)  # type: ignore[union-attr]
    except (ImportError, AttributeError, OSError):
        pass
    return proc


def _is_python(executable: str) -> bool:
    """Whether ``executable`` is a Python interpreter (not an application embedding one, such
    as a frozen program or a server whose ``sys.executable`` is its own binary)."""
    return Path(executable).name.lower().startswith(("python", "pypy")) if executable else False


def _encoded(frame: Frame) -> Frame:
    """``frame`` with every result already JSON-encoded (a string marshal can carry)."""
    return [("encoded", [(r, p, d["name"], writer.encode(d)) for r, p, d in payload])
            if op == "results" else (op, payload) for op, payload in frame]
