"""Comparing runs: rows per benchmark, direction, Mann–Whitney for timings, paired tests for
per-sample outcomes, gates, formats."""

from __future__ import annotations

from nnbench.compare.format import print_table, to_json, to_markdown, verdict, write_json
from nnbench.compare.paired import Pair, PairedResult, paired_tests
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
from nnbench.compare.upstream import AbsDiffLessEqual, GreaterEqual, LessEqual

__all__ = ["ALPHA", "AbsDiffLessEqual", "Change", "GreaterEqual", "LessEqual", "Comparison", "Gate", "GateFailure", "Pair", "PairedResult", "Row",
           "build_rows", "check_gates", "compare", "labels_for", "load_run", "paired_tests",
           "print_table", "to_json", "to_markdown", "verdict", "write_json"]
