"""Fixtures for plugin authors: isolated cache and store, a plugin manager, a CLI runner.

Every fixture name starts with ``nnbench_`` so none collides with a project's own fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nnbench.plugins import PluginManager
from nnbench.testing.cli import CLIRunner
from nnbench.testing.managers import isolated_plugin_manager

__all__ = [
    "nnbench_cache", "nnbench_cli", "nnbench_plugin", "nnbench_plugin_manager", "nnbench_store",
]


@pytest.fixture
def nnbench_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty artifact cache for this test (``NNBENCH_CACHE`` points at it)."""
    cache = tmp_path / "nnbench-cache"
    cache.mkdir(exist_ok=True)
    monkeypatch.setenv("NNBENCH_CACHE", str(cache))
    return cache


@pytest.fixture
def nnbench_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Path of a results store for this test (``NNBENCH_STORE``; created by the first run)."""
    store = tmp_path / "nnbench-store" / "results.db"
    store.parent.mkdir(exist_ok=True)
    monkeypatch.setenv("NNBENCH_STORE", str(store))
    return store


@pytest.fixture
def nnbench_plugin() -> Any:
    """The plugin under test: override it to return a module, import path or hook object."""
    return None


@pytest.fixture
def nnbench_plugin_manager(nnbench_plugin: Any) -> Iterator[PluginManager]:
    """A fresh manager with the built-ins and ``nnbench_plugin``, process-wide for this test.

    Installed entry-point plugins are not loaded, so the test sees only what it registered;
    call ``.register(obj, name)`` for more. The plugin is unregistered afterwards.
    """
    with isolated_plugin_manager(nnbench_plugin) as manager:
        yield manager


@pytest.fixture
def nnbench_cli(tmp_path: Path, nnbench_cache: Path, nnbench_store: Path) -> CLIRunner:
    """Run ``nnbench`` in ``tmp_path``: ``nnbench_cli("plugins")`` in-process, or
    ``nnbench_cli.subprocess("plugins")``; both return ``CLIResult(exit_code, stdout, stderr)``.
    """
    return CLIRunner(cwd=tmp_path)
