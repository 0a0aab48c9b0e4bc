"""Outputs and the store are checked before a run: a folder the OS refuses, a missing folder."""

from __future__ import annotations

import os
import sys

import pytest
from nnbench.testing import CLIRunner

from tests.core.helpers import write

BENCH = """
    import nnbench

    @nnbench.benchmark
    def one() -> int:
        return 1
"""


@pytest.fixture
def cli(tmp_path):
    write(tmp_path / "bench_one.py", BENCH)
    return CLIRunner(cwd=tmp_path)


def _entries(path):
    return sorted(p.name for p in path.iterdir())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc")
@pytest.mark.parametrize("dest", ["/proc/r.json", "sqlite:////proc/r.db"])
def test_a_folder_the_os_refuses_fails_before_the_run(cli, dest):
    """/proc is a directory os.access calls writable for root; creating a file there fails."""
    res = cli("run", "bench_one.py", "--no-store", "-o", dest)
    assert res.exit_code == 2 and res.stdout == "", res  # nothing ran
    assert res.stderr.count("\n") == 1 and "refuses new files" in res.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc")
def test_a_store_the_os_refuses_fails_before_the_run(cli):
    res = cli("run", "bench_one.py", "--store", "/proc/nnbench.db")
    assert res.exit_code == 2 and res.stdout == "" and "refuses new files" in res.stderr, res


@pytest.mark.parametrize("args", [
    ("--store", "sqlite:///missing/dir/x.db"),
    ("--store", "missing/x.db"),
    ("-o", "missing/r.json"),
    ("-o", "sqlite:///missing/r.db"),
    ("--no-store", "-o", "missing/r.json"),
])
def test_a_missing_folder_is_refused_for_the_store_and_outputs_alike(cli, tmp_path, args):
    before = _entries(tmp_path)
    res = cli("run", "bench_one.py", *args)
    assert res.exit_code == 2 and "does not exist; create it first" in res.stderr, res
    assert res.stderr.count("\n") == 1 and res.stdout == ""
    assert _entries(tmp_path) == before  # nothing created


def test_a_relative_sqlite_uri_says_how_to_name_an_absolute_path(cli):
    res = cli("run", "bench_one.py", "--store", "sqlite:///missing/x.db")
    assert "sqlite:////PATH absolute" in res.stderr


def test_the_default_store_folder_is_created(cli, tmp_path):
    res = cli("run", "bench_one.py", "-q", env={"NNBENCH_STORE": None})
    assert res.exit_code == 0, res
    assert (tmp_path / ".nnbench" / "results.db").is_file()


def test_the_probe_leaves_nothing_behind(cli, tmp_path):
    (tmp_path / "out").mkdir()
    res = cli("run", "bench_one.py", "-q", "--store", "out/s.db", "-o", "out/r.json")
    assert res.exit_code == 0, res
    assert [n for n in os.listdir(tmp_path / "out") if "probe" in n or n.startswith(".")] == []
