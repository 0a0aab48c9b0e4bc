"""nnbench loaders for remote storage through fsspec, with a verified local cache."""

from __future__ import annotations

from typing import Any

__all__ = ["FsspecLoader"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:  # lazy, so plugin discovery imports only plugin.py
    if name == "FsspecLoader":
        from nnbench_fsspec.loader import FsspecLoader

        return FsspecLoader
    raise AttributeError(f"module 'nnbench_fsspec' has no attribute {name!r}")
