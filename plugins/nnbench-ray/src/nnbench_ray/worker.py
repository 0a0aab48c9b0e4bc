"""What runs in the Ray cluster: one unit per task, its events reported to the run's inbox.

The executor registers this module with Ray's cloudpickle to travel *by value*, so nodes need
nnbench-core and ray (plus the plugins the specs need and the packages the benchmarks import)
but not nnbench-ray. Hence everything is imported inside the functions.
"""

from __future__ import annotations

import asyncio
from typing import Any


class Inbox:
    """The runs' event stream: tasks put events (one awaited call each, so their events keep
    their order and a result put is a result kept); the driver takes them in batches.

    An async actor: its methods run one at a time on its event loop.
    """

    def __init__(self) -> None:
        self.items: list[Any] = []
        self.arrived = asyncio.Event()

    async def put(self, item: Any) -> None:
        self.items.append(item)
        self.arrived.set()

    async def take(self, timeout: float) -> list[Any]:
        """What arrived; waits up to ``timeout`` seconds for the first item."""
        if not self.items and timeout > 0:
            try:
                await asyncio.wait_for(self.arrived.wait(), timeout)
            except asyncio.TimeoutError:
                pass
        items, self.items = self.items, []
        self.arrived.clear()
        return items


def run_unit_task(payload: bytes, index: int, inbox: Any, run: str,
                  blocked: tuple[str, ...]) -> list[Any]:
    """Run the pickled unit ``payload`` in this Ray worker; every event also goes to ``inbox``
    as ``(run, event)`` (the inbox outlives a run: a cancelled task may still report late).

    The unit is unpickled here, inside the task, so a failure to (a class or package this
    node lacks) is this unit's error event rather than a lost task. Returns the events too:
    the driver replays them if the inbox was lost.
    """
    import os

    import ray
    from nnbench.executors.events import UnitEvent
    from nnbench.executors.remote import execute_unit, receive_unit

    context = ray.get_runtime_context()
    node_ip = ray.util.get_node_ip_address()
    stream = {"open": True}

    def put(item: Any) -> None:
        if not stream["open"]:
            return
        try:
            ray.get(inbox.put.remote((run, item)))
        except Exception:  # noqa: BLE001 -- the inbox is gone: the returned events remain
            stream["open"] = False

    put(("begin", index, f"{node_ip} pid {os.getpid()}"))
    unit = receive_unit(payload, index, f"on ray node {node_ip} (pid {os.getpid()})")
    if isinstance(unit, UnitEvent):
        put(unit)
        return [unit]

    def emit(event: UnitEvent) -> None:
        if event.kind == "start":  # benchmark_start hooks run with the serial executor only
            return
        if event.kind == "done" and event.error and event.error.startswith("on worker "):
            event.error = f"on ray node {node_ip} " + event.error[len("on worker "):]
        put(event)

    facts = {"ray_node": context.get_node_id(), "ray_node_ip": node_ip,
             "resources": dict(context.get_assigned_resources()),
             "accelerator_ids": {kind: [str(i) for i in ids]
                                 for kind, ids in context.get_accelerator_ids().items() if ids}}
    _match_torch_threads()
    return execute_unit(unit, index, "ray", blocked=blocked, emit=emit, **facts)


def warm_up(blocked: tuple[str, ...]) -> int:
    """Import what a unit needs in this worker process (nnbench, the plugin manager)."""
    import os

    from nnbench.executors.remote import execute_unit  # noqa: F401 -- the import is the point
    from nnbench.plugins.manager import PluginManager

    PluginManager(blocked=blocked).executors()  # imports the installed plugins
    return os.getpid()


def _match_torch_threads() -> None:
    """Ray sets ``OMP_NUM_THREADS`` to the task's CPUs; a worker process that imported torch
    for an earlier task keeps that task's thread count unless told."""
    import os
    import sys

    torch = sys.modules.get("torch")
    threads = os.environ.get("OMP_NUM_THREADS", "")
    if torch is not None and threads.isdigit() and int(threads) > 0:
        torch.set_num_threads(int(threads))
