"""Compare runs benchmark by benchmark, test changes for significance, apply gates.

Rows are matched by full benchmark name, so each member of a parametrized family is its own row.
A row compares the result's ``value`` when it is a number, else its time (median per call);
``metric="time"`` compares times everywhere; ``metric="memory"`` compares the peak memory
increase of benchmarks run with ``memory=True`` (CUDA's where measured, else RSS). A change is
marked significant or noise (level ``alpha``, default ``ALPHA`` = 0.05) where both runs kept raw
timing samples (two-sided Mann–Whitney U) or per-sample outcomes of a value
(``nnbench.Samples``: paired bootstrap interval and permutation or McNemar test, see
``nnbench.compare.paired``). A gate fails only on a change beyond its delta that is not noise;
without a test the change alone decides. A gated benchmark missing or failed in a run fails.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import math
import operator
import os
import re
import warnings
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from nnbench.compare.direction import better, is_timing
from nnbench.errors import UsageError
from nnbench.types import BenchmarkRecord

ALPHA = 0.05
#: A change within this relative (or, near zero, absolute) distance of a gate's delta counts as
#: equal to it: ``score>=-2%`` passes on 0.98 against 1.0 (-0.020000000000000018 in floats).
GATE_REL_TOL, GATE_ABS_TOL = 1e-9, 1e-12
_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
}
_GATE = re.compile(
    r"^\s*(?P<pattern>[^<>]+?)\s*(?P<op>>=|<=|>|<)\s*"
    r"(?P<delta>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(?P<pct>%)?\s*$"
)


@dataclasses.dataclass(frozen=True)
class Gate:
    """``PATTERN OP DELTA``: the change (candidate - base) of each matching row must satisfy OP."""

    text: str
    pattern: str
    op: str
    delta: float
    relative: bool

    @classmethod
    def parse(cls, text: str) -> Gate:
        m = _GATE.match(text)
        if m is None:
            raise UsageError(f"--gate {text!r}: expected 'PATTERN OP DELTA' with OP one of "
                             ">= <= > <, e.g. 'seqeval_f1>=-0.005' or 'latency*<=+5%'")
        delta = float(m["delta"])
        return cls(text, m["pattern"], m["op"], delta / 100 if m["pct"] else delta,
                   bool(m["pct"]))

    def holds(self, change: float) -> bool:
        """Whether ``change`` satisfies OP DELTA; at the boundary (within the gate tolerance)
        ``>=``/``<=`` hold and ``>``/``<`` do not."""
        if math.isclose(change, self.delta, rel_tol=GATE_REL_TOL, abs_tol=GATE_ABS_TOL):
            return self.op in (">=", "<=")
        return _OPS[self.op](change, self.delta)


@dataclasses.dataclass(slots=True)
class Change:
    """Candidate against base: absolute and relative change; where a test ran, its p-value,
    name (``mannwhitney``, ``permutation``, ``mcnemar``) and, for paired tests, the interval
    ``ci`` (low, high) of the difference at level ``1 - alpha``."""

    absolute: float
    relative: float | None
    pvalue: float | None = None
    test: str | None = None
    ci: tuple[float, float] | None = None
    alpha: float = ALPHA

    @property
    def significant(self) -> bool | None:
        return None if self.pvalue is None else self.pvalue < self.alpha


@dataclasses.dataclass(slots=True)
class Row:
    """One benchmark across runs: its values (None: missing or failed), changes, samples."""

    name: str
    kind: str  # "value" or "time"
    better: str | None
    timing: bool
    values: list[Any]
    states: list[str]  # "ok", "missing", "error", "not numeric"
    changes: list[Change | None]  # one per candidate
    unit: str = ""


@dataclasses.dataclass
class GateFailure:
    gate: Gate
    row: str
    run: str
    reason: str


@dataclasses.dataclass
class Comparison:
    labels: list[str]
    records: list[BenchmarkRecord]
    rows: list[Row]
    gates: list[Gate]
    failures: list[GateFailure]
    gated: set[str]
    alpha: float = ALPHA

    @property
    def passed(self) -> bool:
        return not self.failures

    def failed_rows(self) -> set[str]:
        """Names of the rows with a gate failure."""
        return {f.row for f in self.failures}


#: Result keys compare never reads, left out by ``load_run(..., slim=True)`` (less to hold).
UNUSED_KEYS = ("function", "description", "parameters", "tags", "error_type", "error_message",
               "traceback")


def load_run(ref: str, store: str | None = None, plugins: Any = None, *,
             slim: bool = False) -> BenchmarkRecord:
    """A run from a result file (``PATH`` or ``PATH#RUN`` for a file of several runs) or the
    store; ``slim`` leaves out the result keys compare does not read (``UNUSED_KEYS``)."""
    path, pick = ref, ""
    if "#" in ref and not os.path.exists(ref):
        head, _, tail = ref.rpartition("#")
        if os.path.exists(head) or "://" in head:
            path, pick = head, tail
    if os.path.isfile(path) or ("://" in path and not path.startswith("sqlite:")):
        from nnbench.reporter.dispatch import read_records

        records = read_records(path, plugins)
        if pick:
            records = [r for r in records if pick in (r.run, r.run_id) or r.run_id.startswith(pick)]
        if len(records) == 1:
            if slim:
                for result in records[0].benchmarks:
                    for key in UNUSED_KEYS:
                        result.pop(key, None)
            return records[0]
        from nnbench.redact import redact_url

        shown = redact_url(path)  # a tracking URI may carry credentials
        if not records:
            raise UsageError(f"no run {pick or ''!r} in {shown}" if pick else f"{shown} holds no run")
        names = ", ".join(r.run for r in records)
        raise UsageError(f"{shown} holds {len(records)} runs ({names}); pick one with {shown}#RUN")
    from nnbench.store.results import ResultsStore, store_path

    where = store_path(store)
    if not where.exists():
        raise UsageError(f"no run {ref!r}: not a result file, and no results store at {where}")
    db = ResultsStore(where, create=False)
    try:
        return db.record(ref, drop=UNUSED_KEYS if slim else ())
    finally:
        db.close()


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _metric(result: dict[str, Any] | None, kind: str) -> tuple[Any, str, Any]:
    """(value, state, what a test compares: timing samples or per-sample outcomes)."""
    if result is None:
        return None, "missing", None
    if result.get("error_occurred"):
        return None, "error", None
    if kind == "time":
        timing = result.get("timing") or {}
        value = timing.get("median_ns", result.get("time_ns"))
        return _number(value), "ok", timing.get("samples_ns") or None
    if kind == "memory":
        memory = result.get("memory") or {}
        value = _number(memory.get("cuda_peak_increase_bytes",
                                   memory.get("rss_peak_increase_bytes")))
        return value, ("ok" if value is not None else "no memory"), None
    value = _number(result.get("value"))
    return value, ("ok" if value is not None else "not numeric"), result.get("samples")


def _kind(results: list[dict[str, Any] | None], metric: str) -> str:
    if metric != "auto":
        return metric
    for r in results:
        if r is not None and not r.get("error_occurred"):
            return "value" if _number(r.get("value")) is not None else "time"
    return "value"


def _change(base: float, cand: float, xs: Any, ys: Any, kind: str, alpha: float) -> Change:
    diff = cand - base
    if base:
        rel: float | None = diff / abs(base)
    else:
        rel = 0.0 if diff == 0 else math.copysign(math.inf, diff)
    change = Change(diff, rel, alpha=alpha)
    if kind != "value" and xs and ys and len(xs) > 1 and len(ys) > 1:
        from nnbench.compare.mannwhitney import mannwhitneyu

        change.pvalue, change.test = mannwhitneyu(xs, ys).pvalue, "mannwhitney"
    return change


_UNITS = {"time": "ns", "memory": "B"}


@lru_cache(maxsize=4096)
def _direction(prefix: str, hint: Any, unit: str, kind: str) -> tuple[str | None, bool]:
    """(better, timing) of a row: the same for every member of a family, so cached."""
    facts = {"better": hint, "unit": unit}
    return better(prefix, facts, kind), is_timing(prefix, facts, kind)


def labels_for(records: Sequence[BenchmarkRecord]) -> list[str]:
    """Run names, with a short id added where two runs share a name."""
    names = [r.run or r.run_id[:8] for r in records]
    return [f"{n}#{r.run_id[:8]}" if names.count(n) > 1 and r.run_id else n
            for n, r in zip(names, records, strict=True)]


def build_rows(records: Sequence[BenchmarkRecord], metric: str = "auto", *,
               alpha: float = ALPHA, resamples: int | None = None,
               seed: int | None = None, strict: bool = True) -> list[Row]:
    """One row per benchmark name, in first-seen order over the runs; values with per-sample
    outcomes in both runs get a paired test (``resamples`` bootstrap resamples and
    permutations, seeded with ``seed``). Outcomes that do not pair up (other sample ids) are a
    UsageError, or get no test when not ``strict`` (e.g. a history over changing datasets)."""
    by_run = [{b.get("name"): b for b in rec.benchmarks} for rec in records]
    paired: list[tuple[Change, str, int, dict[str, Any], dict[str, Any]]] = []
    names: dict[str, None] = {}
    for rec in records:
        for b in rec.benchmarks:
            names.setdefault(b.get("name"), None)
    rows = []
    for name in names:
        results = [m.get(name) for m in by_run]
        kind = _kind(results, metric)
        seen = next((r for r in results if r is not None), None)
        picked = [_metric(r, kind) for r in results]
        values = [v for v, _, _ in picked]
        changes: list[Change | None] = []
        for i, (v, _, samples) in enumerate(picked[1:], start=1):
            if values[0] is None or v is None:
                changes.append(None)
                continue
            changes.append(_change(values[0], v, picked[0][2], samples, kind, alpha))
            if kind == "value" and isinstance(samples, dict) and isinstance(picked[0][2], dict):
                paired.append((changes[-1], name, i, picked[0][2], samples))
        seen = seen or {}
        unit = _UNITS.get(kind) or str(seen.get("unit") or "")
        hint = seen.get("better")
        way, timing = _direction(name.split("=", 1)[0], hint if isinstance(hint, str) else None,
                                 unit, kind)
        rows.append(Row(name=name, kind=kind, better=way, timing=timing, values=values,
                        states=[s for _, s, _ in picked], changes=changes, unit=unit))
    if paired:
        _paired(paired, labels_for(records), alpha, resamples, seed, strict)
    return rows


def _paired(found: list[tuple[Change, str, int, dict[str, Any], dict[str, Any]]],
            labels: list[str], alpha: float, resamples: int | None, seed: int | None,
            strict: bool) -> None:
    """Fill the paired test's p-value, name and interval into each change (needs numpy)."""
    try:
        import numpy  # noqa: F401
    except ImportError:
        warnings.warn(f"{len(found)} change(s) have per-sample outcomes but numpy is not "
                      "installed: no paired test (pip install 'nnbench-core[stats]')",
                      stacklevel=3)
        return
    from nnbench.compare.paired import RESAMPLES, SEED, Pair, paired_tests

    pairs = [Pair(name, labels[i], base, cand) for _, name, i, base, cand in found]
    results = paired_tests(pairs, alpha=alpha, seed=SEED if seed is None else seed,
                           resamples=RESAMPLES if resamples is None else resamples,
                           strict=strict)
    for (change, *_), r in zip(found, results, strict=True):
        if r is not None:
            change.pvalue, change.test, change.ci = r.pvalue, r.test, (r.low, r.high)


def check_gates(rows: list[Row], gates: list[Gate], labels: list[str]) -> list[GateFailure]:
    """Every (row, candidate) a gate matches; exits 2 (UsageError) for a pattern matching nothing."""
    failures = []
    for gate in gates:
        matched = [r for r in rows if fnmatch.fnmatchcase(r.name, gate.pattern)]
        if not matched:
            raise UsageError(f"--gate {gate.text!r}: pattern {gate.pattern!r} matches no benchmark")
        for row in matched:
            for i, change in enumerate(row.changes, start=1):
                reason = _gate_reason(gate, row, i, change)
                if reason:
                    failures.append(GateFailure(gate, row.name, labels[i], reason))
    return failures


def _gate_reason(gate: Gate, row: Row, i: int, change: Change | None) -> str:
    if change is None:
        side = 0 if row.states[0] != "ok" else i
        return f"{row.states[side]} in {'base' if side == 0 else 'candidate'}"
    value = change.relative if gate.relative else change.absolute
    if value is None or gate.holds(value):
        return "" if value is not None else "relative change undefined"
    if change.significant is False:
        return ""  # a change within noise does not fail a gate
    shown = f"{value * 100:+.2f}%" if gate.relative else f"{value:+.6g}"
    note = f", p={change.pvalue:.3g}" if change.pvalue is not None else ""
    return f"change {shown}{note} violates {gate.op} {gate.text.split(gate.op, 1)[1].strip()}"


def compare(records: Sequence[BenchmarkRecord], gates: Sequence[str] = (),
            metric: str = "auto", *, alpha: float = ALPHA, resamples: int | None = None,
            seed: int | None = None) -> Comparison:
    """Compare ``records[1:]`` against ``records[0]`` and apply the gates; ``alpha`` is the
    significance level, ``resamples``/``seed`` tune the paired tests (see ``build_rows``)."""
    if len(records) < 2:
        raise UsageError("compare needs a base and at least one candidate run")
    if metric not in ("auto", "value", "time", "memory"):
        raise UsageError(f"--metric {metric!r}: use auto, value, time or memory")
    if not 0 < alpha < 1:
        raise UsageError(f"--alpha {alpha}: expected a significance level between 0 and 1")
    if resamples is not None and resamples < 1:
        raise UsageError(f"--resamples {resamples}: expected a number of resamples >= 1")
    parsed = [Gate.parse(g) for g in gates]
    labels = labels_for(records)
    rows = build_rows(records, metric, alpha=alpha, resamples=resamples, seed=seed)
    failures = check_gates(rows, parsed, labels)
    gated = {r.name for g in parsed for r in rows if fnmatch.fnmatchcase(r.name, g.pattern)}
    return Comparison(labels, list(records), rows, parsed, failures, gated, alpha)
