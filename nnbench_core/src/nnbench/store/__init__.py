"""The results store: every run appended to SQLite, each result committed as it finishes."""

from __future__ import annotations

from nnbench.store.results import DEFAULT_STORE, ResultsStore, SQLiteReporter, store_path

__all__ = ["DEFAULT_STORE", "ResultsStore", "SQLiteReporter", "store_path"]
