"""The results store: every run appended to SQLite, its results committed as they finish.

Names load on first use, so code that only needs ``DEFAULT_STORE`` does not import sqlite3.
"""

from __future__ import annotations

from typing import Any

from nnbench.store.location import DEFAULT_STORE, store_path

__all__ = ["DEFAULT_STORE", "ResultsStore", "SQLiteReporter", "store_path"]


def __getattr__(name: str) -> Any:
    if name in ("ResultsStore", "SQLiteReporter"):
        from nnbench.store import results

        return getattr(results, name)
    raise AttributeError(f"module 'nnbench.store' has no attribute {name!r}")
