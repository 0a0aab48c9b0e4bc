"""What keeps `nnbench compare` fast on large runs: streamed JSON, the plain table for many
rows, slim loading, and a per-family direction cache (behaviour, not timings: see
perf/compare_scale.py)."""

import io
import json

import pytest
from nnbench.compare import compare, load_run, to_json, write_json
from nnbench.compare import format as fmt
from nnbench.compare.rows import UNUSED_KEYS
from nnbench.reporter.files import JSONReporter
from nnbench.store.results import ResultsStore
from nnbench.types import BenchmarkRecord
from rich.console import Console


def result(name, value, **extra):
    return {"name": name, "function": "score", "description": "a score", "value": value,
            "unit": "", "parameters": {"i": 1}, "tags": ["t"], "time_ns": 5,
            "error_occurred": False, "error_type": None, "error_message": None,
            "traceback": None, **extra}


def runs(n=30):
    base = BenchmarkRecord("base", {}, [result(f"score_i={i}", 0.5) for i in range(n)], "b" * 32, 1.0)
    cand = BenchmarkRecord("cand", {}, [result(f"score_i={i}", 0.5 - (0.1 if i % 10 == 0 else 0))
                                        for i in range(n)], "c" * 32, 2.0)
    return base, cand


def test_json_has_one_line_per_row_and_streams_the_same_text():
    cmp = compare(runs(), ["score_*>=-0.01"])
    text = to_json(cmp)
    doc = json.loads(text)
    assert len(doc["rows"]) == 30 and len(doc["failures"]) == 3 and doc["passed"] is False
    lines = text.splitlines()
    assert sum(line.startswith('    {"name": "score_i=') for line in lines) == 30
    assert doc["rows"][0]["gate"] == "FAIL" and doc["rows"][1]["gate"] == "ok"
    out = io.StringIO()
    write_json(cmp, out)
    assert out.getvalue() == text + "\n"
    empty = json.loads(to_json(compare([runs()[0], runs()[0]])))
    assert empty["failures"] == [] and empty["gates"] == []


def test_many_rows_print_as_aligned_text_with_the_same_cells(monkeypatch):
    cmp = compare(runs(), ["score_*>=-0.01"])
    small = io.StringIO()
    fmt.print_table(cmp, Console(file=small, width=200))
    monkeypatch.setattr(fmt, "RICH_ROWS", 5)
    big = io.StringIO()
    fmt.print_table(cmp, Console(file=big, width=200))
    lines = big.getvalue().splitlines()
    assert lines[0] == "compare base → cand"
    assert lines[1].split() == ["benchmark", "base", "cand", "Δ", "Δ%", "gate"]
    first = lines[3].split()
    assert first == ["score_i=0", "0.5", "0.4", "-0.1", "-20.00%", "FAIL"]
    assert lines[4].split()[-1] == "ok"
    assert "3 gate failure(s):" in big.getvalue() and "\x1b[" not in big.getvalue()
    for cell in ("score_i=0", "-20.00%", "FAIL"):
        assert cell in small.getvalue()


def test_slim_loading_leaves_out_what_compare_never_reads(tmp_path):
    base, cand = runs()
    db = ResultsStore(tmp_path / "s.db")
    db.append(base)
    db.close()
    JSONReporter().write([cand], str(tmp_path / "cand.json"))
    for ref in ("base", str(tmp_path / "cand.json")):
        full = load_run(ref, str(tmp_path / "s.db"))
        slim = load_run(ref, str(tmp_path / "s.db"), slim=True)
        assert set(full.benchmarks[0]) - set(slim.benchmarks[0]) == set(UNUSED_KEYS)
        assert slim.benchmarks[0]["value"] == full.benchmarks[0]["value"]
    db = ResultsStore(tmp_path / "s.db", create=False)
    try:
        assert "traceback" not in db.record("base", drop=("traceback",)).benchmarks[0]
        assert db.record("base").benchmarks == base.benchmarks
    finally:
        db.close()


def test_family_members_share_their_direction():
    rows = compare(runs(), []).rows
    assert {(r.better, r.timing) for r in rows} == {("higher", False)}
    base = BenchmarkRecord("b", {}, [result("latency_ms_i=1", 2.0, unit="ms"),
                                     result("f1_per_class_x=1", 0.5, better="lower")], "b", 0)
    rows = compare([base, base]).rows
    assert [(r.better, r.timing) for r in rows] == [("lower", True), ("lower", False)]


@pytest.mark.parametrize("hint", [["higher"], {"x": 1}])
def test_odd_direction_hints_in_files_do_not_break_compare(hint):
    base = BenchmarkRecord("b", {}, [result("acc", 0.5, better=hint)], "b", 0)
    assert compare([base, base]).rows[0].better == "higher"  # the name decides
