"""The store's writer process: what it commits, what survives, and how a failure is reported."""

from __future__ import annotations

import ast
import enum
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import nnbench
import pytest
from nnbench import Session
from nnbench.store import live, writer
from nnbench.store.results import ResultsStore

from .helpers import nnbench as run_cli
from .helpers import stalling_suite, start_and_wait, write


class Level(enum.IntEnum):
    HIGH = 3


class Label(str):
    """A str subclass: marshal cannot carry it, JSON can."""


@nnbench.product(i=range(1200))
def member(i: int) -> float:
    return i / 7


@nnbench.benchmark
def subclassed() -> dict:
    return {"level": Level.HIGH, "label": Label("x")}


def _rows(path: Path) -> list[tuple[int, str, str]]:
    db = sqlite3.connect(path)
    try:
        return db.execute("SELECT position, name, data FROM results ORDER BY position").fetchall()
    finally:
        db.close()


def _run(store: Path, process: bool, monkeypatch: pytest.MonkeyPatch) -> list:
    with monkeypatch.context() as patch:
        if not process:
            patch.setattr(live, "_start_writer", lambda path: None)
        return Session(store=store).run([*member, subclassed])


def test_writer_process_and_thread_store_the_same_rows(tmp_path, monkeypatch):
    by_process = _run(tmp_path / "p.db", True, monkeypatch)[0]
    by_thread = _run(tmp_path / "t.db", False, monkeypatch)[0]
    rows_p, rows_t = _rows(tmp_path / "p.db"), _rows(tmp_path / "t.db")
    assert len(rows_p) == len(rows_t) == 1201
    # the same encoding (time_ns differs between the runs, nothing else)
    for (pos_p, name_p, data_p), (pos_t, name_t, data_t) in zip(rows_p, rows_t, strict=True):
        assert (pos_p, name_p) == (pos_t, name_t)
        a, b = json.loads(data_p), json.loads(data_t)
        a.pop("time_ns"), b.pop("time_ns")
        assert a == b
    assert [json.loads(d)["value"] for _, _, d in rows_p] == \
        [r["value"] for r in by_process.benchmarks]
    stored = ResultsStore(tmp_path / "p.db", create=False)
    try:
        assert stored.record(by_process.run_id).benchmarks == json.loads(json.dumps(
            by_process.benchmarks))
        assert stored.runs()[0]["finished"]
    finally:
        stored.close()
    assert by_thread.benchmarks[-1]["value"] == {"level": 3, "label": "x"}
    assert json.loads(rows_p[-1][2])["value"] == {"level": 3, "label": "x"}


def test_the_writer_is_standard_library_only():
    """It runs as ``python -I -S writer.py``: no nnbench import, nothing beyond the stdlib."""
    tree = ast.parse(Path(writer.__file__).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


def test_the_writer_keeps_what_arrived_when_its_run_dies(tmp_path):
    """End of input without ``close`` (the run's process was killed): committed, exit 0."""
    path = tmp_path / "s.db"
    ResultsStore(path).close()
    proc = subprocess.Popen([sys.executable, "-I", "-S", writer.__file__, str(path)],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    rows = [("r1", i, {"name": f"b{i}", "value": i}) for i in range(3)]
    proc.stdin.write(writer.pack([("run", ("r1", "run", 1.0, "{}", 3)), ("results", rows)]))
    proc.stdin.close()  # no close frame
    assert proc.wait(timeout=30) == 0, proc.stderr.read()
    assert [name for _, name, _ in _rows(path)] == ["b0", "b1", "b2"]


def test_the_writer_ignores_ctrl_c_to_the_process_group(tmp_path):
    """Ctrl-C on a terminal reaches the whole group: the run stops, its writer still commits
    every completed result and the run's interrupted state."""
    write(tmp_path / "slow_bench.py", stalling_suite(stall_at=3))
    proc = start_and_wait(["run", "slow_bench.py"], tmp_path, start_new_session=True)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert [name for _, name, _ in _rows(tmp_path / ".nnbench" / "results.db")] == \
        ["step_i=0", "step_i=1", "step_i=2"]


BREAKS_THE_STORE = """
import sqlite3, time
import nnbench

@nnbench.product(i=range(4))
def step(i: int) -> int:
    if i == 2:
        time.sleep(0.6)  # the first two are committed
        db = sqlite3.connect(".nnbench/results.db")
        db.execute("DROP TABLE results")
        db.commit()
        db.close()
    return i
"""


def test_a_store_that_fails_mid_run_is_one_line_and_the_outputs_are_complete(tmp_path):
    write(tmp_path / "breaking_bench.py", BREAKS_THE_STORE)
    res = run_cli("run", "breaking_bench.py", "-o", "out.json", cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
    assert "results store" in lines[0] and "writing failed" in lines[0]
    assert "no such table: results" in lines[0]
    out = json.loads((tmp_path / "out.json").read_text())
    assert [b["value"] for b in out["benchmarks"]] == [0, 1, 2, 3]


def test_without_a_writer_process_the_thread_commits_and_survives_a_kill(tmp_path):
    """Where no process can start (a frozen application), a thread commits the batches."""
    write(tmp_path / "slow_bench.py", stalling_suite(stall_at=3))
    code = ("import sys; sys.frozen = True\n"
            "from nnbench.cli.main import main\n"
            "sys.exit(main(['run', 'slow_bench.py']))\n")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (tmp_path / "reached").exists():
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    time.sleep(2 * live.FLUSH_INTERVAL + 0.2)
    # no writer process was started: the run's only child would be it
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    if children.exists():
        assert children.read_text().strip() == ""
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert [name for _, name, _ in _rows(tmp_path / ".nnbench" / "results.db")] == \
        ["step_i=0", "step_i=1", "step_i=2"]


CHANGES_DIRECTORY = """
import os
import nnbench

@nnbench.product(i=range(3))
def step(i: int) -> int:
    if i == 1:
        os.makedirs("elsewhere", exist_ok=True)
        os.chdir("elsewhere")
    return i
"""


def test_a_benchmark_that_changes_directory_does_not_move_the_store(tmp_path):
    write(tmp_path / "cd_bench.py", CHANGES_DIRECTORY)
    res = run_cli("run", "cd_bench.py", "-q", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert [name for _, name, _ in _rows(tmp_path / ".nnbench" / "results.db")] == \
        ["step_i=0", "step_i=1", "step_i=2"]
    assert not (tmp_path / "elsewhere" / ".nnbench").exists()
    from nnbench.store import integrity

    assert integrity._unchanged(tmp_path / ".nnbench" / "results.db")  # stamped at close


def test_only_a_python_interpreter_is_started_as_the_writer():
    assert live._is_python(sys.executable)
    for embedding in ("", "/usr/bin/uwsgi", "C:/apps/tool.exe", "/opt/app/bin/gunicorn"):
        assert not live._is_python(embedding)
    for python in ("/usr/bin/python3.11", "C:/Python311/python.exe", "/opt/pypy3/bin/pypy3"):
        assert live._is_python(python)
