"""The ``dask`` executor: each unit is one Dask task, its events streamed back as they happen.

Targets (``--executor dask[:TARGET]``):

- none: a ``distributed.LocalCluster`` on this machine, one worker process per usable core,
  one thread each, no dashboard; closed when the run ends.
- ``dask://HOST[:PORT]`` (-> ``tcp://HOST:PORT``, port 8786 by default), or a scheduler
  address with its protocol: ``dask:tcp://HOST:PORT``, ``dask:tls://...``.
- ``dask:PATH.json``: the scheduler file a scheduler wrote (``--scheduler-file``).

An existing cluster is never started nor stopped here. A scheduler that cannot be reached is
one :class:`~nnbench.errors.UsageError` line before anything runs.
"""

from __future__ import annotations

import logging
import os
import pickle
import queue
import socket
import threading
import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from nnbench.errors import NNBenchError, UsageError
from nnbench.executors.events import UnitEvent
from nnbench.executors.remote import thread_budget

if TYPE_CHECKING:
    from nnbench.plan import Unit
    from nnbench.plugins.manager import PluginManager

DEFAULT_PORT = 8786
#: The scheduler's HTTP server (health, metrics) still starts without a dashboard: on a free
#: loopback port, instead of 8787 or a warning that 8787 is taken.
QUIET_HTTP = {"dashboard_address": "127.0.0.1:0"}
#: Worker settings that keep Dask from perturbing what is measured: its statistical profiler
#: samples the running task's stack every 10 ms, taking the GIL from pure-Python benchmarks.
TIMING_FRIENDLY = {"distributed.worker.profile.enabled": False}
#: Ends the event stream of a run (workers put pickles, never empty bytes).
STOP = b""
#: How long a finished task's streamed events may lag behind its future before its
#: returned events are replayed instead.
STREAM_GRACE_S = 2.0
PROTOCOLS = ("tcp", "tls", "ws", "wss", "ucx", "inproc")
USAGE = ("use dask (a local cluster), dask://HOST:PORT, dask:tcp://HOST:PORT or "
         "dask:SCHEDULER.json")


class SchedulerLost(NNBenchError):
    """The Dask scheduler went away mid-run; completed results are kept."""


def parse_target(target: str | None) -> tuple[str, str | None]:
    """``(kind, where)``: ``("local", None)``, ``("address", "tcp://h:p")`` or
    ``("file", path)``; a malformed target is a :class:`UsageError`."""
    if target is None:
        return "local", None
    text = target.strip()
    if text.lower().startswith("dask://"):
        text = "tcp://" + text[len("dask://"):]
    scheme, sep, _ = text.partition("://")
    if sep:
        if scheme.lower() not in PROTOCOLS:
            raise UsageError(f"--executor dask:{target}: unknown protocol {scheme!r}; {USAGE}")
        if scheme.lower() == "inproc":
            return "address", text
        try:
            parts = urlsplit(text)
            host, port = parts.hostname, parts.port
        except ValueError:
            host, port = None, None
            parts = None
        if not host or parts is None or parts.path not in ("", "/") or parts.query:
            raise UsageError(f"--executor {_shown(target)}: expected HOST:PORT after "
                             f"{scheme}://; {USAGE}")
        netloc_host = f"[{host}]" if ":" in host else host
        return "address", f"{scheme.lower()}://{netloc_host}:{port or DEFAULT_PORT}"
    if text.endswith(".json") or os.path.isfile(text):
        return "file", text
    raise UsageError(f"--executor dask:{target}: not a scheduler address or a scheduler "
                     f"file; {USAGE}")


def _shown(target: str) -> str:
    return target if target.lower().startswith("dask://") else f"dask:{target}"


class DaskExecutor:
    """Runs each unit as one Dask task (``Client.submit``), streaming its events back.

    ``workers``: worker processes of the local cluster (default: usable cores).
    ``threads``: compute threads per unit (default: each host's cores split between its Dask
    task slots). ``retries``: how often a unit whose worker died (or whose task raised) runs
    again (default 1). ``connect_timeout``: seconds to reach a scheduler (default 10).
    """

    name = "dask"
    #: Workers may not share this file system: the session ships the benchmark files.
    ships_code = True

    def __init__(self, target: str | None = None, *, plugins: PluginManager | None = None,
                 workers: int | None = None, threads: int | None = None, retries: int = 1,
                 connect_timeout: float = 10.0, **options: Any) -> None:
        self.kind, self.where = parse_target(target)
        self.target = target
        self.retries = retries
        self.threads = threads
        self.connect_timeout = connect_timeout
        self.blocked = tuple(sorted(plugins.blocked)) if plugins is not None else ()
        self.cluster: Any = None
        self.client: Any = None
        self._environ: dict[str, str | None] | None = None
        if self.kind == "local":
            self.workers = workers or (len(os.sched_getaffinity(0))
                                       if hasattr(os, "sched_getaffinity")
                                       else os.cpu_count() or 1)
            if self.threads is None:
                self.threads = thread_budget(self.workers)
            self._start_local()
        else:
            self._connect()

    # -- connecting -------------------------------------------------------------------------
    def _start_local(self) -> None:
        """A LocalCluster: one thread per worker, a worker death retried once, no dashboard."""
        import dask
        from distributed import Client, LocalCluster

        threads = str(self.threads)
        environ = {**(dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {}),
                   **{var: threads for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                               "OPENBLAS_NUM_THREADS")
                      if var not in os.environ}}
        self._environ = nanny_environ()
        try:
            with dask.config.set({"distributed.scheduler.allowed-failures": self.retries,
                                  "distributed.nanny.pre-spawn-environ": environ,
                                  **TIMING_FRIENDLY}):
                self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                            processes=True, dashboard_address=None,
                                            host="127.0.0.1", scheduler_kwargs=QUIET_HTTP,
                                            silence_logs=logging.ERROR)
                self.client = Client(self.cluster, set_as_default=False)
        finally:
            restore_environ(self._environ)

    def _connect(self) -> None:
        from distributed import Client

        shown = _shown(self.target or "")
        check = "check that the scheduler is running and reachable from here"
        if self.kind == "file":
            path = Path(self.where or "")
            if not path.is_file():
                raise UsageError(f"--executor {shown}: no scheduler file {str(path)!r}; check "
                                 "the path the scheduler was started with --scheduler-file")
            kwargs: dict[str, Any] = {"scheduler_file": str(path)}
            where = str(path)
        else:
            _probe(self.where or "", shown, check)
            kwargs = {"address": self.where}
            where = self.where
        outcome: dict[str, Any] = {}

        def connect() -> None:
            try:
                outcome["client"] = Client(timeout=self.connect_timeout, set_as_default=False,
                                           **kwargs)
            except Exception as exc:  # noqa: BLE001 -- reported below, as one line
                outcome["error"] = exc

        # The client's own timeout does not bound every step (a peer that accepts the TCP
        # connection and never answers hangs its handshake), so the deadline is kept here.
        thread = threading.Thread(target=connect, name="nnbench-dask-connect", daemon=True)
        thread.start()
        thread.join(self.connect_timeout * 1.2 + 0.5)
        if "client" in outcome:
            self.client = outcome["client"]
            return
        reason = _reason(outcome["error"]) if "error" in outcome else "no answer"
        raise UsageError(f"--executor {shown}: cannot reach the Dask scheduler at {where} "
                         f"within {self.connect_timeout:g} s ({reason}); {check}")

    # -- running ----------------------------------------------------------------------------
    def run(self, units: list[Unit]) -> Iterator[UnitEvent]:
        from distributed import Queue, as_completed

        from nnbench_dask.worker import run_unit_task

        _ship_worker_code()
        client = self.client
        run_id = uuid.uuid4().hex[:12]
        channel = Queue(f"nnbench-events-{run_id}", client=client)
        receiver = _Receiver(channel)
        receiver.start()
        slots = self._slots()
        futures: dict[Any, int] = {}
        reported: set[int] = set()
        for i, unit in enumerate(units):
            problem = self._unplaceable(unit)
            if problem:
                reported.add(i)
                yield UnitEvent("done", i, error=problem, error_type="UsageError")
                continue
            future = client.submit(run_unit_task, pickle.dumps(unit), i, channel.name,
                                   self.blocked, self.threads, slots, pure=False,
                                   key=f"nnbench-unit-{run_id}-{i}", retries=self.retries,
                                   resources=unit.resources or None)
            futures[future] = i
        pending = as_completed(list(futures), loop=client.loop)
        attempts: dict[int, list[str]] = {}
        ended: dict[int, tuple[float, Any]] = {}  # unit -> (when, its future): done not seen
        try:
            while len(reported) < len(units):
                for item in receiver.take(wait=0.05):
                    if isinstance(item, BaseException):
                        raise item
                    if isinstance(item, tuple):  # ("begin", unit, worker address)
                        index = item[1]
                        attempts.setdefault(index, []).append(item[2])
                        if len(attempts[index]) > 1 + self.retries and index not in reported:
                            # a scheduler allowing more worker deaths than we do (its
                            # distributed.scheduler.allowed-failures): stop it here
                            reported.add(index)
                            client.cancel([f for f, i in futures.items() if i == index])
                            yield _died(index, attempts[index][:-1])
                        continue
                    if item.unit in reported:
                        continue
                    if item.kind == "done":
                        reported.add(item.unit)
                    yield item
                if pending.has_ready():
                    for future in pending.next_batch(block=False):
                        index = futures[future]
                        if index not in reported:
                            ended[index] = (time.monotonic(), future)
                now = time.monotonic()
                for index, (when, future) in sorted(ended.items()):
                    if index in reported:
                        del ended[index]
                    elif now - when > STREAM_GRACE_S:  # its stream was lost: replay
                        del ended[index]
                        reported.add(index)
                        yield from _outcome(future, index, attempts.get(index, []))
        except (OSError, EOFError) as exc:
            raise SchedulerLost(f"lost the Dask scheduler mid-run ({_reason(exc)}); completed "
                                "results were kept") from None
        finally:
            outstanding = [f for f, i in futures.items() if i not in reported]
            try:
                if outstanding:
                    client.cancel(outstanding)
                pending.clear()
                receiver.stop()
                channel.close()
            except Exception:  # noqa: BLE001 -- the scheduler may be gone; nothing to free
                pass
            futures.clear()

    def _slots(self) -> dict[str, int]:
        """Task slots (threads) per worker host, for each unit's thread budget."""
        from distributed.comm import get_address_host

        slots: dict[str, int] = {}
        for address, info in self._workers().items():
            host = get_address_host(address)
            slots[host] = slots.get(host, 0) + int(info.get("nthreads") or 1)
        if not slots and self.kind != "local":
            warnings.warn(f"the Dask scheduler at {self.client.scheduler.address} has no "
                          "workers yet; units wait until workers join", stacklevel=3)
        return slots

    def _workers(self) -> dict[str, dict[str, Any]]:
        try:
            info = self.client.scheduler_info(n_workers=-1)
        except TypeError:  # distributed < 2025: every worker, always
            info = self.client.scheduler_info()
        return dict(info.get("workers") or {})

    def _unplaceable(self, unit: Unit) -> str | None:
        """Why no worker can ever run ``unit`` (resources it needs), for our local cluster;
        on an existing cluster, a warning (workers with them may join later)."""
        if not unit.resources:
            return None
        offered = [info.get("resources") or {} for info in self._workers().values()]
        if any(all(r.get(k, 0) >= v for k, v in unit.resources.items()) for r in offered):
            return None
        need = ", ".join(f"{k}={v:g}" for k, v in sorted(unit.resources.items()))
        if self.kind == "local":
            return (f"{unit.run_name} needs worker resources {need}, which the local Dask "
                    "cluster does not have; start workers with `dask worker SCHEDULER "
                    f"--resources {need.replace(', ', ',')}` and use --executor dask://HOST:PORT")
        warnings.warn(f"{unit.run_name} needs worker resources {need}, which no worker has "
                      "yet; it waits until such a worker joins", stacklevel=3)
        return None

    def close(self) -> None:
        client, self.client = self.client, None
        cluster, self.cluster = self.cluster, None
        for thing in (client, cluster):
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # noqa: BLE001 -- closing what may already be gone
                    pass
        if self._environ is not None:  # a nanny that restarted a worker set them again
            restore_environ(self._environ)
            self._environ = None


def nanny_environ() -> dict[str, str | None]:
    """This process's values of the variables a Dask nanny sets in the process that starts it
    (``os.environ.update(pre-spawn-environ)``: OMP_NUM_THREADS=1, PYTHONHASHSEED, ...)."""
    import dask

    names = set(dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {})
    names |= {"PYTHONHASHSEED", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"}
    return {name: os.environ.get(name) for name in names}


def restore_environ(saved: dict[str, str | None]) -> None:
    """Put back what :func:`nanny_environ` saw: a local cluster must not change the driver's
    thread settings (nor what its records say about them)."""
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _probe(address: str, shown: str, check: str) -> None:
    """A refused TCP connection is an error at once, not after the connect timeout."""
    parts = urlsplit(address)
    if parts.scheme not in ("tcp", "tls", "ws", "wss") or not parts.hostname:
        return
    try:
        socket.create_connection((parts.hostname, parts.port or DEFAULT_PORT), timeout=3).close()
    except ConnectionRefusedError:
        raise UsageError(f"--executor {shown}: the Dask scheduler at {address} refused the "
                         f"connection; {check}") from None
    except OSError:
        return  # slow or filtered: let the client try, within the connect timeout


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _ship_worker_code() -> None:
    """Send the task function by value: workers need no nnbench-dask installed."""
    import cloudpickle

    import nnbench_dask.worker as module

    if module.__name__ not in cloudpickle.list_registry_pickle_by_value():
        cloudpickle.register_pickle_by_value(module)


class _Receiver(threading.Thread):
    """Moves what the workers put in the run's Dask queue into a local queue.

    Its ``get`` blocks on the scheduler without a timeout (a timed-out get is logged there as
    an error), so the run's end puts :data:`STOP` to release it.
    """

    def __init__(self, channel: Any) -> None:
        super().__init__(name="nnbench-dask-events", daemon=True)
        self.channel = channel
        self.items: queue.Queue[Any] = queue.Queue()

    def run(self) -> None:
        try:
            while True:
                batch = [self.channel.get(), *self.channel.get(batch=True)]
                for data in batch:
                    if data == STOP:
                        return
                    self.items.put(pickle.loads(data))
        except Exception as exc:  # noqa: BLE001 -- handed to the driver loop
            self.items.put(exc)

    def take(self, wait: float) -> Iterator[Any]:
        """What arrived: waits up to ``wait`` seconds for the first item."""
        try:
            yield self.items.get(timeout=wait)
        except queue.Empty:
            return
        while True:
            try:
                yield self.items.get_nowait()
            except queue.Empty:
                return

    def stop(self) -> None:
        if self.is_alive():
            self.channel.put(STOP)
            self.join(timeout=5)


def _died(index: int, workers: list[str]) -> UnitEvent:
    where = ", ".join(dict.fromkeys(workers)) or "unknown workers"
    times = "once" if len(workers) == 1 else f"{len(workers)} times"
    return UnitEvent("done", index, error=f"its Dask worker died {times} while running it "
                     f"(killed or out of memory; on {where}); see the worker logs",
                     error_type="WorkerDied")


def _outcome(future: Any, index: int, workers: list[str]) -> Iterator[UnitEvent]:
    """A finished task's events, replayed: its result, or a ``done`` error saying why not."""
    from distributed import KilledWorker

    if future.status == "finished":
        yield from future.result()
        return
    if future.status == "cancelled":
        yield UnitEvent("done", index, error="its Dask task was cancelled (by the scheduler or "
                        "another client)", error_type="CancelledError")
        return
    exc = future.exception()
    if isinstance(exc, KilledWorker):
        last = getattr(getattr(exc, "last_worker", None), "address", None)
        yield _died(index, workers or ([last] if last else []))
        return
    where = f"on dask worker {workers[-1]}: " if workers else ""
    yield UnitEvent("done", index, error=f"{where}{type(exc).__name__}: {exc}",
                    error_type=type(exc).__name__)
