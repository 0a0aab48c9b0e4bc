"""A damaged results store is refused on open (one line, exit 2, how to recover), and the
check is skipped while the file is as nnbench left it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from nnbench.store import integrity
from nnbench.testing import CLIRunner

from tests.core.helpers import write

BENCH = """
    import nnbench

    @nnbench.benchmark
    def one() -> int:
        return 1
"""


@pytest.fixture
def stored(tmp_path):
    """A store with one run, closed cleanly, and the CLI in its folder."""
    write(tmp_path / "bench_one.py", BENCH)
    cli = CLIRunner(cwd=tmp_path, env={"NNBENCH_STORE": None})
    assert cli("run", "bench_one.py", "-q", "--name", "first").exit_code == 0
    return cli, tmp_path / ".nnbench" / "results.db"


def damage(path, page=2, page_size=4096):
    data = bytearray(path.read_bytes())
    start = (page - 1) * page_size
    data[start:start + 8] = b"\x77" + b"\xff" * 7  # an impossible b-tree page header
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("args", [("run", "bench_one.py", "-q"), ("runs",),
                                  ("compare", "first", "first")])
def test_a_damaged_store_is_one_line_exit_2_and_left_as_it_was(stored, args):
    cli, db = stored
    damage(db)
    before = db.read_bytes()
    res = cli(*args)
    assert res.exit_code == 2 and res.stderr.count("\n") == 1, res
    assert "is damaged" in res.stderr and ".recover" in res.stderr and "Traceback" not in res.stderr
    assert db.read_bytes() == before and res.stdout == ""


def test_not_a_database_at_all(stored):
    cli, db = stored
    db.write_bytes(b"this is not sqlite" * 500)
    res = cli("run", "bench_one.py", "-q")
    assert res.exit_code == 2 and "is damaged (file is not a database)" in res.stderr, res


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="needs the sqlite3 command")
def test_the_recovery_the_message_gives_works(stored):
    cli, db = stored
    damage(db, page=3)
    message = cli("runs").stderr
    assert "is damaged" in message
    command = message.split("`")[1]
    subprocess.run(command, shell=True, cwd=db.parent.parent, check=True, capture_output=True)
    res = cli("run", "bench_one.py", "-q", "--store", "recovered.db")
    assert res.exit_code == 0, res


def test_the_check_is_skipped_while_the_store_is_as_nnbench_left_it(stored, monkeypatch):
    cli, db = stored
    assert integrity._unchanged(db)  # stamped at the clean close
    calls = []
    real = integrity.check
    monkeypatch.setattr(integrity, "check", lambda con, path: calls.append(path) or real(con, path))
    monkeypatch.setattr(integrity, "_unchanged", lambda path: False)
    assert cli("runs").exit_code == 0 and len(calls) == 1  # checked when not stamped
    monkeypatch.undo()
    db.write_bytes(db.read_bytes())  # touched by someone else: checked again
    assert not integrity._unchanged(db)
    assert cli("run", "bench_one.py", "-q").exit_code == 0
    assert integrity._unchanged(db)
