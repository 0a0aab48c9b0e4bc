"""``-j N`` from the command line: bad input, Ctrl-C, a worker that dies."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from ..helpers import nnbench, stalling_suite, start_and_wait, write

SUITE = """
import nnbench

@nnbench.benchmark
def one() -> int:
    return 1
"""

DYING_SUITE = """
import os, pathlib, signal
import nnbench
from nnbench.types import Artifact

class Flag(Artifact[str]):
    def deserialize(self):
        self._value = self.path.read_text()

@nnbench.benchmark
def before(flag: Flag) -> str:
    return flag.value

@nnbench.benchmark
def dies(flag: Flag) -> str:
    marker = pathlib.Path(str(flag.path) + ".died")
    if flag.value == "always" or not marker.exists():
        marker.write_text("once")
        os.kill(os.getpid(), signal.SIGKILL)
    return "survived"
"""


@pytest.mark.parametrize("args, message", [
    (["-j", "0"], "-j 0: expected a number of worker processes >= 1"),
    (["-j", "abc"], "-j abc: expected a number of worker processes >= 1"),
    (["--executor", "nosuch"], "no executor 'nosuch'"),
    (["--executor", "processes:x"], "--executor processes:x: expected a number"),
    (["--executor", "processes:"], "use NAME, NAME:TARGET or NAME://HOST:PORT"),
    (["--executor", "serial:3"], "the serial executor takes no target"),
    (["-j", "2", "--executor", "serial"], "use either -j N or --executor"),
])
def test_bad_executor_input_is_one_line_exit_2_nothing_written(tmp_path, args, message):
    write(tmp_path / "one_bench.py", SUITE)
    res = nnbench("run", "one_bench.py", "-o", "out.json", *args, cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    assert res.stderr.count("\n") == 1 and message in res.stderr, res.stderr
    assert not (tmp_path / "out.json").exists() and not (tmp_path / ".nnbench").exists()


def test_ctrl_c_with_workers_keeps_completed_results(tmp_path):
    write(tmp_path / "slow_bench.py", stalling_suite())
    proc = start_and_wait(["run", "slow_bench.py", "-j", "2"], tmp_path, start_new_session=True)
    time.sleep(0.5)  # the two completed results travel to the driver
    proc.send_signal(signal.SIGINT)  # to the driver only: it must stop its workers itself
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    db = sqlite3.connect(tmp_path / ".nnbench" / "results.db")
    names = [n for (n,) in db.execute("SELECT name FROM results ORDER BY position")]
    assert names == ["step_i=0", "step_i=1"]
    assert db.execute("SELECT finished, planned FROM runs").fetchone() == (0, 5)
    assert "interrupted" in nnbench("runs", cwd=tmp_path).stdout


def test_a_worker_that_dies_is_retried_once_then_recorded_as_failed(tmp_path):
    write(tmp_path / "dying_bench.py", DYING_SUITE)
    (tmp_path / "once.txt").write_text("once")
    (tmp_path / "always.txt").write_text("always")
    res = nnbench("run", "dying_bench.py", "-j", "2", "--loader", "./once.txt", "--loader",
                  "./always.txt", "-o", "out.json", "-q", cwd=tmp_path)
    assert res.returncode == 1, res.stderr
    once, always = json.loads((tmp_path / "out.json").read_text())
    assert [r["value"] for r in once["benchmarks"]] == ["once", "survived"]
    died = always["benchmarks"][1]
    assert died["error_type"] == "WorkerDied" and "died 2 times" in died["error_message"]
    assert always["benchmarks"][0]["value"] == "always"  # what finished before is kept


def test_a_script_without_a_main_guard_gets_one_clear_error(tmp_path):
    write(tmp_path / "one_bench.py", SUITE)
    write(tmp_path / "script.py", """
        from nnbench import Session
        Session(store=None, executor="processes:2").run("one_bench.py")
    """)
    proc = subprocess.run([sys.executable, "script.py"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1
    assert 'if __name__ == "__main__":' in proc.stderr.strip().splitlines()[-1]
