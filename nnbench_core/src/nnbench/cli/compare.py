"""``nnbench compare BASE CAND [MORE...]``: side-by-side results, significance, CI gates."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "compare", parents=[common], help="compare runs; gate on regressions",
        description="Compare runs (names or ids in the results store, or result files; "
                    "FILE#RUN picks one run of a file) benchmark by benchmark. Exit 1 when a "
                    "gate fails, 2 for an unknown run or a gate matching nothing.")
    p.add_argument("base", metavar="BASE", help="the baseline run")
    p.add_argument("candidates", nargs="+", metavar="CAND", help="runs compared with BASE")
    p.add_argument("--gate", action="append", default=[], metavar="'PATTERN OP DELTA'",
                   help="e.g. 'seqeval_f1>=-0.005' (absolute) or 'latency*<=+5%%' (relative); "
                        "repeatable")
    p.add_argument("--format", choices=("table", "markdown", "json", "html"), default="table",
                   help="html: the report's self-contained compare page (redirect it to a file)")
    p.add_argument("--metric", choices=("auto", "value", "time", "memory"), default="auto",
                   help="compare values, times, peak memory increase (memory=True), or values "
                        "where numeric else times (default)")
    p.add_argument("--alpha", type=float, default=0.05, metavar="LEVEL",
                   help="significance level of the tests (default 0.05; intervals are 1-LEVEL)")
    p.add_argument("--resamples", type=int, default=10_000, metavar="N",
                   help="bootstrap resamples and permutations of the paired tests (default 10000)")
    p.add_argument("--store", default=os.environ.get("NNBENCH_STORE"), metavar="URI",
                   help="results store (default: .nnbench/results.db)")
    from nnbench.cli import upstream_compare

    upstream_compare.add_arguments(p)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from nnbench.compare import compare, load_run, print_table, to_json, to_markdown, write_json
    from nnbench.plugins import get_plugin_manager

    plugins = get_plugin_manager()
    for gate in args.gate:  # bad gate syntax fails before anything is read
        from nnbench.compare import Gate

        Gate.parse(gate)
    from nnbench.cli import upstream_compare

    comparisons = upstream_compare.read(args)
    # the report page and -E/-P show any field, a comparison file matches by function;
    # otherwise leave out what compare never reads
    slim = args.format != "html" and not (args.extra_cols or args.params or comparisons)
    records = [load_run(ref, args.store, plugins, slim=slim) for ref in [args.base, *args.candidates]]
    gates = [*args.gate, *upstream_compare.gates(comparisons, records)]
    result = compare(records, gates, args.metric, alpha=args.alpha,
                     resamples=args.resamples)
    plain = not (comparisons or args.contextvals or args.extra_cols or args.params)
    if args.format == "json" and plain:
        write_json(result, sys.stdout)  # row by row: a 50,000-row document is never whole
    elif args.format == "json":
        print(upstream_compare.to_json(to_json(result), args, result, comparisons))
    elif args.format == "html":
        from nnbench.reporter import build_report, render_report

        print(render_report(build_report(records[1:], comparison=result, history=0)))
    elif args.format == "markdown":
        print(to_markdown(result))
    else:
        print_table(result)
    upstream_compare.show(args, result, comparisons)  # --comparison-file, -C, -E, -P
    if not result.passed:
        if args.format != "table":
            print(f"error: {len(result.failures)} gate failure(s)", file=sys.stderr)
        return 1
    return 0
