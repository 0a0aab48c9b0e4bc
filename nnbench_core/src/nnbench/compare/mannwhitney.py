"""Two-sided Mann–Whitney U test: is one sample of timings shifted against the other?

Ranks use mid-ranks for ties. The p-value is exact (the permutation distribution of U, counted
by dynamic programming) when a sample has at most 8 values and there are no ties, and otherwise
the normal approximation with tie correction and continuity correction — the same choice and
numbers as ``scipy.stats.mannwhitneyu(x, y)`` with its defaults.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from functools import lru_cache


@dataclasses.dataclass(frozen=True)
class MWUResult:
    """``u``: the U statistic of the first sample; ``pvalue`` two-sided; ``method`` used."""

    u: float
    pvalue: float
    method: str


def ranks(values: Sequence[float]) -> tuple[list[float], list[int]]:
    """Mid-ranks (1-based) of ``values`` and the sizes of tied groups larger than one."""
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0.0] * len(values)
    ties: list[int] = []
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        mid = (i + j) / 2 + 1
        for k in range(i, j + 1):
            out[order[k]] = mid
        if j > i:
            ties.append(j - i + 1)
        i = j + 1
    return out, ties


@lru_cache(maxsize=32)
def _u_counts(m: int, n: int) -> tuple[int, ...]:
    """How many of the C(m+n, m) orderings give U = 0 .. m*n.

    These are the coefficients of the Gaussian binomial prod_{i=1..m} (1-q^(n+i)) / (1-q^i),
    built by multiplying and dividing one factor at a time (exact integers).
    """
    size = m * n + 1
    poly = [1] + [0] * (size - 1)
    for i in range(1, m + 1):
        shift = n + i
        for k in range(size - 1, shift - 1, -1):  # times (1 - q^shift)
            poly[k] -= poly[k - shift]
        for k in range(i, size):  # divided by (1 - q^i)
            poly[k] += poly[k - i]
    return tuple(poly)


def _exact_sf(u: int, m: int, n: int) -> float:
    """P(U >= u) under the null hypothesis."""
    counts = _u_counts(min(m, n), max(m, n))
    return sum(counts[u:]) / math.comb(m + n, m)


def mannwhitneyu(x: Sequence[float], y: Sequence[float], method: str = "auto") -> MWUResult:
    """Two-sided test of ``x`` against ``y``; ``method`` is ``auto``, ``exact`` or ``asymptotic``."""
    n1, n2 = len(x), len(y)
    if n1 == 0 or n2 == 0:
        raise ValueError("Mann-Whitney U needs at least one value in each sample")
    r, ties = ranks([*x, *y])
    u1 = math.fsum(r[:n1]) - n1 * (n1 + 1) / 2
    u = max(u1, n1 * n2 - u1)
    if method == "auto":
        method = "asymptotic" if (n1 > 8 and n2 > 8) or ties else "exact"
    if method == "exact":
        p = 2 * _exact_sf(int(u), n1, n2)
    elif method == "asymptotic":
        n = n1 + n2
        tie_term = sum(t**3 - t for t in ties) / (n * (n - 1)) if n > 1 else 0.0
        var = n1 * n2 / 12 * ((n + 1) - tie_term)
        if var <= 0:
            p = 1.0
        else:
            z = (u - n1 * n2 / 2 - 0.5) / math.sqrt(var)
            p = math.erfc(z / math.sqrt(2))  # 2 * P(Z > z)
    else:
        raise ValueError(f"unknown method {method!r}; use auto, exact or asymptotic")
    return MWUResult(u1, min(max(p, 0.0), 1.0), method)
