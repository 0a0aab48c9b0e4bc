"""benchmark.py through nnbench: every metric, one evaluation pass, runner.py, the CLI."""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys
import weakref

import artifacts
import inference
import pytest
from conll import ENTITY_TYPES, LABELS
from nnbench import BenchmarkRunner


@pytest.fixture(scope="module")
def record(example_dir):
    """One run of the whole suite on the bundled model and the validation split."""
    data = artifacts.CoNLLDataset(example_dir / "data" / "validation.txt")
    model = artifacts.TokenClassificationModel(example_dir / "model")
    calls = []
    original = inference.evaluate
    inference.evaluate = lambda *a, **k: calls.append(1) or original(*a, **k)
    try:
        with model:
            rec = BenchmarkRunner().run(example_dir / "benchmark.py", params={"model": model, "data": data})
    finally:
        inference.evaluate = original
    return rec, len(calls)


def values(rec) -> dict:
    return {b["name"]: b["value"] for b in rec.benchmarks}


def test_every_benchmark_succeeds_and_one_pass_feeds_them_all(record):
    rec, passes = record
    assert [b["name"] for b in rec.benchmarks if b["error_occurred"]] == []
    assert passes == 1


def test_all_metric_families_are_present(record):
    names = set(values(record[0]))
    for base in ("precision", "recall", "f1", "accuracy"):
        assert base in names
        assert {f"{base}_per_class_class_label={label}" for label in LABELS} <= names
    for base in ("seqeval_precision", "seqeval_recall", "seqeval_f1"):
        assert {base, base.replace("seqeval_", "seqeval_strict_")} <= names
        assert {f"{base}_per_type_entity_type={t}" for t in ENTITY_TYPES} <= names
    assert {
        "seqeval_accuracy", "parameter_count", "weights_size_mb", "memory_footprint_mb",
        "peak_rss_mb", "model_config", "latency_median_ms", "latency_p90_ms",
        "throughput_sentences_per_s", "throughput_words_per_s", "threads", "truncated_sentences",
    } <= names


def test_metric_values_match_the_bundled_model(record):
    found = values(record[0])
    assert found["seqeval_f1"] >= 0.9
    assert 0 < found["f1"] <= 1 and found["truncated_sentences"] == 0
    assert found["model_config"]["id2label"]["0"] == "O"
    assert next(b for b in record[0].benchmarks if b["name"] == "model_config")["tags"] == ["model-meta", "config"]
    assert found["parameter_count"] > 0 and found["peak_rss_mb"] > 0


def test_runner_script_with_two_models_releases_each_before_the_next(example_dir, tmp_path):
    import runner

    copy = shutil.copytree(example_dir / "model", tmp_path / "copy")
    alive: list[weakref.ref] = []
    original = artifacts.TokenClassificationModel.deserialize

    def tracking(self):
        gc.collect()
        assert all(ref() is None for ref in alive), "the previous model is still in memory"
        original(self)
        alive.append(weakref.ref(self._value[0]))

    artifacts.TokenClassificationModel.deserialize = tracking
    try:
        first, second = runner.main([str(example_dir / "model"), str(copy)], tags=("seqeval",),
                                    store=None)
    finally:
        artifacts.TokenClassificationModel.deserialize = original
    assert len(alive) == 2
    gc.collect()
    assert alive[1]() is None
    assert values(first) == values(second) and values(first)["seqeval_f1"] > 0.9
    specs = [r.context["artifacts"]["model"]["spec"] for r in (first, second)]
    assert specs == [str(example_dir / "model"), str(copy)]


def test_cli_runs_the_example_offline_on_the_bundled_default(example_dir, tmp_path):
    out = tmp_path / "out.json"
    proc = subprocess.run(
        [sys.executable, "-m", "nnbench", "run", str(example_dir), "--output", str(out)],
        capture_output=True, text=True, cwd=tmp_path, env={**__import__("os").environ, "HF_HUB_OFFLINE": "1"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    loaded = json.loads(out.read_text())
    rec = loaded[0] if isinstance(loaded, list) else loaded
    by_name = {b["name"]: b for b in rec["benchmarks"]}
    assert not any(b["error_occurred"] for b in by_name.values())
    assert by_name["seqeval_f1"]["value"] > 0.85
    assert rec["context"]["artifacts"]["model"]["path"] == str(example_dir / "model")
    assert rec["context"]["artifacts"]["data"]["path"].endswith("test.txt")
