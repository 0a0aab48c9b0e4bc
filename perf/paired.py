"""Paired tests in `nnbench compare` on two NER runs with per-sentence outcomes (issue 15).

    python perf/paired.py [--sentences 3500] [--resamples 10000] [--repeat 5]

Builds two runs of the NER example's whole suite shape (71 benchmarks, 59 of them quality
metrics with per-sentence outcomes) on N sentences: the example's own benchmark functions score
simulated predictions (gold tags with 3% of tags changed; the candidate changes 1% more), so
the outcomes have the real structure (macro rows of 9 labels, per-class, seqeval micro, strict,
per type). Prints:
(a) compare() of the two records in process, best of --repeat (goal <= 1 s), and its share in
    the paired tests;
(b) `nnbench compare a.json b.json --format json` end to end (interpreter start, reading
    both files, numpy import included);
(c) scipy.stats.bootstrap(paired=True, method="percentile") on 3 of the metrics, per metric,
    against ours per metric: a ratio.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ner"
WORK = ROOT / "perf" / "_work" / "paired"
sys.path.insert(0, str(EXAMPLE))


def sentences(n: int) -> list[tuple[list[str], list[str]]]:
    """n sentences of the bundled splits (cycled when n is larger than all of them)."""
    from conll import read_conll

    pool = [s for split in ("train", "validation", "test")
            for s in read_conll(EXAMPLE / "data" / f"{split}.txt")]
    return [pool[i % len(pool)] for i in range(n)]


def changed(tags: list[list[str]], share: float, seed: int) -> list[list[str]]:
    from conll import LABELS

    rng = random.Random(seed)
    return [[rng.choice(LABELS) if rng.random() < share else t for t in sent] for sent in tags]


def record(name: str, data_file: Path, predictions: list[list[str]]):
    """The suite's 60 metric benchmarks on `predictions` (the example's own code) + 11 plain rows."""
    import benchmark
    from artifacts import CoNLLDataset
    from nnbench.collect import benchmarks_in
    from nnbench.memo import memo_scope
    from nnbench.runner import run_one
    from nnbench.types import BenchmarkRecord

    class Evaluation:
        def __init__(self, predictions):
            self.predictions = predictions

    original = benchmark.evaluation
    benchmark.evaluation = lambda model, data: Evaluation(predictions)
    data, model = CoNLLDataset(data_file), object()
    try:
        with memo_scope():
            results = [run_one(bm, {"model": model, "data": data}, {})
                       for bm in benchmarks_in(benchmark) if "metric" in bm.tags]
    finally:
        benchmark.evaluation = original
    assert not [r for r in results if r["error_occurred"]], results
    plain = [{**results[0], "name": f"plain_{i}", "value": float(i), "samples": None}
             for i in range(71 - len(results))]
    for p in plain:
        del p["samples"]
    return BenchmarkRecord(name, {}, results + plain, name * 8, 0.0)


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--sentences", type=int, default=3500)
    parser.add_argument("--resamples", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from conll import write_conll
    from nnbench.compare import compare
    from nnbench.compare.paired import Pair, paired_tests
    from nnbench.reporter.files import JSONReporter

    WORK.mkdir(parents=True, exist_ok=True)
    data = sentences(args.sentences)
    data_file = WORK / "data.txt"
    write_conll(data_file, [data])
    gold = [t for _, t in data]
    base_pred = changed(gold, 0.03, 1)
    cand_pred = changed(base_pred, 0.01, 2)
    base, cand = record("base", data_file, base_pred), record("cand", data_file, cand_pred)
    with_samples = sum("samples" in b for b in base.benchmarks)
    print(f"{args.sentences} sentences, {len(base.benchmarks)} benchmarks ({with_samples} with "
          f"per-sentence outcomes), {args.resamples} resamples and permutations")

    compare([base, cand], resamples=args.resamples)  # warm-up: numpy import, caches
    seconds, cmp = best(lambda: compare([base, cand], resamples=args.resamples), args.repeat)
    pairs = [Pair(b["name"], "cand", b["samples"], c["samples"])
             for b, c in zip(base.benchmarks, cand.benchmarks, strict=True) if "samples" in b]
    tests_s, _ = best(lambda: paired_tests(pairs, resamples=args.resamples), args.repeat)
    significant = sum(bool(c.significant) for r in cmp.rows for c in r.changes if c and c.test)
    print(f"(a) compare() {seconds:.3f} s (goal <= 1 s), of which paired tests {tests_s:.3f} s; "
          f"{significant} of {with_samples} changes significant")

    for rec in (base, cand):
        JSONReporter().write([rec], str(WORK / f"{rec.run}.json"))
    cli = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "nnbench", "compare", str(WORK / "base.json"),
                        str(WORK / "cand.json"), "--format", "json", "--resamples",
                        str(args.resamples)], check=True, stdout=subprocess.DEVNULL)
        cli.append(time.perf_counter() - start)
    size = (WORK / "base.json").stat().st_size / 2**20
    print(f"(b) nnbench compare base.json cand.json --format json: {min(cli):.2f} s end to end "
          f"(files of {size:.1f} MiB each)")

    import numpy as np
    from scipy.stats import bootstrap

    picked = [p for p in pairs if p.name in ("seqeval_f1", "f1", "precision_per_class_class_label=B-PER")]

    def scipy_one(pair: Pair) -> None:
        stat = pair.base["statistic"]
        names = {"precision": ("tp", "fp"), "f1": ("tp", "fp", "fn")}[stat]
        cols = [np.asarray(s["counts"][k], dtype=float) for s in (pair.base, pair.cand) for k in names]
        cols = [c if c.ndim == 2 else c[:, None] for c in cols]
        k = cols[0].shape[1]
        data = tuple(c[:, j] for c in cols for j in range(k))
        m = len(names)

        def value(parts, axis):
            per_class = []
            for j in range(k):
                s = [parts[i * k + j].sum(axis) for i in range(m)]
                num = (2 if stat == "f1" else 1) * s[0]
                per_class.append(num / np.maximum(num + sum(s[1:]), 1e-300))
            return sum(per_class) / k

        def diff(*parts, axis=-1):
            return value(parts[len(parts) // 2:], axis) - value(parts[:len(parts) // 2], axis)

        bootstrap(data, diff, paired=True, vectorized=True, method="percentile",
                  n_resamples=args.resamples, random_state=0)

    scipy_s = statistics.median(best(lambda p=p: scipy_one(p), 1)[0] for p in picked)
    ours_each = tests_s / len(pairs)
    print(f"(c) scipy.stats.bootstrap(paired=True) {scipy_s:.3f} s per metric (interval only) vs "
          f"ours {ours_each * 1e3:.1f} ms per metric (interval and p-value): "
          f"{scipy_s / ours_each:.0f}x faster")


if __name__ == "__main__":
    main()
