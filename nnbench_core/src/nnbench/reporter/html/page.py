"""Put the page together: template, stylesheet, chart libraries, app script and data, inline.

The data travels as JSON in a ``<script type="application/json">`` element, with ``<``, ``>``
and ``&`` escaped so no value can close the element; the page never builds HTML from data.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from importlib import resources
from typing import Any

VENDOR = ("vega.min.js", "vega-lite.min.js")
_SLOT = re.compile(r"/\*@(\w+)@\*/|@@(\w+)@@")


@cache
def _asset(folder: str, name: str) -> str:
    return resources.files("nnbench.reporter.html").joinpath(folder, name).read_text("utf-8")


def _script(text: str) -> str:
    """JavaScript safe inside ``<script>``: no ``</script`` or ``<!--`` can end it early."""
    return text.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def data_json(payload: dict[str, Any]) -> str:
    """The payload as JSON safe inside ``<script type="application/json">``."""
    try:
        text = json.dumps(payload, separators=(",", ":"), allow_nan=False, default=str)
    except ValueError:  # NaN or infinity somewhere: JSON.parse would reject it
        text = json.dumps(_finite(payload), separators=(",", ":"), default=str)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _finite(obj: Any) -> Any:
    """``obj`` with non-finite floats as strings (``"nan"``, ``"inf"``)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else str(obj)
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def render(payload: dict[str, Any]) -> str:
    """The whole page as one string."""
    slots = {
        "title": _escape(str(payload.get("title") or "nnbench report")),
        "css": _asset("assets", "report.css"),
        "vendor": "\n".join(_script(_asset("vendor", n)) for n in VENDOR),
        "app": _script(_asset("assets", "report.js")),
        "data": data_json(payload),
    }
    template = _asset("assets", "report.html")
    return _SLOT.sub(lambda m: slots[m.group(1) or m.group(2)], template)
