"""Comparing runs: rows per benchmark, direction, Mann–Whitney for timings, gates, formats."""

from __future__ import annotations

from nnbench.compare.format import print_table, to_json, to_markdown, verdict
from nnbench.compare.rows import (
    ALPHA,
    Change,
    Comparison,
    Gate,
    GateFailure,
    Row,
    build_rows,
    check_gates,
    compare,
    labels_for,
    load_run,
)

__all__ = ["ALPHA", "Change", "Comparison", "Gate", "GateFailure", "Row", "build_rows",
           "check_gates", "compare", "labels_for", "load_run", "print_table", "to_json",
           "to_markdown", "verdict"]
