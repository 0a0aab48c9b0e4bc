"""``nnbench run --resume RUN``: keep what completed, run the rest into the same store entry."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time

from nnbench import Session

from .helpers import nnbench, write

SUITE = """
import os, pathlib, time
import nnbench
from nnbench.types import Artifact

class Text(Artifact[str]):
    def deserialize(self):
        self._value = self.path.read_text()

@nnbench.product(i=range(4))
def step(i: int, doc: Text) -> str:
    log = pathlib.Path("calls.log")
    log.write_text(log.read_text() + f"{doc.value}:{i}\\n" if log.exists() else f"{doc.value}:{i}\\n")
    if i == 2 and os.environ.get("STALL") == doc.value:
        pathlib.Path("reached").write_text("yes")
        time.sleep(60)
    if i == 3 and os.environ.get("FAIL") == doc.value:
        raise RuntimeError("flaky")
    return f"{doc.value}{i}"
"""


def _calls(tmp_path):
    return (tmp_path / "calls.log").read_text().split()


def test_resume_after_ctrl_c_runs_only_what_is_missing(tmp_path):
    write(tmp_path / "steps_bench.py", SUITE)
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.txt").write_text("b")
    args = [sys.executable, "-m", "nnbench", "run", "steps_bench.py", "--loader", "./a.txt",
            "--loader", "./b.txt", "--name", "nightly", "-q"]
    proc = subprocess.Popen(args, cwd=tmp_path, env={**__import__("os").environ, "STALL": "b"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (tmp_path / "reached").exists():
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    time.sleep(0.6)  # longer than the store's flush interval
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 130
    assert _calls(tmp_path) == ["a:0", "a:1", "a:2", "a:3", "b:0", "b:1", "b:2"]

    res = nnbench("run", "steps_bench.py", "--loader", "./a.txt", "--loader", "./b.txt",
                  "--resume", "nightly", "-q", "-o", "out.json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert _calls(tmp_path)[7:] == ["b:2", "b:3"]  # only the missing ones ran
    records = json.loads((tmp_path / "out.json").read_text())
    assert [[r["value"] for r in rec["benchmarks"]] for rec in records] == \
        [["a0", "a1", "a2", "a3"], ["b0", "b1", "b2", "b3"]]
    db = sqlite3.connect(tmp_path / ".nnbench" / "results.db")
    assert db.execute("SELECT COUNT(*), SUM(finished) FROM runs").fetchone() == (2, 2)
    assert db.execute("SELECT COUNT(*) FROM results").fetchone() == (8,)


def test_resume_reruns_failed_results_and_keeps_the_run_id(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "steps_bench.py", SUITE)
    (tmp_path / "a.txt").write_text("a")
    store = tmp_path / "s.db"
    monkeypatch.setenv("FAIL", "a")
    first = Session(store=store).run("steps_bench.py", loaders=["./a.txt"], name="n")[0]
    assert first.failed and first.benchmarks[3]["error_message"] == "flaky"
    monkeypatch.delenv("FAIL")
    again = Session(store=store).run("steps_bench.py", loaders=["./a.txt"],
                                     resume=first.run_id[:8])[0]
    assert again.run_id == first.run_id and not again.failed
    assert [r["value"] for r in again.benchmarks] == ["a0", "a1", "a2", "a3"]
    assert _calls(tmp_path) == ["a:0", "a:1", "a:2", "a:3", "a:3"]


def test_resume_of_an_unknown_run_is_one_line(tmp_path):
    write(tmp_path / "steps_bench.py", SUITE)
    (tmp_path / "a.txt").write_text("a")
    nnbench("run", "steps_bench.py", "--loader", "./a.txt", "-q", cwd=tmp_path)
    res = nnbench("run", "steps_bench.py", "--loader", "./a.txt", "--resume", "nosuch",
                  cwd=tmp_path)
    assert res.returncode == 2 and res.stderr.count("\n") == 1 and "nosuch" in res.stderr
    res = nnbench("run", "steps_bench.py", "--loader", "./a.txt", "--resume", "x", "--no-store",
                  cwd=tmp_path)
    assert res.returncode == 2 and "drop --no-store" in res.stderr
