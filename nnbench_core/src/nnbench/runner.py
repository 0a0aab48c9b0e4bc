"""Run one unit where it lands (load its artifacts, run its benchmarks in one memo scope)
and one benchmark (setUp, measured call, tearDown).

Every executor ends up here, in the driver (serial) or in a worker process.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from nnbench.errors import LoaderError, NNBenchError
from nnbench.executors.events import UnitEvent
from nnbench.jsonsafe import to_jsonable
from nnbench.measure.timing import measure
from nnbench.memo import memo_scope, shared_passes
from nnbench.samples import Samples
from nnbench.types import Benchmark

if TYPE_CHECKING:
    from nnbench.plan import Unit
    from nnbench.plugins.manager import PluginManager


def default_run_name() -> str:
    return time.strftime("run-%Y%m%d-%H%M%S")


def worker_facts(executor: str, **extra: Any) -> dict[str, Any]:
    """Where units run: executor, host, process, and the thread budget of this process."""
    facts: dict[str, Any] = {"executor": executor, "host": _hostname(), "pid": os.getpid()}
    threads = os.environ.get("OMP_NUM_THREADS")
    if threads:
        facts["threads"] = int(threads)
    facts.update(extra)
    return facts


def _hostname() -> str:
    uname = getattr(os, "uname", None)
    if uname is not None:
        return uname().nodename
    import platform

    return platform.node()


def run_unit(unit: Unit, index: int, *, plugins: PluginManager | None = None,
             worker: dict[str, Any] | None = None, announce: bool = True) -> Iterator[UnitEvent]:
    """Yield the unit's events: ``loaded``, then ``start`` (when ``announce``) and ``result``
    per benchmark, then ``done``.

    A loader error ends the unit with ``done(error=...)`` before any benchmark runs; a
    benchmark or setUp that raises is a failed result and the others still run.
    """
    artifacts: dict[str, Any] = {}
    try:
        benchmarks = unit.resolve_benchmarks()
        artifacts = unit.artifacts()
        for artifact in artifacts.values():
            artifact.bind(plugins)
            artifact.path  # noqa: B018 -- load now: a loader error is a usage error, not N failures
    except NNBenchError as exc:
        yield UnitEvent("done", index, artifacts=_provenance(artifacts), worker=worker,
                        error=str(exc), error_type=type(exc).__name__, exception=exc)
        return
    except (Exception, SystemExit) as exc:  # a loader's or artifact's bug ends only this unit
        error = LoaderError(f"loading the artifacts failed: {_describe(exc)}; fix the loader "
                            "or artifact class (--debug shows where)")
        error.__cause__ = exc
        yield UnitEvent("done", index, worker=worker, error=str(error),
                        error_type=type(error).__name__, exception=error)
        return
    yield UnitEvent("loaded", index, artifacts=_provenance(artifacts), worker=worker)
    params, options = unit.params, unit.options
    with memo_scope():
        for position, bm in zip(unit.positions, benchmarks, strict=True):
            fixed = bm.params
            kwargs = {n: params[n] for n in bm.interface.names if n in params and n not in fixed}
            if announce:
                yield UnitEvent("start", index, position)
            yield UnitEvent("result", index, position, run_one(bm, kwargs, options))
    yield UnitEvent("done", index, artifacts=_provenance(artifacts), worker=worker)


def _provenance(artifacts: dict[str, Any]) -> dict[str, Any]:
    return {name: artifact.provenance() for name, artifact in artifacts.items()}


def new_result(bm: Benchmark, params: Mapping[str, Any]) -> dict[str, Any]:
    """The result dict of ``bm`` before it ran: every field, no value, no error."""
    return {
        "name": bm.name,
        "function": bm.function,
        "description": bm.description,
        "value": None,
        "unit": bm.options.get("unit", ""),
        "parameters": to_jsonable(dict(params)),
        "tags": list(bm.tags),
        "time_ns": 0,
        "error_occurred": False,
        "error_type": None,
        "error_message": None,
        "traceback": None,
    }


def lost_result(bm: Benchmark, params: Mapping[str, Any], error_type: str,
                message: str) -> dict[str, Any]:
    """The result of a benchmark whose worker was lost before it finished."""
    result = new_result(bm, {**bm.params, **params})
    result.update(error_occurred=True, error_type=error_type, error_message=message)
    return result


def run_one(bm: Benchmark, kwargs: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Run one benchmark (setUp, measured call, tearDown) and return its result dict."""
    params = {**bm.params, **kwargs}
    result = new_result(bm, params)
    if "better" in bm.options:  # direction hint for `nnbench compare`: "higher" or "lower"
        result["better"] = bm.options["better"]
    options = {**bm.options, **overrides} if bm.options or overrides else {}
    options.pop("resources", None)  # where a unit runs, not how a call is measured
    stage = "setUp"
    try:
        if bm.setUp is not None:
            bm.setUp(bm, params)
        stage = "benchmark"
        with shared_passes() as shared:
            m = measure(bm.fn, params, options)
        value = m.value
        if isinstance(value, Samples):  # per-sample outcomes, kept unless options say not
            if options.get("samples", True):
                result["samples"] = value.to_dict()
            value = value.value
        result["value"] = to_jsonable(value)
        result["time_ns"] = m.time_ns
        if shared:  # memoised passes this benchmark happened to run first: reported apart
            result["shared_ns"] = dict(shared)
            if m.timing is None:  # one timed call: its own time, without the shared pass
                result["time_ns"] = max(0, m.time_ns - sum(shared.values()))
        if m.timing is not None:
            result["timing"] = m.timing
        if m.memory is not None:
            result["memory"] = m.memory
    except (Exception, SystemExit) as exc:  # sys.exit() in a benchmark fails only that one
        _record_error(result, exc, stage)
    finally:
        if bm.tearDown is not None:
            try:
                bm.tearDown(bm, params)
            except (Exception, SystemExit) as exc:
                if not result["error_occurred"]:
                    _record_error(result, exc, "tearDown")
    return result


def _describe(exc: BaseException) -> str:
    """One line about ``exc``, secrets masked; ``sys.exit()`` said as such."""
    from nnbench.redact import clip, redact_text

    if isinstance(exc, SystemExit):
        return (f"sys.exit({exc.code!r}) was called; a benchmark returns a value or raises, "
                "it does not exit")
    text = clip(redact_text(" ".join(str(exc).split())), 500)
    return f"{type(exc).__name__}: {text}"


def _record_error(result: dict[str, Any], exc: BaseException, stage: str) -> None:
    result["error_occurred"] = True
    result["error_type"] = type(exc).__name__
    prefix = "" if stage == "benchmark" else f"in {stage}: "
    message = _describe(exc) if isinstance(exc, SystemExit) else str(exc)
    result["error_message"] = prefix + message
    result["traceback"] = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
