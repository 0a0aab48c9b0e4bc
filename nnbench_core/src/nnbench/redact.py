"""Remove credentials from URLs, option dicts and text before anything is shown or stored."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

SECRET_WORDS = (
    "token", "secret", "password", "passwd", "key", "credential", "signature", "sig", "auth",
    "sas", "session",
)
_ALLOWED_KEYS = {"key_prefix", "revision", "include", "exclude", "split", "repo_type"}
MASK = "***"


def is_secret_key(name: str) -> bool:
    """True for option names that commonly hold credentials (``aws_secret_access_key``...)."""
    lowered = name.lower()
    if lowered in _ALLOWED_KEYS:
        return False
    return any(word in lowered for word in SECRET_WORDS)


def redact_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``options`` with secret-looking values masked, recursively."""
    out: dict[str, Any] = {}
    for k, v in options.items():
        if is_secret_key(str(k)):
            out[k] = MASK
        elif isinstance(v, Mapping):
            out[k] = redact_options(v)
        else:
            out[k] = v
    return out


def redact_url(url: str) -> str:
    """Drop user-info (``user:pass@``) and mask secret query values; keep the rest."""
    if not isinstance(url, str):
        return url
    parts = url.split("::")
    return "::".join(_redact_one(p) for p in parts)


def _redact_one(url: str) -> str:
    try:
        split = urlsplit(url)
    except ValueError:
        return url
    netloc, query = split.netloc, split.query
    if "@" in netloc:
        netloc = MASK + "@" + netloc.rsplit("@", 1)[1]
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, MASK if is_secret_key(k) else _redact_value(v))
                           for k, v in pairs], safe="*/,:@")
    if (netloc, query) == (split.netloc, split.query):
        return url  # nothing secret: keep the text exactly as given
    return urlunsplit((split.scheme, netloc, split.path, query, split.fragment))


def _redact_value(value: str) -> str:
    """An option value that is itself a URL (``endpoint=https://u:p@host``) is redacted too."""
    return _redact_one(value) if "://" in value else value


def strip_masked(spec: str) -> str:
    """``spec`` without what ``redact_url`` masked: a ``***@`` user-info and ``KEY=***`` options.

    A redacted spec that reaches a loader (in a worker, from a pickle) resolves as if the secret
    had never been written, so the loader takes its credentials from where it runs.
    """
    if MASK not in spec:
        return spec
    return "::".join(_strip_one(p) for p in spec.split("::"))


def _strip_one(url: str) -> str:
    head, sep, query = url.partition("?")
    scheme, slashes, rest = head.partition("://")
    if slashes and rest.startswith(MASK + "@"):
        head = scheme + slashes + rest[len(MASK) + 1:]
    if sep:
        kept = [pair.replace("://" + MASK + "@", "://") for pair in query.split("&")
                if pair.partition("=")[2] != MASK]
        return head + ("?" + "&".join(kept) if kept else "")
    return head


def clip(text: str, limit: int = 200) -> str:
    """``text`` cut to about ``limit`` characters, saying how long it was, for echoing input."""
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


def secrets_in(url: str) -> tuple[str, ...]:
    """The secret strings a URL carries (whole user-info, user, password, secret query
    values), longest first: pass them to ``redact_text`` to clean an upstream message."""
    found: set[str] = set()
    for part in str(url).split("::"):
        try:
            split = urlsplit(part)
        except ValueError:
            continue
        userinfo = split.netloc.rpartition("@")[0]
        for value in (userinfo, *userinfo.split(":", 1)):
            if value:
                found.update({value, unquote(value)})
        for key, value in parse_qsl(split.query, keep_blank_values=True):
            if value and is_secret_key(key):
                found.update({value, quote(value, safe="")})
    return tuple(sorted((s for s in found if len(s) >= 3), key=len, reverse=True))


_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._\-]+")
_HF_TOKEN = re.compile(r"hf_[A-Za-z0-9]{20,}")


def redact_text(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Mask known secret values and token-shaped strings in free text (error messages)."""
    for s in secrets:
        if s:
            text = text.replace(s, MASK)
    text = _BEARER.sub(r"\1" + MASK, text)
    return _HF_TOKEN.sub(MASK, text)
