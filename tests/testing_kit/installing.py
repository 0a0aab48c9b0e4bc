"""Install distributions into a ``--target`` folder and run Python with it on PYTHONPATH."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parents[1]


def pip_install(target: Path, *projects: Path) -> Path:
    """``pip install --no-deps --no-build-isolation --target TARGET PROJECTS`` (fast, offline).

    Each project is copied next to ``target`` first: in-tree builds leave ``build/`` behind.
    """
    copies = []
    for project in projects:
        copy = target.parent / f"src-{project.name}"
        shutil.copytree(project, copy, ignore=shutil.ignore_patterns(
            "build", "*.egg-info", "__pycache__", ".pytest_cache"))
        copies.append(copy)
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
           "--no-build-isolation", "--no-index", "--disable-pip-version-check",
           "--target", str(target), *map(str, copies)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return target


def env_with(target: Path, **extra: str) -> dict[str, str]:
    """Environment changes putting ``target`` first on PYTHONPATH."""
    path = os.pathsep.join(p for p in (str(target), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path, **extra}


def run_pytest(project: Path, target: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a project's own tests, unchanged, in a fresh interpreter."""
    env = {**os.environ, **env_with(target)}
    for name in ("NNBENCH_DISABLE_PLUGINS", "NNBENCH_LOAD_PLUGINS", "PYTEST_ADDOPTS"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(project / "tests")], cwd=project, env=env,
                          capture_output=True, text=True, timeout=timeout)
