"""Durations as short text, the way every nnbench table shows them: ``1.23 ms``, ``45 ns``.

Three significant digits in the largest unit (s, ms, µs, ns) that keeps the number at or
above 1 (whole seconds from 1000 s on); negative durations (differences) keep their sign::

    from nnbench.durations import format_ns, format_seconds

    format_ns(1_234_567)     # '1.23 ms'
    format_seconds(0.5)      # '500 ms'
"""

from __future__ import annotations

__all__ = ["format_ns", "format_seconds"]

_UNITS = (("s", 1e9), ("ms", 1e6), ("µs", 1e3))


def format_ns(ns: float) -> str:
    """A duration given in nanoseconds (``time_ns`` of a result), e.g. ``'1.23 µs'``."""
    if ns < 0:
        return "-" + format_ns(-ns)
    ns = float(f"{ns:.3g}")  # round first: 999.9996 µs is '1 ms', never '1e+03 µs'
    if ns >= 1e12:  # 1000 s and more: whole seconds, not '1.5e+03 s'
        return f"{ns / 1e9:.0f} s"
    for unit, scale in _UNITS:
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def format_seconds(seconds: float) -> str:
    """A duration given in seconds, e.g. ``'2.5 s'``."""
    return format_ns(seconds * 1e9)
