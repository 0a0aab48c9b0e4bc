"""Remove credentials from URLs, option dicts and text before anything is shown or stored."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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
        query = urlencode([(k, MASK if is_secret_key(k) else v) for k, v in pairs], safe="*/,:")
    if (netloc, query) == (split.netloc, split.query):
        return url  # nothing secret: keep the text exactly as given
    return urlunsplit((split.scheme, netloc, split.path, query, split.fragment))


_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._\-]+")
_HF_TOKEN = re.compile(r"hf_[A-Za-z0-9]{20,}")


def redact_text(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Mask known secret values and token-shaped strings in free text (error messages)."""
    for s in secrets:
        if s:
            text = text.replace(s, MASK)
    text = _BEARER.sub(r"\1" + MASK, text)
    return _HF_TOKEN.sub(MASK, text)
