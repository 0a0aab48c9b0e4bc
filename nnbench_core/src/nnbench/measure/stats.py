"""Descriptive statistics of timing samples, equal to numpy's on the same samples.

Quartiles use linear interpolation between order statistics (numpy's default ``"linear"``
method); the standard deviation is the sample one (``ddof=1``); outliers follow Tukey's rule
(outside ``[Q1 - 1.5 IQR, Q3 + 1.5 IQR]``). Pure Python: no numpy needed at run time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

#: IQR/median above which a measurement is flagged as noisy.
NOISY_IQR_RATIO = 0.1


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """The ``q`` quantile of already sorted values, numpy's ``method="linear"``."""
    n = len(sorted_values)
    if n == 0:
        raise ValueError("quantile of no values")
    pos = (n - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, n - 1)
    frac = pos - lo
    a, b = sorted_values[lo], sorted_values[hi]
    return a + (b - a) * frac


def iqr_ratio(samples: Sequence[float]) -> float:
    """IQR/median of the samples (``inf`` when the median is 0 and the IQR is not)."""
    s = sorted(samples)
    median = quantile(s, 0.5)
    iqr = quantile(s, 0.75) - quantile(s, 0.25)
    return iqr / median if median else (0.0 if iqr == 0 else math.inf)


def summarize(samples: Sequence[float]) -> dict[str, Any]:
    """min, max, median, mean, stddev, Q1, Q3, IQR, IQR/median, Tukey outliers, rounds."""
    s = sorted(samples)
    n = len(s)
    if n == 0:
        raise ValueError("no samples to summarize")
    mean = math.fsum(s) / n
    stddev = math.sqrt(math.fsum((x - mean) ** 2 for x in s) / (n - 1)) if n > 1 else 0.0
    q1, median, q3 = quantile(s, 0.25), quantile(s, 0.5), quantile(s, 0.75)
    iqr = q3 - q1
    low, high = q1 - 1.5 * iqr, q3 + 1.5 * iqr
    return {
        "rounds": n,
        "min": s[0],
        "max": s[-1],
        "median": median,
        "mean": mean,
        "stddev": stddev,
        "q1": q1,
        "q3": q3,
        "iqr": iqr,
        "iqr_median": iqr / median if median else (0.0 if iqr == 0 else None),
        "outliers": sum(1 for x in s if x < low or x > high),
    }
