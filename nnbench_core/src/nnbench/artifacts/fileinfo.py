"""Describe the local files behind an artifact: relative paths and sizes, for provenance."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def describe_files(path: str | os.PathLike[str], limit: int = 1000) -> dict[str, Any]:
    """Return ``{"files": [{"path", "size"}], "total_size"}`` for a file or a directory tree."""
    root = Path(path)
    if root.is_file():
        size = root.stat().st_size
        return {"files": [{"path": root.name, "size": size}], "total_size": size}
    files = []
    total = 0
    for p in sorted(root.rglob("*")):
        if p.is_file():
            size = p.stat().st_size
            total += size
            if len(files) < limit:
                files.append({"path": p.relative_to(root).as_posix(), "size": size})
    return {"files": files, "total_size": total}
