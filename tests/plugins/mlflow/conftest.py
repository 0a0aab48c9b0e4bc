"""Shared set-up for the MLflow tests: a small benchmark file with every kind of result."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

pytest.importorskip("mlflow")

BENCHMARKS = '''
import nnbench

@nnbench.benchmark(tags=("metric",))
def accuracy(model: str = "hf:org/model@main") -> float:
    return 0.9

@nnbench.parametrize([{"class_label": c} for c in ("B-PER", "I-PER", "O")],
                     tags=("metric", "per-class"))
def f1_per_class(class_label: str) -> float:
    return {"B-PER": 0.8, "I-PER": 0.7, "O": 0.99}[class_label]

@nnbench.benchmark(repeat=4, warmup=0, tags=("speed",))
def latency() -> int:
    return sum(range(1000))

@nnbench.benchmark(memory=True, tags=("memory",))
def allocate() -> int:
    return len(bytearray(1 << 20))

@nnbench.benchmark
def summary() -> str:
    return "not a number"

@nnbench.benchmark
def broken() -> float:
    raise ValueError("bad input")
'''


@pytest.fixture
def bench_file(tmp_path: Path) -> Path:
    path = tmp_path / "bench.py"
    path.write_text(textwrap.dedent(BENCHMARKS))
    return path


def _numeric(record) -> list[dict]:
    """The results that are numbers (bools are not), without errors."""
    return [r for r in record.benchmarks if not r["error_occurred"]
            and isinstance(r["value"], (int, float)) and not isinstance(r["value"], bool)]


@pytest.fixture
def numeric():
    """``numeric(record)``: its results whose values are numbers (what becomes a metric)."""
    return _numeric
