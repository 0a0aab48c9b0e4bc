"""The report's data: compact results, families, thinned samples, provenance cut short."""

from __future__ import annotations

from nnbench.reporter.html.demo import synthetic_run
from nnbench.reporter.html.payload import (
    MAX_FILES,
    compact_context,
    compact_result,
    groups,
    run_payload,
    thin,
)


def test_thin_keeps_small_sample_sets_and_the_extremes_of_large_ones():
    assert thin([3.0, 1.0, 2.0], 5) == [3.0, 1.0, 2.0]
    big = list(range(1000, 0, -1))
    out = thin(big, 11)
    assert len(out) == 11 and out[0] == 1 and out[-1] == 1000 and out == sorted(out)


def test_compact_result_drops_empty_fields_and_keeps_errors_and_timing():
    rec = synthetic_run(rounds=500)
    by_name = {r["name"]: compact_result(r) for r in rec.benchmarks}
    plain = by_name["f1"]
    assert set(plain) == {"name", "function", "value", "tags", "time_ns"}
    broken = by_name["broken_metric"]
    assert broken["error"]["type"] == "ValueError" and "labels differ" in broken["error"]["message"]
    assert broken["error"]["traceback"].startswith("Traceback")
    timing = by_name["latency"]["timing"]
    assert timing["rounds"] == 500 and len(timing["samples"]) == 200
    assert timing["q1"] <= timing["median"] <= timing["q3"] and timing["iqr"] > 0


def test_a_huge_non_numeric_value_is_cut():
    out = compact_result({"name": "cfg", "value": {"k": "x" * 10_000}})
    assert isinstance(out["value"], str) and len(out["value"]) <= 4000
    assert compact_result({"name": "cfg", "value": {"layers": 2}})["value"] == {"layers": 2}


def test_groups_put_a_family_at_its_first_member():
    results = [{"name": "a", "function": "a"}, {"name": "f_x=1", "function": "f"},
               {"name": "b", "function": "b"}, {"name": "f_x=2", "function": "f"}]
    assert groups(results) == [[0], [1, 3], [2]]


def test_long_file_lists_are_cut_but_say_how_many_there_were():
    files = [{"path": f"shard-{i}", "size": 1} for i in range(MAX_FILES + 5)]
    ctx = compact_context({"artifacts": {"model": {"spec": "x", "files": files}}})
    model = ctx["artifacts"]["model"]
    assert len(model["files"]) == MAX_FILES and model["files_total"] == MAX_FILES + 5


def test_run_payload_counts_failures_and_groups_the_family():
    entry = run_payload(synthetic_run(members=50), "demo")
    assert entry["label"] == "demo" and entry["failed"] == 1
    sizes = sorted(len(g) for g in entry["groups"])
    assert sizes[-2:] == [9, 50]
