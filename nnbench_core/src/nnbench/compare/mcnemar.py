"""Exact McNemar test: do two runs' 0/1 outcomes on the same samples differ?

Only the discordant samples count: ``b`` right in the base and wrong in the candidate, ``c`` the
other way round. Under the null hypothesis each of the ``b + c`` discordant samples goes either
way with probability 1/2, so the two-sided p-value is ``min(1, 2 P(X <= min(b, c)))`` for
``X ~ Binomial(b + c, 1/2)`` — the same as ``scipy.stats.binomtest(min(b, c), b + c).pvalue``.
"""

from __future__ import annotations

import math


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact p-value from the discordant counts ``b`` and ``c``."""
    if b < 0 or c < 0:
        raise ValueError("discordant counts must be >= 0")
    m, k = b + c, min(b, c)
    if m == 0 or 2 * k >= m:
        return 1.0
    if m <= 1000:  # exact integers
        return min(1.0, 2 * sum(math.comb(m, i) for i in range(k + 1)) / 2**m)
    logs = [math.lgamma(m + 1) - math.lgamma(i + 1) - math.lgamma(m - i + 1) - m * math.log(2)
            for i in range(k + 1)]
    top = max(logs)
    return min(1.0, 2 * math.exp(top) * math.fsum(math.exp(x - top) for x in logs))
