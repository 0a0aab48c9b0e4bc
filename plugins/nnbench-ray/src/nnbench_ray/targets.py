"""``--executor ray[:TARGET]``: what a target means, and connecting this process to Ray.

- none (or ``local``): a new Ray instance on this machine for the run, sized to the usable
  cores, no dashboard; shut down when the run ends. A process already connected to Ray
  (``ray.init`` called before) runs on that connection instead and leaves it open.
- ``auto``: the cluster Ray finds itself: ``RAY_ADDRESS``, else the last ``ray start`` on
  this machine.
- ``HOST:PORT``: a cluster's GCS address (``ray start --head --port PORT``); the driver joins
  the cluster, so it must reach every node.
- ``ray://HOST[:PORT]``: Ray Client (port 10001 by default); only this connection has to
  reach the cluster. Needs ``ray[client]`` (grpcio) here.

An existing cluster is never started nor stopped here. One that cannot be reached is one
:class:`~nnbench.errors.UsageError` line before anything runs.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from typing import Any
from urllib.parse import urlsplit

from nnbench.errors import UsageError

CLIENT_PORT = 10001
USAGE = ("use ray (a local instance), ray:auto, ray:HOST:PORT (a GCS address) or "
         "ray://HOST:10001 (Ray Client)")
CHECK = "check that the cluster is running and reachable from here"
#: The object store of a local instance: units exchange small events, models load in workers.
LOCAL_OBJECT_STORE = 256 * 1024**2


def parse_target(target: str | None) -> tuple[str, str | None]:
    """``(kind, address)``: ``("local", None)``, ``("auto", None)``, ``("gcs", "h:p")`` or
    ``("client", "ray://h:p")``; a malformed target is a :class:`UsageError`."""
    if target is None or target.strip().lower() == "local":
        return "local", None
    text = target.strip()
    if text.lower() == "auto":
        return "auto", None
    client = text.lower().startswith("ray://")
    rest = text[len("ray://"):] if client else text
    if "://" in rest:
        raise UsageError(f"--executor {shown(target)}: unknown protocol "
                         f"{rest.partition('://')[0]!r}; {USAGE}")
    try:
        parts = urlsplit("//" + rest)
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port, parts = None, None, None
    if not host or parts is None or parts.path not in ("", "/") or parts.query \
            or (port is None and not client):
        raise UsageError(f"--executor {shown(target)}: expected "
                         f"{'HOST[:PORT] after ray://' if client else 'HOST:PORT'}; {USAGE}")
    netloc = f"[{host}]" if ":" in host else host
    if client:
        return "client", f"ray://{netloc}:{port or CLIENT_PORT}"
    return "gcs", f"{netloc}:{port}"


def shown(target: str | None) -> str:
    """The target as the user wrote it on the command line."""
    if target is None:
        return "ray"
    return target if target.lower().startswith("ray://") else f"ray:{target}"


def connect(kind: str, address: str | None, target: str | None, *, workers: int,
            object_store_memory: int | None) -> bool:
    """Connect this process to Ray; True when this call made the connection (and the
    caller must ``ray.shutdown()`` it), False when an existing one is used."""
    import ray

    quiet: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
    if ray.is_initialized():
        if kind == "local":
            return False
        raise UsageError(f"--executor {shown(target)}: this process is already connected to "
                         "Ray (ray.init was called); use --executor ray to run on that "
                         "connection, or call ray.shutdown() first")
    if kind == "local":
        ray.init(address="local", num_cpus=workers, include_dashboard=False,
                 object_store_memory=object_store_memory or LOCAL_OBJECT_STORE, **quiet)
        return True
    if kind == "auto":
        address = _found_address(target)
    elif kind == "client":
        _needs_client(target)
    _probe(address or "", target)
    failure: BaseException | None = None
    for attempt in range(2):
        try:
            ray.init(address=address if kind != "auto" else "auto", **quiet)
            return True
        except Exception as exc:  # noqa: BLE001 -- one line, below
            _shutdown_quietly()
            failure = exc
            if not isinstance(exc, ConnectionAbortedError) or attempt:
                break
            time.sleep(1.0)  # Ray Client: a busy head did not start this client's server
    assert failure is not None
    raise UsageError(f"--executor {shown(target)}: cannot connect to the Ray cluster at "
                     f"{address or 'the address Ray found'} ({reason(failure)}); "
                     f"{advice(failure)}") from None


def _found_address(target: str | None) -> str:
    """The address ``ray:auto`` resolves to (``RAY_ADDRESS``, else the last ``ray start``
    here), so a stale one is refused at once instead of after Ray's connect timeout."""
    try:
        from ray._private.services import canonicalize_bootstrap_address
    except ImportError:  # a Ray without it: let ray.init look
        return ""
    try:
        address = canonicalize_bootstrap_address("auto")
    except ConnectionError:
        address = None
    except Exception:  # noqa: BLE001 -- let ray.init look, and say what it finds
        return ""
    if not address:
        raise UsageError(f"--executor {shown(target)}: no running Ray cluster found "
                         "(RAY_ADDRESS is not set and nothing was started with `ray start` "
                         "on this machine); start one, or give its address: ray:HOST:PORT "
                         "or ray://HOST:10001")
    return str(address)


def _needs_client(target: str | None) -> None:
    try:
        import grpc  # noqa: F401 -- what Ray Client needs beyond ray itself
    except ImportError:
        raise UsageError(f"--executor {shown(target)}: Ray Client needs grpcio; install it "
                         "with `pip install 'nnbench-ray[client]'` (or 'ray[client]')") from None


def _probe(address: str, target: str | None) -> None:
    """A refused TCP connection is an error at once, not after Ray's connect retries."""
    try:
        parts = urlsplit(address if "://" in address else "//" + address)
        host, port = parts.hostname, parts.port
    except ValueError:
        return
    if not host or not port:
        return
    try:
        socket.create_connection((host, port), timeout=3).close()
    except ConnectionRefusedError:
        raise UsageError(f"--executor {shown(target)}: the Ray cluster at {address} refused "
                         f"the connection; {CHECK}") from None
    except OSError as exc:
        raise UsageError(f"--executor {shown(target)}: cannot reach the Ray cluster at "
                         f"{address} ({reason(exc)}); {CHECK}") from None


def reason(exc: BaseException) -> str:
    """The first line of an exception, with its type; the cause's when Ray wraps it."""
    seen: BaseException | None = exc
    while seen is not None:  # Ray wraps the refusal in ConnectionError(RuntimeError(text))
        if type(seen).__name__ == "AuthenticationError" or "InvalidAuthToken" in str(seen):
            return "AuthenticationError: the cluster wants a token this driver does not have"
        seen = seen.__cause__ or seen.__context__
    if isinstance(exc, ConnectionAbortedError):  # Ray Client's "Initialization failure"
        return ("ConnectionAbortedError: the head could not start a Ray Client server for "
                "this driver (see ray_client_server*.err in the head's logs)")
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


def advice(exc: BaseException) -> str:
    """What to do about a failed connection."""
    if "AuthenticationError" in reason(exc):
        return ("set RAY_AUTH_MODE=token and give this driver the cluster's token "
                "(RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH or ~/.ray/auth_token)")
    return CHECK


def _shutdown_quietly() -> None:
    import ray

    try:
        ray.shutdown()
    except Exception:  # noqa: BLE001 -- a half-made connection; nothing else to free
        pass


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else os.cpu_count() or 1
