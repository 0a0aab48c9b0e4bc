"""Helpers shared by the perf scripts: timing subprocesses, a private nnbench 0.5.0."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

WORK = Path(__file__).resolve().parent / "_work"


def baseline_nnbench(version: str = "0.5.0") -> Path:
    """Install upstream nnbench==VERSION into perf/_work (not on sys.path of this process)."""
    target = WORK / f"nnbench-{version}"
    if not (target / "nnbench").is_dir():
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                        "--target", str(target), f"nnbench=={version}"], check=True)
    return target


def wall_times(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> list[float]:
    """Wall-clock seconds of ``repeat`` runs of ``cmd`` (output discarded)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env={**os.environ, **(env or {})})
        times.append(time.perf_counter() - start)
    return times


def child_seconds(code: str, repeat: int, env: dict[str, str] | None = None) -> list[float]:
    """Run ``code`` in fresh interpreters; each prints one float (seconds) on its last line."""
    out = []
    for _ in range(repeat):
        res = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                             text=True, env={**os.environ, **(env or {})})
        out.append(float(res.stdout.strip().splitlines()[-1]))
    return out


def summary(name: str, ours: list[float], theirs: list[float], goal: str) -> float:
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"{name}: nnbench-core {statistics.median(ours) * 1e3:.1f} ms, "
          f"baseline {statistics.median(theirs) * 1e3:.1f} ms -> ratio {ratio:.2f}x (goal {goal})")
    return ratio
