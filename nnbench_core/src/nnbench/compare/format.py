"""Render a ``Comparison``: a rich table, GitHub markdown, or JSON.

Colours are direction-aware: green when a candidate moved the good way, red the bad way, dim
for a change its test (Mann–Whitney, paired permutation, McNemar) calls noise; no colour where
the direction is unknown. Paired tests add the difference's confidence interval.
"""

from __future__ import annotations

import json
import math
from typing import Any

from nnbench.compare.rows import Change, Comparison, Row
from nnbench.durations import format_ns


def verdict(row: Row, change: Change | None) -> str:
    """``better``, ``worse``, ``same``, ``noise`` or ``""`` (unknown direction or no change)."""
    if change is None:
        return ""
    if change.significant is False:
        return "noise"
    if change.absolute == 0:
        return "same"
    if row.better is None:
        return ""
    up = change.absolute > 0
    return "better" if up == (row.better == "higher") else "worse"


def fmt_value(row: Row, value: Any, state: str) -> str:
    if value is None:
        return state
    if row.kind == "time":
        return format_ns(int(round(value)))
    return f"{value:.6g}"


def fmt_change(row: Row, change: Change | None) -> tuple[str, str]:
    """(absolute, relative) change as text."""
    if change is None:
        return "", ""
    if row.kind == "time":
        a = change.absolute
        absolute = ("+" if a >= 0 else "-") + format_ns(int(round(abs(a))))
    else:
        absolute = f"{change.absolute:+.4g}"
    rel = change.relative
    relative = "n/a" if rel is None or math.isinf(rel) else f"{rel * 100:+.2f}%"
    return absolute, relative


def fmt_p(change: Change | None) -> str:
    if change is None or change.pvalue is None:
        return ""
    return f"{change.pvalue:.3g}" + (" sig" if change.significant else " noise")


def _has_p(cmp: Comparison) -> bool:
    return any(c is not None and c.pvalue is not None for r in cmp.rows for c in r.changes)


def _has_ci(cmp: Comparison) -> bool:
    return any(c is not None and c.ci is not None for r in cmp.rows for c in r.changes)


def fmt_ci(change: Change | None) -> str:
    """``[-0.0123, +0.0045]``: the paired difference's interval, or ``""``."""
    if change is None or change.ci is None:
        return ""
    return f"[{change.ci[0]:+.3g}, {change.ci[1]:+.3g}]"


def _ci_head(cmp: Comparison) -> str:
    return f"{(1 - cmp.alpha) * 100:.3g}% CI"


def _gate_cell(cmp: Comparison, row: Row) -> str:
    if row.name not in cmp.gated:
        return ""
    return "FAIL" if any(f.row == row.name for f in cmp.failures) else "ok"


def to_json(cmp: Comparison) -> str:
    def num(x: float | None) -> float | None:
        return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else x

    rows = []
    for row in cmp.rows:
        rows.append({
            "name": row.name, "metric": row.kind, "better": row.better, "timing": row.timing,
            "unit": row.unit,
            "values": {lbl: v for lbl, v in zip(cmp.labels, row.values, strict=True)},
            "states": {lbl: s for lbl, s in zip(cmp.labels, row.states, strict=True)},
            "changes": {
                lbl: None if c is None else {
                    "absolute": c.absolute, "relative": num(c.relative), "pvalue": c.pvalue,
                    "significant": c.significant, "verdict": verdict(row, c), "test": c.test,
                    "ci": None if c.ci is None else [c.ci[0], c.ci[1]],
                }
                for lbl, c in zip(cmp.labels[1:], row.changes, strict=True)
            },
            "gate": _gate_cell(cmp, row) or None,
        })
    out = {
        "base": cmp.labels[0],
        "candidates": cmp.labels[1:],
        "runs": [{"label": lbl, "run": r.run, "run_id": r.run_id}
                 for lbl, r in zip(cmp.labels, cmp.records, strict=True)],
        "rows": rows,
        "gates": [g.text for g in cmp.gates],
        "failures": [{"gate": f.gate.text, "benchmark": f.row, "run": f.run, "reason": f.reason}
                     for f in cmp.failures],
        "passed": cmp.passed,
        "alpha": cmp.alpha,
    }
    return json.dumps(out, indent=2)


_MARK = {"better": " 🟢", "worse": " 🔴", "noise": " (noise)"}


def to_markdown(cmp: Comparison) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    head = ["benchmark", cmp.labels[0]]
    with_p, with_ci = _has_p(cmp), _has_ci(cmp)
    for lbl in cmp.labels[1:]:
        head += [lbl, "Δ", "Δ%"] + ([_ci_head(cmp)] if with_ci else []) + (["p"] if with_p else [])
    if cmp.gates:
        head.append("gate")
    lines = ["| " + " | ".join(cell(h) for h in head) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"]
    for row in cmp.rows:
        cells = [f"`{row.name}`", fmt_value(row, row.values[0], row.states[0])]
        for v, s, c in zip(row.values[1:], row.states[1:], row.changes, strict=True):
            a, r = fmt_change(row, c)
            cells += [fmt_value(row, v, s), a, r + _MARK.get(verdict(row, c), "")]
            if with_ci:
                cells.append(fmt_ci(c))
            if with_p:
                cells.append(fmt_p(c))
        if cmp.gates:
            gate = _gate_cell(cmp, row)
            cells.append("**FAIL**" if gate == "FAIL" else gate)
        lines.append("| " + " | ".join(cell(c) for c in cells) + " |")
    lines.append("")
    lines += _summary(cmp, bold=True)
    return "\n".join(lines)


def _summary(cmp: Comparison, bold: bool = False) -> list[str]:
    if not cmp.gates:
        return []
    if cmp.passed:
        return [f"All {len(cmp.gates)} gate(s) passed."]
    b = "**" if bold else ""
    out = [f"{b}{len(cmp.failures)} gate failure(s):{b}"]
    out += [f"- `{f.gate.text}` {f.row} ({f.run}): {f.reason}" for f in cmp.failures]
    return out


_STYLE = {"better": "green", "worse": "red", "noise": "dim", "same": "", "": ""}


def print_table(cmp: Comparison, console: Any = None) -> None:
    from rich.markup import escape
    from rich.table import Table

    from nnbench.reporter.console import make_console

    console = console or make_console()
    title = f"compare {cmp.labels[0]} → {', '.join(cmp.labels[1:])}"
    table = Table(title=escape(title), title_justify="left")
    with_p, with_ci = _has_p(cmp), _has_ci(cmp)
    table.add_column("benchmark", overflow="fold")
    table.add_column(escape(cmp.labels[0]), justify="right")
    for lbl in cmp.labels[1:]:
        table.add_column(escape(lbl), justify="right")
        table.add_column("Δ", justify="right")
        table.add_column("Δ%", justify="right")
        if with_ci:
            table.add_column(_ci_head(cmp), justify="right")
        if with_p:
            table.add_column("p", justify="right")
    if cmp.gates:
        table.add_column("gate")
    for row in cmp.rows:
        cells = [escape(row.name), fmt_value(row, row.values[0], row.states[0])]
        for v, s, c in zip(row.values[1:], row.states[1:], row.changes, strict=True):
            style = _STYLE[verdict(row, c)]
            a, r = fmt_change(row, c)
            cells += [fmt_value(row, v, s)] + [f"[{style}]{x}[/]" if style and x else x
                                               for x in (a, r)]
            if with_ci:
                cells.append(fmt_ci(c))
            if with_p:
                cells.append(fmt_p(c))
        if cmp.gates:
            gate = _gate_cell(cmp, row)
            cells.append("[bold red]FAIL[/]" if gate == "FAIL" else gate)
        table.add_row(*cells)
    console.print(table)
    for line in _summary(cmp):
        console.print(escape(line), style="red" if not cmp.passed else "green")
