"""Names a package exports from its submodules, imported on first use.

For plugin authors whose package ``__init__`` should cost nothing at plugin discovery::

    __getattr__ = lazy_exports(__name__, {"FakeHub": "server", "NER_REPO": "builders"})
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__``: ``name`` comes from ``package.<exports[name]>`` on first
    access, and is then kept on the package so later accesses are plain lookups."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
