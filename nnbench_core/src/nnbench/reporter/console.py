"""The console reporter: a rich table of a record's results."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from nnbench.redact import clip
from nnbench.types import BenchmarkRecord

_COLUMNS = ("name", "value", "unit", "time", "parameters", "tags", "error")


def make_console() -> Any:
    """A rich console on stdout; piped output (logs, CI) gets 160 columns instead of 80."""
    import sys

    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=160)


def format_value(value: Any) -> str:
    """Numbers with 6 significant digits; containers as compact JSON, cut to 40 characters."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, int):
        return str(value)
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return text if len(text) <= 40 else text[:37] + "..."


def error_text(result: dict[str, Any]) -> str:
    """``Type: message`` of a failed result, on one line."""
    return " ".join(f"{result.get('error_type')}: {result.get('error_message')}".split())


def repeated_errors(results: Iterable[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """Error texts shared by several failed results -> (number, count), numbered in order."""
    counts: dict[str, int] = {}
    for result in results:
        if result.get("error_occurred"):
            text = error_text(result)
            counts[text] = counts.get(text, 0) + 1
    shared = [text for text, n in counts.items() if n > 1]
    return {text: (i, counts[text]) for i, text in enumerate(shared, 1)}


def artifact_lines(record: BenchmarkRecord) -> list[str]:
    """One line per artifact of the run: parameter, spec, the revision it resolved to."""
    lines = []
    for name, facts in (record.context.get("artifacts") or {}).items():
        facts = facts or {}
        spec = clip(str(facts.get("spec") or facts.get("path") or "?"), 100)
        line = f"{name} = {spec}"
        resolved = facts.get("resolved_revision")
        if resolved and str(resolved) not in spec:
            line += f" (resolved {str(resolved)[:12]})"
        lines.append(line)
    return lines


def shared_lines(record: BenchmarkRecord) -> list[str]:
    """The memoised passes shared by benchmarks, once each, with who ran them first."""
    from nnbench.durations import format_ns

    lines = []
    for result in record.benchmarks:
        for function, ns in (result.get("shared_ns") or {}).items():
            lines.append(f"shared pass {function}: {format_ns(int(ns))} (run during "
                         f"{result['name']}, not counted in its time)")
    return lines


class BenchmarkReporter:
    """Shows records as rich tables on a console (stdout by default)."""

    def __init__(self, console: Any = None) -> None:
        self._console = console
        self._repeated: dict[str, tuple[int, int]] = {}

    @property
    def console(self) -> Any:
        if self._console is None:
            self._console = make_console()
        return self._console

    def display(
        self,
        record: BenchmarkRecord,
        include: Iterable[str] | None = None,
        exclude: Iterable[str] = ("parameters",),
    ) -> None:
        from rich.table import Table

        columns = [c for c in (include or _COLUMNS) if c not in set(exclude)]
        present = {
            "unit": any(b.get("unit") for b in record.benchmarks),
            "error": any(b.get("error_occurred") for b in record.benchmarks),
        }
        columns = [c for c in columns if present.get(c, True)]
        from rich.markup import escape

        # the header, as lines of their own (a table title would wrap at the table's width)
        self.console.print(f"[italic]nnbench run {escape(record.run)}[/]", soft_wrap=True)
        for line in artifact_lines(record):
            self.console.print(escape(line), soft_wrap=True)
        table = Table()
        for col in columns:
            table.add_column(col, justify="right" if col in ("value", "time") else "left",
                             overflow="fold", no_wrap=col in ("value", "unit", "time"))
        self._repeated = repeated_errors(record.benchmarks)
        for bm in record.benchmarks:
            table.add_row(*(self._cell(bm, col) for col in columns))
        self.console.print(table)
        failed = len(record.failed)
        if failed:
            self.console.print(f"[red]{failed} of {len(record.benchmarks)} benchmarks failed[/]")
        for text, (number, count) in self._repeated.items():
            self.console.print(f"[red]error {number} ({count} benchmarks): {escape(text)}[/]")
        for line in shared_lines(record):
            self.console.print(escape(line))

    def _cell(self, bm: dict[str, Any], column: str) -> str:
        if column == "time":
            from nnbench.durations import format_ns

            return format_ns(int(bm.get("time_ns") or 0))
        if column == "error":
            if not bm.get("error_occurred"):
                return ""
            from rich.markup import escape

            text = error_text(bm)
            if text in self._repeated:  # said once below the table, with its count
                return f"[red]error {self._repeated[text][0]}[/]"
            return f"[red]{escape(clip(text, 300))}[/]"
        if column == "tags":
            return ",".join(bm.get("tags") or ())
        if column == "parameters":
            return format_value(bm.get("parameters") or {})
        value = bm.get(column)
        if column == "value" and bm.get("error_occurred"):
            return "[red]error[/]"
        from rich.markup import escape

        return escape(format_value(value) if column == "value" else str(value or ""))
