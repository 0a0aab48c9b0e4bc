"""History across the runs of a suite in the store, with compare's significant changes."""

from __future__ import annotations

import pytest
from nnbench.reporter.html import history
from nnbench.reporter.html.demo import synthetic_run, synthetic_store
from nnbench.reporter.html.history import build_history, suite_key
from nnbench.store import ResultsStore


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "results.db"
    records = synthetic_store(path, runs=6)
    return path, records


def test_each_benchmark_has_its_values_across_the_suite(store):
    path, records = store
    h = build_history(records[-1], path)
    assert [r["label"] for r in h["runs"]] == [f"nightly-{i}" for i in range(1, 7)]
    assert h["current"] == 5 and h["suite"] == {"model": "hf:demo/bert-tiny@main"}
    series = {s["name"]: s for s in h["series"]}
    f1 = series["f1"]
    assert f1["kind"] == "value"
    assert f1["values"] == [pytest.approx(r.benchmarks[2]["value"], rel=1e-6) for r in records]
    assert series["latency"]["kind"] == "time" and series["latency"]["unit"] == "ns"
    assert series["broken_metric"]["values"] == [None] * 6


def test_compares_significant_changes_are_marked_and_nothing_else(store):
    path, records = store
    h = build_history(records[-1], path)
    marked = {s["name"]: s["marks"] for s in h["series"] if s["marks"]}
    assert sorted(marked) == ["accuracy", "latency"]  # Mann-Whitney and the paired test
    (slower,) = marked["latency"]
    assert slower["i"] == 5 and slower["mark"] == "worse" and slower["p"] < 0.05
    assert slower["rel"] == pytest.approx(0.2, abs=0.05) and "ci" not in slower
    (less,) = marked["accuracy"]
    assert less["i"] == 5 and less["mark"] == "worse" and less["p"] < 0.05
    low, high = less["ci"]  # the paired difference's interval, below zero
    assert low < high < 0


def test_runs_of_another_suite_and_later_runs_are_left_out(store):
    path, records = store
    other = synthetic_run(name="other-model", seed=99, model="hf:demo/other@main",
                          timestamp=records[2].timestamp + 1)
    db = ResultsStore(path)
    db.append(other)
    db.close()
    h = build_history(records[3], path)
    assert [r["label"] for r in h["runs"]] == ["nightly-1", "nightly-2", "nightly-3", "nightly-4"]
    assert suite_key(other.context) != suite_key(records[0].context)
    assert build_history(other, path) is None  # alone in its suite


def test_limit_counts_the_reported_run(store):
    path, records = store
    assert len(build_history(records[-1], path, limit=3)["runs"]) == 3
    assert build_history(records[-1], path, limit=1) is None
    assert build_history(records[-1], None) is None


def test_a_run_from_a_file_joins_the_store_history(store):
    path, records = store
    newer = synthetic_run(name="from-file", seed=7, timestamp=records[-1].timestamp + 60)
    h = build_history(newer, path)
    assert h["runs"][-1]["label"] == "from-file" and len(h["runs"]) == 7


def test_without_sqlite_json_functions_the_result_is_the_same(store, monkeypatch):
    path, records = store
    expected = build_history(records[-1], path)
    monkeypatch.setattr(history, "_VALUES", "SELECT no_such_function(?)")
    assert build_history(records[-1], path) == expected


@pytest.mark.parametrize(("text", "value"), [
    ("[0.5,false]", 0.5), ("[12,false]", 12), ("[-1.5e-3,false]", -0.0015),
    ("[0.5,null]", 0.5), ("[0.5,true]", None), ('["0.5",false]', None), ("[true,false]", None),
    ("[null,false]", None), ('[{"a":1,"b":[2,3]},false]', None), (None, None),
])
def test_the_value_out_of_sqlites_pair(text, value):
    assert history._pair_value(text) == value


def test_outcomes_over_other_samples_get_no_mark_and_no_error(tmp_path):
    path = tmp_path / "results.db"
    records = synthetic_store(path, runs=2)
    last = records[-1]
    accuracy = next(b for b in last.benchmarks if b["name"] == "accuracy")
    accuracy["samples"]["ids"] = [i + 1000 for i in accuracy["samples"]["ids"]]  # new data set
    marks = {s["name"]: s["marks"] for s in build_history(last, path)["series"]}
    assert marks["accuracy"] == [] and marks["latency"]
