"""Turn benchmark values and parameters into JSON-safe data without importing numpy/torch."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Any

MAX_REPR = 80
_PLAIN = frozenset({str, int, bool})  # JSON as they are (floats need a finiteness check)
_MAX_ITEMS = 1000


def short_repr(obj: Any, limit: int = MAX_REPR) -> str:
    """``repr`` cut to ``limit`` characters, for objects that have no JSON form."""
    try:
        text = repr(obj)
    except Exception:
        text = f"<{type(obj).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def to_jsonable(obj: Any, depth: int = 0) -> Any:
    """Numbers stay numbers (numpy/torch scalars included), containers recurse, rest -> repr."""
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else str(obj)
    if depth > 20:
        return short_repr(obj)
    if type(obj) is dict and len(obj) <= _MAX_ITEMS:  # the common case, without copies
        return {k if type(k) is str else str(k):
                v if v is None or type(v) in _PLAIN else to_jsonable(v, depth + 1)
                for k, v in obj.items()}
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v, depth + 1) for k, v in list(obj.items())[:_MAX_ITEMS]}
    if isinstance(obj, (list, tuple, set, frozenset)):
        if len(obj) > _MAX_ITEMS:
            return short_repr(obj)
        return [to_jsonable(v, depth + 1) for v in obj]
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    spec = getattr(obj, "spec", None)
    if isinstance(spec, str) and hasattr(obj, "loader"):  # an Artifact: its spec, never its value
        from nnbench.redact import redact_url

        return redact_url(spec)
    scalar = _scalar(obj)
    if scalar is not None:
        return to_jsonable(scalar, depth + 1)
    return short_repr(obj)


def _scalar(obj: Any) -> Any:
    """numpy and torch scalars / 0-d arrays expose ``.item()`` and a ``.shape`` of ()."""
    item = getattr(obj, "item", None)
    shape = getattr(obj, "shape", None)
    if callable(item) and shape is not None and tuple(shape) in ((), (1,)):
        try:
            value = item()
        except Exception:
            return None
        return value if isinstance(value, (bool, int, float, complex, str)) else None
    if type(obj).__module__ == "numpy" and callable(item):
        try:
            return item()
        except Exception:
            return None
    return None
