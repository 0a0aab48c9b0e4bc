"""What a run reports about itself: its artifacts in the header, shared memoised passes apart."""

from __future__ import annotations

import json
import time

import pytest
from nnbench import Session
from nnbench.reporter.console import artifact_lines, shared_lines
from nnbench.testing import CLIRunner
from nnbench.types import BenchmarkRecord

from tests.core.helpers import write

SHARED = """
    import time
    import nnbench

    @nnbench.memo
    def evaluation(k):
        time.sleep(0)  # the fake clock moves 5 s here
        return {"p": 0.5, "r": 0.25}

    @nnbench.benchmark
    def precision(k: int = 1) -> float:
        return evaluation(k)["p"]

    @nnbench.benchmark
    def recall(k: int = 1) -> float:
        return evaluation(k)["r"]
"""


class FakeClock:
    """``perf_counter_ns`` that moves 1 µs per read, and 5 s per ``time.sleep``."""

    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        self.now += 1_000
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += 5_000_000_000


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(time, "perf_counter_ns", fake)
    monkeypatch.setattr(time, "sleep", fake.sleep)
    return fake


def test_a_shared_pass_is_kept_out_of_the_first_benchmarks_time(tmp_path, clock):
    write(tmp_path / "bench_shared.py", SHARED)
    record = Session(store=None).run(tmp_path / "bench_shared.py")[0]
    precision, recall = record.benchmarks
    assert precision["shared_ns"] == {"evaluation": 5_000_000_000 + 1_000}  # two clock reads
    assert precision["time_ns"] < 10_000 and recall["time_ns"] < 10_000  # own time only
    assert "shared_ns" not in recall
    assert shared_lines(record) == [
        "shared pass evaluation: 5 s (run during precision, not counted in its time)"]


def test_the_console_and_files_report_the_shared_pass_once(tmp_path):
    write(tmp_path / "bench_shared.py", SHARED)
    res = CLIRunner(cwd=tmp_path).run("run", "bench_shared.py", "--no-store", "-o", "r.json")
    assert res.exit_code == 0, res
    assert res.stdout.count("shared pass evaluation:") == 1
    results = json.loads((tmp_path / "r.json").read_text())["benchmarks"]
    assert [sorted(r.get("shared_ns", {})) for r in results] == [["evaluation"], []]


def test_nested_memoised_calls_count_once(tmp_path, clock):
    write(tmp_path / "bench_nested.py", """
        import time
        import nnbench

        @nnbench.memo
        def inner():
            time.sleep(0)
            return 1

        @nnbench.memo
        def outer():
            return inner() + 1

        @nnbench.benchmark
        def uses_both() -> int:
            return outer() + inner()
    """)
    result = Session(store=None).run(tmp_path / "bench_nested.py")[0].benchmarks[0]
    assert list(result["shared_ns"]) == ["outer"]


def test_the_header_names_each_artifact_and_its_resolved_revision(tmp_path):
    record = BenchmarkRecord("r", {"artifacts": {
        "model": {"spec": "hf:org/m@main", "resolved_revision": "0123456789abcdef" * 2 + "01234567"},
        "data": {"spec": "./data", "path": "/abs/data"},
        "pinned": {"spec": "hf:org/m@0123456789ab", "resolved_revision": "0123456789ab"},
    }}, [], "id", 0.0)
    assert artifact_lines(record) == ["model = hf:org/m@main (resolved 0123456789ab)",
                                      "data = ./data", "pinned = hf:org/m@0123456789ab"]


def test_the_run_header_is_printed(tmp_path):
    (tmp_path / "doc.txt").write_text("hello")
    write(tmp_path / "bench_doc.py", """
        import nnbench
        from nnbench import Artifact

        class Doc(Artifact[str]):
            def deserialize(self):
                self._value = self.path.read_text()

        @nnbench.benchmark
        def length(doc: Doc) -> int:
            return len(doc.value)
    """)
    res = CLIRunner(cwd=tmp_path).run("run", "bench_doc.py", "--no-store", "--loader", "doc.txt")
    assert res.exit_code == 0, res
    header = res.stdout.splitlines()[:2]
    assert header[0].startswith("nnbench run ") and header[1].strip() == "doc = doc.txt"
