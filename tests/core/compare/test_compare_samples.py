"""compare() and `nnbench compare` on metrics with per-sample outcomes: paired rows, gates that
fail only on significant changes, --alpha, json/markdown/table output, mismatched samples."""

import json

import pytest
from nnbench.compare import compare, to_json, to_markdown
from nnbench.compare.format import print_table, verdict
from nnbench.types import BenchmarkRecord

from ..helpers import nnbench, write

np = pytest.importorskip("numpy")
N = 400


def f1_result(name, tp, fp, fn):
    tp, fp, fn = (np.asarray(x) for x in (tp, fp, fn))
    value = 2 * tp.sum() / (2 * tp.sum() + fp.sum() + fn.sum())
    return {"name": name, "function": name, "value": float(value), "unit": "", "parameters": {},
            "tags": [], "time_ns": 0, "error_occurred": False, "error_type": None,
            "error_message": None, "traceback": None,
            "samples": {"statistic": "f1", "ids": list(range(len(tp))),
                        "counts": {"tp": tp.tolist(), "fp": fp.tolist(), "fn": fn.tolist()}}}


def runs():
    rng = np.random.default_rng(0)
    tp, fp, fn = rng.integers(1, 5, N), rng.integers(0, 2, N), rng.integers(0, 2, N)
    lost = rng.random(N) < 0.15  # the candidate misses an entity in 15% of sentences
    noise = rng.choice([-1, 0, 1], N, p=[0.02, 0.96, 0.02])  # one FP more or less, either way
    base = BenchmarkRecord("base", {}, [f1_result("seqeval_f1", tp, fp, fn),
                                        f1_result("noisy_f1", tp, fp, fn)], "b" * 32, 1.0)
    cand = BenchmarkRecord("cand", {}, [f1_result("seqeval_f1", tp - lost, fp, fn + lost),
                                        f1_result("noisy_f1", tp, np.maximum(fp + noise, 0), fn)], "c" * 32, 2.0)
    return base, cand


def test_rows_get_a_paired_test_and_interval():
    cmp = compare(runs())
    real, noisy = cmp.rows
    change = real.changes[0]
    assert change.test == "permutation" and change.significant
    assert change.ci[0] <= change.absolute <= change.ci[1] < 0
    assert verdict(real, change) == "worse"
    assert noisy.changes[0].significant is False and verdict(noisy, noisy.changes[0]) == "noise"


def test_gate_fails_only_on_a_significant_change_beyond_the_delta():
    cmp = compare(runs(), ["*f1>=-0.001"])
    assert [f.row for f in cmp.failures] == ["seqeval_f1"]  # noisy_f1 moved, within noise
    assert "p=" in cmp.failures[0].reason
    assert compare(runs(), ["*f1>=-0.5"]).passed


def test_alpha_sets_the_level():
    strict = compare(runs(), alpha=1e-9)
    assert strict.rows[0].changes[0].significant is False  # p is at least 1/10001
    assert strict.alpha == 1e-9


def test_samples_in_one_run_only_give_no_test():
    base, cand = runs()
    for r in cand.benchmarks:
        del r["samples"]
    change = compare([base, cand]).rows[0].changes[0]
    assert change.pvalue is None and change.ci is None and change.test is None


def test_json_markdown_and_table_show_the_interval(capsys):
    cmp = compare(runs())
    doc = json.loads(to_json(cmp))
    ch = doc["rows"][0]["changes"]["cand"]
    assert ch["test"] == "permutation" and len(ch["ci"]) == 2 and ch["significant"] is True
    assert doc["alpha"] == 0.05
    assert "95% CI" in to_markdown(cmp)
    print_table(cmp)
    assert "95% CI" in capsys.readouterr().out


SUITE = """
import os
import nnbench

N = 300
DROP = float(os.environ.get("DROP", "0"))
SHIFT = int(os.environ.get("SHIFT", "0"))


@nnbench.benchmark
def accuracy():
    correct = [int((i * 7919) % 10 < 8 and not (i % 100 < DROP * 100)) for i in range(N)]
    return nnbench.Samples("accuracy", range(SHIFT, N + SHIFT), correct=correct)
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cmp")
    write(tmp / "b.py", SUITE)
    for name, env in (("base", {}), ("same", {}), ("worse", {"DROP": "0.1"}),
                      ("other", {"SHIFT": "5"})):
        proc = nnbench("run", "b.py", "--name", name, "--store", "s.db", "-q", cwd=tmp, env=env)
        assert proc.returncode == 0, proc.stderr
    return tmp


def test_cli_same_model_is_not_significant_and_passes_the_gate(project):
    proc = nnbench("compare", "base", "same", "--store", "s.db", "--format", "json",
                   "--gate", "accuracy>=0", cwd=project)
    assert proc.returncode == 0, proc.stderr
    ch = json.loads(proc.stdout)["rows"][0]["changes"]["same"]
    assert ch["pvalue"] == 1.0 and ch["significant"] is False and ch["test"] == "mcnemar"


def test_cli_worse_model_fails_the_gate_with_exit_1(project):
    proc = nnbench("compare", "base", "worse", "--store", "s.db", "--gate", "accuracy>=-0.01",
                   cwd=project, env={"COLUMNS": "200"})
    assert proc.returncode == 1
    assert "FAIL" in proc.stdout and "95% CI" in proc.stdout
    proc = nnbench("compare", "base", "worse", "--store", "s.db", "--gate", "accuracy>=-0.01",
                   "--alpha", "0.0000001", cwd=project)
    assert proc.returncode == 0, proc.stdout  # not significant at that level: noise


def test_cli_different_samples_is_one_line_exit_2(project):
    proc = nnbench("compare", "base", "other", "--store", "s.db", cwd=project)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("error: accuracy: base and other have outcomes for different "
                                   "samples (10 sample id(s) in only one of them, of 300 and "
                                   "300); compare runs on the same data")


@pytest.mark.parametrize("flag", [["--alpha", "1.5"], ["--resamples", "0"]])
def test_cli_bad_alpha_or_resamples(project, flag):
    proc = nnbench("compare", "base", "same", "--store", "s.db", *flag, cwd=project)
    assert proc.returncode == 2 and proc.stderr.startswith("error: --")
