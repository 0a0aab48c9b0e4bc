"""The plugin manager: entry-point discovery, blocking, registries built from hooks.

Plugins are discovered only when a command needs them (``get_plugin_manager()``), and a
plugin that fails to import is reported in one warning and skipped; everything else works.

Environment: ``NNBENCH_DISABLE_PLUGINS=a,b`` blocks plugins by entry-point name;
``NNBENCH_LOAD_PLUGINS=a,b`` loads only those entry-point plugins. The CLI's ``-p no:NAME``
adds to the blocked set. The built-in plugin is essential: nothing blocks it (pytest treats
its own essential plugins the same way).
"""

from __future__ import annotations

import dataclasses
import os
import threading
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import pluggy

from nnbench.errors import NNBenchError
from nnbench.plugins import hookspecs

ENTRY_POINT_GROUP = "nnbench"
BUILTIN_PLUGINS = {"builtin": "nnbench.plugins.builtin"}
#: Plugins that ``-p no:NAME`` and ``NNBENCH_DISABLE_PLUGINS`` cannot remove.
ESSENTIAL_PLUGINS = frozenset(BUILTIN_PLUGINS)


class PluginWarning(UserWarning):
    """A plugin could not be loaded or one of its hooks failed."""


@dataclasses.dataclass
class PluginInfo:
    """What ``nnbench plugins`` shows for one plugin."""

    name: str
    module: str
    distribution: str | None = None
    version: str | None = None
    error: str | None = None
    blocked: bool = False
    hooks: list[str] = dataclasses.field(default_factory=list)
    loaders: list[str] = dataclasses.field(default_factory=list)
    reporters: list[str] = dataclasses.field(default_factory=list)
    executors: list[str] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class Registration:
    """One registered loader scheme, reporter key, executor or context provider."""

    key: str
    factory: Callable[..., Any]
    plugin: str
    description: str = ""


def _split_env(name: str) -> set[str]:
    return {p.strip() for p in os.environ.get(name, "").split(",") if p.strip()}


class PluginManager:
    """nnbench's pluggy manager plus the loader/reporter/context registries its hooks fill."""

    def __init__(self, blocked: Iterable[str] = (), load_entry_points: bool = True) -> None:
        self.pm = pluggy.PluginManager("nnbench")
        self.pm.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}
        self.blocked = (set(blocked) | _split_env("NNBENCH_DISABLE_PLUGINS")) - ESSENTIAL_PLUGINS
        self.only = _split_env("NNBENCH_LOAD_PLUGINS")
        for name in self.blocked:
            self.pm.set_blocked(name)
        self._registries: dict[str, dict[str, Registration]] = {}
        self._impls: dict[str, list[tuple[str, Callable[..., Any], tuple[str, ...]]]] = {}
        self._lock = threading.Lock()
        for name, module in BUILTIN_PLUGINS.items():
            from nnbench import __version__

            self._register_module(name, module, "nnbench-core", __version__)
        if load_entry_points:
            self._load_entry_points()

    @property
    def hook(self) -> Any:
        return self.pm.hook

    def _register_module(self, name: str, module: str, distribution: str | None = None,
                         version: str | None = None, obj: Any = None) -> None:
        info = PluginInfo(name=name, module=module, distribution=distribution, version=version)
        self.infos[name] = info
        if name in self.blocked:
            info.blocked = True
            return
        try:
            if obj is None:
                import importlib

                obj = importlib.import_module(module)
            self.pm.register(obj, name=name)
        except Exception as exc:  # a broken plugin must not break nnbench
            info.error = f"{type(exc).__name__}: {exc}"
            warnings.warn(
                f"nnbench plugin {name!r} ({distribution or module}) failed to load and is "
                f"disabled: {info.error}",
                PluginWarning,
                stacklevel=2,
            )
            return
        info.hooks = sorted(h.name for h in self.pm.get_hookcallers(obj) or ())

    def _load_entry_points(self) -> None:
        from importlib.metadata import entry_points

        seen: set[str] = set()
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if ep.name in seen or ep.name in self.infos:
                continue
            seen.add(ep.name)
            dist = getattr(ep, "dist", None)
            dist_name = dist.metadata["Name"] if dist is not None else None
            version = dist.version if dist is not None else None
            if self.only and ep.name not in self.only:
                self.infos[ep.name] = PluginInfo(ep.name, ep.value, dist_name, version, blocked=True)
                continue
            self._register_module(ep.name, ep.value, dist_name, version)

    def register(self, plugin: Any, name: str) -> None:
        """Register an in-process plugin object (tests, notebooks)."""
        module = getattr(plugin, "__name__", type(plugin).__name__)
        self._register_module(name, module, obj=plugin)
        self._registries.clear()
        self._impls.clear()

    def unregister(self, name: str) -> None:
        self.pm.unregister(name=name)
        self.infos.pop(name, None)
        self._registries.clear()
        self._impls.clear()

    def _registry(self, kind: str) -> dict[str, Registration]:
        with self._lock:
            if kind not in self._registries:
                self._registries[kind] = self._build_registry(kind)
            return self._registries[kind]

    def _build_registry(self, kind: str) -> dict[str, Registration]:
        hook = {
            "loaders": self.pm.hook.nnbench_register_loaders,
            "reporters": self.pm.hook.nnbench_register_reporters,
            "executors": self.pm.hook.nnbench_register_executors,
            "context": self.pm.hook.nnbench_context_providers,
        }[kind]
        registry: dict[str, Registration] = {}
        if kind != "context":
            for info in self.infos.values():
                getattr(info, kind).clear()
        for impl in hook.get_hookimpls():
            plugin_name = impl.plugin_name

            def register(key: str, factory: Callable[..., Any], *, description: str = "",
                         _plugin: str = plugin_name) -> None:
                key = key.lower() if kind != "context" else key
                if key in registry and registry[key].plugin != _plugin:
                    raise NNBenchError(
                        f"{kind[:-1] if kind != 'context' else 'context provider'} {key!r} is "
                        f"registered by both {registry[key].plugin!r} and {_plugin!r}; "
                        f"block one with -p no:NAME"
                    )
                registry[key] = Registration(key, factory, _plugin, description)
                info = self.infos.get(_plugin)
                if info is not None and kind != "context":
                    getattr(info, kind).append(key)

            try:
                impl.function(register)
            except NNBenchError:
                raise
            except Exception as exc:
                warnings.warn(
                    f"nnbench plugin {plugin_name!r} failed in {hook.name}: "
                    f"{type(exc).__name__}: {exc}",
                    PluginWarning,
                    stacklevel=2,
                )
        return registry

    def loaders(self) -> dict[str, Registration]:
        """Scheme -> registration, from every plugin's ``nnbench_register_loaders``."""
        return self._registry("loaders")

    def reporters(self) -> dict[str, Registration]:
        """Extension or scheme -> registration, from ``nnbench_register_reporters``."""
        return self._registry("reporters")

    def executors(self) -> dict[str, Registration]:
        """Executor name -> registration, from ``nnbench_register_executors``."""
        return self._registry("executors")

    def context_providers(self) -> dict[str, Registration]:
        """Context section name -> registration, from ``nnbench_context_providers``."""
        return self._registry("context")

    def disabled(self) -> set[str]:
        """Names of plugins blocked here (``-p no:``, the environment variables)."""
        return {n for n, i in self.infos.items() if i.blocked} | set(self.blocked)

    def describe(self) -> list[PluginInfo]:
        """All plugins, with the loaders, reporters and executors each registered."""
        self.loaders()
        self.reporters()
        self.executors()
        return list(self.infos.values())

    def notify(self, hook_name: str, **kwargs: Any) -> None:
        """Call a lifecycle hook; an exception in one plugin is one warning naming it.

        Each implementation runs on its own, so one failing plugin neither aborts the run
        nor keeps the other plugins from being called.
        """
        for plugin_name, function, argnames in self._implementations(hook_name):
            try:
                function(*[kwargs[a] for a in argnames])
            except Exception as exc:
                _plugin_failed(plugin_name, hook_name, exc)

    def notifier(self, hook_name: str) -> Callable[..., None]:
        """``notify`` for hot loops: a function taking the hook's arguments positionally, in
        the order of its specification, with the implementations looked up once (ask again
        after plugins change)."""
        spec = tuple(getattr(self.pm.hook, hook_name).spec.argnames)
        calls = [(plugin_name, function if argnames == spec else _picking(function, [
            spec.index(a) for a in argnames])) for plugin_name, function, argnames
            in self._implementations(hook_name)]

        def notify(*args: Any) -> None:
            for plugin_name, function in calls:
                try:
                    function(*args)
                except Exception as exc:
                    _plugin_failed(plugin_name, hook_name, exc)

        return notify

    def _implementations(self, hook_name: str) -> list[tuple[str, Callable[..., Any], tuple[str, ...]]]:
        """(plugin, function, argument names) in pluggy's call order, cached until plugins
        change (a 50,000-member family calls ``nnbench_benchmark_finish`` 50,000 times)."""
        cached = self._impls.get(hook_name)
        if cached is None:
            caller = getattr(self.pm.hook, hook_name)
            cached = self._impls[hook_name] = [
                (impl.plugin_name, impl.function, tuple(impl.argnames))
                for impl in reversed(caller.get_hookimpls())]
        return cached

    def implements(self, hook_name: str) -> bool:
        """Whether any plugin implements ``hook_name`` (cheap; lets hot loops skip calls)."""
        return bool(getattr(self.pm.hook, hook_name).get_hookimpls())


def _plugin_failed(plugin_name: str, hook_name: str, exc: Exception) -> None:
    warnings.warn(f"nnbench plugin {plugin_name!r} failed in {hook_name}: "
                  f"{type(exc).__name__}: {exc}", PluginWarning, stacklevel=3)


def _picking(function: Callable[..., Any], indexes: list[int]) -> Callable[..., Any]:
    """``function`` called with the arguments at ``indexes`` (an implementation that takes
    fewer arguments than its hook's specification)."""
    return lambda *args: function(*[args[i] for i in indexes])


_manager: PluginManager | None = None
_manager_lock = threading.Lock()


def get_plugin_manager() -> PluginManager:
    """The default plugin manager, for the CLI and for code that passes none.

    Created (and entry-point plugins discovered) on first use, then shared in the process.
    """
    global _manager
    with _manager_lock:
        if _manager is None:
            _manager = PluginManager()
        return _manager


def set_plugin_manager(manager: PluginManager | None) -> PluginManager | None:
    """Replace the process-wide manager (the CLI after ``-p no:X``; tests). Returns the old one."""
    global _manager
    with _manager_lock:
        old, _manager = _manager, manager
    return old
