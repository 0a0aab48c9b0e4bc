"""Helpers for the upstream-compatibility tests: a fresh copy of the upstream-style project,
the CLI in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE / "upstream_project"
README_EXAMPLE = HERE / "readme_example.py"


def copy_project(tmp_path: Path) -> Path:
    """The upstream-style project in ``tmp_path`` (runs write no file into the source tree)."""
    return Path(shutil.copytree(PROJECT, tmp_path / "project",
                                ignore=shutil.ignore_patterns("__pycache__", ".nnbench")))


def nnbench(*args: str, cwd: Path, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m nnbench ARGS`` in ``cwd``, output captured."""
    return subprocess.run([sys.executable, "-m", "nnbench", *args], cwd=cwd,
                          env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          timeout=timeout)
