"""Where the results store lives: the default path and ``sqlite:///`` URIs (no sqlite import)."""

from __future__ import annotations

from pathlib import Path

from nnbench.errors import UsageError

DEFAULT_STORE = ".nnbench/results.db"


def store_path(uri: str | None) -> Path:
    """``sqlite:///x.db`` or a plain path -> Path; None -> the default store."""
    if not uri:
        return Path(DEFAULT_STORE)
    if uri.startswith("sqlite:///"):
        return Path(uri[len("sqlite:///"):] or DEFAULT_STORE)
    if "://" in uri:
        raise UsageError(f"results store {uri!r}: use sqlite:///PATH.db or a file path")
    return Path(uri)
