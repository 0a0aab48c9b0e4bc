"""A run killed outright keeps every result that finished more than the flush interval ago."""

from __future__ import annotations

import signal
import sqlite3
import time

from nnbench.store.live import FLUSH_INTERVAL

from .helpers import stalling_suite, start_and_wait, write


def test_sigkill_keeps_results_older_than_the_flush_interval(tmp_path):
    write(tmp_path / "slow_bench.py", stalling_suite(stall_at=3))
    proc = start_and_wait(["run", "slow_bench.py"], tmp_path)
    time.sleep(2 * FLUSH_INTERVAL + 0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    db = sqlite3.connect(tmp_path / ".nnbench" / "results.db")
    names = [n for (n,) in db.execute("SELECT name FROM results ORDER BY position")]
    assert names == ["step_i=0", "step_i=1", "step_i=2"]
    assert db.execute("SELECT finished, planned FROM runs").fetchone() == (0, 5)
