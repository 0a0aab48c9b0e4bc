"""Paired tests of two runs' per-sample outcomes (``nnbench.Samples``) on the same samples.

For each (metric, candidate) both runs' counts are aligned by sample id. Then, vectorised over
every metric at once (numpy):

* **confidence interval** of the difference (candidate - base): paired bootstrap. A resample
  draws n sample positions with replacement, the *same* ones for both runs; the statistic of
  each run is recomputed from the resampled sums of its counts (a resample is a row of weights
  ``W``, so all sums of all metrics are one matrix product ``W @ counts``); the interval is the
  percentile interval of the differences (level ``1 - alpha``), as
  ``scipy.stats.bootstrap(..., paired=True, method="percentile")`` computes it.
* **p-value**: paired permutation (approximate randomisation). Under the null hypothesis the
  two runs' outcomes of a sample are exchangeable, so each permutation swaps them on a random
  half of the samples; p = (1 + #{|T*| >= |T|}) / (1 + permutations). Identical runs give p = 1.
  Accuracy-like 0/1 outcomes (``accuracy`` with total 1) get the exact McNemar test instead.

Resamples and permutations are seeded, so a comparison gives the same numbers every time.
Metrics with the same number of samples share the resampled weights (each interval is valid on
its own; the weights are drawn once).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from nnbench.errors import UsageError
from nnbench.samples import ONE, STATISTICS, Statistic

if TYPE_CHECKING:
    import numpy as np

RESAMPLES = 10_000
SEED = 0
_CHUNK = 2000  # resamples per matrix product
_SUB = 32  # resamples whose weights are counted at once (their counts fit in cache)
_MAX_BUFFER = 2**26  # bytes of bootstrap differences kept at once (pairs x resamples x 8)


@dataclasses.dataclass(frozen=True)
class PairedResult:
    """The paired difference's interval (``low``, ``high``), its p-value and the test used."""

    low: float
    high: float
    pvalue: float
    test: str  # "permutation" or "mcnemar"
    n: int


@dataclasses.dataclass(frozen=True)
class Pair:
    """One metric in two runs: names for messages, and both runs' ``result["samples"]``."""

    name: str
    label: str
    base: Mapping[str, Any]
    cand: Mapping[str, Any]


@dataclasses.dataclass
class _Prepared:
    stat: Statistic
    n: int
    a: dict[str, np.ndarray]  # count name -> (n, k) float64, base
    b: dict[str, np.ndarray]  # the candidate's, rows in the base's id order
    mcnemar: tuple[int, int] | None = None


def paired_tests(pairs: Sequence[Pair], *, alpha: float = 0.05, resamples: int = RESAMPLES,
                 seed: int = SEED, strict: bool = True) -> list[PairedResult | None]:
    """One :class:`PairedResult` per pair. Samples that do not pair up (different ids,
    statistics or shapes) are a UsageError, or give None when not ``strict``."""
    import numpy as np

    prepared: list[_Prepared | None] = []
    for pair in pairs:
        try:
            prepared.append(_prepare(pair, np))
        except UsageError:
            if strict:
                raise
            prepared.append(None)
    out: list[PairedResult | None] = [None] * len(pairs)
    groups: dict[int, list[int]] = {}
    for i, p in enumerate(prepared):
        if p is not None:
            groups.setdefault(p.n, []).append(i)
    per_batch = max(1, _MAX_BUFFER // (8 * max(resamples, 1)))
    for n, members in groups.items():
        for start in range(0, len(members), per_batch):
            batch = members[start:start + per_batch]
            results = _group([prepared[i] for i in batch], n, alpha, resamples, seed, np)  # type: ignore[misc]
            for i, r in zip(batch, results, strict=True):
                out[i] = r
    return out


def _prepare(pair: Pair, np: Any) -> _Prepared:
    base, cand = pair.base, pair.cand
    where = f"{pair.name}: base and {pair.label}"
    if base.get("statistic") != cand.get("statistic"):
        raise UsageError(f"{where} compute different statistics ({base.get('statistic')} and "
                         f"{cand.get('statistic')}) from their samples; compare like with like")
    stat = STATISTICS.get(str(base.get("statistic")))
    if stat is None:
        raise UsageError(f"{pair.name}: unknown samples statistic {base.get('statistic')!r}")
    ids_a, ids_b = list(base.get("ids") or []), list(cand.get("ids") or [])
    order = None
    if ids_a != ids_b:
        pos_b = {x: i for i, x in enumerate(ids_b)}
        differ = len(set(ids_a).symmetric_difference(pos_b))
        if differ or len(ids_a) != len(ids_b):
            raise UsageError(
                f"{where} have outcomes for different samples ({differ} sample id(s) in only "
                f"one of them, of {len(ids_a)} and {len(ids_b)}); compare runs on the same data")
        order = np.fromiter((pos_b[x] for x in ids_a), dtype=np.intp, count=len(ids_a))
    n = len(ids_a)
    a = _arrays(base.get("counts") or {}, stat, n, pair.name, np)
    b = _arrays(cand.get("counts") or {}, stat, n, pair.name, np)
    if order is not None:
        b = {k: v[order] for k, v in b.items()}
    if {k: v.shape for k, v in a.items()} != {k: v.shape for k, v in b.items()}:
        raise UsageError(f"{where} have samples of different shapes (counts or classes); "
                         "compare runs of the same metric")
    return _Prepared(stat, n, a, b, _discordant(stat, a, b, np))


def _arrays(counts: Mapping[str, Any], stat: Statistic, n: int, name: str,
            np: Any) -> dict[str, np.ndarray]:
    out = {}
    for key in stat.counts:
        if key not in counts:
            if key in stat.defaults:  # left out: 1 per sample
                out[key] = np.ones((n, 1))
            continue
        try:
            arr = np.asarray(counts[key], dtype=np.float64)
        except (TypeError, ValueError):
            raise UsageError(f"{name}: samples count {key!r} is not numeric") from None
        if arr.ndim == 1:
            arr = arr[:, None]
        if arr.ndim != 2 or arr.shape[0] != n:
            raise UsageError(f"{name}: samples count {key!r} does not have one entry per id")
        out[key] = arr
    return out


def _discordant(stat: Statistic, a: dict[str, Any], b: dict[str, Any],
                np: Any) -> tuple[int, int] | None:
    """McNemar's (b, c) when both runs' outcomes are 0/1 per sample, else None."""
    if stat.name != "accuracy" or "correct" not in a:
        return None
    if "total" in a and not (np.all(a["total"] == 1) and np.all(b["total"] == 1)):
        return None
    x, y = a["correct"], b["correct"]
    if x.shape[1] != 1 or not (np.isin(x, (0, 1)).all() and np.isin(y, (0, 1)).all()):
        return None
    return int(np.sum((x == 1) & (y == 0))), int(np.sum((x == 0) & (y == 1)))


class _Columns:
    """Distinct count columns of a group of metrics (shared counts are summed once)."""

    def __init__(self, np: Any) -> None:
        self.np = np
        self.columns: list[Any] = []
        self.index: dict[bytes, int] = {}

    def add(self, arr: Any) -> Any:
        """Column indices of ``arr`` (n, k); -1 for an all-zero column."""
        found = []
        for j in range(arr.shape[1]):
            col = self.np.ascontiguousarray(arr[:, j])
            if not col.any():
                found.append(-1)
                continue
            key = col.tobytes()
            if key not in self.index:
                self.index[key] = len(self.columns)
                self.columns.append(col)
            found.append(self.index[key])
        return self.np.asarray(found, dtype=self.np.intp)

    def matrix(self, n: int) -> Any:
        """(n, K) matrix of the columns plus one zero column (for index -1), float32 where
        every product sum stays an exact integer, else float64."""
        np = self.np
        cols = self.columns or [np.zeros(n)]
        mat = np.stack([*cols, np.zeros(n)], axis=1)
        exact = np.array_equal(mat, np.round(mat)) and n * float(np.abs(mat).max()) < 2**24
        return mat.astype(np.float32 if exact else np.float64)


def _values(stat: Statistic, sums: Mapping[str, Any], n: int, np: Any) -> Any:
    """The statistic per row of ``sums`` (name -> (m, k)): macro mean over the k classes."""
    def form(terms: tuple[tuple[str, float], ...]) -> Any:
        total: Any = 0.0
        for key, coef in terms:
            total = total + coef * (sums[key] if key != ONE and key in sums else float(n))
        return total

    num, den = np.broadcast_arrays(np.asarray(form(stat.numerator), dtype=np.float64),
                                   np.asarray(form(stat.denominator), dtype=np.float64))
    ratio = np.divide(num, den, out=np.zeros(den.shape), where=den != 0)
    return ratio.mean(axis=-1)


def _weights(rng: Any, m: int, n: int, np: Any) -> Any:
    """(m, n) bootstrap weights: how often each of n samples is drawn in each of m resamples."""
    out = np.empty((m, n), dtype=np.float32)
    for s in range(0, m, _SUB):
        b = min(_SUB, m - s)
        idx = rng.integers(0, n, size=(b, n), dtype=np.int32).astype(np.intp)
        idx += (np.arange(b, dtype=np.intp) * n)[:, None]
        out[s:s + b] = np.bincount(idx.ravel(), minlength=b * n).reshape(b, n)
    return out


def _swaps(rng: Any, m: int, n: int, np: Any) -> Any:
    """(m, n) 0/1: which samples each permutation swaps between the runs."""
    bits = rng.integers(0, 256, size=(m, (n + 7) // 8), dtype=np.uint8)
    return np.unpackbits(bits, axis=1, count=n).astype(np.float32)


@dataclasses.dataclass
class _Kind:
    """Metrics of one statistic and count shapes, evaluated together: each count's column
    indices stacked over the metrics, (metrics, classes)."""

    stat: Statistic
    members: list[int]
    a: dict[str, Any]
    b: dict[str, Any]
    d: dict[str, Any]
    sum_a: dict[str, Any]
    sum_b: dict[str, Any]


def _kinds(group: list[_Prepared], boot: _Columns, diff: _Columns, np: Any) -> list[_Kind]:
    by_key: dict[Any, list[int]] = {}
    for j, p in enumerate(group):
        key = (p.stat.name, tuple((k, v.shape[1]) for k, v in p.a.items()))
        by_key.setdefault(key, []).append(j)
    kinds = []
    for members in by_key.values():
        ps = [group[j] for j in members]
        names = list(ps[0].a)
        kinds.append(_Kind(
            ps[0].stat, members,
            a={k: np.stack([boot.add(p.a[k]) for p in ps]) for k in names},
            b={k: np.stack([boot.add(p.b[k]) for p in ps]) for k in names},
            d={k: np.stack([diff.add(p.b[k] - p.a[k]) for p in ps]) for k in names},
            sum_a={k: np.stack([p.a[k].sum(axis=0) for p in ps]) for k in names},
            sum_b={k: np.stack([p.b[k].sum(axis=0) for p in ps]) for k in names},
        ))
    return kinds


def _group(group: list[_Prepared], n: int, alpha: float, resamples: int, seed: int,
           np: Any) -> list[PairedResult]:
    """Intervals and p-values of metrics with ``n`` samples each (values: metrics x resamples)."""
    boot, diff = _Columns(np), _Columns(np)
    kinds = _kinds(group, boot, diff, np)
    observed = np.zeros(len(group))
    for kind in kinds:
        observed[kind.members] = (_values(kind.stat, kind.sum_b, n, np)
                                  - _values(kind.stat, kind.sum_a, n, np))
    deltas = np.empty((len(group), resamples))
    extreme = np.zeros(len(group), dtype=np.int64)
    if n and resamples:
        mat = boot.matrix(n)
        rng = np.random.default_rng([seed, n, 0])
        for start in range(0, resamples, _CHUNK):
            m = min(_CHUNK, resamples - start)
            sums = _weights(rng, m, n, np).astype(mat.dtype, copy=False) @ mat
            for kind in kinds:  # (m, metrics, classes) -> (m, metrics)
                va = _values(kind.stat, {k: sums[:, i] for k, i in kind.a.items()}, n, np)
                vb = _values(kind.stat, {k: sums[:, i] for k, i in kind.b.items()}, n, np)
                deltas[kind.members, start:start + m] = (vb - va).T
        tested = [kind for kind in kinds
                  if any(group[j].mcnemar is None for j in kind.members)]
        if tested:
            _permute(tested, diff.matrix(n), observed, extreme, n, resamples,
                     np.random.default_rng([seed, n, 1]), np)

    from nnbench.compare.mcnemar import mcnemar_exact

    if n and resamples:
        bounds = np.quantile(deltas, [alpha / 2, 1 - alpha / 2], axis=1)
    else:
        bounds = np.stack([observed, observed])
    results = []
    for j, p in enumerate(group):
        if p.mcnemar is not None:
            pvalue, test = mcnemar_exact(*p.mcnemar), "mcnemar"
        else:
            pvalue = (1 + int(extreme[j])) / (1 + resamples) if n and resamples else 1.0
            test = "permutation"
        results.append(PairedResult(float(bounds[0, j]), float(bounds[1, j]), min(pvalue, 1.0),
                                    test, n))
    return results


def _permute(kinds: list[_Kind], mat: Any, observed: Any, extreme: Any, n: int,
             resamples: int, rng: Any, np: Any) -> None:
    """Count, per metric, permutations whose |difference| reaches the observed one."""
    for start in range(0, resamples, _CHUNK):
        m = min(_CHUNK, resamples - start)
        moved = _swaps(rng, m, n, np).astype(mat.dtype, copy=False) @ mat
        for kind in kinds:
            shift = {k: moved[:, i] for k, i in kind.d.items()}
            va = _values(kind.stat, {k: v + shift[k] for k, v in kind.sum_a.items()}, n, np)
            vb = _values(kind.stat, {k: v - shift[k] for k, v in kind.sum_b.items()}, n, np)
            t = np.abs(observed[kind.members])
            hits = np.abs(vb - va) >= t - 1e-12 * np.maximum(t, 1.0)
            extreme[kind.members] += np.count_nonzero(hits, axis=0)
