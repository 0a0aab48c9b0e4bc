"""Storage options: from the URL query and keyword arguments, with their secrets set aside."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from nnbench.envflags import bool_option
from nnbench.errors import UsageError
from nnbench.redact import is_secret_key

#: Protocols whose query string addresses the resource itself (signed URLs), not fsspec.
QUERY_IS_RESOURCE = frozenset({"http", "https"})

def flag(name: str, value: Any) -> bool:
    """A boolean loader option given as a bool or as text (``true``/``1``/``yes``/``on``...)."""
    return bool_option(name, value, UsageError)


def workers(value: Any) -> int | None:
    """``max_workers``: a whole number >= 1 (given as a number or as text), or None."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value)
    else:
        number = 0
    if number < 1:
        raise UsageError(f"option max_workers={value!r} must be a whole number >= 1 (parallel "
                         "transfers), e.g. max_workers=4")
    return number


def coerce(key: str, value: str) -> Any:
    """Turn a query string value into the type a filesystem expects; secrets stay strings."""
    if is_secret_key(key):
        return value
    low = value.lower()
    if low in ("true", "false"):
        return low == "true"
    if low in ("none", "null"):
        return None
    if value[:1] in "{[" or _is_number(value):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return not value.lower().startswith(("inf", "nan", "+inf", "-inf"))


def chain_protocols(url: str) -> list[str]:
    """Protocols of a possibly chained URL, outermost first (``zip://a::s3://b`` -> zip, s3)."""
    out = []
    for bit in url.split("::"):
        out.append(bit.split("://", 1)[0] if "://" in bit else bit)
    return out


def merge(url: str, query: Mapping[str, str], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """fsspec storage options: query values (for the innermost store of a chain), then kwargs."""
    opts = {k: coerce(k, v) for k, v in query.items()}
    out: dict[str, Any] = {}
    chain = chain_protocols(url)
    if len(chain) > 1 and opts:
        out[chain[-1]] = opts
    else:
        out.update(opts)
    for k, v in kwargs.items():
        v = coerce(k, v) if isinstance(v, str) else v  # CLI --option values arrive as text
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = {**out[k], **v}
        else:
            out[k] = v
    return out


def secret_values(url: str, options: Mapping[str, Any]) -> tuple[str, ...]:
    """Every secret string the URL's user-info (user and password) or the options carry,
    longest first."""
    found: set[str] = set()
    _collect(options, found, secret=False)
    for bit in url.split("::"):
        try:
            split = urlsplit(bit)
        except ValueError:
            continue
        userinfo = split.netloc.rpartition("@")[0] if "@" in split.netloc else ""
        for part in (userinfo, split.username, split.password):  # the whole user-info
            if part:
                found.update({part, unquote(part)})
        for pair in split.query.split("&"):
            key, _, value = pair.partition("=")
            if value and is_secret_key(key):
                found.update({value, unquote(value)})
    return tuple(sorted((s for s in found if len(s) >= 3), key=len, reverse=True))


def _collect(value: Any, found: set[str], secret: bool) -> None:
    if isinstance(value, Mapping):
        for k, v in value.items():
            _collect(v, found, secret or is_secret_key(str(k)))
    elif isinstance(value, (list, tuple)):
        for v in value:
            _collect(v, found, secret)
    elif secret and isinstance(value, (str, bytes)) and value:
        found.add(value.decode(errors="replace") if isinstance(value, bytes) else value)


def public(options: Mapping[str, Any]) -> dict[str, Any]:
    """Options without secrets, recursively: what may go into a cache key or a repr."""
    out: dict[str, Any] = {}
    for k, v in options.items():
        if is_secret_key(str(k)):
            continue
        out[k] = public(v) if isinstance(v, Mapping) else v
    return out


def strip_query(raw: str, query_keys: Iterable[str]) -> str:
    """``raw`` without the trailing ``?k=v`` part the core parsed into options."""
    if not list(query_keys) or "?" not in raw:
        return raw
    return raw.rsplit("?", 1)[0]
