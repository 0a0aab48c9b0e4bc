"""Per-sentence outcomes of the NER example: they recompute every quality metric, and
`nnbench compare` finds the bundled model equal to itself and a perturbed copy worse."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conll import ENTITY_TYPES, LABELS
from nnbench import Samples, Session
from nnbench.compare import load_run

pytestmark = pytest.mark.slow

SCALE = 0.5  # noise per weight, times the tensor's standard deviation: seqeval F1 0.92 -> 0.90


def perturbed_copy(model_dir, dest):
    """The bundled model with Gaussian noise added to every weight tensor (seeded)."""
    import torch
    from safetensors.torch import load_file, save_file

    shutil.copytree(model_dir, dest)
    weights = load_file(model_dir / "model.safetensors")
    gen = torch.Generator().manual_seed(0)
    noisy = {k: v + SCALE * v.std() * torch.randn(v.shape, generator=gen)
             if v.is_floating_point() and v.numel() > 1 else v for k, v in weights.items()}
    save_file(noisy, dest / "model.safetensors", metadata={"format": "pt"})
    return dest


@pytest.fixture(scope="module")
def store(example_dir, tmp_path_factory):
    """Quality metrics of the bundled model twice and of a perturbed copy, in one store."""
    tmp = tmp_path_factory.mktemp("ner-compare")
    perturbed = perturbed_copy(example_dir / "model", tmp / "perturbed")
    session = Session(store=tmp / "s.db")
    for name, model in (("base", example_dir / "model"), ("again", example_dir / "model"),
                        ("perturbed", perturbed)):
        session.run([example_dir / "benchmark.py"], loaders=[f"model={model}"], tags=["metric"],
                    name=name)
    return tmp


@pytest.fixture(scope="module")
def record(store, example_dir):
    from conll import read_conll

    return load_run("base", str(store / "s.db")), len(read_conll(example_dir / "data" / "test.txt"))


def test_every_quality_metric_has_outcomes_that_recompute_it(record):
    rec, sentences = record
    with_samples = [b for b in rec.benchmarks if "samples" in b]
    expected = {"precision", "recall", "f1", "accuracy", "seqeval_accuracy"}
    expected |= {f"{m}_per_class_class_label={label}" for m in ("precision", "recall", "f1", "accuracy")
                 for label in LABELS}
    for m in ("precision", "recall", "f1"):
        expected |= {f"seqeval_{m}", f"seqeval_strict_{m}"}
        expected |= {f"seqeval_{m}_per_type_entity_type={t}" for t in ENTITY_TYPES}
    assert {b["name"] for b in with_samples} == expected and len(expected) == 59
    for b in with_samples:
        samples = Samples.from_dict(b["samples"])
        assert samples.ids == list(range(sentences))
        assert samples.compute() == pytest.approx(b["value"], abs=1e-12), b["name"]


def test_macro_metrics_carry_one_column_per_label(record):
    rec, _ = record
    f1 = next(b for b in rec.benchmarks if b["name"] == "f1")["samples"]
    assert f1["statistic"] == "f1" and len(f1["counts"]["tp"][0]) == len(LABELS)
    accuracy = next(b for b in rec.benchmarks if b["name"] == "accuracy")["samples"]
    assert set(accuracy["counts"]) == {"correct", "total"}


def nnbench_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "nnbench", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_bundled_model_against_itself_is_not_significant(store):
    proc = nnbench_cli("compare", "base", "again", "--store", "s.db", "--format", "json",
                       "--gate", "*>=-0.005", cwd=store)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = json.loads(proc.stdout)["rows"]
    changes = [r["changes"]["again"] for r in rows]
    assert len(changes) == 59 + 1  # and predicted_i_starts, without outcomes
    tested = [c for c in changes if c["test"]]
    assert len(tested) == 59
    assert all(c["pvalue"] == 1.0 and not c["significant"] and c["ci"] == [0.0, 0.0] for c in tested)


def test_perturbed_model_is_significantly_worse_and_fails_the_gate(store):
    proc = nnbench_cli("compare", "base", "perturbed", "--store", "s.db", "--format", "json",
                       "--gate", "seqeval_f1>=-0.005", cwd=store)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    doc = json.loads(proc.stdout)
    f1 = next(r for r in doc["rows"] if r["name"] == "seqeval_f1")["changes"]["perturbed"]
    assert f1["significant"] and f1["verdict"] == "worse" and f1["test"] == "permutation"
    assert f1["ci"][0] <= f1["absolute"] <= f1["ci"][1] < -0.005
    assert [f["benchmark"] for f in doc["failures"]] == ["seqeval_f1"]
    assert proc.stderr.strip() == "error: 1 gate failure(s)"
