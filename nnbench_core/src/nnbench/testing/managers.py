"""A throw-away plugin manager with chosen plugins, set as the process-wide one meanwhile."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from typing import Any

from nnbench.plugins import PluginManager, set_plugin_manager


def plugin_name(plugin: Any) -> str:
    """The name a plugin object gets when none is given: its module name or class name."""
    if isinstance(plugin, str):
        return plugin
    return getattr(plugin, "__name__", None) or type(plugin).__name__


@contextlib.contextmanager
def isolated_plugin_manager(
    plugin: Any = None, name: str | None = None, *, load_entry_points: bool = False
) -> Iterator[PluginManager]:
    """Yield a fresh manager (built-ins, plus ``plugin`` when given) installed process-wide.

    ``plugin`` is a module, an import path (``"nnbench_hf.plugin"``) or any object with
    ``@hookimpl`` methods. Installed entry-point plugins are left out unless
    ``load_entry_points``. On exit the plugin is unregistered and the previous manager restored.
    """
    manager = PluginManager(load_entry_points=load_entry_points)
    registered = None
    if plugin is not None:
        obj = importlib.import_module(plugin) if isinstance(plugin, str) else plugin
        registered = name or plugin_name(plugin)
        if registered in manager.infos:  # already there through its entry point
            manager.unregister(registered)
        manager.register(obj, registered)
        info = manager.infos[registered]
        if info.error:
            raise RuntimeError(f"plugin {registered!r} failed to register: {info.error}")
    old = set_plugin_manager(manager)
    try:
        yield manager
    finally:
        set_plugin_manager(old)
        if registered is not None and manager.pm.get_plugin(registered) is not None:
            manager.unregister(registered)

