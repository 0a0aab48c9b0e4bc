"""``nnbench plugins``: each plugin's distribution, version, hooks, schemes, reporters and
executors."""

from __future__ import annotations

import argparse
import json
from typing import Any


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("plugins", parents=[common], help="list installed plugins")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from nnbench.plugins import get_plugin_manager

    infos = get_plugin_manager().describe()
    if args.json:
        print(json.dumps([i.to_dict() for i in infos], indent=2))
        return 0
    from rich.markup import escape
    from rich.table import Table

    from nnbench.reporter import make_console

    table = Table(title="nnbench plugins", title_justify="left")
    for col in ("name", "distribution", "version", "loaders", "reporters", "executors", "hooks",
                "status"):
        table.add_column(col, overflow="fold")
    for i in infos:
        status = ("[red]error: " + escape(i.error) + "[/]") if i.error else (
            "blocked" if i.blocked else "ok")
        table.add_row(i.name, i.distribution or "", i.version or "", ", ".join(i.loaders),
                      ", ".join(i.reporters), ", ".join(i.executors),
                      ", ".join(h.removeprefix("nnbench_") for h in i.hooks),
                      status)
    make_console().print(table)
    return 0
