"""Statistics and the Mann–Whitney U test against numpy and scipy on fixed samples."""

import math
import random

import numpy as np
import pytest
from nnbench.compare.mannwhitney import _u_counts, mannwhitneyu, ranks
from nnbench.measure.stats import iqr_ratio, quantile, summarize
from scipy import stats as sps

_RNG = random.Random(7)
SAMPLES = [
    [5.0],
    [3.0, 1.0],
    [10, 12, 11, 13, 250, 11, 12],
    [1.5, 1.5, 1.5, 1.5],
    [float(x) for x in range(1, 101)],
    [_RNG.lognormvariate(10, 0.3) for _ in range(257)],
    [100, 101, 99, 100, 100, 180, 40, 100, 102, 98, 101],
]


@pytest.mark.parametrize("samples", SAMPLES, ids=lambda s: f"n{len(s)}")
def test_summary_equals_numpy(samples):
    s = summarize(samples)
    a = np.asarray(samples, dtype=float)
    q1, med, q3 = np.percentile(a, [25, 50, 75])
    assert s["rounds"] == len(a)
    assert s["min"] == a.min() and s["max"] == a.max()
    assert s["median"] == pytest.approx(np.median(a), rel=1e-12)
    assert s["mean"] == pytest.approx(a.mean(), rel=1e-12)
    expected_std = a.std(ddof=1) if len(a) > 1 else 0.0
    assert s["stddev"] == pytest.approx(expected_std, rel=1e-9, abs=1e-12)
    assert (s["q1"], s["q3"]) == (pytest.approx(q1, rel=1e-12), pytest.approx(q3, rel=1e-12))
    assert s["iqr"] == pytest.approx(q3 - q1, rel=1e-9, abs=1e-12)
    iqr = q3 - q1
    tukey = int(np.sum((a < q1 - 1.5 * iqr) | (a > q3 + 1.5 * iqr)))
    assert s["outliers"] == tukey
    assert s["iqr_median"] == pytest.approx(iqr / med, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("q", [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1])
def test_quantile_is_numpy_linear(q):
    values = sorted([3, 9, 1, 7, 7, 2, 11, 5])
    assert quantile(values, q) == pytest.approx(np.quantile(values, q))


def test_outliers_are_counted_on_both_sides():
    samples = [100.0] * 20 + [1.0, 1000.0, 2000.0]
    assert summarize(samples)["outliers"] == 3


def test_degenerate_inputs():
    with pytest.raises(ValueError):
        summarize([])
    assert summarize([0, 0, 0])["iqr_median"] == 0.0
    assert summarize([0, 0, 0, 5, 5])["iqr_median"] is None  # median 0, IQR > 0
    assert math.isinf(iqr_ratio([0, 0, 0, 5, 5]))


def test_midranks_and_ties():
    r, ties = ranks([10, 20, 10, 30, 20, 20])
    assert r == list(sps.rankdata([10, 20, 10, 30, 20, 20]))
    assert sorted(ties) == [2, 3]


def test_exact_null_distribution_counts_every_ordering():
    for m, n in [(1, 1), (2, 3), (4, 4), (5, 8), (3, 12)]:
        counts = _u_counts(m, n)
        assert len(counts) == m * n + 1
        assert sum(counts) == math.comb(m + n, m)
        assert counts == counts[::-1]  # symmetric


def _pairs():
    rng = random.Random(42)
    yield "exact-small", [1.1, 2.3, 0.4], [3.3, 4.1, 2.9, 5.0]
    yield "exact-equal", [rng.random() for _ in range(6)], [rng.random() for _ in range(6)]
    yield "exact-one-small", [rng.random() for _ in range(5)], [rng.random() + .2 for _ in range(40)]
    yield "exact-separated", list(range(8)), list(range(10, 18))
    yield "asymptotic", [rng.gauss(0, 1) for _ in range(30)], [rng.gauss(.5, 1) for _ in range(25)]
    yield "ties", [1, 2, 2, 3, 3, 3, 4], [2, 3, 3, 4, 4, 5, 5, 5]
    yield "ties-large", [rng.randint(0, 5) for _ in range(40)], [rng.randint(1, 6) for _ in range(35)]
    yield "timings", [1000 + rng.randint(-20, 20) for _ in range(50)], \
        [1030 + rng.randint(-20, 20) for _ in range(60)]
    yield "identical", [5, 5, 5], [5, 5, 5, 5]
    yield "single", [1.0], [2.0]


@pytest.mark.parametrize("x, y", [p[1:] for p in _pairs()], ids=[p[0] for p in _pairs()])
def test_mann_whitney_equals_scipy(x, y):
    ours = mannwhitneyu(x, y)
    ref = sps.mannwhitneyu(x, y)
    assert ours.u == pytest.approx(ref.statistic)
    if math.isnan(ref.pvalue):  # scipy: all values tied, no variance
        assert ours.pvalue == 1.0
    else:
        assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("method", ["exact", "asymptotic"])
def test_mann_whitney_methods_equal_scipy(method):
    x, y = [3.1, 0.2, 5.5, 2.2, 4.8], [6.1, 7.7, 5.9, 8.8, 9.1, 6.6]
    assert mannwhitneyu(x, y, method).pvalue == pytest.approx(
        sps.mannwhitneyu(x, y, method=method).pvalue, rel=1e-12)


def test_mann_whitney_rejects_empty_and_unknown_method():
    with pytest.raises(ValueError):
        mannwhitneyu([], [1.0])
    with pytest.raises(ValueError):
        mannwhitneyu([1.0], [2.0], method="magic")
