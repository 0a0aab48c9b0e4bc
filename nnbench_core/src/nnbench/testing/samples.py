"""Sample records and artifacts the contract suites work with."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from nnbench.types import Artifact, BenchmarkRecord

#: Written into every ``ContractArtifact`` value; a pickle must never contain it.
VALUE_SENTINEL = "nnbench-contract-value-" + uuid.uuid4().hex


class ContractArtifact(Artifact[dict]):
    """An artifact whose value lists its files (path -> size) plus a sentinel string."""

    def deserialize(self) -> None:
        root = self.path
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        base = root.parent if root.is_file() else root
        self._value = {
            "files": {p.relative_to(base).as_posix(): p.stat().st_size for p in files},
            "sentinel": VALUE_SENTINEL,
        }


def files_snapshot(path: str | Path) -> dict[str, tuple[int, int, int]]:
    """relative path -> (size, mtime_ns, inode) of every file at ``path``: rewrites show up."""
    root = Path(path)
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    out = {}
    for p in files:
        st = p.stat()
        out[p.name if p == root else p.relative_to(root).as_posix()] = (
            st.st_size, st.st_mtime_ns, st.st_ino)
    return out


def _result(name: str, value: Any, **extra: Any) -> dict[str, Any]:
    result = {
        "name": name, "function": name.split("_")[0], "description": "", "value": value,
        "unit": "", "parameters": {}, "tags": [], "time_ns": 1234,
        "error_occurred": False, "error_type": None, "error_message": None, "traceback": None,
    }
    result.update(extra)
    return result


def sample_records() -> list[BenchmarkRecord]:
    """Two records covering the field types a reporter meets: numbers, nesting, errors, text."""
    first = BenchmarkRecord(
        run="contract-run-1",
        run_id="0" * 31 + "1",
        timestamp=1700000000.5,
        context={"python": {"version": "3.11.0"}, "git": {"commit": "abc123", "dirty": False},
                 "artifacts": {"model": {"spec": "hf:org/model@main", "total_size": 42}}},
        benchmarks=[
            _result("accuracy", 0.9375, unit="ratio", tags=["metric"],
                    parameters={"model": "hf:org/model@main", "batch": 8}),
            _result("f1_per_class_class_label=B-PER", 0.5, tags=["metric", "per-class"],
                    parameters={"class_label": "B-PER"}),
            _result("count", 7),
            _result("latency", 0.001, unit="s",
                    timing={"repeat": 3, "mean_ns": 1000000.0, "min_ns": 900000}),
        ],
    )
    second = BenchmarkRecord(
        run="contract-run-2 ünïcode",
        run_id="0" * 31 + "2",
        timestamp=1700000100.25,
        context={"note": "a, \"quoted\" | piped\ncontext"},
        benchmarks=[
            _result("broken", None, error_occurred=True, error_type="ValueError",
                    error_message="bad input", traceback="Traceback ...\nValueError: bad input"),
            _result("nested", {"precision": 0.5, "recall": [1, 2]}),
        ],
    )
    return [first, second]


class Unwritable:
    """A value no reporter can serialise: JSON, ``str()`` and ``format()`` all fail."""

    def __repr__(self) -> str:
        raise RuntimeError("nnbench contract: this value cannot be written (on purpose)")

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        raise RuntimeError("nnbench contract: this value cannot be written (on purpose)")


def failing_records() -> list[BenchmarkRecord]:
    """A good record followed by one whose second result cannot be written."""
    good, _ = sample_records()
    bad = BenchmarkRecord(run="contract-run-bad", run_id="0" * 31 + "3", timestamp=1700000200.0,
                          context={}, benchmarks=[_result("fine", 1.0),
                                                  _result("unwritable", Unwritable())])
    good.run_id, good.timestamp = "0" * 31 + "4", 1700000150.0
    return [good, bad]
