"""A run as the report's data: compact results, families, timing summaries, provenance.

Everything the page shows comes from here, as JSON; the page adds nothing but layout. Results
keep their fields minus empty ones; a timing result keeps its statistics and at most
``MAX_SAMPLES`` samples (evenly spaced quantiles of the sorted samples when there are more,
which keeps the distribution's shape). Results sharing a ``function`` form a family.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from nnbench.types import BenchmarkRecord

MAX_SAMPLES = 200
MAX_FILES = 500  # provenance file lists longer than this are cut (total_size stays exact)
MAX_VALUE_CHARS = 4000  # a non-numeric value longer than this (as JSON) is shown cut
_STATS = ("min", "q1", "median", "q3", "max", "iqr", "mean", "stddev")


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def thin(samples: Sequence[float], limit: int = MAX_SAMPLES) -> list[float]:
    """All samples when there are at most ``limit``, else ``limit`` evenly spaced order
    statistics (first and last included)."""
    if len(samples) <= limit:
        return list(samples)
    s = sorted(samples)
    step = (len(s) - 1) / (limit - 1)
    return [s[round(i * step)] for i in range(limit)]


def compact_timing(timing: dict[str, Any]) -> dict[str, Any]:
    """Statistics in ns (``median``, ``q1``, ...), rounds, warnings, samples (thinned)."""
    out: dict[str, Any] = {k: timing[f"{k}_ns"] for k in _STATS if is_number(timing.get(f"{k}_ns"))}
    for key in ("rounds", "iterations", "iqr_median"):
        if timing.get(key) is not None:
            out[key] = timing[key]
    samples = [x for x in timing.get("samples_ns") or () if is_number(x)]
    if samples:
        out["samples"] = thin(samples)
    if timing.get("warnings"):
        out["warnings"] = list(timing["warnings"])
    return out


def _value(value: Any) -> Any:
    if value is None or is_number(value) or isinstance(value, bool):
        return value
    if isinstance(value, str) and len(value) <= MAX_VALUE_CHARS:
        return value
    text = json.dumps(value, default=str)
    return value if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 3] + "..."


def compact_result(result: dict[str, Any]) -> dict[str, Any]:
    """The fields the page shows, without empty ones; errors and timing kept whole."""
    out: dict[str, Any] = {"name": str(result.get("name", "")),
                           "function": str(result.get("function") or result.get("name", ""))}
    value = _value(result.get("value"))
    if value is not None:
        out["value"] = value
    for key in ("description", "unit", "better"):
        if result.get(key):
            out[key] = str(result[key])
    for key in ("parameters", "memory"):
        if result.get(key):
            out[key] = result[key]
    if result.get("tags"):
        out["tags"] = [str(t) for t in result["tags"]]
    if is_number(result.get("time_ns")):
        out["time_ns"] = result["time_ns"]
    if result.get("error_occurred"):
        out["error"] = {k: result.get(f"error_{k}") or "" for k in ("type", "message")}
        out["error"]["traceback"] = result.get("traceback") or ""
    if isinstance(result.get("timing"), dict):
        out["timing"] = compact_timing(result["timing"])
    return out


def groups(results: Sequence[dict[str, Any]]) -> list[list[int]]:
    """Indices of results grouped by ``function``, each group at its first member's place;
    a group of two or more is a family."""
    by_function: dict[str, list[int]] = {}
    for i, r in enumerate(results):
        by_function.setdefault(str(r.get("function") or r.get("name")), []).append(i)
    return sorted(by_function.values(), key=lambda g: g[0])


def compact_context(context: dict[str, Any]) -> dict[str, Any]:
    """The run's context with long provenance file lists cut to ``MAX_FILES``."""
    out = dict(context)
    artifacts = context.get("artifacts")
    if isinstance(artifacts, dict):
        cut = {}
        for name, facts in artifacts.items():
            if isinstance(facts, dict) and isinstance(facts.get("files"), list) \
                    and len(facts["files"]) > MAX_FILES:
                facts = {**facts, "files": facts["files"][:MAX_FILES],
                         "files_total": len(facts["files"])}
            cut[name] = facts
        out["artifacts"] = cut
    return out


def run_payload(record: BenchmarkRecord, label: str) -> dict[str, Any]:
    """One run: identity, context, compact results, groups, counts."""
    results = [compact_result(r) for r in record.benchmarks]
    return {
        "label": label,
        "run": record.run,
        "run_id": record.run_id,
        "timestamp": record.timestamp,
        "context": compact_context(record.context),
        "results": results,
        "groups": groups(results),
        "failed": sum(1 for r in results if "error" in r),
    }
