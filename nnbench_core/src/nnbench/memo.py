"""Run-scoped memoisation: a ``@memo`` function runs once per run for the same arguments.

Arguments of simple value types are keyed by value; everything else (artifacts, models,
tensors, datasets) by identity, and the cache holds a reference so the identity stays valid.
The runner opens a scope per run and drops it, and everything it holds, when the run ends.
Outside a run, a memoised function simply runs.

The time a memoised function takes when it really runs (its shared pass) is noted in the
innermost open ``shared_passes()`` ledger: the runner keeps it out of the time of the benchmark
that happened to call it first and reports it on its own. A memoised call inside another one
counts as part of the outer pass.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_VALUE_TYPES = (str, int, float, bool, bytes, type(None), complex)
_scope_lock = threading.Lock()
_scopes: list[dict[Any, Any]] = []
_ledger: dict[str, int] | None = None
_ledger_lock = threading.Lock()
_running = threading.local()  # how many memoised passes this thread is inside


def _key_part(obj: Any, keep: list[Any]) -> Any:
    if isinstance(obj, _VALUE_TYPES):
        return (type(obj), obj)
    if isinstance(obj, tuple):
        return tuple(_key_part(o, keep) for o in obj)
    keep.append(obj)
    return ("id", id(obj))


class _Entry:
    __slots__ = ("lock", "done", "value", "error", "keep")

    def __init__(self, keep: list[Any]) -> None:
        self.lock = threading.Lock()
        self.done = False
        self.value: Any = None
        self.error: BaseException | None = None
        self.keep = keep


def memo(fn: F) -> F:
    """Cache ``fn``'s result for the current run (see the module docstring)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        cache = current_scope()
        if cache is None:
            return fn(*args, **kwargs)
        keep: list[Any] = []
        key = (
            wrapper,
            tuple(_key_part(a, keep) for a in args),
            tuple(sorted((k, _key_part(v, keep)) for k, v in kwargs.items())),
        )
        with _scope_lock:
            entry = cache.get(key)
            if entry is None:
                entry = cache[key] = _Entry(keep)
        with entry.lock:
            if not entry.done:
                depth = getattr(_running, "depth", 0)
                _running.depth = depth + 1
                start = time.perf_counter_ns()
                try:
                    entry.value = fn(*args, **kwargs)
                except Exception as exc:  # every caller in this run sees the same failure
                    entry.error = exc
                finally:
                    _running.depth = depth
                    if depth == 0:
                        _note(fn, time.perf_counter_ns() - start)
                entry.done = True
        if entry.error is not None:
            raise entry.error
        return entry.value

    return wrapper  # type: ignore[return-value]


def _note(fn: Callable[..., Any], ns: int) -> None:
    ledger = _ledger
    if ledger is not None:
        name = getattr(fn, "__qualname__", None) or repr(fn)
        with _ledger_lock:
            ledger[name] = ledger.get(name, 0) + ns


class shared_passes:  # noqa: N801 -- used like a function: `with shared_passes() as taken:`
    """Collect, while the block runs, the time of the memoised passes that really ran:
    ``{function qualname: ns}`` (outermost passes only). A plain class, not a generator:
    it wraps every benchmark call, 10,000 times for a 10,000-member family."""

    __slots__ = ("taken", "previous")

    def __enter__(self) -> dict[str, int]:
        global _ledger
        self.taken: dict[str, int] = {}
        self.previous, _ledger = _ledger, self.taken  # a name rebinding: atomic under the GIL
        return self.taken

    def __exit__(self, *exc: object) -> None:
        global _ledger
        _ledger = self.previous


def current_scope() -> dict[Any, Any] | None:
    """The innermost open memo scope, or None outside a run."""
    return _scopes[-1] if _scopes else None


@contextlib.contextmanager
def memo_scope() -> Iterator[dict[Any, Any]]:
    """Open a fresh memo cache for one run; clear it when the block ends."""
    cache: dict[Any, Any] = {}
    with _scope_lock:
        _scopes.append(cache)
    try:
        yield cache
    finally:
        with _scope_lock:
            _scopes.remove(cache)
        cache.clear()
