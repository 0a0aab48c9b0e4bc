"""The ``ray`` executor: each unit is one Ray task, its events streamed back as they happen.

A task asks for the unit's resources (:mod:`nnbench_ray.resources`), is retried once by Ray
when its worker process dies (``max_retries``), and reports every event to the run's inbox
actor before going on, so the driver streams results as each benchmark finishes. Closing the
event stream (Ctrl-C) cancels what is outstanding (``ray.cancel``). Targets:
:mod:`nnbench_ray.targets`.
"""

from __future__ import annotations

import os
import pickle
import uuid
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from nnbench.errors import NNBenchError, UsageError
from nnbench.executors.events import UnitEvent

from nnbench_ray import resources, targets

if TYPE_CHECKING:
    from nnbench.plan import Unit
    from nnbench.plugins.manager import PluginManager

#: Exceptions that mean the task's worker process (or its node) went away.
DIED = ("WorkerCrashedError", "NodeDiedError", "OutOfMemoryError", "LocalRayletDiedError",
        "ActorDiedError")
#: How long the driver waits on the inbox per poll while nothing has finished.
POLL_S = 0.05
#: How long a complete run waits for its tasks' replies (they have reported ``done``).
SETTLE_S = 30.0


class ClusterLost(NNBenchError):
    """The Ray cluster (or the driver's connection to it) went away mid-run; completed
    results are kept."""


class RayExecutor:
    """Runs each unit as one Ray task, streaming its events back.

    ``workers``: CPUs of the local instance (default: usable cores). ``retries``: how often a
    unit whose worker died runs again (default 1). ``runtime_env``: Ray's runtime environment
    for every task (``{"pip": [...], "env_vars": {...}}``). ``object_store_memory``: bytes of
    the local instance's object store (default 256 MiB).
    """

    name = "ray"
    #: Nodes may not share this file system: the session ships the benchmark files' content
    #: in the units (see docs/distributed.md for why not a runtime_env working_dir).
    ships_code = True

    def __init__(self, target: str | None = None, *, plugins: PluginManager | None = None,
                 workers: int | None = None, retries: int = 1,
                 runtime_env: dict[str, Any] | None = None,
                 object_store_memory: int | None = None, **options: Any) -> None:
        self.kind, self.address = targets.parse_target(target)
        self.target = target
        self.retries = retries
        self.runtime_env = runtime_env
        self.workers = workers or targets.usable_cores()
        self.blocked = tuple(sorted(plugins.blocked)) if plugins is not None else ()
        before = dict(os.environ)
        self.owned = targets.connect(self.kind, self.address, target, workers=self.workers,
                                     object_store_memory=object_store_memory)
        # ray.init sets variables in this process (RAY_AUTH_MODE, PYTHONBREAKPOINT, ...):
        # put back after the run what it changed, so the driver stays as it was
        self._environ = {k: before.get(k) for k in set(before) | set(os.environ)
                         if before.get(k) != os.environ.get(k)} if self.owned else {}
        self._task: Any = None
        self._inbox: Any = None
        if self.owned and self.kind == "local":
            self._warm_up()

    # -- running ----------------------------------------------------------------------------
    def run(self, units: list[Unit]) -> Iterator[UnitEvent]:
        import ray

        if not ray.is_initialized():  # else a bare ray call would start a default instance
            raise UsageError("this RayExecutor is closed (a session closes its executor "
                             "after its run); make a new one")
        task = self._remote_task()
        inbox = self._inbox_actor()
        run = uuid.uuid4().hex
        nodes = self._nodes()
        pending: dict[Any, int] = {}
        reported: set[int] = set()
        attempts: dict[int, list[str]] = {}
        for i, unit in enumerate(units):
            problem, options = self._placement(unit, nodes)
            if problem:
                reported.add(i)
                yield UnitEvent("done", i, error=problem, error_type="UsageError")
                continue
            ref = task.options(**options).remote(pickle.dumps(unit), i, inbox, run,
                                                 self.blocked)
            pending[ref] = i
        finished = False
        try:
            while len(reported) < len(units):
                ready: list[Any] = []
                if pending:
                    ready, _ = ray.wait(list(pending), num_returns=len(pending), timeout=0)
                try:
                    items = ray.get(inbox.take.remote(0 if ready else POLL_S))
                except ray.exceptions.RayError as exc:
                    raise ClusterLost(f"lost the Ray cluster mid-run ({targets.reason(exc)}); "
                                      "completed results were kept") from None
                for sent, item in items:
                    if sent != run:  # a task of an earlier run, cancelled, reporting late
                        continue
                    if isinstance(item, tuple):  # ("begin", unit, "node pid N")
                        attempts.setdefault(item[1], []).append(item[2])
                        continue
                    if item.unit in reported:
                        continue
                    if item.kind == "done":
                        reported.add(item.unit)
                    yield item
                for ref in ready:  # every event it put is in the batch above
                    index = pending.pop(ref)
                    if index not in reported:
                        reported.add(index)
                        yield from _outcome(ref, index, attempts.get(index, []))
            finished = True
        finally:
            _settle(ray, list(pending), cancel=not finished)
            pending.clear()

    def _warm_up(self) -> None:
        """Start the local instance's worker processes and import nnbench in them, as a Dask
        LocalCluster has its workers up when it starts: part of the start-up, not of the run."""
        import ray

        from nnbench_ray.worker import warm_up

        self._remote_task()  # registers the module to travel by value
        self._inbox_actor()
        ray.get([ray.remote(num_cpus=1)(warm_up).remote(self.blocked)
                 for _ in range(self.workers)])

    def _inbox_actor(self) -> Any:
        """The inbox the tasks report to: one actor (a process of its own, no CPU slot) for
        this executor's runs, ended by :meth:`close`."""
        if self._inbox is None:
            import ray

            self._remote_task()
            self._inbox = ray.remote(num_cpus=0, max_restarts=0)(_inbox_class()).remote()
        return self._inbox

    def _remote_task(self) -> Any:
        """The task function, sent by value (nodes need no nnbench-ray installed)."""
        if self._task is None:
            import ray
            import ray.cloudpickle

            import nnbench_ray.worker as module

            if module.__name__ not in ray.cloudpickle.list_registry_pickle_by_value():
                ray.cloudpickle.register_pickle_by_value(module)
            self._task = ray.remote(module.run_unit_task)
        return self._task

    def _nodes(self) -> list[dict[str, float]]:
        """The total resources of each live node."""
        import ray

        return [dict(node.get("Resources") or {}) for node in ray.nodes() if node.get("Alive")]

    def _placement(self, unit: Unit, nodes: list[dict[str, float]]) -> tuple[str | None,
                                                                              dict[str, Any]]:
        """(why no node can ever run ``unit``, or None; its task options)."""
        try:
            need = resources.needs(unit.resources)
            options = resources.task_options(unit.resources)
        except resources.ResourceError as exc:
            return f"{unit.run_name}: {exc}", {}
        options.update(max_retries=self.retries, retry_exceptions=False,
                       name=f"nnbench:{unit.run_name}"[:200])
        if self.runtime_env:
            options["runtime_env"] = self.runtime_env
        if resources.placeable(need, nodes):
            return None, options
        wanted = resources.shown(need) or "CPU=1"
        if self.owned and self.kind == "local":
            return (f"{unit.run_name} needs {wanted}, which the local Ray instance does not "
                    f"have; start a cluster that has it (e.g. `ray start --head "
                    f"{_start_flags(need)}`) and use --executor ray:auto"), {}
        warnings.warn(f"{unit.run_name} needs {wanted}, which no Ray node has yet; it waits "
                      "until such a node joins (an autoscaler may add one)", stacklevel=3)
        return None, options

    def close(self) -> None:
        inbox, self._inbox = self._inbox, None
        if inbox is not None:
            import ray

            try:
                ray.kill(inbox)
            except Exception:  # noqa: BLE001 -- the cluster may be gone
                pass
        owned, self.owned = self.owned, False
        if owned:
            import ray

            try:
                ray.shutdown()
            except Exception:  # noqa: BLE001 -- closing what may already be gone
                pass
        for name, value in self._environ.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._environ = {}


def _settle(ray: Any, refs: list[Any], cancel: bool) -> None:
    """End the run's tasks still outstanding. After a complete run they have reported ``done``
    and are returning: wait for them, never cancel (cancelling a task whose reply is on its way
    trips a check in Ray's task manager that ends the driver process, Ray 2.60). After Ctrl-C
    or an error: cancel what is still queued or running."""
    if not refs:
        return
    try:
        if cancel:
            for ref in refs:
                ray.cancel(ref, recursive=True)
        else:
            ray.wait(refs, num_returns=len(refs), timeout=SETTLE_S, fetch_local=False)
    except Exception:  # noqa: BLE001 -- the cluster may be gone
        pass


def _inbox_class() -> type:
    """The inbox actor's class, from the module that travels by value."""
    from nnbench_ray.worker import Inbox

    return Inbox


def _start_flags(need: dict[str, float]) -> str:
    flags = []
    custom = {k: v for k, v in need.items() if k not in resources.BUILT_IN}
    if need.get("GPU"):
        flags.append(f"--num-gpus {need['GPU']:g}")
    if need.get("CPU", 1) > 1:
        flags.append(f"--num-cpus {need['CPU']:g}")
    if custom:
        body = ", ".join(f'"{k}": {v:g}' for k, v in sorted(custom.items()))
        flags.append(f"--resources '{{{body}}}'")
    return " ".join(flags) or "--num-cpus 1"


def _died(index: int, where: list[str]) -> UnitEvent:
    places = ", ".join(dict.fromkeys(where)) or "an unknown node"
    times = "once" if len(where) <= 1 else f"{len(where)} times"
    return UnitEvent("done", index, error=f"its Ray worker died {times} while running it "
                     f"(killed or out of memory; on {places}); see the Ray logs "
                     "(`ray logs` or /tmp/ray/session_latest/logs on the node)",
                     error_type="WorkerDied")


def _outcome(ref: Any, index: int, where: list[str]) -> Iterator[UnitEvent]:
    """A finished task whose ``done`` event was not streamed: its returned events, or a
    ``done`` error saying why there are none."""
    import ray

    try:
        events = ray.get(ref)
    except ray.exceptions.TaskCancelledError:
        yield UnitEvent("done", index, error="its Ray task was cancelled (ray.cancel, or "
                        "`ray job stop`)", error_type="CancelledError")
        return
    except ray.exceptions.RayError as exc:
        kind = type(exc).__name__
        if kind in DIED or any(type(c).__name__ in DIED for c in _causes(exc)):
            yield _died(index, where)
            return
        cause = getattr(exc, "cause", None) or exc
        at = f"on ray node {where[-1]}: " if where else ""
        yield UnitEvent("done", index, error=f"{at}{targets.reason(cause)}",
                        error_type=type(cause).__name__)
        return
    yield from events


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen = exc.__cause__
    while seen is not None:
        yield seen
        seen = seen.__cause__
