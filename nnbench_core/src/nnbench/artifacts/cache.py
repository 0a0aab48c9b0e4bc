"""Where nnbench keeps downloaded artifacts: ``$NNBENCH_CACHE`` or the user cache dir."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """The root of nnbench's artifact cache (created on demand by the loaders that use it)."""
    env = os.environ.get("NNBENCH_CACHE")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("nnbench"))
