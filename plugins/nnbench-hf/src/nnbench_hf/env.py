"""Hugging Face settings read from the environment at call time (not at import time).

``huggingface_hub`` reads ``HF_ENDPOINT``, ``HF_HOME``, ``HF_HUB_CACHE`` and ``HF_HUB_OFFLINE``
into constants when it is imported; a loader built later must honour the values of *now*, so
these helpers are called on every fetch and their results are passed explicitly.
"""

from __future__ import annotations

import os
from pathlib import Path

from nnbench import envflags

DEFAULT_ENDPOINT = "https://huggingface.co"


def hf_home() -> Path:
    """``$HF_HOME``, else ``$XDG_CACHE_HOME/huggingface``, else ``~/.cache/huggingface``."""
    home = os.environ.get("HF_HOME")
    if home:
        return Path(os.path.expandvars(home)).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(xdg) / "huggingface"


def hub_cache(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The hub cache: ``explicit``, ``$HF_HUB_CACHE``, ``$HUGGINGFACE_HUB_CACHE`` or ``HF_HOME/hub``."""
    value = explicit or os.environ.get("HF_HUB_CACHE") or os.environ.get("HUGGINGFACE_HUB_CACHE")
    path = Path(os.path.expandvars(os.fspath(value))).expanduser() if value else hf_home() / "hub"
    return path.resolve()


def endpoint(explicit: str | None = None) -> str:
    """The Hub base URL: ``explicit``, ``$HF_ENDPOINT`` or https://huggingface.co."""
    return (explicit or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


OFFLINE_VARIABLES = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", envflags.OFFLINE)


def offline_variable() -> str | None:
    """The first of ``OFFLINE_VARIABLES`` set to a true value (1/true/yes/on), else None."""
    return next((name for name in OFFLINE_VARIABLES if envflags.flag(name)), None)


def offline() -> bool:
    """True when ``HF_HUB_OFFLINE``, ``TRANSFORMERS_OFFLINE`` or ``NNBENCH_OFFLINE`` is true."""
    return offline_variable() is not None


def token(explicit: str | None = None, to: str | None = None) -> str | bool:
    """The token to send to the Hub at ``to``: ``explicit``; else, only when ``to`` is the
    configured Hub (``endpoint()``), ``$HF_TOKEN`` or the token file under ``HF_HOME``; else
    False.

    A spec naming another endpoint (``?endpoint=URL``) never receives the ambient token: it
    gets one only when one is given explicitly for it (``?token=`` or ``token=``). False
    (rather than None) stops ``huggingface_hub`` from looking up a token by itself in places
    fixed at its import time.
    """
    if explicit:
        return explicit
    if to is not None and to.rstrip("/") != endpoint():
        return False
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        value = (os.environ.get(name) or "").strip()
        if value:
            return value
    path = os.environ.get("HF_TOKEN_PATH") or str(hf_home() / "token")
    try:
        value = Path(path).expanduser().read_text(encoding="utf-8").strip()
    except OSError:
        return False
    return value or False
