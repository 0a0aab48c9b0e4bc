"""A run killed outright keeps every result that finished more than the flush interval ago."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time

from nnbench.store.live import FLUSH_INTERVAL

from .helpers import write

SUITE = """
import pathlib, time
import nnbench

@nnbench.product(i=range(5))
def step(i: int) -> int:
    if i == 3:
        pathlib.Path("reached").write_text("yes")
        time.sleep(60)
    return i
"""


def test_sigkill_keeps_results_older_than_the_flush_interval(tmp_path):
    write(tmp_path / "slow_bench.py", SUITE)
    proc = subprocess.Popen([sys.executable, "-m", "nnbench", "run", "slow_bench.py"],
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (tmp_path / "reached").exists():
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.02)
    time.sleep(2 * FLUSH_INTERVAL + 0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    db = sqlite3.connect(tmp_path / ".nnbench" / "results.db")
    names = [n for (n,) in db.execute("SELECT name FROM results ORDER BY position")]
    assert names == ["step_i=0", "step_i=1", "step_i=2"]
    assert db.execute("SELECT finished, planned FROM runs").fetchone() == (0, 5)
