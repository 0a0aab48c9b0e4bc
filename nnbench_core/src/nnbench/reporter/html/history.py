"""A run's history: each benchmark's value across the earlier runs of its suite in the store.

A run's *suite* is the set of runs in the store with the same artifacts (parameter name and
spec, e.g. ``model=hf:org/bert@main``); the history holds the last ``limit`` of them up to the
reported run. Each benchmark gets its value in every such run (the number where the reported
result's value is one, else its median time, as ``nnbench compare`` picks) and the changes that
``nnbench compare`` finds significant between a run and the previous run that has the
benchmark with something to test: timing samples or per-sample outcomes, i.e. any field beyond
the plain ones (those benchmarks are read whole; the rest through SQLite's JSON functions, one
parse per result, so a 10,000-result history over 50 runs stays a second's work).
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nnbench.types import BenchmarkRecord

DEFAULT_LIMIT = 50
#: Bootstrap resamples of compare's paired tests here (its CLI default is 10,000): a history
#: tests every pair of consecutive runs, and p-values only need to be told from 0.05.
RESAMPLES = 1000
#: Fields compare never tests; a result with any other field (samples, outcomes...) is read whole.
_PLAIN = frozenset({"name", "function", "description", "value", "unit", "parameters", "tags",
                    "time_ns", "error_occurred", "error_type", "error_message", "traceback",
                    "better", "memory", "timing"})
_IN_RUNS = "run_id IN (SELECT value FROM json_each(?))"
_VALUES = f"SELECT run_id, name, json_extract(data, '$.value', '$.error_occurred') " \
          f"FROM results WHERE {_IN_RUNS}"
_NAMED = f"FROM results WHERE {_IN_RUNS} AND name IN (SELECT value FROM json_each(?))"
_TIMES = "SELECT run_id, name, json_extract(data, '$.error_occurred'), " \
         "coalesce(json_extract(data, '$.timing.median_ns'), json_extract(data, '$.time_ns')) " \
         + _NAMED
_WHOLE = "SELECT run_id, name, data " + _NAMED


def _number(v: Any) -> float | int | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        return None
    return v if isinstance(v, int) else float(f"{v:.7g}")


_NUMERIC_START = frozenset("-0123456789")


def _pair_value(text: str | None) -> float | int | None:
    """The value out of ``json_extract(data, '$.value', '$.error_occurred')``'s ``[v,err]``
    (called once per stored result: plain string work, no JSON parser)."""
    if not text:
        return None
    head, _, err = text.rpartition(",")
    if err not in ("false]", "null]") or text[1:2] not in _NUMERIC_START:
        return None
    head = head[1:]
    try:
        if head.isdigit() or head[0] == "-" and head[1:].isdigit():
            return int(head)
        v = float(head)
    except ValueError:
        return None
    return float(f"{v:.7g}") if math.isfinite(v) else None


def metric(result: dict[str, Any] | None, kind: str) -> float | int | None:
    """A result's number for the history: its value, or its (median) time; None if failed."""
    if result is None or result.get("error_occurred"):
        return None
    if kind == "value":
        return _number(result.get("value"))
    timing = result.get("timing") or {}
    return _number(timing.get("median_ns", result.get("time_ns")))


def testable(result: dict[str, Any]) -> bool:
    """Whether compare may test a change of this result (samples or outcomes to work with)."""
    return len((result.get("timing") or {}).get("samples_ns") or ()) > 1 or \
        any(k not in _PLAIN for k in result)


def suite_key(context: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """What makes runs comparable over time: their artifacts' specs by parameter name."""
    artifacts = context.get("artifacts") or {}
    return tuple(sorted((str(k), str(v.get("spec")) if isinstance(v, dict) else str(v))
                        for k, v in artifacts.items()))


def _read(store: Any, run_ids: list[str], kinds: dict[str, str], whole: list[str]
          ) -> tuple[dict[str, list[Any]], dict[tuple[int, str], dict[str, Any]]]:
    """Per benchmark its number in each run (by ``kinds``), and the whole results of the
    ``whole`` benchmarks by (run index, name)."""
    index = {rid: i for i, rid in enumerate(run_ids)}
    series: dict[str, list[Any]] = {name: [None] * len(run_ids) for name in kinds}
    full: dict[tuple[int, str], dict[str, Any]] = {}
    ids = json.dumps(run_ids)
    try:
        values = {name: series[name] for name, kind in kinds.items() if kind == "value"}
        parse = _pair_value
        for rid, name, pair in store.db.execute(_VALUES, (ids,)):
            column = values.get(name)
            if column is not None and pair is not None:
                column[index[rid]] = parse(pair)
        timed = [n for n, k in kinds.items() if k == "time"]
        if timed:
            for rid, name, err, t in store.db.execute(_TIMES, (ids, json.dumps(timed))):
                series[name][index[rid]] = None if err else _number(t)
        if whole:
            for rid, name, data in store.db.execute(_WHOLE, (ids, json.dumps(whole))):
                full[index[rid], name] = json.loads(data)
    except sqlite3.OperationalError:  # an SQLite without JSON functions: parse in Python
        wanted = set(whole)
        for rid in run_ids:
            for r in store.record(rid).benchmarks:
                name = r.get("name")
                if name in series:
                    series[name][index[rid]] = metric(r, kinds[name])
                if name in wanted:
                    full[index[rid], name] = r
    return series, full


def _marks(runs: list[BenchmarkRecord], full: dict[tuple[int, str], dict[str, Any]],
           names: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Significant changes per benchmark: each run against the previous one with data to test."""
    from nnbench.compare import build_rows, verdict

    pairs: dict[tuple[int, int], list[str]] = {}
    for name in names:
        last = None
        for j in range(len(runs)):
            result = full.get((j, name))
            if result is None or result.get("error_occurred") or not testable(result):
                continue
            if last is not None:
                pairs.setdefault((last, j), []).append(name)
            last = j
    marks: dict[str, list[dict[str, Any]]] = {}
    for (i, j), pair_names in sorted(pairs.items()):
        slim = [BenchmarkRecord(runs[k].run, {}, [full[k, n] for n in pair_names],
                                runs[k].run_id, runs[k].timestamp) for k in (i, j)]
        for row in build_rows(slim, resamples=RESAMPLES, seed=0, strict=False):
            change = row.changes[0] if row.changes else None
            if change is None or not getattr(change, "significant", None):
                continue
            mark = verdict(row, change)
            ci = getattr(change, "ci", None)
            rel = change.relative
            marks.setdefault(row.name, []).append({
                "i": j, "mark": mark if mark in ("better", "worse") else "changed",
                "p": change.pvalue, "rel": rel if rel is not None and math.isfinite(rel) else None,
                **({"ci": list(ci)} if ci is not None else {}),
            })
    return marks


def build_history(record: BenchmarkRecord, store_path: str | Path | None,
                  limit: int = DEFAULT_LIMIT) -> dict[str, Any] | None:
    """The history of ``record``'s benchmarks in the store, or None without earlier runs."""
    if limit < 2 or store_path is None or not Path(store_path).is_file():
        return None
    from nnbench.compare import labels_for
    from nnbench.store import ResultsStore

    results = {str(b.get("name")): b for b in record.benchmarks}
    kinds = {name: "value" if metric(r, "value") is not None or r.get("error_occurred")
             else "time" for name, r in results.items()}
    whole = [name for name, r in results.items() if testable(r)]
    store = ResultsStore(store_path, create=False)
    try:
        key = suite_key(record.context)
        suite = [r for r in store.runs()
                 if suite_key(r["context"]) == key and r["run_id"] != record.run_id
                 and r["timestamp"] <= record.timestamp][-(limit - 1):]
        if not suite:
            return None
        series, full = _read(store, [r["run_id"] for r in suite], kinds, whole)
    finally:
        store.close()
    runs = [BenchmarkRecord(r["name"], {}, [], r["run_id"], r["timestamp"]) for r in suite]
    runs.append(record)
    now = len(runs) - 1
    for name in whole:
        full[now, name] = results[name]
    marks = _marks(runs, full, whole)
    out = []  # every benchmark of the run, new ones (a single point) included
    for name, column in series.items():
        out.append({"name": name, "kind": kinds[name],
                    "unit": "ns" if kinds[name] == "time" else str(results[name].get("unit") or ""),
                    "values": [*column, metric(results[name], kinds[name])],
                    "marks": marks.get(name, [])})
    return {
        "runs": [{"run_id": r.run_id, "label": lbl, "t": round(r.timestamp * 1000)}
                 for r, lbl in zip(runs, labels_for(runs), strict=True)],
        "current": now,
        "suite": dict(key),
        "limit": limit,
        "series": out,
    }
