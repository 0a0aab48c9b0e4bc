"""nnbench's reporter contract, the table's content, and a real ``nnbench run --output``."""

from __future__ import annotations

import json
import textwrap

from nnbench.testing import ReporterContract, sample_records
from nnbench_markdown.render import cell, render


class TestMarkdownReporter(ReporterContract):
    plugin = "nnbench_markdown.plugin"
    plugin_name = "markdown"
    destination = "summary.md"

    def check_written(self, path, records):
        text = path.read_text(encoding="utf-8")
        for record in records:
            assert f"### nnbench run `{cell(record.run)}`" in text
            for bm in record.benchmarks:
                assert f"| {cell(bm['name'])} |" in text


def test_table_rows():
    text = render(sample_records())
    assert "| accuracy | 0.9375 | ratio | 1.23 µs |" in text
    assert "| broken | ❌ `ValueError: bad input` |" in text
    assert "**1 of 2 benchmarks failed.**" in text
    assert "git `abc123`" in text and "model `hf:org/model@main`" in text


def test_cells_cannot_break_the_table():
    assert cell("a|b\nc") == "a\\|b<br>c"


def test_plugin_is_listed(nnbench_cli):
    result = nnbench_cli("plugins", "--json")
    assert result.exit_code == 0, result
    mine = {p["name"]: p for p in json.loads(result.stdout)}["markdown"]
    assert mine["reporters"] == [".md"] and mine["distribution"] == "nnbench-markdown"


def test_run_writes_summary(nnbench_cli, tmp_path):
    (tmp_path / "bench.py").write_text(textwrap.dedent("""
        import nnbench

        @nnbench.benchmark
        def answer() -> int:
            return 42
    """))
    result = nnbench_cli("run", "bench.py", "--output", "summary.md", "--quiet")
    assert result.exit_code == 0, result
    assert "| answer | 42 |" in (tmp_path / "summary.md").read_text(encoding="utf-8")
