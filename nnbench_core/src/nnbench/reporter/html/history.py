"""A run's history: each benchmark's value across the earlier runs of its suite in the store.

A run's *suite* is the set of runs in the store with the same artifacts (parameter name and
spec, e.g. ``model=hf:org/bert@main``); the history holds the last ``limit`` of them up to the
reported run. Each benchmark gets its value in every such run (the number where the result's
value is one, else its median time, as ``nnbench compare`` picks) and the changes that
``nnbench compare`` finds significant between a run and the previous run that has the
benchmark with something to test (timing samples, per-sample outcomes).

Scalars come from SQLite's JSON functions, so a 10,000-result run's history does not parse
500,000 JSON documents in Python; a result's full JSON is read only where compare may test it.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nnbench.types import BenchmarkRecord

DEFAULT_LIMIT = 50
#: Fields compare never tests; a result with any other field (samples, outcomes...) is read whole.
_PLAIN = ("name", "function", "description", "value", "unit", "parameters", "tags", "time_ns",
          "error_occurred", "error_type", "error_message", "traceback", "better", "memory",
          "timing")
_REMOVE = ", ".join(f"'$.{k}'" for k in _PLAIN)
_SCALARS = f"""
SELECT run_id, name, vtype, v, err, t, med, CASE WHEN rich THEN data END FROM (
  SELECT run_id, position, name, data,
         json_type(data, '$.value') AS vtype, json_extract(data, '$.value') AS v,
         json_extract(data, '$.error_occurred') AS err, json_extract(data, '$.time_ns') AS t,
         json_extract(data, '$.timing.median_ns') AS med,
         (coalesce(json_array_length(data, '$.timing.samples_ns'), 0) > 1
          OR json_remove(data, {_REMOVE}) != '{{}}') AS rich
  FROM results WHERE run_id IN (MARKS))
ORDER BY run_id, position
"""


class _Point:
    """One result, as much as the history needs."""

    __slots__ = ("value", "time", "error", "full")

    def __init__(self, value: Any, time: Any, error: bool, full: dict[str, Any] | None) -> None:
        self.value, self.time, self.error, self.full = value, time, error, full

    @classmethod
    def of(cls, result: dict[str, Any]) -> _Point:
        timing = result.get("timing") or {}
        rich = len(timing.get("samples_ns") or ()) > 1 or any(k not in _PLAIN for k in result)
        return cls(result.get("value"), timing.get("median_ns", result.get("time_ns")),
                   bool(result.get("error_occurred")), result if rich else None)

    def metric(self, kind: str) -> float | None:
        if self.error:
            return None
        v = self.value if kind == "value" else self.time
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            return None
        return v if isinstance(v, int) else float(f"{v:.7g}")


def suite_key(context: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """What makes runs comparable over time: their artifacts' specs by parameter name."""
    artifacts = context.get("artifacts") or {}
    return tuple(sorted((str(k), str(v.get("spec")) if isinstance(v, dict) else str(v))
                        for k, v in artifacts.items()))


def _read(store: Any, run_ids: list[str]) -> dict[str, dict[str, _Point]]:
    """Points by run id and benchmark name, for the given runs."""
    out: dict[str, dict[str, _Point]] = {rid: {} for rid in run_ids}
    try:
        rows = store.db.execute(_SCALARS.replace("MARKS", ", ".join("?" * len(run_ids))),
                                run_ids).fetchall()
    except sqlite3.OperationalError:  # an SQLite without JSON functions: parse in Python
        for rid in run_ids:
            out[rid] = {r["name"]: _Point.of(r) for r in store.record(rid).benchmarks}
        return out
    import json

    for rid, name, vtype, v, err, t, med, data in rows:
        value = v if vtype in ("integer", "real") else ("" if vtype else None)
        out[rid][name] = _Point(value, med if med is not None else t, bool(err),
                                json.loads(data) if data is not None else None)
    return out


def _kind(name: str, points: Iterable[_Point | None]) -> str:
    """``value`` where the first result that did not fail has a number, else ``time``."""
    for p in points:
        if p is not None and not p.error:
            return "value" if p.metric("value") is not None else "time"
    return "value"


def _marks(runs: list[BenchmarkRecord], points: list[dict[str, _Point]],
           names: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Significant changes per benchmark: each run against the previous one with data to test."""
    from nnbench.compare import build_rows, verdict

    pairs: dict[tuple[int, int], list[str]] = {}
    for name in names:
        last = None
        for j, run_points in enumerate(points):
            p = run_points.get(name)
            if p is None or p.full is None or p.error:
                continue
            if last is not None:
                pairs.setdefault((last, j), []).append(name)
            last = j
    marks: dict[str, list[dict[str, Any]]] = {}
    for (i, j), pair_names in sorted(pairs.items()):
        slim = [BenchmarkRecord(runs[k].run, {}, [points[k][n].full for n in pair_names],
                                runs[k].run_id, runs[k].timestamp) for k in (i, j)]
        for row in build_rows(slim):
            change = row.changes[0] if row.changes else None
            if change is None or not getattr(change, "significant", None):
                continue
            mark = verdict(row, change)
            ci = getattr(change, "ci", None)
            marks.setdefault(row.name, []).append({
                "i": j, "mark": mark if mark in ("better", "worse") else "changed",
                "p": change.pvalue, "rel": _finite(change.relative),
                **({"ci": list(ci)} if ci is not None else {}),
            })
    return marks


def _finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None


def build_history(record: BenchmarkRecord, store_path: str | Path | None,
                  limit: int = DEFAULT_LIMIT) -> dict[str, Any] | None:
    """The history of ``record``'s benchmarks in the store, or None without earlier runs."""
    if limit < 2 or store_path is None or not Path(store_path).is_file():
        return None
    from nnbench.compare import labels_for
    from nnbench.store import ResultsStore

    store = ResultsStore(store_path, create=False)
    try:
        key = suite_key(record.context)
        suite = [r for r in store.runs()
                 if suite_key(r["context"]) == key and r["run_id"] != record.run_id
                 and r["timestamp"] <= record.timestamp][-(limit - 1):]
        points = _read(store, [r["run_id"] for r in suite]) if suite else {}
    finally:
        store.close()
    if not suite:
        return None
    runs = [BenchmarkRecord(r["name"], {}, [], r["run_id"], r["timestamp"]) for r in suite]
    runs.append(record)
    by_run = [points[r.run_id] for r in runs[:-1]]
    by_run.append({b.get("name"): _Point.of(b) for b in record.benchmarks})
    names = [str(b.get("name")) for b in record.benchmarks]
    units = {str(b.get("name")): str(b.get("unit") or "") for b in record.benchmarks}
    marks = _marks(runs, by_run, names)
    series = []
    for name in names:
        column = [p.get(name) for p in by_run]
        if all(p is None for p in column[:-1]):
            continue  # new in this run: no history
        kind = _kind(name, reversed(column))
        series.append({"name": name, "kind": kind,
                       "unit": "ns" if kind == "time" else units[name],
                       "values": [None if p is None else p.metric(kind) for p in column],
                       "marks": marks.get(name, [])})
    return {
        "runs": [{"run_id": r.run_id, "label": lbl, "t": round(r.timestamp * 1000)}
                 for r, lbl in zip(runs, labels_for(runs), strict=True)],
        "current": len(runs) - 1,
        "suite": dict(key),
        "limit": limit,
        "series": series,
    }
