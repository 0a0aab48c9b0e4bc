"""compare(): rows per family member, direction, significance, gates, output formats."""

import json
import random

import pytest
from nnbench.compare import Gate, build_rows, compare, load_run
from nnbench.compare.direction import better, is_timing
from nnbench.compare.format import print_table, to_json, to_markdown, verdict
from nnbench.errors import UsageError
from nnbench.store.results import ResultsStore
from nnbench.types import BenchmarkRecord


def result(name, value=None, samples=None, **extra):
    r = {"name": name, "function": name.split("_")[0], "value": value, "unit": "",
         "parameters": {}, "tags": [], "time_ns": 0, "error_occurred": False,
         "error_type": None, "error_message": None, "traceback": None, **extra}
    if samples is not None:
        s = sorted(samples)
        r["timing"] = {"samples_ns": list(samples), "median_ns": s[len(s) // 2]}
        r["time_ns"] = s[len(s) // 2]
    return r


def timings(center, n=30, spread=10, seed=0):
    rng = random.Random(seed)
    return [center + rng.randint(-spread, spread) for _ in range(n)]


def record(name, results, run_id=None):
    return BenchmarkRecord(name, {}, results, run_id or f"{name}-0000id", 1.0)


@pytest.fixture
def runs():
    base = record("base", [
        result("seqeval_f1", 0.900),
        result("f1_per_class_label=B-PER", 0.90),
        result("f1_per_class_label=I-LOC", 0.80),
        result("latency_batch=1", samples=timings(1000, seed=1)),
        result("latency_batch=8", samples=timings(5000, seed=2)),
        result("memory_peak", 100.0),
    ])
    cand = record("cand", [
        result("seqeval_f1", 0.897),
        result("f1_per_class_label=B-PER", 0.90),
        result("f1_per_class_label=I-LOC", 0.75),
        result("latency_batch=1", samples=timings(1100, seed=3)),   # +10%, significant
        result("latency_batch=8", samples=timings(5003, seed=4)),   # within noise
        result("memory_peak", 90.0),
    ])
    return base, cand


def test_each_family_member_is_its_own_row(runs):
    rows = build_rows(list(runs))
    names = [r.name for r in rows]
    assert names == ["seqeval_f1", "f1_per_class_label=B-PER", "f1_per_class_label=I-LOC",
                     "latency_batch=1", "latency_batch=8", "memory_peak"]
    loc = rows[2]
    assert loc.values == [0.80, 0.75]
    assert loc.changes[0].absolute == pytest.approx(-0.05)
    assert loc.changes[0].relative == pytest.approx(-0.0625)


def test_time_rows_use_samples_and_mann_whitney(runs):
    rows = {r.name: r for r in build_rows(list(runs))}
    b1, b8 = rows["latency_batch=1"], rows["latency_batch=8"]
    assert b1.kind == "time" and b1.better == "lower" and b1.timing
    assert b1.changes[0].significant is True and b1.changes[0].pvalue < 1e-6
    assert b8.changes[0].significant is False
    assert verdict(b1, b1.changes[0]) == "worse"
    assert verdict(b8, b8.changes[0]) == "noise"
    assert verdict(rows["memory_peak"], rows["memory_peak"].changes[0]) == "better"
    assert verdict(rows["seqeval_f1"], rows["seqeval_f1"].changes[0]) == "worse"


def test_absolute_gate(runs):
    assert compare(runs, ["seqeval_f1>=-0.005"]).passed
    failed = compare(runs, ["seqeval_f1 >= -0.001"])
    assert [f.row for f in failed.failures] == ["seqeval_f1"]


def test_relative_gate_and_glob(runs):
    cmp = compare(runs, ["latency*<=+5%"])
    # batch=1 is +10% and significant; batch=8 is within noise, so it does not fail
    assert [f.row for f in cmp.failures] == ["latency_batch=1"]
    assert "+10" in cmp.failures[0].reason or "%" in cmp.failures[0].reason
    assert compare(runs, ["latency*<=+20%"]).passed


def test_gate_fails_only_the_family_member_that_regressed(runs):
    cmp = compare(runs, ["f1_per_class_*>=-0.01"])
    assert [f.row for f in cmp.failures] == ["f1_per_class_label=I-LOC"]


def test_timing_gate_without_samples_uses_the_change():
    base = record("a", [result("latency_s", 1.0)])
    cand = record("b", [result("latency_s", 1.2)])
    assert not compare([base, cand], ["latency_s<=+5%"]).passed


@pytest.mark.parametrize("text, parsed", [
    ("seqeval_f1>=-0.005", ("seqeval_f1", ">=", -0.005, False)),
    ("latency*<=+5%", ("latency*", "<=", 0.05, True)),
    (" f1_* > 0 ", ("f1_*", ">", 0.0, False)),
    ("x<1e-3", ("x", "<", 0.001, False)),
])
def test_gate_syntax(text, parsed):
    g = Gate.parse(text)
    assert (g.pattern, g.op, g.delta, g.relative) == pytest.approx(parsed)


@pytest.mark.parametrize("text", ["seqeval_f1", "x == 1", ">=1", "x>=abc", "x>=1%%"])
def test_bad_gate_is_a_usage_error(text):
    with pytest.raises(UsageError, match="PATTERN OP DELTA"):
        Gate.parse(text)


def test_pattern_matching_nothing_is_a_usage_error(runs):
    with pytest.raises(UsageError, match="matches no benchmark"):
        compare(runs, ["bleu*>=0"])


def test_missing_or_failed_gated_benchmark_fails(runs):
    base, cand = runs
    cand.benchmarks[0] = {**cand.benchmarks[0], "error_occurred": True, "value": None}
    cand.benchmarks.pop(1)
    cmp = compare([base, cand], ["seqeval_f1>=-1", "f1_per_class_label=B-PER>=-1"])
    reasons = {f.row: f.reason for f in cmp.failures}
    assert reasons == {"seqeval_f1": "error in candidate",
                       "f1_per_class_label=B-PER": "missing in candidate"}


def test_several_candidates_are_compared_with_base(runs):
    base, cand = runs
    third = record("third", [result("seqeval_f1", 0.95)])
    cmp = compare([base, cand, third], ["seqeval_f1>=-0.001"])
    assert cmp.labels == ["base", "cand", "third"]
    assert [(f.row, f.run) for f in cmp.failures] == [("seqeval_f1", "cand")]
    row = cmp.rows[0]
    assert len(row.changes) == 2 and row.changes[1].absolute == pytest.approx(0.05)
    missing = next(r for r in cmp.rows if r.name == "memory_peak")
    assert missing.states == ["ok", "ok", "missing"] and missing.changes[1] is None


def test_same_names_get_distinct_labels():
    a = record("nightly", [result("x", 1.0)], run_id="aaaaaaaa11")
    b = record("nightly", [result("x", 1.0)], run_id="bbbbbbbb22")
    assert compare([a, b]).labels == ["nightly#aaaaaaaa", "nightly#bbbbbbbb"]


@pytest.mark.parametrize("name, expected, timing", [
    ("seqeval_f1", "higher", False),
    ("f1_per_class_class_label=B-PER", "higher", False),
    ("accuracy", "higher", False),
    ("samples_per_second", "higher", False),
    ("latency_p90_s", "lower", True),
    ("inference_time_ms", "lower", True),
    ("peak_memory_bytes", "lower", False),
    ("eval_loss", "lower", False),
    ("model_name", None, False),
])
def test_direction_by_name(name, expected, timing):
    assert better(name) == expected
    assert is_timing(name) is timing


def test_direction_hint_and_unit_win_over_name():
    assert better("latency", {"better": "higher"}) == "higher"
    assert better("foo", {"unit": "ms"}) == "lower" and is_timing("foo", {"unit": "ms"})
    assert better("foo", {"unit": "tokens/s"}) == "higher"
    assert better("accuracy", kind="time") == "lower"


def test_markdown_output(runs):
    md = to_markdown(compare(runs, ["latency*<=+5%", "seqeval_f1>=-0.005"]))
    lines = md.splitlines()
    assert lines[0].startswith("| benchmark | base | cand | Δ | Δ% | p |")
    assert lines[1].startswith("|---|---:|")
    assert any(line.startswith("| `f1_per_class_label=I-LOC` | 0.8 | 0.75 | -0.05 | -6.25% 🔴")
               for line in lines)
    assert any("`latency_batch=8`" in line and "noise" in line for line in lines)
    assert any("`latency_batch=1`" in line and "**FAIL**" in line for line in lines)
    assert "**1 gate failure(s):**" in md
    assert "- `latency*<=+5%` latency_batch=1 (cand):" in md


def test_json_output(runs):
    data = json.loads(to_json(compare(runs, ["latency*<=+5%"])))
    assert data["base"] == "base" and data["candidates"] == ["cand"]
    assert data["passed"] is False
    assert data["failures"][0]["benchmark"] == "latency_batch=1"
    row = next(r for r in data["rows"] if r["name"] == "latency_batch=1")
    assert row["changes"]["cand"]["significant"] is True and row["gate"] == "FAIL"


def test_rich_table_renders(runs):
    from rich.console import Console

    console = Console(record=True, width=200)
    print_table(compare(runs, ["f1_per_class_*>=-0.01"]), console)
    text = console.export_text()
    assert "f1_per_class_label=I-LOC" in text and "FAIL" in text and "-6.25%" in text


def test_load_run_from_store_and_files(tmp_path, runs):
    base, cand = runs
    store = ResultsStore(tmp_path / "r.db")
    store.append(base)
    store.append(cand)
    store.close()
    assert load_run("cand", str(tmp_path / "r.db")).run == "cand"
    with pytest.raises(UsageError, match="no run 'nope'"):
        load_run("nope", str(tmp_path / "r.db"))
    with pytest.raises(UsageError, match="no results store"):
        load_run("base", str(tmp_path / "missing.db"))
    from nnbench.reporter.dispatch import write_records

    write_records([base, cand], str(tmp_path / "both.json"))
    with pytest.raises(UsageError, match="#RUN"):
        load_run(str(tmp_path / "both.json"))
    assert load_run(str(tmp_path / "both.json") + "#cand").run == "cand"
    write_records([cand], str(tmp_path / "one.ndjson"))
    assert load_run(str(tmp_path / "one.ndjson")).benchmarks[0]["name"] == "seqeval_f1"


def test_memory_metric_compares_peak_increase_and_gates_it():
    def mem(name, rss=None, cuda=None):
        memory = {"rss_method": "proc-clear-refs"}
        if rss is not None:
            memory["rss_peak_increase_bytes"] = rss
        if cuda is not None:
            memory["cuda_peak_increase_bytes"] = cuda
        return result(name, 1.0, memory=memory)

    base = record("base", [mem("load_model", rss=1000), mem("gpu_eval", rss=5, cuda=400),
                           result("plain", 1.0)])
    cand = record("cand", [mem("load_model", rss=1500), mem("gpu_eval", rss=50, cuda=400),
                           result("plain", 1.0)])
    rows = {r.name: r for r in build_rows([base, cand], metric="memory")}
    assert rows["load_model"].values == [1000.0, 1500.0] and rows["load_model"].unit == "B"
    assert rows["load_model"].better == "lower"
    assert rows["gpu_eval"].values == [400.0, 400.0]  # CUDA's peak wins where measured
    assert rows["plain"].states == ["no memory", "no memory"]
    failed = compare([base, cand], gates=["load_*<=+10%"], metric="memory")
    assert [f.row for f in failed.failures] == ["load_model"]
