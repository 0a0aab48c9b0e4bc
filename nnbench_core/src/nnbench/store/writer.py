"""How rows reach the results store, and the writer process that commits them during a run.

``apply(db, frame)`` commits one frame of operations in one transaction; ``ResultsStore`` uses
it in process. During a run the store is written by this file run as a program,
``python -I -S writer.py STORE``: it imports only the standard library (it starts in
milliseconds and loads nothing of the user's), reads frames from stdin and commits each as it
arrives, so JSON encoding and SQLite work run beside the benchmarks instead of holding the
run's interpreter. A frame is an 8-byte little-endian length and a ``marshal``-ed list of
operations:

- ``("run", (run_id, name, timestamp, context_json, planned))``: a run starts (or restarts);
- ``("results", [(run_id, position, result), ...])``: ``result`` a JSON-safe dict with a
  ``name``; a row replaces an earlier one at the same run and position;
- ``("encoded", [(run_id, position, name, json_text), ...])``: the same, encoded already;
- ``("finish", (context_json, run_id))``: the run ended;
- ``("close", None)``: commit and exit 0.

End of input without ``close`` (the run's process died) commits what arrived and exits 0.
SIGINT is ignored: a Ctrl-C reaches the whole process group, and the run decides when its
writer stops. An error is one line on stderr and exit 1.
"""

from __future__ import annotations

import json
import marshal
import os
import signal
import sqlite3
import struct
import sys
from typing import Any, BinaryIO

HEADER = struct.Struct("<Q")

INSERT_RUN = "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, 0)"
INSERT_RESULT = "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)"
FINISH_RUN = "UPDATE runs SET finished = 1, context = ? WHERE run_id = ?"

encode = json.JSONEncoder(check_circular=False).encode


def open_raw(path: str) -> sqlite3.Connection:
    """A connection to the store, before ``configure``."""
    return sqlite3.connect(path, timeout=30, check_same_thread=False)


def configure(db: sqlite3.Connection) -> sqlite3.Connection:
    """Set a connection up as the store is always written: WAL, and a commit survives a
    killed process (``synchronous=NORMAL``; a power cut may lose the last commits)."""
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def apply(db: sqlite3.Connection, frame: list[tuple[str, Any]]) -> None:
    """Commit the operations of one frame (see the module docstring) in one transaction."""
    with db:
        for op, payload in frame:
            if op == "results":
                db.executemany(INSERT_RESULT, [
                    (run_id, position, result["name"], encode(result))
                    for run_id, position, result in payload])
            elif op == "encoded":
                db.executemany(INSERT_RESULT, payload)
            elif op == "run":
                db.execute(INSERT_RUN, payload)
            elif op == "finish":
                db.execute(FINISH_RUN, payload)
            elif op != "close":
                raise ValueError(f"unknown store operation {op!r}")


def pack(frame: list[tuple[str, Any]]) -> bytes:
    """One frame as the writer reads it (``ValueError`` when a value is not plain data)."""
    body = marshal.dumps(frame)
    return HEADER.pack(len(body)) + body


def _read(stream: BinaryIO, size: int) -> bytes | None:
    data = stream.read(size)
    return data if len(data) == size else None


def serve(path: str, stream: BinaryIO) -> None:
    """Commit frames from ``stream`` until ``close`` or end of input."""
    db = configure(open_raw(path))
    try:
        while True:
            header = _read(stream, HEADER.size)
            body = None if header is None else _read(stream, HEADER.unpack(header)[0])
            if body is None:  # the run's process ended without closing: keep what came
                return
            frame = marshal.loads(body)
            apply(db, frame)
            if frame and frame[-1][0] == "close":
                return
    finally:
        db.close()


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        serve(sys.argv[1], sys.stdin.buffer)
    except Exception as exc:  # one line for the run to show; the run reports the failure
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    # Everything is committed and closed: skip the interpreter's teardown (the run waits).
    os._exit(main())
