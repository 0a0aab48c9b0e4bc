"""Boolean settings from environment variables and options, read the same way everywhere.

``1``, ``true``, ``yes`` and ``on`` are true, ``0``, ``false``, ``no``, ``off`` and the empty
string false, in any case and with surrounding spaces ignored. Variables are read when the
function is called, never at import time, so a test's ``monkeypatch.setenv`` takes effect::

    from nnbench import envflags

    if envflags.offline():              # $NNBENCH_OFFLINE: use caches only, no network
        ...
    verbose = envflags.flag("MYPLUGIN_VERBOSE")
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["FALSE_VALUES", "OFFLINE", "TRUE_VALUES", "bool_option", "flag", "offline",
           "parse_bool"]

TRUE_VALUES = frozenset({"1", "true", "yes", "on"})
FALSE_VALUES = frozenset({"", "0", "false", "no", "off"})

#: The variable that keeps every loader off the network (caches only).
OFFLINE = "NNBENCH_OFFLINE"


def parse_bool(value: Any) -> bool | None:
    """``value`` as a boolean: a bool as is, text by the words above; None when it is neither."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_VALUES:
        return True
    if text in FALSE_VALUES:
        return False
    return None


def bool_option(name: str, value: Any, error: type[Exception] = ValueError) -> bool:
    """The option ``name`` given as a bool or as text; ``error`` saying what to write when
    ``value`` is neither a true nor a false word."""
    parsed = parse_bool(value)
    if parsed is None:
        raise error(f"option {name}={value!r} is not a boolean; use {name}=true or {name}=false")
    return parsed


def flag(name: str, default: bool = False) -> bool:
    """The environment variable ``name`` as a boolean.

    A true word gives True, a false word False; unset, blank, or anything else: ``default``.
    """
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    parsed = parse_bool(value)
    return default if parsed is None else parsed


def offline() -> bool:
    """True when ``$NNBENCH_OFFLINE`` is true: loaders must use their caches only."""
    return flag(OFFLINE)
