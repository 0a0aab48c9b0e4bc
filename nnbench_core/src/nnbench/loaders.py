"""Artifact specs: parse ``SCHEME:REST`` / ``SCHEME://REST[?k=v]`` and resolve to a loader.

An existing local path always wins. A scheme has two or more characters, so ``C:\\x`` is a
path. Schemes come from plugins through ``nnbench_register_loaders``; an unknown scheme is an
error that lists the installed ones and names the plugin that provides it.
"""

from __future__ import annotations

import dataclasses
import os
import re
from typing import Any
from urllib.parse import parse_qsl, unquote

from nnbench.errors import ArtifactNotFoundError, UnknownSchemeError
from nnbench.types import ArtifactLoader, LocalArtifactLoader

_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]+):(?P<slashes>//)?(?P<rest>.*)$", re.S)

_SLASHED_REVISION = re.compile(r"^refs/(pr/\d+|convert/[^/]+)")

#: Schemes whose plugin we know: shown in the error when none is installed.
INSTALL_HINTS = {
    "hf": "nnbench-hf",
    "s3": "nnbench-fsspec[s3]",
    "s3a": "nnbench-fsspec[s3]",
    "gs": "nnbench-fsspec[gcs]",
    "gcs": "nnbench-fsspec[gcs]",
    "az": "nnbench-fsspec[azure]",
    "abfs": "nnbench-fsspec[azure]",
    "abfss": "nnbench-fsspec[azure]",
    "adl": "nnbench-fsspec[azure]",
    "http": "nnbench-fsspec",
    "https": "nnbench-fsspec",
    "memory": "nnbench-fsspec",
    "ftp": "nnbench-fsspec",
    "sftp": "nnbench-fsspec",
    "zip": "nnbench-fsspec",
    "tar": "nnbench-fsspec",
}


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
    options = dict(parse_qsl(query, keep_blank_values=True)) if query else {}
    return ParsedSpec(spec, m["scheme"].lower(), rest, options, query, bool(m["slashes"]))


def split_revision(rest: str) -> tuple[str, str | None, str]:
    """``org/name@rev/sub/path`` -> (``org/name``, ``rev``, ``sub/path``); rev may be None.

    The revision may be URL-encoded (``refs%2Fpr%2F3``) or contain slashes it is known to
    have (``refs/pr/N``, ``refs/convert/parquet``).
    """
    if "@" not in rest:
        return rest, None, ""
    name, _, after = rest.partition("@")
    after = unquote(after)
    m = _SLASHED_REVISION.match(after)
    if m:
        return name, m.group(0), after[m.end():].lstrip("/")
    rev, _, path = after.partition("/")
    return name, rev, path


def resolve(spec: str | os.PathLike[str] | ArtifactLoader, **kwargs: Any) -> ArtifactLoader:
    """Turn a spec, path or loader into an ``ArtifactLoader`` (nothing is downloaded yet)."""
    if isinstance(spec, ArtifactLoader):
        return spec
    text = os.fspath(spec)
    if os.path.exists(os.path.expanduser(text)):
        return LocalArtifactLoader(os.path.expanduser(text))
    local, _, query = text.partition("?")
    if query and os.path.exists(os.path.expanduser(local)):
        loader = LocalArtifactLoader(os.path.expanduser(local),
                                     dict(parse_qsl(query, keep_blank_values=True)))
        loader.spec = text
        return loader
    parsed = parse_spec(text)
    if parsed is None:
        raise ArtifactNotFoundError(
            f"local artifact path {text!r} does not exist; check the path, or use a spec "
            f"such as hf:ORG/NAME or s3://BUCKET/KEY"
        )
    from nnbench.plugins import get_plugin_manager

    manager = get_plugin_manager()
    registration = manager.loaders().get(parsed.scheme)
    if registration is None:
        raise UnknownSchemeError(_unknown_scheme_message(parsed, manager))
    loader = registration.factory(parsed, **kwargs)
    if loader.spec is None:
        loader.spec = text
    return loader


def _unknown_scheme_message(parsed: ParsedSpec, manager: Any) -> str:
    from nnbench.redact import redact_url

    installed = ", ".join(sorted(manager.loaders())) or "none"
    msg = f"no loader for scheme {parsed.scheme!r} in {redact_url(parsed.raw)!r}"
    hint = INSTALL_HINTS.get(parsed.scheme)
    blocked = {n for n, i in manager.infos.items() if i.blocked} | set(manager.blocked)
    if hint:
        plugin = hint.split("[")[0]
        short = plugin.removeprefix("nnbench-")
        if short in blocked:
            return (f"{msg}: plugin {short!r} is disabled here (-p no:{short}, "
                    f"NNBENCH_DISABLE_PLUGINS or NNBENCH_LOAD_PLUGINS); enable it")
        msg += f"; install it with `pip install {hint}`"
    return f"{msg} (installed schemes: {installed})"
