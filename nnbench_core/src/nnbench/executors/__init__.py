"""Executors run a plan's units: ``serial`` (default) and ``processes`` built in, more from
plugins (``nnbench-dask``, ``nnbench-ray``) through ``nnbench_register_executors``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nnbench.errors import UsageError
from nnbench.executors.base import Executor
from nnbench.executors.events import UnitEvent

if TYPE_CHECKING:
    from nnbench.plugins.manager import PluginManager

__all__ = ["Executor", "UnitEvent", "make_executor", "parse_executor"]


def parse_executor(text: str) -> tuple[str, str | None]:
    """``NAME``, ``NAME:TARGET`` or ``NAME://HOST:PORT`` -> (name, target or None)."""
    text = text.strip()
    name, sep, target = text.partition(":")
    if name and target.startswith("//"):  # NAME://HOST:PORT: the whole text is the target
        return name.lower(), text
    if not name or (sep and not target):
        raise UsageError(f"--executor {text!r}: use NAME, NAME:TARGET or NAME://HOST:PORT")
    return name.lower(), target or None


def make_executor(spec: str | Executor, plugins: PluginManager, **options: Any) -> Executor:
    """The executor named by ``spec`` (an executor object passes through)."""
    if not isinstance(spec, str):
        return spec
    name, target = parse_executor(spec)
    registration = plugins.executors().get(name)
    if registration is None:
        from nnbench.plugins.providers import provider_of

        installed = ", ".join(sorted(plugins.executors()))
        hint = provider_of("executor", name)
        how = f"; install it with `pip install {hint}`" if hint else ""
        raise UsageError(f"no executor {name!r}{how} (installed executors: {installed})")
    return registration.factory(target, plugins=plugins, **options)
