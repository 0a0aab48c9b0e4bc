"""The part both contract suites share: the plugin under test, an isolated cache and manager."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nnbench.plugins import PluginManager
from nnbench.testing.managers import isolated_plugin_manager


class PluginContractBase:
    """What both contract suites share: the plugin under test and an isolated cache/manager."""

    plugin: Any = None
    plugin_name: str | None = None
    load_entry_points = False

    @pytest.fixture
    def contract_cache(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        cache = tmp_path / "contract-cache"
        cache.mkdir()
        monkeypatch.setenv("NNBENCH_CACHE", str(cache))
        return cache

    @pytest.fixture
    def contract_plugin_manager(self, contract_cache: Path) -> Iterator[PluginManager]:
        with isolated_plugin_manager(self.plugin, self.plugin_name,
                                     load_entry_points=self.load_entry_points) as manager:
            yield manager
