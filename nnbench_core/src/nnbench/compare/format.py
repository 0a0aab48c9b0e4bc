"""Render a ``Comparison``: a table, GitHub markdown, or JSON.

Colours are direction-aware: green when a candidate moved the good way, red the bad way, dim
for a change its test (Mann–Whitney, paired permutation, McNemar) calls noise; no colour where
the direction is unknown. Paired tests add the difference's confidence interval.

Output is produced row by row, so comparisons of many thousand rows stay fast and small: JSON
puts each row on one line, and a table of more than ``RICH_ROWS`` rows is drawn as aligned text
(rich lays out a table cell by cell, about a millisecond per row).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any, TextIO

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


RICH_ROWS = 2000


def _gate_cell(cmp: Comparison, row: Row, failed: set[str]) -> str:
    if row.name not in cmp.gated:
        return ""
    return "FAIL" if row.name in failed else "ok"


def _num(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else x


def _json_row(cmp: Comparison, row: Row, failed: set[str]) -> dict[str, Any]:
    return {
        "name": row.name, "metric": row.kind, "better": row.better, "timing": row.timing,
        "unit": row.unit,
        "values": dict(zip(cmp.labels, row.values, strict=True)),
        "states": dict(zip(cmp.labels, row.states, strict=True)),
        "changes": {
            lbl: None if c is None else {
                "absolute": c.absolute, "relative": _num(c.relative), "pvalue": c.pvalue,
                "significant": c.significant, "verdict": verdict(row, c), "test": c.test,
                "ci": None if c.ci is None else [c.ci[0], c.ci[1]],
            }
            for lbl, c in zip(cmp.labels[1:], row.changes, strict=True)
        },
        "gate": _gate_cell(cmp, row, failed) or None,
    }


def json_chunks(cmp: Comparison) -> Iterator[str]:
    """The JSON document in pieces: top-level keys indented, one line per row and failure."""
    failed = cmp.failed_rows()

    def field(key: str, value: Any, last: bool = False) -> str:
        return f"  {json.dumps(key)}: {json.dumps(value)}{'' if last else ','}\n"

    def listing(key: str, items: Iterator[dict[str, Any]], last: bool = False) -> Iterator[str]:
        yield f"  {json.dumps(key)}: ["
        sep = "\n"
        for item in items:
            yield f"{sep}    {json.dumps(item)}"
            sep = ",\n"
        yield ("\n  ]" if sep != "\n" else "]") + ("\n" if last else ",\n")

    yield "{\n"
    yield field("base", cmp.labels[0])
    yield field("candidates", cmp.labels[1:])
    yield field("runs", [{"label": lbl, "run": r.run, "run_id": r.run_id}
                         for lbl, r in zip(cmp.labels, cmp.records, strict=True)])
    yield from listing("rows", (_json_row(cmp, row, failed) for row in cmp.rows))
    yield field("gates", [g.text for g in cmp.gates])
    yield from listing("failures", ({"gate": f.gate.text, "benchmark": f.row, "run": f.run,
                                     "reason": f.reason} for f in cmp.failures))
    yield field("passed", cmp.passed)
    yield field("alpha", cmp.alpha, last=True)
    yield "}"


def to_json(cmp: Comparison) -> str:
    return "".join(json_chunks(cmp))


def write_json(cmp: Comparison, out: TextIO) -> None:
    """``to_json`` written piece by piece (no whole document in memory), ending in a newline."""
    batch: list[str] = []
    for chunk in json_chunks(cmp):
        batch.append(chunk)
        if len(batch) >= 1000:
            out.write("".join(batch))
            batch.clear()
    out.write("".join(batch) + "\n")


_MARK = {"better": " 🟢", "worse": " 🔴", "noise": " (noise)"}
_STYLE = {"better": "green", "worse": "red", "noise": "dim", "same": "", "": ""}


def _columns(cmp: Comparison) -> tuple[list[str], bool, bool]:
    """Header cells, and whether p-values and intervals are shown."""
    with_p, with_ci = _has_p(cmp), _has_ci(cmp)
    head = ["benchmark", cmp.labels[0]]
    for lbl in cmp.labels[1:]:
        head += [lbl, "Δ", "Δ%"] + ([_ci_head(cmp)] if with_ci else []) + (["p"] if with_p else [])
    if cmp.gates:
        head.append("gate")
    return head, with_p, with_ci


def _cells(cmp: Comparison, row: Row, failed: set[str], with_p: bool,
           with_ci: bool) -> list[tuple[str, str]]:
    """A row's cells as (text, verdict or gate state) pairs, in ``_columns`` order."""
    cells = [(row.name, ""), (fmt_value(row, row.values[0], row.states[0]), "")]
    for v, s, c in zip(row.values[1:], row.states[1:], row.changes, strict=True):
        mark = verdict(row, c)
        a, r = fmt_change(row, c)
        cells += [(fmt_value(row, v, s), ""), (a, mark), (r, mark)]
        if with_ci:
            cells.append((fmt_ci(c), ""))
        if with_p:
            cells.append((fmt_p(c), ""))
    if cmp.gates:
        gate = _gate_cell(cmp, row, failed)
        cells.append((gate, gate))
    return cells


def to_markdown(cmp: Comparison) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    head, with_p, with_ci = _columns(cmp)
    failed = cmp.failed_rows()
    lines = ["| " + " | ".join(cell(h) for h in head) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|"]
    for row in cmp.rows:
        cells = _cells(cmp, row, failed, with_p, with_ci)
        texts = [f"`{row.name}`"]
        for i, (text, mark) in enumerate(cells[1:], start=1):
            if mark == "FAIL":
                text = "**FAIL**"
            elif head[i] == "Δ%":
                text += _MARK.get(mark, "")
            texts.append(text)
        lines.append("| " + " | ".join(cell(c) for c in texts) + " |")
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


def _style(mark: str) -> str:
    return "bold red" if mark == "FAIL" else _STYLE.get(mark, "")


def print_table(cmp: Comparison, console: Any = None) -> None:
    """A rich table; more than ``RICH_ROWS`` rows: the same columns as aligned text."""
    from rich.markup import escape

    from nnbench.reporter.console import make_console

    console = console or make_console()
    title = f"compare {cmp.labels[0]} → {', '.join(cmp.labels[1:])}"
    head, with_p, with_ci = _columns(cmp)
    failed = cmp.failed_rows()
    if len(cmp.rows) > RICH_ROWS:
        _print_plain(cmp, console, title, head, failed, with_p, with_ci)
    else:
        from rich.table import Table

        table = Table(title=escape(title), title_justify="left")
        for i, name in enumerate(head):
            if i == 0:
                table.add_column(name, overflow="fold")
            else:
                table.add_column(escape(name), justify="left" if name == "gate" else "right")
        for row in cmp.rows:
            table.add_row(*(f"[{_style(m)}]{escape(t)}[/]" if _style(m) and t else escape(t)
                            for t, m in _cells(cmp, row, failed, with_p, with_ci)))
        console.print(table)
    for line in _summary(cmp):
        console.print(escape(line), style="red" if not cmp.passed else "green")


def _print_plain(cmp: Comparison, console: Any, title: str, head: list[str], failed: set[str],
                 with_p: bool, with_ci: bool) -> None:
    """Aligned columns written straight to the console's file (colours on a terminal only)."""
    from rich.style import Style

    rows = [_cells(cmp, row, failed, with_p, with_ci) for row in cmp.rows]
    widths = [max(len(h), *(len(r[i][0]) for r in rows)) for i, h in enumerate(head)]
    color = console.color_system if console.is_terminal and not console.no_color else None
    styles: dict[str, Style] = {}

    def paint(text: str, mark: str) -> str:
        style = _style(mark)
        if not color or not style or not text:
            return text
        if style not in styles:
            styles[style] = Style.parse(style)
        return styles[style].render(text, color_system=console._color_system)

    def line(cells: list[tuple[str, str]]) -> str:
        parts = [paint(t.ljust(w) if i == 0 or head[i] == "gate" else t.rjust(w), m)
                 for i, ((t, m), w) in enumerate(zip(cells, widths, strict=True))]
        return "  ".join(parts).rstrip() + "\n"

    out = console.file
    out.write(title + "\n" + line([(h, "") for h in head]))
    out.write("  ".join("-" * w for w in widths) + "\n")
    for start in range(0, len(rows), 1000):
        out.write("".join(line(cells) for cells in rows[start:start + 1000]))
    out.flush()
