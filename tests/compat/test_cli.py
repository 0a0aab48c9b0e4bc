"""Upstream nnbench 0.5.0's command line on an upstream-style project: conf.py fixtures,
[tool.nnbench] (log level, context providers), comparison files, -C/-E, the spellings
--output-file, --log-level, --version; plus this project's defaults in [tool.nnbench]."""

from __future__ import annotations

import json
import sqlite3

import pytest

from .helpers import README_EXAMPLE, copy_project, nnbench


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path)


def _values(path):
    doc = json.loads(path.read_text())
    return {b["name"]: b["value"] for b in doc["benchmarks"]}, doc["context"]


@pytest.mark.parametrize("jobs", [[], ["-j", "2"]])
def test_run_with_fixtures_and_configured_providers(project, jobs):
    res = nnbench("run", "benchmarks", "--context=provider=myctx", "--context", "team=ml",
                  "--output-file", "out.json", "--no-store", *jobs, cwd=project,
                  env={"FOO": "from-env"})
    assert res.returncode == 0, res.stderr
    values, context = _values(project / "out.json")
    assert values == {"add": 5, "sub": 1, "rows": 4, "accuracy": 1.0, "top_k_k=1": 8,
                      "top_k_k=2": 6}
    assert set(context["python"]["packages"]) == {"rich", "pyyaml"}  # myctx: PythonInfo
    assert context["foo"] == "from-env" and context["team"] == "ml"  # foo: a function
    assert "provider" not in context
    assert "[DEBUG nnbench.fixtures] calling fixture data" in res.stderr  # log-level = DEBUG


def test_the_readme_example_runs_unchanged_through_the_cli(tmp_path):
    res = nnbench("run", str(README_EXAMPLE), "--param", "a=2", "--param", "b=10", "-o",
                  "out.json", "--no-store", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert _values(tmp_path / "out.json")[0] == {"product": 20, "power": 1024}


def test_log_level_option_beats_the_table_and_version(project):
    res = nnbench("run", "benchmarks", "--log-level", "WARNING", "--no-store", "-q",
                  "-t", "data", "-n", "tagged", "-o", "out.json", cwd=project)
    assert res.returncode == 0, res.stderr
    assert "DEBUG" not in res.stderr
    assert _values(project / "out.json")[0] == {"rows": 4}
    assert json.loads((project / "out.json").read_text())["run"] == "tagged"
    version = nnbench("--version", cwd=project)
    assert version.returncode == 0 and version.stdout.startswith("nnbench version ")
    bad = nnbench("--log-level", "LOUD", "run", "benchmarks", cwd=project)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert bad.stderr.startswith("error: --log-level LOUD: use one of")


def test_comparison_file_translates_onto_gates(project):
    ndjson, js = "results/upstream.ndjson", "results/upstream.json"  # written by nnbench 0.5.0
    res = nnbench("compare", ndjson, js, "--comparison-file", "comparisons.json",
                  "-C", "foo", "-E", "time_ns", "-P", "b", cwd=project)
    assert res.returncode == 1, res.stderr  # sub: |0 - 1| > 0.5, as upstream's docs show
    assert "sub>=-0.5" in res.stdout and "add: x ≥ y" in res.stdout
    assert "bar" in res.stdout and "baz" in res.stdout  # -C foo: one row per run
    assert "time_ns (nnbench-3ff188b4)" in res.stdout and "parameters.b" in res.stdout
    out = nnbench("compare", ndjson, js, "--comparison-file", "comparisons.json", "-C", "foo",
                  "--format", "json", cwd=project)
    doc = json.loads(out.stdout)
    assert [f["benchmark"] for f in doc["failures"]] == ["sub"]
    assert doc["context"] == {"nnbench-3ff188b4": {"foo": "bar"},
                              "nnbench-5cbb85f8": {"foo": "baz"}}
    (project / "loose.json").write_text(json.dumps({
        "add": {"class": "nnbench.compare.GreaterEqual"},
        "sub": {"class": "nnbench.compare.AbsDiffLessEqual", "kwargs": {"thresh": 1}}}))
    ok = nnbench("compare", ndjson, js, "--comparison-file", "loose.json", cwd=project)
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_a_comparison_gates_every_member_of_a_family(project):
    res = nnbench("run", "benchmarks", "-t", "model", "-o", "base.json", "--no-store", "-q",
                  cwd=project)
    assert res.returncode == 0, res.stderr
    doc = json.loads((project / "base.json").read_text())
    for bm in doc["benchmarks"]:
        bm["value"] = bm["value"] - 1 if bm["name"] == "top_k_k=2" else bm["value"]
    doc["run"] = "cand"
    (project / "cand.json").write_text(json.dumps(doc))
    (project / "family.json").write_text(json.dumps({"top_k": {
        "class": "nnbench.compare.GreaterEqual"}}))
    out = nnbench("compare", "base.json", "cand.json", "--comparison-file", "family.json",
                  "--format", "json", cwd=project)
    assert out.returncode == 1
    doc = json.loads(out.stdout)
    assert sorted(doc["gates"]) == ["top_k_k=1>=0", "top_k_k=2>=0"]
    assert [f["benchmark"] for f in doc["failures"]] == ["top_k_k=2"]


@pytest.mark.parametrize(("content", "message"), [
    ({"add": {"class": "my.Custom"}}, "has no gate translation"),
    ({"add": {"class": "nnbench.compare.AbsDiffLessEqual"}}, 'takes kwargs {"thresh": NUMBER}'),
    ({"nope": {"class": "nnbench.compare.LessEqual"}}, "'nope' matches no benchmark"),
    (["add"], "expected an object"),
])
def test_a_bad_comparison_file_is_one_line_exit_2(project, content, message):
    (project / "bad.json").write_text(json.dumps(content))
    res = nnbench("compare", "results/upstream.ndjson", "results/upstream.json",
                  "--comparison-file", "bad.json", cwd=project)
    assert res.returncode == 2 and res.stderr.count("\n") == 1, res.stderr
    assert res.stderr.startswith("error: --comparison-file") and message in res.stderr


PROFILE = """
[tool.nnbench]
store = "results/store.db"
outputs = ["results/profile.json", "results/profile.csv"]
executor = "processes:2"
loaders = ["doc=doc.txt"]
"""

DOC_BENCH = """
import nnbench
from nnbench import Artifact

@nnbench.benchmark
def length(doc: Artifact) -> int:
    return len(doc.path.read_text())
"""


def test_the_table_sets_this_projects_defaults_and_the_command_line_wins(tmp_path):
    (tmp_path / "pyproject.toml").write_text(PROFILE)
    (tmp_path / "results").mkdir()
    (tmp_path / "doc.txt").write_text("hello")
    (tmp_path / "other.txt").write_text("hi")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "doc_bench.py").write_text(DOC_BENCH)
    res = nnbench("run", "b", "-q", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    values, context = _values(tmp_path / "results" / "profile.json")
    assert values == {"length": 5} and context["execution"]["executor"] == "processes"
    assert (tmp_path / "results" / "profile.csv").exists()
    db = sqlite3.connect(tmp_path / "results" / "store.db")
    assert db.execute("SELECT COUNT(*) FROM runs").fetchone() == (1,)
    res = nnbench("run", "b", "-q", "--loader", "other.txt", "-o", "results/cli.json", "-j", "1",
                  "--store", "results/cli.db", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    values, context = _values(tmp_path / "results" / "cli.json")
    assert values == {"length": 2} and (tmp_path / "results" / "cli.db").exists()
    runs = nnbench("runs", "--json", cwd=tmp_path)  # the table's store for every command
    assert [r["name"] for r in json.loads(runs.stdout)] == [json.loads(
        (tmp_path / "results" / "profile.json").read_text())["run"]]


@pytest.mark.parametrize(("toml", "message"), [
    ("[tool.nnbench]\noutptus = ['x.json']\n", "unknown key 'outptus'; known keys:"),
    ("[tool.nnbench]\nlog-level = 'LOUD'\n", "log-level 'LOUD': use one of"),
    ("[tool.nnbench]\noutputs = 3\n", "outputs must be a list of strings"),
    ("[tool.nnbench]\ncontext = 'python'\n", "context must be tables"),
    ("[tool.nnbench.context.x]\nclasspath = 'no_such_module.Thing'\n",
     "cannot import no_such_module.Thing"),
    ("[tool.nnbench.context.x]\nclasspath = 'project_context.foo'\narguments = { a = 1 }\n",
     "is a function, which takes no arguments"),
    ("[tool.nnbench.context.x]\nclasspath = 'nnbench.context.PythonInfo'\n"
     "arguments = { nope = 1 }\n", "failed: TypeError"),
    ("[tool.nnbench\n", "is not valid TOML"),
])
def test_a_bad_table_is_one_clear_line_and_exit_2(project, toml, message):
    (project / "pyproject.toml").write_text(toml)
    res = nnbench("run", "benchmarks", "-o", "out.json", cwd=project)
    assert res.returncode == 2, res.stderr
    assert res.stderr.startswith("error: ") and res.stderr.count("\n") == 1, res.stderr
    assert message in res.stderr
    assert not (project / "out.json").exists() and not (project / ".nnbench").exists()


def test_a_failing_provider_is_a_warning_and_the_run_goes_on(project):
    (project / "project_context.py").write_text("def foo():\n    raise OSError('no disk')\n")
    res = nnbench("run", "benchmarks", "-o", "out.json", "--no-store", "-q", cwd=project)
    assert res.returncode == 0, res.stderr
    assert "warning: context provider 'foo' failed: OSError: no disk" in res.stderr
    assert _values(project / "out.json")[0]["add"] == 5
