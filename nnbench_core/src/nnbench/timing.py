"""Measure one benchmark call: the value it returns and the wall time it took."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from typing import Any


@dataclasses.dataclass
class Measurement:
    """What timing produced: the benchmark's value, its wall time, optional statistics."""

    value: Any
    time_ns: int
    timing: dict[str, Any] | None = None


def measure(fn: Callable[..., Any], kwargs: Mapping[str, Any], options: Mapping[str, Any]) -> Measurement:
    """Call ``fn(**kwargs)`` once and time it with ``perf_counter_ns``."""
    start = time.perf_counter_ns()
    value = fn(**kwargs)
    return Measurement(value, time.perf_counter_ns() - start)
