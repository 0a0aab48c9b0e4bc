"""nnbench timing: overhead per sample and the variability of a repeated 1 ms benchmark.

1. Timer overhead per sample: the median of an empty timed round (two ``perf_counter_ns``
   reads and the loop, what ``timing.timer_overhead_ns`` measures), and the median sample of
   a no-op benchmark with ``repeat`` (adds the call of the benchmark itself). Goal <= 1 µs.
2. The default path (no options): the cost of ``measure()`` around a no-op, per benchmark.
3. Variability (IQR/median) of a 1 ms benchmark: a 1 ms busy-wait with ``repeat=200`` and
   with ``autorange``, and ``time.sleep(0.001)`` with ``repeat=200`` (scheduler jitter).

Usage: python perf/timer_overhead.py [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from nnbench.measure import timing
from nnbench.measure.timing import measure


def busy(ns: int) -> None:
    end = time.perf_counter_ns() + ns
    while time.perf_counter_ns() < end:
        pass


def sleep_1ms() -> None:
    time.sleep(0.001)


def noop() -> None:
    return None


def default_path_ns(n: int = 100_000) -> float:
    start = time.perf_counter_ns()
    for _ in range(n):
        measure(noop, {}, {})
    return (time.perf_counter_ns() - start) / n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    empty = [timing.timed(noop, {}, 1, None)[0] for _ in range(20_000)]
    noop_t = measure(noop, {}, {"repeat": 20_000, "warmup": 100}).timing
    one_ms = measure(busy, {"ns": 1_000_000}, {"repeat": 200, "warmup": 5}).timing
    auto = measure(busy, {"ns": 1_000_000}, {"autorange": True, "max_time": 5}).timing
    sleep = measure(sleep_1ms, {}, {"repeat": 200, "warmup": 5}).timing
    figures = {
        "timer_overhead_ns_empty_round": statistics.median(empty),
        "timer_overhead_ns_noop_sample": noop_t["median_ns"],
        "default_path_ns_per_benchmark": default_path_ns(),
        "busy_1ms_repeat200": {k: one_ms[k] for k in ("median_ns", "iqr_median", "outliers")},
        "busy_1ms_autorange": {k: auto[k] for k in ("median_ns", "iqr_median", "rounds",
                                                    "iterations", "converged")},
        "sleep_1ms_repeat200": {k: sleep[k] for k in ("median_ns", "iqr_median", "outliers")},
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        ok = figures["timer_overhead_ns_noop_sample"] <= 1000
        print(f"timer overhead per sample: empty round {figures['timer_overhead_ns_empty_round']:.0f} ns, "
              f"no-op benchmark sample {figures['timer_overhead_ns_noop_sample']:.0f} ns "
              f"(goal <= 1000 ns: {'met' if ok else 'NOT met'})")
        print(f"default path (no options): {figures['default_path_ns_per_benchmark']:.0f} ns "
              "per benchmark around a no-op")
        for key in ("busy_1ms_repeat200", "busy_1ms_autorange", "sleep_1ms_repeat200"):
            f = figures[key]
            extra = ", ".join(f"{k}={v}" for k, v in f.items() if k not in ("median_ns", "iqr_median"))
            print(f"{key}: median {f['median_ns'] / 1e6:.4f} ms, IQR/median "
                  f"{f['iqr_median']:.5f} ({extra})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
