"""Paired tests on per-sample outcomes: intervals against scipy, McNemar against the binomial,
synthetic runs whose truth is known, and the errors for samples that do not pair up."""

import itertools
import math

import pytest
from nnbench.compare.mcnemar import mcnemar_exact
from nnbench.compare.paired import Pair, paired_tests
from nnbench.errors import UsageError

np = pytest.importorskip("numpy")
stats = pytest.importorskip("scipy.stats")


def samples(statistic, n, **counts):
    return {"statistic": statistic, "ids": list(range(n)),
            "counts": {k: np.asarray(v).tolist() for k, v in counts.items()}}


def f1_runs(n=300, seed=0, flip=0.1):
    rng = np.random.default_rng(seed)
    tp, fp, fn = rng.integers(0, 4, n), rng.integers(0, 2, n), rng.integers(0, 2, n)
    better = rng.random(n) < flip  # the candidate finds one more entity in some sentences
    return (tp, fp, fn), (tp + better, fp, np.maximum(fn - better, 0))


def scipy_interval(data, statistic, seeds=6):
    lows, highs = [], []
    for seed in range(seeds):
        ci = stats.bootstrap(data, statistic, paired=True, vectorized=True, method="percentile",
                             n_resamples=10_000, random_state=seed).confidence_interval
        lows.append(ci.low)
        highs.append(ci.high)
    return np.mean(lows), np.std(lows, ddof=1), np.mean(highs), np.std(highs, ddof=1)


def near(ours, mean, sd, width):
    """Within Monte-Carlo error: 5 sd of scipy's endpoint over seeds, at least 1% of the width."""
    assert abs(ours - mean) <= max(5 * sd, 0.01 * width), (ours, mean, sd)


def test_f1_interval_matches_scipy_paired_bootstrap():
    (ta, fa, na), (tb, fb, nb) = f1_runs()

    def diff(ta, fa, na, tb, fb, nb, axis=-1):
        def f1(t, f, m):
            return 2 * t.sum(axis) / (2 * t.sum(axis) + f.sum(axis) + m.sum(axis))
        return f1(tb, fb, nb) - f1(ta, fa, na)

    r, = paired_tests([Pair("f1", "cand", samples("f1", 300, tp=ta, fp=fa, fn=na),
                            samples("f1", 300, tp=tb, fp=fb, fn=nb))])
    lo, lo_sd, hi, hi_sd = scipy_interval((ta, fa, na, tb, fb, nb), diff)
    near(r.low, lo, lo_sd, hi - lo)
    near(r.high, hi, hi_sd, hi - lo)
    assert r.test == "permutation" and r.pvalue < 0.01 and r.n == 300


def test_macro_precision_and_mean_intervals_match_scipy():
    rng = np.random.default_rng(3)
    n, k = 200, 3
    tpa, fpa = rng.integers(0, 3, (n, k)), rng.integers(0, 2, (n, k))
    tpb, fpb = tpa, np.maximum(fpa - (rng.random((n, k)) < 0.05), 0)

    def macro(*cols, axis=-1):  # one 1-D array per class: tp_a..., fp_a..., tp_b..., fp_b...
        tps_a, fps_a, tps_b, fps_b = (cols[i * k:(i + 1) * k] for i in range(4))

        def p(tps, fps):
            return sum(t.sum(axis) / (t.sum(axis) + f.sum(axis))
                       for t, f in zip(tps, fps, strict=True)) / k
        return p(tps_b, fps_b) - p(tps_a, fps_a)

    r, = paired_tests([Pair("p", "c", samples("precision", n, tp=tpa, fp=fpa),
                            samples("precision", n, tp=tpb, fp=fpb))])
    data = tuple(x[:, j] for x in (tpa, fpa, tpb, fpb) for j in range(k))
    lo, lo_sd, hi, hi_sd = scipy_interval(data, macro)
    near(r.low, lo, lo_sd, hi - lo)
    near(r.high, hi, hi_sd, hi - lo)

    a, b = rng.normal(0, 1, n), rng.normal(0, 1, n) + 0.05
    r, = paired_tests([Pair("m", "c", samples("mean", n, score=a), samples("mean", n, score=b))])
    lo, lo_sd, hi, hi_sd = scipy_interval(
        (a, b), lambda a, b, axis=-1: b.mean(axis) - a.mean(axis))
    near(r.low, lo, lo_sd, hi - lo)
    near(r.high, hi, hi_sd, hi - lo)


@pytest.mark.parametrize("b, c", [(0, 0), (0, 1), (3, 3), (2, 9), (15, 4), (40, 61), (700, 640),
                                  (1500, 1390), (5, 2000)])
def test_mcnemar_matches_the_exact_binomial(b, c):
    expected = stats.binomtest(min(b, c), b + c, 0.5).pvalue if b + c else 1.0
    assert mcnemar_exact(b, c) == pytest.approx(expected, rel=1e-9, abs=1e-300)


def test_accuracy_with_0_1_outcomes_uses_mcnemar():
    rng = np.random.default_rng(5)
    a = rng.random(500) < 0.8
    b = a.copy()
    b[:40] = ~b[:40]  # 40 discordant samples
    r, = paired_tests([Pair("acc", "c", samples("accuracy", 500, correct=a.astype(int)),
                            samples("accuracy", 500, correct=b.astype(int)))])
    disc_b, disc_c = int(np.sum(a & ~b)), int(np.sum(~a & b))
    assert r.test == "mcnemar"
    assert r.pvalue == pytest.approx(stats.binomtest(min(disc_b, disc_c), disc_b + disc_c).pvalue)
    graded, = paired_tests([Pair("acc", "c",
                                 samples("accuracy", 3, correct=[2, 1, 0], total=[2, 2, 1]),
                                 samples("accuracy", 3, correct=[2, 2, 0], total=[2, 2, 1]))])
    assert graded.test == "permutation"


def test_permutation_p_value_matches_full_enumeration():
    rng = np.random.default_rng(11)
    n = 12
    ta, fa, na = rng.integers(0, 3, n), rng.integers(0, 2, n), rng.integers(0, 2, n)
    tb, fb, nb = ta + (rng.random(n) < 0.4), fa, na

    def f1(t, f, m):
        return 2 * t.sum() / (2 * t.sum() + f.sum() + m.sum())

    observed = abs(f1(tb, fb, nb) - f1(ta, fa, na))
    hits = 0
    for swap in itertools.product((0, 1), repeat=n):
        s = np.array(swap, bool)
        a = [np.where(s, y, x) for x, y in ((ta, tb), (fa, fb), (na, nb))]
        b = [np.where(s, x, y) for x, y in ((ta, tb), (fa, fb), (na, nb))]
        hits += abs(f1(*b) - f1(*a)) >= observed - 1e-12
    exact = hits / 2**n
    r, = paired_tests([Pair("f1", "c", samples("f1", n, tp=ta, fp=fa, fn=na),
                            samples("f1", n, tp=tb, fp=fb, fn=nb))])
    assert abs(r.pvalue - exact) < 4 * math.sqrt(exact * (1 - exact) / 10_000) + 1e-3


def test_identical_runs_give_p_1_and_a_zero_interval():
    (ta, fa, na), _ = f1_runs()
    same = samples("f1", 300, tp=ta, fp=fa, fn=na)
    macro = samples("recall", 300, tp=np.stack([ta, fa], 1), fn=np.stack([na, na], 1))
    acc = samples("accuracy", 300, correct=(ta > 1).astype(int))
    for r in paired_tests([Pair("f1", "c", same, same), Pair("r", "c", macro, macro),
                           Pair("a", "c", acc, acc)]):
        assert r.pvalue == 1.0 and (r.low, r.high) == (0.0, 0.0)


def test_shifted_run_is_significant_and_its_interval_excludes_zero():
    base, cand = f1_runs(n=1000, flip=0.05)
    r, = paired_tests([Pair("f1", "c", samples("f1", 1000, tp=base[0], fp=base[1], fn=base[2]),
                            samples("f1", 1000, tp=cand[0], fp=cand[1], fn=cand[2]))])
    assert r.pvalue < 0.001 and 0 < r.low < r.high


def test_chance_differences_are_rarely_significant():
    rng = np.random.default_rng(2)
    pairs = []
    for _ in range(40):  # two runs differing by chance only: about alpha of them significant
        a, b = (rng.random(300) < 0.7).astype(int), (rng.random(300) < 0.7).astype(int)
        pairs.append(Pair("acc", "c", samples("accuracy", 300, correct=a, total=np.ones(300, int)),
                          samples("accuracy", 300, correct=b)))
    results = paired_tests(pairs)
    assert {r.test for r in results} == {"mcnemar"}
    assert sum(r.pvalue < 0.05 for r in results) <= 8


def test_ids_in_another_order_are_aligned():
    (ta, fa, na), (tb, fb, nb) = f1_runs()
    base = samples("f1", 300, tp=ta, fp=fa, fn=na)
    cand = samples("f1", 300, tp=tb, fp=fb, fn=nb)
    order = np.random.default_rng(0).permutation(300)
    shuffled = {"statistic": "f1", "ids": order.tolist(),
                "counts": {k: np.asarray(v)[order].tolist() for k, v in cand["counts"].items()}}
    assert paired_tests([Pair("f1", "c", base, cand)]) == \
        paired_tests([Pair("f1", "c", base, shuffled)])


def test_different_ids_are_an_error_naming_how_many():
    base = samples("f1", 5, tp=[1] * 5, fp=[0] * 5, fn=[0] * 5)
    cand = {**base, "ids": [0, 1, 2, 7, 8]}
    with pytest.raises(UsageError, match=r"seqeval_f1: base and cand have outcomes for different "
                                         r"samples \(4 sample id\(s\) in only one of them, of 5 "
                                         r"and 5\)"):
        paired_tests([Pair("seqeval_f1", "cand", base, cand)])
    with pytest.raises(UsageError, match="different statistics"):
        paired_tests([Pair("x", "cand", base, {**base, "statistic": "recall"})])


def test_same_seed_same_numbers():
    base, cand = f1_runs()
    pair = Pair("f1", "c", samples("f1", 300, tp=base[0], fp=base[1], fn=base[2]),
                samples("f1", 300, tp=cand[0], fp=cand[1], fn=cand[2]))
    assert paired_tests([pair]) == paired_tests([pair])
    assert paired_tests([pair], seed=1) != paired_tests([pair])


def test_not_strict_gives_none_for_samples_that_do_not_pair_up():
    base = samples("f1", 5, tp=[1] * 5, fp=[0] * 5, fn=[0] * 5)
    other = {**base, "ids": [0, 1, 2, 7, 8]}
    results = paired_tests([Pair("a", "c", base, other), Pair("b", "c", base, base)], strict=False)
    assert results[0] is None and results[1].pvalue == 1.0
