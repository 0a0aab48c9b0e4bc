"""``nnbench runs``: list the runs in the results store."""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("runs", parents=[common], help="list stored runs")
    p.add_argument("--store", default=os.environ.get("NNBENCH_STORE"), metavar="URI",
                   help="results store (default: .nnbench/results.db), or any source a "
                        "reporter reads back (mlflow://EXPERIMENT)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=handle)


def _summary(context: dict[str, Any]) -> str:
    parts = []
    git = context.get("git") or {}
    if git.get("commit"):
        parts.append(f"git {git['commit'][:8]}{'+dirty' if git.get('dirty') else ''}")
    for name, facts in (context.get("artifacts") or {}).items():
        if isinstance(facts, dict) and facts.get("spec"):
            parts.append(f"{name}={facts['spec']}")
    py = context.get("python") or {}
    if py.get("version"):
        parts.append(f"py {py['version']}")
    return ", ".join(parts)


def _runs(uri: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Where, and the runs: the SQLite store's, or the records a reporter reads back from a
    ``SCHEME://`` source (``mlflow://EXP``), one row each."""
    if uri and "://" in uri and not uri.startswith("sqlite:"):
        from nnbench.redact import redact_url
        from nnbench.reporter import read_records

        return redact_url(uri), [
            {"run_id": r.run_id, "name": r.run, "timestamp": r.timestamp,
             "planned": len(r.benchmarks), "finished": not r.context.get("interrupted"),
             "context": r.context, "benchmarks": len(r.benchmarks)} for r in read_records(uri)]
    from nnbench.store import ResultsStore, store_path

    store = ResultsStore(store_path(uri), create=False)
    try:
        return str(store.path), store.runs()
    finally:
        store.close()


def handle(args: argparse.Namespace) -> int:
    where, runs = _runs(args.store)
    if args.json:
        print(json.dumps([{k: v for k, v in r.items() if k != "context"} for r in runs], indent=2))
        return 0
    from rich.markup import escape
    from rich.table import Table

    from nnbench.reporter import make_console

    table = Table(title=f"runs in {where}", title_justify="left")
    for col in ("id", "name", "time", "benchmarks", "context"):
        table.add_column(col, overflow="fold")
    for r in runs:
        done = f"{r['benchmarks']}" + ("" if r["finished"] else f"/{r['planned']} (interrupted)")
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r["timestamp"]))
        table.add_row(r["run_id"][:12], escape(r["name"]), when, done,
                      escape(_summary(r["context"])))
    make_console().print(table)
    return 0
