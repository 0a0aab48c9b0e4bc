"""Build the report's data from records (and the store's history), render it, write it."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nnbench.reporter.html.history import DEFAULT_LIMIT
from nnbench.types import BenchmarkRecord

SCHEMA_VERSION = 1


def build_report(runs: Sequence[BenchmarkRecord], *, store: str | Path | None = None,
                 history: int = DEFAULT_LIMIT, comparison: Any = None,
                 title: str | None = None) -> dict[str, Any]:
    """The page's data: each run (results, families, context), its history in ``store`` (the
    last ``history`` runs of its suite; 0 for none) and a ``nnbench.compare.Comparison``."""
    from nnbench import __version__
    from nnbench.compare import labels_for
    from nnbench.reporter.html.history import build_history
    from nnbench.reporter.html.payload import run_payload
    from nnbench.reporter.html.specs import all_specs
    from nnbench.store import store_path

    where = store_path(str(store)) if store is not None else None
    labels = labels_for(runs)
    entries = []
    for record, label in zip(runs, labels, strict=True):
        entry = run_payload(record, label)
        entry["history"] = build_history(record, where, history) if where and history else None
        entries.append(entry)
    cmp = _comparison(comparison) if comparison is not None else None
    if title is None:
        title = (f"nnbench compare: {cmp['base']} → {', '.join(cmp['candidates'])}" if cmp
                 else "nnbench report: " + ", ".join(labels) if labels else "nnbench report")
    return {"schema": SCHEMA_VERSION, "nnbench": __version__, "generated": time.time(),
            "title": title, "runs": entries, "compare": cmp, "specs": all_specs()}


def _comparison(cmp: Any) -> dict[str, Any]:
    """A Comparison as ``nnbench compare --format json`` gives it (p-values, CIs, gates)."""
    from nnbench.compare import to_json

    return json.loads(to_json(cmp))


def render_report(payload: dict[str, Any]) -> str:
    """The self-contained HTML page for ``build_report``'s data."""
    from nnbench.reporter.html.page import render

    return render(payload)


def write_report(runs: Sequence[BenchmarkRecord], destination: str, **options: Any) -> int:
    """Build, render and write the report (atomically; ``s3://`` through fsspec); its size."""
    from nnbench.reporter.files import check_writable, write_bytes

    check_writable(destination)
    data = render_report(build_report(runs, **options)).encode("utf-8")
    write_bytes(destination, data)
    return len(data)


class HTMLReporter:
    """``-o report.html``: the report of the run just made, with its history from the run's
    results store (``--store``, else ``$NNBENCH_STORE`` or ``.nnbench/results.db``) when there
    is one."""

    def write(self, records: list[BenchmarkRecord], destination: str) -> None:
        from nnbench.store.location import current_store

        where = current_store()
        write_report(records, destination, store=where if where.is_file() else None)
