"""Plugins: the hook specifications, the manager that discovers and registers plugins, the
built-in plugin, and the table of which distribution provides what (install hints).

Pass a :class:`PluginManager` wherever plugins matter (``Session(plugins=...)``,
``resolve(spec, plugins=...)``); ``get_plugin_manager()`` builds the default one.
"""

from __future__ import annotations

from nnbench.plugins.hookspecs import hookimpl
from nnbench.plugins.manager import (
    PluginInfo,
    PluginManager,
    PluginWarning,
    Registration,
    get_plugin_manager,
    set_plugin_manager,
)

__all__ = ["PluginInfo", "PluginManager", "PluginWarning", "Registration", "get_plugin_manager",
           "hookimpl", "set_plugin_manager"]
