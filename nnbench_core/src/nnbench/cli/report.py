"""``nnbench report [RUN ...] -o report.html``: one self-contained HTML page of runs."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "report", parents=[common], help="write an HTML report of runs",
        description="Write one self-contained HTML page (no network needed to open it) of runs: "
                    "names or ids in the results store (default: the latest run), or result "
                    "files (FILE#RUN picks one run of a file). With --compare BASE it also "
                    "compares the runs with BASE.")
    p.add_argument("runs", nargs="*", metavar="RUN", help="runs to report (default: the latest)")
    p.add_argument("--output", "-o", default="report.html", metavar="FILE",
                   help="where to write the page (default: report.html)")
    p.add_argument("--store", default=os.environ.get("NNBENCH_STORE"), metavar="URI",
                   help="results store (default: .nnbench/results.db)")
    p.add_argument("--compare", metavar="BASE", help="compare the runs with this base run")
    p.add_argument("--gate", action="append", default=[], metavar="'PATTERN OP DELTA'",
                   help="a compare gate, as for nnbench compare (repeatable; needs --compare)")
    p.add_argument("--metric", choices=("auto", "value", "time", "memory"), default="auto",
                   help="what --compare compares (as for nnbench compare)")
    p.add_argument("--history", type=int, default=50, metavar="N",
                   help="draw each benchmark across the last N runs of its suite in the store "
                        "(default 50; 0: no history)")
    p.add_argument("--title", help="the page's title")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from nnbench.compare import Gate, compare
    from nnbench.errors import UsageError
    from nnbench.plugins import get_plugin_manager
    from nnbench.reporter import check_writable, write_report
    from nnbench.store import store_path

    if args.gate and not args.compare:
        raise UsageError("--gate needs --compare BASE")
    if args.history < 0:
        raise UsageError(f"--history {args.history}: expected a number of runs >= 0")
    for gate in args.gate:
        Gate.parse(gate)
    check_writable(args.output)  # before anything is read
    plugins = get_plugin_manager()
    records = [r for ref in args.runs for r in _load(ref, args.store, plugins)]
    if not records:
        records = [_latest(args.store)]
    comparison = None
    if args.compare:
        base = _load(args.compare, args.store, plugins)
        if len(base) != 1:
            raise UsageError(f"--compare {args.compare}: the file holds {len(base)} runs; "
                             f"pick one with {args.compare}#RUN")
        comparison = compare([base[0], *records], args.gate, args.metric)
    where = store_path(args.store)
    size = write_report(records, args.output, store=where if where.is_file() else None,
                        history=args.history, comparison=comparison, title=args.title)
    for rec in records:
        if rec.benchmarks and len(rec.failed) == len(rec.benchmarks):
            print(f"warning: run {rec.run}: all {len(rec.benchmarks)} benchmarks failed; "
                  "the report shows their errors", file=sys.stderr)
    n = sum(len(r.benchmarks) for r in records)
    print(f"wrote {args.output}: {len(records)} run(s), {n} results, {size / 1024:.0f} KiB")
    if comparison is not None and not comparison.passed:
        print(f"error: {len(comparison.failures)} gate failure(s)", file=sys.stderr)
        return 1
    return 0


def _load(ref: str, store: str | None, plugins: Any) -> list[Any]:
    """Every run of a result file, or the one run ``ref`` names (``FILE#RUN``, store)."""
    if os.path.isfile(ref):
        from nnbench.reporter import read_records

        return read_records(ref, plugins)
    from nnbench.compare import load_run

    return [load_run(ref, store, plugins)]


def _latest(store: str | None) -> Any:
    from nnbench.errors import UsageError
    from nnbench.store import ResultsStore, store_path

    where = store_path(store)
    if not where.is_file():
        raise UsageError(f"no results store at {where}; run `nnbench run` first, "
                         "or name result files: nnbench report results.json")
    db = ResultsStore(where, create=False)
    try:
        runs = db.runs()
        if not runs:
            raise UsageError(f"the results store {where} holds no run; run `nnbench run` first")
        return db.record(runs[-1]["run_id"])
    finally:
        db.close()
