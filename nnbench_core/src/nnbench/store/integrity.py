"""Refuse to write into a damaged results store.

When the store opens for writing, ``PRAGMA quick_check`` runs, unless the file is exactly as
nnbench left it when it last closed it (same size and modification time, no pending WAL): a
stamp kept in the cache folder makes the usual open cost one ``stat``. A damaged store is one
line (exit 2) that says how to recover; nothing is written to it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

from nnbench.errors import ReporterError


def check(db: sqlite3.Connection, path: Path) -> None:
    """Raise ``ReporterError`` when the store at ``path`` (open as ``db``) is damaged."""
    if _unchanged(path):
        return
    try:
        rows = db.execute("PRAGMA quick_check(1)").fetchall()
        problem = None if rows == [("ok",)] else str(rows[0][0] if rows else "no answer")
    except sqlite3.DatabaseError as exc:
        problem = str(exc)
    if problem is not None:
        raise ReporterError(damaged(path, problem))


def damaged(path: Path, problem: str) -> str:
    """The one-line message for a damaged store: what SQLite found, and how to recover."""
    from nnbench.redact import clip

    return (f"results store {path} is damaged ({clip(' '.join(problem.split()), 120)}); "
            f"nothing was written to it. Recover what is readable with `sqlite3 {path} "
            f".recover | sqlite3 recovered.db` and use --store recovered.db, or move {path} "
            "away to start a new store")


def stamp(path: Path) -> None:
    """Remember ``path`` as sound, as it is now (call after closing the last connection)."""
    facts = _facts(path)
    if facts is None:
        return
    target = _stamp_path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(facts), encoding="utf-8")
    except OSError:
        pass  # no stamp: the next open checks again


def _unchanged(path: Path) -> bool:
    facts = _facts(path)
    if facts is None:
        return False
    try:
        return json.loads(_stamp_path(path).read_text(encoding="utf-8")) == facts
    except (OSError, ValueError):
        return False


def _facts(path: Path) -> dict[str, int] | None:
    """Size and modification time of the store; None while a WAL holds uncheckpointed pages."""
    try:
        wal = os.stat(f"{path}-wal").st_size
    except OSError:
        wal = 0
    if wal:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino}


def _stamp_path(path: Path) -> Path:
    from nnbench.artifacts.cache import cache_dir

    key = hashlib.sha256(os.fspath(path.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / "store-checks" / f"{key}.json"
