"""Measure a benchmark: one timed call by default; warmup, repeats or autorange on request.

Options (``@nnbench.benchmark(...)``, CLI ``--repeat``/``--warmup`` override):

* ``warmup=N`` untimed calls first; ``repeat=N`` timed rounds; ``number=N`` calls per round
  (each sample is the round's wall time divided by ``number``).
* ``autorange=True`` (or a float: the IQR/median target, default 0.1): grow ``number`` until one
  round takes at least ``min_time`` seconds and 1000x the timer overhead (overhead <= 0.1%),
  then take rounds until IQR/median < target (checked from 10 rounds on) or ``max_time`` seconds
  (default 5) are spent; ``repeat`` then caps the rounds. At least 3 rounds are taken.
* ``memory=True``: peak RSS increase (and CUDA peak) during the benchmark, see ``nnbench.measure.memory``.

The result's ``value`` is the return of the first call (warmup included); ``time_ns`` is the
median per call. Wall time is ``perf_counter_ns``, CPU time (all threads) ``process_time_ns``,
read outside the wall-timed region. When torch is already imported and CUDA initialised, CUDA is
synchronised before each clock read. Without options the path is one call and two clock reads.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import time
from collections.abc import Callable, Mapping
from typing import Any

from nnbench.measure.stats import NOISY_IQR_RATIO, summarize

_MEASURE_KEYS = frozenset({"warmup", "repeat", "number", "autorange", "min_time", "max_time",
                           "memory"})
_TIMING_KEYS = ("warmup", "repeat", "number", "autorange", "min_time", "max_time")

DEFAULT_MAX_TIME = 5.0
DEFAULT_THRESHOLD = 0.1
MIN_ROUNDS = 3
CHECK_FROM = 10
MAX_ROUNDS = 10_000
OVERHEAD_FACTOR = 1000  # a round lasts >= 1000x the timer overhead: overhead <= 0.1%


@dataclasses.dataclass
class Measurement:
    """What timing produced: the benchmark's value, its wall time, optional statistics."""

    value: Any
    time_ns: int
    timing: dict[str, Any] | None = None
    memory: dict[str, Any] | None = None


def measure(fn: Callable[..., Any], kwargs: Mapping[str, Any], options: Mapping[str, Any]) -> Measurement:
    """Call ``fn(**kwargs)`` as ``options`` say; without measurement options, once."""
    if options and not _MEASURE_KEYS.isdisjoint(options):
        return _measure(fn, kwargs, options)
    start = time.perf_counter_ns()
    value = fn(**kwargs)
    return Measurement(value, time.perf_counter_ns() - start)


def check_options(options: Mapping[str, Any]) -> None:
    """Raise ValueError with one clear line for a measurement option of the wrong kind."""
    for key in ("warmup", "repeat", "number"):
        v = options.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int)
                              or v < (0 if key == "warmup" else 1)):
            least = 0 if key == "warmup" else 1
            raise ValueError(f"benchmark option {key}={v!r}: expected an integer >= {least}")
    for key in ("min_time", "max_time"):
        v = options.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0):
            raise ValueError(f"benchmark option {key}={v!r}: expected seconds > 0")
    a = options.get("autorange")
    if a is not None and not isinstance(a, bool) and (not isinstance(a, (int, float)) or a <= 0):
        raise ValueError(f"benchmark option autorange={a!r}: expected True/False or an "
                         "IQR/median target > 0")


def cuda_sync() -> Callable[[], None] | None:
    """``torch.cuda.synchronize`` when torch is already imported and CUDA is in use, else None."""
    torch = sys.modules.get("torch")
    cuda = getattr(torch, "cuda", None)
    try:
        return cuda.synchronize if cuda is not None and cuda.is_initialized() else None
    except Exception:
        return None


def timed(fn: Callable[..., Any], kwargs: Mapping[str, Any], number: int,
          sync: Callable[[], None] | None, first: bool = False) -> tuple[int, int, Any]:
    """Wall and CPU ns of ``number`` calls; the first call's value when ``first``."""
    perf, cpu = time.perf_counter_ns, time.process_time_ns
    rest = range(number - 1 if first else number)
    value = None
    if sync is not None:
        sync()
    c0 = cpu()
    t0 = perf()
    if first:
        value = fn(**kwargs)
    for _ in rest:
        fn(**kwargs)
    if sync is not None:
        sync()
    t1 = perf()
    c1 = cpu()
    return t1 - t0, c1 - c0, value


_overhead_ns: float | None = None


def timer_overhead_ns() -> float:
    """Median wall time of an empty round (clock reads and loop), measured once per process."""
    global _overhead_ns
    if _overhead_ns is None:
        def noop() -> None:
            return None

        walls = sorted(timed(noop, {}, 1, None)[0] for _ in range(201))
        _overhead_ns = float(walls[len(walls) // 2])
    return _overhead_ns


def _measure(fn: Callable[..., Any], kwargs: Mapping[str, Any], options: Mapping[str, Any]) -> Measurement:
    check_options(options)
    probe = None
    if options.get("memory"):
        from nnbench.measure.memory import PeakMemory

        probe = PeakMemory()
        probe.start()
    if any(options.get(k) not in (None, False) for k in _TIMING_KEYS):
        m = _repeated(fn, kwargs, options)
    else:
        start = time.perf_counter_ns()
        value = fn(**kwargs)
        m = Measurement(value, time.perf_counter_ns() - start)
    if probe is not None:
        m.memory = probe.stop()
    return m


def _repeated(fn: Callable[..., Any], kwargs: Mapping[str, Any], options: Mapping[str, Any]) -> Measurement:
    sync = cuda_sync()
    warmup = options.get("warmup") or 0
    autorange = options.get("autorange")
    have_value = False
    value = None
    for _ in range(warmup):
        _, _, v = timed(fn, kwargs, 1, sync, first=True)
        if not have_value:
            value, have_value = v, True
    info: dict[str, Any] = {"mode": "autorange" if autorange else "fixed", "warmup": warmup}
    walls: list[int] = []
    cpus: list[int] = []
    if autorange:
        number, value, have_value = _calibrate(fn, kwargs, options, sync, info, value, have_value)
        converged = _sample_until_stable(fn, kwargs, number, options, sync, walls, cpus, info)
        info["converged"] = converged
    else:
        number = options.get("number") or 1
        for _ in range(options.get("repeat") or 1):
            wall, cpu, v = timed(fn, kwargs, number, sync, first=not have_value)
            if not have_value:
                value, have_value = v, True
            walls.append(wall)
            cpus.append(cpu)
    return _result(value, walls, cpus, number, sync is not None, info)


def _calibrate(fn: Callable[..., Any], kwargs: Mapping[str, Any], options: Mapping[str, Any],
               sync: Any, info: dict[str, Any], value: Any, have_value: bool) -> tuple[int, Any, bool]:
    """Grow ``number`` until one round lasts the minimum; these rounds also warm up."""
    overhead = timer_overhead_ns()
    target = max(OVERHEAD_FACTOR * overhead, (options.get("min_time") or 0) * 1e9)
    budget = (options.get("max_time") or DEFAULT_MAX_TIME) * 1e9
    number = options.get("number") or 1
    spent = 0
    while True:
        wall, _, v = timed(fn, kwargs, number, sync, first=not have_value)
        if not have_value:
            value, have_value = v, True
        spent += wall
        if wall >= target or spent >= budget:
            break
        grow = target / max(wall, 1) * 1.2
        number = max(number + 1, min(number * 10, math.ceil(number * grow)))
    info.update(timer_overhead_ns=overhead, min_round_ns=int(target), calibration_ns=spent)
    return number, value, have_value


def _sample_until_stable(fn: Callable[..., Any], kwargs: Mapping[str, Any], number: int,
                         options: Mapping[str, Any], sync: Any, walls: list[int],
                         cpus: list[int], info: dict[str, Any]) -> bool:
    """Take rounds until IQR/median < threshold (True) or the budget is spent (False)."""
    from nnbench.measure.stats import iqr_ratio

    auto = options.get("autorange")
    threshold = DEFAULT_THRESHOLD if auto is True else float(auto)
    budget = (options.get("max_time") or DEFAULT_MAX_TIME) * 1e9 - info["calibration_ns"]
    cap = options.get("repeat") or MAX_ROUNDS
    info["threshold"] = threshold
    spent = 0
    check_at = CHECK_FROM
    while len(walls) < cap:
        wall, cpu, _ = timed(fn, kwargs, number, sync)
        walls.append(wall)
        cpus.append(cpu)
        spent += wall
        n = len(walls)
        if n >= check_at:
            if iqr_ratio(walls) < threshold:
                return True
            check_at = max(n + 1, n * 9 // 8)
        if spent >= budget and n >= MIN_ROUNDS:
            break
    return False


def _result(value: Any, walls: list[int], cpus: list[int], number: int, synced: bool,
            info: dict[str, Any]) -> Measurement:
    samples = walls if number == 1 else [round(w / number, 3) for w in walls]
    stats = summarize(samples)
    calls = number * len(walls)
    timing: dict[str, Any] = {
        **info,
        "rounds": stats.pop("rounds"),
        "iterations": number,
        "calls": calls,
        **{f"{k}_ns" if k not in ("iqr_median", "outliers") else k: v for k, v in stats.items()},
        "cpu_ns": sum(cpus) / calls,
        "cuda_synchronized": synced,
        "samples_ns": samples,
        "warnings": [],
    }
    ratio = stats["iqr_median"]
    if ratio is None or ratio > NOISY_IQR_RATIO:
        shown = "inf" if ratio is None else f"{ratio:.3f}"
        timing["warnings"].append(
            f"noisy timing: IQR/median = {shown} > {NOISY_IQR_RATIO}; use more rounds "
            "(autorange/min_time) or a quieter machine"
        )
    if info.get("converged") is False:
        timing["warnings"].append(
            f"autorange stopped at the time budget before IQR/median < {info['threshold']}"
        )
    return Measurement(value, int(round(stats["median"])), timing)
