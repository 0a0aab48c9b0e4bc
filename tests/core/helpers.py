"""Helpers for core tests: run the CLI in a subprocess, write benchmark files."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path


def write(path: Path, source: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source))
    return path


def nnbench(*args: str, cwd: Path, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m nnbench ARGS`` and capture its output."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "nnbench", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def stalling_suite(members: int = 5, stall_at: int = 2) -> str:
    """A family whose member ``stall_at`` writes ``reached`` and sleeps a minute: for tests
    that interrupt or kill a run once the members before it have finished."""
    return textwrap.dedent(f"""
        import pathlib, time
        import nnbench

        @nnbench.product(i=range({members}))
        def step(i: int) -> int:
            if i == {stall_at}:
                pathlib.Path("reached").write_text("yes")
                time.sleep(60)
            return i
    """)


def start_and_wait(args: list[str], cwd: Path, **popen: object) -> subprocess.Popen[str]:
    """Start ``python -m nnbench ARGS`` and return once it wrote ``cwd/reached``."""
    import time

    proc = subprocess.Popen([sys.executable, "-m", "nnbench", *args], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)
    deadline = time.monotonic() + 60
    while not (cwd / "reached").exists():
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    return proc

