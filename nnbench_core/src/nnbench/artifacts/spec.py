"""Artifact spec grammar: ``SCHEME:REST`` / ``SCHEME://REST`` with ``?key=value`` options.

An existing local path always wins (``resolve`` checks that first). A scheme has two or more
characters, so ``C:\\x`` is a path.
"""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import parse_qsl

_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]+):(?P<slashes>//)?(?P<rest>.*)$", re.S)


@dataclasses.dataclass(frozen=True)
class ParsedSpec:
    """A spec split into its parts; ``rest`` excludes ``SCHEME:``/``//`` and the query."""

    raw: str
    scheme: str
    rest: str
    options: dict[str, str] = dataclasses.field(default_factory=dict)
    query: str = ""
    slashes: bool = False

    @property
    def url(self) -> str:
        """``scheme://rest`` without options; chained URLs (``a::b://c``) stay as written."""
        if "::" in self.raw:
            return self.raw.split("?", 1)[0] if self.query else self.raw
        return f"{self.scheme}://{self.rest}"


def parse_spec(spec: str) -> ParsedSpec | None:
    """Split a spec; None when it is a plain local path (no scheme of 2+ characters)."""
    if spec.startswith((".", "/", "~", "\\")):
        return None
    m = _SCHEME.match(spec)
    if m is None:
        return None
    rest, query = m["rest"], ""
    if "?" in rest:
        rest, query = rest.split("?", 1)
    return ParsedSpec(spec, m["scheme"].lower(), rest, parse_options(query), query,
                      bool(m["slashes"]))


def parse_options(query: str) -> dict[str, str]:
    """``a=1&b=2`` -> ``{"a": "1", "b": "2"}`` (blank values kept)."""
    return dict(parse_qsl(query, keep_blank_values=True)) if query else {}
