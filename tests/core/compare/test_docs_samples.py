"""The Python examples of docs/measurement.md run, and give the values the docs say."""

import re
from pathlib import Path

from nnbench import BenchmarkRunner

DOC = Path(__file__).resolve().parents[3] / "docs" / "measurement.md"


def blocks(heading):
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_samples_example_runs(tmp_path):
    code, = blocks("Per-sample outcomes")
    (tmp_path / "bench.py").write_text(code)
    rec = BenchmarkRunner().run(tmp_path / "bench.py")
    values = {b["name"]: b["value"] for b in rec.benchmarks}
    assert values == {"accuracy": 0.75, "entity_f1": 6 / 8}
    assert rec.benchmarks[1]["samples"]["ids"] == ["s1", "s2", "s3"]
