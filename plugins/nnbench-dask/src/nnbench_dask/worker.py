"""What runs inside a Dask task: one unit, its events streamed to the driver as they happen.

The executor registers this module with cloudpickle to travel *by value*, so workers need
nnbench-core and distributed (plus the plugins the specs need and the packages the benchmarks
import) but not nnbench-dask. Hence everything is imported inside the functions.
"""

from __future__ import annotations

from typing import Any

#: Thread variables a Dask nanny sets for its workers (``distributed.nanny.pre-spawn-environ``).
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def run_unit_task(payload: bytes, index: int, channel: str, blocked: tuple[str, ...],
                  threads: int | None, slots: dict[str, int]) -> list[Any]:
    """Run the pickled unit ``payload`` here; events go to the ``channel`` queue as bytes.

    The unit is unpickled here, inside the task, so a failure to (a class or package this
    worker lacks) is this unit's error event rather than a lost task. ``threads``: the
    compute threads for this unit (None: this host's cores split between its Dask slots,
    ``slots`` giving the slots per host as the driver saw them).
    """
    import os
    import pickle

    from distributed import Queue, get_worker
    from nnbench.executors.events import UnitEvent
    from nnbench.executors.remote import execute_unit, limit_threads, receive_unit

    worker = get_worker()
    address = worker.address
    queue = Queue(channel)

    def put(item: Any) -> None:
        queue.put(pickle.dumps(item))

    try:
        put(("begin", index, address))
        budget = threads if threads is not None else _budget(worker, slots)
        _forget_dask_default_threads()
        limit_threads(budget)
        unit = receive_unit(payload, index, f"on dask worker {address}")
        if isinstance(unit, UnitEvent):
            put(unit)
            return [unit]

        key = worker.get_current_task()

        def emit(event: UnitEvent) -> None:
            if _cancelled(worker, key):  # the driver stopped (Ctrl-C): stop here too
                raise RunCancelled(f"the nnbench run cancelled {key}")
            if event.kind == "start":  # benchmark_start hooks run with the serial executor only
                return
            if event.kind == "done" and event.error and event.error.startswith("on worker "):
                event.error = f"on dask worker {address} " + event.error[len("on worker "):]
            put(event)

        state = getattr(worker, "state", worker)
        facts = {"dask_worker": address, "nthreads": state.nthreads,
                 "resources": dict(getattr(state, "total_resources", {}) or {}),
                 "threads": int(os.environ.get("OMP_NUM_THREADS") or budget)}
        return execute_unit(unit, index, "dask", blocked=blocked, emit=emit, **facts)
    finally:
        queue.close()


class RunCancelled(Exception):
    """Raised in a task whose run was cancelled, at its next event (a thread cannot be
    interrupted, so the unit stops between benchmarks)."""


def _cancelled(worker: Any, key: Any) -> bool:
    """Whether the scheduler let go of this task (cancelled while it was running)."""
    state = getattr(worker, "state", None)
    tasks = getattr(state, "tasks", None)
    if tasks is None:
        return False
    task = tasks.get(key)
    return task is None or task.state in ("cancelled", "released", "forgotten")


def _budget(worker: Any, slots: dict[str, int]) -> int:
    """This host's cores split between the Dask task slots on it (at least 1)."""
    from dask.system import CPU_COUNT
    from distributed.comm import get_address_host

    state = getattr(worker, "state", worker)
    total = slots.get(get_address_host(worker.address)) or state.nthreads or 1
    return max(1, CPU_COUNT // max(1, total))


def _forget_dask_default_threads() -> None:
    """Drop the thread variables a nanny set to Dask's default of 1, so the budget applies.

    A nanny sets ``OMP_NUM_THREADS=1`` (and MKL, OpenBLAS) for every worker it spawns unless
    ``distributed.nanny.pre-spawn-environ`` says otherwise; that is Dask's default, not the
    user's choice. Any other value (set through that configuration) is kept.
    """
    import os

    import dask

    configured = dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {}
    for var in THREAD_VARIABLES:
        if os.environ.get(var) == "1" and str(configured.get(var)) == "1":
            del os.environ[var]
