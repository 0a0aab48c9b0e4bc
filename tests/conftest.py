"""Shared test set-up: every test gets its own results store, cache and working directory."""

from __future__ import annotations

import pytest

# The fixtures nnbench ships for plugin authors (nnbench_cli, nnbench_cache, ...). The plugins'
# fixtures (fake_hub, fsspec_s3_server, ...) come from their pytest11 entry points.
pytest_plugins = ["nnbench.testing"]


@pytest.fixture(autouse=True)
def _isolated_nnbench(tmp_path_factory, monkeypatch):
    """Keep tests from touching the user's cache or a shared plugin manager."""
    cache = tmp_path_factory.mktemp("nnbench-cache")
    monkeypatch.setenv("NNBENCH_CACHE", str(cache))
    monkeypatch.delenv("NNBENCH_DISABLE_PLUGINS", raising=False)
    monkeypatch.delenv("NNBENCH_LOAD_PLUGINS", raising=False)
    from nnbench.plugins import set_plugin_manager

    old = set_plugin_manager(None)
    yield
    set_plugin_manager(old)
