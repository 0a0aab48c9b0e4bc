"""``nnbench compare``'s upstream options: ``--comparison-file``, ``-C``, ``-E``, ``-P``
(translated by ``nnbench.compare.upstream``), parsed and printed here."""

from __future__ import annotations

import argparse
import json
from typing import Any


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--comparison-file", metavar="JSON",
                   help="upstream nnbench's comparisons ({NAME: {class, kwargs}}), applied as "
                        "gates")
    p.add_argument("-C", "--include-context", dest="contextvals", action="append", default=[],
                   metavar="NAME", help="show this context value per run (dotted for nested)")
    p.add_argument("-E", "--extra-column", dest="extra_cols", action="append", default=[],
                   metavar="NAME", help="show this result field per benchmark and run "
                                        "(time_ns, timing.median_ns, ...)")
    p.add_argument("-P", "--include-parameter", dest="params", action="append", default=[],
                   metavar="NAME", help="show this parameter per benchmark and run")


def read(args: argparse.Namespace) -> dict[str, Any]:
    """The comparison file's comparisons (a bad file fails before any run is read)."""
    if not args.comparison_file:
        return {}
    from nnbench.compare.upstream import read_comparisons

    return read_comparisons(args.comparison_file)


def gates(comparisons: dict[str, Any], records: list[Any]) -> list[str]:
    if not comparisons:
        return []
    from nnbench.compare.upstream import comparison_gates

    return comparison_gates(comparisons, records)


def _columns(args: argparse.Namespace) -> list[str]:
    return [*args.extra_cols, *(f"parameters.{p}" for p in args.params)]


def show(args: argparse.Namespace, result: Any, comparisons: dict[str, Any]) -> None:
    """The comparisons, then the context and extra-column tables, in ``args.format``."""
    columns = _columns(args)
    if not (comparisons or args.contextvals or columns):
        return
    from nnbench.compare import upstream as cf

    tables = []
    if args.contextvals:
        tables.append((["run", *args.contextvals],
                       cf.context_rows(result.records, result.labels, args.contextvals)))
    if columns:
        tables.append((["benchmark", *cf.extra_headers(result.labels, columns)],
                       cf.extra_rows(result.records, columns)))
    if args.format == "table":
        from rich.markup import escape
        from rich.table import Table

        from nnbench.reporter import make_console

        console = make_console()
        for line in cf.describe(comparisons):
            console.print(f"comparison {escape(line)}")
        for head, rows in tables:
            table = Table(*map(escape, head))
            for row in rows:
                table.add_row(*map(escape, row))
            console.print(table)
    elif args.format == "markdown":
        for line in cf.describe(comparisons):
            print(f"- comparison `{line}`")
        for head, rows in tables:
            print("\n" + cf.markdown_table(head, rows))


def to_json(text: str, args: argparse.Namespace, result: Any,
            comparisons: dict[str, Any]) -> str:
    """The compare JSON with ``comparisons``, ``context`` and ``columns`` added when asked."""
    columns = _columns(args)
    if not (comparisons or args.contextvals or columns):
        return text
    from nnbench.compare import upstream as cf

    doc = json.loads(text)
    if comparisons:
        doc["comparisons"] = cf.describe(comparisons)
    if args.contextvals:
        doc["context"] = {row[0]: dict(zip(args.contextvals, row[1:], strict=True))
                          for row in cf.context_rows(result.records, result.labels,
                                                     args.contextvals, text=False)}
    if columns:
        heads = [(label, n) for label in result.labels for n in columns]
        doc["columns"] = {row[0]: {f"{n} ({label})": v for (label, n), v in
                                   zip(heads, row[1:], strict=True)}
                          for row in cf.extra_rows(result.records, columns, text=False)}
    return json.dumps(doc, indent=2)
