"""``nnbench run``/``runs``/``compare`` end to end through a subprocess with a temp store."""

import json

import pytest

from ..helpers import nnbench, write

SUITE = """
import os, time
import nnbench

SLOW = float(os.environ.get("SLOW", "1"))
F1 = float(os.environ.get("F1", "0"))


def busy(ns):
    end = time.perf_counter_ns() + ns
    while time.perf_counter_ns() < end:
        pass


@nnbench.benchmark(repeat=25, warmup=2)
def latency_op():
    busy(int(300_000 * SLOW))


@nnbench.parametrize([{"label": "B-PER"}, {"label": "I-LOC"}])
def f1_per_class(label):
    return {"B-PER": 0.9, "I-LOC": 0.8}[label] - (F1 if label == "I-LOC" else 0)


@nnbench.benchmark(memory=True, unit="B")
def peak_buffer():
    return len(bytearray(4_000_000))
"""

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path):
    write(tmp_path / "bench.py", SUITE)
    store = str(tmp_path / "store.db")

    def run(name, **env):
        proc = nnbench("run", "bench.py", "--name", name, "--store", store, "-q",
                       "-o", f"{name}.json", cwd=tmp_path, env=env)
        assert proc.returncode == 0, proc.stderr
        return proc

    run("base")
    run("cand", SLOW="1.6", F1="0.02")
    run("same")
    return tmp_path, store


def compare(project, *args):
    tmp_path, store = project
    return nnbench("compare", *args, "--store", store, cwd=tmp_path, env={"COLUMNS": "200"})


def test_runs_lists_stored_runs(project):
    tmp_path, store = project
    proc = nnbench("runs", "--store", store, "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    runs = json.loads(proc.stdout)
    assert [r["name"] for r in runs] == ["base", "cand", "same"]
    assert all(r["benchmarks"] == 4 for r in runs)


def test_compare_table_and_passing_gates(project):
    proc = compare(project, "base", "same", "--gate", "f1_per_class*>=-0.005")
    assert proc.returncode == 0, proc.stderr
    for name in ("latency_op", "f1_per_class_label=B-PER", "f1_per_class_label=I-LOC"):
        assert name in proc.stdout
    assert "gate(s) passed" in proc.stdout


def test_failed_gates_name_their_rows_and_exit_1(project):
    proc = compare(project, "base", "cand", "--gate", "f1_per_class*>=-0.005",
                   "--gate", "latency*<=+5%", "--format", "markdown")
    assert proc.returncode == 1
    failures = [line for line in proc.stdout.splitlines() if line.startswith("- `")]
    assert any("f1_per_class_label=I-LOC" in line for line in failures)
    assert not any("f1_per_class_label=B-PER" in line for line in failures)
    assert any("latency_op" in line and "p=" in line for line in failures)
    assert "gate failure" in proc.stderr


def test_json_output_and_files_as_runs(project):
    tmp_path, _ = project
    proc = compare(project, "base.json", "cand", "same.json", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["candidates"] == ["cand", "same"]
    row = next(r for r in data["rows"] if r["name"] == "latency_op")
    assert row["metric"] == "time" and row["changes"]["cand"]["significant"] is True
    assert row["changes"]["cand"]["verdict"] == "worse"


@pytest.mark.parametrize("args, message", [
    (("base", "nope"), "no run 'nope'"),
    (("base", "cand", "--gate", "bleu*>=0"), "matches no benchmark"),
    (("base", "cand", "--gate", "f1>>0"), "PATTERN OP DELTA"),
])
def test_bad_input_is_one_line_and_exit_2(project, args, message):
    proc = compare(project, *args)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
