"""Download progress: loaders report bytes and files, one display shows every transfer.

On a terminal (stderr is a TTY) each transfer is a line with its bytes, rate and files: inside
the run's progress display while a run shows one, else in a display of its own that lasts as
long as the transfers. Piped or redirected, nothing is shown; a worker process shows nothing
(its driver owns the terminal). A loader reports like this::

    from nnbench.artifacts.transfers import transfer

    with transfer("s3://bucket/model", total=size, files=len(todo)) as t:
        for f in todo:
            ...               # t.advance(len(chunk)) as bytes arrive
            t.file_done()
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol

__all__ = ["ForwardingSink", "Transfer", "TransferSink", "progress_columns", "replay", "silence",
           "transfer", "use_sink", "watch"]

#: How often ``watch`` looks at the disk.
INTERVAL = 0.25


class TransferSink(Protocol):
    """Where transfers are shown (the run's display, or a display of their own)."""

    def add_transfer(self, label: str, total: int | None, files: int | None) -> Any: ...
    def update_transfer(self, key: Any, *, advance: int = 0, done_files: int = 0,
                        total: int | None = None) -> None: ...
    def end_transfer(self, key: Any) -> None: ...


class Transfer:
    """One transfer's progress, reported by a loader (thread-safe; does nothing when unshown)."""

    def __init__(self, sink: TransferSink | None, label: str, total: int | None,
                 files: int | None) -> None:
        self._sink = sink
        if sink is not None:
            from nnbench.redact import clip, redact_url

            label = clip(redact_url(label), 60)  # no sink ever sees a secret
        self._key = sink.add_transfer(label, total, files) if sink is not None else None
        self.bytes = 0
        self.files_done = 0

    @property
    def shown(self) -> bool:
        """Whether anything displays it (a loader that polls for progress may skip that)."""
        return self._sink is not None

    def advance(self, nbytes: int) -> None:
        """``nbytes`` more arrived."""
        self.bytes += nbytes
        if self._sink is not None and nbytes:
            self._sink.update_transfer(self._key, advance=nbytes)

    def set_bytes(self, nbytes: int) -> None:
        """The bytes arrived so far (for loaders that poll rather than count)."""
        self.advance(nbytes - self.bytes)

    def file_done(self, count: int = 1) -> None:
        self.files_done += count
        if self._sink is not None:
            self._sink.update_transfer(self._key, done_files=count)

    def set_total(self, total: int) -> None:
        if self._sink is not None:
            self._sink.update_transfer(self._key, total=total)

    def close(self) -> None:
        if self._sink is not None:
            self._sink.end_transfer(self._key)
            self._sink = None


_lock = threading.Lock()
_sink: TransferSink | None = None  # the run's display while it shows one
_silent = False
_standalone: _OwnDisplay | None = None


def use_sink(sink: TransferSink | None) -> TransferSink | None:
    """Show transfers in ``sink`` (None: back to the default); returns the previous one."""
    global _sink
    with _lock:
        previous, _sink = _sink, sink
    return previous


def silence(silent: bool = True) -> None:
    """Show no transfer in this process (worker processes)."""
    global _silent
    _silent = silent


@contextlib.contextmanager
def transfer(label: str, *, total: int | None = None, files: int | None = None) -> Iterator[Transfer]:
    """Report one transfer while the block runs (see the module docstring)."""
    t = Transfer(_pick(), label, total, files)
    try:
        yield t
    finally:
        t.close()


@contextlib.contextmanager
def watch(shown: Transfer, partial: os.PathLike[str] | str, suffix: str,
          finished: Callable[[], tuple[int, int]]) -> Iterator[None]:
    """Report ``shown``'s progress from the disk while the block runs, for a loader whose
    download library reports nothing usable: every ``INTERVAL`` s the bytes of the files ending
    in ``suffix`` below ``partial`` (written since the block began) plus what ``finished()``
    says is in place, as ``(files, bytes)``. Nothing happens when ``shown`` is not displayed."""
    if not shown.shown:
        yield
        return
    started = time.time()
    stop = threading.Event()

    def look() -> None:
        files, complete = finished()
        if files > shown.files_done:
            shown.file_done(files - shown.files_done)
        shown.set_bytes(complete + _partial_bytes(os.fspath(partial), suffix, started))

    def loop() -> None:
        while not stop.wait(INTERVAL):
            try:
                look()
            except Exception:  # progress never fails a download
                return

    thread = threading.Thread(target=loop, name="nnbench-transfer-watch", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        with contextlib.suppress(Exception):
            look()


def _partial_bytes(folder: str, suffix: str, since: float) -> int:
    total = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            if name.endswith(suffix):
                try:
                    stat = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue  # renamed into place meanwhile
                if stat.st_mtime >= since - 1:
                    total += stat.st_size
    return total


def _pick() -> TransferSink | None:
    global _standalone
    if _silent:
        return None
    with _lock:
        if _sink is not None:
            return _sink
        if not _is_terminal():
            return None
        if _standalone is None:
            _standalone = _OwnDisplay()
        return _standalone


def _is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def progress_columns() -> tuple[Any, ...]:
    """The columns of a transfer line: label, bar, bytes, rate, files."""
    from rich.progress import BarColumn, DownloadColumn, TextColumn, TransferSpeedColumn

    return (TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(),
            TransferSpeedColumn(), TextColumn("{task.fields[files]}"))


def files_text(done: int, files: int | None) -> str:
    return f"{done}/{files} files" if files else (f"{done} files" if done else "")


class ProgressSink:
    """Transfers as tasks of a rich ``Progress`` built with ``progress_columns()``."""

    def __init__(self, progress: Any) -> None:
        self.progress = progress
        self._files: dict[Any, tuple[int, int | None]] = {}
        self._lock = threading.Lock()

    def add_transfer(self, label: str, total: int | None, files: int | None) -> Any:
        from nnbench.redact import clip, redact_url

        key = self.progress.add_task(clip(redact_url(label), 60), total=total,
                                     files=files_text(0, files))
        self._files[key] = (0, files)
        return key

    def update_transfer(self, key: Any, *, advance: int = 0, done_files: int = 0,
                        total: int | None = None) -> None:
        fields: dict[str, Any] = {}
        if done_files:
            with self._lock:
                done, files = self._files[key]
                self._files[key] = (done + done_files, files)
            fields["files"] = files_text(done + done_files, files)
        if total is not None:
            fields["total"] = total
        self.progress.update(key, advance=advance, **fields)

    def end_transfer(self, key: Any) -> None:
        self.progress.remove_task(key)
        self._files.pop(key, None)


class ForwardingSink:
    """A worker's sink: each transfer becomes small payloads for ``send`` (which must be safe
    to call from any thread), updates at most every ``interval`` seconds per transfer; the
    driver ``replay``s them into its display."""

    def __init__(self, send: Callable[[dict[str, Any]], None], interval: float = 0.25) -> None:
        self._target: Callable[[dict[str, Any]], None] | None = send
        self._interval = interval
        self._lock = threading.Lock()
        self._next = 0
        self._pending: dict[int, list[Any]] = {}  # key -> [advance, done_files, total, sent at]

    def add_transfer(self, label: str, total: int | None, files: int | None) -> Any:
        from nnbench.redact import clip, redact_url

        with self._lock:
            key = self._next
            self._next += 1
            self._pending[key] = [0, 0, None, time.monotonic()]
        self._send({"op": "add", "key": key, "label": clip(redact_url(label), 60),
                    "total": total, "files": files})
        return key

    def update_transfer(self, key: Any, *, advance: int = 0, done_files: int = 0,
                        total: int | None = None) -> None:
        with self._lock:
            pending = self._pending[key]
            pending[0] += advance
            pending[1] += done_files
            if total is not None:
                pending[2] = total
            if not done_files and time.monotonic() - pending[3] < self._interval:
                return
            payload = self._take(key)
        self._send(payload)

    def end_transfer(self, key: Any) -> None:
        with self._lock:
            payload = self._take(key)
            del self._pending[key]
        self._send(payload)
        self._send({"op": "end", "key": key})

    def _send(self, payload: dict[str, Any]) -> None:
        """Send, or stop sending for good once the channel refuses (the run was cancelled):
        progress never fails a download."""
        target = self._target
        if target is None:
            return
        try:
            target(payload)
        except Exception:
            self._target = None

    def _take(self, key: int) -> dict[str, Any]:
        advance, done_files, total, _ = self._pending[key]
        self._pending[key] = [0, 0, None, time.monotonic()]
        return {"op": "update", "key": key, "advance": advance, "done_files": done_files,
                "total": total}


def replay(sink: TransferSink, keys: dict[Any, Any], origin: Any, payload: dict[str, Any]) -> None:
    """Apply one ``ForwardingSink`` payload from ``origin`` (a worker's unit) to ``sink``;
    ``keys`` maps (origin, worker key) to the sink's own keys between calls."""
    op, ident = payload.get("op"), (origin, payload.get("key"))
    if op == "add":
        keys[ident] = sink.add_transfer(payload.get("label") or "download",
                                        payload.get("total"), payload.get("files"))
    elif ident in keys and op == "update":
        sink.update_transfer(keys[ident], advance=payload.get("advance") or 0,
                             done_files=payload.get("done_files") or 0,
                             total=payload.get("total"))
    elif ident in keys and op == "end":
        sink.end_transfer(keys.pop(ident))


class _OwnDisplay(ProgressSink):
    """A display on stderr of its own, started with the first transfer, stopped with the last."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import Progress

        super().__init__(Progress(*progress_columns(), console=Console(stderr=True),
                                  transient=True))
        self._active = 0

    def add_transfer(self, label: str, total: int | None, files: int | None) -> Any:
        with self._lock:
            if self._active == 0:
                self.progress.start()
            self._active += 1
        return super().add_transfer(label, total, files)

    def end_transfer(self, key: Any) -> None:
        super().end_transfer(key)
        with self._lock:
            self._active -= 1
            if self._active == 0:
                self.progress.stop()
