"""The SQLite results store: every run appended, its results committed as they finish.

Default location ``.nnbench/results.db`` in the working directory; ``sqlite:///path.db``
names another. During a run results reach it within ``nnbench.store.live.FLUSH_INTERVAL`` of
finishing (``nnbench.store.live``), so a run that is interrupted (Ctrl-C, crash, OOM kill) keeps
what finished before.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from nnbench.errors import ReporterError, UsageError
from nnbench.store import writer
from nnbench.store.location import store_path
from nnbench.types import BenchmarkRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    timestamp REAL NOT NULL,
    context TEXT NOT NULL,
    planned INTEGER NOT NULL DEFAULT 0,
    finished INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS results (
    run_id TEXT NOT NULL REFERENCES runs(run_id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX IF NOT EXISTS runs_by_name ON runs(name);
"""


def _check_integrity(db: sqlite3.Connection, path: Path) -> None:
    from nnbench.store.integrity import check

    try:
        check(db, path)
    except ReporterError:
        db.close()
        raise


def run_row(name: str, run_id: str, context: dict[str, Any], planned: int,
            timestamp: float | None = None) -> tuple[str, str, float, str, int]:
    """The ``runs`` row of a starting run."""
    return (run_id, name, time.time() if timestamp is None else timestamp, json.dumps(context),
            planned)


def finish_row(run_id: str, context: dict[str, Any]) -> tuple[str, str]:
    """The parameters that mark a run finished with its final context."""
    return (json.dumps(context), run_id)


class ResultsStore:
    """Read and append runs in one SQLite file."""

    def __init__(self, path: str | Path, create: bool = True) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()  # one writer at a time (the live sink writes from a thread)
        if not create and not self.path.exists():
            raise UsageError(f"no results store at {self.path}; run `nnbench run` first")
        self._writable = create
        existed = self.path.exists()
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = writer.open_raw(str(self.path))
            if existed:  # a damaged store is refused before anything is read or written
                _check_integrity(self.db, self.path)
            writer.configure(self.db).executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ReporterError(f"cannot open results store {self.path}: {exc}") from exc

    def close(self, mark_sound: bool = True) -> None:
        """Close the connection; ``mark_sound``: remember the file as sound (not while another
        connection, such as a writer process, still writes it)."""
        self.db.close()
        if self._writable and mark_sound:
            from nnbench.store.integrity import stamp

            stamp(self.path)  # as sound as it was found: the next open need not check

    def start_run(self, name: str, run_id: str, context: dict[str, Any], planned: int,
                  timestamp: float | None = None) -> None:
        self.write([("run", run_row(name, run_id, context, planned, timestamp))])

    def add_result(self, run_id: str, position: int, result: dict[str, Any]) -> None:
        self.add_results([(run_id, position, result)])

    def add_results(self, rows: list[tuple[str, int, dict[str, Any]]]) -> None:
        """Store (run id, position, result) rows in one transaction (a later row with the
        same run and position replaces the earlier, as a retried unit's results do)."""
        self.write([("results", rows)])

    def finish_run(self, run_id: str, context: dict[str, Any]) -> None:
        self.write([("finish", finish_row(run_id, context))])

    def write(self, frame: list[tuple[str, Any]]) -> None:
        """Commit a frame of operations (``nnbench.store.writer``) in one transaction."""
        with self._lock:
            writer.apply(self.db, frame)

    def append(self, record: BenchmarkRecord) -> None:
        """Store a whole record at once (used by ``--output sqlite:///...``)."""
        self.start_run(record.run, record.run_id, record.context, len(record.benchmarks),
                       record.timestamp)
        for i, result in enumerate(record.benchmarks):
            self.add_result(record.run_id, i, result)
        self.finish_run(record.run_id, record.context)

    def runs(self) -> list[dict[str, Any]]:
        """Runs, oldest first: id, name, time, number of results, finished flag, context."""
        rows = self.db.execute(
            "SELECT r.run_id, r.name, r.timestamp, r.planned, r.finished, r.context, "
            "(SELECT COUNT(*) FROM results s WHERE s.run_id = r.run_id) "
            "FROM runs r ORDER BY r.timestamp, r.rowid"
        ).fetchall()
        return [
            {"run_id": rid, "name": name, "timestamp": ts, "planned": planned,
             "finished": bool(fin), "context": json.loads(ctx), "benchmarks": n}
            for rid, name, ts, planned, fin, ctx, n in rows
        ]

    def find(self, ref: str) -> str:
        """A run id from a full id, an id prefix, or a name (the latest run of that name)."""
        row = self.db.execute(
            "SELECT run_id FROM runs WHERE run_id = ? OR name = ? "
            "ORDER BY (run_id = ?) DESC, timestamp DESC, rowid DESC LIMIT 1",
            (ref, ref, ref),
        ).fetchone()
        if row is None and len(ref) >= 4:
            rows = self.db.execute(
                "SELECT run_id FROM runs WHERE run_id LIKE ?", (ref + "%",)
            ).fetchall()
            if len(rows) == 1:
                row = rows[0]
        if row is None:
            raise UsageError(f"no run {ref!r} in {self.path}; see `nnbench runs`")
        return row[0]

    def record(self, ref: str, drop: tuple[str, ...] = ()) -> BenchmarkRecord:
        """The run ``ref`` (see ``find``); ``drop`` names result keys to leave out, removed by
        SQLite before Python parses each result (``compare`` needs no tracebacks)."""
        run_id = self.find(ref)
        name, ts, ctx = self.db.execute(
            "SELECT name, timestamp, context FROM runs WHERE run_id = ?", (run_id,)
        ).fetchone()
        query = "SELECT {} FROM results WHERE run_id = ? ORDER BY position"
        try:
            rows = self.db.execute(
                query.format(f"json_remove(data{', ?' * len(drop)})" if drop else "data"),
                (*(f"$.{key}" for key in drop), run_id)).fetchall()
            results = [json.loads(d) for (d,) in rows]
        except sqlite3.OperationalError:  # an SQLite without JSON functions
            results = [json.loads(d) for (d,) in self.db.execute(query.format("data"), (run_id,))]
            for result in results:
                for key in drop:
                    result.pop(key, None)
        return BenchmarkRecord(name, json.loads(ctx), results, run_id, ts)

    def results_by_position(self, run_id: str) -> dict[int, dict[str, Any]]:
        """A run's stored results by their position in its record."""
        return {position: json.loads(data) for position, data in self.db.execute(
            "SELECT position, data FROM results WHERE run_id = ?", (run_id,))}

    def records(self) -> list[BenchmarkRecord]:
        return [self.record(r["run_id"]) for r in self.runs()]


class SQLiteReporter:
    """Reporter interface over the store: ``--output sqlite:///x.db`` and reading it back."""

    def write(self, records: list[BenchmarkRecord], destination: str) -> None:
        store = ResultsStore(store_path(destination))
        try:
            for rec in records:
                store.append(rec)
        finally:
            store.close()

    def read(self, source: str) -> list[BenchmarkRecord]:
        store = ResultsStore(store_path(source), create=False)
        try:
            return store.records()
        finally:
            store.close()
