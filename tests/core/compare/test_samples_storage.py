"""Per-sample outcomes survive the results store and every result file; --no-samples drops them."""

import json

import pytest
from nnbench.compare import load_run
from nnbench.reporter.files import dumps_indented

from ..helpers import nnbench, write

SUITE = """
import nnbench

@nnbench.benchmark
def f1():
    return nnbench.Samples("f1", list(range(50)), tp=[i % 3 for i in range(50)],
                           fp=[i % 2 for i in range(50)], fn=[[1, 0]] * 50)

@nnbench.benchmark(memory=True)
def plain():
    return 1.5
"""
FORMATS = ["json", "ndjson", "csv", "yaml", "parquet", "json.gz"]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("samples")
    write(tmp / "b.py", SUITE)
    outs = [a for f in FORMATS for a in ("-o", f"r.{f}")]
    proc = nnbench("run", "b.py", "--name", "with", "--store", "s.db", "-q", *outs, cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    proc = nnbench("run", "b.py", "--name", "without", "--store", "s.db", "-q", "--no-samples",
                   "-o", "small.json", cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    return tmp


def expected():
    return {"statistic": "f1", "ids": list(range(50)),
            "counts": {"tp": [i % 3 for i in range(50)], "fp": [i % 2 for i in range(50)],
                       "fn": [[1, 0]] * 50}}


@pytest.mark.parametrize("where", ["with", *[f"r.{f}" for f in FORMATS]])
def test_samples_survive(project, where):
    rec = load_run(str(project / where) if "." in where else where, str(project / "s.db"))
    f1, plain = rec.benchmarks
    assert f1["samples"] == expected()
    assert "samples" not in plain and plain["value"] == 1.5
    assert isinstance(plain.get("memory"), dict)  # a dict again, in tables too


def test_no_samples_flag_leaves_them_out_of_store_and_files(project):
    rec = load_run("without", str(project / "s.db"))
    assert "samples" not in rec.benchmarks[0] and rec.benchmarks[0]["value"] > 0
    doc = json.loads((project / "small.json").read_text())
    assert "samples" not in doc["benchmarks"][0]
    assert (project / "small.json").stat().st_size < (project / "r.json").stat().st_size - 500


def test_json_file_is_indented_with_samples_on_one_line(project):
    text = (project / "r.json").read_text()
    line = next(x for x in text.splitlines() if '"samples"' in x)
    assert line.strip().startswith('"samples": {"statistic":"f1","ids":[0,1,2')
    assert '\n  "run"' in text


def test_dumps_indented_is_json_dumps_with_compact_samples():
    doc = {"run": "x", "benchmarks": [{"name": "a", "samples": {"ids": [1, 2]}}, {"name": "b"}]}
    assert json.loads(dumps_indented(doc)) == doc
    assert json.loads(dumps_indented([doc, doc])) == [doc, doc]
    assert dumps_indented({"run": "y", "benchmarks": []}) == json.dumps(
        {"run": "y", "benchmarks": []}, indent=2)
    assert doc["benchmarks"][0]["samples"] == {"ids": [1, 2]}  # not modified
