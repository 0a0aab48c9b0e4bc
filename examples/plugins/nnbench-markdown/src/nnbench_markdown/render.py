"""Render benchmark records as Markdown: a heading, a context line and a result table."""

from __future__ import annotations

import json
import time
from typing import Any

from nnbench import BenchmarkRecord
from nnbench.durations import format_ns


def cell(text: Any) -> str:
    """Text safe inside a table cell: pipes escaped, line breaks as ``<br>``."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace(
        "\n", "<br>")


def value_text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (dict, list)):
        return "`" + json.dumps(value, separators=(",", ":")) + "`"
    return "" if value is None else str(value)


def context_line(record: BenchmarkRecord) -> str:
    """Run id, time, git commit and artifact specs, joined by middle dots."""
    parts = []
    if record.run_id:
        parts.append(f"run `{record.run_id[:8]}`")
    if record.timestamp:
        parts.append(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(record.timestamp)))
    git = record.context.get("git") or {}
    if isinstance(git, dict) and git.get("commit"):
        parts.append(f"git `{str(git['commit'])[:8]}`" + (" (dirty)" if git.get("dirty") else ""))
    for name, facts in (record.context.get("artifacts") or {}).items():
        if isinstance(facts, dict) and facts.get("spec"):
            parts.append(f"{name} `{facts['spec']}`")
    return cell(" · ".join(parts))


def render_record(record: BenchmarkRecord) -> str:
    has_unit = any(bm.get("unit") for bm in record.benchmarks)
    header = ["benchmark", "value", *(["unit"] if has_unit else []), "time"]
    align = [":--", "--:", *([":--"] if has_unit else []), "--:"]
    lines = [f"### nnbench run `{cell(record.run)}`", context_line(record), "",
             "| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    for bm in record.benchmarks:
        if bm.get("error_occurred"):
            value = f"❌ `{cell(bm.get('error_type'))}: {cell(bm.get('error_message'))}`"
        else:
            value = cell(value_text(bm.get("value")))
        row = [cell(bm.get("name", "")), value, *([cell(bm.get("unit") or "")] if has_unit else []),
               format_ns(int(bm.get("time_ns") or 0))]
        lines.append("| " + " | ".join(row) + " |")
    failed = sum(1 for bm in record.benchmarks if bm.get("error_occurred"))
    if failed:
        lines += ["", f"**{failed} of {len(record.benchmarks)} benchmarks failed.**"]
    return "\n".join(lines) + "\n"


def render(records: list[BenchmarkRecord]) -> str:
    """One section per record, separated by blank lines."""
    return "\n".join(render_record(r) for r in records)
