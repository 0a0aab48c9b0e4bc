"""Synthetic runs to try the report on (and to test and measure it with), seeded::

    python -m nnbench.reporter.html.demo demo.html      # a store of 6 runs, then their report

Each run has aggregate metrics (``accuracy`` with per-sentence outcomes over 400 sentences),
a per-class family, a timed benchmark with samples, a benchmark that fails and, with
``members=N``, a family of N members. ``slower`` makes the timed benchmark that much slower
(0.2 = 20%) and ``worse`` the accuracy that much lower (0.1 = 10 points); ``nnbench compare``
finds both significant (Mann–Whitney, paired test).
"""

from __future__ import annotations

import random
import sys
import uuid
from pathlib import Path
from typing import Any

from nnbench.types import BenchmarkRecord

CLASSES = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC")


def _result(name: str, value: Any, *, function: str | None = None, tags: tuple[str, ...] = (),
            parameters: dict[str, Any] | None = None, time_ns: int = 1000,
            **extra: Any) -> dict[str, Any]:
    return {"name": name, "function": function or name, "description": "", "value": value,
            "unit": "", "parameters": parameters or {}, "tags": list(tags), "time_ns": time_ns,
            "error_occurred": False, "error_type": None, "error_message": None,
            "traceback": None, **extra}


def _timing(samples: list[float]) -> dict[str, Any]:
    from nnbench.measure.stats import summarize

    stats = summarize(samples)
    return {"rounds": stats.pop("rounds"), "iterations": 1, "calls": len(samples),
            **{f"{k}_ns" if k not in ("iqr_median", "outliers") else k: v
               for k, v in stats.items()},
            "samples_ns": samples, "warnings": []}


def _accuracy(rng: random.Random, worse: float) -> dict[str, Any]:
    from nnbench.samples import Samples

    correct = [int(rng.random() < 0.9 - worse) for _ in range(400)]
    outcomes = Samples("accuracy", range(400), correct=correct)
    return _result("accuracy", outcomes.compute(), tags=("metric", "aggregate"),
                   samples=outcomes.to_dict())


def synthetic_run(*, name: str = "demo", seed: int = 0, slower: float = 0.0, worse: float = 0.0,
                  members: int = 0, rounds: int = 30, timestamp: float = 1.7e9,
                  model: str = "hf:demo/bert-tiny@main") -> BenchmarkRecord:
    """One run's record, reproducible from ``seed``."""
    rng = random.Random(seed)
    results = [_result(n, 0.9 + rng.gauss(0, 0.005), tags=("metric", "aggregate"))
               for n in ("precision", "recall", "f1")]
    results.append(_accuracy(rng, worse))
    results += [_result(f"f1_per_class_class_label={c}", min(1.0, 0.85 + 0.1 * rng.random()),
                        function="f1_per_class", tags=("metric", "per-class"),
                        parameters={"class_label": c}) for c in CLASSES]
    samples = [round(1e7 * (1 + slower) * rng.lognormvariate(0, 0.03)) for _ in range(rounds)]
    timing = _timing(samples)
    results.append(_result("latency", None, tags=("speed",), time_ns=round(timing["median_ns"]),
                           timing=timing))
    results.append({**_result("broken_metric", None, tags=("metric",)), "error_occurred": True,
                    "error_type": "ValueError",
                    "error_message": "labels differ: model has 9, data has 7",
                    "traceback": "Traceback (most recent call last):\n  ...\nValueError: labels differ"})
    results += [_result(f"score_i={i}", rng.random(), function="score", tags=("large",),
                        parameters={"i": i}, time_ns=rng.randrange(500, 5000))
                for i in range(members)]
    context = {"python": {"version": "3.11.7"}, "cpu": {"model": "demo", "logical_cores": 2},
               "git": {"commit": uuid.UUID(int=rng.getrandbits(128)).hex, "dirty": False},
               "artifacts": {"model": {"spec": model, "loader": "demo", "revision": "main",
                                       "resolved_revision": f"{seed:040x}",
                                       "files": [{"path": "model.safetensors", "size": 1545972,
                                                  "etag": "e1"}],
                                       "total_size": 1545972}},
               "execution": {"executor": "serial"}, "interrupted": False}
    return BenchmarkRecord(name, context, results, uuid.UUID(int=rng.getrandbits(128)).hex,
                           timestamp)


def synthetic_store(path: str | Path, runs: int = 6, *, members: int = 0,
                    slow_from: int | None = None) -> list[BenchmarkRecord]:
    """``runs`` runs a day apart in a results store at ``path``; from run ``slow_from`` on
    (default: the last one) the timed benchmark is 20% slower and the accuracy 10 points lower."""
    from nnbench.store import ResultsStore

    slow_from = runs - 1 if slow_from is None else slow_from
    records = [synthetic_run(name=f"nightly-{i + 1}", seed=i, members=members,
                             slower=0.2 if i >= slow_from else 0.0,
                             worse=0.1 if i >= slow_from else 0.0, timestamp=1.7e9 + i * 86400)
               for i in range(runs)]
    store = ResultsStore(path)
    try:
        for rec in records:
            store.append(rec)
    finally:
        store.close()
    return records


def main(argv: list[str] | None = None) -> int:
    import tempfile

    from nnbench.reporter.html.build import write_report

    out = (argv if argv is not None else sys.argv[1:] or ["demo.html"])[0]
    with tempfile.TemporaryDirectory() as tmp:
        records = synthetic_store(Path(tmp) / "results.db")
        size = write_report(records[-1:], out, store=Path(tmp) / "results.db")
    print(f"wrote {out} ({size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
