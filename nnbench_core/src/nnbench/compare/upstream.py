"""Upstream nnbench's comparison files and extra columns for ``nnbench compare``.

A comparison file maps a benchmark to a comparison class, as upstream documents::

    {"accuracy": {"class": "nnbench.compare.GreaterEqual"},
     "loss": {"class": "nnbench.compare.AbsDiffLessEqual", "kwargs": {"thresh": 0.5}}}

A key names a benchmark, or (upstream's matching) a benchmark function: then every member of
its family. Each comparison becomes gates of :mod:`nnbench.compare` on each matching name,
with x the candidate's value and y the base's:

=============================  ==================  ============================
upstream class                 holds when          gates
=============================  ==================  ============================
``GreaterEqual``               x >= y              ``NAME>=0``
``LessEqual``                  x <= y              ``NAME<=0``
``AbsDiffLessEqual(thresh=t)`` abs(x - y) <= t     ``NAME>=-t`` and ``NAME<=+t``
=============================  ==================  ============================

so each family member is its own row and a change a significance test calls noise passes.
``-C NAME`` shows context values (dotted for nested ones) per run, ``-E NAME`` result fields
(``time_ns``, ``timing.median_ns``, ``parameters.lr``) per benchmark and run.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from nnbench.errors import UsageError
from nnbench.types import BenchmarkRecord

MISSING = "N/A"


class GreaterEqual:
    """Upstream's comparator: the candidate's value ``x`` is at least the base's ``y``."""

    def __call__(self, val1: Any, val2: Any) -> bool:
        return val1 >= val2

    def __str__(self) -> str:
        return "x ≥ y"


class LessEqual:
    """Upstream's comparator: ``x <= y``."""

    def __call__(self, val1: Any, val2: Any) -> bool:
        return val1 <= val2

    def __str__(self) -> str:
        return "x ≤ y"


class AbsDiffLessEqual:
    """Upstream's comparator: ``abs(x - y) <= thresh``."""

    def __init__(self, thresh: float) -> None:
        self.thresh = thresh

    def __call__(self, val1: float, val2: float) -> bool:
        return abs(val1 - val2) <= self.thresh

    def __str__(self) -> str:
        return f"|x - y| <= {self.thresh:.2f}"
_PREFIX = "nnbench.compare."
KINDS = ("GreaterEqual", "LessEqual", "AbsDiffLessEqual")


def read_comparisons(path: str | os.PathLike[str]) -> dict[str, tuple[str, dict[str, Any]]]:
    """``{benchmark: (kind, kwargs)}`` from a comparison file; a bad file is a UsageError."""
    where = f"--comparison-file {os.fspath(path)}"
    try:
        with open(path, encoding="utf-8") as fh:
            document = json.load(fh)
    except OSError as exc:
        raise UsageError(f"{where}: cannot read it ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise UsageError(f"{where}: not valid JSON ({exc})") from None
    if not isinstance(document, Mapping):
        raise UsageError(f"{where}: expected an object mapping benchmark names to "
                         '{"class": ..., "kwargs": {...}}')
    return {str(name): _kind(where, str(name), entry) for name, entry in document.items()}


def _kind(where: str, name: str, entry: Any) -> tuple[str, dict[str, Any]]:
    if not isinstance(entry, Mapping) or not isinstance(entry.get("class"), str):
        raise UsageError(f"{where}: {name!r} needs a \"class\", e.g. "
                         '{"class": "nnbench.compare.GreaterEqual"}')
    kind = entry["class"].removeprefix(_PREFIX)
    kwargs = entry.get("kwargs", {})
    if kind not in KINDS:
        raise UsageError(f"{where}: {name!r}: class {entry['class']!r} has no gate translation; "
                         f"use nnbench.compare.{', nnbench.compare.'.join(KINDS)}, or --gate")
    if not isinstance(kwargs, Mapping):
        raise UsageError(f"{where}: {name!r}: kwargs must be an object")
    wanted = {"thresh"} if kind == "AbsDiffLessEqual" else set()
    if set(kwargs) != wanted:
        need = "kwargs {\"thresh\": NUMBER}" if wanted else "no kwargs"
        raise UsageError(f"{where}: {name!r}: {kind} takes {need}, got {dict(kwargs)!r}")
    thresh = kwargs.get("thresh", 0)
    if isinstance(thresh, bool) or not isinstance(thresh, (int, float)) or \
            not math.isfinite(thresh) or thresh < 0:
        raise UsageError(f"{where}: {name!r}: thresh must be a number >= 0, got {thresh!r}")
    return kind, dict(kwargs)


def matching_names(key: str, records: Sequence[BenchmarkRecord]) -> list[str]:
    """Benchmark names ``key`` means: itself, or every benchmark of function ``key``."""
    names: dict[str, None] = {}
    for record in records:
        for result in record.benchmarks:
            name = result.get("name")
            if name == key or result.get("function") == key:
                names.setdefault(name, None)
    return list(names)


def _glob(name: str) -> str:
    """``name`` as an fnmatch pattern matching only itself."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def comparison_gates(comparisons: Mapping[str, tuple[str, Mapping[str, Any]]],
                     records: Sequence[BenchmarkRecord]) -> list[str]:
    """The gates (``nnbench compare --gate`` syntax) the comparisons translate to."""
    gates = []
    for key, (kind, kwargs) in comparisons.items():
        names = matching_names(key, records)
        if not names:
            raise UsageError(f"--comparison-file: {key!r} matches no benchmark name or "
                             "function in the runs compared")
        for name in names:
            if "<" in name or ">" in name:
                raise UsageError(f"--comparison-file: benchmark {name!r} cannot be gated (its "
                                 "name holds < or >)")
            pattern = _glob(name)
            if kind == "GreaterEqual":
                gates.append(f"{pattern}>=0")
            elif kind == "LessEqual":
                gates.append(f"{pattern}<=0")
            else:
                thresh = float(kwargs["thresh"])
                gates += [f"{pattern}>={-thresh!r}", f"{pattern}<={thresh!r}"]
    return gates


def describe(comparisons: Mapping[str, tuple[str, Mapping[str, Any]]]) -> list[str]:
    """Upstream's one line per comparison (x: candidate, y: base)."""
    text = {"GreaterEqual": "x ≥ y", "LessEqual": "x ≤ y"}
    return [f"{key}: " + (text.get(kind) or f"|x - y| <= {float(kwargs['thresh']):g}")
            for key, (kind, kwargs) in comparisons.items()]


# -- extra columns -------------------------------------------------------------------------

def lookup(data: Any, dotted: str) -> Any:
    """``data[a][b]`` for ``"a.b"`` (a key holding dots is found too); MISSING if absent."""
    if isinstance(data, Mapping) and dotted in data:
        return data[dotted]
    head, dot, rest = dotted.partition(".")
    while dot:
        if isinstance(data, Mapping) and head in data:
            found = lookup(data[head], rest)
            if found is not MISSING:
                return found
        more, dot, rest = rest.partition(".")
        head = f"{head}.{more}"
    return MISSING


def _cell(value: Any) -> str:
    if value is MISSING or value is None:
        return MISSING if value is MISSING else ""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (Mapping, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _raw(value: Any) -> Any:
    return None if value is MISSING else value


def context_rows(records: Sequence[BenchmarkRecord], labels: Sequence[str],
                 names: Iterable[str], text: bool = True) -> list[list[Any]]:
    """``[label, value per context name]`` for each run (``text``: as table cells, else the
    values themselves, None where missing)."""
    names = list(names)
    show = _cell if text else _raw
    return [[label, *(show(lookup(r.context, n)) for n in names)]
            for r, label in zip(records, labels, strict=True)]


def extra_rows(records: Sequence[BenchmarkRecord], names: Iterable[str],
               text: bool = True) -> list[list[Any]]:
    """``[benchmark, value per (run, field)]`` for each benchmark, in first-seen order."""
    names = list(names)
    show = _cell if text else _raw
    by_run = [{b.get("name"): b for b in r.benchmarks} for r in records]
    order: dict[str, None] = {}
    for run in by_run:
        for name in run:
            order.setdefault(name, None)
    return [[name, *(show(lookup(run[name], n) if name in run else MISSING)
                     for run in by_run for n in names)] for name in order]


def extra_headers(labels: Sequence[str], names: Iterable[str]) -> list[str]:
    names = list(names)
    return [f"{n} ({label})" for label in labels for n in names]


def markdown_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def cell(text: str) -> str:
        return str(text).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(h) for h in head) + " |",
             "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


__all__ = ["KINDS", "MISSING", "comparison_gates", "context_rows", "describe", "extra_headers",
           "extra_rows", "lookup", "markdown_table", "matching_names", "read_comparisons"]
