"""Upstream nnbench 0.5.0's Python API, unchanged: the README example, collect/run,
Parameters, context providers, ConsoleReporter and FileReporter."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import nnbench
import pytest
from nnbench.context import CPUInfo, GitEnvironmentInfo, PythonInfo
from nnbench.errors import ReporterError
from nnbench.reporter import ConsoleReporter, FileReporter

from .helpers import PROJECT, README_EXAMPLE, copy_project


def test_the_readme_example_runs_unchanged_and_prints_its_table(tmp_path):
    proc = subprocess.run([sys.executable, str(README_EXAMPLE)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip()
            for line in proc.stdout.splitlines() if line.startswith("│")}
    assert rows == {"product": "20", "power": "1024"}
    assert '{"a":2,"b":10}' in proc.stdout  # the parameters column, as upstream shows
    assert list(tmp_path.iterdir()) == [] and proc.stderr == ""  # no store, no warning


def test_collect_filters_by_tag_and_run_uses_conf_fixtures(tmp_path):
    project = copy_project(tmp_path)
    benchmarks = nnbench.collect(project / "benchmarks", tags=("model",))
    assert [b.name for b in benchmarks] == ["accuracy", "top_k_k=1", "top_k_k=2"]
    record = nnbench.run(benchmarks, name="models")
    assert record.run == "models"
    assert {r["name"]: r["value"] for r in record.benchmarks} == {
        "accuracy": 1.0, "top_k_k=1": 8, "top_k_k=2": 6}
    everything = nnbench.run(nnbench.collect(project / "benchmarks"), params={"b": 10})
    values = {r["name"]: r["value"] for r in everything.benchmarks}
    assert values["add"] == 13 and values["sub"] == -7 and values["rows"] == 4  # a=3 from conf


def test_typed_parameters_and_context_providers():
    @dataclasses.dataclass(frozen=True)
    class MyParams(nnbench.Parameters):
        a: int
        b: int

    @nnbench.benchmark
    def prod(a: int, b: int) -> int:
        return a * b

    def platinfo() -> dict[str, str]:
        return {"cpuarch": "test-arch"}

    record = nnbench.run(prod, params=MyParams(a=3, b=4),
                         context=[platinfo, PythonInfo(packages=["rich", "no-such-dist"]),
                                  GitEnvironmentInfo(), CPUInfo(memunit="GB")])
    assert record.benchmarks[0]["value"] == 12
    ctx = record.context
    assert ctx["cpuarch"] == "test-arch"
    assert ctx["python"]["packages"]["no-such-dist"] == "" and ctx["python"]["packages"]["rich"]
    assert {"commit", "tag", "repository", "dirty"} <= set(ctx["git"])
    assert ctx["cpu"]["memory_unit"] == "GB" and ctx["cpu"]["num_logical_cpus"] >= 1
    json.dumps(record.to_json())  # upstream's name for to_dict


def test_git_info_never_records_credentials(tmp_path, monkeypatch):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin",
                    "https://alice:s3cr3t-token@git.example.com/team/models.git"], check=True)
    monkeypatch.chdir(tmp_path)
    info = GitEnvironmentInfo()()["git"]
    assert info["provider"] == "git.example.com" and info["repository"] == "team/models"
    assert "s3cr3t" not in json.dumps(info) and "alice" not in json.dumps(info)


def test_file_reporter_round_trips_and_reads_upstream_files(tmp_path, capsys):
    upstream = FileReporter().read(PROJECT / "results" / "upstream.ndjson")
    assert [(r.run, r.context) for r in upstream] == [("nnbench-3ff188b4", {"foo": "bar"})]
    assert [(b["name"], b["value"]) for b in upstream[0].benchmarks] == [("add", 5), ("sub", 1)]
    other = FileReporter().read(str(PROJECT / "results" / "upstream.json"))
    assert [b["value"] for b in other[0].benchmarks] == [6, 0]
    for ext in (".json", ".ndjson", ".yaml", ".csv"):
        FileReporter().write(upstream[0], tmp_path / f"out{ext}")
        again = FileReporter().read(tmp_path / f"out{ext}")
        assert [b["value"] for b in again[0].benchmarks] == [5, 1], ext
    ConsoleReporter().write(upstream[0])
    assert "add" in capsys.readouterr().out
    with pytest.raises(ReporterError, match="cannot be read back"):
        ConsoleReporter().read("-")


def test_nnbench_collect_stays_the_function_after_the_submodule_is_imported():
    import importlib

    importlib.import_module("nnbench.collect")
    assert callable(nnbench.collect) and nnbench.collect.__module__ == "nnbench.functional"
