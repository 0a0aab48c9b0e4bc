"""Resuming a stored run (``nnbench run --resume RUN``): what already completed, where to
write the rest, and the artifact revisions the first attempt resolved.

Every (loader binding, benchmark) whose stored result has no error is kept and not run again;
the rest run and land in the same store entries (same run ids). A binding is matched by its run
name (``NAME[model=...]``), a benchmark by its position and full name. Specs of versioned stores
are pinned to the stored ``resolved_revision`` (``hf:org/name`` -> ``hf:org/name@<commit>``).
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any

from nnbench.errors import UsageError

if TYPE_CHECKING:
    from nnbench.plan import Plan, Unit

_BINDING = re.compile(r"^(?P<base>.*?)(?P<label>\[.*\])?$", re.S)


@dataclasses.dataclass
class StoredRun:
    """One stored run (one loader binding) of the run being resumed."""

    run_id: str
    name: str
    context: dict[str, Any]
    results: dict[int, dict[str, Any]]


def load(store: Any, ref: str) -> tuple[str, dict[str, StoredRun]]:
    """The run's base name and its stored runs by name, from the ``ResultsStore`` ``store``.

    ``ref`` is a run name (for several bindings, their common base name) or a run id (prefix).
    """
    rows = store.runs()
    picked = [r for r in rows if r["name"] == ref or r["name"].startswith(ref + "[")]
    if picked:
        base = _BINDING.match(ref)["base"]
    else:
        run_id = store.find(ref)  # an id or id prefix; or the usual one-line error
        base = _BINDING.match(next(r["name"] for r in rows if r["run_id"] == run_id))["base"]
        picked = [r for r in rows if _BINDING.match(r["name"])["base"] == base]
    runs: dict[str, StoredRun] = {}
    for row in picked:  # oldest first: the latest attempt of a binding wins
        runs[row["name"]] = StoredRun(row["run_id"], row["name"], row["context"],
                                      store.results_by_position(row["run_id"]))
    return base, runs


def apply(plan: Plan, stored: dict[str, StoredRun]) -> dict[int, StoredRun]:
    """Point each unit at its stored run, drop its completed benchmarks, pin its artifacts.

    Returns, per binding index, its stored run with only the results that are kept. A binding
    the store does not know runs in full.
    """
    kept: dict[int, StoredRun] = {}
    for unit in plan.units:
        previous = stored.get(unit.run_name)
        if previous is None:
            continue
        unit.run_id = previous.run_id
        done = {pos for pos, name in zip(unit.positions, unit.names, strict=True)
                if (r := previous.results.get(pos)) is not None and r.get("name") == name
                and not r.get("error_occurred")}
        kept[unit.binding] = dataclasses.replace(
            previous, results={p: previous.results[p] for p in done})
        _drop(unit, done)
        _pin(unit, previous.context.get("artifacts", {}))
    if not stored.keys() & {u.run_name for u in plan.units}:
        raise UsageError(f"--resume: none of the stored runs ({', '.join(sorted(stored))}) "
                         "matches this plan's loader bindings; resume with the same --loader "
                         "and --name as the first attempt")
    return kept


def _drop(unit: Unit, done: set[int]) -> None:
    keep = [i for i, pos in enumerate(unit.positions) if pos not in done]
    unit.indices = [unit.indices[i] for i in keep]
    unit.positions = [unit.positions[i] for i in keep]
    unit.names = [unit.names[i] for i in keep]
    if unit.benchmarks is not None:
        unit.benchmarks = [unit.benchmarks[i] for i in keep]


def _pin(unit: Unit, provenance: dict[str, Any]) -> None:
    """Artifacts of versioned stores load the revision the first attempt resolved."""
    from nnbench.artifacts import Artifact

    for name, value in list(unit.params.items()):
        facts = provenance.get(name) or {}
        revision, spec = facts.get("resolved_revision"), getattr(value, "spec", None)
        if not (isinstance(value, Artifact) and revision and spec) or "@" in spec:
            continue
        head, sep, query = spec.partition("?")
        unit.params[name] = type(value)(f"{head}@{revision}{sep}{query}")
