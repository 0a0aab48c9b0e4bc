"""Running a unit in a worker process that is not the driver (processes, dask, ray).

The worker collects the benchmarks itself (from the shipped files when it does not share the
driver's file system), resolves the artifact specs with its own plugins, cache and
credentials, and splits the machine with the other workers instead of oversubscribing it.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nnbench.executors.events import UnitEvent
from nnbench.runner import run_unit, worker_facts

if TYPE_CHECKING:
    from nnbench.plan import Unit

THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")
_managers: dict[tuple[str, ...], Any] = {}


def thread_budget(workers: int) -> int:
    """Compute threads per worker: the usable cores split between ``workers`` (at least 1)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, (cores or 1) // max(1, workers))


def limit_threads(threads: int | None) -> None:
    """Give this process ``threads`` compute threads, unless the user already chose."""
    if threads is None or any(v in os.environ for v in THREAD_VARIABLES):
        return
    for var in THREAD_VARIABLES:
        os.environ[var] = str(threads)
    import sys

    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(threads)


def code_cache() -> Path:
    """Where shipped benchmark files are unpacked on this worker."""
    return Path(tempfile.gettempdir()) / f"nnbench-code-{os.getuid() if hasattr(os, 'getuid') else 0}"


def receive_unit(payload: bytes, index: int, where: str) -> Unit | UnitEvent:
    """The pickled unit a worker was sent, or the ``done`` event saying, with ``where`` (e.g.
    ``on dask worker tcp://...``), why it cannot be read (a package missing on this worker)."""
    import pickle

    try:
        return pickle.loads(payload)  # type: ignore[no-any-return]
    except Exception as exc:
        return UnitEvent("done", index, error=f"{where}: cannot receive the unit: "
                         f"{type(exc).__name__}: {exc}", error_type=type(exc).__name__)


def execute_unit(unit: Unit, index: int, executor: str, *, blocked: Iterable[str] = (),
                 emit: Callable[[UnitEvent], None] | None = None,
                 **facts: Any) -> list[UnitEvent]:
    """Run ``unit`` here; every event goes to ``emit`` as it happens and into the returned
    list (``start`` events only to ``emit``). A unit that cannot start (a package missing on
    this worker, a loader error) ends with a ``done`` event naming this worker."""
    from nnbench.artifacts import transfers

    if emit is not None:  # downloads here show in the driver's display, sent as events
        emit = _serialised(emit)
        previous = transfers.use_sink(transfers.ForwardingSink(
            lambda payload: emit(UnitEvent("transfer", index, result=payload))))
    else:
        transfers.silence()  # the driver owns the terminal
    try:
        unit.source = unit.source.unpack(code_cache())
        unit.benchmarks = None
        worker = worker_facts(executor, **facts)
        events: list[UnitEvent] = []
        for event in run_unit(unit, index, plugins=_plugins(tuple(sorted(blocked))),
                              worker=worker):
            if event.kind == "done" and event.error is not None:
                event.error = f"on worker {worker['host']} (pid {worker['pid']}): {event.error}"
            if emit is not None:
                emit(event)
            if event.kind != "start":
                events.append(event)
        return events
    finally:
        if emit is not None:
            transfers.use_sink(previous)


def _serialised(emit: Callable[[UnitEvent], None]) -> Callable[[UnitEvent], None]:
    """``emit`` callable from several threads (a download's progress, the benchmarks)."""
    lock = threading.Lock()

    def send(event: UnitEvent) -> None:
        with lock:
            emit(event)

    return send


def _plugins(blocked: tuple[str, ...]) -> Any:
    """One plugin manager per worker process (and blocked set), like the driver's default."""
    if blocked not in _managers:
        from nnbench.plugins.manager import PluginManager

        _managers[blocked] = PluginManager(blocked=blocked)
    return _managers[blocked]


def torch_threads() -> int | None:
    """torch's intra-op threads in this process, if the benchmarks imported torch."""
    import sys

    torch = sys.modules.get("torch")
    return torch.get_num_threads() if torch is not None else None
