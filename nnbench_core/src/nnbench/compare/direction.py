"""Which way is better for a benchmark: ``"higher"``, ``"lower"`` or None (unknown).

Decided, first match wins, by: a per-result hint (``@benchmark(better="lower")`` puts
``"better"`` in the result); compared time (always lower); the unit (``s``, ``ms``, ``B``,
``MiB`` ... lower; ``.../s`` higher); then the name. The name before the first ``=`` (a family's
parameters are ignored) is split into words; rate phrases (``per_s``, ``per_second``,
``throughput``) mean higher; otherwise the first word in one of the lists below decides.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

LOWER = frozenset({
    "time", "times", "latency", "duration", "elapsed", "runtime", "wall", "seconds", "sec", "s",
    "ms", "us", "ns", "memory", "mem", "rss", "vram", "bytes", "size", "footprint", "loss",
    "error", "errors", "err", "wer", "cer", "perplexity", "ppl", "mse", "mae", "rmse", "regret",
})
HIGHER = frozenset({
    "f1", "accuracy", "acc", "precision", "recall", "throughput", "qps", "tps", "fps",
    "speedup", "score", "auc", "roc", "bleu", "rouge", "map", "iou", "top1", "top5", "r2",
    "sensitivity", "specificity", "exact", "em", "ndcg", "mrr", "hit", "hits",
})
TIMING = frozenset({"time", "times", "latency", "duration", "elapsed", "runtime", "wall",
                    "seconds", "sec"})
_RATE = re.compile(r"(per_?(s|sec|second)|_ps|/s)\b|throughput")
_TIME_UNITS = frozenset({"s", "sec", "ms", "us", "µs", "ns", "seconds", "milliseconds"})
_SIZE_UNITS = frozenset({"b", "bytes", "kb", "mb", "gb", "kib", "mib", "gib"})


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", name.split("=", 1)[0].lower()) if w]


@lru_cache(maxsize=4096)
def _by_name(prefix: str) -> tuple[str | None, bool]:
    """(direction the name says, whether it names a time) for a name before its first ``=``:
    a family's members share it, so it is worked out once per family."""
    rate = bool(_RATE.search(prefix.lower()))
    words = _words(prefix)
    timing = not rate and any(w in TIMING for w in words)
    if rate:
        return "higher", timing
    for word in words:
        if word in HIGHER:
            return "higher", timing
        if word in LOWER:
            return "lower", timing
    return None, timing


def better(name: str, result: dict[str, Any] | None = None, kind: str = "value") -> str | None:
    """``"higher"``, ``"lower"`` or None for the benchmark ``name`` (see the module docstring)."""
    hint = (result or {}).get("better")
    if hint in ("higher", "lower"):
        return hint
    if kind in ("time", "memory"):
        return "lower"
    unit = str((result or {}).get("unit") or "").strip().lower()
    if unit.endswith("/s") or unit.endswith("/sec"):
        return "higher"
    if unit in _TIME_UNITS or unit in _SIZE_UNITS:
        return "lower"
    return _by_name(name.split("=", 1)[0])[0]


def is_timing(name: str, result: dict[str, Any] | None = None, kind: str = "value") -> bool:
    """A timing metric: compared time, a time unit, or a time word in the name."""
    if kind == "time":
        return True
    unit = str((result or {}).get("unit") or "").strip().lower()
    if unit in _TIME_UNITS:
        return True
    return _by_name(name.split("=", 1)[0])[1]
