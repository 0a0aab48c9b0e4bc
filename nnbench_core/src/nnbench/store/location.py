"""Where the results store lives: the default path and ``sqlite:///`` URIs (no sqlite import)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from nnbench.errors import UsageError

DEFAULT_STORE = ".nnbench/results.db"


def store_path(uri: str | None) -> Path:
    """``sqlite:///x.db`` or a plain path -> Path; None -> the default store."""
    if not uri:
        return Path(DEFAULT_STORE)
    if uri.startswith("sqlite:///"):
        return Path(uri[len("sqlite:///"):] or DEFAULT_STORE)
    if "://" in uri:
        raise UsageError(f"results store {uri!r}: use sqlite:///PATH.db or a file path")
    return Path(uri)


#: The store of the run whose outputs are being written (set by ``Session.run``).
_RUN_STORE: ContextVar[str | None] = ContextVar("nnbench_run_store", default=None)


@contextlib.contextmanager
def run_store(uri: str | os.PathLike[str] | None) -> Iterator[None]:
    """While a run's outputs are written: ``current_store()`` is that run's store."""
    token = _RUN_STORE.set(None if uri is None else os.fspath(uri))
    try:
        yield
    finally:
        _RUN_STORE.reset(token)


def current_store() -> Path:
    """The store of the run being reported (``run_store``), else ``$NNBENCH_STORE``, else the
    default: where a reporter finds a run's history."""
    return store_path(_RUN_STORE.get() or os.environ.get("NNBENCH_STORE"))
